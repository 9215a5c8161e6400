/* SPDX-License-Identifier: GPL-2.0 */
/* The reply to KIPSEC_CMD_GET_STATS and how `stats` prints it. */
#ifndef IPSECCTL_STATS_H
#define IPSECCTL_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

/* Every counter but UNSPEC and PAD. */
#define STATS_N		(KIPSEC_A_STATS_MAX - KIPSEC_A_STATS_PAD)

/* A counter's attribute and its names ('-' in text, '_' in JSON). */
struct stats_counter {
	uint16_t attr;
	const char *name;
	const char *json;
};

/*
 * In printing order: inbound, outbound, either way, then the counters
 * added later, in the order of the uapi enum.
 */
extern const struct stats_counter stats_counters[STATS_N];

/* Indexed like stats_counters[]; counters the kernel left out are unset. */
struct stats {
	uint64_t v[STATS_N];
	bool has[STATS_N];
};

/* -1 (errno EPROTO) if malformed or without KIPSEC_A_STATS. */
int stats_from_msg(const struct nlmsghdr *nlh, struct stats *st);
void stats_print(FILE *f, const struct stats *st, bool json);

#endif /* IPSECCTL_STATS_H */
