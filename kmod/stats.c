// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace counters: traffic and drops by reason (uapi enum
 * kipsec_stats_attr).  Per-CPU u64s without a seqcount: a reader on a
 * 32-bit machine may see a torn value, which a counter display tolerates,
 * and the packet path pays one this_cpu_add() per count.
 */
#include <linux/percpu.h>

#include "netns.h"
#include "sad.h"
#include "stats.h"

int kipsec_stats_init(struct kipsec_net *kn)
{
	kn->stats = alloc_percpu(struct kipsec_stats);
	return kn->stats ? 0 : -ENOMEM;
}

void kipsec_stats_fini(struct kipsec_net *kn)
{
	free_percpu(kn->stats);
	kn->stats = NULL;
}

void kipsec_stats_read(const struct kipsec_net *kn, struct kipsec_stats *out)
{
	unsigned int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct kipsec_stats *s = per_cpu_ptr(kn->stats, cpu);

		for (i = 0; i < ARRAY_SIZE(out->v); i++)
			out->v[i] += READ_ONCE(s->v[i]);
	}
}

void kipsec_stats_add(struct kipsec_net *kn, unsigned int attr, u64 n)
{
	if (attr && attr < ARRAY_SIZE(kn->stats->v))
		this_cpu_add(kn->stats->v[attr], n);
}

void kipsec_stats_drop(struct kipsec_net *kn, struct kipsec_sa *sa,
		       enum kipsec_stats_attr reason)
{
	struct kipsec_sa_state *st;

	if (reason == KIPSEC_DROP_SILENT)
		return;
	kipsec_stats_inc(kn, reason);
	if (!sa)
		return;
	st = sa->state;
	spin_lock_bh(&st->lock);
	switch (reason) {
	case KIPSEC_A_STATS_IN_REPLAY:
		st->stats.replay_drops++;
		break;
	case KIPSEC_A_STATS_IN_ICV_FAIL:
		st->stats.integrity_failures++;
		break;
	default:
		st->stats.other_drops++;
		break;
	}
	spin_unlock_bh(&st->lock);
}
