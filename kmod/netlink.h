/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETLINK_H
#define _KIPSEC_NETLINK_H

#include <linux/kipsec.h>
#include <linux/netlink.h>

struct kipsec_flow;
struct kipsec_net;
struct kipsec_policy;
struct kipsec_sa;
struct kipsec_tmpl;
struct sk_buff;

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

/* The attribute nests of replies, for events.c. */
int kipsec_nl_put_sa(struct sk_buff *skb, const struct kipsec_sa *sa,
		     bool keys);
int kipsec_nl_put_policy(struct sk_buff *skb,
			 const struct kipsec_policy *pol);
int kipsec_nl_put_config(struct sk_buff *skb, struct kipsec_net *kn);

/* Whether an event for @kn would reach anyone (any context). */
bool kipsec_nl_listening(struct kipsec_net *kn);
/* The header of an event message of command @cmd. */
void *kipsec_nl_event_start(struct sk_buff *skb, u8 cmd);
/* Multicasts a finished event on "events" in @kn's namespace; consumes. */
void kipsec_nl_event_send(struct kipsec_net *kn, struct sk_buff *skb);

#endif /* _KIPSEC_NETLINK_H */
