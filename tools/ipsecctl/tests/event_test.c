// SPDX-License-Identifier: GPL-2.0
/*
 * `ipsecctl monitor`: every notification of the "events" group, built by
 * hand as the kernel sends it, printed as text and as JSON; the receive
 * loop with a fake recv() (lost events, interrupted calls, errors); one
 * flush per line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "monitor.h"
#include "nl.h"
#include "unit.h"

#define FAMILY	0x1d

static struct nlmsghdr *ev_start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = FAMILY;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = KIPSEC_GENL_VERSION;
	mnl_attr_put_u32(nlh, KIPSEC_A_MAX + 1, 1);	/* unknown: skipped */
	return nlh;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, s, a) == 1)
		mnl_attr_put(nlh, type, 4, a);
	else if (inet_pton(AF_INET6, s, a) == 1)
		mnl_attr_put(nlh, type, 16, a);
}

static void put_lifetime(struct nlmsghdr *nlh, uint16_t type,
			 uint64_t packets, uint64_t add_seconds)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_BYTES, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_PACKETS, packets);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_ADD_SECONDS, add_seconds);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_USE_SECONDS, 0);
	mnl_attr_nest_end(nlh, nest);
}

/* An SA as SA_GET replies have it (no keys, counters included). */
static void put_sa(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);
	struct nlattr *stats;

	put_addr(nlh, KIPSEC_A_SA_SRC, "10.0.0.1");
	put_addr(nlh, KIPSEC_A_SA_DST, "10.0.0.2");
	mnl_attr_put_u8(nlh, KIPSEC_A_SA_PROTO, IPPROTO_ESP);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0x1001);
	mnl_attr_put_u8(nlh, KIPSEC_A_SA_MODE, KIPSEC_MODE_TRANSPORT);
	mnl_attr_put_strz(nlh, KIPSEC_A_SA_ENC_ALG, "aes-128-gcm");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FLAGS, KIPSEC_SA_F_ESN);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW, 128);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ, 5);
	put_lifetime(nlh, KIPSEC_A_SA_LIFETIME_SOFT, 100, 0);
	put_lifetime(nlh, KIPSEC_A_SA_LIFETIME_HARD, 200, 3600);
	stats = mnl_attr_nest_start(nlh, KIPSEC_A_SA_STATS);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_PACKETS, 100);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_BYTES, 8400);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_REPLAY_DROPS, 1);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_INTEGRITY_FAILURES, 2);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_OTHER_DROPS, 3);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_ADD_TIME, 1700000000);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_USE_TIME, 1700000001);
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_MAX + 1, 1);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
}

/* An AH SA over IPv6 with an HMAC and no lifetimes, no counters. */
static void put_sa6(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);

	put_addr(nlh, KIPSEC_A_SA_SRC, "fd00::1");
	put_addr(nlh, KIPSEC_A_SA_DST, "fd00::2");
	mnl_attr_put_u8(nlh, KIPSEC_A_SA_PROTO, IPPROTO_AH);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0xdeadbeef);
	mnl_attr_put_u8(nlh, KIPSEC_A_SA_MODE, KIPSEC_MODE_TRANSPORT);
	mnl_attr_put_strz(nlh, KIPSEC_A_SA_AUTH_ALG, "hmac-sha2-256");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FLAGS, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW, 64);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ, 0);
	mnl_attr_nest_end(nlh, nest);
}

static void put_tmpl(struct nlmsghdr *nlh, uint8_t proto, uint32_t spi)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_TMPL);

	mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_PROTO, proto);
	if (spi)
		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_SPI, spi);
	mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_MODE, KIPSEC_MODE_TRANSPORT);
	mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_LEVEL, KIPSEC_LEVEL_REQUIRE);
	mnl_attr_nest_end(nlh, nest);
}

/* Policy 7: out, ICMP echo requests to 10.0.0.2, ESP. */
static void put_policy(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY);
	struct nlattr *tmpls;

	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ID, 7);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_OUT);
	put_addr(nlh, KIPSEC_A_POLICY_SRC, "10.0.0.1");
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_SRC_PREFIXLEN, 32);
	put_addr(nlh, KIPSEC_A_POLICY_DST, "10.0.0.0");
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_DST_PREFIXLEN, 24);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_PROTO, IPPROTO_ICMP);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ICMP_TYPE, 8);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ICMP_CODE, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, 0x10000);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	tmpls = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPLS);
	put_tmpl(nlh, IPPROTO_ESP, 0);
	mnl_attr_nest_end(nlh, tmpls);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_MAX + 1, 1);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
}

/* Policy 9: in, TCP with port ranges, an ESP+AH bundle with SPIs. */
static void put_policy_bundle(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY);
	struct nlattr *tmpls;

	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ID, 9);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_IN);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, KIPSEC_A_POLICY_SPORT_MIN, 1000);
	mnl_attr_put_u16(nlh, KIPSEC_A_POLICY_SPORT_MAX, 2000);
	mnl_attr_put_u16(nlh, KIPSEC_A_POLICY_DPORT_MIN, 22);
	mnl_attr_put_u16(nlh, KIPSEC_A_POLICY_DPORT_MAX, 22);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, 5);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	tmpls = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPLS);
	put_tmpl(nlh, IPPROTO_ESP, 0x1001);
	put_tmpl(nlh, IPPROTO_AH, 0x2001);
	mnl_attr_nest_end(nlh, tmpls);
	mnl_attr_nest_end(nlh, nest);
}

/* Policy 3: out, discard everything. */
static void put_policy_discard(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY);

	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ID, 3);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_OUT);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, 0x10000);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_DISCARD);
	mnl_attr_nest_end(nlh, nest);
}

static void put_expire(struct nlmsghdr *nlh, int hard, int limit)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_EXPIRE);

	if (hard >= 0)
		mnl_attr_put_u8(nlh, KIPSEC_A_EXPIRE_HARD, hard);
	if (limit >= 0)
		mnl_attr_put_u8(nlh, KIPSEC_A_EXPIRE_LIMIT, limit);
	mnl_attr_put_u8(nlh, KIPSEC_A_EXPIRE_MAX + 1, 1);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
}

/* Optional { PROTO } or { DIR } filter of a flush, then the count. */
static void put_flush(struct nlmsghdr *nlh, uint16_t obj, uint16_t attr,
		      int val, int count)
{
	struct nlattr *nest;

	if (val >= 0) {
		nest = mnl_attr_nest_start(nlh, obj);
		mnl_attr_put_u8(nlh, attr, val);
		mnl_attr_nest_end(nlh, nest);
	}
	if (count >= 0)
		mnl_attr_put_u32(nlh, KIPSEC_A_FLUSH_COUNT, count);
}

static void put_config(struct nlmsghdr *nlh, uint8_t din, uint8_t dout,
		       uint8_t esp, uint8_t ah)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_CONFIG);

	mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_DEFAULT_IN, din);
	mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_DEFAULT_OUT, dout);
	mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_ESP, esp);
	mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_AH, ah);
	mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_MAX + 1, 1);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
}

/* ICMP echo from 10.0.0.1 to 10.0.0.2 under policy 7, no ESP SA. */
static void put_acquire_icmp(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_ACQUIRE);

	mnl_attr_put_u32(nlh, KIPSEC_A_ACQUIRE_POLICY_ID, 7);
	put_addr(nlh, KIPSEC_A_ACQUIRE_SRC, "10.0.0.1");
	put_addr(nlh, KIPSEC_A_ACQUIRE_DST, "10.0.0.2");
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_PROTO, IPPROTO_ICMP);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_ICMP_TYPE, 8);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_ICMP_CODE, 0);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_TMPL_PROTO, IPPROTO_ESP);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_TMPL_MODE, KIPSEC_MODE_TRANSPORT);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_MAX + 1, 1);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
}

/* TCP over IPv6 under policy 9, the AH template (which names its SPI). */
static void put_acquire_tcp6(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_ACQUIRE);

	mnl_attr_put_u32(nlh, KIPSEC_A_ACQUIRE_POLICY_ID, 9);
	put_addr(nlh, KIPSEC_A_ACQUIRE_SRC, "fd00::1");
	put_addr(nlh, KIPSEC_A_ACQUIRE_DST, "fd00::2");
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, KIPSEC_A_ACQUIRE_SPORT, 40000);
	mnl_attr_put_u16(nlh, KIPSEC_A_ACQUIRE_DPORT, 22);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_TMPL_PROTO, IPPROTO_AH);
	mnl_attr_put_u8(nlh, KIPSEC_A_ACQUIRE_TMPL_MODE, KIPSEC_MODE_TRANSPORT);
	mnl_attr_put_u32(nlh, KIPSEC_A_ACQUIRE_TMPL_SPI, 0x2001);
	mnl_attr_nest_end(nlh, nest);
}

enum build {
	B_SA,
	B_SA6,
	B_POLICY,
	B_POLICY_BUNDLE,
	B_POLICY_DISCARD,
	B_EXPIRE_SOFT_PACKETS,
	B_EXPIRE_HARD_ADD,
	B_EXPIRE_HARD_SEQ,
	B_EXPIRE_HARD_UNKNOWN,
	B_EXPIRE_BYTES,
	B_EXPIRE_USE,
	B_SA_FLUSH_ESP,
	B_SA_FLUSH_ALL,
	B_POLICY_FLUSH_IN,
	B_POLICY_FLUSH_ALL,
	B_CONFIG,
	B_CONFIG_OFF,
	B_ACQUIRE_ICMP,
	B_ACQUIRE_TCP6,
	B_NONE,
};

static struct nlmsghdr *build(void *buf, uint8_t cmd, enum build b)
{
	struct nlmsghdr *nlh = ev_start(buf, cmd);

	switch (b) {
	case B_SA:
		put_sa(nlh);
		break;
	case B_SA6:
		put_sa6(nlh);
		break;
	case B_POLICY:
		put_policy(nlh);
		break;
	case B_POLICY_BUNDLE:
		put_policy_bundle(nlh);
		break;
	case B_POLICY_DISCARD:
		put_policy_discard(nlh);
		break;
	case B_EXPIRE_SOFT_PACKETS:
		put_sa(nlh);
		put_expire(nlh, 0, KIPSEC_EXPIRE_LIMIT_PACKETS);
		break;
	case B_EXPIRE_HARD_ADD:
		put_sa(nlh);
		put_expire(nlh, 1, KIPSEC_EXPIRE_LIMIT_ADD_SECONDS);
		break;
	case B_EXPIRE_HARD_SEQ:
		put_sa6(nlh);
		put_expire(nlh, 1, KIPSEC_EXPIRE_LIMIT_SEQ);
		break;
	case B_EXPIRE_HARD_UNKNOWN:
		put_sa6(nlh);
		put_expire(nlh, 1, 77);
		break;
	case B_EXPIRE_BYTES:
		put_sa6(nlh);
		put_expire(nlh, 0, KIPSEC_EXPIRE_LIMIT_BYTES);
		break;
	case B_EXPIRE_USE:
		put_sa6(nlh);
		put_expire(nlh, 1, KIPSEC_EXPIRE_LIMIT_USE_SECONDS);
		break;
	case B_SA_FLUSH_ESP:
		put_flush(nlh, KIPSEC_A_SA, KIPSEC_A_SA_PROTO, IPPROTO_ESP, 3);
		break;
	case B_SA_FLUSH_ALL:
		put_flush(nlh, KIPSEC_A_SA, KIPSEC_A_SA_PROTO, -1, 0);
		break;
	case B_POLICY_FLUSH_IN:
		put_flush(nlh, KIPSEC_A_POLICY, KIPSEC_A_POLICY_DIR,
			  KIPSEC_DIR_IN, 2);
		break;
	case B_POLICY_FLUSH_ALL:
		put_flush(nlh, KIPSEC_A_POLICY, KIPSEC_A_POLICY_DIR, -1, 12);
		break;
	case B_CONFIG:
		put_config(nlh, KIPSEC_ACTION_DISCARD, KIPSEC_ACTION_BYPASS, 1,
			   1);
		break;
	case B_CONFIG_OFF:
		put_config(nlh, KIPSEC_ACTION_BYPASS, KIPSEC_ACTION_DISCARD, 0,
			   0);
		break;
	case B_ACQUIRE_ICMP:
		put_acquire_icmp(nlh);
		break;
	case B_ACQUIRE_TCP6:
		put_acquire_tcp6(nlh);
		break;
	case B_NONE:
		break;
	}
	return nlh;
}

/* The SAs put_sa() and put_sa6() build, as `sa_words` and `sa_json` say. */
#define SA4_TEXT \
	"src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001001 mode transport " \
	"enc aes-128-gcm esn replay-window 128 seq 5 soft packets 100 " \
	"hard packets 200 hard add-seconds 3600 stats packets 100 bytes 8400"
#define SA6_TEXT \
	"src fd00::1 dst fd00::2 proto ah spi 0xdeadbeef mode transport " \
	"auth hmac-sha2-256 replay-window 64 seq 0"
#define SA4_JSON \
	"{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"proto\":\"esp\"," \
	"\"spi\":4097,\"mode\":\"transport\",\"enc\":\"aes-128-gcm\"," \
	"\"no_integrity\":false,\"esn\":true,\"replay_window\":128,\"seq\":5," \
	"\"lifetime\":{\"soft\":{\"bytes\":0,\"packets\":100," \
	"\"add_seconds\":0,\"use_seconds\":0},\"hard\":{\"bytes\":0," \
	"\"packets\":200,\"add_seconds\":3600,\"use_seconds\":0}}," \
	"\"stats\":{\"packets\":100,\"bytes\":8400,\"replay_drops\":1," \
	"\"integrity_failures\":2,\"other_drops\":3,\"add_time\":1700000000," \
	"\"use_time\":1700000001}}"
#define SA6_JSON \
	"{\"src\":\"fd00::1\",\"dst\":\"fd00::2\",\"proto\":\"ah\"," \
	"\"spi\":3735928559,\"mode\":\"transport\"," \
	"\"auth\":\"hmac-sha2-256\",\"no_integrity\":false,\"esn\":false," \
	"\"replay_window\":64,\"seq\":0,\"lifetime\":{\"soft\":{\"bytes\":0," \
	"\"packets\":0,\"add_seconds\":0,\"use_seconds\":0}," \
	"\"hard\":{\"bytes\":0,\"packets\":0,\"add_seconds\":0," \
	"\"use_seconds\":0}}}"

/* Every kind of event: the message as built, its line in text and JSON. */
static const struct event_case {
	const char *name;
	uint8_t cmd;
	enum build build;
	const char *text;
	const char *json;
} event_cases[] = {
	{ "sa-add", KIPSEC_CMD_SA_ADD, B_SA,
	  "sa add " SA4_TEXT "\n",
	  "{\"event\":\"sa-add\",\"sa\":" SA4_JSON "}\n" },
	{ "sa-update ipv6", KIPSEC_CMD_SA_UPDATE, B_SA6,
	  "sa update " SA6_TEXT "\n",
	  "{\"event\":\"sa-update\",\"sa\":" SA6_JSON "}\n" },
	{ "sa-del", KIPSEC_CMD_SA_DEL, B_SA,
	  "sa del " SA4_TEXT "\n",
	  "{\"event\":\"sa-del\",\"sa\":" SA4_JSON "}\n" },
	{ "sa-expire soft packets", KIPSEC_CMD_SA_EXPIRE, B_EXPIRE_SOFT_PACKETS,
	  "sa expire soft packets " SA4_TEXT "\n",
	  "{\"event\":\"sa-expire\",\"hard\":false,\"limit\":\"packets\",\"sa\":" SA4_JSON "}\n" },
	{ "sa-expire hard add-seconds", KIPSEC_CMD_SA_EXPIRE, B_EXPIRE_HARD_ADD,
	  "sa expire hard add-seconds " SA4_TEXT "\n",
	  "{\"event\":\"sa-expire\",\"hard\":true,\"limit\":\"add_seconds\",\"sa\":" SA4_JSON "}\n" },
	{ "sa-expire hard seq", KIPSEC_CMD_SA_EXPIRE, B_EXPIRE_HARD_SEQ,
	  "sa expire hard seq " SA6_TEXT "\n",
	  "{\"event\":\"sa-expire\",\"hard\":true,\"limit\":\"seq\",\"sa\":"
	  SA6_JSON "}\n" },
	{ "sa-expire unknown limit", KIPSEC_CMD_SA_EXPIRE, B_EXPIRE_HARD_UNKNOWN,
	  "sa expire hard 77 " SA6_TEXT "\n",
	  "{\"event\":\"sa-expire\",\"hard\":true,\"limit\":77,\"sa\":" SA6_JSON
	  "}\n" },
	{ "sa-expire soft bytes", KIPSEC_CMD_SA_EXPIRE, B_EXPIRE_BYTES,
	  "sa expire soft bytes " SA6_TEXT "\n",
	  "{\"event\":\"sa-expire\",\"hard\":false,\"limit\":\"bytes\",\"sa\":" SA6_JSON "}\n" },
	{ "sa-expire hard use-seconds", KIPSEC_CMD_SA_EXPIRE, B_EXPIRE_USE,
	  "sa expire hard use-seconds " SA6_TEXT "\n",
	  "{\"event\":\"sa-expire\",\"hard\":true,\"limit\":\"use_seconds\",\"sa\":" SA6_JSON "}\n" },
	{ "sa-flush esp", KIPSEC_CMD_SA_FLUSH, B_SA_FLUSH_ESP,
	  "sa flush proto esp count 3\n",
	  "{\"event\":\"sa-flush\",\"proto\":\"esp\",\"count\":3}\n" },
	{ "sa-flush all", KIPSEC_CMD_SA_FLUSH, B_SA_FLUSH_ALL,
	  "sa flush count 0\n",
	  "{\"event\":\"sa-flush\",\"count\":0}\n" },
	{ "policy-add", KIPSEC_CMD_POLICY_ADD, B_POLICY,
	  "policy add id 7 dir out priority 65536 src 10.0.0.1/32 dst 10.0.0.0/24 proto icmp type 8 code 0 action protect esp mode transport level require\n",
	  "{\"event\":\"policy-add\",\"policy\":{\"id\":7,\"dir\":\"out\",\"priority\":65536,\"src\":\"10.0.0.1/32\",\"dst\":\"10.0.0.0/24\",\"proto\":1,\"icmp_type\":8,\"icmp_code\":0,\"action\":\"protect\",\"templates\":[{\"proto\":\"esp\",\"mode\":\"transport\",\"level\":\"require\"}]}}\n" },
	{ "policy-update bundle", KIPSEC_CMD_POLICY_UPDATE, B_POLICY_BUNDLE,
	  "policy update id 9 dir in priority 5 proto tcp sport 1000-2000 dport 22 action protect esp spi 0x00001001 mode transport level require ah spi 0x00002001 mode transport level require\n",
	  "{\"event\":\"policy-update\",\"policy\":{\"id\":9,\"dir\":\"in\",\"priority\":5,\"proto\":6,\"sport\":[1000,2000],\"dport\":[22,22],\"action\":\"protect\",\"templates\":[{\"proto\":\"esp\",\"spi\":4097,\"mode\":\"transport\",\"level\":\"require\"},{\"proto\":\"ah\",\"spi\":8193,\"mode\":\"transport\",\"level\":\"require\"}]}}\n" },
	{ "policy-del", KIPSEC_CMD_POLICY_DEL, B_POLICY_DISCARD,
	  "policy del id 3 dir out priority 65536 action discard\n",
	  "{\"event\":\"policy-del\",\"policy\":{\"id\":3,\"dir\":\"out\",\"priority\":65536,\"action\":\"discard\"}}\n" },
	{ "policy-flush in", KIPSEC_CMD_POLICY_FLUSH, B_POLICY_FLUSH_IN,
	  "policy flush dir in count 2\n",
	  "{\"event\":\"policy-flush\",\"dir\":\"in\",\"count\":2}\n" },
	{ "policy-flush all", KIPSEC_CMD_POLICY_FLUSH, B_POLICY_FLUSH_ALL,
	  "policy flush count 12\n",
	  "{\"event\":\"policy-flush\",\"count\":12}\n" },
	{ "config", KIPSEC_CMD_SET_CONFIG, B_CONFIG,
	  "config default-in discard default-out bypass esp on ah on\n",
	  "{\"event\":\"config\",\"default_in\":\"discard\",\"default_out\":\"bypass\",\"esp\":true,\"ah\":true}\n" },
	{ "config off", KIPSEC_CMD_SET_CONFIG, B_CONFIG_OFF,
	  "config default-in bypass default-out discard esp off ah off\n",
	  "{\"event\":\"config\",\"default_in\":\"bypass\",\"default_out\":\"discard\",\"esp\":false,\"ah\":false}\n" },
	{ "acquire icmp", KIPSEC_CMD_ACQUIRE, B_ACQUIRE_ICMP,
	  "acquire policy 7 src 10.0.0.1 dst 10.0.0.2 proto icmp type 8 code 0 tmpl esp mode transport\n",
	  "{\"event\":\"acquire\",\"policy_id\":7,\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"proto\":1,\"icmp_type\":8,\"icmp_code\":0,\"template\":{\"proto\":\"esp\",\"mode\":\"transport\"}}\n" },
	{ "acquire tcp ipv6", KIPSEC_CMD_ACQUIRE, B_ACQUIRE_TCP6,
	  "acquire policy 9 src fd00::1 dst fd00::2 proto tcp sport 40000 dport 22 tmpl ah spi 0x00002001 mode transport\n",
	  "{\"event\":\"acquire\",\"policy_id\":9,\"src\":\"fd00::1\",\"dst\":\"fd00::2\",\"proto\":6,\"sport\":40000,\"dport\":22,\"template\":{\"proto\":\"ah\",\"spi\":8193,\"mode\":\"transport\"}}\n" },
	/* a command of a newer kernel: its number, and monitoring goes on */
	{ "unknown", 200, B_NONE, "unknown command 200\n",
	  "{\"event\":\"unknown\",\"cmd\":200}\n" },
};

static void event_case(const struct event_case *c)
{
	char buf[4096], *out = NULL;
	struct nlmsghdr *nlh = build(buf, c->cmd, c->build);
	int ret = 0;

	T_CAPTURE(out, ret = event_print(f, nlh, false));
	t_check(!ret && !strcmp(out, c->text), "event text",
		"%s: ret %d, got:\n%s", c->name, ret, out);
	free(out);
	T_CAPTURE(out, ret = event_print(f, nlh, true));
	t_check(!ret && !strcmp(out, c->json), "event json",
		"%s: ret %d, got:\n%s", c->name, ret, out);
	free(out);
}

/* Refused whole: nothing at all is printed, not even half a line. */
static void malformed_test(const char *name, struct nlmsghdr *nlh)
{
	char *out = NULL;
	int ret = 0;

	T_CAPTURE(out, ret = event_print(f, nlh, false));
	t_check(ret == -1 && !*out, "event malformed", "%s: ret %d, '%s'",
		name, ret, out);
	free(out);
	T_CAPTURE(out, ret = event_print(f, nlh, true));
	t_check(ret == -1 && !*out, "event malformed", "%s json: ret %d, '%s'",
		name, ret, out);
	free(out);
}

static void malformed_tests(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char buf[4096];

	malformed_test("sa-add without SA",
		       build(buf, KIPSEC_CMD_SA_ADD, B_NONE));
	malformed_test("sa-expire without EXPIRE",
		       build(buf, KIPSEC_CMD_SA_EXPIRE, B_SA));
	malformed_test("sa-expire without SA",
		       build(buf, KIPSEC_CMD_SA_EXPIRE, B_NONE));
	malformed_test("policy-del without POLICY",
		       build(buf, KIPSEC_CMD_POLICY_DEL, B_NONE));
	malformed_test("config without CONFIG",
		       build(buf, KIPSEC_CMD_SET_CONFIG, B_NONE));
	malformed_test("acquire without ACQUIRE",
		       build(buf, KIPSEC_CMD_ACQUIRE, B_NONE));

	nlh = ev_start(buf, KIPSEC_CMD_SA_DEL);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);
	mnl_attr_put_u16(nlh, KIPSEC_A_SA_SPI, 300);	/* u32 expected */
	mnl_attr_nest_end(nlh, nest);
	malformed_test("sa-del with a short SPI", nlh);

	nlh = ev_start(buf, KIPSEC_CMD_ACQUIRE);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_ACQUIRE);
	mnl_attr_put(nlh, KIPSEC_A_ACQUIRE_SRC, 5, "\1\2\3\4\5");
	mnl_attr_nest_end(nlh, nest);
	malformed_test("acquire with a 5-byte address", nlh);

	nlh = ev_start(buf, KIPSEC_CMD_SA_FLUSH);
	mnl_attr_put_u8(nlh, KIPSEC_A_FLUSH_COUNT, 3);	/* u32 expected */
	malformed_test("sa-flush with a short count", nlh);

	nlh = ev_start(buf, KIPSEC_CMD_SA_FLUSH);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);
	mnl_attr_put(nlh, KIPSEC_A_SA_PROTO, 0, NULL);	/* empty u8 */
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, KIPSEC_A_FLUSH_COUNT, 3);
	malformed_test("sa-flush with a bad filter", nlh);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	malformed_test("no genl header", nlh);
}

/* What a recv() returns, in order; the last step stops the loop. */
struct step {
	const void *buf;	/* NULL: fail with @err */
	size_t len;
	int err;
};

struct script {
	const struct step *steps;
	size_t n, i;
};

static ssize_t fake_recv(void *src, void *buf, size_t size)
{
	struct script *s = src;
	const struct step *st;

	if (s->i == s->n)
		return 0;
	st = &s->steps[s->i++];
	if (!st->buf) {
		errno = st->err;
		return -1;
	}
	if (st->len > size) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, st->buf, st->len);
	return st->len;
}

/* Messages one after the other in @buf, as one datagram holds them. */
static size_t datagram(char *buf, const uint8_t *cmds, const enum build *b,
		       size_t n)
{
	struct nlmsghdr *nlh;
	size_t len = 0, i;

	for (i = 0; i < n; i++) {
		nlh = build(buf + len, cmds[i], b[i]);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return len;
}

/* An error message of another type in the stream: not an event. */
static size_t not_ours(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -EPERM;
	return nlh->nlmsg_len;
}

static void loop_test(bool json, const char *want)
{
	static const uint8_t cmds1[] = { KIPSEC_CMD_SA_FLUSH,
					 KIPSEC_CMD_POLICY_FLUSH };
	static const enum build b1[] = { B_SA_FLUSH_ESP, B_POLICY_FLUSH_IN };
	static const uint8_t cmds3[] = { KIPSEC_CMD_SA_ADD,
					 KIPSEC_CMD_SET_CONFIG };
	static const enum build b3[] = { B_NONE, B_CONFIG };
	char d1[1024], d2[256], d3[1024], rbuf[4096], *out = NULL, *warn = NULL;
	size_t warn_len;
	struct monitor m = { .json = json, .family = FAMILY };
	const struct step steps[] = {
		{ d1, datagram(d1, cmds1, b1, 2), 0 },
		{ NULL, 0, ENOBUFS },
		{ d2, not_ours(d2), 0 },
		{ NULL, 0, EINTR },
		/* a malformed sa-add, then a good config */
		{ d3, datagram(d3, cmds3, b3, 2), 0 },
		{ NULL, 0, ENOBUFS },
	};
	struct script s = { steps, ARRAY_SIZE(steps), 0 };
	struct nl_err e;
	int ret = 0;

	m.warn = open_memstream(&warn, &warn_len);
	T_CAPTURE(out, (m.out = f, ret = monitor_loop(&m, fake_recv, &s, rbuf,
						       sizeof(rbuf), &e)));
	fclose(m.warn);
	t_check(!ret && !strcmp(out, want) && m.lost == 2 &&
		m.malformed == 1 && m.events == 5 && s.i == s.n &&
		!strcmp(warn, "ipsecctl: monitor: a malformed event (command 2) was ignored\n"),
		"monitor loop",
		"%s: ret %d lost %lu malformed %lu events %lu, warned '%s', got:\n%s",
		json ? "json" : "text", ret, m.lost, m.malformed, m.events,
		warn, out);
	free(out);
	free(warn);
}

static void loop_error_test(void)
{
	static const struct step steps[] = {
		{ NULL, 0, ENOBUFS },
		{ NULL, 0, EBADF },
		{ NULL, 0, ENOBUFS },	/* never reached */
	};
	struct script s = { steps, ARRAY_SIZE(steps), 0 };
	struct monitor m = { .family = FAMILY };
	char rbuf[256], *out = NULL;
	struct nl_err e;
	int ret = 0;

	T_CAPTURE(out, (m.out = f, ret = monitor_loop(&m, fake_recv, &s, rbuf,
						       sizeof(rbuf), &e)));
	t_check(ret == -1 && e.err == EBADF && s.i == 2 &&
		!strcmp(e.msg, "netlink receive: Bad file descriptor") &&
		!strcmp(out, "events lost\n"), "monitor loop",
		"error: ret %d err %d '%s' step %zu, got '%s'", ret, e.err,
		e.msg, s.i, out);
	free(out);
}

/* What is in the pipe now, without waiting. */
static const char *pipe_now(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * A pipe is fully buffered by stdio: each line must be in the pipe as soon
 * as its event is handled, not when the buffer fills or the program ends.
 */
static void flush_test(void)
{
	static const struct step lost[] = { { NULL, 0, ENOBUFS } };
	static const uint8_t cmd[] = { KIPSEC_CMD_POLICY_FLUSH };
	static const enum build b[] = { B_POLICY_FLUSH_ALL };
	struct script s = { lost, ARRAY_SIZE(lost), 0 };
	struct monitor m = { .family = FAMILY };
	char buf[1024], got[256];
	struct nl_err e;
	size_t len;
	int fds[2];
	int ret;

	if (!t_check(!pipe(fds), "monitor flush", "pipe: %s", strerror(errno)))
		return;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	m.out = fdopen(fds[1], "w");
	if (!t_check(m.out, "monitor flush", "fdopen: %s", strerror(errno)))
		goto cleanup;
	len = datagram(buf, cmd, b, 1);
	ret = monitor_datagram(&m, buf, len);
	pipe_now(fds[0], got, sizeof(got));
	t_check(!ret && !strcmp(got, "policy flush count 12\n"),
		"monitor flush", "event: ret %d, read '%s'", ret, got);
	m.json = true;
	ret = monitor_loop(&m, fake_recv, &s, buf, sizeof(buf), &e);
	pipe_now(fds[0], got, sizeof(got));
	t_check(!ret && !strcmp(got, "{\"event\":\"lost\"}\n"),
		"monitor flush", "lost: ret %d, read '%s'", ret, got);
	fclose(m.out);
	fds[1] = -1;
cleanup:
	if (fds[1] >= 0)
		close(fds[1]);
	close(fds[0]);
}

/*
 * The real source over a datagram socketpair: datagrams queued before the
 * signal are all printed, then the loop ends (exit 0); without a signal,
 * each datagram comes as it is sent.
 */
static void sock_recv_test(void)
{
	static const uint8_t cmds[] = { KIPSEC_CMD_SA_FLUSH,
					KIPSEC_CMD_POLICY_FLUSH };
	static const enum build b[] = { B_SA_FLUSH_ESP, B_POLICY_FLUSH_IN };
	struct monitor m = { .family = FAMILY };
	struct monitor_src src = { .sig = -1 };
	char d[2][512], rbuf[4096], *out = NULL;
	int sv[2] = { -1, -1 }, sig[2] = { -1, -1 };
	size_t len[2];
	struct nl_err e;
	int ret = -1;

	if (!t_check(!socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) && !pipe(sig),
		     "monitor sock", "%s", strerror(errno)))
		goto cleanup;
	len[0] = datagram(d[0], &cmds[0], &b[0], 1);
	len[1] = datagram(d[1], &cmds[1], &b[1], 1);
	src.sock = sv[0];
	src.sig = sig[0];
	if (write(sv[1], d[0], len[0]) < 0 || write(sv[1], d[1], len[1]) < 0 ||
	    write(sig[1], "", 1) < 0)
		goto cleanup;
	T_CAPTURE(out, (m.out = f,
			ret = monitor_loop(&m, monitor_sock_recv, &src, rbuf,
					   sizeof(rbuf), &e)));
	t_check(!ret && src.stopping && m.events == 2 &&
		!strcmp(out, "sa flush proto esp count 3\npolicy flush dir in count 2\n"),
		"monitor sock", "ret %d stopping %d events %lu, got '%s'", ret,
		src.stopping, m.events, out);
cleanup:
	free(out);
	close(sv[0]);
	close(sv[1]);
	close(sig[0]);
	close(sig[1]);
}

void event_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(event_cases); i++)
		event_case(&event_cases[i]);
	malformed_tests();
	loop_test(false,
		  "sa flush proto esp count 3\n"
		  "policy flush dir in count 2\n"
		  "events lost\n"
		  "config default-in discard default-out bypass esp on ah on\n"
		  "events lost\n");
	loop_test(true,
		  "{\"event\":\"sa-flush\",\"proto\":\"esp\",\"count\":3}\n"
		  "{\"event\":\"policy-flush\",\"dir\":\"in\",\"count\":2}\n"
		  "{\"event\":\"lost\"}\n"
		  "{\"event\":\"config\",\"default_in\":\"discard\",\"default_out\":\"bypass\",\"esp\":true,\"ah\":true}\n"
		  "{\"event\":\"lost\"}\n");
	loop_error_test();
	flush_test();
	sock_recv_test();
}
