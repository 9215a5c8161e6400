// SPDX-License-Identifier: GPL-2.0
/*
 * The notifications of the "events" group, decoded and printed.  A text
 * line starts with the object and verb of the grammar ("sa add", "policy
 * flush") and goes on in the grammar's words; a JSON line is one object
 * whose "event" member names it ("sa-add").  Every message is decoded in
 * full before anything is printed, so a malformed one leaves no half line.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "args.h"
#include "config.h"
#include "monitor.h"
#include "nl.h"
#include "output.h"
#include "policy.h"
#include "policy_print.h"
#include "sa.h"
#include "sa_print.h"

struct out {
	FILE *f;
	bool json;
	struct json j;
};

struct event_kind;

/* Decodes @tb, then prints what follows the event's name. */
typedef int (*event_fn)(const struct event_kind *k, const struct nlattr **tb,
			struct out *o);

struct event_kind {
	uint8_t cmd;
	const char *text;	/* "sa add" */
	const char *json;	/* "sa-add" */
	event_fn print;
};

static void out_begin(struct out *o, const struct event_kind *k)
{
	if (!o->json) {
		fputs(k->text, o->f);
		return;
	}
	json_init(&o->j, o->f);
	json_obj_begin(&o->j, NULL);
	json_str(&o->j, "event", k->json);
}

static void out_end(struct out *o)
{
	if (!o->json) {
		fputc('\n', o->f);
		return;
	}
	json_obj_end(&o->j);
	json_end(&o->j);
}

static int get_sa(const struct nlattr **tb, struct sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (!tb[KIPSEC_A_SA])
		return -1;
	return sa_from_nest(tb[KIPSEC_A_SA], sa);
}

/* sa add|update|del: the SA as `sa get` has it (no keys). */
static int ev_sa(const struct event_kind *k, const struct nlattr **tb,
		 struct out *o)
{
	struct sa sa;
	int ret;

	ret = get_sa(tb, &sa);
	if (ret)
		goto cleanup;
	out_begin(o, k);
	if (o->json) {
		sa_json_member(&o->j, "sa", &sa, false);
	} else {
		fputc(' ', o->f);
		sa_words(o->f, &sa);
	}
	out_end(o);
cleanup:
	sa_wipe(&sa);
	return ret;
}

/* Which limit was reached: the word of the grammar, the JSON key. */
static const struct {
	const char *word;
	const char *json;
} expire_limits[KIPSEC_EXPIRE_LIMIT_MAX + 1] = {
	[KIPSEC_EXPIRE_LIMIT_BYTES] = { "bytes", "bytes" },
	[KIPSEC_EXPIRE_LIMIT_PACKETS] = { "packets", "packets" },
	[KIPSEC_EXPIRE_LIMIT_ADD_SECONDS] = { "add-seconds", "add_seconds" },
	[KIPSEC_EXPIRE_LIMIT_USE_SECONDS] = { "use-seconds", "use_seconds" },
	[KIPSEC_EXPIRE_LIMIT_SEQ] = { "seq", "seq" },
};

static const struct nl_policy expire_policy[KIPSEC_A_EXPIRE_MAX + 1] = {
	[KIPSEC_A_EXPIRE_HARD] = { MNL_TYPE_U8 },
	[KIPSEC_A_EXPIRE_LIMIT] = { MNL_TYPE_U8 },
};

struct expire {
	bool hard;
	uint8_t limit;
};

static int get_expire(const struct nlattr *nest, struct expire *x)
{
	const struct nlattr *tb[KIPSEC_A_EXPIRE_MAX + 1];

	memset(x, 0, sizeof(*x));
	if (!nest || nl_parse_nested(nest, expire_policy, KIPSEC_A_EXPIRE_MAX,
				     tb))
		return -1;
	if (tb[KIPSEC_A_EXPIRE_HARD])
		x->hard = mnl_attr_get_u8(tb[KIPSEC_A_EXPIRE_HARD]);
	if (tb[KIPSEC_A_EXPIRE_LIMIT])
		x->limit = mnl_attr_get_u8(tb[KIPSEC_A_EXPIRE_LIMIT]);
	return 0;
}

static const char *limit_name(uint8_t limit, bool json)
{
	if (limit > KIPSEC_EXPIRE_LIMIT_MAX || !expire_limits[limit].word)
		return NULL;
	return json ? expire_limits[limit].json : expire_limits[limit].word;
}

/* "sa expire soft packets src ..." */
static int ev_sa_expire(const struct event_kind *k, const struct nlattr **tb,
			struct out *o)
{
	const char *limit;
	struct expire x;
	struct sa sa;
	int ret;

	ret = get_sa(tb, &sa);
	if (!ret)
		ret = get_expire(tb[KIPSEC_A_EXPIRE], &x);
	if (ret)
		goto cleanup;
	limit = limit_name(x.limit, o->json);
	out_begin(o, k);
	if (o->json) {
		json_bool(&o->j, "hard", x.hard);
		if (limit)
			json_str(&o->j, "limit", limit);
		else
			json_u64(&o->j, "limit", x.limit);
		sa_json_member(&o->j, "sa", &sa, false);
	} else {
		fprintf(o->f, " %s ", x.hard ? "hard" : "soft");
		if (limit)
			fprintf(o->f, "%s ", limit);
		else
			fprintf(o->f, "%u ", x.limit);
		sa_words(o->f, &sa);
	}
	out_end(o);
cleanup:
	sa_wipe(&sa);
	return ret;
}

static void flush_count(struct out *o, const struct nlattr **tb)
{
	uint32_t count;

	if (!tb[KIPSEC_A_FLUSH_COUNT])
		return;
	count = mnl_attr_get_u32(tb[KIPSEC_A_FLUSH_COUNT]);
	if (o->json)
		json_u64(&o->j, "count", count);
	else
		fprintf(o->f, " count %u", count);
}

/* "sa flush [proto esp|ah] count N" */
static int ev_sa_flush(const struct event_kind *k, const struct nlattr **tb,
		       struct out *o)
{
	char num[NUM_STR_MAX];
	struct sa sa;
	int ret = 0;

	memset(&sa, 0, sizeof(sa));
	if (tb[KIPSEC_A_SA])
		ret = sa_from_nest(tb[KIPSEC_A_SA], &sa);
	if (ret)
		goto cleanup;
	out_begin(o, k);
	if (sa.has & SA_PROTO) {
		if (o->json)
			json_name(&o->j, "proto", &ipsec_proto_names,
				  sa.proto);
		else
			fprintf(o->f, " proto %s",
				name_or_num(&ipsec_proto_names, sa.proto, num));
	}
	flush_count(o, tb);
	out_end(o);
cleanup:
	sa_wipe(&sa);
	return ret;
}

/* policy add|update|del: the policy as `policy get` has it. */
static int ev_policy(const struct event_kind *k, const struct nlattr **tb,
		     struct out *o)
{
	struct policy pol;

	if (!tb[KIPSEC_A_POLICY] || policy_from_nest(tb[KIPSEC_A_POLICY], &pol))
		return -1;
	out_begin(o, k);
	if (o->json) {
		policy_json_member(&o->j, "policy", &pol);
	} else {
		fputc(' ', o->f);
		policy_words(o->f, &pol);
	}
	out_end(o);
	return 0;
}

/* "policy flush [dir in|out] count N" */
static int ev_policy_flush(const struct event_kind *k,
			   const struct nlattr **tb, struct out *o)
{
	char num[NUM_STR_MAX];
	struct policy pol;

	memset(&pol, 0, sizeof(pol));
	if (tb[KIPSEC_A_POLICY] && policy_from_nest(tb[KIPSEC_A_POLICY], &pol))
		return -1;
	out_begin(o, k);
	if (pol.has & POL_DIR) {
		if (o->json)
			json_name(&o->j, "dir", &dir_names, pol.dir);
		else
			fprintf(o->f, " dir %s",
				name_or_num(&dir_names, pol.dir, num));
	}
	flush_count(o, tb);
	out_end(o);
	return 0;
}

/* "config default-in discard default-out bypass esp on ah on" */
static int ev_config(const struct event_kind *k, const struct nlattr **tb,
		     struct out *o)
{
	struct kconfig cfg;

	if (!tb[KIPSEC_A_CONFIG] || config_from_nest(tb[KIPSEC_A_CONFIG], &cfg))
		return -1;
	out_begin(o, k);
	if (o->json) {
		config_json_members(&o->j, &cfg);
	} else if (cfg.has) {
		fputc(' ', o->f);
		config_words(o->f, &cfg);
	}
	out_end(o);
	return 0;
}

/* Fields present in a struct acquire. */
enum {
	ACQ_POLICY_ID	= 1U << 0,
	ACQ_SRC		= 1U << 1,
	ACQ_DST		= 1U << 2,
	ACQ_PROTO	= 1U << 3,
	ACQ_SPORT	= 1U << 4,
	ACQ_DPORT	= 1U << 5,
	ACQ_TYPE	= 1U << 6,
	ACQ_CODE	= 1U << 7,
	ACQ_TMPL_PROTO	= 1U << 8,
	ACQ_TMPL_MODE	= 1U << 9,
	ACQ_TMPL_SPI	= 1U << 10,
};

struct acquire {
	unsigned int has;
	uint32_t policy_id;
	struct ip_addr src, dst;
	uint8_t proto;
	uint16_t sport, dport;
	uint8_t icmp_type, icmp_code;
	uint8_t tmpl_proto, tmpl_mode;
	uint32_t tmpl_spi;
};

static const struct nl_policy acquire_policy[KIPSEC_A_ACQUIRE_MAX + 1] = {
	[KIPSEC_A_ACQUIRE_POLICY_ID] = { MNL_TYPE_U32 },
	[KIPSEC_A_ACQUIRE_SRC] = { MNL_TYPE_BINARY },
	[KIPSEC_A_ACQUIRE_DST] = { MNL_TYPE_BINARY },
	[KIPSEC_A_ACQUIRE_PROTO] = { MNL_TYPE_U8 },
	[KIPSEC_A_ACQUIRE_SPORT] = { MNL_TYPE_U16 },
	[KIPSEC_A_ACQUIRE_DPORT] = { MNL_TYPE_U16 },
	[KIPSEC_A_ACQUIRE_ICMP_TYPE] = { MNL_TYPE_U8 },
	[KIPSEC_A_ACQUIRE_ICMP_CODE] = { MNL_TYPE_U8 },
	[KIPSEC_A_ACQUIRE_TMPL_PROTO] = { MNL_TYPE_U8 },
	[KIPSEC_A_ACQUIRE_TMPL_MODE] = { MNL_TYPE_U8 },
	[KIPSEC_A_ACQUIRE_TMPL_SPI] = { MNL_TYPE_U32 },
};

static void get_acquire_ints(const struct nlattr **tb, struct acquire *q)
{
	if (tb[KIPSEC_A_ACQUIRE_POLICY_ID])
		q->policy_id = mnl_attr_get_u32(tb[KIPSEC_A_ACQUIRE_POLICY_ID]);
	if (tb[KIPSEC_A_ACQUIRE_PROTO])
		q->proto = mnl_attr_get_u8(tb[KIPSEC_A_ACQUIRE_PROTO]);
	if (tb[KIPSEC_A_ACQUIRE_SPORT])
		q->sport = mnl_attr_get_u16(tb[KIPSEC_A_ACQUIRE_SPORT]);
	if (tb[KIPSEC_A_ACQUIRE_DPORT])
		q->dport = mnl_attr_get_u16(tb[KIPSEC_A_ACQUIRE_DPORT]);
	if (tb[KIPSEC_A_ACQUIRE_ICMP_TYPE])
		q->icmp_type = mnl_attr_get_u8(tb[KIPSEC_A_ACQUIRE_ICMP_TYPE]);
	if (tb[KIPSEC_A_ACQUIRE_ICMP_CODE])
		q->icmp_code = mnl_attr_get_u8(tb[KIPSEC_A_ACQUIRE_ICMP_CODE]);
	if (tb[KIPSEC_A_ACQUIRE_TMPL_PROTO])
		q->tmpl_proto = mnl_attr_get_u8(tb[KIPSEC_A_ACQUIRE_TMPL_PROTO]);
	if (tb[KIPSEC_A_ACQUIRE_TMPL_MODE])
		q->tmpl_mode = mnl_attr_get_u8(tb[KIPSEC_A_ACQUIRE_TMPL_MODE]);
	if (tb[KIPSEC_A_ACQUIRE_TMPL_SPI])
		q->tmpl_spi = mnl_attr_get_u32(tb[KIPSEC_A_ACQUIRE_TMPL_SPI]);
}

static int get_acquire(const struct nlattr *nest, struct acquire *q)
{
	const struct nlattr *tb[KIPSEC_A_ACQUIRE_MAX + 1];
	unsigned int i;

	memset(q, 0, sizeof(*q));
	if (!nest ||
	    nl_parse_nested(nest, acquire_policy, KIPSEC_A_ACQUIRE_MAX, tb))
		return -1;
	/* ACQ_* bit i is attribute i + 1 */
	for (i = KIPSEC_A_ACQUIRE_POLICY_ID; i <= KIPSEC_A_ACQUIRE_MAX; i++)
		if (tb[i])
			q->has |= 1U << (i - KIPSEC_A_ACQUIRE_POLICY_ID);
	if (tb[KIPSEC_A_ACQUIRE_SRC] &&
	    addr_from_attr(tb[KIPSEC_A_ACQUIRE_SRC], &q->src))
		return -1;
	if (tb[KIPSEC_A_ACQUIRE_DST] &&
	    addr_from_attr(tb[KIPSEC_A_ACQUIRE_DST], &q->dst))
		return -1;
	get_acquire_ints(tb, q);
	return 0;
}

_Static_assert(KIPSEC_A_ACQUIRE_TMPL_SPI - KIPSEC_A_ACQUIRE_POLICY_ID == 10 &&
	       ACQ_TMPL_SPI == 1U << 10 && ACQ_SPORT == 1U << 4,
	       "ACQ_* bits follow the acquire attributes");

static void acquire_text(FILE *f, const struct acquire *q)
{
	char buf[ADDR_STR_MAX], num[NUM_STR_MAX];

	if (q->has & ACQ_POLICY_ID)
		fprintf(f, " policy %u", q->policy_id);
	if (q->has & ACQ_SRC)
		fprintf(f, " src %s", addr_str(&q->src, buf));
	if (q->has & ACQ_DST)
		fprintf(f, " dst %s", addr_str(&q->dst, buf));
	if (q->has & ACQ_PROTO)
		fprintf(f, " proto %s", upper_proto_str(q->proto, buf));
	if (q->has & ACQ_SPORT)
		fprintf(f, " sport %u", q->sport);
	if (q->has & ACQ_DPORT)
		fprintf(f, " dport %u", q->dport);
	if (q->has & ACQ_TYPE)
		fprintf(f, " type %u", q->icmp_type);
	if (q->has & ACQ_CODE)
		fprintf(f, " code %u", q->icmp_code);
	if (q->has & ACQ_TMPL_PROTO)
		fprintf(f, " tmpl %s",
			name_or_num(&ipsec_proto_names, q->tmpl_proto, num));
	if (q->has & ACQ_TMPL_SPI)
		fprintf(f, " spi 0x%08x", q->tmpl_spi);
	if (q->has & ACQ_TMPL_MODE)
		fprintf(f, " mode %s",
			name_or_num(&mode_names, q->tmpl_mode, num));
}

static void acquire_json(struct json *j, const struct acquire *q)
{
	char buf[ADDR_STR_MAX];

	if (q->has & ACQ_POLICY_ID)
		json_u64(j, "policy_id", q->policy_id);
	if (q->has & ACQ_SRC)
		json_str(j, "src", addr_str(&q->src, buf));
	if (q->has & ACQ_DST)
		json_str(j, "dst", addr_str(&q->dst, buf));
	if (q->has & ACQ_PROTO)
		json_u64(j, "proto", q->proto);
	if (q->has & ACQ_SPORT)
		json_u64(j, "sport", q->sport);
	if (q->has & ACQ_DPORT)
		json_u64(j, "dport", q->dport);
	if (q->has & ACQ_TYPE)
		json_u64(j, "icmp_type", q->icmp_type);
	if (q->has & ACQ_CODE)
		json_u64(j, "icmp_code", q->icmp_code);
	if (!(q->has & (ACQ_TMPL_PROTO | ACQ_TMPL_MODE | ACQ_TMPL_SPI)))
		return;
	json_obj_begin(j, "template");
	if (q->has & ACQ_TMPL_PROTO)
		json_name(j, "proto", &ipsec_proto_names, q->tmpl_proto);
	if (q->has & ACQ_TMPL_SPI)
		json_u64(j, "spi", q->tmpl_spi);
	if (q->has & ACQ_TMPL_MODE)
		json_name(j, "mode", &mode_names, q->tmpl_mode);
	json_obj_end(j);
}

/* "acquire policy 7 src ... dst ... proto icmp type 8 code 0 tmpl esp ..." */
static int ev_acquire(const struct event_kind *k, const struct nlattr **tb,
		      struct out *o)
{
	struct acquire q;

	if (get_acquire(tb[KIPSEC_A_ACQUIRE], &q))
		return -1;
	out_begin(o, k);
	if (o->json)
		acquire_json(&o->j, &q);
	else
		acquire_text(o->f, &q);
	out_end(o);
	return 0;
}

static const struct event_kind event_kinds[] = {
	{ KIPSEC_CMD_SA_ADD, "sa add", "sa-add", ev_sa },
	{ KIPSEC_CMD_SA_UPDATE, "sa update", "sa-update", ev_sa },
	{ KIPSEC_CMD_SA_DEL, "sa del", "sa-del", ev_sa },
	{ KIPSEC_CMD_SA_EXPIRE, "sa expire", "sa-expire", ev_sa_expire },
	{ KIPSEC_CMD_SA_FLUSH, "sa flush", "sa-flush", ev_sa_flush },
	{ KIPSEC_CMD_POLICY_ADD, "policy add", "policy-add", ev_policy },
	{ KIPSEC_CMD_POLICY_UPDATE, "policy update", "policy-update",
	  ev_policy },
	{ KIPSEC_CMD_POLICY_DEL, "policy del", "policy-del", ev_policy },
	{ KIPSEC_CMD_POLICY_FLUSH, "policy flush", "policy-flush",
	  ev_policy_flush },
	{ KIPSEC_CMD_SET_CONFIG, "config", "config", ev_config },
	{ KIPSEC_CMD_ACQUIRE, "acquire", "acquire", ev_acquire },
};

/* A command a newer kernel notifies and this tool does not know. */
static void unknown_print(FILE *f, uint8_t cmd, bool json)
{
	if (json)
		fprintf(f, "{\"event\":\"unknown\",\"cmd\":%u}\n", cmd);
	else
		fprintf(f, "unknown command %u\n", cmd);
}

int event_print(FILE *f, const struct nlmsghdr *nlh, bool json)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	const struct genlmsghdr *genl;
	struct out o = { .f = f, .json = json };
	size_t i;

	if (nl_parse_genl(nlh, nl_kipsec_policy, KIPSEC_A_MAX, tb))
		return -1;
	genl = mnl_nlmsg_get_payload(nlh);
	for (i = 0; i < ARRAY_SIZE(event_kinds); i++)
		if (event_kinds[i].cmd == genl->cmd)
			return event_kinds[i].print(&event_kinds[i], tb, &o);
	unknown_print(f, genl->cmd, json);
	return 0;
}

void event_lost_print(FILE *f, bool json)
{
	fputs(json ? "{\"event\":\"lost\"}\n" : "events lost\n", f);
}
