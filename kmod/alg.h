/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_ALG_H
#define _KIPSEC_ALG_H

#include <linux/types.h>
#include <linux/kipsec.h>

struct crypto_aead;
struct crypto_ahash;
struct netlink_ext_ack;

/*
 * One entry per algorithm name of the wire API.  @crypto_name is what the
 * kernel crypto API calls it; for AEADs the key is the cipher key followed
 * by @salt_len bytes of salt (RFC 4106 and friends).  @geniv is the IV
 * generator ESP wraps it in, as net/xfrm/xfrm_algo.c does (NULL: none).
 * The messages are whole strings because extack messages must be static.
 */
struct kipsec_alg {
	const char *name;
	const char *crypto_name;
	enum kipsec_alg_type type;
	u16 key_len;		/* bytes, salt included */
	u16 salt_len;
	u16 icv_len;		/* bytes on the wire */
	u16 iv_len;		/* bytes on the wire */
	u16 block_len;		/* ESP pads the payload to this */
	const char *geniv;
	const char *key_len_msg;
	const char *unavailable_msg;
};

const struct kipsec_alg *kipsec_alg_find(const char *name);
const struct kipsec_alg *kipsec_alg_by_index(unsigned int i);
bool kipsec_alg_available(const struct kipsec_alg *alg);

/*
 * The transform of an SA, ready for the ESP and AH code.  ESP always uses
 * @aead, in the layout of net/ipv4/esp4.c: "seqiv(AEAD)" or
 * "echainiv(authenc[esn](AUTH,CIPHER))", so the request layout of esp4.c
 * applies, IV generation included.  AH uses @ahash for HMAC (as ah4.c), or
 * "gcm(aes)" as @aead for GMAC, whose nonce (@salt, then the IV) the AH
 * code builds.
 */
struct kipsec_xform {
	struct crypto_aead *aead;
	struct crypto_ahash *ahash;
	u16 icv_len;
	u16 iv_len;
	u16 block_len;
	u8 salt[4];
};

int kipsec_xform_init_esp(struct kipsec_xform *x,
			  const struct kipsec_alg *enc, const u8 *enc_key,
			  const struct kipsec_alg *auth, const u8 *auth_key,
			  bool esn, struct netlink_ext_ack *extack);
int kipsec_xform_init_ah(struct kipsec_xform *x,
			 const struct kipsec_alg *auth, const u8 *auth_key,
			 struct netlink_ext_ack *extack);
void kipsec_xform_free(struct kipsec_xform *x);

#endif /* _KIPSEC_ALG_H */
