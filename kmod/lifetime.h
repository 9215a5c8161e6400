/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_LIFETIME_H
#define _KIPSEC_LIFETIME_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct kipsec_lifetime;
struct kipsec_net;
struct kipsec_sa;
struct kipsec_sa_state;

enum kipsec_lifetime_state {
	KIPSEC_LIFETIME_OK,
	KIPSEC_LIFETIME_SOFT,	/* time to rekey */
	KIPSEC_LIFETIME_HARD,	/* the SA must not be used any more */
};

/* The values of enum kipsec_expire_limit, NONE being 0. */
enum kipsec_lifetime_limit {
	KIPSEC_LIMIT_NONE,
	KIPSEC_LIMIT_BYTES,
	KIPSEC_LIMIT_PACKETS,
	KIPSEC_LIMIT_ADD_SECONDS,
	KIPSEC_LIMIT_USE_SECONDS,
	KIPSEC_LIMIT_SEQ,
};

/*
 * What lifetimes are measured on: an SA's counters and the boot-time
 * clock (ns) at its add and its first use (0: not used yet).
 */
struct kipsec_lifetime_usage {
	u64 bytes;
	u64 packets;
	u64 add_ns;
	u64 use_ns;
};

/*
 * Where an SA stands against its lifetimes at boot-time @now_ns.  A limit
 * is reached once its counter equals it: with "hard packets 10" the
 * eleventh packet is refused.  Hard wins over soft; @limit says which
 * limit decided, in the order bytes, packets, add, use.  *@next_ns, when
 * not NULL, is lowered to the earliest time limit still ahead (of the
 * soft ones only if @soft_done is false).
 */
enum kipsec_lifetime_state
kipsec_lifetime_check(const struct kipsec_lifetime *soft,
		      const struct kipsec_lifetime *hard,
		      const struct kipsec_lifetime_usage *u, u64 now_ns,
		      bool soft_done, enum kipsec_lifetime_limit *limit,
		      u64 *next_ns);

/*
 * Per namespace: one worker sends soft expiry events and expires SAs
 * (event, then delete) when a limit is reached.  Deadlines are absolute
 * boot-time instants, so the worker never drifts however late it runs.
 */
void kipsec_lifetime_net_init(struct kipsec_net *kn);
void kipsec_lifetime_net_exit(struct kipsec_net *kn);

/* Any context: have the worker look at every SA now. */
void kipsec_lifetime_kick(struct kipsec_net *kn);

/*
 * Packet path, under the SA state's lock, once a packet has been counted:
 * kicks the worker when a count limit was just reached, or when the first
 * use starts a use-time limit.  Returns true when @sa reached a hard
 * limit (it has been marked expired).
 */
bool kipsec_lifetime_counted(struct kipsec_sa *sa, bool first_use);

/*
 * Packet path, under the state's lock: has @sa reached a hard limit, so
 * that it may not carry one more packet?  A time limit found reached
 * here expires the SA.
 */
bool kipsec_lifetime_hard_reached(struct kipsec_sa *sa);

/* Marks @sa expired hard by @limit (sequence numbers) and kicks. */
void kipsec_lifetime_expire(struct kipsec_sa *sa,
			    enum kipsec_lifetime_limit limit);

#endif /* _KIPSEC_LIFETIME_H */
