// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>

#include "alg.h"
#include "suites.h"

struct alg_case {
	const char *name;
	enum kipsec_alg_type type;
	u16 key_len;
	u16 icv_len;
};

/* Key and ICV sizes as the RFCs fix them, written out independently. */
static const struct alg_case alg_cases[] = {
	{ "aes-128-gcm", KIPSEC_ALG_TYPE_AEAD, 20, 16 },	/* RFC 4106 */
	{ "aes-192-gcm", KIPSEC_ALG_TYPE_AEAD, 28, 16 },
	{ "aes-256-gcm", KIPSEC_ALG_TYPE_AEAD, 36, 16 },
	{ "chacha20-poly1305", KIPSEC_ALG_TYPE_AEAD, 36, 16 },	/* RFC 7634 */
	{ "aes-128-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 20, 16 },	/* RFC 4543 */
	{ "aes-256-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 36, 16 },
	{ "aes-128-cbc", KIPSEC_ALG_TYPE_CIPHER, 16, 0 },	/* RFC 3602 */
	{ "aes-192-cbc", KIPSEC_ALG_TYPE_CIPHER, 24, 0 },
	{ "aes-256-cbc", KIPSEC_ALG_TYPE_CIPHER, 32, 0 },
	{ "3des-cbc", KIPSEC_ALG_TYPE_CIPHER, 24, 0 },		/* RFC 2451 */
	{ "null", KIPSEC_ALG_TYPE_CIPHER, 0, 0 },		/* RFC 2410 */
	{ "hmac-sha1", KIPSEC_ALG_TYPE_AUTH, 20, 12 },		/* RFC 2404 */
	{ "hmac-sha2-256", KIPSEC_ALG_TYPE_AUTH, 32, 16 },	/* RFC 4868 */
	{ "hmac-sha2-384", KIPSEC_ALG_TYPE_AUTH, 48, 24 },
	{ "hmac-sha2-512", KIPSEC_ALG_TYPE_AUTH, 64, 32 },
	{ "hmac-md5", KIPSEC_ALG_TYPE_AUTH, 16, 12 },		/* RFC 2403 */
};

static void alg_case_desc(const struct alg_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(alg, alg_cases, alg_case_desc);

static void alg_sizes_match_rfc(struct kunit *test)
{
	const struct alg_case *c = test->param_value;
	const struct kipsec_alg *alg;

	alg = kipsec_alg_find(c->name);

	KUNIT_ASSERT_NOT_NULL(test, alg);
	KUNIT_EXPECT_STREQ(test, alg->name, c->name);
	KUNIT_EXPECT_EQ(test, alg->type, c->type);
	KUNIT_EXPECT_EQ(test, alg->key_len, c->key_len);
	KUNIT_EXPECT_EQ(test, alg->icv_len, c->icv_len);
}

/* The debug kernel has every algorithm built in: a miss is a wrong name. */
static void alg_is_available(struct kunit *test)
{
	const struct alg_case *c = test->param_value;
	const struct kipsec_alg *alg = kipsec_alg_find(c->name);

	KUNIT_ASSERT_NOT_NULL(test, alg);

	KUNIT_EXPECT_TRUE(test, kipsec_alg_available(alg));
}

static const char * const unknown_names[] = {
	"", "aes", "AES-128-GCM", "aes-128-gcm ", "hmac-sha256", "des-cbc",
	"rfc4106(gcm(aes))",
};

static void unknown_desc(const char * const *name, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", *name);
}

KUNIT_ARRAY_PARAM(unknown, unknown_names, unknown_desc);

static void alg_unknown_name_not_found(struct kunit *test)
{
	const char * const *name = test->param_value;

	KUNIT_EXPECT_NULL(test, kipsec_alg_find(*name));
}

static void alg_table_lists_every_case(struct kunit *test)
{
	unsigned int n = 0;

	while (kipsec_alg_by_index(n))
		n++;

	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(alg_cases));
}

static struct kunit_case alg_test_cases[] = {
	KUNIT_CASE_PARAM(alg_sizes_match_rfc, alg_gen_params),
	KUNIT_CASE_PARAM(alg_is_available, alg_gen_params),
	KUNIT_CASE_PARAM(alg_unknown_name_not_found, unknown_gen_params),
	KUNIT_CASE(alg_table_lists_every_case),
	{}
};

struct kunit_suite kipsec_alg_test_suite = {
	.name = "kipsec-alg",
	.test_cases = alg_test_cases,
};
