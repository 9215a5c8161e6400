/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETLINK_H
#define _KIPSEC_NETLINK_H

#include <linux/kipsec.h>
#include <linux/netlink.h>

struct kipsec_flow;
struct kipsec_net;
struct kipsec_policy;
struct kipsec_tmpl;

int kipsec_netlink_init(void);
void kipsec_netlink_exit(void);

/*
 * NL_SET_ERR_MSG() takes only literals; this takes a message chosen at run
 * time, which must still be static (it is read after the handler returns).
 */
static inline void kipsec_set_err(struct netlink_ext_ack *extack,
				  const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

/*
 * Multicasts KIPSEC_CMD_ACQUIRE on "events" in @kn's namespace.  Packet
 * path (softirq, RCU held); the caller rate-limits.
 */
void kipsec_nl_acquire(struct kipsec_net *kn, const struct kipsec_policy *pol,
		       const struct kipsec_tmpl *tmpl,
		       const struct kipsec_flow *flow);

#endif /* _KIPSEC_NETLINK_H */
