/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_STATS_H
#define _KIPSEC_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/kipsec.h>

struct kipsec_net;
struct kipsec_sa;

/*
 * A drop reason is the KIPSEC_A_STATS_* attribute it counts under, so the
 * netlink reply is a plain walk over the array; UNSPEC means "no drop".
 */
#define KIPSEC_DROP_NONE KIPSEC_A_STATS_UNSPEC
/* Dropped without counting: an RFC 4303 2.6 dummy packet is no error. */
#define KIPSEC_DROP_SILENT __KIPSEC_A_STATS_MAX

/* Per CPU, so the packet path never shares a cache line to count. */
struct kipsec_stats {
	u64 v[__KIPSEC_A_STATS_MAX];
};

int kipsec_stats_init(struct kipsec_net *kn);
void kipsec_stats_fini(struct kipsec_net *kn);

/* Sums every CPU's counters into @out. */
void kipsec_stats_read(const struct kipsec_net *kn, struct kipsec_stats *out);

void kipsec_stats_add(struct kipsec_net *kn, unsigned int attr, u64 n);

static inline void kipsec_stats_inc(struct kipsec_net *kn, unsigned int attr)
{
	kipsec_stats_add(kn, attr, 1);
}

/*
 * Counts a dropped packet under its namespace reason and, when @sa is
 * known, under the SA's replay, integrity or other drops.
 */
void kipsec_stats_drop(struct kipsec_net *kn, struct kipsec_sa *sa,
		       enum kipsec_stats_attr reason);

#endif /* _KIPSEC_STATS_H */
