// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "algs.h"
#include "args.h"

static const struct alg algs[] = {
	{ "aes-128-gcm", KIPSEC_ALG_TYPE_AEAD, 16 + 4, 4, 16 },
	{ "aes-192-gcm", KIPSEC_ALG_TYPE_AEAD, 24 + 4, 4, 16 },
	{ "aes-256-gcm", KIPSEC_ALG_TYPE_AEAD, 32 + 4, 4, 16 },
	{ "chacha20-poly1305", KIPSEC_ALG_TYPE_AEAD, 32 + 4, 4, 16 },
	{ "aes-128-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 16 + 4, 4, 16 },
	{ "aes-256-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 32 + 4, 4, 16 },
	{ "aes-128-cbc", KIPSEC_ALG_TYPE_CIPHER, 16, 0, 0 },
	{ "aes-192-cbc", KIPSEC_ALG_TYPE_CIPHER, 24, 0, 0 },
	{ "aes-256-cbc", KIPSEC_ALG_TYPE_CIPHER, 32, 0, 0 },
	{ "3des-cbc", KIPSEC_ALG_TYPE_CIPHER, 24, 0, 0 },
	{ "null", KIPSEC_ALG_TYPE_CIPHER, 0, 0, 0 },
	{ "hmac-sha1", KIPSEC_ALG_TYPE_AUTH, 20, 0, 12 },
	{ "hmac-sha2-256", KIPSEC_ALG_TYPE_AUTH, 32, 0, 16 },
	{ "hmac-sha2-384", KIPSEC_ALG_TYPE_AUTH, 48, 0, 24 },
	{ "hmac-sha2-512", KIPSEC_ALG_TYPE_AUTH, 64, 0, 32 },
	{ "hmac-md5", KIPSEC_ALG_TYPE_AUTH, 16, 0, 12 },
};

static const char *const type_names[] = {
	[KIPSEC_ALG_TYPE_AEAD] = "aead",
	[KIPSEC_ALG_TYPE_AEAD_AUTH] = "aead-auth",
	[KIPSEC_ALG_TYPE_CIPHER] = "cipher",
	[KIPSEC_ALG_TYPE_AUTH] = "auth",
};

const struct alg *alg_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (!strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

const struct alg *alg_by_index(size_t i)
{
	return i < ARRAY_SIZE(algs) ? &algs[i] : NULL;
}

const char *alg_type_name(unsigned int type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

/* GMAC is an AEAD without confidentiality: it goes in auth, as HMACs do. */
static int usable_for_enc(const struct alg *alg)
{
	return alg->type == KIPSEC_ALG_TYPE_AEAD ||
	       alg->type == KIPSEC_ALG_TYPE_CIPHER;
}

static int usable_for_auth(const struct alg *alg)
{
	return alg->type == KIPSEC_ALG_TYPE_AUTH ||
	       alg->type == KIPSEC_ALG_TYPE_AEAD_AUTH;
}

int alg_usable(const struct alg *alg, int for_enc)
{
	return for_enc ? usable_for_enc(alg) : usable_for_auth(alg);
}

void alg_names(char *buf, size_t size, int for_enc)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(algs) && n < size; i++) {
		if (!alg_usable(&algs[i], for_enc))
			continue;
		n += snprintf(buf + n, size - n, "%s%s", n ? " " : "",
			      algs[i].name);
	}
}
