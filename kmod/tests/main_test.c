// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec_test.ko: the KUnit suites.  They run against the loaded kipsec.ko
 * through symbols it exports to the KIPSEC_KUNIT namespace.
 */
#include <linux/module.h>

#include "netns.h"
#include "suites.h"

struct kipsec_net *kipsec_test_net_alloc(struct kunit *test)
{
	struct kipsec_net *kn;

	kn = kunit_kzalloc(test, sizeof(*kn), GFP_KERNEL);
	if (!kn)
		return NULL;
	mutex_init(&kn->config_lock);
	INIT_LIST_HEAD(&kn->txns);
	return kn;
}

struct kipsec_net *kipsec_test_net(struct kunit *test)
{
	struct kipsec_net *kn = kipsec_test_net_alloc(test);

	if (kn)
		test->priv = kn;
	return kn;
}

kunit_test_suites(&kipsec_alg_test_suite, &kipsec_sad_test_suite,
		  &kipsec_spd_test_suite, &kipsec_replay_test_suite,
		  &kipsec_esp_test_suite, &kipsec_ah_test_suite,
		  &kipsec_txn_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kipsec");
MODULE_IMPORT_NS(KIPSEC_KUNIT);
