// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl stats: the namespace's counters, traffic and drops by reason,
 * one "name value" line each or one JSON object.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "nl.h"
#include "output.h"
#include "stats.h"

#define COUNTER(attr, name, json) { KIPSEC_A_STATS_##attr, name, json }

/* The direction's traffic first, then its drops: as one reads them. */
const struct stats_counter stats_counters[STATS_N] = {
	COUNTER(IN_PACKETS, "in-packets", "in_packets"),
	COUNTER(IN_BYTES, "in-bytes", "in_bytes"),
	COUNTER(IN_NO_SA, "in-no-sa", "in_no_sa"),
	COUNTER(IN_REPLAY, "in-replay", "in_replay"),
	COUNTER(IN_ICV_FAIL, "in-icv-fail", "in_icv_fail"),
	COUNTER(IN_BAD_PADDING, "in-bad-padding", "in_bad_padding"),
	COUNTER(IN_BAD_LENGTH, "in-bad-length", "in_bad_length"),
	COUNTER(IN_POLICY_MISMATCH, "in-policy-mismatch",
		"in_policy_mismatch"),
	COUNTER(IN_CLEARTEXT, "in-cleartext", "in_cleartext"),
	COUNTER(IN_POLICY_DISCARD, "in-policy-discard", "in_policy_discard"),
	COUNTER(IN_SA_UNUSABLE, "in-sa-unusable", "in_sa_unusable"),
	COUNTER(OUT_PACKETS, "out-packets", "out_packets"),
	COUNTER(OUT_BYTES, "out-bytes", "out_bytes"),
	COUNTER(OUT_NO_SA, "out-no-sa", "out_no_sa"),
	COUNTER(OUT_SEQ_EXHAUSTED, "out-seq-exhausted", "out_seq_exhausted"),
	COUNTER(OUT_POLICY_DISCARD, "out-policy-discard",
		"out_policy_discard"),
	COUNTER(OUT_TOO_BIG, "out-too-big", "out_too_big"),
	COUNTER(OUT_BAD_PACKET, "out-bad-packet", "out_bad_packet"),
	COUNTER(NO_MEMORY, "no-memory", "no_memory"),
	COUNTER(CRYPTO_ERROR, "crypto-error", "crypto_error"),
	/* after the older ones, so that their lines keep their places */
	COUNTER(IN_DEFAULT_DISCARD, "in-default-discard",
		"in_default_discard"),
	COUNTER(OUT_DEFAULT_DISCARD, "out-default-discard",
		"out_default_discard"),
	COUNTER(IN_PROTO_DISABLED, "in-proto-disabled", "in_proto_disabled"),
	COUNTER(OUT_PROTO_DISABLED, "out-proto-disabled",
		"out_proto_disabled"),
	COUNTER(OUT_SA_EXPIRED, "out-sa-expired", "out_sa_expired"),
};

/*
 * A counter added to the uapi header must get a name here: the table has
 * exactly one entry per counter (the unit tests check each is named once;
 * an entry left out would be a NULL name the assertion cannot see).
 */
_Static_assert(ARRAY_SIZE(stats_counters) ==
	       KIPSEC_A_STATS_MAX - KIPSEC_A_STATS_PAD,
	       "every KIPSEC_A_STATS_* counter needs a name");

/* Counters beyond the ones this tool knows (a newer kernel) are skipped. */
static const struct nl_policy counter_policy[KIPSEC_A_STATS_MAX + 1] = {
	[KIPSEC_A_STATS_IN_PACKETS ... KIPSEC_A_STATS_MAX] = { MNL_TYPE_U64 },
};

int stats_from_msg(const struct nlmsghdr *nlh, struct stats *st)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	const struct nlattr *ctb[KIPSEC_A_STATS_MAX + 1];
	const struct nlattr *attr;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (nl_parse_genl(nlh, nl_kipsec_policy, KIPSEC_A_MAX, tb))
		return -1;
	if (!tb[KIPSEC_A_STATS] ||
	    nl_parse_nested(tb[KIPSEC_A_STATS], counter_policy,
			    KIPSEC_A_STATS_MAX, ctb)) {
		errno = EPROTO;
		return -1;
	}
	for (i = 0; i < STATS_N; i++) {
		attr = ctb[stats_counters[i].attr];
		if (!attr)
			continue;
		st->v[i] = mnl_attr_get_u64(attr);
		st->has[i] = true;
	}
	return 0;
}

/* A counter the kernel did not send is left out rather than shown as 0. */
void stats_print(FILE *f, const struct stats *st, bool json)
{
	struct json j;
	size_t i;

	if (!json) {
		for (i = 0; i < STATS_N; i++)
			if (st->has[i])
				fprintf(f, "%s %" PRIu64 "\n",
					stats_counters[i].name, st->v[i]);
		return;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	for (i = 0; i < STATS_N; i++)
		if (st->has[i])
			json_u64(&j, stats_counters[i].json, st->v[i]);
	json_obj_end(&j);
	json_end(&j);
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	return stats_from_msg(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int get_stats(const struct ctx *ctx, struct stats *st)
{
	return ctx_simple_request(ctx, KIPSEC_CMD_GET_STATS, stats_cb, st);
}

static bool stats_empty(const struct stats *st)
{
	size_t i;

	for (i = 0; i < STATS_N; i++)
		if (st->has[i])
			return false;
	return true;
}

static int stats_run(struct ctx *ctx, int argc, char **argv)
{
	unsigned int seen = 0;
	struct stats st;
	struct args a;
	struct perr e;
	int ret;

	/* no words: any word is refused as the other commands refuse it */
	args_init(&a, argc, argv);
	if (parse_words(&a, NULL, 0, 0, &seen, NULL, &e))
		return ctx_perr(ctx, &e);
	memset(&st, 0, sizeof(st));
	ret = get_stats(ctx, &st);
	if (ret)
		return ret;
	if (stats_empty(&st))
		return ctx_fail(ctx, "the kernel sent no counters");
	stats_print(stdout, &st, ctx->json);
	return 0;
}

static const struct cmd stats_cmds[] = {
	{ NULL, "stats", stats_run },
};

int stats_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, stats_cmds, ARRAY_SIZE(stats_cmds), argc,
			    argv);
}

void stats_usage(FILE *f, bool *first)
{
	cmd_usage(f, stats_cmds, ARRAY_SIZE(stats_cmds), first);
}
