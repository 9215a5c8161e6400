// SPDX-License-Identifier: GPL-2.0
/*
 * The policy grammar (argv to struct policy, then the checks), and struct
 * policy to and from the KIPSEC_A_POLICY attribute tree.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"
#include "policy.h"

static int w_id(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_u32(a, "N", &pol->id, e);
}

static int w_dir(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;
	unsigned int v;

	if (args_name(a, &dir_names, &v, e))
		return -1;
	pol->dir = v;
	return 0;
}

static int w_src(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_prefix(a, &pol->src, e);
}

static int w_dst(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_prefix(a, &pol->dst, e);
}

static int w_proto(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_upper_proto(a, &pol->proto, e);
}

static int w_sport(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_port_range(a, pol->sport, e);
}

static int w_dport(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_port_range(a, pol->dport, e);
}

static int w_type(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_u8(a, "N", &pol->icmp_type, e);
}

static int w_code(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_u8(a, "N", &pol->icmp_code, e);
}

static int w_priority(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;

	return args_u32(a, "N", &pol->priority, e);
}

static int w_action(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;
	unsigned int v;

	if (args_name(a, &action_names, &v, e))
		return -1;
	pol->action = v;
	return 0;
}

/*
 * The template spi, mode and level go to: the one the last esp|ah started.
 * Before any esp|ah they go to the first template, which the first esp|ah
 * then names, so "spi 300 esp" is one template as it always was.
 */
static struct tmpl *cur_tmpl(struct policy *pol)
{
	if (!pol->n_tmpls)
		pol->n_tmpls = 1;
	return &pol->tmpls[pol->n_tmpls - 1];
}

/* Each of spi, mode and level at most once per template. */
static struct tmpl *tmpl_word(struct args *a, struct policy *pol,
			      unsigned int bit, struct perr *e)
{
	struct tmpl *t = cur_tmpl(pol);

	if (t->words & bit) {
		perr_usage(e, "'%s' given twice%s", a->word,
			   pol->n_tmpls > 1 ? " after 'ah'" : "");
		return NULL;
	}
	t->words |= bit;
	return t;
}

/* What the kernel applies: one template, or esp inside ah. */
static int check_outer(const struct policy *pol, unsigned int proto,
		       const char *word, struct perr *e)
{
	uint8_t inner = pol->tmpls[0].proto;

	if (pol->n_tmpls == KIPSEC_TMPLS_MAX)
		return perr_usage(e, "'%s' would be a third template: a bundle is esp then ah",
				  word);
	if (inner == proto)
		return perr_usage(e, "'%s' given twice: a bundle is esp then ah",
				  word);
	if (inner != IPPROTO_ESP || proto != IPPROTO_AH)
		return perr_usage(e, "'%s' after '%s': a bundle is esp then ah",
				  word, name_of(&ipsec_proto_names, inner));
	return 0;
}

/* "esp" or "ah": the word is the value; a second one starts a bundle. */
static int w_tmpl_proto(struct args *a, void *obj, struct perr *e)
{
	struct policy *pol = obj;
	struct tmpl *t = cur_tmpl(pol);
	unsigned int v = 0;

	name_lookup(&ipsec_proto_names, a->word, &v);
	if (t->words & POL_TMPL_PROTO) {
		if (check_outer(pol, v, a->word, e))
			return -1;
		t = &pol->tmpls[pol->n_tmpls++];
	}
	t->proto = v;
	t->words |= POL_TMPL_PROTO;
	return 0;
}

static int w_tmpl_spi(struct args *a, void *obj, struct perr *e)
{
	struct tmpl *t = tmpl_word(a, obj, POL_TMPL_SPI, e);

	if (!t)
		return -1;
	t->has_spi = true;
	return args_spi(a, &t->spi, e);
}

static int w_tmpl_mode(struct args *a, void *obj, struct perr *e)
{
	struct tmpl *t = tmpl_word(a, obj, POL_TMPL_MODE, e);
	unsigned int v;

	if (!t || args_name(a, &mode_names, &v, e))
		return -1;
	t->mode = v;
	return 0;
}

static int w_tmpl_level(struct args *a, void *obj, struct perr *e)
{
	struct tmpl *t = tmpl_word(a, obj, POL_TMPL_LEVEL, e);
	unsigned int v;

	if (!t || args_name(a, &level_names, &v, e))
		return -1;
	t->level = v;
	return 0;
}

/* Once per template, not per policy: the handlers count. */
#define TMPL_WORD(n, b, h, fn) \
	{ .name = (n), .bit = (b), .hint = (h), .parse = (fn), .repeat = true }

static const struct word policy_words[] = {
	WORD("id", POL_ID, "id N", w_id),
	WORD("dir", POL_DIR, "dir in|out", w_dir),
	WORD("src", POL_SRC, "src PREFIX", w_src),
	WORD("dst", POL_DST, "dst PREFIX", w_dst),
	WORD("proto", POL_PROTO, "proto P", w_proto),
	WORD("sport", POL_SPORT, "sport N[-M]", w_sport),
	WORD("dport", POL_DPORT, "dport N[-M]", w_dport),
	WORD("type", POL_TYPE, "type N", w_type),
	WORD("code", POL_CODE, "code N", w_code),
	WORD("priority", POL_PRIORITY, "priority N", w_priority),
	WORD("action", POL_ACTION, "action bypass|discard|protect",
	     w_action),
	TMPL_WORD("esp", POL_TMPL_PROTO, "esp|ah", w_tmpl_proto),
	TMPL_WORD("ah", POL_TMPL_PROTO, "esp|ah", w_tmpl_proto),
	TMPL_WORD("spi", POL_TMPL_SPI, "spi SPI", w_tmpl_spi),
	TMPL_WORD("mode", POL_TMPL_MODE, "mode transport|tunnel", w_tmpl_mode),
	TMPL_WORD("level", POL_TMPL_LEVEL, "level require|use", w_tmpl_level),
};

#define POL_ADD_WORDS	(POL_DIR | POL_SRC | POL_DST | POL_PROTO | \
			 POL_SPORT | POL_DPORT | POL_TYPE | POL_CODE | \
			 POL_PRIORITY | POL_ACTION | POL_TMPL_WORDS)

static const struct {
	unsigned int allowed;
	unsigned int required;
} policy_cmd_words[] = {
	[POLICY_CMD_ADD] = { POL_ADD_WORDS, POL_DIR | POL_ACTION },
	[POLICY_CMD_UPDATE] = { POL_ID | POL_ADD_WORDS,
				POL_ID | POL_DIR | POL_ACTION },
	[POLICY_CMD_GET] = { POL_ID, POL_ID },
	[POLICY_CMD_DEL] = { POL_ID, POL_ID },
	[POLICY_CMD_LIST] = { POL_DIR, 0 },
	[POLICY_CMD_FLUSH] = { POL_DIR, 0 },
};

static const char *first_word(unsigned int bits)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(policy_words); i++)
		if (policy_words[i].bit & bits)
			return policy_words[i].name;
	return "?";
}

/* esp and ah share a bit: the word given is the first template's proto */
static const char *first_tmpl_word(const struct policy *pol)
{
	if (pol->has & POL_TMPL_PROTO)
		return name_of(&ipsec_proto_names, pol->tmpls[0].proto);
	return first_word(pol->has & POL_TMPL_WORDS);
}

/* What the grammar says beyond "each word once". */
static int check_grammar(const struct policy *pol, struct perr *e)
{
	if ((pol->has & POL_CODE) && !(pol->has & POL_TYPE))
		return perr_usage(e, "'code' needs 'type N' before it");
	if ((pol->has & POL_TMPL_WORDS) &&
	    pol->action != KIPSEC_ACTION_PROTECT)
		return perr_usage(e, "'%s' is only valid after 'action protect'",
				  first_tmpl_word(pol));
	return 0;
}

static bool proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

static bool proto_is_icmp(uint8_t proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

static int check_selectors(const struct policy *pol, struct perr *e)
{
	bool has_proto = pol->has & POL_PROTO;

	if ((pol->has & POL_SRC) && (pol->has & POL_DST) &&
	    pol->src.addr.family != pol->dst.addr.family)
		return perr_fail(e, "src and dst are of different address families");
	if ((pol->has & POL_SRC) && check_prefix("src", &pol->src, e))
		return -1;
	if ((pol->has & POL_DST) && check_prefix("dst", &pol->dst, e))
		return -1;
	if ((pol->has & (POL_SPORT | POL_DPORT)) &&
	    (!has_proto || !proto_has_ports(pol->proto)))
		return perr_fail(e, "%s needs proto tcp, udp, udplite or sctp",
				 pol->has & POL_SPORT ? "sport" : "dport");
	if ((pol->has & POL_TYPE) && (!has_proto || !proto_is_icmp(pol->proto)))
		return perr_fail(e, "type needs proto icmp or ipv6-icmp");
	return 0;
}

static int check_add(struct policy *pol, struct perr *e)
{
	unsigned int i;

	if (check_selectors(pol, e))
		return -1;
	if (pol->action != KIPSEC_ACTION_PROTECT)
		return 0;
	/* defaults: esp transport require (0 for mode and level) */
	if (!pol->n_tmpls)
		pol->n_tmpls = 1;
	if (!(pol->tmpls[0].words & POL_TMPL_PROTO))
		pol->tmpls[0].proto = IPPROTO_ESP;
	for (i = 0; i < pol->n_tmpls; i++)
		if (pol->tmpls[i].has_spi && check_spi(pol->tmpls[i].spi, e))
			return -1;
	return 0;
}

int policy_parse(enum policy_cmd cmd, int argc, char **argv,
		 struct policy *pol, struct perr *e)
{
	struct args a;

	memset(pol, 0, sizeof(*pol));
	args_init(&a, argc, argv);
	if (parse_words(&a, policy_words, ARRAY_SIZE(policy_words),
			policy_cmd_words[cmd].allowed, &pol->has, pol, e) ||
	    check_required(policy_words, ARRAY_SIZE(policy_words),
			   policy_cmd_words[cmd].required, pol->has, e) ||
	    check_grammar(pol, e))
		return -1;
	if (cmd == POLICY_CMD_ADD || cmd == POLICY_CMD_UPDATE)
		return check_add(pol, e);
	return 0;
}

static void put_prefix(struct nlmsghdr *nlh, uint16_t addr_type,
		       uint16_t len_type, const struct ip_prefix *p)
{
	mnl_attr_put(nlh, addr_type, addr_len(p->addr.family), p->addr.bytes);
	mnl_attr_put_u8(nlh, len_type, p->len);
}

static void put_tmpls(struct nlmsghdr *nlh, const struct policy *pol)
{
	struct nlattr *tmpls, *nest;
	const struct tmpl *t;
	unsigned int i;

	tmpls = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPLS);
	for (i = 0; i < pol->n_tmpls; i++) {
		t = &pol->tmpls[i];
		nest = mnl_attr_nest_start(nlh, KIPSEC_A_TMPL);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_PROTO, t->proto);
		if (t->has_spi)
			mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_SPI, t->spi);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_MODE, t->mode);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_LEVEL, t->level);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_nest_end(nlh, tmpls);
}

/* A range is two attributes, MIN then MAX. */
_Static_assert(KIPSEC_A_POLICY_SPORT_MIN + 1 == KIPSEC_A_POLICY_SPORT_MAX &&
	       KIPSEC_A_POLICY_DPORT_MIN + 1 == KIPSEC_A_POLICY_DPORT_MAX,
	       "port range attributes are not MIN, MAX");

static void put_range(struct nlmsghdr *nlh, uint16_t min_type,
		      const uint16_t range[2])
{
	mnl_attr_put_u16(nlh, min_type, range[0]);
	mnl_attr_put_u16(nlh, min_type + 1, range[1]);
}

void policy_put(struct nlmsghdr *nlh, const struct policy *pol)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY);

	if (pol->has & POL_ID)
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ID, pol->id);
	if (pol->has & POL_DIR)
		mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_DIR, pol->dir);
	if (pol->has & POL_SRC)
		put_prefix(nlh, KIPSEC_A_POLICY_SRC,
			   KIPSEC_A_POLICY_SRC_PREFIXLEN, &pol->src);
	if (pol->has & POL_DST)
		put_prefix(nlh, KIPSEC_A_POLICY_DST,
			   KIPSEC_A_POLICY_DST_PREFIXLEN, &pol->dst);
	if (pol->has & POL_PROTO)
		mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_PROTO, pol->proto);
	if (pol->has & POL_SPORT)
		put_range(nlh, KIPSEC_A_POLICY_SPORT_MIN, pol->sport);
	if (pol->has & POL_DPORT)
		put_range(nlh, KIPSEC_A_POLICY_DPORT_MIN, pol->dport);
	if (pol->has & POL_TYPE)
		mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ICMP_TYPE, pol->icmp_type);
	if (pol->has & POL_CODE)
		mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ICMP_CODE, pol->icmp_code);
	if (pol->has & POL_PRIORITY)
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, pol->priority);
	if (pol->has & POL_ACTION)
		mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ACTION, pol->action);
	if (pol->n_tmpls)
		put_tmpls(nlh, pol);
	mnl_attr_nest_end(nlh, nest);
}

static const struct nl_policy policy_policy[KIPSEC_A_POLICY_MAX + 1] = {
	[KIPSEC_A_POLICY_ID] = { MNL_TYPE_U32 },
	[KIPSEC_A_POLICY_DIR] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_SRC] = { MNL_TYPE_BINARY },
	[KIPSEC_A_POLICY_SRC_PREFIXLEN] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_DST] = { MNL_TYPE_BINARY },
	[KIPSEC_A_POLICY_DST_PREFIXLEN] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_PROTO] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_SPORT_MIN] = { MNL_TYPE_U16 },
	[KIPSEC_A_POLICY_SPORT_MAX] = { MNL_TYPE_U16 },
	[KIPSEC_A_POLICY_DPORT_MIN] = { MNL_TYPE_U16 },
	[KIPSEC_A_POLICY_DPORT_MAX] = { MNL_TYPE_U16 },
	[KIPSEC_A_POLICY_ICMP_TYPE] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_ICMP_CODE] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_PRIORITY] = { MNL_TYPE_U32 },
	[KIPSEC_A_POLICY_ACTION] = { MNL_TYPE_U8 },
	[KIPSEC_A_POLICY_TMPLS] = { MNL_TYPE_NESTED },
};

static const struct nl_policy tmpl_policy[KIPSEC_A_TMPL_MAX + 1] = {
	[KIPSEC_A_TMPL_PROTO] = { MNL_TYPE_U8 },
	[KIPSEC_A_TMPL_SPI] = { MNL_TYPE_U32 },
	[KIPSEC_A_TMPL_MODE] = { MNL_TYPE_U8 },
	[KIPSEC_A_TMPL_LEVEL] = { MNL_TYPE_U8 },
};

static int get_prefix(const struct nlattr *addr, const struct nlattr *len,
		      struct ip_prefix *p)
{
	uint16_t n = mnl_attr_get_payload_len(addr);

	memset(p, 0, sizeof(*p));
	if (n == 4)
		p->addr.family = AF_INET;
	else if (n == 16)
		p->addr.family = AF_INET6;
	else
		return -1;
	memcpy(p->addr.bytes, mnl_attr_get_payload(addr), n);
	p->len = len ? mnl_attr_get_u8(len) : n * 8;
	return p->len > n * 8 ? -1 : 0;
}

static void get_range(const struct nlattr **tb, uint16_t min_type,
		      uint16_t range[2])
{
	range[0] = tb[min_type] ? mnl_attr_get_u16(tb[min_type]) : 0;
	range[1] = tb[min_type + 1] ? mnl_attr_get_u16(tb[min_type + 1]) :
				      UINT16_MAX;
}

static int get_tmpl(const struct nlattr *nest, struct tmpl *t)
{
	const struct nlattr *tb[KIPSEC_A_TMPL_MAX + 1];

	if (nl_parse_nested(nest, tmpl_policy, KIPSEC_A_TMPL_MAX, tb))
		return -1;
	if (tb[KIPSEC_A_TMPL_PROTO])
		t->proto = mnl_attr_get_u8(tb[KIPSEC_A_TMPL_PROTO]);
	if (tb[KIPSEC_A_TMPL_SPI]) {
		t->spi = mnl_attr_get_u32(tb[KIPSEC_A_TMPL_SPI]);
		t->has_spi = true;
	}
	if (tb[KIPSEC_A_TMPL_MODE])
		t->mode = mnl_attr_get_u8(tb[KIPSEC_A_TMPL_MODE]);
	if (tb[KIPSEC_A_TMPL_LEVEL])
		t->level = mnl_attr_get_u8(tb[KIPSEC_A_TMPL_LEVEL]);
	return 0;
}

static int get_tmpls(const struct nlattr *nest, struct policy *pol)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != KIPSEC_A_TMPL)
			continue;
		if (pol->n_tmpls == KIPSEC_TMPLS_MAX ||
		    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    get_tmpl(attr, &pol->tmpls[pol->n_tmpls]))
			return -1;
		pol->n_tmpls++;
	}
	return 0;
}

/* Which struct policy bit each attribute sets. */
static const unsigned int policy_attr_fields[KIPSEC_A_POLICY_MAX + 1] = {
	[KIPSEC_A_POLICY_ID] = POL_ID,
	[KIPSEC_A_POLICY_DIR] = POL_DIR,
	[KIPSEC_A_POLICY_SRC] = POL_SRC,
	[KIPSEC_A_POLICY_DST] = POL_DST,
	[KIPSEC_A_POLICY_PROTO] = POL_PROTO,
	[KIPSEC_A_POLICY_SPORT_MIN] = POL_SPORT,
	[KIPSEC_A_POLICY_SPORT_MAX] = POL_SPORT,
	[KIPSEC_A_POLICY_DPORT_MIN] = POL_DPORT,
	[KIPSEC_A_POLICY_DPORT_MAX] = POL_DPORT,
	[KIPSEC_A_POLICY_ICMP_TYPE] = POL_TYPE,
	[KIPSEC_A_POLICY_ICMP_CODE] = POL_CODE,
	[KIPSEC_A_POLICY_PRIORITY] = POL_PRIORITY,
	[KIPSEC_A_POLICY_ACTION] = POL_ACTION,
};

static int get_fields(const struct nlattr **tb, struct policy *pol)
{
	if (tb[KIPSEC_A_POLICY_SRC] &&
	    get_prefix(tb[KIPSEC_A_POLICY_SRC],
		       tb[KIPSEC_A_POLICY_SRC_PREFIXLEN], &pol->src))
		return -1;
	if (tb[KIPSEC_A_POLICY_DST] &&
	    get_prefix(tb[KIPSEC_A_POLICY_DST],
		       tb[KIPSEC_A_POLICY_DST_PREFIXLEN], &pol->dst))
		return -1;
	if (tb[KIPSEC_A_POLICY_TMPLS] &&
	    get_tmpls(tb[KIPSEC_A_POLICY_TMPLS], pol))
		return -1;
	return 0;
}

int policy_from_nest(const struct nlattr *nest, void *item)
{
	struct policy *pol = item;
	const struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];
	unsigned int i;

	memset(pol, 0, sizeof(*pol));
	if (nl_parse_nested(nest, policy_policy, KIPSEC_A_POLICY_MAX, tb))
		return -1;
	for (i = 0; i <= KIPSEC_A_POLICY_MAX; i++)
		if (tb[i])
			pol->has |= policy_attr_fields[i];
	if (tb[KIPSEC_A_POLICY_ID])
		pol->id = mnl_attr_get_u32(tb[KIPSEC_A_POLICY_ID]);
	if (tb[KIPSEC_A_POLICY_DIR])
		pol->dir = mnl_attr_get_u8(tb[KIPSEC_A_POLICY_DIR]);
	if (tb[KIPSEC_A_POLICY_PROTO])
		pol->proto = mnl_attr_get_u8(tb[KIPSEC_A_POLICY_PROTO]);
	get_range(tb, KIPSEC_A_POLICY_SPORT_MIN, pol->sport);
	get_range(tb, KIPSEC_A_POLICY_DPORT_MIN, pol->dport);
	if (tb[KIPSEC_A_POLICY_ICMP_TYPE])
		pol->icmp_type = mnl_attr_get_u8(tb[KIPSEC_A_POLICY_ICMP_TYPE]);
	if (tb[KIPSEC_A_POLICY_ICMP_CODE])
		pol->icmp_code = mnl_attr_get_u8(tb[KIPSEC_A_POLICY_ICMP_CODE]);
	if (tb[KIPSEC_A_POLICY_PRIORITY])
		pol->priority = mnl_attr_get_u32(tb[KIPSEC_A_POLICY_PRIORITY]);
	if (tb[KIPSEC_A_POLICY_ACTION])
		pol->action = mnl_attr_get_u8(tb[KIPSEC_A_POLICY_ACTION]);
	if (get_fields(tb, pol)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}
