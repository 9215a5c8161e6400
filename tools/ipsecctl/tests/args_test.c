// SPDX-License-Identifier: GPL-2.0
/* The word parsers: numbers, addresses, prefixes, ports, keys, key files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "unit.h"

static const struct {
	const char *s;
	uint64_t max;
	int ret;
	uint64_t want;
} u64_cases[] = {
	{ "0", 10, 0, 0 },
	{ "10", 10, 0, 10 },
	{ "11", 10, -ERANGE, 0 },
	{ "010", 100, 0, 10 },		/* decimal, not octal */
	{ "0x10", 100, 0, 16 },
	{ "0XfF", 255, 0, 255 },
	{ "0x100", 255, -ERANGE, 0 },
	{ "18446744073709551615", UINT64_MAX, 0, UINT64_MAX },
	{ "18446744073709551616", UINT64_MAX, -ERANGE, 0 },
	{ "0xffffffffffffffff", UINT64_MAX, 0, UINT64_MAX },
	{ "0x10000000000000000", UINT64_MAX, -ERANGE, 0 },
	{ "4294967295", UINT32_MAX, 0, UINT32_MAX },
	{ "4294967296", UINT32_MAX, -ERANGE, 0 },
	{ "", 10, -EINVAL, 0 },
	{ "0x", 10, -EINVAL, 0 },
	{ "-1", 10, -EINVAL, 0 },
	{ "+1", 10, -EINVAL, 0 },
	{ " 1", 10, -EINVAL, 0 },
	{ "1 ", 10, -EINVAL, 0 },
	{ "1a", 100, -EINVAL, 0 },
	{ "12abc", 100, -EINVAL, 0 },
	{ "0x1g", 100, -EINVAL, 0 },
	{ "1e3", 10000, -EINVAL, 0 },
	{ "1.0", 10, -EINVAL, 0 },
};

static void u64_tests(void)
{
	uint64_t v;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(u64_cases); i++) {
		v = 0;
		ret = parse_u64(u64_cases[i].s, u64_cases[i].max, &v);
		t_check(ret == u64_cases[i].ret &&
			(ret || v == u64_cases[i].want), "parse_u64",
			"'%s' max %llu: got %d %llu, want %d %llu",
			u64_cases[i].s, (unsigned long long)u64_cases[i].max,
			ret, (unsigned long long)v, u64_cases[i].ret,
			(unsigned long long)u64_cases[i].want);
	}
}

static const struct {
	const char *s;
	int ret;
	int family;
	unsigned int len;
	bool host_bits;
	const char *str;	/* prefix_str() of the result */
} prefix_cases[] = {
	{ "10.0.0.0/8", 0, AF_INET, 8, false, "10.0.0.0/8" },
	{ "10.0.0.1/8", 0, AF_INET, 8, true, "10.0.0.1/8" },
	{ "10.0.0.1", 0, AF_INET, 32, false, "10.0.0.1/32" },
	{ "10.0.0.1/32", 0, AF_INET, 32, false, "10.0.0.1/32" },
	{ "0.0.0.0/0", 0, AF_INET, 0, false, "0.0.0.0/0" },
	{ "1.0.0.0/0", 0, AF_INET, 0, true, "1.0.0.0/0" },
	{ "192.168.1.128/25", 0, AF_INET, 25, false, "192.168.1.128/25" },
	{ "192.168.1.192/25", 0, AF_INET, 25, true, "192.168.1.192/25" },
	{ "192.168.1.1/31", 0, AF_INET, 31, true, "192.168.1.1/31" },
	{ "10.0.0.0/33", -ERANGE, 0, 0, false, NULL },
	{ "10.0.0.0/", -EINVAL, 0, 0, false, NULL },
	{ "10.0.0.0/x", -EINVAL, 0, 0, false, NULL },
	{ "10.0.0.0/0x8", -EINVAL, 0, 0, false, NULL },
	{ "10.0.0.0/-1", -EINVAL, 0, 0, false, NULL },
	{ "10.0.0.0/8/8", -EINVAL, 0, 0, false, NULL },
	{ "10.0.0/8", -EINVAL, 0, 0, false, NULL },
	{ "10.0.0.256", -EINVAL, 0, 0, false, NULL },
	{ "host.example", -EINVAL, 0, 0, false, NULL },
	{ "", -EINVAL, 0, 0, false, NULL },
	{ "fd00::/64", 0, AF_INET6, 64, false, "fd00::/64" },
	{ "fd00::1/64", 0, AF_INET6, 64, true, "fd00::1/64" },
	{ "fd00::1", 0, AF_INET6, 128, false, "fd00::1/128" },
	{ "fd00:0:0:1::/63", 0, AF_INET6, 63, true, "fd00:0:0:1::/63" },
	{ "fd00::/129", -ERANGE, 0, 0, false, NULL },
	{ "::/0", 0, AF_INET6, 0, false, "::/0" },
	{ "fe80::1%eth0", -EINVAL, 0, 0, false, NULL },
	{ "::ffff:10.0.0.1", 0, AF_INET6, 128, false, "::ffff:10.0.0.1/128" },
};

static void prefix_tests(void)
{
	char buf[ADDR_STR_MAX];
	struct ip_prefix p;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(prefix_cases); i++) {
		memset(&p, 0, sizeof(p));
		ret = parse_prefix(prefix_cases[i].s, &p);
		if (!t_check(ret == prefix_cases[i].ret, "parse_prefix",
			     "'%s': got %d, want %d", prefix_cases[i].s, ret,
			     prefix_cases[i].ret) || ret)
			continue;
		prefix_str(&p, buf);
		t_check(p.addr.family == prefix_cases[i].family &&
			p.len == prefix_cases[i].len &&
			prefix_has_host_bits(&p) == prefix_cases[i].host_bits &&
			!strcmp(buf, prefix_cases[i].str), "parse_prefix",
			"'%s': got family %d len %u host bits %d '%s'",
			prefix_cases[i].s, p.addr.family, p.len,
			prefix_has_host_bits(&p), buf);
	}
}

static void host_bits_tests(void)
{
	char buf[ADDR_STR_MAX];
	struct ip_prefix p;

	parse_prefix("192.168.77.129/20", &p);
	prefix_clear_host_bits(&p);
	t_check(!strcmp(prefix_str(&p, buf), "192.168.64.0/20"),
		"prefix_clear_host_bits", "v4: got %s", buf);
	parse_prefix("fd00:1:2:3:4::1/56", &p);
	prefix_clear_host_bits(&p);
	t_check(!strcmp(prefix_str(&p, buf), "fd00:1:2::/56"),
		"prefix_clear_host_bits", "v6: got %s", buf);
}

static const struct {
	const char *s;
	int ret;
	uint16_t lo, hi;
} port_cases[] = {
	{ "22", 0, 22, 22 },
	{ "0", 0, 0, 0 },
	{ "65535", 0, 65535, 65535 },
	{ "1000-2000", 0, 1000, 2000 },
	{ "5-5", 0, 5, 5 },
	{ "0-65535", 0, 0, 65535 },
	{ "65536", -ERANGE, 0, 0 },
	{ "1-65536", -ERANGE, 0, 0 },
	{ "2000-1000", -EDOM, 0, 0 },
	{ "-5", -EINVAL, 0, 0 },
	{ "5-", -EINVAL, 0, 0 },
	{ "1-2-3", -EINVAL, 0, 0 },
	{ "ssh", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
	{ "1 -2", -EINVAL, 0, 0 },
	{ "99999999999999999999-1", -EINVAL, 0, 0 },
};

static void port_tests(void)
{
	uint16_t r[2];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(port_cases); i++) {
		r[0] = r[1] = 7;
		ret = parse_port_range(port_cases[i].s, r);
		t_check(ret == port_cases[i].ret &&
			(ret || (r[0] == port_cases[i].lo &&
				 r[1] == port_cases[i].hi)),
			"parse_port_range", "'%s': got %d %u-%u",
			port_cases[i].s, ret, r[0], r[1]);
	}
}

static const char key64[] =
	"0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

static const struct {
	const char *s;
	bool need_prefix;
	enum hex_err ret;
	size_t len;
	uint8_t first;
} hex_cases[] = {
	{ "0x00ff", true, HEX_OK, 2, 0x00 },
	{ "0XAbCd", true, HEX_OK, 2, 0xab },
	{ "0x", true, HEX_OK, 0, 0 },
	{ "00ff", true, HEX_NO_PREFIX, 0, 0 },
	{ "00ff", false, HEX_OK, 2, 0x00 },
	{ "0x0ff", true, HEX_ODD, 0, 0 },
	{ "0x0g", true, HEX_BAD_DIGIT, 0, 0 },
	{ "0x00 11", true, HEX_BAD_DIGIT, 0, 0 },
	{ "0x-1", true, HEX_BAD_DIGIT, 0, 0 },
	{ key64, true, HEX_OK, 64, 0x00 },
};

static void hex_tests(void)
{
	uint8_t key[KEY_MAX_LEN];
	char too_long[sizeof(key64) + 2];
	enum hex_err ret;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(hex_cases); i++) {
		len = 99;
		key[0] = 0x5a;
		ret = parse_hex_key(hex_cases[i].s, hex_cases[i].need_prefix,
				    key, &len);
		t_check(ret == hex_cases[i].ret &&
			(ret || (len == hex_cases[i].len &&
				 (!len || key[0] == hex_cases[i].first))),
			"parse_hex_key", "'%.20s': got %d len %zu",
			hex_cases[i].s, ret, len);
	}
	snprintf(too_long, sizeof(too_long), "%s00", key64);
	t_check(parse_hex_key(too_long, true, key, &len) == HEX_TOO_LONG,
		"parse_hex_key", "65 bytes must be too long");
}

static const struct {
	const char *name;
	const char *content;	/* NULL: not a regular file or missing */
	unsigned int mode;
	int ret;
	const char *msg;
	size_t len;
} keyfile_cases[] = {
	{ "k600", "0x00112233", 0600, 0, NULL, 4 },
	{ "k400", "00112233\n", 0400, 0, NULL, 4 },
	{ "k700", "  0x0011 \n\n", 0700, 0, NULL, 2 },
	{ "k640", "0x00112233", 0640, -1, "mode 0640", 0 },
	{ "k604", "0x00112233", 0604, -1, "mode 0604", 0 },
	{ "k620", "0x00112233", 0620, -1, "mode 0620", 0 },
	{ "k602", "0x00112233", 0602, -1, "mode 0602", 0 },
	{ "k644", "0x00112233", 0644, -1, "lets group or others read or write it",
	  0 },
	{ "kodd", "0x001", 0600, -1, "odd number of hex digits", 0 },
	{ "kbad", "0x0011 2233", 0600, -1, "not a hex digit", 0 },
	{ "kempty", "\n", 0600, -1, "empty", 0 },
	{ "kmissing", NULL, 0, -1, "No such file or directory", 0 },
};

static void keyfile_tests(void)
{
	const char *path;
	uint8_t key[KEY_MAX_LEN];
	struct perr e;
	size_t i, len;
	int ret;

	for (i = 0; i < ARRAY_SIZE(keyfile_cases); i++) {
		if (keyfile_cases[i].content)
			path = t_file(keyfile_cases[i].name,
				      keyfile_cases[i].content,
				      keyfile_cases[i].mode);
		else
			path = t_path(keyfile_cases[i].name);
		memset(&e, 0, sizeof(e));
		len = 0;
		ret = load_keyfile(path, key, &len, &e);
		t_check(ret == keyfile_cases[i].ret &&
			(ret ? e.status == EXIT_FAIL &&
			       strstr(e.msg, keyfile_cases[i].msg) &&
			       strstr(e.msg, path) :
			       len == keyfile_cases[i].len),
			"load_keyfile", "%s: got %d len %zu '%s'",
			keyfile_cases[i].name, ret, len, e.msg);
	}

	/* not a regular file: a directory, a FIFO (must not block) */
	path = t_path("kdir");
	mkdir(path, 0700);
	ret = load_keyfile(path, key, &len, &e);
	t_check(ret && strstr(e.msg, "not a regular file"), "load_keyfile",
		"directory: got %d '%s'", ret, e.msg);
	path = t_path("kfifo");
	mkfifo(path, 0600);
	ret = load_keyfile(path, key, &len, &e);
	t_check(ret && strstr(e.msg, "not a regular file"), "load_keyfile",
		"fifo: got %d '%s'", ret, e.msg);

	/* a key file larger than any key */
	{
		char big[5000];

		memset(big, '0', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		path = t_file("kbig", big, 0600);
		ret = load_keyfile(path, key, &len, &e);
		t_check(ret && strstr(e.msg, "too large"), "load_keyfile",
			"big: got %d '%s'", ret, e.msg);
	}
}

static const struct {
	const char *s;
	int ret;
	uint8_t proto;
} upper_proto_cases[] = {
	{ "tcp", 0, 6 }, { "udp", 0, 17 }, { "icmp", 0, 1 },
	{ "ipv6-icmp", 0, 58 }, { "icmpv6", 0, 58 }, { "sctp", 0, 132 },
	{ "udplite", 0, 136 }, { "esp", 0, 50 }, { "ah", 0, 51 },
	{ "gre", 0, 47 }, { "0", 0, 0 }, { "255", 0, 255 }, { "0x11", 0, 17 },
	{ "256", -1, 0 }, { "TCP", -1, 0 }, { "ipip", -1, 0 }, { "-1", -1, 0 },
};

static void upper_proto_tests(void)
{
	char *argv[] = { NULL, NULL };
	struct args a;
	struct perr e;
	uint8_t proto;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(upper_proto_cases); i++) {
		argv[0] = (char *)upper_proto_cases[i].s;
		args_init(&a, 1, argv);
		a.word = "proto";
		proto = 0xee;
		ret = args_upper_proto(&a, &proto, &e);
		t_check(ret == upper_proto_cases[i].ret &&
			(ret ? e.status == EXIT_USAGE :
			       proto == upper_proto_cases[i].proto),
			"args_upper_proto", "'%s': got %d %u",
			upper_proto_cases[i].s, ret, proto);
	}
}

static void name_tests(void)
{
	char buf[PROTO_STR_MAX];
	unsigned int v;

	t_check(!name_lookup(&mode_names, "tunnel", &v) &&
		v == KIPSEC_MODE_TUNNEL, "name_lookup", "tunnel");
	t_check(name_lookup(&mode_names, "Tunnel", &v) == -ENOENT,
		"name_lookup", "names are case-sensitive");
	t_check(!strcmp(name_of(&upper_proto_names, 58), "ipv6-icmp"),
		"name_of", "the canonical name comes before the alias");
	t_check(!name_of(&dir_names, 7), "name_of", "unknown value");
	t_check(!strcmp(upper_proto_str(99, buf), "99"), "upper_proto_str",
		"a number without a name");
}

void args_tests(void)
{
	u64_tests();
	prefix_tests();
	host_bits_tests();
	port_tests();
	hex_tests();
	keyfile_tests();
	upper_proto_tests();
	name_tests();
}
