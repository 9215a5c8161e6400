// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/netlink.h>

#include "netns.h"
#include "spd.h"
#include "suites.h"

static int spd_test_init(struct kunit *test)
{
	struct kipsec_net *kn = kipsec_test_net(test);

	return kn ? kipsec_spd_init(kn) : -ENOMEM;
}

static void spd_test_exit(struct kunit *test)
{
	kipsec_spd_fini(test->priv);
}

static u16 addr(const char *s, union kipsec_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!s)
		return 0;
	if (in4_pton(s, -1, (u8 *)&a->a4, -1, NULL))
		return AF_INET;
	if (in6_pton(s, -1, a->a6.s6_addr, -1, NULL))
		return AF_INET6;
	return 0;
}

static void bypass(struct kipsec_policy_config *cfg, u8 dir, u32 priority)
{
	kipsec_policy_config_init(cfg);
	cfg->has_dir = true;
	cfg->dir = dir;
	cfg->priority = priority;
	cfg->action = KIPSEC_ACTION_BYPASS;
}

static u32 add(struct kunit *test, const struct kipsec_policy_config *cfg)
{
	u32 id = 0;

	KUNIT_ASSERT_EQ(test, kipsec_policy_add(test->priv, cfg, &id, NULL), 0);
	return id;
}

/* The ids of @dir's list, in evaluation order; returns how many. */
static unsigned int list_ids(struct kipsec_net *kn, u8 dir, u32 *ids,
			     unsigned int max)
{
	struct kipsec_policy *pol;
	unsigned int n = 0;

	mutex_lock(&kn->config_lock);
	list_for_each_entry(pol, &kn->spd.lists[dir], list)
		if (n < max)
			ids[n++] = pol->id;
	mutex_unlock(&kn->config_lock);
	return n;
}

/* ---- ordering ---- */

static void spd_ids_start_at_one(struct kunit *test)
{
	struct kipsec_policy_config cfg;
	u32 a, b;

	bypass(&cfg, KIPSEC_DIR_OUT, 1);
	a = add(test, &cfg);
	cfg.priority = 2;
	b = add(test, &cfg);

	KUNIT_EXPECT_EQ(test, a, 1U);
	KUNIT_EXPECT_EQ(test, b, 2U);
}

static void spd_ordered_by_priority_then_insertion(struct kunit *test)
{
	static const u32 prios[] = { 30, 10, 20, 10, 0xffffffff, 0 };
	/* Insertion order 1..6; the expected evaluation order: */
	static const u32 order[] = { 6, 2, 4, 3, 1, 5 };
	struct kipsec_policy_config cfg;
	u32 ids[ARRAY_SIZE(order)];
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(prios); i++) {
		bypass(&cfg, KIPSEC_DIR_IN, prios[i]);
		/* Ties need distinct selectors, or they are duplicates. */
		cfg.has_proto = true;
		cfg.proto = i;
		add(test, &cfg);
	}

	n = list_ids(test->priv, KIPSEC_DIR_IN, ids, ARRAY_SIZE(ids));

	KUNIT_ASSERT_EQ(test, n, (unsigned int)ARRAY_SIZE(order));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, ids[i], order[i], "position %u", i);
	KUNIT_EXPECT_EQ(test, list_ids(test->priv, KIPSEC_DIR_OUT, ids, 1), 0U);
}

static void spd_first_match_wins(struct kunit *test)
{
	struct kipsec_policy_config cfg;
	struct kipsec_flow flow = {};
	struct kipsec_policy *pol;
	u32 broad, narrow;

	bypass(&cfg, KIPSEC_DIR_OUT, 100);
	broad = add(test, &cfg);
	cfg.priority = 50;
	cfg.action = KIPSEC_ACTION_DISCARD;
	cfg.dst_family = addr("192.0.2.0", &cfg.daddr);
	cfg.has_dprefix = true;
	cfg.dprefix = 24;
	narrow = add(test, &cfg);
	flow.family = addr("198.51.100.1", &flow.saddr);
	addr("192.0.2.7", &flow.daddr);

	rcu_read_lock();
	pol = kipsec_spd_lookup_rcu(test->priv, KIPSEC_DIR_OUT, &flow);
	KUNIT_EXPECT_EQ(test, pol ? pol->id : 0, narrow);
	addr("192.0.3.7", &flow.daddr);
	pol = kipsec_spd_lookup_rcu(test->priv, KIPSEC_DIR_OUT, &flow);
	KUNIT_EXPECT_EQ(test, pol ? pol->id : 0, broad);
	KUNIT_EXPECT_NULL(test, kipsec_spd_lookup_rcu(test->priv, KIPSEC_DIR_IN,
						      &flow));
	rcu_read_unlock();
}

static void spd_update_resorts_and_keeps_id(struct kunit *test)
{
	struct kipsec_policy_config cfg;
	u32 ids[3];
	u32 a, b, c;

	bypass(&cfg, KIPSEC_DIR_OUT, 10);
	cfg.has_proto = true;
	cfg.proto = 1;
	a = add(test, &cfg);
	cfg.priority = 20;
	cfg.proto = 2;
	b = add(test, &cfg);
	cfg.priority = 30;
	cfg.proto = 3;
	c = add(test, &cfg);
	bypass(&cfg, KIPSEC_DIR_OUT, 25);
	cfg.id = a;
	cfg.action = KIPSEC_ACTION_DISCARD;

	KUNIT_ASSERT_EQ(test, kipsec_policy_update(test->priv, &cfg, NULL), 0);

	KUNIT_ASSERT_EQ(test, list_ids(test->priv, KIPSEC_DIR_OUT, ids, 3), 3U);
	KUNIT_EXPECT_EQ(test, ids[0], b);
	KUNIT_EXPECT_EQ(test, ids[1], a);
	KUNIT_EXPECT_EQ(test, ids[2], c);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, kipsec_policy_find_rcu(test->priv, a)->action,
			KIPSEC_ACTION_DISCARD);
	rcu_read_unlock();
}

static void spd_update_cannot_change_dir(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct kipsec_policy_config cfg;
	u32 ids[1];

	bypass(&cfg, KIPSEC_DIR_OUT, 10);
	cfg.id = add(test, &cfg);
	cfg.dir = KIPSEC_DIR_IN;

	KUNIT_EXPECT_EQ(test, kipsec_policy_update(test->priv, &cfg, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "a policy cannot change direction");
	KUNIT_EXPECT_EQ(test, list_ids(test->priv, KIPSEC_DIR_OUT, ids, 1), 1U);
}

static void spd_duplicate_names_existing_id(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct netlink_ext_ack extack = {};
	struct kipsec_policy_config cfg;
	u64 cookie = 0;
	u32 first, id;

	bypass(&cfg, KIPSEC_DIR_OUT, 10);
	add(test, &cfg);
	cfg.priority = 11;
	first = add(test, &cfg);
	/* Same selector and priority, other action: still a duplicate. */
	cfg.action = KIPSEC_ACTION_DISCARD;

	KUNIT_EXPECT_EQ(test, kipsec_policy_add(kn, &cfg, &id, &extack),
			-EEXIST);
	KUNIT_ASSERT_EQ(test, extack.cookie_len, (u8)sizeof(cookie));
	memcpy(&cookie, extack.cookie, sizeof(cookie));
	KUNIT_EXPECT_EQ(test, cookie, (u64)first);
	KUNIT_EXPECT_EQ(test, kn->spd.count, 2U);
}

static void spd_delete_and_flush(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_policy_config cfg;
	u32 ids[2];
	u32 a;

	bypass(&cfg, KIPSEC_DIR_OUT, 1);
	a = add(test, &cfg);
	cfg.priority = 2;
	add(test, &cfg);
	bypass(&cfg, KIPSEC_DIR_IN, 1);
	add(test, &cfg);

	KUNIT_EXPECT_EQ(test, kipsec_policy_del(kn, a), 0);
	KUNIT_EXPECT_EQ(test, kipsec_policy_del(kn, a), -ENOENT);
	KUNIT_EXPECT_EQ(test, kipsec_spd_flush(kn, KIPSEC_DIR_IN), 1U);
	KUNIT_EXPECT_EQ(test, list_ids(kn, KIPSEC_DIR_OUT, ids, 2), 1U);
	KUNIT_EXPECT_EQ(test, kipsec_spd_flush(kn, KIPSEC_DIR_ANY), 1U);
	KUNIT_EXPECT_EQ(test, kn->spd.count, 0U);
}

static void spd_limit_refuses_with_enospc(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct netlink_ext_ack extack = {};
	struct kipsec_policy_config cfg;
	u32 id;

	kn->spd.max = 1;
	bypass(&cfg, KIPSEC_DIR_OUT, 1);
	add(test, &cfg);
	cfg.dir = KIPSEC_DIR_IN;

	KUNIT_EXPECT_EQ(test, kipsec_policy_add(kn, &cfg, &id, &extack),
			-ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "max_policies"));
}

/* ---- matching ---- */

#define ANY_PLEN 0xff		/* no prefix length: the full address */
#define NO_PROTO (-1)

struct match_case {
	const char *desc;
	/* the policy */
	const char *src;
	u8 splen;
	const char *dst;
	u8 dplen;
	int proto;
	u16 sport_min, sport_max;	/* 0, 0: no sport */
	u16 dport_min, dport_max;
	int icmp_type, icmp_code;	/* -1: none */
	/* the packet */
	const char *fsrc, *fdst;
	u8 fproto;
	u16 fsport, fdport;
	u8 ftype, fcode;
	bool match;
};

#define V4 "192.0.2.1", "198.51.100.1"
#define V6 "2001:db8::1", "2001:db8:1::1"

static const struct match_case match_cases[] = {
	{ "empty matches v4", NULL, ANY_PLEN, NULL, ANY_PLEN, NO_PROTO, 0, 0,
	  0, 0, -1, -1, V4, 6, 1, 2, 0, 0, true },
	{ "empty matches v6", NULL, ANY_PLEN, NULL, ANY_PLEN, NO_PROTO, 0, 0,
	  0, 0, -1, -1, V6, 17, 1, 2, 0, 0, true },
	{ "proto only, family-less, v6", NULL, ANY_PLEN, NULL, ANY_PLEN, 17,
	  0, 0, 0, 0, -1, -1, V6, 17, 1, 2, 0, 0, true },
	{ "proto mismatch", NULL, ANY_PLEN, NULL, ANY_PLEN, 6, 0, 0, 0, 0, -1,
	  -1, V4, 17, 1, 2, 0, 0, false },
	{ "v4 /0 matches v4", "0.0.0.0", 0, NULL, ANY_PLEN, NO_PROTO, 0, 0, 0,
	  0, -1, -1, V4, 6, 1, 2, 0, 0, true },
	{ "v4 /0 not v6", "0.0.0.0", 0, NULL, ANY_PLEN, NO_PROTO, 0, 0, 0, 0,
	  -1, -1, V6, 6, 1, 2, 0, 0, false },
	{ "v6 /0 not v4", NULL, ANY_PLEN, "::", 0, NO_PROTO, 0, 0, 0, 0, -1,
	  -1, V4, 6, 1, 2, 0, 0, false },
	{ "v4 /32 exact", "192.0.2.1", 32, NULL, ANY_PLEN, NO_PROTO, 0, 0, 0,
	  0, -1, -1, V4, 6, 1, 2, 0, 0, true },
	{ "v4 /32 default", "192.0.2.1", ANY_PLEN, NULL, ANY_PLEN, NO_PROTO, 0,
	  0, 0, 0, -1, -1, V4, 6, 1, 2, 0, 0, true },
	{ "v4 /32 off by one", "192.0.2.2", 32, NULL, ANY_PLEN, NO_PROTO, 0, 0,
	  0, 0, -1, -1, V4, 6, 1, 2, 0, 0, false },
	{ "v4 /24 inside", NULL, ANY_PLEN, "198.51.100.0", 24, NO_PROTO, 0, 0,
	  0, 0, -1, -1, "192.0.2.1", "198.51.100.255", 6, 1, 2, 0, 0, true },
	{ "v4 /24 outside", NULL, ANY_PLEN, "198.51.100.0", 24, NO_PROTO, 0, 0,
	  0, 0, -1, -1, "192.0.2.1", "198.51.101.0", 6, 1, 2, 0, 0, false },
	{ "v4 /31", "192.0.2.0", 31, NULL, ANY_PLEN, NO_PROTO, 0, 0, 0, 0, -1,
	  -1, V4, 6, 1, 2, 0, 0, true },
	{ "v6 /128 exact", "2001:db8::1", 128, NULL, ANY_PLEN, NO_PROTO, 0, 0,
	  0, 0, -1, -1, V6, 6, 1, 2, 0, 0, true },
	{ "v6 /128 off", "2001:db8::2", ANY_PLEN, NULL, ANY_PLEN, NO_PROTO, 0,
	  0, 0, 0, -1, -1, V6, 6, 1, 2, 0, 0, false },
	{ "v6 /48 inside", NULL, ANY_PLEN, "2001:db8:1::", 48, NO_PROTO, 0, 0,
	  0, 0, -1, -1, V6, 6, 1, 2, 0, 0, true },
	{ "v6 /63 outside", NULL, ANY_PLEN, "2001:db8:1::", 63, NO_PROTO, 0,
	  0, 0, 0, -1, -1, "::1", "2001:db8:1:2::", 6, 1, 2, 0, 0, false },
	{ "v6 /0 matches v6", "::", 0, "::", 0, NO_PROTO, 0, 0, 0, 0, -1, -1,
	  V6, 6, 1, 2, 0, 0, true },
	{ "sport below range", NULL, ANY_PLEN, NULL, ANY_PLEN, 6, 1000, 2000,
	  0, 0, -1, -1, V4, 6, 999, 80, 0, 0, false },
	{ "sport range start", NULL, ANY_PLEN, NULL, ANY_PLEN, 6, 1000, 2000,
	  0, 0, -1, -1, V4, 6, 1000, 80, 0, 0, true },
	{ "sport range end", NULL, ANY_PLEN, NULL, ANY_PLEN, 6, 1000, 2000, 0,
	  0, -1, -1, V4, 6, 2000, 80, 0, 0, true },
	{ "sport above range", NULL, ANY_PLEN, NULL, ANY_PLEN, 6, 1000, 2000,
	  0, 0, -1, -1, V4, 6, 2001, 80, 0, 0, false },
	{ "dport single", NULL, ANY_PLEN, NULL, ANY_PLEN, 17, 0, 0, 53, 53, -1,
	  -1, V6, 17, 4000, 53, 0, 0, true },
	{ "dport single miss", NULL, ANY_PLEN, NULL, ANY_PLEN, 17, 0, 0, 53,
	  53, -1, -1, V6, 17, 4000, 54, 0, 0, false },
	{ "dport full range, port 0", NULL, ANY_PLEN, NULL, ANY_PLEN, 132, 0,
	  0, 0, 65535, -1, -1, V4, 132, 1, 0, 0, 0, true },
	{ "dport full range, 65535", NULL, ANY_PLEN, NULL, ANY_PLEN, 136, 0,
	  0, 0, 65535, -1, -1, V4, 136, 1, 65535, 0, 0, true },
	{ "icmp type", "192.0.2.1", ANY_PLEN, NULL, ANY_PLEN, 1, 0, 0, 0, 0, 8,
	  -1, V4, 1, 0, 0, 8, 3, true },
	{ "icmp type miss", NULL, ANY_PLEN, NULL, ANY_PLEN, 1, 0, 0, 0, 0, 8,
	  -1, V4, 1, 0, 0, 0, 0, false },
	{ "icmp type+code", NULL, ANY_PLEN, NULL, ANY_PLEN, 1, 0, 0, 0, 0, 3,
	  4, V4, 1, 0, 0, 3, 4, true },
	{ "icmp code miss", NULL, ANY_PLEN, NULL, ANY_PLEN, 1, 0, 0, 0, 0, 3,
	  4, V4, 1, 0, 0, 3, 3, false },
	{ "icmpv6 type", "2001:db8::", 32, NULL, ANY_PLEN, 58, 0, 0, 0, 0,
	  135, 0, V6, 58, 0, 0, 135, 0, true },
	{ "icmpv6 on v4 flow", NULL, ANY_PLEN, NULL, ANY_PLEN, 58, 0, 0, 0, 0,
	  128, -1, V4, 1, 0, 0, 128, 0, false },
};

static void match_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_desc);

static void match_policy(struct kipsec_policy_config *cfg,
			 const struct match_case *c)
{
	bypass(cfg, KIPSEC_DIR_OUT, 1);
	cfg->src_family = addr(c->src, &cfg->saddr);
	cfg->has_sprefix = c->splen != ANY_PLEN;
	cfg->sprefix = c->splen;
	cfg->dst_family = addr(c->dst, &cfg->daddr);
	cfg->has_dprefix = c->dplen != ANY_PLEN;
	cfg->dprefix = c->dplen;
	cfg->has_proto = c->proto != NO_PROTO;
	cfg->proto = c->proto;
	cfg->has_sport = c->sport_max;
	cfg->sport_min = c->sport_min;
	cfg->sport_max = c->sport_max;
	cfg->has_dport = c->dport_max;
	cfg->dport_min = c->dport_min;
	cfg->dport_max = c->dport_max;
	cfg->has_icmp_type = c->icmp_type >= 0;
	cfg->icmp_type = c->icmp_type;
	cfg->has_icmp_code = c->icmp_code >= 0;
	cfg->icmp_code = c->icmp_code;
}

static void spd_matching(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct kipsec_policy_config cfg;
	struct kipsec_flow flow = {
		.proto = c->fproto,
		.sport = htons(c->fsport),
		.dport = htons(c->fdport),
		.icmp_type = c->ftype,
		.icmp_code = c->fcode,
	};
	struct kipsec_policy *pol;
	u32 id;

	match_policy(&cfg, c);
	flow.family = addr(c->fsrc, &flow.saddr);
	addr(c->fdst, &flow.daddr);
	id = add(test, &cfg);

	rcu_read_lock();
	pol = kipsec_spd_lookup_rcu(test->priv, KIPSEC_DIR_OUT, &flow);
	KUNIT_EXPECT_EQ(test, pol ? pol->id : 0, c->match ? id : 0);
	if (pol)
		KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&pol->sel, &flow));
	rcu_read_unlock();
}

/* ---- validation ---- */

struct check_case {
	const char *desc;
	void (*change)(struct kipsec_policy_config *cfg);
	int err;
	const char *msg;
};

static void set_src(struct kipsec_policy_config *cfg, const char *a, u8 plen)
{
	cfg->src_family = addr(a, &cfg->saddr);
	cfg->has_sprefix = true;
	cfg->sprefix = plen;
}

static void set_dst(struct kipsec_policy_config *cfg, const char *a, u8 plen)
{
	cfg->dst_family = addr(a, &cfg->daddr);
	cfg->has_dprefix = true;
	cfg->dprefix = plen;
}

static void v4_plen_33(struct kipsec_policy_config *cfg)
{
	set_src(cfg, "192.0.2.0", 33);
}

static void v6_plen_129(struct kipsec_policy_config *cfg)
{
	set_dst(cfg, "2001:db8::", 129);
}

static void v4_host_bits(struct kipsec_policy_config *cfg)
{
	set_src(cfg, "192.0.2.1", 24);
}

static void v6_host_bits(struct kipsec_policy_config *cfg)
{
	set_dst(cfg, "2001:db8::1", 127);
}

static void v4_slash_0_host_bits(struct kipsec_policy_config *cfg)
{
	set_dst(cfg, "0.0.0.1", 0);
}

static void mixed_family(struct kipsec_policy_config *cfg)
{
	set_src(cfg, "192.0.2.0", 24);
	set_dst(cfg, "2001:db8::", 32);
}

static void plen_without_addr(struct kipsec_policy_config *cfg)
{
	cfg->has_dprefix = true;
	cfg->dprefix = 8;
}

static void ports_without_proto(struct kipsec_policy_config *cfg)
{
	cfg->has_dport = true;
	cfg->dport_max = 80;
}

static void ports_with_icmp(struct kipsec_policy_config *cfg)
{
	cfg->has_proto = true;
	cfg->proto = IPPROTO_ICMP;
	cfg->has_sport = true;
}

static void port_min_above_max(struct kipsec_policy_config *cfg)
{
	cfg->has_proto = true;
	cfg->proto = IPPROTO_TCP;
	cfg->has_dport = true;
	cfg->dport_min = 81;
	cfg->dport_max = 80;
}

static void icmp_type_on_tcp(struct kipsec_policy_config *cfg)
{
	cfg->has_proto = true;
	cfg->proto = IPPROTO_TCP;
	cfg->has_icmp_type = true;
}

static void icmp_type_no_proto(struct kipsec_policy_config *cfg)
{
	cfg->has_icmp_type = true;
}

static void icmp_on_v6(struct kipsec_policy_config *cfg)
{
	set_dst(cfg, "2001:db8::", 32);
	cfg->has_proto = true;
	cfg->proto = IPPROTO_ICMP;
	cfg->has_icmp_type = true;
}

static void icmpv6_on_v4(struct kipsec_policy_config *cfg)
{
	set_src(cfg, "192.0.2.0", 24);
	cfg->has_proto = true;
	cfg->proto = IPPROTO_ICMPV6;
	cfg->has_icmp_type = true;
}

static void code_without_type(struct kipsec_policy_config *cfg)
{
	cfg->has_proto = true;
	cfg->proto = IPPROTO_ICMP;
	cfg->has_icmp_code = true;
}

static void protect_one(struct kipsec_policy_config *cfg)
{
	cfg->action = KIPSEC_ACTION_PROTECT;
	cfg->ntmpls = 1;
	cfg->tmpls[0].proto = IPPROTO_AH;
}

static void protect_none(struct kipsec_policy_config *cfg)
{
	cfg->action = KIPSEC_ACTION_PROTECT;
}

static void protect_three(struct kipsec_policy_config *cfg)
{
	cfg->action = KIPSEC_ACTION_PROTECT;
	cfg->ntmpls = 3;
}

static void protect_ah_esp(struct kipsec_policy_config *cfg)
{
	cfg->action = KIPSEC_ACTION_PROTECT;
	cfg->ntmpls = 2;
	cfg->tmpls[0].proto = IPPROTO_AH;
	cfg->tmpls[1].proto = IPPROTO_ESP;
}

static void protect_esp_ah(struct kipsec_policy_config *cfg)
{
	protect_ah_esp(cfg);
	cfg->tmpls[0].proto = IPPROTO_ESP;
	cfg->tmpls[1].proto = IPPROTO_AH;
	cfg->tmpls[1].has_spi = true;
	cfg->tmpls[1].spi = htonl(256);
}

static void tmpl_spi_255(struct kipsec_policy_config *cfg)
{
	protect_one(cfg);
	cfg->tmpls[0].has_spi = true;
	cfg->tmpls[0].spi = htonl(255);
}

static void tmpl_proto_udp(struct kipsec_policy_config *cfg)
{
	protect_one(cfg);
	cfg->tmpls[0].proto = IPPROTO_UDP;
}

static void discard_with_tmpl(struct kipsec_policy_config *cfg)
{
	protect_one(cfg);
	cfg->action = KIPSEC_ACTION_DISCARD;
}

static void bad_action(struct kipsec_policy_config *cfg)
{
	cfg->action = KIPSEC_ACTION_MAX + 1;
}

static const struct check_case check_cases[] = {
	{ "v4 prefix 33", v4_plen_33, -EINVAL,
	  "src prefix length beyond the address" },
	{ "v6 prefix 129", v6_plen_129, -EINVAL,
	  "dst prefix length beyond the address" },
	{ "v4 host bits", v4_host_bits, -EINVAL, "host bits set in src prefix" },
	{ "v6 host bits", v6_host_bits, -EINVAL, "host bits set in dst prefix" },
	{ "v4 /0 host bits", v4_slash_0_host_bits, -EINVAL,
	  "host bits set in dst prefix" },
	{ "mixed family", mixed_family, -EINVAL,
	  "src and dst must be the same family" },
	{ "prefix without address", plen_without_addr, -EINVAL,
	  "dst prefix length without dst" },
	{ "ports without proto", ports_without_proto, -EINVAL,
	  "ports need proto tcp, udp, udplite or sctp" },
	{ "ports with icmp", ports_with_icmp, -EINVAL,
	  "ports need proto tcp, udp, udplite or sctp" },
	{ "port min above max", port_min_above_max, -EINVAL,
	  "dport range ends before it starts" },
	{ "icmp type on tcp", icmp_type_on_tcp, -EINVAL,
	  "ICMP type needs proto icmp or ipv6-icmp" },
	{ "icmp type without proto", icmp_type_no_proto, -EINVAL,
	  "ICMP type needs proto icmp or ipv6-icmp" },
	{ "icmp on v6", icmp_on_v6, -EINVAL,
	  "ICMP type: icmp is for IPv4, ipv6-icmp for IPv6" },
	{ "icmpv6 on v4", icmpv6_on_v4, -EINVAL,
	  "ICMP type: icmp is for IPv4, ipv6-icmp for IPv6" },
	{ "code without type", code_without_type, -EINVAL,
	  "ICMP code needs an ICMP type" },
	{ "protect, one template", protect_one, 0, NULL },
	{ "protect, esp then ah", protect_esp_ah, 0, NULL },
	{ "protect, none", protect_none, -EINVAL,
	  "protect needs 1 or 2 templates" },
	{ "protect, three", protect_three, -EINVAL,
	  "protect needs 1 or 2 templates" },
	{ "protect, ah then esp", protect_ah_esp, -EINVAL,
	  "two templates must be esp then ah" },
	{ "template spi 255", tmpl_spi_255, -EINVAL,
	  "template SPIs 0 to 255 are reserved (RFC 4301)" },
	{ "template proto udp", tmpl_proto_udp, -EINVAL,
	  "template proto must be esp or ah" },
	{ "discard with template", discard_with_tmpl, -EINVAL,
	  "only protect takes templates" },
	{ "bad action", bad_action, -EINVAL, "unknown policy action" },
};

static void check_desc(const struct check_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(check, check_cases, check_desc);

static void spd_config_checked(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct netlink_ext_ack extack = {};
	struct kipsec_policy_config cfg;
	u32 id = 0;
	int ret;

	bypass(&cfg, KIPSEC_DIR_OUT, 1);
	c->change(&cfg);

	ret = kipsec_policy_add(kn, &cfg, &id, &extack);

	KUNIT_EXPECT_EQ(test, ret, c->err);
	if (c->msg)
		KUNIT_EXPECT_STREQ(test, extack._msg, c->msg);
	KUNIT_EXPECT_EQ(test, kn->spd.count, c->err ? 0U : 1U);
}

static struct kunit_case spd_test_cases[] = {
	KUNIT_CASE(spd_ids_start_at_one),
	KUNIT_CASE(spd_ordered_by_priority_then_insertion),
	KUNIT_CASE(spd_first_match_wins),
	KUNIT_CASE(spd_update_resorts_and_keeps_id),
	KUNIT_CASE(spd_update_cannot_change_dir),
	KUNIT_CASE(spd_duplicate_names_existing_id),
	KUNIT_CASE(spd_delete_and_flush),
	KUNIT_CASE(spd_limit_refuses_with_enospc),
	KUNIT_CASE_PARAM(spd_matching, match_gen_params),
	KUNIT_CASE_PARAM(spd_config_checked, check_gen_params),
	{}
};

struct kunit_suite kipsec_spd_test_suite = {
	.name = "kipsec-spd",
	.init = spd_test_init,
	.exit = spd_test_exit,
	.test_cases = spd_test_cases,
};
