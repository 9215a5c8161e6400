// SPDX-License-Identifier: GPL-2.0
/* The KIPSEC_CMD_GET_STATS reply and `stats` output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "args.h"
#include "stats.h"
#include "unit.h"

/* A value per counter that no other counter has, one beyond 32 bits. */
static uint64_t value_of(uint16_t attr)
{
	if (attr == KIPSEC_A_STATS_IN_BYTES)
		return 18446744073709551615ULL;
	return attr * 1000ULL + 7;
}

static struct nlmsghdr *reply_start(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_u32(nlh, KIPSEC_A_MAX + 1, 1);	/* unknown */
	return nlh;
}

/*
 * Every counter but @skip (0: none), in the kernel's order, the first one
 * after a PAD as nla_put_u64_64bit() puts it where u64s must be aligned.
 */
static struct nlmsghdr *reply(char *buf, uint16_t skip)
{
	struct nlmsghdr *nlh = reply_start(buf);
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_STATS);
	uint16_t attr;

	mnl_attr_put(nlh, KIPSEC_A_STATS_PAD, 0, NULL);
	for (attr = KIPSEC_A_STATS_IN_PACKETS; attr <= KIPSEC_A_STATS_MAX;
	     attr++)
		if (attr != skip)
			mnl_attr_put_u64(nlh, attr, value_of(attr));
	mnl_attr_put_u64(nlh, KIPSEC_A_STATS_MAX + 1, 99);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

#define ALL_TEXT \
	"in-packets 2007\n" \
	"in-bytes 18446744073709551615\n" \
	"in-no-sa 6007\n" \
	"in-replay 7007\n" \
	"in-icv-fail 8007\n" \
	"in-bad-padding 9007\n" \
	"in-bad-length 10007\n" \
	"in-policy-mismatch 11007\n" \
	"in-cleartext 12007\n" \
	"in-policy-discard 13007\n" \
	"in-sa-unusable 14007\n" \
	"out-packets 4007\n" \
	"out-bytes 5007\n" \
	"out-no-sa 15007\n" \
	"out-seq-exhausted 16007\n" \
	"out-policy-discard 17007\n" \
	"out-too-big 18007\n" \
	"out-bad-packet 19007\n" \
	"no-memory 20007\n" \
	"crypto-error 21007\n" \
	"in-default-discard 22007\n" \
	"out-default-discard 23007\n" \
	"in-proto-disabled 24007\n" \
	"out-proto-disabled 25007\n" \
	"out-sa-expired 26007\n"

#define ALL_JSON \
	"{\"in_packets\":2007,\"in_bytes\":18446744073709551615," \
	"\"in_no_sa\":6007,\"in_replay\":7007,\"in_icv_fail\":8007," \
	"\"in_bad_padding\":9007,\"in_bad_length\":10007," \
	"\"in_policy_mismatch\":11007,\"in_cleartext\":12007," \
	"\"in_policy_discard\":13007,\"in_sa_unusable\":14007," \
	"\"out_packets\":4007,\"out_bytes\":5007,\"out_no_sa\":15007," \
	"\"out_seq_exhausted\":16007,\"out_policy_discard\":17007," \
	"\"out_too_big\":18007,\"out_bad_packet\":19007," \
	"\"no_memory\":20007,\"crypto_error\":21007," \
	"\"in_default_discard\":22007,\"out_default_discard\":23007," \
	"\"in_proto_disabled\":24007,\"out_proto_disabled\":25007," \
	"\"out_sa_expired\":26007}\n"

/* Each counter of the uapi named once; the JSON key is the name with '_'. */
static void names_test(void)
{
	unsigned int seen[KIPSEC_A_STATS_MAX + 1] = { 0 };
	const struct stats_counter *c;
	char json[64];
	size_t i, k;

	for (i = 0; i < STATS_N; i++) {
		c = &stats_counters[i];
		if (!t_check(c->name && c->json, "stats names",
			     "entry %zu has no name", i))
			continue;
		if (c->attr <= KIPSEC_A_STATS_MAX)
			seen[c->attr]++;
		snprintf(json, sizeof(json), "%s", c->name);
		for (k = 0; json[k]; k++)
			if (json[k] == '-')
				json[k] = '_';
		t_check(!strcmp(json, c->json) && c->name[0] != '-' &&
			strspn(c->name, "abcdefghijklmnopqrstuvwxyz-") ==
			strlen(c->name), "stats names", "'%s' / '%s'",
			c->name, c->json);
	}
	for (k = KIPSEC_A_STATS_IN_PACKETS; k <= KIPSEC_A_STATS_MAX; k++)
		t_check(seen[k] == 1, "stats names",
			"attribute %zu named %u times", k, seen[k]);
}

static void print_tests(void)
{
	char buf[4096], *out = NULL;
	struct stats st;
	int ret;

	ret = stats_from_msg(reply(buf, 0), &st);
	if (!t_check(!ret, "stats_from_msg", "got %d (errno %d)", ret, errno))
		return;
	T_CAPTURE(out, stats_print(f, &st, false));
	t_check(!strcmp(out, ALL_TEXT), "stats text", "got:\n%s", out);
	free(out);
	T_CAPTURE(out, stats_print(f, &st, true));
	t_check(!strcmp(out, ALL_JSON), "stats json", "got %s", out);
	free(out);

	/* an older kernel without a counter: left out, not shown as 0 */
	ret = stats_from_msg(reply(buf, KIPSEC_A_STATS_IN_NO_SA), &st);
	if (!t_check(!ret, "stats_from_msg", "partial: got %d", ret))
		return;
	T_CAPTURE(out, stats_print(f, &st, false));
	t_check(!strstr(out, "in-no-sa") &&
		strstr(out, "in-bytes 18446744073709551615\nin-replay 7007\n"),
		"stats text", "partial:\n%s", out);
	free(out);
	T_CAPTURE(out, stats_print(f, &st, true));
	t_check(!strstr(out, "in_no_sa") &&
		strstr(out, "\"in_bytes\":18446744073709551615,\"in_replay\":"),
		"stats json", "partial: %s", out);
	free(out);
}

static void malformed_tests(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char buf[4096];
	struct stats st;
	int ret;

	/* a u32 where a u64 belongs */
	nlh = reply_start(buf);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_STATS);
	mnl_attr_put_u32(nlh, KIPSEC_A_STATS_OUT_NO_SA, 1);
	mnl_attr_nest_end(nlh, nest);
	errno = 0;
	ret = stats_from_msg(nlh, &st);
	t_check(ret && errno == EPROTO, "stats_from_msg",
		"a short counter must be refused");

	/* no KIPSEC_A_STATS at all */
	nlh = reply_start(buf);
	errno = 0;
	ret = stats_from_msg(nlh, &st);
	t_check(ret && errno == EPROTO, "stats_from_msg",
		"a reply without counters must be refused");

	/* KIPSEC_A_STATS that is not a nest */
	nlh = reply_start(buf);
	mnl_attr_put_u8(nlh, KIPSEC_A_STATS, 1);
	errno = 0;
	ret = stats_from_msg(nlh, &st);
	t_check(ret && errno == EPROTO, "stats_from_msg",
		"a stats attribute that is no nest must be refused");
}

void stats_tests(void)
{
	names_test();
	print_tests();
	malformed_tests();
}
