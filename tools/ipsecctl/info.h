/* SPDX-License-Identifier: GPL-2.0 */
/* The reply to KIPSEC_CMD_GET_INFO and how `version` prints it. */
#ifndef IPSECCTL_INFO_H
#define IPSECCTL_INFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

#define INFO_ALGS_MAX	64

struct info_alg {
	char name[KIPSEC_ALG_NAME_MAX];
	uint8_t type;
	uint16_t key_len;
	uint16_t icv_len;
};

struct info {
	char version[64];
	bool has_version;
	struct info_alg algs[INFO_ALGS_MAX];
	unsigned int n_algs;
};

/* -1 (errno EPROTO) if malformed. */
int info_from_msg(const struct nlmsghdr *nlh, struct info *info);
/* @info NULL: the module is not there, only the tool's version. */
void info_print(FILE *f, const struct info *info, bool json);

#endif /* IPSECCTL_INFO_H */
