// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions: a commit applies every staged change or none, whatever
 * the failing change is, and an update keeps or resets the SA's state as
 * asked.
 */
#include <kunit/test.h>
#include <linux/inet.h>

#include "netns.h"
#include "sad.h"
#include "spd.h"
#include "suites.h"
#include "txn.h"

#define PORT	4242

static int txn_test_init(struct kunit *test)
{
	struct kipsec_net *kn = kipsec_test_net(test);
	int ret;

	if (!kn)
		return -ENOMEM;
	ret = kipsec_sad_init(kn);
	if (ret)
		return ret;
	ret = kipsec_spd_init(kn);
	if (ret)
		kipsec_sad_fini(kn);
	return ret;
}

static void txn_test_exit(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;

	kipsec_txn_fini(kn);
	kipsec_spd_fini(kn);
	kipsec_sad_fini(kn);
}

static const u8 key_a[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
			      15, 16, 17, 18, 19, 20 };
static const u8 key_b[20] = { 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9,
			      8, 7, 6, 5, 4, 3, 2, 1 };

/* ESP, aes-128-gcm, 192.0.2.1 -> 192.0.2.2, SPI @spi. */
static void sa_cfg(struct kipsec_sa_config *cfg, u32 spi, const u8 *key)
{
	kipsec_sa_config_init(cfg);
	cfg->family = AF_INET;
	cfg->saddr.a4 = in_aton("192.0.2.1");
	cfg->daddr.a4 = in_aton("192.0.2.2");
	cfg->proto = IPPROTO_ESP;
	cfg->spi = spi;
	cfg->enc_name = "aes-128-gcm";
	cfg->enc_key = key;
	cfg->enc_key_len = 20;
}

static struct kipsec_sa *build_sa(struct kunit *test, u32 spi, const u8 *key)
{
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_cfg(&cfg, spi, key);
	sa = kipsec_sa_create(&cfg, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sa));
	return sa;
}

static void policy_cfg(struct kipsec_policy_config *cfg, u32 priority,
		       u8 action)
{
	kipsec_policy_config_init(cfg);
	cfg->has_dir = true;
	cfg->dir = KIPSEC_DIR_OUT;
	cfg->priority = priority;
	cfg->action = action;
}

static struct kipsec_policy *build_policy(struct kunit *test, u32 priority,
					  u8 action)
{
	struct kipsec_policy_config cfg;
	struct kipsec_policy *pol;

	policy_cfg(&cfg, priority, action);
	pol = kipsec_policy_create(&cfg, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pol));
	return pol;
}

static struct kipsec_sa *find_sa(struct kipsec_net *kn, u32 spi)
{
	union kipsec_addr dst = { .a4 = in_aton("192.0.2.2") };
	struct kipsec_sa *sa;

	rcu_read_lock();
	sa = kipsec_sa_lookup_rcu(kn, AF_INET, &dst, htonl(spi), IPPROTO_ESP);
	rcu_read_unlock();
	return sa;
}

static u64 sa_seq(struct kunit *test, struct kipsec_net *kn, u32 spi)
{
	struct kipsec_sa_stats stats;
	struct kipsec_sa *sa = find_sa(kn, spi);
	u64 seq;

	KUNIT_ASSERT_NOT_NULL(test, sa);
	kipsec_sa_read_state(sa, &stats, &seq);
	return seq;
}

/* The running state: SA 0x100 (seq 3), a bypass policy, defaults. */
static u32 arrange_running(struct kunit *test, struct kipsec_net *kn)
{
	struct kipsec_policy_config pcfg;
	struct kipsec_sa_config cfg;
	unsigned int i;
	u64 seq;
	u32 id;

	sa_cfg(&cfg, 0x100, key_a);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, &cfg, NULL), 0);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, kipsec_sa_next_seq(find_sa(kn, 0x100),
							 100, &seq), 0);
	policy_cfg(&pcfg, 10, KIPSEC_ACTION_BYPASS);
	KUNIT_ASSERT_EQ(test, kipsec_policy_add(kn, &pcfg, &id, NULL), 0);
	return id;
}

/* ---- all or nothing ---- */

static void txn_commit_applies_all(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_config c = {
		.set = KIPSEC_CFG_DEFAULT_IN,
		.default_action = { [KIPSEC_DIR_IN] = KIPSEC_ACTION_DISCARD },
	};
	struct kipsec_sa_id id;
	u32 pid = arrange_running(test, kn);

	KUNIT_ASSERT_EQ(test, kipsec_txn_begin(kn, PORT, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_sa(kn, PORT,
						build_sa(test, 0x200, key_a),
						NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_policy(kn, PORT,
						    build_policy(test, 20,
								 KIPSEC_ACTION_DISCARD),
						    NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_del_policy(kn, PORT, pid, NULL), 0);
	kipsec_sa_make_id(&id, AF_INET, &find_sa(kn, 0x100)->id.daddr,
			  htonl(0x100), IPPROTO_ESP);
	KUNIT_ASSERT_EQ(test, kipsec_txn_del_sa(kn, PORT, &id, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_set_config(kn, PORT, &c, NULL), 0);
	/* Staged, not applied. */
	KUNIT_EXPECT_NOT_NULL(test, find_sa(kn, 0x100));
	KUNIT_EXPECT_NULL(test, find_sa(kn, 0x200));

	KUNIT_EXPECT_EQ(test, kipsec_txn_commit(kn, PORT, NULL), 0);

	KUNIT_EXPECT_NULL(test, find_sa(kn, 0x100));
	KUNIT_EXPECT_NOT_NULL(test, find_sa(kn, 0x200));
	KUNIT_EXPECT_EQ(test, kn->spd.count, 1U);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, kipsec_policy_find_rcu(kn, pid));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, kn->default_action[KIPSEC_DIR_IN],
			KIPSEC_ACTION_DISCARD);
	KUNIT_EXPECT_EQ(test, kipsec_txn_commit(kn, PORT, NULL), -ENOENT);
}

/*
 * Each case stages good changes around one that fails at commit; the
 * databases and settings must be as before.
 */
struct fail_case {
	const char *name;
	int err;
	void (*stage_bad)(struct kunit *test, struct kipsec_net *kn, u32 pid);
};

static void bad_dup_add(struct kunit *test, struct kipsec_net *kn, u32 pid)
{
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_sa(kn, PORT,
						build_sa(test, 0x100, key_b),
						NULL), 0);
}

static void bad_update_missing(struct kunit *test, struct kipsec_net *kn,
			       u32 pid)
{
	struct kipsec_sa_replace how = { .reset = true };

	KUNIT_ASSERT_EQ(test, kipsec_txn_update_sa(kn, PORT,
						   build_sa(test, 0x999, key_b),
						   &how, NULL), 0);
}

static void bad_update_twice(struct kunit *test, struct kipsec_net *kn,
			     u32 pid)
{
	struct kipsec_sa_replace how = { };
	int i;

	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test,
				kipsec_txn_update_sa(kn, PORT,
						     build_sa(test, 0x100, key_b),
						     &how, NULL), 0);
}

static void bad_del_missing(struct kunit *test, struct kipsec_net *kn,
			    u32 pid)
{
	union kipsec_addr dst = { .a4 = in_aton("192.0.2.9") };
	struct kipsec_sa_id id;

	kipsec_sa_make_id(&id, AF_INET, &dst, htonl(0x100), IPPROTO_ESP);
	KUNIT_ASSERT_EQ(test, kipsec_txn_del_sa(kn, PORT, &id, NULL), 0);
}

static void bad_policy_twin(struct kunit *test, struct kipsec_net *kn,
			    u32 pid)
{
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_policy(kn, PORT,
						    build_policy(test, 10,
								 KIPSEC_ACTION_DISCARD),
						    NULL), 0);
}

static void bad_policy_update_missing(struct kunit *test,
				      struct kipsec_net *kn, u32 pid)
{
	KUNIT_ASSERT_EQ(test, kipsec_txn_update_policy(kn, PORT,
						       build_policy(test, 30,
								    KIPSEC_ACTION_DISCARD),
						       pid + 1000, false,
						       NULL), 0);
}

static const struct fail_case fail_cases[] = {
	{ "SA added twice", -EEXIST, bad_dup_add },
	{ "update of a missing SA", -ENOENT, bad_update_missing },
	{ "SA updated twice", -EINVAL, bad_update_twice },
	{ "delete of a missing SA", -ENOENT, bad_del_missing },
	{ "policy twin", -EEXIST, bad_policy_twin },
	{ "update of a missing policy", -ENOENT, bad_policy_update_missing },
};

static void fail_desc(const struct fail_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(fail, fail_cases, fail_desc);

static void txn_commit_failure_changes_nothing(struct kunit *test)
{
	const struct fail_case *c = test->param_value;
	struct kipsec_net *kn = test->priv;
	struct kipsec_config cfg = {
		.set = KIPSEC_CFG_DEFAULT_OUT | KIPSEC_CFG_ESP,
		.default_action = { [KIPSEC_DIR_OUT] = KIPSEC_ACTION_DISCARD },
		.esp_off = true,
	};
	struct kipsec_sa_replace keep = { };
	struct kipsec_policy_config pcfg;
	struct kipsec_policy *pol;
	u32 pid = arrange_running(test, kn);

	/* Arrange: good changes of every kind, the bad one in the middle. */
	KUNIT_ASSERT_EQ(test, kipsec_txn_begin(kn, PORT, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_sa(kn, PORT,
						build_sa(test, 0x200, key_a),
						NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_set_config(kn, PORT, &cfg, NULL), 0);
	c->stage_bad(test, kn, pid);
	if (c->stage_bad != bad_update_twice)
		KUNIT_ASSERT_EQ(test,
				kipsec_txn_update_sa(kn, PORT,
						     build_sa(test, 0x100, key_b),
						     &keep, NULL), 0);
	policy_cfg(&pcfg, 10, KIPSEC_ACTION_DISCARD);
	pol = kipsec_policy_create(&pcfg, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pol));
	KUNIT_ASSERT_EQ(test, kipsec_txn_update_policy(kn, PORT, pol, pid,
						       false, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_policy(kn, PORT,
						    build_policy(test, 40,
								 KIPSEC_ACTION_BYPASS),
						    NULL), 0);

	/* Act */
	KUNIT_EXPECT_EQ(test, kipsec_txn_commit(kn, PORT, NULL), c->err);

	/* Assert: as arranged. */
	KUNIT_EXPECT_NULL(test, find_sa(kn, 0x200));
	KUNIT_EXPECT_EQ(test, kn->sad.count, 1U);
	KUNIT_EXPECT_EQ(test, memcmp(find_sa(kn, 0x100)->enc_key, key_a, 20),
			0);
	KUNIT_EXPECT_EQ(test, sa_seq(test, kn, 0x100), 3ULL);
	KUNIT_EXPECT_EQ(test, kn->spd.count, 1U);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, kipsec_policy_find_rcu(kn, pid)->action,
			KIPSEC_ACTION_BYPASS);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, kn->default_action[KIPSEC_DIR_OUT],
			KIPSEC_ACTION_BYPASS);
	KUNIT_EXPECT_FALSE(test, kn->esp_off);
	/* The transaction is gone either way. */
	KUNIT_EXPECT_EQ(test, kipsec_txn_abort(kn, PORT, NULL), -ENOENT);
}

/* ---- state kept or reset ---- */

static void txn_update_keeps_or_resets_state(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_replace keep = { }, reset = { .reset = true };

	arrange_running(test, kn);

	KUNIT_ASSERT_EQ(test, kipsec_txn_begin(kn, PORT, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_update_sa(kn, PORT,
						   build_sa(test, 0x100, key_a),
						   &keep, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_commit(kn, PORT, NULL), 0);
	KUNIT_EXPECT_EQ(test, sa_seq(test, kn, 0x100), 3ULL);

	KUNIT_ASSERT_EQ(test, kipsec_txn_begin(kn, PORT, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_update_sa(kn, PORT,
						   build_sa(test, 0x100, key_b),
						   &reset, NULL), 0);
	KUNIT_ASSERT_EQ(test, kipsec_txn_commit(kn, PORT, NULL), 0);
	KUNIT_EXPECT_EQ(test, sa_seq(test, kn, 0x100), 0ULL);
	KUNIT_EXPECT_EQ(test, memcmp(find_sa(kn, 0x100)->enc_key, key_b, 20),
			0);
}

/* ---- one per socket, dropped with it ---- */

static void txn_per_socket(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;

	KUNIT_ASSERT_EQ(test, kipsec_txn_begin(kn, PORT, NULL), 0);
	KUNIT_EXPECT_EQ(test, kipsec_txn_begin(kn, PORT, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, kipsec_txn_begin(kn, PORT + 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, kipsec_txn_add_sa(kn, PORT + 2,
						build_sa(test, 0x300, key_a),
						NULL), -ENOENT);
	KUNIT_ASSERT_EQ(test, kipsec_txn_add_sa(kn, PORT,
						build_sa(test, 0x300, key_a),
						NULL), 0);
	/* What the socket's release does. */
	KUNIT_EXPECT_EQ(test, kipsec_txn_abort(kn, PORT, NULL), 0);
	KUNIT_EXPECT_EQ(test, kipsec_txn_commit(kn, PORT, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, kipsec_txn_commit(kn, PORT + 1, NULL), 0);
	KUNIT_EXPECT_NULL(test, find_sa(kn, 0x300));
}

static struct kunit_case txn_test_cases[] = {
	KUNIT_CASE(txn_commit_applies_all),
	KUNIT_CASE_PARAM(txn_commit_failure_changes_nothing, fail_gen_params),
	KUNIT_CASE(txn_update_keeps_or_resets_state),
	KUNIT_CASE(txn_per_socket),
	{}
};

struct kunit_suite kipsec_txn_test_suite = {
	.name = "kipsec-txn",
	.init = txn_test_init,
	.exit = txn_test_exit,
	.test_cases = txn_test_cases,
};
