/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_TEST_SUITES_H
#define _KIPSEC_TEST_SUITES_H

#include <kunit/test.h>

/* One suite per object; main_test.c registers them all. */
extern struct kunit_suite kipsec_alg_test_suite;
extern struct kunit_suite kipsec_sad_test_suite;
extern struct kunit_suite kipsec_spd_test_suite;
extern struct kunit_suite kipsec_replay_test_suite;
extern struct kunit_suite kipsec_esp_test_suite;
extern struct kunit_suite kipsec_ah_test_suite;
extern struct kunit_suite kipsec_txn_test_suite;

struct kipsec_net;

/*
 * A namespace of the test's own (in test->priv, freed with the test), so
 * the real ones stay untouched.
 */
struct kipsec_net *kipsec_test_net(struct kunit *test);

/* The same, for a test that needs more than one: not in test->priv. */
struct kipsec_net *kipsec_test_net_alloc(struct kunit *test);

#endif /* _KIPSEC_TEST_SUITES_H */
