// SPDX-License-Identifier: GPL-2.0
/*
 * `config` and `policy default`: their grammar, KIPSEC_CMD_SET_CONFIG as
 * sent (byte for byte), the GET_CONFIG reply and how it prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "config.h"
#include "unit.h"

#define OK(dflt, words, bits, in, out, e, a) \
	{ .policy_default = (dflt), .args = (words), .has = (bits), \
	  .default_in = (in), .default_out = (out), .esp = (e), .ah = (a) }
#define BAD(dflt, words, why) \
	{ .policy_default = (dflt), .args = (words), .status = 2, .msg = (why) }

/* @status 0: parses to @has and the values; else the exit and message. */
static const struct config_case {
	bool policy_default;	/* words of "policy default", not "config" */
	const char *args;
	int status;
	const char *msg;
	unsigned int has;
	uint8_t default_in, default_out, esp, ah;
} config_cases[] = {
	OK(false, "", 0, 0, 0, 0, 0),
	OK(false, "esp off", CFG_ESP, 0, 0, 0, 0),
	OK(false, "esp on", CFG_ESP, 0, 0, 1, 0),
	OK(false, "ah off", CFG_AH, 0, 0, 0, 0),
	OK(false, "esp off ah on", CFG_ESP | CFG_AH, 0, 0, 0, 1),
	OK(false, "ah on esp on", CFG_ESP | CFG_AH, 0, 0, 1, 1),
	OK(false, "default-in discard default-out bypass esp on ah off",
	   CFG_ALL, KIPSEC_ACTION_DISCARD, KIPSEC_ACTION_BYPASS, 1, 0),
	OK(false, "default-out discard", CFG_DEFAULT_OUT, 0,
	   KIPSEC_ACTION_DISCARD, 0, 0),
	BAD(false, "esp", "missing on|off after 'esp'"),
	BAD(false, "esp maybe", "esp: 'maybe' is not one of on|off"),
	BAD(false, "esp 1", "esp: '1' is not one of on|off"),
	BAD(false, "esp on esp off", "'esp' given twice"),
	BAD(false, "default-in protect",
	    "default-in: 'protect' is not one of bypass|discard"),
	BAD(false, "bogus", "unexpected word 'bogus'"),
	BAD(false, "-j",
	    "unexpected word '-j' (options go before the object)"),
	OK(true, "", 0, 0, 0, 0, 0),
	OK(true, "in discard", CFG_DEFAULT_IN, KIPSEC_ACTION_DISCARD, 0, 0, 0),
	OK(true, "in bypass", CFG_DEFAULT_IN, KIPSEC_ACTION_BYPASS, 0, 0, 0),
	OK(true, "out discard", CFG_DEFAULT_OUT, 0, KIPSEC_ACTION_DISCARD, 0,
	   0),
	BAD(true, "in", "missing bypass|discard after 'in'"),
	BAD(true, "up bypass", "'up' is not one of in|out"),
	BAD(true, "in protect", "in: 'protect' is not one of bypass|discard"),
	BAD(true, "out discard now", "unexpected word 'now'"),
	BAD(true, "discard in", "'discard' is not one of in|out"),
};

static void run_case(const struct config_case *c)
{
	char buf[256], *argv[ARGV_MAX];
	struct kconfig cfg;
	struct perr e;
	int argc, ret;

	argc = t_split(c->args, buf, sizeof(buf), argv);
	memset(&e, 0, sizeof(e));
	if (c->policy_default)
		ret = policy_default_parse(argc, argv, &cfg, &e);
	else
		ret = config_parse(argc, argv, &cfg, &e);
	if (c->status) {
		t_check(ret && e.status == c->status && !strcmp(e.msg, c->msg),
			"config parse", "'%s': ret %d, status %d, '%s'",
			c->args, ret, e.status, e.msg);
		return;
	}
	t_check(!ret && cfg.has == c->has &&
		cfg.default_in == c->default_in &&
		cfg.default_out == c->default_out && cfg.esp == c->esp &&
		cfg.ah == c->ah, "config parse",
		"'%s': ret %d ('%s'), has %#x in %u out %u esp %u ah %u",
		c->args, ret, e.msg, cfg.has, cfg.default_in,
		cfg.default_out, cfg.esp, cfg.ah);
}

/* The request's attributes after the genl header, as the kernel sees them */
static void wire_test(bool policy_default, const char *args,
		      const uint8_t *want, size_t len)
{
	char buf[256], *argv[ARGV_MAX], msg[512] = { 0 };
	struct nlmsghdr *nlh;
	struct kconfig cfg;
	struct perr e;
	const uint8_t *got;
	size_t got_len;
	int argc, ret;

	argc = t_split(args, buf, sizeof(buf), argv);
	ret = policy_default ? policy_default_parse(argc, argv, &cfg, &e) :
			       config_parse(argc, argv, &cfg, &e);
	if (!t_check(!ret, "config wire", "'%s' does not parse", args))
		return;
	nlh = mnl_nlmsg_put_header(msg);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	config_put(nlh, &cfg);
	got = (const uint8_t *)mnl_nlmsg_get_payload(nlh) +
	      sizeof(struct genlmsghdr);
	got_len = mnl_nlmsg_get_payload_len(nlh) - sizeof(struct genlmsghdr);
	t_check(got_len == len && !memcmp(got, want, len), "config wire",
		"'%s': %zu bytes, want %zu", args, got_len, len);
}

/* An attribute header in host order, as struct nlattr lays it out. */
static size_t wire_hdr(uint8_t *p, uint16_t len, uint16_t type)
{
	struct nlattr h = { .nla_len = len, .nla_type = type };

	memcpy(p, &h, sizeof(h));
	return sizeof(h);
}

/* A u8 attribute: 4-byte header, the value, 3 bytes of zero padding. */
static size_t wire_u8(uint8_t *p, uint16_t type, uint8_t v)
{
	size_t n = wire_hdr(p, 5, type);

	p[n] = v;
	memset(p + n + 1, 0, 3);
	return 8;
}

/*
 * KIPSEC_A_CONFIG (flagged NLA_F_NESTED, as the kernel's strict validation
 * accepts) holding @n (attribute, value) pairs, in that order.
 */
static size_t wire_config(uint8_t *p, const uint8_t (*attrs)[2], size_t n)
{
	size_t len = 4, i;

	for (i = 0; i < n; i++)
		len += wire_u8(p + len, attrs[i][0], attrs[i][1]);
	wire_hdr(p, len, KIPSEC_A_CONFIG | NLA_F_NESTED);
	return len;
}

#define WIRE_TEST(dflt, args, ...) do {					\
		static const uint8_t a[][2] = { __VA_ARGS__ };		\
		uint8_t want[64];					\
		size_t len = wire_config(want, a, ARRAY_SIZE(a));	\
		wire_test(dflt, args, want, len);			\
	} while (0)

static void wire_tests(void)
{
	WIRE_TEST(false, "esp off ah off", { KIPSEC_A_CONFIG_ESP, 0 },
		  { KIPSEC_A_CONFIG_AH, 0 });
	WIRE_TEST(false, "ah on", { KIPSEC_A_CONFIG_AH, 1 });
	WIRE_TEST(false, "esp on", { KIPSEC_A_CONFIG_ESP, 1 });
	/* in attribute order whatever the order of the words */
	WIRE_TEST(false, "ah off esp on default-out bypass default-in discard",
		  { KIPSEC_A_CONFIG_DEFAULT_IN, KIPSEC_ACTION_DISCARD },
		  { KIPSEC_A_CONFIG_DEFAULT_OUT, KIPSEC_ACTION_BYPASS },
		  { KIPSEC_A_CONFIG_ESP, 1 }, { KIPSEC_A_CONFIG_AH, 0 });
	WIRE_TEST(true, "in discard",
		  { KIPSEC_A_CONFIG_DEFAULT_IN, KIPSEC_ACTION_DISCARD });
	WIRE_TEST(true, "out bypass",
		  { KIPSEC_A_CONFIG_DEFAULT_OUT, KIPSEC_ACTION_BYPASS });
	WIRE_TEST(true, "out discard",
		  { KIPSEC_A_CONFIG_DEFAULT_OUT, KIPSEC_ACTION_DISCARD });
}

/* A GET_CONFIG reply: the settings given, then an unknown one. */
static const struct nlattr *reply(char *buf, int din, int dout, int esp,
				  int ah)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *nest;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_CONFIG);
	if (din >= 0)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_DEFAULT_IN, din);
	if (dout >= 0)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_DEFAULT_OUT, dout);
	if (esp >= 0)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_ESP, esp);
	if (ah >= 0)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_AH, ah);
	mnl_attr_put_u32(nlh, KIPSEC_A_CONFIG_MAX + 1, 9);	/* unknown */
	mnl_attr_nest_end(nlh, nest);
	return nest;
}

static void print_test(const struct kconfig *cfg, bool json, bool dflt,
		       const char *want)
{
	char *out = NULL;

	if (dflt)
		T_CAPTURE(out, policy_default_print(f, cfg, json));
	else
		T_CAPTURE(out, config_print(f, cfg, json));
	t_check(!strcmp(out, want), "config print", "%s %s: got:\n%s",
		dflt ? "policy default" : "config", json ? "json" : "text",
		out);
	free(out);
}

static void reply_tests(void)
{
	struct kconfig cfg;
	char buf[512];
	int ret;

	ret = config_from_nest(reply(buf, 0, 1, 1, 1), &cfg);
	if (!t_check(!ret && cfg.has == CFG_ALL, "config reply",
		     "ret %d has %#x", ret, cfg.has))
		return;
	print_test(&cfg, false, false,
		   "default-in bypass\ndefault-out discard\nesp on\nah on\n");
	print_test(&cfg, true, false,
		   "{\"default_in\":\"bypass\",\"default_out\":\"discard\",\"esp\":true,\"ah\":true}\n");
	print_test(&cfg, false, true, "in bypass\nout discard\n");
	print_test(&cfg, true, true, "{\"in\":\"bypass\",\"out\":\"discard\"}\n");

	ret = config_from_nest(reply(buf, 1, 0, 0, 0), &cfg);
	t_check(!ret, "config reply", "ret %d", ret);
	print_test(&cfg, false, false,
		   "default-in discard\ndefault-out bypass\nesp off\nah off\n");
	print_test(&cfg, true, false,
		   "{\"default_in\":\"discard\",\"default_out\":\"bypass\",\"esp\":false,\"ah\":false}\n");

	/* values this tool has no name for (a newer kernel): numbers */
	ret = config_from_nest(reply(buf, 7, -1, -1, 1), &cfg);
	t_check(!ret && cfg.has == (CFG_DEFAULT_IN | CFG_AH), "config reply",
		"partial: ret %d has %#x", ret, cfg.has);
	print_test(&cfg, false, false, "default-in 7\nah on\n");
	print_test(&cfg, true, false, "{\"default_in\":7,\"ah\":true}\n");
	print_test(&cfg, false, true, "in 7\n");
	print_test(&cfg, true, true, "{\"in\":7}\n");
}

static void malformed_tests(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct kconfig cfg;
	char buf[256];
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_CONFIG);
	mnl_attr_put_u32(nlh, KIPSEC_A_CONFIG_ESP, 1);	/* u8 expected */
	mnl_attr_nest_end(nlh, nest);
	errno = 0;
	ret = config_from_nest(nest, &cfg);
	t_check(ret && errno == EPROTO, "config reply",
		"a u32 switch must be refused");
}

void config_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(config_cases); i++)
		run_case(&config_cases[i]);
	wire_tests();
	reply_tests();
	malformed_tests();
}
