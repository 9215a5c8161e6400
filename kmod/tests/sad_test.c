// SPDX-License-Identifier: GPL-2.0
#include <crypto/aead.h>
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/netlink.h>

#include "netns.h"
#include "lifetime.h"
#include "sad.h"
#include "suites.h"

static int sad_test_init(struct kunit *test)
{
	struct kipsec_net *kn = kipsec_test_net(test);

	return kn ? kipsec_sad_init(kn) : -ENOMEM;
}

static void sad_test_exit(struct kunit *test)
{
	kipsec_sad_fini(test->priv);
}

static const u8 key[KIPSEC_KEY_MAX_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
};

static u16 addr(const char *s, union kipsec_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (in4_pton(s, -1, (u8 *)&a->a4, -1, NULL))
		return AF_INET;
	if (in6_pton(s, -1, a->a6.s6_addr, -1, NULL))
		return AF_INET6;
	return 0;
}

/* An ESP SA with AES-GCM from @src to @dst: valid as it stands. */
static void gcm_sa(struct kipsec_sa_config *cfg, const char *src,
		   const char *dst, u32 spi)
{
	kipsec_sa_config_init(cfg);
	addr(src, &cfg->saddr);
	cfg->family = addr(dst, &cfg->daddr);
	cfg->proto = IPPROTO_ESP;
	cfg->spi = spi;
	cfg->enc_name = "aes-128-gcm";
	cfg->enc_key = key;
	cfg->enc_key_len = 20;
}

static struct kipsec_sa *lookup(struct kipsec_net *kn,
				const struct kipsec_sa_config *cfg)
{
	struct kipsec_sa *sa;

	rcu_read_lock();
	sa = kipsec_sa_lookup_rcu(kn, cfg->family, &cfg->daddr,
				  htonl(cfg->spi), cfg->proto);
	rcu_read_unlock();
	/* The config lock is not held, but nobody else changes this kn. */
	return sa;
}

/* ---- insert, lookup, delete ---- */

struct pair_case {
	const char *src, *dst, *other_dst;
};

static const struct pair_case pair_cases[] = {
	{ "192.0.2.1", "192.0.2.2", "192.0.2.3" },
	{ "2001:db8::1", "2001:db8::2", "2001:db8::3" },
};

static void pair_desc(const struct pair_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->dst);
}

KUNIT_ARRAY_PARAM(pair, pair_cases, pair_desc);

static void sad_insert_then_lookup(struct kunit *test)
{
	const struct pair_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg, other;
	struct kipsec_sa *sa;

	gcm_sa(&cfg, c->src, c->dst, 0x1000);

	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	sa = lookup(kn, &cfg);

	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_EQ(test, sa->id.spi, htonl(0x1000));
	KUNIT_EXPECT_EQ(test, sa->id.family, cfg.family);
	KUNIT_EXPECT_TRUE(test, kipsec_addr_equal(&sa->pair.saddr, &cfg.saddr));
	KUNIT_EXPECT_PTR_EQ(test, sa->enc, kipsec_alg_find("aes-128-gcm"));
	KUNIT_EXPECT_EQ(test, sa->replay_window, KIPSEC_REPLAY_WINDOW_DEFAULT);
	KUNIT_EXPECT_EQ(test, kn->sad.count, 1U);
	other = cfg;
	other.spi = 0x1001;
	KUNIT_EXPECT_NULL(test, lookup(kn, &other));
	other = cfg;
	other.proto = IPPROTO_AH;
	KUNIT_EXPECT_NULL(test, lookup(kn, &other));
	other = cfg;
	addr(c->other_dst, &other.daddr);
	KUNIT_EXPECT_NULL(test, lookup(kn, &other));
}

static void sad_delete(struct kunit *test)
{
	const struct pair_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	int ret;

	gcm_sa(&cfg, c->src, c->dst, 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);

	ret = kipsec_sa_del(kn, cfg.family, &cfg.daddr, htonl(cfg.spi),
			    cfg.proto);

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_NULL(test, lookup(kn, &cfg));
	KUNIT_EXPECT_EQ(test, kn->sad.count, 0U);
	KUNIT_EXPECT_EQ(test, kipsec_sa_del(kn, cfg.family, &cfg.daddr,
					    htonl(cfg.spi), cfg.proto),
			-ENOENT);
}

static void sad_duplicate_refused(struct kunit *test)
{
	const struct pair_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct netlink_ext_ack extack = {};
	struct kipsec_sa_config cfg;
	struct kipsec_sa *first;

	gcm_sa(&cfg, c->src, c->dst, 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	first = lookup(kn, &cfg);
	/* Unique by (dst, SPI, proto): another src does not make it new. */
	addr(c->other_dst, &cfg.saddr);

	KUNIT_EXPECT_EQ(test, kipsec_sa_add(kn, &cfg, &extack), -EEXIST);
	KUNIT_EXPECT_STREQ(test, extack._msg, "SA already exists");
	KUNIT_EXPECT_PTR_EQ(test, lookup(kn, &cfg), first);
	KUNIT_EXPECT_EQ(test, kn->sad.count, 1U);
}

static void sad_same_spi_other_key_accepted(struct kunit *test)
{
	const struct pair_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg, ah, other;

	gcm_sa(&cfg, c->src, c->dst, 0x1000);
	ah = cfg;
	ah.proto = IPPROTO_AH;
	ah.enc_name = NULL;
	ah.enc_key = NULL;
	ah.auth_name = "hmac-sha1";
	ah.auth_key = key;
	ah.auth_key_len = 20;
	other = cfg;
	addr(c->other_dst, &other.daddr);

	KUNIT_EXPECT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, kipsec_sa_add(kn, &ah, NULL), 0);
	KUNIT_EXPECT_EQ(test, kipsec_sa_add(kn, &other, NULL), 0);
	KUNIT_EXPECT_EQ(test, kn->sad.count, 3U);
	KUNIT_EXPECT_EQ(test, lookup(kn, &ah)->id.proto, IPPROTO_AH);
}

/* ---- update ---- */

static void bump_counters(struct kipsec_sa *sa)
{
	spin_lock_bh(&sa->state->lock);
	sa->state->stats.packets = 5;
	sa->state->stats.bytes = 500;
	sa->state->stats.integrity_failures = 2;
	sa->state->seq = 42;
	spin_unlock_bh(&sa->state->lock);
}

static void sad_update_keeps_counters(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa_stats before, after;
	struct kipsec_sa *old, *new;
	u64 seq;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	old = lookup(kn, &cfg);
	bump_counters(old);
	kipsec_sa_read_state(old, &before, &seq);
	cfg.enc_name = "aes-256-gcm";
	cfg.enc_key_len = 36;
	cfg.mode = KIPSEC_MODE_TUNNEL;

	KUNIT_ASSERT_EQ(test, kipsec_sa_update(kn, &cfg, false, NULL), 0);
	new = lookup(kn, &cfg);

	KUNIT_ASSERT_NOT_NULL(test, new);
	KUNIT_EXPECT_PTR_NE(test, new, old);
	KUNIT_EXPECT_PTR_EQ(test, new->enc, kipsec_alg_find("aes-256-gcm"));
	KUNIT_EXPECT_EQ(test, new->mode, KIPSEC_MODE_TUNNEL);
	kipsec_sa_read_state(new, &after, &seq);
	KUNIT_EXPECT_EQ(test, after.packets, 5ULL);
	KUNIT_EXPECT_EQ(test, after.bytes, 500ULL);
	KUNIT_EXPECT_EQ(test, after.integrity_failures, 2ULL);
	KUNIT_EXPECT_EQ(test, after.add_time, before.add_time);
	KUNIT_EXPECT_EQ(test, seq, 42ULL);
	KUNIT_EXPECT_EQ(test, kn->sad.count, 1U);
}

static void sad_update_sets_seq_when_given(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa_stats stats;
	u64 seq;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	bump_counters(lookup(kn, &cfg));
	cfg.has_seq = true;
	cfg.seq = 7;

	KUNIT_ASSERT_EQ(test, kipsec_sa_update(kn, &cfg, false, NULL), 0);

	kipsec_sa_read_state(lookup(kn, &cfg), &stats, &seq);
	KUNIT_EXPECT_EQ(test, seq, 7ULL);
	KUNIT_EXPECT_EQ(test, stats.packets, 5ULL);
}

static void sad_failed_update_changes_nothing(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg, bad;
	struct kipsec_sa *before;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	before = lookup(kn, &cfg);
	bad = cfg;
	bad.enc_key_len = 16;

	KUNIT_EXPECT_EQ(test, kipsec_sa_update(kn, &bad, false, NULL),
			-EINVAL);

	KUNIT_EXPECT_PTR_EQ(test, lookup(kn, &cfg), before);
	KUNIT_EXPECT_EQ(test, before->enc->key_len, 20);
}

static void sad_update_missing_refused(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct netlink_ext_ack extack = {};
	struct kipsec_sa_config cfg;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);

	KUNIT_EXPECT_EQ(test, kipsec_sa_update(kn, &cfg, false, &extack),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, extack._msg, "no such SA");
	KUNIT_EXPECT_EQ(test, kn->sad.count, 0U);
}

/* ---- references, chooser, limits, flush ---- */

/* A packet holding the SA across its deletion: KASAN watches. */
static void sad_deleted_sa_stays_valid_while_held(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	rcu_read_lock();
	sa = kipsec_sa_get(kipsec_sa_lookup_rcu(kn, cfg.family, &cfg.daddr,
						htonl(cfg.spi), cfg.proto));
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, sa);

	KUNIT_EXPECT_EQ(test, kipsec_sa_del(kn, cfg.family, &cfg.daddr,
					    htonl(cfg.spi), cfg.proto), 0);

	KUNIT_EXPECT_NULL(test, lookup(kn, &cfg));
	KUNIT_EXPECT_EQ(test, refcount_read(&sa->ref), 1);
	KUNIT_EXPECT_EQ(test, sa->xform.icv_len, 16);
	KUNIT_EXPECT_NOT_NULL(test, sa->xform.aead);
	kipsec_sa_put(sa);
}

/* The last reference dropped under a reader: memory stays, the SA is gone. */
static void sad_get_fails_on_dying_sa(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	sa = kipsec_sa_get(lookup(kn, &cfg));
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_ASSERT_EQ(test, kipsec_sa_del(kn, cfg.family, &cfg.daddr,
					    htonl(cfg.spi), cfg.proto), 0);

	rcu_read_lock();
	kipsec_sa_put(sa);
	KUNIT_EXPECT_NULL(test, kipsec_sa_get(sa));
	rcu_read_unlock();
}

static struct kipsec_sa *choose(struct kipsec_net *kn, const char *src,
				const char *dst, u8 mode, u32 spi)
{
	union kipsec_addr s, d;
	struct kipsec_sa *sa;
	u16 family;

	addr(src, &s);
	family = addr(dst, &d);
	rcu_read_lock();
	sa = kipsec_sa_lookup_out_rcu(kn, family, &s, &d, IPPROTO_ESP, mode,
				      htonl(spi));
	rcu_read_unlock();
	return sa;
}

static void sad_outbound_chooser(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	cfg.spi = 0x2000;
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	cfg.spi = 0x3000;
	cfg.mode = KIPSEC_MODE_TUNNEL;
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);

	/* The newest of the mode, unless the SPI is given. */
	KUNIT_EXPECT_EQ(test, choose(kn, "192.0.2.1", "192.0.2.2",
				     KIPSEC_MODE_TRANSPORT, 0)->id.spi,
			htonl(0x2000));
	KUNIT_EXPECT_EQ(test, choose(kn, "192.0.2.1", "192.0.2.2",
				     KIPSEC_MODE_TUNNEL, 0)->id.spi,
			htonl(0x3000));
	KUNIT_EXPECT_EQ(test, choose(kn, "192.0.2.1", "192.0.2.2",
				     KIPSEC_MODE_TRANSPORT, 0x1000)->id.spi,
			htonl(0x1000));
	KUNIT_EXPECT_NULL(test, choose(kn, "192.0.2.1", "192.0.2.2",
				       KIPSEC_MODE_TUNNEL, 0x1000));
	KUNIT_EXPECT_NULL(test, choose(kn, "192.0.2.9", "192.0.2.2",
				       KIPSEC_MODE_TRANSPORT, 0));
	KUNIT_EXPECT_NULL(test, choose(kn, "192.0.2.9", "192.0.2.2",
				       KIPSEC_MODE_TRANSPORT, 0x1000));
}

static void sad_limit_refuses_with_enospc(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct netlink_ext_ack extack = {};
	struct kipsec_sa_config cfg;

	kn->sad.max = 2;
	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	cfg.spi++;
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	cfg.spi++;

	KUNIT_EXPECT_EQ(test, kipsec_sa_add(kn, &cfg, &extack), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "max_sas"));
	KUNIT_EXPECT_EQ(test, kn->sad.count, 2U);
}

static void sad_flush_by_proto(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config esp, ah;

	gcm_sa(&esp, "192.0.2.1", "192.0.2.2", 0x1000);
	kipsec_sa_config_init(&ah);
	ah.family = esp.family;
	ah.saddr = esp.saddr;
	ah.daddr = esp.daddr;
	ah.proto = IPPROTO_AH;
	ah.spi = 0x1000;
	ah.auth_name = "hmac-sha2-256";
	ah.auth_key = key;
	ah.auth_key_len = 32;
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &esp, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &ah, NULL), 0);

	KUNIT_EXPECT_EQ(test, kipsec_sa_flush(kn, IPPROTO_AH), 1U);

	KUNIT_EXPECT_NULL(test, lookup(kn, &ah));
	KUNIT_EXPECT_NOT_NULL(test, lookup(kn, &esp));
	KUNIT_EXPECT_EQ(test, kipsec_sa_flush(kn, 0), 1U);
	KUNIT_EXPECT_EQ(test, kn->sad.count, 0U);
}

/* ---- algorithm combinations and key lengths ---- */

struct alg_combo {
	const char *desc;
	u8 proto;
	const char *enc;
	unsigned int enc_len;
	const char *auth;
	unsigned int auth_len;
	u32 flags;
	int err;
	const char *msg;	/* the extack message on error */
};

static const struct alg_combo alg_combos[] = {
	/* good */
	{ "esp gcm", IPPROTO_ESP, "aes-128-gcm", 20, NULL, 0, 0, 0, NULL },
	{ "esp gcm256 esn", IPPROTO_ESP, "aes-256-gcm", 36, NULL, 0,
	  KIPSEC_SA_F_ESN, 0, NULL },
	{ "esp chacha", IPPROTO_ESP, "chacha20-poly1305", 36, NULL, 0, 0, 0,
	  NULL },
	{ "esp gmac", IPPROTO_ESP, NULL, 0, "aes-128-gmac", 20, 0, 0, NULL },
	{ "esp cbc sha1", IPPROTO_ESP, "aes-128-cbc", 16, "hmac-sha1", 20, 0,
	  0, NULL },
	{ "esp 3des md5", IPPROTO_ESP, "3des-cbc", 24, "hmac-md5", 16, 0, 0,
	  NULL },
	{ "esp null sha512", IPPROTO_ESP, "null", 0, "hmac-sha2-512", 64, 0,
	  0, NULL },
	{ "esp cbc no-integrity", IPPROTO_ESP, "aes-256-cbc", 32, NULL, 0,
	  KIPSEC_SA_F_NO_INTEGRITY, 0, NULL },
	{ "ah sha384", IPPROTO_AH, NULL, 0, "hmac-sha2-384", 48, 0, 0, NULL },
	{ "ah gmac", IPPROTO_AH, NULL, 0, "aes-256-gmac", 36, 0, 0, NULL },
	/* bad combinations */
	{ "esp nothing", IPPROTO_ESP, NULL, 0, NULL, 0, 0, -EINVAL,
	  "ESP needs an enc algorithm" },
	{ "esp hmac only", IPPROTO_ESP, NULL, 0, "hmac-sha1", 20, 0, -EINVAL,
	  "ESP needs an enc algorithm" },
	{ "esp gcm + auth", IPPROTO_ESP, "aes-128-gcm", 20, "hmac-sha1", 20,
	  0, -EINVAL, "an AEAD enc has its own integrity: no auth" },
	{ "esp gcm no-integrity", IPPROTO_ESP, "aes-128-gcm", 20, NULL, 0,
	  KIPSEC_SA_F_NO_INTEGRITY, -EINVAL,
	  "an AEAD enc always has integrity: no no-integrity" },
	{ "esp gmac + enc", IPPROTO_ESP, "aes-128-cbc", 16, "aes-128-gmac", 20,
	  0, -EINVAL, "ESP with GMAC is integrity only: no enc" },
	{ "esp cbc alone", IPPROTO_ESP, "aes-128-cbc", 16, NULL, 0, 0,
	  -EINVAL,
	  "ESP without integrity must be asked for with no-integrity" },
	{ "esp cbc sha1 no-integrity", IPPROTO_ESP, "aes-128-cbc", 16,
	  "hmac-sha1", 20, KIPSEC_SA_F_NO_INTEGRITY, -EINVAL,
	  "no-integrity contradicts the auth algorithm" },
	{ "esp null no-integrity", IPPROTO_ESP, "null", 0, NULL, 0,
	  KIPSEC_SA_F_NO_INTEGRITY, -EINVAL,
	  "null enc without integrity protects nothing" },
	{ "esp hmac as enc", IPPROTO_ESP, "hmac-sha1", 20, NULL, 0, 0, -EINVAL,
	  "enc takes a cipher or an AEAD; HMAC and GMAC go in auth" },
	{ "esp cipher as auth", IPPROTO_ESP, "aes-128-cbc", 16, "aes-128-cbc",
	  16, 0, -EINVAL,
	  "auth takes an integrity algorithm (hmac-* or aes-*-gmac)" },
	{ "esp unknown enc", IPPROTO_ESP, "aes-128-ctr", 16, NULL, 0, 0,
	  -EINVAL, "unknown enc algorithm" },
	{ "esp unknown auth", IPPROTO_ESP, "aes-128-cbc", 16, "hmac-sha256",
	  32, 0, -EINVAL, "unknown auth algorithm" },
	{ "ah with enc", IPPROTO_AH, "aes-128-cbc", 16, "hmac-sha1", 20, 0,
	  -EINVAL, "AH takes no enc algorithm" },
	{ "ah nothing", IPPROTO_AH, NULL, 0, NULL, 0, 0, -EINVAL,
	  "AH needs an auth algorithm" },
	{ "ah no-integrity", IPPROTO_AH, NULL, 0, "hmac-sha1", 20,
	  KIPSEC_SA_F_NO_INTEGRITY, -EINVAL,
	  "no-integrity applies to ESP only" },
	/* key lengths */
	{ "gcm key w/o salt", IPPROTO_ESP, "aes-128-gcm", 16, NULL, 0, 0,
	  -EINVAL, "enc key for aes-128-gcm must be 20 bytes (16 + 4 salt)" },
	{ "gcm192 key", IPPROTO_ESP, "aes-192-gcm", 24, NULL, 0, 0, -EINVAL,
	  "enc key for aes-192-gcm must be 28 bytes (24 + 4 salt)" },
	{ "chacha key", IPPROTO_ESP, "chacha20-poly1305", 32, NULL, 0, 0,
	  -EINVAL,
	  "enc key for chacha20-poly1305 must be 36 bytes (32 + 4 salt)" },
	{ "gmac key", IPPROTO_ESP, NULL, 0, "aes-256-gmac", 32, 0, -EINVAL,
	  "auth key for aes-256-gmac must be 36 bytes (32 + 4 salt)" },
	{ "cbc key long", IPPROTO_ESP, "aes-128-cbc", 17, "hmac-sha1", 20, 0,
	  -EINVAL, "enc key for aes-128-cbc must be 16 bytes" },
	{ "3des key", IPPROTO_ESP, "3des-cbc", 16, "hmac-sha1", 20, 0,
	  -EINVAL, "enc key for 3des-cbc must be 24 bytes" },
	{ "null with key", IPPROTO_ESP, "null", 1, "hmac-sha1", 20, 0,
	  -EINVAL, "enc key for null must be empty" },
	{ "sha1 key", IPPROTO_ESP, "aes-128-cbc", 16, "hmac-sha1", 16, 0,
	  -EINVAL, "auth key for hmac-sha1 must be 20 bytes" },
	{ "sha256 key", IPPROTO_AH, NULL, 0, "hmac-sha2-256", 20, 0, -EINVAL,
	  "auth key for hmac-sha2-256 must be 32 bytes" },
	{ "sha512 key", IPPROTO_AH, NULL, 0, "hmac-sha2-512", 32, 0, -EINVAL,
	  "auth key for hmac-sha2-512 must be 64 bytes" },
	{ "md5 key", IPPROTO_AH, NULL, 0, "hmac-md5", 20, 0, -EINVAL,
	  "auth key for hmac-md5 must be 16 bytes" },
};

static void alg_combo_desc(const struct alg_combo *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(alg_combo, alg_combos, alg_combo_desc);

static void combo_config(struct kipsec_sa_config *cfg,
			 const struct alg_combo *c)
{
	gcm_sa(cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	cfg->proto = c->proto;
	cfg->flags = c->flags;
	cfg->enc_name = c->enc;
	cfg->enc_key = c->enc_len ? key : NULL;
	cfg->enc_key_len = c->enc_len;
	cfg->auth_name = c->auth;
	cfg->auth_key = c->auth ? key : NULL;
	cfg->auth_key_len = c->auth_len;
}

static void sad_alg_combination_checked(struct kunit *test)
{
	const struct alg_combo *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct kipsec_sa_config cfg;
	int ret;

	combo_config(&cfg, c);

	ret = kipsec_sa_config_check(&cfg, &extack);

	KUNIT_EXPECT_EQ(test, ret, c->err);
	if (c->msg)
		KUNIT_EXPECT_STREQ(test, extack._msg, c->msg);
	else
		KUNIT_EXPECT_NULL(test, extack._msg);
}

/* The crypto API agrees: good combinations get a transform, bad none. */
static void sad_alg_combination_added(struct kunit *test)
{
	const struct alg_combo *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;

	combo_config(&cfg, c);

	KUNIT_EXPECT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), c->err);
	KUNIT_EXPECT_EQ(test, kn->sad.count, c->err ? 0U : 1U);
}

/* ---- what the ESP/AH code gets ---- */

struct xform_case {
	const char *desc;
	u8 proto;
	const char *enc;
	unsigned int enc_len;
	const char *auth;
	unsigned int auth_len;
	u32 flags;
	u16 icv_len, iv_len, block_len;
	bool aead;
};

static const struct xform_case xform_cases[] = {
	{ "gcm", IPPROTO_ESP, "aes-128-gcm", 20, NULL, 0, 0, 16, 8, 4, true },
	{ "chacha", IPPROTO_ESP, "chacha20-poly1305", 36, NULL, 0, 0, 16, 8, 4,
	  true },
	{ "esp gmac", IPPROTO_ESP, NULL, 0, "aes-256-gmac", 36, 0, 16, 8, 4,
	  true },
	{ "cbc sha1", IPPROTO_ESP, "aes-128-cbc", 16, "hmac-sha1", 20, 0, 12,
	  16, 16, true },
	{ "cbc sha256 esn", IPPROTO_ESP, "aes-256-cbc", 32, "hmac-sha2-256",
	  32, KIPSEC_SA_F_ESN, 16, 16, 16, true },
	{ "3des sha512", IPPROTO_ESP, "3des-cbc", 24, "hmac-sha2-512", 64, 0,
	  32, 8, 8, true },
	{ "null sha384", IPPROTO_ESP, "null", 0, "hmac-sha2-384", 48, 0, 24,
	  0, 4, true },
	{ "cbc alone", IPPROTO_ESP, "aes-192-cbc", 24, NULL, 0,
	  KIPSEC_SA_F_NO_INTEGRITY, 0, 16, 16, true },
	{ "ah md5", IPPROTO_AH, NULL, 0, "hmac-md5", 16, 0, 12, 0, 0, false },
	{ "ah gmac", IPPROTO_AH, NULL, 0, "aes-128-gmac", 20, 0, 16, 8, 0,
	  true },
};

static void xform_desc(const struct xform_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xform, xform_cases, xform_desc);

static void sad_xform_sizes(struct kunit *test)
{
	const struct xform_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	cfg.proto = c->proto;
	cfg.flags = c->flags;
	cfg.enc_name = c->enc;
	cfg.enc_key = c->enc_len ? key : NULL;
	cfg.enc_key_len = c->enc_len;
	cfg.auth_name = c->auth;
	cfg.auth_key = c->auth ? key : NULL;
	cfg.auth_key_len = c->auth_len;

	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	sa = lookup(kn, &cfg);

	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_EQ(test, sa->xform.icv_len, c->icv_len);
	KUNIT_EXPECT_EQ(test, sa->xform.iv_len, c->iv_len);
	KUNIT_EXPECT_EQ(test, sa->xform.block_len, c->block_len);
	KUNIT_EXPECT_EQ(test, !!sa->xform.aead, c->aead);
	KUNIT_EXPECT_EQ(test, !!sa->xform.ahash, !c->aead);
	if (sa->xform.aead)
		KUNIT_EXPECT_EQ(test, crypto_aead_authsize(sa->xform.aead),
				(unsigned int)c->icv_len);
}

/* ---- the other checks ---- */

struct param_case {
	const char *desc;
	void (*change)(struct kipsec_sa_config *cfg);
	int err;
	const char *msg;
};

static void spi_255(struct kipsec_sa_config *cfg)
{
	cfg->spi = 255;
}

static void spi_0(struct kipsec_sa_config *cfg)
{
	cfg->spi = 0;
}

static void spi_256(struct kipsec_sa_config *cfg)
{
	cfg->spi = 256;
}

static void no_family(struct kipsec_sa_config *cfg)
{
	cfg->family = 0;
}

static void proto_udp(struct kipsec_sa_config *cfg)
{
	cfg->proto = 17;
}

static void mode_2(struct kipsec_sa_config *cfg)
{
	cfg->mode = 2;
}

static void flag_4(struct kipsec_sa_config *cfg)
{
	cfg->flags = 4;
}

static void replay_0(struct kipsec_sa_config *cfg)
{
	cfg->replay_window = 0;
}

static void replay_4096(struct kipsec_sa_config *cfg)
{
	cfg->replay_window = 4096;
}

static void replay_4097(struct kipsec_sa_config *cfg)
{
	cfg->replay_window = 4097;
}

static void soft_bytes_high(struct kipsec_sa_config *cfg)
{
	cfg->soft.bytes = 1001;
	cfg->hard.bytes = 1000;
}

static void soft_use_high(struct kipsec_sa_config *cfg)
{
	cfg->soft.use_seconds = 60;
	cfg->hard.use_seconds = 59;
}

/* Soft without hard, and soft equal to hard, are fine. */
static void soft_alone(struct kipsec_sa_config *cfg)
{
	cfg->soft.packets = 10;
	cfg->soft.add_seconds = 5;
	cfg->hard.add_seconds = 5;
}

static const struct param_case param_cases[] = {
	{ "spi 255", spi_255, -EINVAL, "SPIs 0 to 255 are reserved (RFC 4301)" },
	{ "spi 0", spi_0, -EINVAL, "SPIs 0 to 255 are reserved (RFC 4301)" },
	{ "spi 256", spi_256, 0, NULL },
	{ "no family", no_family, -EINVAL, "SA needs IPv4 or IPv6 src and dst" },
	{ "proto udp", proto_udp, -EINVAL, "SA proto must be esp or ah" },
	{ "mode 2", mode_2, -EINVAL, "unknown SA mode" },
	{ "flag 4", flag_4, -EINVAL, "unknown SA flags" },
	{ "replay 0", replay_0, 0, NULL },
	{ "replay 4096", replay_4096, 0, NULL },
	{ "replay 4097", replay_4097, -EINVAL,
	  "replay window is at most 4096 packets" },
	{ "soft bytes > hard", soft_bytes_high, -EINVAL,
	  "soft bytes limit above the hard one" },
	{ "soft use > hard", soft_use_high, -EINVAL,
	  "soft use-seconds limit above the hard one" },
	{ "soft alone", soft_alone, 0, NULL },
};

static void param_desc(const struct param_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(param, param_cases, param_desc);

static void sad_params_checked(struct kunit *test)
{
	const struct param_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct kipsec_sa_config cfg;

	gcm_sa(&cfg, "192.0.2.1", "192.0.2.2", 0x1000);
	c->change(&cfg);

	KUNIT_EXPECT_EQ(test, kipsec_sa_config_check(&cfg, &extack), c->err);
	if (c->msg)
		KUNIT_EXPECT_STREQ(test, extack._msg, c->msg);
}

/* ---- lifetime bookkeeping ---- */

#define T0 1000000	/* the SA's add time */

struct lifetime_case {
	const char *desc;
	struct kipsec_lifetime soft, hard;
	u64 bytes, packets;
	time64_t use_time, now;
	enum kipsec_lifetime_state state;
	enum kipsec_lifetime_limit limit;
};

static const struct lifetime_case lifetime_cases[] = {
	{ "no limits", {}, {}, 1ULL << 40, 1ULL << 40, T0, T0 + 100000,
	  KIPSEC_LIFETIME_OK, KIPSEC_LIMIT_NONE },
	{ "bytes below soft", { .bytes = 100 }, { .bytes = 200 }, 99, 1, T0,
	  T0, KIPSEC_LIFETIME_OK, KIPSEC_LIMIT_NONE },
	{ "bytes at soft", { .bytes = 100 }, { .bytes = 200 }, 100, 1, T0, T0,
	  KIPSEC_LIFETIME_SOFT, KIPSEC_LIMIT_BYTES },
	{ "bytes at hard", { .bytes = 100 }, { .bytes = 200 }, 200, 1, T0, T0,
	  KIPSEC_LIFETIME_HARD, KIPSEC_LIMIT_BYTES },
	{ "packets at hard", {}, { .packets = 10 }, 0, 10, T0, T0,
	  KIPSEC_LIFETIME_HARD, KIPSEC_LIMIT_PACKETS },
	{ "packets one short", {}, { .packets = 10 }, 0, 9, T0, T0,
	  KIPSEC_LIFETIME_OK, KIPSEC_LIMIT_NONE },
	{ "hard wins over soft", { .packets = 5 }, { .bytes = 50 }, 50, 5, T0,
	  T0, KIPSEC_LIFETIME_HARD, KIPSEC_LIMIT_BYTES },
	{ "add seconds soft", { .add_seconds = 60 }, { .add_seconds = 120 },
	  0, 0, 0, T0 + 60, KIPSEC_LIFETIME_SOFT, KIPSEC_LIMIT_ADD_SECONDS },
	{ "add seconds not yet", { .add_seconds = 60 }, {}, 0, 0, 0, T0 + 59,
	  KIPSEC_LIFETIME_OK, KIPSEC_LIMIT_NONE },
	{ "add seconds hard", {}, { .add_seconds = 120 }, 0, 0, 0, T0 + 500,
	  KIPSEC_LIFETIME_HARD, KIPSEC_LIMIT_ADD_SECONDS },
	{ "use seconds, unused", {}, { .use_seconds = 10 }, 0, 0, 0, T0 + 500,
	  KIPSEC_LIFETIME_OK, KIPSEC_LIMIT_NONE },
	{ "use seconds, used", {}, { .use_seconds = 10 }, 0, 1, T0 + 100,
	  T0 + 110, KIPSEC_LIFETIME_HARD, KIPSEC_LIMIT_USE_SECONDS },
	{ "use seconds, soft", { .use_seconds = 10 }, { .use_seconds = 20 }, 0,
	  1, T0 + 100, T0 + 115, KIPSEC_LIFETIME_SOFT,
	  KIPSEC_LIMIT_USE_SECONDS },
	{ "clock went back", {}, { .add_seconds = 1 }, 0, 0, 0, T0 - 50,
	  KIPSEC_LIFETIME_OK, KIPSEC_LIMIT_NONE },
	{ "bytes before packets", { .packets = 1 }, { .bytes = 1, .packets = 1 },
	  1, 1, T0, T0, KIPSEC_LIFETIME_HARD, KIPSEC_LIMIT_BYTES },
};

static void lifetime_desc(const struct lifetime_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lifetime, lifetime_cases, lifetime_desc);

static void sad_lifetime_state(struct kunit *test)
{
	const struct lifetime_case *c = test->param_value;
	struct kipsec_lifetime_usage u = {
		.bytes = c->bytes,
		.packets = c->packets,
		.add_ns = T0 * NSEC_PER_SEC,
		.use_ns = c->use_time * NSEC_PER_SEC,
	};
	enum kipsec_lifetime_limit limit;
	enum kipsec_lifetime_state state;

	state = kipsec_lifetime_check(&c->soft, &c->hard, &u,
				      c->now * NSEC_PER_SEC, false, &limit,
				      NULL);

	KUNIT_EXPECT_EQ(test, state, c->state);
	KUNIT_EXPECT_EQ(test, limit, c->limit);
}

/* ---- the worker's view: soft once, the next deadline ---- */

struct deadline_case {
	const char *desc;
	struct kipsec_lifetime soft, hard;
	u64 use_time, now;	/* seconds, as T0 */
	bool soft_done;
	enum kipsec_lifetime_state state;
	u64 next;		/* seconds; 0: none */
};

static const struct deadline_case deadline_cases[] = {
	{ "no time limits", { .packets = 5 }, { .bytes = 9 }, 0, T0, false,
	  KIPSEC_LIFETIME_OK, 0 },
	{ "soft add ahead", { .add_seconds = 30 }, { .add_seconds = 60 }, 0,
	  T0 + 10, false, KIPSEC_LIFETIME_OK, T0 + 30 },
	{ "soft passed, sent", { .add_seconds = 30 }, { .add_seconds = 60 }, 0,
	  T0 + 40, true, KIPSEC_LIFETIME_OK, T0 + 60 },
	{ "soft passed, not sent", { .add_seconds = 30 },
	  { .add_seconds = 60 }, 0, T0 + 40, false, KIPSEC_LIFETIME_SOFT,
	  T0 + 60 },
	{ "use before add", { .use_seconds = 5 }, { .add_seconds = 60 },
	  T0 + 20, T0 + 21, false, KIPSEC_LIFETIME_OK, T0 + 25 },
	{ "unused: no use deadline", {}, { .use_seconds = 5 }, 0, T0 + 100,
	  false, KIPSEC_LIFETIME_OK, 0 },
	{ "huge limit saturates", {}, { .add_seconds = U64_MAX }, 0, T0,
	  false, KIPSEC_LIFETIME_OK, 0 },
};

static void deadline_desc(const struct deadline_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(deadline, deadline_cases, deadline_desc);

static void sad_lifetime_next_deadline(struct kunit *test)
{
	const struct deadline_case *c = test->param_value;
	struct kipsec_lifetime_usage u = {
		.add_ns = T0 * NSEC_PER_SEC,
		.use_ns = c->use_time * NSEC_PER_SEC,
	};
	enum kipsec_lifetime_limit limit;
	enum kipsec_lifetime_state state;
	u64 next = U64_MAX;

	state = kipsec_lifetime_check(&c->soft, &c->hard, &u,
				      c->now * NSEC_PER_SEC, c->soft_done,
				      &limit, &next);

	KUNIT_EXPECT_EQ(test, state, c->state);
	KUNIT_EXPECT_EQ(test, next,
			c->next ? c->next * NSEC_PER_SEC : U64_MAX);
}

static struct kunit_case sad_test_cases[] = {
	KUNIT_CASE_PARAM(sad_insert_then_lookup, pair_gen_params),
	KUNIT_CASE_PARAM(sad_delete, pair_gen_params),
	KUNIT_CASE_PARAM(sad_duplicate_refused, pair_gen_params),
	KUNIT_CASE_PARAM(sad_same_spi_other_key_accepted, pair_gen_params),
	KUNIT_CASE(sad_update_keeps_counters),
	KUNIT_CASE(sad_update_sets_seq_when_given),
	KUNIT_CASE(sad_failed_update_changes_nothing),
	KUNIT_CASE(sad_update_missing_refused),
	KUNIT_CASE(sad_deleted_sa_stays_valid_while_held),
	KUNIT_CASE(sad_get_fails_on_dying_sa),
	KUNIT_CASE(sad_outbound_chooser),
	KUNIT_CASE(sad_limit_refuses_with_enospc),
	KUNIT_CASE(sad_flush_by_proto),
	KUNIT_CASE_PARAM(sad_alg_combination_checked, alg_combo_gen_params),
	KUNIT_CASE_PARAM(sad_alg_combination_added, alg_combo_gen_params),
	KUNIT_CASE_PARAM(sad_xform_sizes, xform_gen_params),
	KUNIT_CASE_PARAM(sad_params_checked, param_gen_params),
	KUNIT_CASE_PARAM(sad_lifetime_state, lifetime_gen_params),
	KUNIT_CASE_PARAM(sad_lifetime_next_deadline, deadline_gen_params),
	{}
};

struct kunit_suite kipsec_sad_test_suite = {
	.name = "kipsec-sad",
	.init = sad_test_init,
	.exit = sad_test_exit,
	.test_cases = sad_test_cases,
};
