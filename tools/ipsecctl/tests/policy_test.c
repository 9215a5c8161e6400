// SPDX-License-Identifier: GPL-2.0
/*
 * The policy grammar, word by word and error by error; policies on the
 * wire and in output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "policy.h"
#include "policy_print.h"
#include "unit.h"

#define OUT	"dir out "
#define PROTECT	"action protect"

/* The JSON of templates, the last key of a policy */
#define TJ(proto, spi, mode, level) \
	"{\"proto\":\"" #proto "\"," spi "\"mode\":\"" #mode "\"," \
	"\"level\":\"" #level "\"}"
#define TSPI(n)		"\"spi\":" #n ","
#define TMPLS1(t)	"\"templates\":[" t "]}"
#define TMPLS2(t1, t2)	"\"templates\":[" t1 "," t2 "]}"

/* @want as in sa_test.c: JSON pieces, or a piece of the error message. */
static const struct policy_case {
	enum policy_cmd cmd;
	const char *args;
	int status;
	const char *want;
} policy_cases[] = {
	/* every word of add */
	{ POLICY_CMD_ADD, "dir out action bypass", 0,
	  "{\"dir\":\"out\",\"action\":\"bypass\"}" },
	{ POLICY_CMD_ADD, "action discard dir in", 0,
	  "{\"dir\":\"in\",\"action\":\"discard\"}" },
	{ POLICY_CMD_ADD, OUT "src 10.0.0.0/24 dst 10.0.1.0/24 " PROTECT, 0,
	  "{\"dir\":\"out\",\"src\":\"10.0.0.0/24\",\"dst\":\"10.0.1.0/24\","
	  "\"action\":\"protect\",\"templates\":[{\"proto\":\"esp\","
	  "\"mode\":\"transport\",\"level\":\"require\"}]}" },
	{ POLICY_CMD_ADD, OUT "src 10.0.0.1 action bypass", 0,
	  "\"src\":\"10.0.0.1/32\" !\"dst\"" },
	{ POLICY_CMD_ADD, OUT "dst 0.0.0.0/0 action bypass", 0,
	  "\"dst\":\"0.0.0.0/0\" !\"src\"" },
	{ POLICY_CMD_ADD, OUT "src fd00::/64 dst fd00::2 action bypass", 0,
	  "\"src\":\"fd00::/64\" \"dst\":\"fd00::2/128\"" },
	{ POLICY_CMD_ADD, OUT "proto tcp sport 1000-2000 dport 22 action bypass",
	  0, "\"proto\":6 \"sport\":[1000,2000] \"dport\":[22,22]" },
	{ POLICY_CMD_ADD, OUT "proto udp dport 0-65535 action bypass", 0,
	  "\"proto\":17 \"dport\":[0,65535] !\"sport\"" },
	{ POLICY_CMD_ADD, OUT "proto sctp sport 5 action bypass", 0,
	  "\"proto\":132 \"sport\":[5,5]" },
	{ POLICY_CMD_ADD, OUT "proto udplite sport 5 action bypass", 0,
	  "\"proto\":136" },
	{ POLICY_CMD_ADD, OUT "proto 6 dport 443 action bypass", 0,
	  "\"proto\":6 \"dport\":[443,443]" },
	{ POLICY_CMD_ADD, OUT "proto icmp type 8 code 0 action discard", 0,
	  "\"proto\":1 \"icmp_type\":8 \"icmp_code\":0" },
	{ POLICY_CMD_ADD, OUT "proto icmp type 3 action discard", 0,
	  "\"icmp_type\":3 !\"icmp_code\"" },
	{ POLICY_CMD_ADD, OUT "proto ipv6-icmp type 128 action bypass", 0,
	  "\"proto\":58 \"icmp_type\":128" },
	{ POLICY_CMD_ADD, OUT "proto icmpv6 type 135 code 0 action bypass", 0,
	  "\"proto\":58 \"icmp_type\":135 \"icmp_code\":0" },
	{ POLICY_CMD_ADD, OUT "proto gre action bypass", 0, "\"proto\":47" },
	{ POLICY_CMD_ADD, OUT "proto esp action bypass", 0, "\"proto\":50" },
	{ POLICY_CMD_ADD, OUT "proto ah action bypass", 0, "\"proto\":51" },
	{ POLICY_CMD_ADD, OUT "proto 0 action bypass", 0, "\"proto\":0" },
	{ POLICY_CMD_ADD, OUT "proto 255 action bypass", 0, "\"proto\":255" },
	{ POLICY_CMD_ADD, OUT "action bypass", 0,
	  "!\"priority\" !\"proto\" !\"templates\"" },
	{ POLICY_CMD_ADD, OUT "priority 0 action bypass", 0, "\"priority\":0" },
	{ POLICY_CMD_ADD, OUT "priority 4294967295 action bypass", 0,
	  "\"priority\":4294967295" },
	{ POLICY_CMD_ADD, OUT PROTECT " ah spi 0x1000 mode tunnel level use", 0,
	  "\"templates\":[{\"proto\":\"ah\",\"spi\":4096,\"mode\":\"tunnel\","
	  "\"level\":\"use\"}]" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp", 0,
	  "\"templates\":[{\"proto\":\"esp\",\"mode\":\"transport\","
	  "\"level\":\"require\"}]" },
	{ POLICY_CMD_ADD, OUT PROTECT " level require mode transport", 0,
	  "\"level\":\"require\" !\"spi\"" },
	{ POLICY_CMD_ADD, OUT "spi 300 esp " PROTECT, 0,
	  "\"proto\":\"esp\",\"spi\":300" },
	/* words before the only esp|ah are its own, as before bundles */
	{ POLICY_CMD_ADD, OUT "mode tunnel level use ah " PROTECT, 0,
	  TMPLS1(TJ(ah, "", tunnel, use)) },
	{ POLICY_CMD_ADD, OUT PROTECT " spi 0x1000", 0,
	  TMPLS1(TJ(esp, TSPI(4096), transport, require)) },

	/* bundles: esp inside, ah outside; words go to the last esp|ah */
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah", 0,
	  TMPLS2(TJ(esp, "", transport, require),
		 TJ(ah, "", transport, require)) },
	{ POLICY_CMD_ADD, OUT PROTECT " esp spi 0x1000 mode tunnel level use "
	  "ah spi 0x2000 mode transport level require", 0,
	  TMPLS2(TJ(esp, TSPI(4096), tunnel, use),
		 TJ(ah, TSPI(8192), transport, require)) },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah spi 0x2000 level use", 0,
	  TMPLS2(TJ(esp, "", transport, require),
		 TJ(ah, TSPI(8192), transport, use)) },
	{ POLICY_CMD_ADD, OUT PROTECT " esp spi 300 ah", 0,
	  TMPLS2(TJ(esp, TSPI(300), transport, require),
		 TJ(ah, "", transport, require)) },
	{ POLICY_CMD_ADD, OUT PROTECT " spi 300 mode tunnel esp ah spi 400", 0,
	  TMPLS2(TJ(esp, TSPI(300), tunnel, require),
		 TJ(ah, TSPI(400), transport, require)) },
	{ POLICY_CMD_ADD, "esp spi 300 dir out ah " PROTECT " mode tunnel", 0,
	  TMPLS2(TJ(esp, TSPI(300), transport, require),
		 TJ(ah, "", tunnel, require)) },
	{ POLICY_CMD_ADD, OUT "dst fd00::2 " PROTECT " esp mode tunnel ah mode tunnel",
	  0, "\"dst\":\"fd00::2/128\" "
	  TMPLS2(TJ(esp, "", tunnel, require), TJ(ah, "", tunnel, require)) },
	{ POLICY_CMD_UPDATE, "id 7 dir in " PROTECT " esp ah level use", 0,
	  "{\"id\":7,\"dir\":\"in\",\"action\":\"protect\","
	  TMPLS2(TJ(esp, "", transport, require),
		 TJ(ah, "", transport, use)) },

	{ POLICY_CMD_UPDATE, "id 3 " OUT "dst 10.0.3.0/24 priority 10 action bypass",
	  0, "{\"id\":3,\"dir\":\"out\",\"priority\":10,\"dst\":\"10.0.3.0/24\","
	  "\"action\":\"bypass\"}" },
	{ POLICY_CMD_UPDATE, "action protect ah dir in id 0x10", 0,
	  "\"id\":16 \"templates\":[{\"proto\":\"ah\"" },

	/* get, del, list, flush */
	{ POLICY_CMD_GET, "id 5", 0, "{\"id\":5}" },
	{ POLICY_CMD_GET, "id 0x10", 0, "{\"id\":16}" },
	{ POLICY_CMD_DEL, "id 4294967295", 0, "{\"id\":4294967295}" },
	{ POLICY_CMD_LIST, "", 0, "{}" },
	{ POLICY_CMD_LIST, "dir in", 0, "{\"dir\":\"in\"}" },
	{ POLICY_CMD_FLUSH, "", 0, "{}" },
	{ POLICY_CMD_FLUSH, "dir out", 0, "{\"dir\":\"out\"}" },

	/* usage errors */
	{ POLICY_CMD_ADD, "", 2, "missing 'dir in|out'" },
	{ POLICY_CMD_ADD, "dir out", 2,
	  "missing 'action bypass|discard|protect'" },
	{ POLICY_CMD_ADD, "action bypass", 2, "missing 'dir in|out'" },
	{ POLICY_CMD_ADD, "dir up action bypass", 2,
	  "dir: 'up' is not one of in|out" },
	{ POLICY_CMD_ADD, "dir", 2, "missing in|out after 'dir'" },
	{ POLICY_CMD_ADD, OUT "action allow", 2,
	  "action: 'allow' is not one of bypass|discard|protect" },
	{ POLICY_CMD_ADD, OUT "action", 2,
	  "missing bypass|discard|protect after 'action'" },
	{ POLICY_CMD_ADD, OUT "dir in action bypass", 2, "'dir' given twice" },
	{ POLICY_CMD_ADD, OUT "action bypass action discard", 2,
	  "'action' given twice" },
	{ POLICY_CMD_ADD, OUT "src 10.0.0.0/8 src 10.0.0.0/8 action bypass", 2,
	  "'src' given twice" },
	{ POLICY_CMD_ADD, OUT "proto tcp proto udp action bypass", 2,
	  "'proto' given twice" },
	{ POLICY_CMD_ADD, OUT "proto tcp sport 1 sport 2 action bypass", 2,
	  "'sport' given twice" },
	{ POLICY_CMD_ADD, OUT "priority 1 priority 2 action bypass", 2,
	  "'priority' given twice" },
	{ POLICY_CMD_ADD, OUT "src 10.0.0.0/33 action bypass", 2,
	  "src: prefix length of '10.0.0.0/33' is out of range (0..32)" },
	{ POLICY_CMD_ADD, OUT "dst fd00::/129 action bypass", 2,
	  "out of range (0..128)" },
	{ POLICY_CMD_ADD, OUT "src 10.0.0.0/x action bypass", 2,
	  "src: '10.0.0.0/x' is not an address or ADDR/LEN prefix" },
	{ POLICY_CMD_ADD, OUT "src any action bypass", 2,
	  "src: 'any' is not an address" },
	{ POLICY_CMD_ADD, OUT "src", 2, "missing PREFIX after 'src'" },
	{ POLICY_CMD_ADD, OUT "proto foo action bypass", 2,
	  "proto: 'foo' is neither a protocol name (tcp|udp|icmp|" },
	{ POLICY_CMD_ADD, OUT "proto 256 action bypass", 2,
	  "'256' is neither a protocol name" },
	{ POLICY_CMD_ADD, OUT "proto", 2, "missing P after 'proto'" },
	{ POLICY_CMD_ADD, OUT "proto tcp sport 70000 action bypass", 2,
	  "sport: '70000': ports are 0..65535" },
	{ POLICY_CMD_ADD, OUT "proto tcp dport 2000-1000 action bypass", 2,
	  "dport: '2000-1000': the range ends before it starts" },
	{ POLICY_CMD_ADD, OUT "proto tcp dport ssh action bypass", 2,
	  "dport: 'ssh' is not a port or N-M port range" },
	{ POLICY_CMD_ADD, OUT "proto tcp dport", 2,
	  "missing N[-M] after 'dport'" },
	{ POLICY_CMD_ADD, OUT "proto icmp type 256 action bypass", 2,
	  "type: 256 is out of range (0..255)" },
	{ POLICY_CMD_ADD, OUT "proto icmp type 8 code 256 action bypass", 2,
	  "code: 256 is out of range (0..255)" },
	{ POLICY_CMD_ADD, OUT "proto icmp type echo action bypass", 2,
	  "type: 'echo' is not a number" },
	{ POLICY_CMD_ADD, OUT "proto icmp code 0 action bypass", 2,
	  "'code' needs 'type N' before it" },
	{ POLICY_CMD_ADD, OUT "priority 4294967296 action bypass", 2,
	  "priority: 4294967296 is out of range" },
	{ POLICY_CMD_ADD, OUT "priority -1 action bypass", 2,
	  "priority: '-1' is not a number" },
	{ POLICY_CMD_ADD, OUT "action bypass spi 300", 2,
	  "'spi' is only valid after 'action protect'" },
	{ POLICY_CMD_ADD, OUT "action discard esp", 2,
	  "'esp' is only valid after 'action protect'" },
	{ POLICY_CMD_ADD, OUT "action bypass mode tunnel", 2,
	  "'mode' is only valid after 'action protect'" },
	{ POLICY_CMD_ADD, OUT "action bypass level use", 2,
	  "'level' is only valid after 'action protect'" },
	{ POLICY_CMD_ADD, OUT "esp", 2, "missing 'action bypass|discard|protect'" },
	/* bundles other than esp then ah, and words twice in one template */
	{ POLICY_CMD_ADD, OUT PROTECT " ah ah", 2,
	  "'ah' given twice: a bundle is esp then ah" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp esp", 2,
	  "'esp' given twice: a bundle is esp then ah" },
	{ POLICY_CMD_ADD, OUT PROTECT " ah esp", 2,
	  "'esp' after 'ah': a bundle is esp then ah" },
	{ POLICY_CMD_ADD, OUT PROTECT " ah spi 300 esp spi 400", 2,
	  "'esp' after 'ah': a bundle is esp then ah" },
	{ POLICY_CMD_ADD, OUT "mode tunnel ah " PROTECT " esp", 2,
	  "'esp' after 'ah'" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah ah", 2,
	  "'ah' would be a third template: a bundle is esp then ah" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah esp", 2,
	  "'esp' would be a third template" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp spi 300 ah spi 400 ah spi 500", 2,
	  "'ah' would be a third template" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp spi 300 spi 400 ah", 2,
	  "'spi' given twice" },
	{ POLICY_CMD_ADD, OUT PROTECT " spi 300 esp spi 400 ah", 2,
	  "'spi' given twice" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah spi 300 spi 400", 2,
	  "'spi' given twice after 'ah'" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah mode tunnel mode tunnel", 2,
	  "'mode' given twice after 'ah'" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp level use ah level use level use", 2,
	  "'level' given twice after 'ah'" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah spi", 2,
	  "missing SPI after 'spi'" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah mode", 2,
	  "missing transport|tunnel after 'mode'" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah mode beet", 2,
	  "mode: 'beet' is not one of transport|tunnel" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah level maybe", 2,
	  "level: 'maybe' is not one of require|use" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp ah spi 0x1g", 2,
	  "spi: '0x1g' is not a number" },
	{ POLICY_CMD_ADD, OUT "action bypass esp ah", 2,
	  "'esp' is only valid after 'action protect'" },
	{ POLICY_CMD_ADD, OUT "action discard ah spi 300", 2,
	  "'ah' is only valid after 'action protect'" },
	{ POLICY_CMD_UPDATE, "id 3 " OUT PROTECT " ah esp", 2,
	  "'esp' after 'ah'" },
	{ POLICY_CMD_ADD, OUT PROTECT " spi", 2, "missing SPI after 'spi'" },
	{ POLICY_CMD_ADD, OUT PROTECT " spi 1x", 2, "spi: '1x' is not a number" },
	{ POLICY_CMD_ADD, OUT PROTECT " mode beet", 2,
	  "mode: 'beet' is not one of transport|tunnel" },
	{ POLICY_CMD_ADD, OUT PROTECT " level maybe", 2,
	  "level: 'maybe' is not one of require|use" },
	{ POLICY_CMD_ADD, OUT PROTECT " mode tunnel mode tunnel", 2,
	  "'mode' given twice" },
	{ POLICY_CMD_ADD, OUT PROTECT " enc aes-128-gcm", 2,
	  "unexpected word 'enc'" },
	{ POLICY_CMD_ADD, OUT PROTECT " id 5", 2, "unexpected word 'id'" },
	{ POLICY_CMD_UPDATE, OUT "action bypass", 2, "missing 'id N'" },
	{ POLICY_CMD_UPDATE, "id 3 action bypass", 2, "missing 'dir in|out'" },
	{ POLICY_CMD_UPDATE, "id 3 dir in", 2,
	  "missing 'action bypass|discard|protect'" },
	{ POLICY_CMD_UPDATE, "id 3 id 4 dir in action bypass", 2,
	  "'id' given twice" },
	{ POLICY_CMD_UPDATE, "id 3 " OUT "action bypass level use", 2,
	  "'level' is only valid after 'action protect'" },
	{ POLICY_CMD_UPDATE, "id 3 " OUT "dst 10.0.3.1/24 action bypass", 1,
	  "host bits set" },
	{ POLICY_CMD_GET, "", 2, "missing 'id N'" },
	{ POLICY_CMD_GET, "id", 2, "missing N after 'id'" },
	{ POLICY_CMD_GET, "id x", 2, "id: 'x' is not a number" },
	{ POLICY_CMD_GET, "id 4294967296", 2, "out of range" },
	{ POLICY_CMD_GET, "id 5 dir in", 2, "unexpected word 'dir'" },
	{ POLICY_CMD_DEL, "id 5 id 6", 2, "'id' given twice" },
	{ POLICY_CMD_LIST, "dir sideways", 2, "'sideways' is not one of in|out" },
	{ POLICY_CMD_LIST, "id 5", 2, "unexpected word 'id'" },
	{ POLICY_CMD_FLUSH, "src 10.0.0.0/8", 2, "unexpected word 'src'" },

	/* well-formed, refused as the kernel would refuse it */
	{ POLICY_CMD_ADD, OUT "src 10.0.0.1/8 action bypass", 1,
	  "src 10.0.0.1/8: host bits set beyond the prefix length (did you mean 10.0.0.0/8?)" },
	{ POLICY_CMD_ADD, OUT "dst fd00::1/64 action bypass", 1,
	  "dst fd00::1/64: host bits set beyond the prefix length (did you mean fd00::/64?)" },
	{ POLICY_CMD_ADD, OUT "dst 10.0.0.128/24 action bypass", 1,
	  "did you mean 10.0.0.0/24?" },
	{ POLICY_CMD_ADD, OUT "src 10.0.0.0/8 dst fd00::/8 action bypass", 1,
	  "src and dst are of different address families" },
	{ POLICY_CMD_ADD, OUT "sport 22 action bypass", 1,
	  "sport needs proto tcp, udp, udplite or sctp" },
	{ POLICY_CMD_ADD, OUT "proto icmp dport 22 action bypass", 1,
	  "dport needs proto tcp, udp, udplite or sctp" },
	{ POLICY_CMD_ADD, OUT "proto tcp type 8 action bypass", 1,
	  "type needs proto icmp or ipv6-icmp" },
	{ POLICY_CMD_ADD, OUT "type 8 action bypass", 1,
	  "type needs proto icmp or ipv6-icmp" },
	{ POLICY_CMD_ADD, OUT PROTECT " spi 255", 1,
	  "spi 255: SPI 0..255 are reserved" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp spi 17 ah spi 300", 1,
	  "spi 17: SPI 0..255 are reserved" },
	{ POLICY_CMD_ADD, OUT PROTECT " esp spi 300 ah spi 0", 1,
	  "spi 0: SPI 0..255 are reserved" },
};

static char *json_of(const struct policy *pol)
{
	char *out = NULL;
	struct json j;

	T_CAPTURE(out, (json_init(&j, f), policy_json(&j, pol)));
	return out;
}

static bool has_pieces(const char *json, const char *want, char *missing,
		       size_t size)
{
	char buf[1024], *piece, *save = NULL;
	bool neg;

	snprintf(buf, sizeof(buf), "%s", want);
	for (piece = strtok_r(buf, " ", &save); piece;
	     piece = strtok_r(NULL, " ", &save)) {
		neg = piece[0] == '!';
		if (!strstr(json, piece + neg) != neg) {
			snprintf(missing, size, "%s", piece);
			return false;
		}
	}
	return true;
}

static const struct nlattr *policy_attr(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == KIPSEC_A_POLICY)
			return attr;
	return NULL;
}

static char *round_trip(const struct policy *pol)
{
	static char buf[4096];
	struct nlmsghdr *nlh;
	struct policy back;

	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	policy_put(nlh, pol);
	if (policy_from_nest(policy_attr(nlh), &back))
		return NULL;
	return json_of(&back);
}

static void run_case(const struct policy_case *c)
{
	char buf[1024], missing[256], *argv[ARGV_MAX];
	char *json = NULL, *back = NULL;
	struct perr e = { 0 };
	struct policy pol;
	int argc, ret;

	argc = t_split(c->args, buf, sizeof(buf), argv);
	ret = policy_parse(c->cmd, argc, argv, &pol, &e);
	if (c->status) {
		t_check(ret && e.status == c->status && strstr(e.msg, c->want),
			"policy_parse",
			"'%s': got %d status %d '%s', want status %d '%s'",
			c->args, ret, e.status, e.msg, c->status, c->want);
		return;
	}
	if (!t_check(!ret, "policy_parse", "'%s': refused: %s", c->args,
		     e.msg))
		return;
	json = json_of(&pol);
	t_check(has_pieces(json, c->want, missing, sizeof(missing)),
		"policy_parse", "'%s': '%s' not as wanted in %s", c->args,
		missing, json);
	back = round_trip(&pol);
	t_check(back && !strcmp(json, back), "policy_put/policy_from_nest",
		"'%s': sent %s, read back %s", c->args, json, back);
	free(json);
	free(back);
}

/* The wire form of what the tool sends: attribute by attribute. */
static void encoding_tests(void)
{
	char buf[4096], line[256], *argv[ARGV_MAX];
	const struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1] = { NULL };
	const struct nlattr *attr;
	struct nlmsghdr *nlh;
	struct policy pol;
	struct perr e;
	int argc;

	argc = t_split(OUT "src 10.0.0.0/8 proto tcp dport 22 " PROTECT, line,
		       sizeof(line), argv);
	policy_parse(POLICY_CMD_ADD, argc, argv, &pol, &e);
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	policy_put(nlh, &pol);
	mnl_attr_for_each_nested(attr, policy_attr(nlh))
		if (mnl_attr_get_type(attr) <= KIPSEC_A_POLICY_MAX)
			tb[mnl_attr_get_type(attr)] = attr;
	t_check(tb[KIPSEC_A_POLICY_SRC] &&
		mnl_attr_get_payload_len(tb[KIPSEC_A_POLICY_SRC]) == 4 &&
		tb[KIPSEC_A_POLICY_SRC_PREFIXLEN] &&
		mnl_attr_get_u8(tb[KIPSEC_A_POLICY_SRC_PREFIXLEN]) == 8,
		"policy encoding", "src and its prefix length");
	t_check(!tb[KIPSEC_A_POLICY_DST] && !tb[KIPSEC_A_POLICY_DST_PREFIXLEN],
		"policy encoding", "no dst: any");
	t_check(!tb[KIPSEC_A_POLICY_PRIORITY], "policy encoding",
		"no priority given: the kernel's default");
	t_check(!tb[KIPSEC_A_POLICY_ID], "policy encoding",
		"add sends no id");
	t_check(tb[KIPSEC_A_POLICY_DPORT_MIN] && tb[KIPSEC_A_POLICY_DPORT_MAX] &&
		mnl_attr_get_u16(tb[KIPSEC_A_POLICY_DPORT_MIN]) == 22 &&
		mnl_attr_get_u16(tb[KIPSEC_A_POLICY_DPORT_MAX]) == 22 &&
		!tb[KIPSEC_A_POLICY_SPORT_MIN], "policy encoding",
		"dport 22 is 22-22, no sport");
	t_check(tb[KIPSEC_A_POLICY_TMPLS] &&
		mnl_attr_get_u8(tb[KIPSEC_A_POLICY_ACTION]) ==
		KIPSEC_ACTION_PROTECT, "policy encoding", "protect, templates");
}

/*
 * An attribute as the kernel reads it, written here without libmnl:
 * header, payload, zero padding to 4.
 */
static size_t wire_attr(uint8_t *p, uint16_t type, const void *val,
			uint16_t len)
{
	struct nlattr h = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	memcpy(p, &h, sizeof(h));
	memcpy(p + NLA_HDRLEN, val, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_HDRLEN + NLA_ALIGN(len);
}

static size_t wire_tmpl(uint8_t *p, uint8_t proto, const uint32_t *spi,
			uint8_t mode, uint8_t level)
{
	size_t n = NLA_HDRLEN;
	struct nlattr h;

	n += wire_attr(p + n, KIPSEC_A_TMPL_PROTO, &proto, 1);
	if (spi)
		n += wire_attr(p + n, KIPSEC_A_TMPL_SPI, spi, 4);
	n += wire_attr(p + n, KIPSEC_A_TMPL_MODE, &mode, 1);
	n += wire_attr(p + n, KIPSEC_A_TMPL_LEVEL, &level, 1);
	h.nla_len = n;
	h.nla_type = NLA_F_NESTED | KIPSEC_A_TMPL;
	memcpy(p, &h, sizeof(h));
	return n;
}

static const struct nlattr *tmpls_attr(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, policy_attr(nlh))
		if (mnl_attr_get_type(attr) == KIPSEC_A_POLICY_TMPLS)
			return attr;
	return NULL;
}

/* The payload of KIPSEC_A_POLICY_TMPLS, byte for byte. */
static void tmpls_wire_test(const char *args, const uint8_t *want,
			    size_t want_len)
{
	char buf[4096], line[256], *argv[ARGV_MAX];
	const struct nlattr *tmpls;
	struct nlmsghdr *nlh;
	struct policy pol;
	struct perr e;
	int argc;

	argc = t_split(args, line, sizeof(line), argv);
	if (!t_check(!policy_parse(POLICY_CMD_ADD, argc, argv, &pol, &e),
		     "tmpls encoding", "'%s': refused: %s", args, e.msg))
		return;
	/* libmnl leaves the padding as the buffer had it */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	policy_put(nlh, &pol);
	tmpls = tmpls_attr(nlh);
	t_check(tmpls && mnl_attr_get_payload_len(tmpls) == want_len &&
		!memcmp(mnl_attr_get_payload(tmpls), want, want_len),
		"tmpls encoding", "'%s': %u bytes, not the %zu wanted", args,
		tmpls ? mnl_attr_get_payload_len(tmpls) : 0, want_len);
}

static void tmpls_encoding_tests(void)
{
	static const uint32_t spi_esp = 0x1000, spi_ah = 0x2000;
	uint8_t want[256];
	size_t n;

	n = wire_tmpl(want, IPPROTO_ESP, NULL, KIPSEC_MODE_TRANSPORT,
		      KIPSEC_LEVEL_REQUIRE);
	tmpls_wire_test(OUT PROTECT, want, n);

	n = wire_tmpl(want, IPPROTO_ESP, &spi_esp, KIPSEC_MODE_TUNNEL,
		      KIPSEC_LEVEL_REQUIRE);
	n += wire_tmpl(want + n, IPPROTO_AH, &spi_ah, KIPSEC_MODE_TRANSPORT,
		       KIPSEC_LEVEL_USE);
	tmpls_wire_test(OUT PROTECT " esp spi 0x1000 mode tunnel ah spi 0x2000 level use",
			want, n);
	/* the same bundle, words in another order: the same bytes */
	tmpls_wire_test(OUT "mode tunnel spi 4096 esp ah level use spi 8192 "
			PROTECT, want, n);

	n = wire_tmpl(want, IPPROTO_ESP, NULL, KIPSEC_MODE_TRANSPORT,
		      KIPSEC_LEVEL_REQUIRE);
	n += wire_tmpl(want + n, IPPROTO_AH, NULL, KIPSEC_MODE_TRANSPORT,
		       KIPSEC_LEVEL_REQUIRE);
	tmpls_wire_test(OUT PROTECT " esp ah", want, n);
}

/*
 * policy get/list print the templates in the grammar's words: the cell
 * after "protect", typed back after "action protect", is the same policy.
 */
static const struct {
	const char *words;
	const char *cell;
} reprint_cases[] = {
	{ "", "esp mode transport level require" },
	{ "ah level use", "ah mode transport level use" },
	{ "esp spi 0xffffffff mode tunnel",
	  "esp spi 0xffffffff mode tunnel level require" },
	{ "esp ah", "esp mode transport level require "
		    "ah mode transport level require" },
	{ "spi 300 esp ah spi 0x2000 mode tunnel level use",
	  "esp spi 0x0000012c mode transport level require "
	  "ah spi 0x00002000 mode tunnel level use" },
	{ "esp mode tunnel level use ah mode tunnel level use",
	  "esp mode tunnel level use ah mode tunnel level use" },
};

/* The decoded policy's TEMPLATE cell (the last column). */
static char *template_cell(const struct policy *pol)
{
	char *out = NULL, *row, *cell, *end;

	T_CAPTURE(out, policy_print_one(f, pol, false));
	row = strchr(out, '\n');
	cell = row ? strstr(row, " protect ") : NULL;
	if (!cell) {
		free(out);
		return NULL;
	}
	cell += strlen(" protect ");
	cell += strspn(cell, " ");
	end = strchr(cell, '\n');
	if (end)
		*end = '\0';
	memmove(out, cell, strlen(cell) + 1);
	return out;
}

static char *parse_json(const char *args, struct policy *pol)
{
	char line[512], *argv[ARGV_MAX];
	struct perr e;
	int argc;

	argc = t_split(args, line, sizeof(line), argv);
	if (policy_parse(POLICY_CMD_ADD, argc, argv, pol, &e))
		return NULL;
	return json_of(pol);
}

static void reprint_test(const char *words, const char *want_cell)
{
	char args[512], *json, *back = NULL, *cell = NULL;
	char buf[4096];
	struct nlmsghdr *nlh;
	struct policy pol, got;

	snprintf(args, sizeof(args), OUT PROTECT " %s", words);
	json = parse_json(args, &pol);
	if (!t_check(json != NULL, "policy reprint", "'%s' refused", args))
		return;
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	policy_put(nlh, &pol);
	if (!policy_from_nest(policy_attr(nlh), &got))
		cell = template_cell(&got);
	if (t_check(cell && !strcmp(cell, want_cell), "policy reprint",
		    "'%s': printed '%s', want '%s'", words, cell, want_cell)) {
		snprintf(args, sizeof(args), OUT PROTECT " %s", cell);
		back = parse_json(args, &pol);
		t_check(back && !strcmp(json, back), "policy reprint",
			"'%s' typed back: %s, was %s", cell, back, json);
	}
	free(json);
	free(back);
	free(cell);
}

static void reprint_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reprint_cases); i++)
		reprint_test(reprint_cases[i].words, reprint_cases[i].cell);
}

static struct nlmsghdr *reply(char *buf, unsigned int n_tmpls,
			      uint8_t src_len)
{
	static const uint8_t src[16] = { 0xfd };
	struct nlattr *nest, *tmpls, *tmpl;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int i;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ID, 42);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_IN);
	mnl_attr_put(nlh, KIPSEC_A_POLICY_SRC, sizeof(src), src);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_SRC_PREFIXLEN, src_len);
	mnl_attr_put(nlh, KIPSEC_A_POLICY_DST, sizeof(src), src);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(nlh, KIPSEC_A_POLICY_SPORT_MIN, 500);
	mnl_attr_put_u16(nlh, KIPSEC_A_POLICY_SPORT_MAX, 4500);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, 0x10000);
	mnl_attr_put_u8(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_MAX + 5, 1);	/* unknown */
	tmpls = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPLS);
	for (i = 0; i < n_tmpls; i++) {
		tmpl = mnl_attr_nest_start(nlh, KIPSEC_A_TMPL);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_PROTO,
				i ? IPPROTO_AH : IPPROTO_ESP);
		if (i)
			mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_SPI, 0x1234);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_MODE, KIPSEC_MODE_TUNNEL);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_LEVEL, KIPSEC_LEVEL_USE);
		mnl_attr_put_u8(nlh, KIPSEC_A_TMPL_MAX + 1, 1);	/* unknown */
		mnl_attr_nest_end(nlh, tmpl);
	}
	mnl_attr_nest_end(nlh, tmpls);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void reply_tests(void)
{
	static const char want[] =
		"{\"id\":42,\"dir\":\"in\",\"priority\":65536,"
		"\"src\":\"fd00::/8\",\"dst\":\"fd00::/128\",\"proto\":17,"
		"\"sport\":[500,4500],\"action\":\"protect\",\"templates\":["
		"{\"proto\":\"esp\",\"mode\":\"tunnel\",\"level\":\"use\"},"
		"{\"proto\":\"ah\",\"spi\":4660,\"mode\":\"tunnel\","
		"\"level\":\"use\"}]}\n";
	char buf[4096], *out = NULL;
	struct policy pol;
	int ret;

	ret = policy_from_nest(policy_attr(reply(buf, 2, 8)), &pol);
	if (!t_check(!ret, "policy_from_nest",
		     "unknown attributes must be ignored"))
		return;
	T_CAPTURE(out, policy_print_one(f, &pol, true));
	t_check(!strcmp(out, want), "policy json", "got %s want %s", out,
		want);
	free(out);

	T_CAPTURE(out, policy_print_one(f, &pol, false));
	t_check(!strcmp(out,
			"ID  DIR  PRIO   SRC       DST         PROTO  PORTS           ACTION   TEMPLATE\n"
			"42  in   65536  fd00::/8  fd00::/128  udp    sport 500-4500  protect  esp mode tunnel level use ah spi 0x00001234 mode tunnel level use\n"),
		"policy text", "got:\n%s", out);
	free(out);

	ret = policy_from_nest(policy_attr(reply(buf, 3, 8)), &pol);
	t_check(ret && errno == EPROTO, "policy_from_nest",
		"more templates than KIPSEC_TMPLS_MAX");
	ret = policy_from_nest(policy_attr(reply(buf, 1, 129)), &pol);
	t_check(ret && errno == EPROTO, "policy_from_nest",
		"a prefix longer than its address");
}

static void list_output_tests(void)
{
	char line[256], *argv[ARGV_MAX], *out = NULL;
	struct policy pols[2];
	struct perr e;
	int argc;

	T_CAPTURE(out, policy_print_list(f, NULL, 0, true));
	t_check(!strcmp(out, "[]\n"), "policy list json", "empty: '%s'", out);
	free(out);

	argc = t_split(OUT "proto icmp type 8 code 0 action discard", line,
		       sizeof(line), argv);
	policy_parse(POLICY_CMD_ADD, argc, argv, &pols[0], &e);
	pols[0].id = 1;
	pols[0].has |= POL_ID;
	argc = t_split("dir in src 10.0.0.0/8 priority 7 " PROTECT " spi 300",
		       line, sizeof(line), argv);
	policy_parse(POLICY_CMD_ADD, argc, argv, &pols[1], &e);
	pols[1].id = 2;
	pols[1].has |= POL_ID;

	T_CAPTURE(out, policy_print_list(f, pols, 2, false));
	t_check(!strcmp(out,
			"ID  DIR  PRIO  SRC         DST  PROTO  PORTS          ACTION   TEMPLATE\n"
			"1   out  -     any         any  icmp   type 8 code 0  discard  -\n"
			"2   in   7     10.0.0.0/8  any  any    -              protect  esp spi 0x0000012c mode transport level require\n"),
		"policy list text", "got:\n%s", out);
	free(out);

	T_CAPTURE(out, policy_print_list(f, pols, 2, true));
	t_check(!strcmp(out,
			"[{\"id\":1,\"dir\":\"out\",\"proto\":1,\"icmp_type\":8,"
			"\"icmp_code\":0,\"action\":\"discard\"},"
			"{\"id\":2,\"dir\":\"in\",\"priority\":7,"
			"\"src\":\"10.0.0.0/8\",\"action\":\"protect\","
			"\"templates\":[{\"proto\":\"esp\",\"spi\":300,"
			"\"mode\":\"transport\",\"level\":\"require\"}]}]\n"),
		"policy list json", "got %s", out);
	free(out);
}

void policy_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(policy_cases); i++)
		run_case(&policy_cases[i]);
	encoding_tests();
	tmpls_encoding_tests();
	reprint_tests();
	reply_tests();
	list_output_tests();
}
