// SPDX-License-Identifier: GPL-2.0
/*
 * Events for key managers and `ipsecctl monitor`: every change of the
 * databases and settings, SA expiry, flushes.  Each message carries what
 * a listener needs to act without asking back: the whole SA (no keys) or
 * policy, which limit expired, how many entries a flush removed.
 */
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "sad.h"
#include "spd.h"

static struct sk_buff *ev_new(struct kipsec_net *kn, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!kipsec_nl_listening(kn))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = kipsec_nl_event_start(skb, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* @err: whether filling the message failed (it is dropped then). */
static void ev_send(struct kipsec_net *kn, struct sk_buff *skb, void *hdr,
		    int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	kipsec_nl_event_send(kn, skb);
}

void kipsec_ev_sa(struct kipsec_net *kn, const struct kipsec_sa *sa, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(kn, cmd, &hdr);
	if (skb)
		ev_send(kn, skb, hdr, kipsec_nl_put_sa(skb, sa, false));
}

static int put_expire(struct sk_buff *skb, bool hard,
		      enum kipsec_lifetime_limit limit)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_EXPIRE);

	if (!nest || nla_put_u8(skb, KIPSEC_A_EXPIRE_HARD, hard) ||
	    nla_put_u8(skb, KIPSEC_A_EXPIRE_LIMIT, limit))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

void kipsec_ev_expire(struct kipsec_net *kn, const struct kipsec_sa *sa,
		      bool hard, enum kipsec_lifetime_limit limit)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(kn, KIPSEC_CMD_SA_EXPIRE, &hdr);
	if (skb)
		ev_send(kn, skb, hdr, kipsec_nl_put_sa(skb, sa, false) ?:
				      put_expire(skb, hard, limit));
}

/* The filter as a request would give it, then the count. */
static int put_flush(struct sk_buff *skb, int nest_type, int filter_type,
		     int filter, unsigned int count)
{
	struct nlattr *nest;

	if (filter >= 0) {
		nest = nla_nest_start(skb, nest_type);
		if (!nest || nla_put_u8(skb, filter_type, filter))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return nla_put_u32(skb, KIPSEC_A_FLUSH_COUNT, count);
}

void kipsec_ev_sa_flush(struct kipsec_net *kn, u8 proto, unsigned int count)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(kn, KIPSEC_CMD_SA_FLUSH, &hdr);
	if (skb)
		ev_send(kn, skb, hdr,
			put_flush(skb, KIPSEC_A_SA, KIPSEC_A_SA_PROTO,
				  proto ? proto : -1, count));
}

void kipsec_ev_policy(struct kipsec_net *kn, const struct kipsec_policy *pol,
		      u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(kn, cmd, &hdr);
	if (skb)
		ev_send(kn, skb, hdr, kipsec_nl_put_policy(skb, pol));
}

void kipsec_ev_policy_flush(struct kipsec_net *kn, int dir,
			    unsigned int count)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(kn, KIPSEC_CMD_POLICY_FLUSH, &hdr);
	if (skb)
		ev_send(kn, skb, hdr,
			put_flush(skb, KIPSEC_A_POLICY, KIPSEC_A_POLICY_DIR,
				  dir, count));
}

void kipsec_ev_config(struct kipsec_net *kn)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(kn, KIPSEC_CMD_SET_CONFIG, &hdr);
	if (skb)
		ev_send(kn, skb, hdr, kipsec_nl_put_config(skb, kn));
}
