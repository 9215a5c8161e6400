/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_SPD_H
#define _KIPSEC_SPD_H

#include <linux/list.h>
#include <linux/ratelimit_types.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <linux/kipsec.h>

#include "addr.h"

struct kipsec_net;
struct netlink_ext_ack;
struct nlattr;

/* Which selector fields restrict; an absent field matches anything. */
enum kipsec_sel_flags {
	KIPSEC_SEL_SRC		= 1U << 0,
	KIPSEC_SEL_DST		= 1U << 1,
	KIPSEC_SEL_PROTO	= 1U << 2,
	KIPSEC_SEL_SPORT	= 1U << 3,
	KIPSEC_SEL_DPORT	= 1U << 4,
	KIPSEC_SEL_ICMP_TYPE	= 1U << 5,
	KIPSEC_SEL_ICMP_CODE	= 1U << 6,
};

/* RFC 4301 4.4.1.1, with host byte order ports. */
struct kipsec_selector {
	u16 family;		/* 0: no address given, matches both */
	u8 flags;		/* KIPSEC_SEL_* */
	u8 proto;
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u8 sprefix;
	u8 dprefix;
	u16 sport_min;
	u16 sport_max;
	u16 dport_min;
	u16 dport_max;
	u8 icmp_type;
	u8 icmp_code;
};

/* A packet as the SPD sees it; the packet path fills it from headers. */
struct kipsec_flow {
	u16 family;		/* AF_INET or AF_INET6 */
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u8 proto;		/* upper layer */
	__be16 sport;		/* TCP, UDP, UDP-Lite, SCTP */
	__be16 dport;
	u8 icmp_type;		/* ICMP, ICMPv6 */
	u8 icmp_code;
};

struct kipsec_tmpl {
	u8 proto;		/* IPPROTO_ESP or IPPROTO_AH */
	u8 mode;		/* enum kipsec_mode */
	u8 level;		/* enum kipsec_level */
	bool has_spi;		/* else the SA is chosen by addresses */
	__be32 spi;
};

/* Immutable once published: an update publishes a new one. */
struct kipsec_policy {
	struct list_head list;	/* spd.lists[dir], RCU */
	struct rcu_head rcu;
	u32 id;
	u32 priority;
	u64 serial;		/* insertion order: breaks priority ties */
	u8 dir;			/* enum kipsec_dir */
	u8 action;		/* enum kipsec_action */
	u8 ntmpls;
	struct kipsec_selector sel;
	struct kipsec_tmpl tmpls[KIPSEC_TMPLS_MAX];
	/* The one mutable part: how many ACQUIREs it may send now. */
	struct ratelimit_state acquire_rl;
};

/* Per namespace; changed under kipsec_net.config_lock only. */
struct kipsec_spd {
	/* By priority, then insertion: the first match wins. */
	struct list_head lists[KIPSEC_DIR_MAX + 1];
	struct xarray ids;
	u32 next_id;
	unsigned int count;
	unsigned int max;
	u64 next_serial;
	/* Bumped by every change, for genl_dump_check_consistent(). */
	unsigned int gen;
};

/*
 * A policy as netlink asks for it, before any check.  Absent addresses
 * have family 0; @tb, when set, lets errors point at the attribute.
 */
struct kipsec_policy_config {
	u32 id;
	bool has_dir;
	u8 dir;
	u16 src_family;
	u16 dst_family;
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	bool has_sprefix;
	bool has_dprefix;
	u8 sprefix;
	u8 dprefix;
	bool has_proto;
	u8 proto;
	bool has_sport;
	bool has_dport;
	u16 sport_min;
	u16 sport_max;
	u16 dport_min;
	u16 dport_max;
	bool has_icmp_type;
	bool has_icmp_code;
	u8 icmp_type;
	u8 icmp_code;
	u32 priority;
	u8 action;
	u8 ntmpls;
	struct kipsec_tmpl tmpls[KIPSEC_TMPLS_MAX];
	struct nlattr **tb;
};

#define KIPSEC_DIR_ANY (-1)

void kipsec_policy_config_init(struct kipsec_policy_config *cfg);
int kipsec_policy_config_check(const struct kipsec_policy_config *cfg,
			       struct netlink_ext_ack *extack);

int kipsec_spd_init(struct kipsec_net *kn);
void kipsec_spd_fini(struct kipsec_net *kn);

int kipsec_policy_add(struct kipsec_net *kn,
		      const struct kipsec_policy_config *cfg, u32 *id,
		      struct netlink_ext_ack *extack);
int kipsec_policy_update(struct kipsec_net *kn,
			 const struct kipsec_policy_config *cfg,
			 struct netlink_ext_ack *extack);
int kipsec_policy_del(struct kipsec_net *kn, u32 id);
unsigned int kipsec_spd_flush(struct kipsec_net *kn, int dir);

/* The steps of the calls above, for transactions (txn.c). */
struct kipsec_policy *
kipsec_policy_create(const struct kipsec_policy_config *cfg,
		     struct netlink_ext_ack *extack);
struct kipsec_policy *kipsec_policy_find_locked(struct kipsec_net *kn, u32 id);
int kipsec_policy_insert_locked(struct kipsec_net *kn, struct kipsec_policy *pol,
				struct netlink_ext_ack *extack);
/* Unlinks and frees after a grace period. */
void kipsec_policy_unlink_locked(struct kipsec_net *kn,
				 struct kipsec_policy *pol);
int kipsec_policy_swap_locked(struct kipsec_net *kn, struct kipsec_policy *old,
			      struct kipsec_policy *new,
			      struct netlink_ext_ack *extack);
void kipsec_policy_swap_back_locked(struct kipsec_net *kn,
				    struct kipsec_policy *new,
				    struct kipsec_policy *old);

/* Under rcu_read_lock(); policies are freed after a grace period. */
struct kipsec_policy *kipsec_policy_find_rcu(struct kipsec_net *kn, u32 id);
struct kipsec_policy *kipsec_spd_lookup_rcu(struct kipsec_net *kn, u8 dir,
					    const struct kipsec_flow *flow);
bool kipsec_selector_match(const struct kipsec_selector *sel,
			   const struct kipsec_flow *flow);

#endif /* _KIPSEC_SPD_H */
