/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_TXN_H
#define _KIPSEC_TXN_H

#include <linux/types.h>

#include "netns.h"

struct netlink_ext_ack;
struct kipsec_sa;
struct kipsec_sa_id;
struct kipsec_sa_replace;
struct kipsec_policy;

/*
 * Transactions: changes staged by one netlink socket (its port id), then
 * applied all together or not at all.  Staging checks everything a change
 * can be checked for alone (attributes, algorithms, keys) and builds the
 * objects, so a commit does no crypto setup and fails only on conflicts
 * with the databases or for memory.  A socket closed before its commit
 * leaves nothing behind.
 */
int kipsec_txn_begin(struct kipsec_net *kn, u32 portid,
		     struct netlink_ext_ack *extack);
int kipsec_txn_abort(struct kipsec_net *kn, u32 portid,
		     struct netlink_ext_ack *extack);
int kipsec_txn_commit(struct kipsec_net *kn, u32 portid,
		      struct netlink_ext_ack *extack);

/*
 * Each takes @sa / @pol (built, never published) in any case: it is freed
 * with the transaction, or on failure here.
 */
int kipsec_txn_add_sa(struct kipsec_net *kn, u32 portid, struct kipsec_sa *sa,
		      struct netlink_ext_ack *extack);
int kipsec_txn_update_sa(struct kipsec_net *kn, u32 portid,
			 struct kipsec_sa *sa,
			 const struct kipsec_sa_replace *how,
			 struct netlink_ext_ack *extack);
int kipsec_txn_del_sa(struct kipsec_net *kn, u32 portid,
		      const struct kipsec_sa_id *id,
		      struct netlink_ext_ack *extack);
int kipsec_txn_add_policy(struct kipsec_net *kn, u32 portid,
			  struct kipsec_policy *pol,
			  struct netlink_ext_ack *extack);
/* @has_dir: @pol->dir was given and must be the old policy's. */
int kipsec_txn_update_policy(struct kipsec_net *kn, u32 portid,
			     struct kipsec_policy *pol, u32 id, bool has_dir,
			     struct netlink_ext_ack *extack);
int kipsec_txn_del_policy(struct kipsec_net *kn, u32 portid, u32 id,
			  struct netlink_ext_ack *extack);
int kipsec_txn_set_config(struct kipsec_net *kn, u32 portid,
			  const struct kipsec_config *c,
			  struct netlink_ext_ack *extack);

/* The namespace goes: its open transactions with it. */
void kipsec_txn_fini(struct kipsec_net *kn);
int kipsec_txn_module_init(void);
void kipsec_txn_module_exit(void);

#endif /* _KIPSEC_TXN_H */
