// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithm table: the names of the wire API, their key and ICV sizes
 * (exact, as the RFCs fix them) and the crypto API transforms behind them,
 * and the allocation of an SA's transform, which follows net/ipv4/esp4.c
 * (esp_init_aead, esp_init_authenc) and net/ipv4/ah4.c (ah_init_state).
 */
#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "alg.h"
#include "kunit_export.h"
#include "netlink.h"

#define ALG(_name, _crypto, _type, _key, _salt, _icv, _iv, _blk, _geniv, \
	    _key_msg) {							\
	.name = _name, .crypto_name = _crypto, .type = _type,		\
	.key_len = _key, .salt_len = _salt, .icv_len = _icv,		\
	.iv_len = _iv, .block_len = _blk, .geniv = _geniv,		\
	.key_len_msg = _key_msg,					\
	.unavailable_msg = "this kernel cannot provide " _name,		\
}

/* RFC 4106, 7634: a 4-byte salt follows the cipher key; ESP pads to 4. */
#define AEAD(_name, _crypto, _cipher_key, _key)				\
	ALG(_name, _crypto, KIPSEC_ALG_TYPE_AEAD, _key, 4, 16, 8, 4,	\
	    "seqiv", "enc key for " _name " must be " #_key " bytes ("	\
	    #_cipher_key " + 4 salt)")

/* RFC 4543: GCM authenticating everything, encrypting nothing. */
#define GMAC(_name, _cipher_key, _key)					\
	ALG(_name, "rfc4543(gcm(aes))", KIPSEC_ALG_TYPE_AEAD_AUTH, _key,	\
	    4, 16, 8, 4, "seqiv", "auth key for " _name " must be " #_key	\
	    " bytes (" #_cipher_key " + 4 salt)")

/* CBC: the IV is one block, and so is the padding unit. */
#define CBC(_name, _crypto, _key, _blk)					\
	ALG(_name, _crypto, KIPSEC_ALG_TYPE_CIPHER, _key, 0, 0, _blk,	\
	    _blk, "echainiv", "enc key for " _name " must be " #_key " bytes")

#define HMAC(_name, _crypto, _key, _icv)				\
	ALG(_name, _crypto, KIPSEC_ALG_TYPE_AUTH, _key, 0, _icv, 0, 0,	\
	    NULL, "auth key for " _name " must be " #_key " bytes")

static const struct kipsec_alg algs[] = {
	/* AEAD: RFC 4106 (GCM), RFC 7634 (ChaCha20-Poly1305) */
	AEAD("aes-128-gcm", "rfc4106(gcm(aes))", 16, 20),
	AEAD("aes-192-gcm", "rfc4106(gcm(aes))", 24, 28),
	AEAD("aes-256-gcm", "rfc4106(gcm(aes))", 32, 36),
	AEAD("chacha20-poly1305", "rfc7539esp(chacha20,poly1305)", 32, 36),
	/* integrity-only AEAD: RFC 4543 (GMAC) */
	GMAC("aes-128-gmac", 16, 20),
	GMAC("aes-256-gmac", 32, 36),
	/* ciphers: RFC 3602, RFC 2451, RFC 2410 */
	CBC("aes-128-cbc", "cbc(aes)", 16, 16),
	CBC("aes-192-cbc", "cbc(aes)", 24, 16),
	CBC("aes-256-cbc", "cbc(aes)", 32, 16),
	CBC("3des-cbc", "cbc(des3_ede)", 24, 8),
	/* no IV, no generator (as xfrm_algo.c), ESP's 4-byte alignment */
	ALG("null", "ecb(cipher_null)", KIPSEC_ALG_TYPE_CIPHER, 0, 0, 0, 0, 4,
	    NULL, "enc key for null must be empty"),
	/* integrity: RFC 2404, RFC 4868, RFC 2403 */
	HMAC("hmac-sha1", "hmac(sha1)", 20, 12),
	HMAC("hmac-sha2-256", "hmac(sha256)", 32, 16),
	HMAC("hmac-sha2-384", "hmac(sha384)", 48, 24),
	HMAC("hmac-sha2-512", "hmac(sha512)", 64, 32),
	HMAC("hmac-md5", "hmac(md5)", 16, 12),
};

const struct kipsec_alg *kipsec_alg_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (!strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_alg_find);

const struct kipsec_alg *kipsec_alg_by_index(unsigned int i)
{
	return i < ARRAY_SIZE(algs) ? &algs[i] : NULL;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_alg_by_index);

/*
 * Asks the crypto API, which may load a module for it; "available" means a
 * transform of that name can be allocated on this kernel now.
 */
bool kipsec_alg_available(const struct kipsec_alg *alg)
{
	switch (alg->type) {
	case KIPSEC_ALG_TYPE_AEAD:
	case KIPSEC_ALG_TYPE_AEAD_AUTH:
		return crypto_has_alg(alg->crypto_name, CRYPTO_ALG_TYPE_AEAD,
				      CRYPTO_ALG_TYPE_MASK);
	case KIPSEC_ALG_TYPE_CIPHER:
		return crypto_has_skcipher(alg->crypto_name, 0, 0);
	case KIPSEC_ALG_TYPE_AUTH:
		return crypto_has_ahash(alg->crypto_name, 0, 0);
	default:
		return false;
	}
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_alg_available);

/*
 * Which algorithm the kernel lacks is worth naming: ask for each part
 * before allocating the combination.
 */
static int check_available(const struct kipsec_alg *alg,
			   struct netlink_ext_ack *extack)
{
	if (alg && !kipsec_alg_available(alg)) {
		kipsec_set_err(extack, NULL, alg->unavailable_msg);
		return -EOPNOTSUPP;
	}
	return 0;
}

static struct crypto_aead *alloc_aead(const char *name,
				      struct netlink_ext_ack *extack)
{
	struct crypto_aead *aead;

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		/* The parts exist, so the template (geniv, authenc) is missing. */
		NL_SET_ERR_MSG(extack,
			       "this kernel cannot combine these algorithms");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return aead;
}

/* esp_init_aead(): the generator around the AEAD, key with salt. */
static int init_esp_aead(struct kipsec_xform *x, const struct kipsec_alg *alg,
			 const u8 *key, struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME];
	int ret;

	ret = check_available(alg, extack);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%s(%s)", alg->geniv, alg->crypto_name);
	x->aead = alloc_aead(name, extack);
	if (IS_ERR(x->aead)) {
		ret = PTR_ERR(x->aead);
		x->aead = NULL;
		return ret;
	}
	ret = crypto_aead_setkey(x->aead, key, alg->key_len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		return ret;
	}
	ret = crypto_aead_setauthsize(x->aead, alg->icv_len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the ICV length");
		return ret;
	}
	x->icv_len = alg->icv_len;
	x->block_len = alg->block_len;
	return 0;
}

/*
 * The key blob of crypto/authenc.c: an rtattr holding the cipher key
 * length, the integrity key, then the cipher key.
 */
static u8 *authenc_key(const struct kipsec_alg *enc, const u8 *enc_key,
		       const struct kipsec_alg *auth, const u8 *auth_key,
		       unsigned int *len)
{
	unsigned int auth_len = auth ? auth->key_len : 0;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *blob, *p;

	*len = RTA_SPACE(sizeof(*param)) + auth_len + enc->key_len;
	blob = kmalloc(*len, GFP_KERNEL);
	if (!blob)
		return NULL;

	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(enc->key_len);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, auth_key, auth_len);
	memcpy(p + auth_len, enc_key, enc->key_len);
	return blob;
}

static int authenc_name(char *name, size_t size, const struct kipsec_alg *enc,
			const struct kipsec_alg *auth, bool esn)
{
	const char *geniv = enc->geniv;

	if (snprintf(name, size, "%s%sauthenc%s(%s,%s)%s",
		     geniv ?: "", geniv ? "(" : "", esn ? "esn" : "",
		     auth ? auth->crypto_name : "digest_null",
		     enc->crypto_name, geniv ? ")" : "") >= size)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * esp_init_authenc(): cipher and HMAC in one AEAD; without integrity
 * (explicitly asked for) the HMAC is digest_null.
 */
static int init_esp_authenc(struct kipsec_xform *x,
			    const struct kipsec_alg *enc, const u8 *enc_key,
			    const struct kipsec_alg *auth, const u8 *auth_key,
			    bool esn, struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME];
	unsigned int len;
	u8 *key;
	int ret;

	ret = check_available(enc, extack) ?: check_available(auth, extack);
	if (ret)
		return ret;
	ret = authenc_name(name, sizeof(name), enc, auth, esn);
	if (ret) {
		NL_SET_ERR_MSG(extack, "crypto algorithm name too long");
		return ret;
	}
	x->aead = alloc_aead(name, extack);
	if (IS_ERR(x->aead)) {
		ret = PTR_ERR(x->aead);
		x->aead = NULL;
		return ret;
	}
	if (auth) {
		ret = crypto_aead_setauthsize(x->aead, auth->icv_len);
		if (ret) {
			NL_SET_ERR_MSG(extack,
				       "the crypto API refused the ICV length");
			return ret;
		}
	}

	key = authenc_key(enc, enc_key, auth, auth_key, &len);
	if (!key)
		return -ENOMEM;
	ret = crypto_aead_setkey(x->aead, key, len);
	kfree_sensitive(key);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		return ret;
	}
	x->icv_len = auth ? auth->icv_len : 0;
	x->block_len = enc->block_len;
	return 0;
}

/*
 * @enc is NULL only for ESP with GMAC (@auth), where the integrity-only
 * AEAD takes the place of the cipher.  On error the caller still calls
 * kipsec_xform_free().
 */
int kipsec_xform_init_esp(struct kipsec_xform *x,
			  const struct kipsec_alg *enc, const u8 *enc_key,
			  const struct kipsec_alg *auth, const u8 *auth_key,
			  bool esn, struct netlink_ext_ack *extack)
{
	int ret;

	if (!enc)
		ret = init_esp_aead(x, auth, auth_key, extack);
	else if (enc->type == KIPSEC_ALG_TYPE_AEAD)
		ret = init_esp_aead(x, enc, enc_key, extack);
	else
		ret = init_esp_authenc(x, enc, enc_key, auth, auth_key, esn,
				       extack);
	if (ret)
		return ret;
	x->iv_len = crypto_aead_ivsize(x->aead);
	return 0;
}

/*
 * AH with GMAC (RFC 4543 section 4): plain "gcm(aes)" authenticating the
 * whole packet as associated data.  rfc4543(gcm(aes)) only takes ESP's
 * associated data lengths, so the AH code builds the nonce itself: the
 * salt (the key's last 4 bytes) and the IV from the AH header.
 */
static int init_ah_gmac(struct kipsec_xform *x, const struct kipsec_alg *auth,
			const u8 *key, struct netlink_ext_ack *extack)
{
	unsigned int key_len = auth->key_len - auth->salt_len;
	int ret;

	x->aead = alloc_aead("gcm(aes)", extack);
	if (IS_ERR(x->aead)) {
		ret = PTR_ERR(x->aead);
		x->aead = NULL;
		return ret;
	}
	ret = crypto_aead_setkey(x->aead, key, key_len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		return ret;
	}
	ret = crypto_aead_setauthsize(x->aead, auth->icv_len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the ICV length");
		return ret;
	}
	memcpy(x->salt, key + key_len, auth->salt_len);
	x->iv_len = auth->iv_len;
	return 0;
}

/* ah_init_state(): the ICV is the HMAC truncated to the RFC's length. */
static int init_ah_hmac(struct kipsec_xform *x, const struct kipsec_alg *auth,
			const u8 *key, struct netlink_ext_ack *extack)
{
	int ret;

	x->ahash = crypto_alloc_ahash(auth->crypto_name, 0, 0);
	if (IS_ERR(x->ahash)) {
		x->ahash = NULL;
		kipsec_set_err(extack, NULL, auth->unavailable_msg);
		return -EOPNOTSUPP;
	}
	ret = crypto_ahash_setkey(x->ahash, key, auth->key_len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		return ret;
	}
	if (crypto_ahash_digestsize(x->ahash) < auth->icv_len) {
		NL_SET_ERR_MSG(extack, "digest shorter than the ICV");
		return -EINVAL;
	}
	return 0;
}

/* On error the caller still calls kipsec_xform_free(). */
int kipsec_xform_init_ah(struct kipsec_xform *x,
			 const struct kipsec_alg *auth, const u8 *auth_key,
			 struct netlink_ext_ack *extack)
{
	int ret;

	ret = check_available(auth, extack);
	if (ret)
		return ret;
	if (auth->type == KIPSEC_ALG_TYPE_AEAD_AUTH)
		ret = init_ah_gmac(x, auth, auth_key, extack);
	else
		ret = init_ah_hmac(x, auth, auth_key, extack);
	if (ret)
		return ret;
	/* AH pads nothing: its header alignment is per IP version. */
	x->icv_len = auth->icv_len;
	return 0;
}

/* Sleeps: only from process context. */
void kipsec_xform_free(struct kipsec_xform *x)
{
	if (x->aead)
		crypto_free_aead(x->aead);
	if (x->ahash)
		crypto_free_ahash(x->ahash);
	x->aead = NULL;
	x->ahash = NULL;
	memzero_explicit(x->salt, sizeof(x->salt));
}
