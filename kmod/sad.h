/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_SAD_H
#define _KIPSEC_SAD_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/workqueue.h>
#include <linux/kipsec.h>

#include "addr.h"
#include "alg.h"
#include "replay.h"
#include "stats.h"

struct kipsec_net;
struct netlink_ext_ack;
struct nlattr;

/* Soft or hard limits; 0 means no limit. */
struct kipsec_lifetime {
	u64 bytes;
	u64 packets;
	u64 add_seconds;	/* since the SA was added */
	u64 use_seconds;	/* since its first use */
};

struct kipsec_sa_stats {
	u64 packets;
	u64 bytes;
	u64 replay_drops;
	u64 integrity_failures;
	u64 other_drops;
	time64_t add_time;	/* wall clock */
	time64_t use_time;	/* wall clock of the first use, 0 = unused */
};

/*
 * The packet path's mutable part of an SA.  SA_UPDATE replaces the SA
 * object but hands this on, so counters and the outbound sequence number
 * carry over without a window where in-flight packets of the old version
 * could count into the void or reuse a sequence number (an IV, for
 * seqiv).  Lock with spin_lock_bh().
 */
struct kipsec_sa_state {
	refcount_t ref;
	spinlock_t lock;
	u64 seq;		/* last outbound sequence number used */
	struct kipsec_sa_stats stats;
	u64 add_ns;		/* boot-time clock, for lifetimes */
	u64 use_ns;		/* of the first use, 0 = unused */
	struct kipsec_replay replay;
};

/* The SAD key, RFC 4301 4.4.2; zero padded so it hashes as raw bytes. */
struct kipsec_sa_id {
	union kipsec_addr daddr;
	__be32 spi;
	u16 family;
	u8 proto;
	u8 pad;
};

/* The key the outbound chooser looks SAs up by. */
struct kipsec_sa_pair {
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u16 family;
	u8 proto;
	u8 pad;
};

/*
 * Everything but @state is fixed once the SA is published; a change is a
 * new SA (kipsec_sa_update()).  Packet path: find it with
 * kipsec_sa_lookup_rcu() and, to keep it past the RCU read section, take
 * a reference with kipsec_sa_get().
 */
struct kipsec_sa {
	struct rhash_head node;		/* sad.by_id */
	struct rhlist_head pair_node;	/* sad.by_pair */
	struct list_head list;		/* sad.list, by @serial */
	struct kipsec_sa_id id;
	struct kipsec_sa_pair pair;
	u64 serial;			/* insertion order, kept by update */
	refcount_t ref;
	struct rcu_work free_work;

	u8 mode;			/* enum kipsec_mode */
	u32 flags;			/* KIPSEC_SA_F_* */
	u32 replay_window;
	const struct kipsec_alg *enc;	/* NULL: AH, or ESP with GMAC */
	const struct kipsec_alg *auth;	/* NULL: AEAD or no integrity */
	struct kipsec_lifetime soft;
	struct kipsec_lifetime hard;
	struct kipsec_xform xform;
	struct kipsec_sa_state *state;
	struct kipsec_net *kn;
	/* Lifetimes: the limit that expired the SA (0: none), set once. */
	u8 expired;
	bool soft_kicked;		/* under the state's lock */
	bool soft_sent;			/* under config_lock */
	bool replacing;			/* a transaction's, under config_lock */
	u8 enc_key[KIPSEC_KEY_MAX_LEN];
	u8 auth_key[KIPSEC_KEY_MAX_LEN];
};

/* Per namespace; changed under kipsec_net.config_lock only. */
struct kipsec_sad {
	struct rhashtable by_id;
	struct rhltable by_pair;
	struct list_head list;
	unsigned int count;
	unsigned int max;
	u64 next_serial;
	/* Bumped by every change, for genl_dump_check_consistent(). */
	unsigned int gen;
};

/*
 * An SA as netlink asks for it, before any check.  Names and keys point
 * into the request.  @tb, when set, lets errors point at the attribute.
 */
struct kipsec_sa_config {
	u16 family;
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u32 spi;
	u8 proto;
	u8 mode;
	u32 flags;
	u32 replay_window;
	bool has_seq;
	u64 seq;
	const char *enc_name;		/* NULL: none */
	const u8 *enc_key;
	unsigned int enc_key_len;
	const char *auth_name;		/* NULL: none */
	const u8 *auth_key;
	unsigned int auth_key_len;
	struct kipsec_lifetime soft;
	struct kipsec_lifetime hard;
	struct nlattr **tb;
};

void kipsec_sa_config_init(struct kipsec_sa_config *cfg);
int kipsec_sa_config_check(const struct kipsec_sa_config *cfg,
			   struct netlink_ext_ack *extack);

int kipsec_sad_init(struct kipsec_net *kn);
void kipsec_sad_fini(struct kipsec_net *kn);
int kipsec_sad_module_init(void);
void kipsec_sad_module_exit(void);

int kipsec_sa_add(struct kipsec_net *kn, const struct kipsec_sa_config *cfg,
		  struct netlink_ext_ack *extack);
/* @reset: the SA starts afresh (sequence numbers, replay, counters). */
int kipsec_sa_update(struct kipsec_net *kn,
		     const struct kipsec_sa_config *cfg, bool reset,
		     struct netlink_ext_ack *extack);
int kipsec_sa_del(struct kipsec_net *kn, u16 family, const void *daddr,
		  __be32 spi, u8 proto);
unsigned int kipsec_sa_flush(struct kipsec_net *kn, u8 proto);

/*
 * The steps of the calls above, for transactions (txn.c), which hold
 * config_lock across many of them and undo what they did on failure.
 */
struct kipsec_sa *kipsec_sa_create(const struct kipsec_sa_config *cfg,
				   struct netlink_ext_ack *extack);
/* Of an SA never published. */
void kipsec_sa_free(struct kipsec_sa *sa);
void kipsec_sa_make_id(struct kipsec_sa_id *id, u16 family,
		       const void *daddr, __be32 spi, u8 proto);
struct kipsec_sa *kipsec_sa_find_locked(struct kipsec_net *kn,
					const struct kipsec_sa_id *id);
int kipsec_sa_insert_locked(struct kipsec_net *kn, struct kipsec_sa *sa,
			    struct netlink_ext_ack *extack);
void kipsec_sa_unpublish_locked(struct kipsec_net *kn, struct kipsec_sa *sa);
void kipsec_sa_announce(struct kipsec_net *kn, struct kipsec_sa *sa, u8 cmd);

struct kipsec_sa_replace {
	bool reset;		/* fresh state, else the old SA's */
	bool has_seq;		/* keeping the state: set the sequence number */
	u64 seq;
};

int kipsec_sa_replace_prepare_locked(struct kipsec_net *kn,
				     struct kipsec_sa *old,
				     struct kipsec_sa *new,
				     const struct kipsec_sa_replace *how);
void kipsec_sa_replace_cancel_locked(struct kipsec_net *kn,
				     struct kipsec_sa *old,
				     struct kipsec_sa *new);
void kipsec_sa_replace_finish_locked(struct kipsec_net *kn,
				     struct kipsec_sa *old,
				     struct kipsec_sa *new);

/* Packet path: under rcu_read_lock(), no reference taken. */
struct kipsec_sa *kipsec_sa_lookup_rcu(struct kipsec_net *kn, u16 family,
				       const void *daddr, __be32 spi,
				       u8 proto);
struct kipsec_sa *kipsec_sa_lookup_out_rcu(struct kipsec_net *kn,
					   u16 family, const void *saddr,
					   const void *daddr, u8 proto,
					   u8 mode, __be32 spi);
struct kipsec_sa *kipsec_sa_get(struct kipsec_sa *sa);
void kipsec_sa_put(struct kipsec_sa *sa);

void kipsec_sa_read_state(const struct kipsec_sa *sa,
			  struct kipsec_sa_stats *stats, u64 *seq);

/*
 * Packet path, any context.  The next outbound sequence number, counting
 * the packet (@bytes) on the SA; KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED when the
 * counter would wrap.
 */
enum kipsec_stats_attr kipsec_sa_next_seq(struct kipsec_sa *sa,
					  unsigned int bytes, u64 *seq);

/*
 * Inbound, before authentication: the full sequence number of a packet
 * carrying @seq_lo (ESN inferred) and whether the window lets it in.
 */
enum kipsec_stats_attr kipsec_sa_replay_check(struct kipsec_sa *sa,
					      u32 seq_lo, u64 *seq);

/* Inbound, once authenticated: the window moves, the packet counts. */
enum kipsec_stats_attr kipsec_sa_replay_advance(struct kipsec_sa *sa, u64 seq,
						unsigned int bytes);

/*
 * Config path, for the lifetime worker: takes an expired SA out of the
 * database (its EXPIRE event stands for the deletion).
 */
void kipsec_sa_expire_locked(struct kipsec_net *kn, struct kipsec_sa *sa);

#endif /* _KIPSEC_SAD_H */
