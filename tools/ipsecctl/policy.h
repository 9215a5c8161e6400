/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A security policy as the grammar, the wire and the output see it, and the
 * transformations between them; no netlink I/O here.
 */
#ifndef IPSECCTL_POLICY_H
#define IPSECCTL_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

#include "args.h"

/* Fields present in a struct policy; most are also words of the grammar. */
enum policy_field {
	POL_ID			= 1U << 0,
	POL_DIR			= 1U << 1,
	POL_SRC			= 1U << 2,
	POL_DST			= 1U << 3,
	POL_PROTO		= 1U << 4,
	POL_SPORT		= 1U << 5,
	POL_DPORT		= 1U << 6,
	POL_TYPE		= 1U << 7,
	POL_CODE		= 1U << 8,
	POL_PRIORITY		= 1U << 9,
	POL_ACTION		= 1U << 10,
	/* the words of the template after "action protect" */
	POL_TMPL_PROTO		= 1U << 11,
	POL_TMPL_SPI		= 1U << 12,
	POL_TMPL_MODE		= 1U << 13,
	POL_TMPL_LEVEL		= 1U << 14,
};

#define POL_TMPL_WORDS	(POL_TMPL_PROTO | POL_TMPL_SPI | POL_TMPL_MODE | \
			 POL_TMPL_LEVEL)

enum policy_cmd {
	POLICY_CMD_ADD,
	POLICY_CMD_UPDATE,
	POLICY_CMD_GET,
	POLICY_CMD_DEL,
	POLICY_CMD_LIST,
	POLICY_CMD_FLUSH,
};

struct tmpl {
	uint8_t proto;
	bool has_spi;
	uint32_t spi;
	uint8_t mode;
	uint8_t level;
	unsigned int words;	/* POL_TMPL_* given for it (parsing only) */
};

struct policy {
	unsigned int has;	/* enum policy_field */
	uint32_t id;
	uint8_t dir;
	struct ip_prefix src, dst;
	uint8_t proto;
	uint16_t sport[2], dport[2];	/* min, max */
	uint8_t icmp_type, icmp_code;
	uint32_t priority;
	uint8_t action;
	/* inside out: a bundle is esp, then ah */
	struct tmpl tmpls[KIPSEC_TMPLS_MAX];
	unsigned int n_tmpls;
};

/* argv (the words after "policy add") to a checked struct policy. */
int policy_parse(enum policy_cmd cmd, int argc, char **argv,
		 struct policy *pol, struct perr *e);
/* Puts KIPSEC_A_POLICY with the fields @pol has. */
void policy_put(struct nlmsghdr *nlh, const struct policy *pol);
/* The KIPSEC_A_POLICY nest of a reply; -1 (errno EPROTO) if malformed. */
/* @item is a struct policy: the signature fits nl_collect(). */
int policy_from_nest(const struct nlattr *nest, void *item);

#endif /* IPSECCTL_POLICY_H */
