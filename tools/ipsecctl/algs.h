/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The algorithm names of the wire API with their exact key and ICV sizes,
 * as kmod/alg.c has them.  The tool checks names and key lengths itself
 * only to say what is wrong more precisely; the kernel stays the
 * authority on what it can run.
 */
#ifndef IPSECCTL_ALGS_H
#define IPSECCTL_ALGS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kipsec.h>

struct alg {
	const char *name;
	enum kipsec_alg_type type;
	uint16_t key_len;	/* bytes, salt included */
	uint16_t salt_len;
	uint16_t icv_len;
};

const struct alg *alg_find(const char *name);
const struct alg *alg_by_index(size_t i);
const char *alg_type_name(unsigned int type);
int alg_usable(const struct alg *alg, int for_enc);
/* Space-separated names of the algorithms usable as enc (or auth). */
void alg_names(char *buf, size_t size, int for_enc);

#endif /* IPSECCTL_ALGS_H */
