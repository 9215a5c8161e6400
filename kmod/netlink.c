// SPDX-License-Identifier: GPL-2.0
/*
 * The "kipsec" generic netlink family: the whole configuration surface.
 * The attribute tree is documented in uapi/linux/kipsec.h.  Every command
 * has its own strict policy, so an attribute a command does not take is
 * refused rather than ignored; the handlers turn requests into the plain
 * configs of sad.h and spd.h, which do the semantic checks.
 */
#include <net/genetlink.h>
#include <linux/module.h>

#include "alg.h"
#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "stats.h"
#include "txn.h"
#include "version.h"

static struct genl_family kipsec_family;

/* Indexes of kipsec_mcgrps[]. */
enum kipsec_mcgrp {
	KIPSEC_MCGRP_EVENTS_IDX,
};

/* ---- policies ---- */

static int validate_addr(const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	if (kipsec_addr_family(nla_len(attr)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

#define ADDR_POLICY \
	NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_addr, \
			       sizeof(struct in6_addr))
#define ALG_NAME_POLICY \
	{ .type = NLA_NUL_STRING, .len = KIPSEC_ALG_NAME_MAX - 1 }
#define IPSEC_PROTO_POLICY NLA_POLICY_RANGE(NLA_U8, IPPROTO_ESP, IPPROTO_AH)
#define SPI_POLICY NLA_POLICY_MIN(NLA_U32, KIPSEC_SPI_MIN)

static const struct nla_policy lifetime_policy[KIPSEC_A_LIFETIME_MAX + 1] = {
	[KIPSEC_A_LIFETIME_BYTES]	= { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_PACKETS]	= { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_ADD_SECONDS]	= { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_USE_SECONDS]	= { .type = NLA_U64 },
};

/* SA_ADD, SA_UPDATE: everything but the read-only stats. */
static const struct nla_policy sa_policy[KIPSEC_A_SA_MAX + 1] = {
	[KIPSEC_A_SA_SRC]		= ADDR_POLICY,
	[KIPSEC_A_SA_DST]		= ADDR_POLICY,
	[KIPSEC_A_SA_PROTO]		= IPSEC_PROTO_POLICY,
	[KIPSEC_A_SA_SPI]		= SPI_POLICY,
	[KIPSEC_A_SA_MODE]		= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_MODE_MAX),
	[KIPSEC_A_SA_ENC_ALG]		= ALG_NAME_POLICY,
	[KIPSEC_A_SA_ENC_KEY]		= NLA_POLICY_MAX(NLA_BINARY,
							 KIPSEC_KEY_MAX_LEN),
	[KIPSEC_A_SA_AUTH_ALG]		= ALG_NAME_POLICY,
	[KIPSEC_A_SA_AUTH_KEY]		= NLA_POLICY_MAX(NLA_BINARY,
							 KIPSEC_KEY_MAX_LEN),
	[KIPSEC_A_SA_FLAGS]		= NLA_POLICY_MASK(NLA_U32,
							  KIPSEC_SA_F_ALL),
	[KIPSEC_A_SA_REPLAY_WINDOW]	= NLA_POLICY_MAX(NLA_U32,
							 KIPSEC_REPLAY_WINDOW_MAX),
	[KIPSEC_A_SA_SEQ]		= { .type = NLA_U64 },
	[KIPSEC_A_SA_LIFETIME_SOFT]	= NLA_POLICY_NESTED(lifetime_policy),
	[KIPSEC_A_SA_LIFETIME_HARD]	= NLA_POLICY_NESTED(lifetime_policy),
	[KIPSEC_A_SA_STATS]		= {
		.type = NLA_REJECT,
		.reject_message = "SA stats are read-only",
	},
};

/* SA_DEL, SA_GET: the SA's identity (a dump filter takes DST, PROTO). */
static const struct nla_policy sa_id_policy[KIPSEC_A_SA_MAX + 1] = {
	[KIPSEC_A_SA_DST]		= ADDR_POLICY,
	[KIPSEC_A_SA_PROTO]		= IPSEC_PROTO_POLICY,
	[KIPSEC_A_SA_SPI]		= SPI_POLICY,
};

static const struct nla_policy sa_flush_policy[KIPSEC_A_SA_MAX + 1] = {
	[KIPSEC_A_SA_PROTO]		= IPSEC_PROTO_POLICY,
};

static const struct nla_policy tmpl_policy[KIPSEC_A_TMPL_MAX + 1] = {
	[KIPSEC_A_TMPL_PROTO]		= IPSEC_PROTO_POLICY,
	[KIPSEC_A_TMPL_SPI]		= SPI_POLICY,
	[KIPSEC_A_TMPL_MODE]		= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_MODE_MAX),
	[KIPSEC_A_TMPL_LEVEL]		= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_LEVEL_MAX),
};

static const struct nla_policy tmpls_policy[KIPSEC_A_TMPL_MAX + 1] = {
	[KIPSEC_A_TMPL]			= NLA_POLICY_NESTED(tmpl_policy),
};

/* POLICY_ADD, POLICY_UPDATE */
static const struct nla_policy policy_policy[KIPSEC_A_POLICY_MAX + 1] = {
	[KIPSEC_A_POLICY_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[KIPSEC_A_POLICY_DIR]		= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_DIR_MAX),
	[KIPSEC_A_POLICY_SRC]		= ADDR_POLICY,
	[KIPSEC_A_POLICY_SRC_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[KIPSEC_A_POLICY_DST]		= ADDR_POLICY,
	[KIPSEC_A_POLICY_DST_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[KIPSEC_A_POLICY_PROTO]		= { .type = NLA_U8 },
	[KIPSEC_A_POLICY_SPORT_MIN]	= { .type = NLA_U16 },
	[KIPSEC_A_POLICY_SPORT_MAX]	= { .type = NLA_U16 },
	[KIPSEC_A_POLICY_DPORT_MIN]	= { .type = NLA_U16 },
	[KIPSEC_A_POLICY_DPORT_MAX]	= { .type = NLA_U16 },
	[KIPSEC_A_POLICY_ICMP_TYPE]	= { .type = NLA_U8 },
	[KIPSEC_A_POLICY_ICMP_CODE]	= { .type = NLA_U8 },
	[KIPSEC_A_POLICY_PRIORITY]	= { .type = NLA_U32 },
	[KIPSEC_A_POLICY_ACTION]	= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_ACTION_MAX),
	[KIPSEC_A_POLICY_TMPLS]		= NLA_POLICY_NESTED(tmpls_policy),
};

/* POLICY_DEL, POLICY_GET: the id (a dump filter takes DIR). */
static const struct nla_policy policy_id_policy[KIPSEC_A_POLICY_MAX + 1] = {
	[KIPSEC_A_POLICY_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[KIPSEC_A_POLICY_DIR]		= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_DIR_MAX),
};

static const struct nla_policy policy_flush_policy[KIPSEC_A_POLICY_MAX + 1] = {
	[KIPSEC_A_POLICY_DIR]		= NLA_POLICY_MAX(NLA_U8,
							 KIPSEC_DIR_MAX),
};

/* Each request takes the flags that mean something to it, no others. */
#define TXN_FLAGS_POLICY NLA_POLICY_MASK(NLA_U32, KIPSEC_REQ_F_TXN)

static const struct nla_policy sa_set_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SA]		= NLA_POLICY_NESTED(sa_policy),
	[KIPSEC_A_REQUEST_FLAGS] = NLA_POLICY_MASK(NLA_U32,
						   KIPSEC_REQ_F_TXN |
						   KIPSEC_REQ_F_RESET),
};

static const struct nla_policy sa_get_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SA]		= NLA_POLICY_NESTED(sa_id_policy),
	[KIPSEC_A_REQUEST_FLAGS] = NLA_POLICY_MASK(NLA_U32,
						   KIPSEC_REQ_F_SHOW_KEYS),
};

static const struct nla_policy sa_del_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SA]		= NLA_POLICY_NESTED(sa_id_policy),
	[KIPSEC_A_REQUEST_FLAGS] = TXN_FLAGS_POLICY,
};

static const struct nla_policy sa_flush_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SA]		= NLA_POLICY_NESTED(sa_flush_policy),
};

static const struct nla_policy policy_set_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_POLICY]	= NLA_POLICY_NESTED(policy_policy),
	[KIPSEC_A_REQUEST_FLAGS] = TXN_FLAGS_POLICY,
};

static const struct nla_policy policy_id_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_POLICY]	= NLA_POLICY_NESTED(policy_id_policy),
};

static const struct nla_policy policy_del_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_POLICY]	= NLA_POLICY_NESTED(policy_id_policy),
	[KIPSEC_A_REQUEST_FLAGS] = TXN_FLAGS_POLICY,
};

static const struct nla_policy policy_flush_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_POLICY]	= NLA_POLICY_NESTED(policy_flush_policy),
};

/*
 * GET_STATS takes nothing.  Every entry is NLA_UNSPEC, which strict
 * validation refuses, so a request with an attribute fails rather than
 * reading as a filter the kernel ignored.
 */
static const struct nla_policy no_attrs_req[KIPSEC_A_MAX + 1] = {};

/* ---- helpers ---- */

static struct kipsec_net *info_kn(struct genl_info *info)
{
	return kipsec_net(genl_info_net(info));
}

/* Reports a missing attribute both ways: by type and in words. */
static bool missing(struct netlink_ext_ack *extack, const struct nlattr *nest,
		    struct nlattr **tb, int type, const char *msg)
{
	if (tb[type])
		return false;
	kipsec_set_err(extack, NULL, msg);
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
	return true;
}

/* Parses an already validated nest again, into @tb. */
static void parse_nest(struct nlattr **tb, int max, const struct nlattr *nest,
		       const struct nla_policy *policy)
{
	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (nest)
		WARN_ON_ONCE(nla_parse_nested(tb, max, nest, policy, NULL));
}

static int addr_attr(const struct nlattr *attr, union kipsec_addr *addr)
{
	u16 family = kipsec_addr_family(nla_len(attr));

	kipsec_addr_set(addr, family, nla_data(attr));
	return family;
}

static bool req_flag(struct nlattr **attrs, u32 flag)
{
	return attrs[KIPSEC_A_REQUEST_FLAGS] &&
	       (nla_get_u32(attrs[KIPSEC_A_REQUEST_FLAGS]) & flag);
}

static bool show_keys(struct nlattr **attrs)
{
	return req_flag(attrs, KIPSEC_REQ_F_SHOW_KEYS);
}

/* Staged in the sender's transaction rather than applied. */
static bool in_txn(struct genl_info *info)
{
	return req_flag(info->attrs, KIPSEC_REQ_F_TXN);
}

/* ---- GET_INFO ---- */

static int put_alg(struct sk_buff *skb, const struct kipsec_alg *alg)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KIPSEC_A_ALG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, KIPSEC_A_ALG_NAME, alg->name) ||
	    nla_put_u8(skb, KIPSEC_A_ALG_TYPE, alg->type) ||
	    nla_put_u16(skb, KIPSEC_A_ALG_KEY_LEN, alg->key_len) ||
	    nla_put_u16(skb, KIPSEC_A_ALG_ICV_LEN, alg->icv_len)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_available_algs(struct sk_buff *skb)
{
	const struct kipsec_alg *alg;
	struct nlattr *nest;
	unsigned int i;
	int ret;

	nest = nla_nest_start(skb, KIPSEC_A_ALGS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; (alg = kipsec_alg_by_index(i)); i++) {
		if (!kipsec_alg_available(alg))
			continue;
		ret = put_alg(skb, alg);
		if (ret) {
			nla_nest_cancel(skb, nest);
			return ret;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A reply of one message that @fill fills from @kn: GET_INFO, GET_STATS,
 * GET_CONFIG.
 */
static int reply_with(struct genl_info *info, u8 cmd, size_t size,
		      int (*fill)(struct sk_buff *msg, struct kipsec_net *kn))
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipsec_family, 0, cmd);
	ret = -EMSGSIZE;
	if (!hdr)
		goto err_free_msg;
	ret = fill(msg, info_kn(info));
	if (ret)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return ret;
}

static int fill_info(struct sk_buff *msg, struct kipsec_net *kn)
{
	if (nla_put_string(msg, KIPSEC_A_VERSION, KIPSEC_VERSION) ||
	    nla_put_u32(msg, KIPSEC_A_MAX_SAS, kn->sad.max) ||
	    nla_put_u32(msg, KIPSEC_A_MAX_POLICIES, kn->spd.max))
		return -EMSGSIZE;
	return put_available_algs(msg);
}

static int get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, KIPSEC_CMD_GET_INFO, NLMSG_GOODSIZE,
			  fill_info);
}

/* ---- SA requests ---- */

/* An absent limit is no limit. */
static u64 get_u64_or_0(const struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

static void get_lifetime(const struct nlattr *nest,
			 struct kipsec_lifetime *lt)
{
	struct nlattr *tb[KIPSEC_A_LIFETIME_MAX + 1];

	parse_nest(tb, KIPSEC_A_LIFETIME_MAX, nest, lifetime_policy);
	lt->bytes = get_u64_or_0(tb[KIPSEC_A_LIFETIME_BYTES]);
	lt->packets = get_u64_or_0(tb[KIPSEC_A_LIFETIME_PACKETS]);
	lt->add_seconds = get_u64_or_0(tb[KIPSEC_A_LIFETIME_ADD_SECONDS]);
	lt->use_seconds = get_u64_or_0(tb[KIPSEC_A_LIFETIME_USE_SECONDS]);
}

static void get_sa_algs(struct nlattr **tb, struct kipsec_sa_config *cfg)
{
	if (tb[KIPSEC_A_SA_ENC_ALG])
		cfg->enc_name = nla_data(tb[KIPSEC_A_SA_ENC_ALG]);
	if (tb[KIPSEC_A_SA_ENC_KEY]) {
		cfg->enc_key = nla_data(tb[KIPSEC_A_SA_ENC_KEY]);
		cfg->enc_key_len = nla_len(tb[KIPSEC_A_SA_ENC_KEY]);
	}
	if (tb[KIPSEC_A_SA_AUTH_ALG])
		cfg->auth_name = nla_data(tb[KIPSEC_A_SA_AUTH_ALG]);
	if (tb[KIPSEC_A_SA_AUTH_KEY]) {
		cfg->auth_key = nla_data(tb[KIPSEC_A_SA_AUTH_KEY]);
		cfg->auth_key_len = nla_len(tb[KIPSEC_A_SA_AUTH_KEY]);
	}
}

static void get_sa_params(struct nlattr **tb, struct kipsec_sa_config *cfg)
{
	cfg->spi = nla_get_u32(tb[KIPSEC_A_SA_SPI]);
	cfg->proto = nla_get_u8(tb[KIPSEC_A_SA_PROTO]);
	if (tb[KIPSEC_A_SA_MODE])
		cfg->mode = nla_get_u8(tb[KIPSEC_A_SA_MODE]);
	if (tb[KIPSEC_A_SA_FLAGS])
		cfg->flags = nla_get_u32(tb[KIPSEC_A_SA_FLAGS]);
	if (tb[KIPSEC_A_SA_REPLAY_WINDOW])
		cfg->replay_window = nla_get_u32(tb[KIPSEC_A_SA_REPLAY_WINDOW]);
	if (tb[KIPSEC_A_SA_SEQ]) {
		cfg->has_seq = true;
		cfg->seq = nla_get_u64(tb[KIPSEC_A_SA_SEQ]);
	}
	get_lifetime(tb[KIPSEC_A_SA_LIFETIME_SOFT], &cfg->soft);
	get_lifetime(tb[KIPSEC_A_SA_LIFETIME_HARD], &cfg->hard);
	get_sa_algs(tb, cfg);
}

/* SA_ADD and SA_UPDATE: the whole SA, into @cfg pointing into @tb. */
static int parse_sa_config(struct genl_info *info, struct nlattr **tb,
			   struct kipsec_sa_config *cfg)
{
	const struct nlattr *nest = info->attrs[KIPSEC_A_SA];
	struct netlink_ext_ack *extack = info->extack;

	if (missing(extack, NULL, info->attrs, KIPSEC_A_SA, "missing SA"))
		return -EINVAL;
	parse_nest(tb, KIPSEC_A_SA_MAX, nest, sa_policy);
	if (missing(extack, nest, tb, KIPSEC_A_SA_SRC, "SA needs src") ||
	    missing(extack, nest, tb, KIPSEC_A_SA_DST, "SA needs dst") ||
	    missing(extack, nest, tb, KIPSEC_A_SA_PROTO, "SA needs proto") ||
	    missing(extack, nest, tb, KIPSEC_A_SA_SPI, "SA needs spi"))
		return -EINVAL;

	kipsec_sa_config_init(cfg);
	cfg->tb = tb;
	cfg->family = addr_attr(tb[KIPSEC_A_SA_DST], &cfg->daddr);
	if (addr_attr(tb[KIPSEC_A_SA_SRC], &cfg->saddr) != cfg->family) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SA_SRC],
				    "src and dst must be the same family");
		return -EINVAL;
	}
	get_sa_params(tb, cfg);
	return 0;
}

/* @how: an update, else an add. */
static int stage_sa(struct genl_info *info, const struct kipsec_sa_config *cfg,
		    const struct kipsec_sa_replace *how)
{
	struct kipsec_net *kn = info_kn(info);
	u32 portid = info->snd_portid;
	struct kipsec_sa *sa;

	sa = kipsec_sa_create(cfg, info->extack);
	if (IS_ERR(sa))
		return PTR_ERR(sa);
	if (how)
		return kipsec_txn_update_sa(kn, portid, sa, how, info->extack);
	return kipsec_txn_add_sa(kn, portid, sa, info->extack);
}

static int sa_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KIPSEC_A_SA_MAX + 1];
	struct kipsec_sa_config cfg;
	int ret;

	ret = parse_sa_config(info, tb, &cfg);
	if (ret)
		return ret;
	if (req_flag(info->attrs, KIPSEC_REQ_F_RESET)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KIPSEC_A_REQUEST_FLAGS],
				    "reset is for SA updates");
		return -EINVAL;
	}
	if (in_txn(info))
		return stage_sa(info, &cfg, NULL);
	return kipsec_sa_add(info_kn(info), &cfg, info->extack);
}

static int sa_update_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KIPSEC_A_SA_MAX + 1];
	struct kipsec_sa_config cfg;
	int ret;

	struct kipsec_sa_replace how = {
		.reset = req_flag(info->attrs, KIPSEC_REQ_F_RESET),
	};

	ret = parse_sa_config(info, tb, &cfg);
	if (ret)
		return ret;
	how.has_seq = cfg.has_seq;
	how.seq = cfg.seq;
	if (in_txn(info))
		return stage_sa(info, &cfg, &how);
	return kipsec_sa_update(info_kn(info), &cfg, how.reset, info->extack);
}

struct sa_id {
	u16 family;
	union kipsec_addr daddr;
	__be32 spi;
	u8 proto;
};

/* SA_DEL, SA_GET: { DST, SPI, PROTO }, all required. */
static int parse_sa_id(struct genl_info *info, struct sa_id *id)
{
	const struct nlattr *nest = info->attrs[KIPSEC_A_SA];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KIPSEC_A_SA_MAX + 1];

	if (missing(extack, NULL, info->attrs, KIPSEC_A_SA, "missing SA"))
		return -EINVAL;
	parse_nest(tb, KIPSEC_A_SA_MAX, nest, sa_id_policy);
	if (missing(extack, nest, tb, KIPSEC_A_SA_DST, "SA needs dst") ||
	    missing(extack, nest, tb, KIPSEC_A_SA_PROTO, "SA needs proto") ||
	    missing(extack, nest, tb, KIPSEC_A_SA_SPI, "SA needs spi"))
		return -EINVAL;
	id->family = addr_attr(tb[KIPSEC_A_SA_DST], &id->daddr);
	id->spi = htonl(nla_get_u32(tb[KIPSEC_A_SA_SPI]));
	id->proto = nla_get_u8(tb[KIPSEC_A_SA_PROTO]);
	return 0;
}

static int sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sa_id id;
	int ret;

	ret = parse_sa_id(info, &id);
	if (ret)
		return ret;
	if (in_txn(info)) {
		struct kipsec_sa_id sa_id;

		kipsec_sa_make_id(&sa_id, id.family, &id.daddr, id.spi,
				  id.proto);
		return kipsec_txn_del_sa(info_kn(info), info->snd_portid,
					 &sa_id, info->extack);
	}
	ret = kipsec_sa_del(info_kn(info), id.family, &id.daddr, id.spi,
			    id.proto);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such SA");
	return ret;
}

static int sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KIPSEC_A_SA_MAX + 1];
	u8 proto = 0;

	parse_nest(tb, KIPSEC_A_SA_MAX, info->attrs[KIPSEC_A_SA],
		   sa_flush_policy);
	if (tb[KIPSEC_A_SA_PROTO])
		proto = nla_get_u8(tb[KIPSEC_A_SA_PROTO]);
	kipsec_sa_flush(info_kn(info), proto);
	return 0;
}

/* ---- SA replies ---- */

static int put_lifetime(struct sk_buff *skb, int type,
			const struct kipsec_lifetime *lt)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_BYTES, lt->bytes,
			      KIPSEC_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_PACKETS, lt->packets,
			      KIPSEC_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_ADD_SECONDS,
			      lt->add_seconds, KIPSEC_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_USE_SECONDS,
			      lt->use_seconds, KIPSEC_A_LIFETIME_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stats(struct sk_buff *skb, const struct kipsec_sa_stats *st)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_SA_STATS);

	if (!nest ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_PACKETS, st->packets,
			      KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_BYTES, st->bytes,
			      KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_REPLAY_DROPS,
			      st->replay_drops, KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_INTEGRITY_FAILURES,
			      st->integrity_failures, KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_OTHER_DROPS,
			      st->other_drops, KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_ADD_TIME, st->add_time,
			      KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_USE_TIME, st->use_time,
			      KIPSEC_A_SA_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_sa_algs(struct sk_buff *skb, const struct kipsec_sa *sa,
		       bool keys)
{
	if (sa->enc &&
	    (nla_put_string(skb, KIPSEC_A_SA_ENC_ALG, sa->enc->name) ||
	     (keys && nla_put(skb, KIPSEC_A_SA_ENC_KEY, sa->enc->key_len,
			      sa->enc_key))))
		return -EMSGSIZE;
	if (sa->auth &&
	    (nla_put_string(skb, KIPSEC_A_SA_AUTH_ALG, sa->auth->name) ||
	     (keys && nla_put(skb, KIPSEC_A_SA_AUTH_KEY, sa->auth->key_len,
			      sa->auth_key))))
		return -EMSGSIZE;
	return 0;
}

static int put_sa_attrs(struct sk_buff *skb, const struct kipsec_sa *sa,
			bool keys)
{
	unsigned int alen = kipsec_addr_len(sa->id.family);
	struct kipsec_sa_stats stats;
	u64 seq;

	kipsec_sa_read_state(sa, &stats, &seq);
	if (nla_put(skb, KIPSEC_A_SA_SRC, alen, &sa->pair.saddr) ||
	    nla_put(skb, KIPSEC_A_SA_DST, alen, &sa->id.daddr) ||
	    nla_put_u8(skb, KIPSEC_A_SA_PROTO, sa->id.proto) ||
	    nla_put_u32(skb, KIPSEC_A_SA_SPI, ntohl(sa->id.spi)) ||
	    nla_put_u8(skb, KIPSEC_A_SA_MODE, sa->mode) ||
	    put_sa_algs(skb, sa, keys) ||
	    nla_put_u32(skb, KIPSEC_A_SA_FLAGS, sa->flags) ||
	    nla_put_u32(skb, KIPSEC_A_SA_REPLAY_WINDOW, sa->replay_window) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_SEQ, seq, KIPSEC_A_SA_PAD) ||
	    put_lifetime(skb, KIPSEC_A_SA_LIFETIME_SOFT, &sa->soft) ||
	    put_lifetime(skb, KIPSEC_A_SA_LIFETIME_HARD, &sa->hard) ||
	    put_stats(skb, &stats))
		return -EMSGSIZE;
	return 0;
}

int kipsec_nl_put_sa(struct sk_buff *skb, const struct kipsec_sa *sa,
		     bool keys)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_SA);

	if (!nest || put_sa_attrs(skb, sa, keys))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One message for one SA; @cb is set in dumps. */
static int fill_sa(struct sk_buff *skb, const struct kipsec_sa *sa,
		   u32 portid, u32 seq, int flags, bool keys,
		   struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kipsec_family, flags,
			  KIPSEC_CMD_SA_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (kipsec_nl_put_sa(skb, sa, keys)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_sa *sa;
	struct sk_buff *msg;
	struct sa_id id;
	int ret;

	ret = parse_sa_id(info, &id);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	sa = kipsec_sa_lookup_rcu(info_kn(info), id.family, &id.daddr, id.spi,
				  id.proto);
	if (!sa) {
		NL_SET_ERR_MSG(info->extack, "no such SA");
		ret = -ENOENT;
	} else {
		ret = fill_sa(msg, sa, info->snd_portid, info->snd_seq, 0,
			      show_keys(info->attrs), NULL);
	}
	rcu_read_unlock();
	if (ret)
		goto err_free_msg;
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return ret;
}

/* The dump's state between calls, in cb->ctx. */
struct sa_dump {
	u64 last_serial;		/* the last SA sent */
	union kipsec_addr daddr;	/* filter, when family is set */
	u16 family;
	u8 proto;			/* filter, 0 = any */
	bool keys;
	bool bad_filter;
};

static int sa_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct sa_dump *d = (struct sa_dump *)cb->ctx;
	struct nlattr *tb[KIPSEC_A_SA_MAX + 1];

	BUILD_BUG_ON(sizeof(*d) > sizeof(cb->ctx));
	memset(d, 0, sizeof(*d));
	d->keys = show_keys(attrs);
	parse_nest(tb, KIPSEC_A_SA_MAX, attrs[KIPSEC_A_SA], sa_id_policy);
	/* Refused by sa_dumpit(): here, in 6.1, an extack would be lost. */
	d->bad_filter = !!tb[KIPSEC_A_SA_SPI];
	if (tb[KIPSEC_A_SA_DST])
		d->family = addr_attr(tb[KIPSEC_A_SA_DST], &d->daddr);
	if (tb[KIPSEC_A_SA_PROTO])
		d->proto = nla_get_u8(tb[KIPSEC_A_SA_PROTO]);
	return 0;
}

static bool sa_dump_wants(const struct sa_dump *d, const struct kipsec_sa *sa)
{
	if (d->proto && sa->id.proto != d->proto)
		return false;
	return !d->family || (sa->id.family == d->family &&
			      kipsec_addr_equal(&sa->id.daddr, &d->daddr));
}

/*
 * Walks the SAs in insertion order and resumes after the last one sent,
 * so that deletions between two messages shift nothing; the generation
 * number flags a dump that raced with a change (NLM_F_DUMP_INTR).
 */
static int sa_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipsec_net *kn = kipsec_net(sock_net(skb->sk));
	struct sa_dump *d = (struct sa_dump *)cb->ctx;
	struct kipsec_sa *sa;
	int ret = 0;

	if (d->bad_filter) {
		NL_SET_ERR_MSG(cb->extack,
			       "an SA list filters by dst and proto only");
		return -EINVAL;
	}
	rcu_read_lock();
	cb->seq = READ_ONCE(kn->sad.gen);
	list_for_each_entry_rcu(sa, &kn->sad.list, list) {
		if (sa->serial <= d->last_serial || !sa_dump_wants(d, sa))
			continue;
		ret = fill_sa(skb, sa, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI, d->keys, cb);
		if (ret)
			break;
		d->last_serial = sa->serial;
	}
	rcu_read_unlock();
	/* A full message goes out; the next call resumes. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* ---- policy requests ---- */

static void get_ports(struct nlattr **tb, int min_type, bool *has,
		      u16 *min, u16 *max)
{
	/* A single port is a range of one: MAX defaults to MIN. */
	*has = !!tb[min_type];
	if (!*has)
		return;
	*min = nla_get_u16(tb[min_type]);
	*max = tb[min_type + 1] ? nla_get_u16(tb[min_type + 1]) : *min;
}

static void get_selector(struct nlattr **tb, struct kipsec_policy_config *cfg)
{
	if (tb[KIPSEC_A_POLICY_SRC])
		cfg->src_family = addr_attr(tb[KIPSEC_A_POLICY_SRC],
					    &cfg->saddr);
	if (tb[KIPSEC_A_POLICY_SRC_PREFIXLEN]) {
		cfg->has_sprefix = true;
		cfg->sprefix = nla_get_u8(tb[KIPSEC_A_POLICY_SRC_PREFIXLEN]);
	}
	if (tb[KIPSEC_A_POLICY_DST])
		cfg->dst_family = addr_attr(tb[KIPSEC_A_POLICY_DST],
					    &cfg->daddr);
	if (tb[KIPSEC_A_POLICY_DST_PREFIXLEN]) {
		cfg->has_dprefix = true;
		cfg->dprefix = nla_get_u8(tb[KIPSEC_A_POLICY_DST_PREFIXLEN]);
	}
	if (tb[KIPSEC_A_POLICY_PROTO]) {
		cfg->has_proto = true;
		cfg->proto = nla_get_u8(tb[KIPSEC_A_POLICY_PROTO]);
	}
	get_ports(tb, KIPSEC_A_POLICY_SPORT_MIN, &cfg->has_sport,
		  &cfg->sport_min, &cfg->sport_max);
	get_ports(tb, KIPSEC_A_POLICY_DPORT_MIN, &cfg->has_dport,
		  &cfg->dport_min, &cfg->dport_max);
	if (tb[KIPSEC_A_POLICY_ICMP_TYPE]) {
		cfg->has_icmp_type = true;
		cfg->icmp_type = nla_get_u8(tb[KIPSEC_A_POLICY_ICMP_TYPE]);
	}
	if (tb[KIPSEC_A_POLICY_ICMP_CODE]) {
		cfg->has_icmp_code = true;
		cfg->icmp_code = nla_get_u8(tb[KIPSEC_A_POLICY_ICMP_CODE]);
	}
}

static int get_tmpl(const struct nlattr *nest, struct kipsec_tmpl *t,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_A_TMPL_MAX + 1];

	parse_nest(tb, KIPSEC_A_TMPL_MAX, nest, tmpl_policy);
	if (missing(extack, nest, tb, KIPSEC_A_TMPL_PROTO,
		    "template needs proto esp or ah"))
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->proto = nla_get_u8(tb[KIPSEC_A_TMPL_PROTO]);
	if (tb[KIPSEC_A_TMPL_SPI]) {
		t->has_spi = true;
		t->spi = htonl(nla_get_u32(tb[KIPSEC_A_TMPL_SPI]));
	}
	if (tb[KIPSEC_A_TMPL_MODE])
		t->mode = nla_get_u8(tb[KIPSEC_A_TMPL_MODE]);
	if (tb[KIPSEC_A_TMPL_LEVEL])
		t->level = nla_get_u8(tb[KIPSEC_A_TMPL_LEVEL]);
	return 0;
}

static int get_tmpls(const struct nlattr *tmpls,
		     struct kipsec_policy_config *cfg,
		     struct netlink_ext_ack *extack)
{
	const struct nlattr *nest;
	int rem, ret;

	if (!tmpls)
		return 0;
	nla_for_each_nested(nest, tmpls, rem) {
		if (cfg->ntmpls == KIPSEC_TMPLS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "protect needs 1 or 2 templates");
			return -EINVAL;
		}
		ret = get_tmpl(nest, &cfg->tmpls[cfg->ntmpls], extack);
		if (ret)
			return ret;
		cfg->ntmpls++;
	}
	return 0;
}

static int check_port_pairs(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	if (tb[KIPSEC_A_POLICY_SPORT_MAX] && !tb[KIPSEC_A_POLICY_SPORT_MIN]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_POLICY_SPORT_MAX],
				    "sport max without sport min");
		return -EINVAL;
	}
	if (tb[KIPSEC_A_POLICY_DPORT_MAX] && !tb[KIPSEC_A_POLICY_DPORT_MIN]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_POLICY_DPORT_MAX],
				    "dport max without dport min");
		return -EINVAL;
	}
	return 0;
}

/* POLICY_ADD and POLICY_UPDATE: the whole policy into @cfg. */
static int parse_policy_config(struct genl_info *info, struct nlattr **tb,
			       struct kipsec_policy_config *cfg)
{
	const struct nlattr *nest = info->attrs[KIPSEC_A_POLICY];
	struct netlink_ext_ack *extack = info->extack;
	int ret;

	if (missing(extack, NULL, info->attrs, KIPSEC_A_POLICY,
		    "missing policy"))
		return -EINVAL;
	parse_nest(tb, KIPSEC_A_POLICY_MAX, nest, policy_policy);
	if (missing(extack, nest, tb, KIPSEC_A_POLICY_ACTION,
		    "policy needs an action"))
		return -EINVAL;
	ret = check_port_pairs(tb, extack);
	if (ret)
		return ret;

	kipsec_policy_config_init(cfg);
	cfg->tb = tb;
	if (tb[KIPSEC_A_POLICY_ID])
		cfg->id = nla_get_u32(tb[KIPSEC_A_POLICY_ID]);
	if (tb[KIPSEC_A_POLICY_DIR]) {
		cfg->has_dir = true;
		cfg->dir = nla_get_u8(tb[KIPSEC_A_POLICY_DIR]);
	}
	get_selector(tb, cfg);
	if (tb[KIPSEC_A_POLICY_PRIORITY])
		cfg->priority = nla_get_u32(tb[KIPSEC_A_POLICY_PRIORITY]);
	cfg->action = nla_get_u8(tb[KIPSEC_A_POLICY_ACTION]);
	return get_tmpls(tb[KIPSEC_A_POLICY_TMPLS], cfg, extack);
}

static int put_policy_id(struct sk_buff *msg, struct genl_info *info, u32 id)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put_reply(msg, info, &kipsec_family, 0,
				KIPSEC_CMD_POLICY_ADD);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, KIPSEC_A_POLICY);
	if (!nest || nla_put_u32(msg, KIPSEC_A_POLICY_ID, id))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

static int stage_policy(struct genl_info *info,
			const struct kipsec_policy_config *cfg, bool update)
{
	struct kipsec_net *kn = info_kn(info);
	u32 portid = info->snd_portid;
	struct kipsec_policy *pol;

	if (!update && !cfg->has_dir) {
		NL_SET_ERR_MSG(info->extack, "policy needs a direction");
		return -EINVAL;
	}
	pol = kipsec_policy_create(cfg, info->extack);
	if (IS_ERR(pol))
		return PTR_ERR(pol);
	if (update)
		return kipsec_txn_update_policy(kn, portid, pol, cfg->id,
						cfg->has_dir, info->extack);
	return kipsec_txn_add_policy(kn, portid, pol, info->extack);
}

static int policy_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];
	struct kipsec_policy_config cfg;
	struct sk_buff *msg;
	u32 id;
	int ret;

	ret = parse_policy_config(info, tb, &cfg);
	if (ret)
		return ret;
	if (tb[KIPSEC_A_POLICY_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPSEC_A_POLICY_ID],
				    "policy ids are chosen by the kernel");
		return -EINVAL;
	}
	if (in_txn(info))
		return stage_policy(info, &cfg, false);
	/* Allocated first: once the policy is in, the reply must go out. */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = kipsec_policy_add(info_kn(info), &cfg, &id, info->extack);
	if (ret)
		goto err_free_msg;
	WARN_ON_ONCE(put_policy_id(msg, info, id));
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return ret;
}

static int policy_update_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];
	struct kipsec_policy_config cfg;
	int ret;

	ret = parse_policy_config(info, tb, &cfg);
	if (ret)
		return ret;
	if (missing(info->extack, info->attrs[KIPSEC_A_POLICY], tb,
		    KIPSEC_A_POLICY_ID, "policy update needs the id"))
		return -EINVAL;
	if (in_txn(info))
		return stage_policy(info, &cfg, true);
	return kipsec_policy_update(info_kn(info), &cfg, info->extack);
}

/* POLICY_DEL, POLICY_GET: { ID }, required. */
static int parse_policy_id(struct genl_info *info, u32 *id)
{
	const struct nlattr *nest = info->attrs[KIPSEC_A_POLICY];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];

	if (missing(extack, NULL, info->attrs, KIPSEC_A_POLICY,
		    "missing policy"))
		return -EINVAL;
	parse_nest(tb, KIPSEC_A_POLICY_MAX, nest, policy_id_policy);
	if (missing(extack, nest, tb, KIPSEC_A_POLICY_ID, "policy needs id"))
		return -EINVAL;
	if (tb[KIPSEC_A_POLICY_DIR]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_POLICY_DIR],
				    "the id alone names a policy");
		return -EINVAL;
	}
	*id = nla_get_u32(tb[KIPSEC_A_POLICY_ID]);
	return 0;
}

static int policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 id;
	int ret;

	ret = parse_policy_id(info, &id);
	if (ret)
		return ret;
	if (in_txn(info))
		return kipsec_txn_del_policy(info_kn(info), info->snd_portid,
					     id, info->extack);
	ret = kipsec_policy_del(info_kn(info), id);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such policy");
	return ret;
}

static int policy_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];
	int dir = KIPSEC_DIR_ANY;

	parse_nest(tb, KIPSEC_A_POLICY_MAX, info->attrs[KIPSEC_A_POLICY],
		   policy_flush_policy);
	if (tb[KIPSEC_A_POLICY_DIR])
		dir = nla_get_u8(tb[KIPSEC_A_POLICY_DIR]);
	kipsec_spd_flush(info_kn(info), dir);
	return 0;
}

/* ---- policy replies ---- */

static int put_tmpl(struct sk_buff *skb, const struct kipsec_tmpl *t)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_TMPL);

	if (!nest ||
	    nla_put_u8(skb, KIPSEC_A_TMPL_PROTO, t->proto) ||
	    (t->has_spi &&
	     nla_put_u32(skb, KIPSEC_A_TMPL_SPI, ntohl(t->spi))) ||
	    nla_put_u8(skb, KIPSEC_A_TMPL_MODE, t->mode) ||
	    nla_put_u8(skb, KIPSEC_A_TMPL_LEVEL, t->level))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_tmpls(struct sk_buff *skb, const struct kipsec_policy *pol)
{
	struct nlattr *nest;
	unsigned int i;

	if (!pol->ntmpls)
		return 0;
	nest = nla_nest_start(skb, KIPSEC_A_POLICY_TMPLS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < pol->ntmpls; i++)
		if (put_tmpl(skb, &pol->tmpls[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_ports(struct sk_buff *skb, int min_type, u16 min, u16 max)
{
	if (nla_put_u16(skb, min_type, min) ||
	    nla_put_u16(skb, min_type + 1, max))
		return -EMSGSIZE;
	return 0;
}

static int put_addrs(struct sk_buff *skb, const struct kipsec_selector *sel)
{
	unsigned int alen = kipsec_addr_len(sel->family);

	if ((sel->flags & KIPSEC_SEL_SRC) &&
	    (nla_put(skb, KIPSEC_A_POLICY_SRC, alen, &sel->saddr) ||
	     nla_put_u8(skb, KIPSEC_A_POLICY_SRC_PREFIXLEN, sel->sprefix)))
		return -EMSGSIZE;
	if ((sel->flags & KIPSEC_SEL_DST) &&
	    (nla_put(skb, KIPSEC_A_POLICY_DST, alen, &sel->daddr) ||
	     nla_put_u8(skb, KIPSEC_A_POLICY_DST_PREFIXLEN, sel->dprefix)))
		return -EMSGSIZE;
	return 0;
}

static int put_selector(struct sk_buff *skb, const struct kipsec_selector *sel)
{
	if (put_addrs(skb, sel) ||
	    ((sel->flags & KIPSEC_SEL_PROTO) &&
	     nla_put_u8(skb, KIPSEC_A_POLICY_PROTO, sel->proto)) ||
	    ((sel->flags & KIPSEC_SEL_SPORT) &&
	     put_ports(skb, KIPSEC_A_POLICY_SPORT_MIN, sel->sport_min,
		       sel->sport_max)) ||
	    ((sel->flags & KIPSEC_SEL_DPORT) &&
	     put_ports(skb, KIPSEC_A_POLICY_DPORT_MIN, sel->dport_min,
		       sel->dport_max)) ||
	    ((sel->flags & KIPSEC_SEL_ICMP_TYPE) &&
	     nla_put_u8(skb, KIPSEC_A_POLICY_ICMP_TYPE, sel->icmp_type)) ||
	    ((sel->flags & KIPSEC_SEL_ICMP_CODE) &&
	     nla_put_u8(skb, KIPSEC_A_POLICY_ICMP_CODE, sel->icmp_code)))
		return -EMSGSIZE;
	return 0;
}

int kipsec_nl_put_policy(struct sk_buff *skb, const struct kipsec_policy *pol)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_POLICY);

	if (!nest ||
	    nla_put_u32(skb, KIPSEC_A_POLICY_ID, pol->id) ||
	    nla_put_u8(skb, KIPSEC_A_POLICY_DIR, pol->dir) ||
	    put_selector(skb, &pol->sel) ||
	    nla_put_u32(skb, KIPSEC_A_POLICY_PRIORITY, pol->priority) ||
	    nla_put_u8(skb, KIPSEC_A_POLICY_ACTION, pol->action) ||
	    put_tmpls(skb, pol))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_policy(struct sk_buff *skb, const struct kipsec_policy *pol,
		       u32 portid, u32 seq, int flags,
		       struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kipsec_family, flags,
			  KIPSEC_CMD_POLICY_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (kipsec_nl_put_policy(skb, pol)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_policy *pol;
	struct sk_buff *msg;
	u32 id;
	int ret;

	ret = parse_policy_id(info, &id);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	pol = kipsec_policy_find_rcu(info_kn(info), id);
	if (!pol) {
		NL_SET_ERR_MSG(info->extack, "no such policy");
		ret = -ENOENT;
	} else {
		ret = fill_policy(msg, pol, info->snd_portid, info->snd_seq, 0,
				  NULL);
	}
	rcu_read_unlock();
	if (ret)
		goto err_free_msg;
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return ret;
}

/* The dump's state between calls, in cb->ctx. */
struct policy_dump {
	u64 last_serial;	/* of the last policy sent, 0 = none yet */
	u32 last_priority;
	u8 dir;			/* the list being walked */
	u8 last_dir;		/* filter: only dir..last_dir */
	bool bad_filter;
};

static int policy_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct policy_dump *d = (struct policy_dump *)cb->ctx;
	struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];

	BUILD_BUG_ON(sizeof(*d) > sizeof(cb->ctx));
	memset(d, 0, sizeof(*d));
	d->last_dir = KIPSEC_DIR_MAX;
	parse_nest(tb, KIPSEC_A_POLICY_MAX, attrs[KIPSEC_A_POLICY],
		   policy_id_policy);
	/* Refused by policy_dumpit(): here, in 6.1, an extack would be lost. */
	d->bad_filter = !!tb[KIPSEC_A_POLICY_ID];
	if (tb[KIPSEC_A_POLICY_DIR]) {
		d->dir = nla_get_u8(tb[KIPSEC_A_POLICY_DIR]);
		d->last_dir = d->dir;
	}
	return 0;
}

/* Was @pol sent already?  The lists are sorted by (priority, serial). */
static bool policy_sent(const struct policy_dump *d,
			const struct kipsec_policy *pol)
{
	if (!d->last_serial)
		return false;
	return pol->priority < d->last_priority ||
	       (pol->priority == d->last_priority &&
		pol->serial <= d->last_serial);
}

static int policy_dump_dir(struct sk_buff *skb, struct netlink_callback *cb,
			   struct kipsec_net *kn)
{
	struct policy_dump *d = (struct policy_dump *)cb->ctx;
	struct kipsec_policy *pol;
	int ret;

	list_for_each_entry_rcu(pol, &kn->spd.lists[d->dir], list) {
		if (policy_sent(d, pol))
			continue;
		ret = fill_policy(skb, pol, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (ret)
			return ret;
		d->last_priority = pol->priority;
		d->last_serial = pol->serial;
	}
	return 0;
}

/* In evaluation order, direction by direction; resumes as sa_dumpit(). */
static int policy_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipsec_net *kn = kipsec_net(sock_net(skb->sk));
	struct policy_dump *d = (struct policy_dump *)cb->ctx;
	int ret = 0;

	if (d->bad_filter) {
		NL_SET_ERR_MSG(cb->extack, "a policy list filters by dir only");
		return -EINVAL;
	}
	rcu_read_lock();
	cb->seq = READ_ONCE(kn->spd.gen);
	for (; d->dir <= d->last_dir; d->dir++) {
		ret = policy_dump_dir(skb, cb, kn);
		if (ret)
			break;
		d->last_serial = 0;
	}
	rcu_read_unlock();
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* ---- GET_STATS ---- */

static size_t stats_msg_size(void)
{
	return nla_total_size(0) +
	       (KIPSEC_A_STATS_MAX - KIPSEC_A_STATS_IN_PACKETS + 1) *
	       nla_total_size_64bit(sizeof(u64));
}

static int put_net_stats(struct sk_buff *skb, const struct kipsec_stats *st)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, KIPSEC_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = KIPSEC_A_STATS_IN_PACKETS; i <= KIPSEC_A_STATS_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, st->v[i], KIPSEC_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_stats(struct sk_buff *msg, struct kipsec_net *kn)
{
	struct kipsec_stats st;

	kipsec_stats_read(kn, &st);
	return put_net_stats(msg, &st);
}

static int get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, KIPSEC_CMD_GET_STATS, stats_msg_size(),
			  fill_stats);
}

/* ---- SET_CONFIG, GET_CONFIG ---- */

static const struct nla_policy config_policy[KIPSEC_A_CONFIG_MAX + 1] = {
	[KIPSEC_A_CONFIG_DEFAULT_IN] = NLA_POLICY_RANGE(NLA_U8,
							KIPSEC_ACTION_BYPASS,
							KIPSEC_ACTION_DISCARD),
	[KIPSEC_A_CONFIG_DEFAULT_OUT] = NLA_POLICY_RANGE(NLA_U8,
							 KIPSEC_ACTION_BYPASS,
							 KIPSEC_ACTION_DISCARD),
	[KIPSEC_A_CONFIG_ESP] = NLA_POLICY_MAX(NLA_U8, 1),
	[KIPSEC_A_CONFIG_AH] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy config_req[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_CONFIG] = NLA_POLICY_NESTED(config_policy),
	[KIPSEC_A_REQUEST_FLAGS] = TXN_FLAGS_POLICY,
};

int kipsec_nl_put_config(struct sk_buff *skb, struct kipsec_net *kn)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_CONFIG);

	if (!nest ||
	    nla_put_u8(skb, KIPSEC_A_CONFIG_DEFAULT_IN,
		       READ_ONCE(kn->default_action[KIPSEC_DIR_IN])) ||
	    nla_put_u8(skb, KIPSEC_A_CONFIG_DEFAULT_OUT,
		       READ_ONCE(kn->default_action[KIPSEC_DIR_OUT])) ||
	    nla_put_u8(skb, KIPSEC_A_CONFIG_ESP, !READ_ONCE(kn->esp_off)) ||
	    nla_put_u8(skb, KIPSEC_A_CONFIG_AH, !READ_ONCE(kn->ah_off)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static void get_action(struct kipsec_config *c, u8 field, u8 dir,
		       const struct nlattr *attr)
{
	if (attr) {
		c->set |= field;
		c->default_action[dir] = nla_get_u8(attr);
	}
}

static void get_off(struct kipsec_config *c, u8 field, bool *off,
		    const struct nlattr *attr)
{
	if (attr) {
		c->set |= field;
		*off = !nla_get_u8(attr);
	}
}

static void get_config(struct nlattr **tb, struct kipsec_config *c)
{
	memset(c, 0, sizeof(*c));
	get_action(c, KIPSEC_CFG_DEFAULT_IN, KIPSEC_DIR_IN,
		   tb[KIPSEC_A_CONFIG_DEFAULT_IN]);
	get_action(c, KIPSEC_CFG_DEFAULT_OUT, KIPSEC_DIR_OUT,
		   tb[KIPSEC_A_CONFIG_DEFAULT_OUT]);
	get_off(c, KIPSEC_CFG_ESP, &c->esp_off, tb[KIPSEC_A_CONFIG_ESP]);
	get_off(c, KIPSEC_CFG_AH, &c->ah_off, tb[KIPSEC_A_CONFIG_AH]);
}

static int set_config_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = info_kn(info);
	struct nlattr *tb[KIPSEC_A_CONFIG_MAX + 1];
	struct kipsec_config c;

	if (missing(info->extack, NULL, info->attrs, KIPSEC_A_CONFIG,
		    "missing config"))
		return -EINVAL;
	parse_nest(tb, KIPSEC_A_CONFIG_MAX, info->attrs[KIPSEC_A_CONFIG],
		   config_policy);
	get_config(tb, &c);
	if (in_txn(info))
		return kipsec_txn_set_config(kn, info->snd_portid, &c,
					     info->extack);
	mutex_lock(&kn->config_lock);
	kipsec_config_apply_locked(kn, &c);
	kipsec_ev_config(kn);
	mutex_unlock(&kn->config_lock);
	return 0;
}

static int get_config_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, KIPSEC_CMD_GET_CONFIG, NLMSG_GOODSIZE,
			  kipsec_nl_put_config);
}

/* ---- transactions ---- */

static int txn_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kipsec_txn_begin(info_kn(info), info->snd_portid, info->extack);
}

static int txn_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kipsec_txn_commit(info_kn(info), info->snd_portid,
				 info->extack);
}

static int txn_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kipsec_txn_abort(info_kn(info), info->snd_portid, info->extack);
}

/* ---- events ---- */

/*
 * Cleared before the family goes: events still being built then are
 * dropped, never sent through a family that is gone.
 */
static bool family_up;

bool kipsec_nl_listening(struct kipsec_net *kn)
{
	return READ_ONCE(family_up) && kn->net &&
	       genl_has_listeners(&kipsec_family, kn->net,
				  KIPSEC_MCGRP_EVENTS_IDX);
}

void *kipsec_nl_event_start(struct sk_buff *skb, u8 cmd)
{
	return genlmsg_put(skb, 0, 0, &kipsec_family, 0, cmd);
}

void kipsec_nl_event_send(struct kipsec_net *kn, struct sk_buff *skb)
{
	rcu_read_lock();
	if (READ_ONCE(family_up))
		genlmsg_multicast_netns(&kipsec_family, kn->net, skb, 0,
					KIPSEC_MCGRP_EVENTS_IDX, GFP_ATOMIC);
	else
		nlmsg_free(skb);
	rcu_read_unlock();
}

/* ---- ACQUIRE ---- */

static size_t acquire_msg_size(void)
{
	return nla_total_size(0) +				/* nest */
	       nla_total_size(sizeof(u32)) +			/* POLICY_ID */
	       2 * nla_total_size(sizeof(struct in6_addr)) +	/* SRC, DST */
	       nla_total_size(sizeof(u8)) +			/* PROTO */
	       2 * nla_total_size(sizeof(u16)) +		/* ports */
	       2 * nla_total_size(sizeof(u8)) +			/* ICMP */
	       2 * nla_total_size(sizeof(u8)) +			/* TMPL_* */
	       nla_total_size(sizeof(u32));			/* TMPL_SPI */
}

static bool proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

static bool proto_is_icmp(u8 proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

/* The packet's selector fields, as far as its protocol has them. */
static int put_acquire_flow(struct sk_buff *skb,
			    const struct kipsec_flow *flow)
{
	unsigned int alen = kipsec_addr_len(flow->family);

	if (nla_put(skb, KIPSEC_A_ACQUIRE_SRC, alen, &flow->saddr) ||
	    nla_put(skb, KIPSEC_A_ACQUIRE_DST, alen, &flow->daddr) ||
	    nla_put_u8(skb, KIPSEC_A_ACQUIRE_PROTO, flow->proto))
		return -EMSGSIZE;
	if (proto_has_ports(flow->proto) &&
	    (nla_put_u16(skb, KIPSEC_A_ACQUIRE_SPORT, ntohs(flow->sport)) ||
	     nla_put_u16(skb, KIPSEC_A_ACQUIRE_DPORT, ntohs(flow->dport))))
		return -EMSGSIZE;
	if (proto_is_icmp(flow->proto) &&
	    (nla_put_u8(skb, KIPSEC_A_ACQUIRE_ICMP_TYPE, flow->icmp_type) ||
	     nla_put_u8(skb, KIPSEC_A_ACQUIRE_ICMP_CODE, flow->icmp_code)))
		return -EMSGSIZE;
	return 0;
}

static int fill_acquire(struct sk_buff *skb, const struct kipsec_policy *pol,
			const struct kipsec_tmpl *tmpl,
			const struct kipsec_flow *flow)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &kipsec_family, 0, KIPSEC_CMD_ACQUIRE);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KIPSEC_A_ACQUIRE);
	if (!nest ||
	    nla_put_u32(skb, KIPSEC_A_ACQUIRE_POLICY_ID, pol->id) ||
	    put_acquire_flow(skb, flow) ||
	    nla_put_u8(skb, KIPSEC_A_ACQUIRE_TMPL_PROTO, tmpl->proto) ||
	    nla_put_u8(skb, KIPSEC_A_ACQUIRE_TMPL_MODE, tmpl->mode) ||
	    (tmpl->has_spi &&
	     nla_put_u32(skb, KIPSEC_A_ACQUIRE_TMPL_SPI, ntohl(tmpl->spi)))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The packet that caused this is dropped whatever happens here, and a
 * key manager that misses one ACQUIRE gets another with the next packet:
 * no listener or no memory simply means no message.
 */
void kipsec_nl_acquire(struct kipsec_net *kn, const struct kipsec_policy *pol,
		       const struct kipsec_tmpl *tmpl,
		       const struct kipsec_flow *flow)
{
	struct sk_buff *msg;

	if (!kipsec_nl_listening(kn))
		return;
	msg = genlmsg_new(acquire_msg_size(), GFP_ATOMIC);
	if (!msg)
		return;
	if (WARN_ON_ONCE(fill_acquire(msg, pol, tmpl, flow))) {
		nlmsg_free(msg);
		return;
	}
	kipsec_nl_event_send(kn, msg);
}

/* ---- the family ---- */

#define ADMIN_OP(_cmd, _doit, _policy) {				\
	.cmd = _cmd, .doit = _doit, .policy = _policy,			\
	.maxattr = ARRAY_SIZE(_policy) - 1, .flags = GENL_UNS_ADMIN_PERM, \
}

static const struct genl_ops kipsec_ops[] = {
	{
		/* Open to all: what this kernel offers is no secret. */
		.cmd = KIPSEC_CMD_GET_INFO,
		.doit = get_info_doit,
	},
	ADMIN_OP(KIPSEC_CMD_SA_ADD, sa_add_doit, sa_set_req),
	ADMIN_OP(KIPSEC_CMD_SA_UPDATE, sa_update_doit, sa_set_req),
	ADMIN_OP(KIPSEC_CMD_SA_DEL, sa_del_doit, sa_del_req),
	{
		.cmd = KIPSEC_CMD_SA_GET,
		.doit = sa_get_doit,
		.start = sa_dump_start,
		.dumpit = sa_dumpit,
		.policy = sa_get_req,
		.maxattr = ARRAY_SIZE(sa_get_req) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	ADMIN_OP(KIPSEC_CMD_SA_FLUSH, sa_flush_doit, sa_flush_req),
	ADMIN_OP(KIPSEC_CMD_POLICY_ADD, policy_add_doit, policy_set_req),
	ADMIN_OP(KIPSEC_CMD_POLICY_UPDATE, policy_update_doit, policy_set_req),
	ADMIN_OP(KIPSEC_CMD_POLICY_DEL, policy_del_doit, policy_del_req),
	{
		.cmd = KIPSEC_CMD_POLICY_GET,
		.doit = policy_get_doit,
		.start = policy_dump_start,
		.dumpit = policy_dumpit,
		.policy = policy_id_req,
		.maxattr = ARRAY_SIZE(policy_id_req) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	ADMIN_OP(KIPSEC_CMD_POLICY_FLUSH, policy_flush_doit, policy_flush_req),
	ADMIN_OP(KIPSEC_CMD_GET_STATS, get_stats_doit, no_attrs_req),
	ADMIN_OP(KIPSEC_CMD_SET_CONFIG, set_config_doit, config_req),
	ADMIN_OP(KIPSEC_CMD_GET_CONFIG, get_config_doit, no_attrs_req),
	ADMIN_OP(KIPSEC_CMD_TXN_BEGIN, txn_begin_doit, no_attrs_req),
	ADMIN_OP(KIPSEC_CMD_TXN_COMMIT, txn_commit_doit, no_attrs_req),
	ADMIN_OP(KIPSEC_CMD_TXN_ABORT, txn_abort_doit, no_attrs_req),
};

/*
 * The events show the namespace's traffic (addresses, ports) and
 * configuration, so listening takes the same privilege as reading the
 * databases.
 */
static const struct genl_multicast_group kipsec_mcgrps[] = {
	[KIPSEC_MCGRP_EVENTS_IDX] = {
		.name = KIPSEC_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family kipsec_family __ro_after_init = {
	.name = KIPSEC_GENL_NAME,
	.version = KIPSEC_GENL_VERSION,
	.maxattr = KIPSEC_A_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = kipsec_ops,
	.n_ops = ARRAY_SIZE(kipsec_ops),
	.resv_start_op = KIPSEC_CMD_GET_INFO,
	.mcgrps = kipsec_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kipsec_mcgrps),
};

int __init kipsec_netlink_init(void)
{
	int ret = genl_register_family(&kipsec_family);

	if (!ret)
		WRITE_ONCE(family_up, true);
	return ret;
}

void kipsec_netlink_exit(void)
{
	WRITE_ONCE(family_up, false);
	/* Senders check family_up under RCU: they are done after this. */
	synchronize_rcu();
	genl_unregister_family(&kipsec_family);
}
