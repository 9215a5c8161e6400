// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks in every network namespace, IPv4 and
 * IPv6, last in LOCAL_OUT and LOCAL_IN so that filtering and NAT see the
 * packet as the applications do.
 *
 * Outbound, every locally generated packet is looked up in the SPD; a
 * PROTECT policy's SA encrypts it here, GSO packets one segment at a
 * time.  Inbound, ESP for a local address is decrypted in place and the
 * inner packet is checked against the inbound SPD before it goes on;
 * other packets are checked against the inbound SPD as they are.  IPv4
 * fragments are reassembled before LOCAL_IN by the stack, IPv6 ones by
 * nf_defrag_ipv6, which each namespace enables.
 *
 * A namespace without SAs and policies is left alone entirely, so XFRM
 * can run there while kipsec is loaded.
 */
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/ratelimit.h>
#include <linux/tcp.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/sock.h>

#include "esp.h"
#include "hooks.h"
#include "netlink.h"
#include "netns.h"

/* ---- what a packet is ---- */

static void flow_ports(struct sk_buff *skb, unsigned int off,
		       struct kipsec_flow *f, bool *ok)
{
	__be16 _ports[2];
	const __be16 *ports;
	u8 _icmp[2];
	const u8 *icmp;

	switch (f->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (!ports) {
			*ok = false;
			return;
		}
		f->sport = ports[0];
		f->dport = ports[1];
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		icmp = skb_header_pointer(skb, off, sizeof(_icmp), _icmp);
		if (!icmp) {
			*ok = false;
			return;
		}
		f->icmp_type = icmp[0];
		f->icmp_code = icmp[1];
		break;
	}
}

/*
 * The selector fields of a packet whose data starts at its network
 * header; @l4off gets the upper-layer header's offset.  False if the
 * headers are cut short.
 */
static bool fill_flow(struct sk_buff *skb, u16 family, struct kipsec_flow *f,
		      unsigned int *l4off)
{
	bool ok = true;

	memset(f, 0, sizeof(*f));
	f->family = family;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		kipsec_addr_set(&f->saddr, family, &iph->saddr);
		kipsec_addr_set(&f->daddr, family, &iph->daddr);
		f->proto = iph->protocol;
		*l4off = ip_hdrlen(skb);
		/* A later fragment has no ports; the first one does. */
		if (iph->frag_off & htons(IP_OFFSET))
			return true;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		__be16 frag_off = 0;
		u8 nexthdr = ip6h->nexthdr;
		int off;

		kipsec_addr_set(&f->saddr, family, &ip6h->saddr);
		kipsec_addr_set(&f->daddr, family, &ip6h->daddr);
		off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
		if (off < 0)
			return false;
		f->proto = nexthdr;
		*l4off = off;
		if (frag_off & htons(IP6_OFFSET))
			return true;
	}
	flow_ports(skb, *l4off, f, &ok);
	return ok;
}

static bool namespace_idle(const struct kipsec_net *kn)
{
	return !READ_ONCE(kn->sad.count) && !READ_ONCE(kn->spd.count);
}

static void drop(struct kipsec_net *kn, struct kipsec_sa *sa,
		 enum kipsec_stats_attr reason)
{
	kipsec_stats_drop(kn, sa, reason);
}

/* ---- TCP MSS: keep segments small enough for ESP and the MTU ---- */

static void clamp_mss_option(struct sk_buff *skb, struct tcphdr *th,
			     unsigned int optlen, u16 mss)
{
	u8 *opt = (u8 *)(th + 1);
	unsigned int i = 0;

	while (i < optlen) {
		if (opt[i] == TCPOPT_EOL)
			return;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen || opt[i + 1] < 2 ||
		    i + opt[i + 1] > optlen)
			return;
		if (opt[i] == TCPOPT_MSS && opt[i + 1] == TCPOLEN_MSS) {
			__be16 old = get_unaligned((__be16 *)&opt[i + 2]);

			if (ntohs(old) > mss) {
				put_unaligned(htons(mss), (__be16 *)&opt[i + 2]);
				inet_proto_csum_replace2(&th->check, skb, old,
							 htons(mss), false);
			}
			return;
		}
		i += opt[i + 1];
	}
}

/*
 * Lowers the MSS a SYN announces to what fits once ESP is added, so that
 * both ends send segments that need no fragmentation (XFRM gets there
 * through the MTU of its bundle routes, which kipsec does not have).
 */
static void clamp_mss(struct sk_buff *skb, const struct kipsec_flow *f,
		      unsigned int l4off, struct kipsec_sa *sa,
		      unsigned int mtu)
{
	unsigned int ip_hlen = f->family == AF_INET ? sizeof(struct iphdr) :
						     sizeof(struct ipv6hdr);
	struct tcphdr *th;
	unsigned int doff;
	u8 flags[14];

	if (f->proto != IPPROTO_TCP)
		return;
	if (skb_copy_bits(skb, l4off, flags, sizeof(flags)) ||
	    !(flags[13] & 0x02))	/* not a SYN */
		return;
	doff = (flags[12] >> 4) * 4;
	if (doff <= sizeof(*th) || skb_ensure_writable(skb, l4off + doff))
		return;
	th = (struct tcphdr *)(skb_network_header(skb) + l4off);
	clamp_mss_option(skb, th, doff - sizeof(*th),
			 kipsec_esp_inner_mtu(sa, mtu, ip_hlen) - ip_hlen -
			 sizeof(*th));
}

/* ---- outbound ---- */

/*
 * EMSGSIZE with the MTU on the socket's error queue, as ip_local_error()
 * and ipv6_local_error() (not exported) do for XFRM: ping prints "local
 * error: message too long, mtu=N".
 */
static void local_error(struct sk_buff *skb, u16 family, u32 mtu)
{
	struct sock *sk = skb->sk;
	struct sock_exterr_skb *serr;
	struct sk_buff *err;
	unsigned int hlen;
	bool recverr;

	if (!sk || !sk_fullsock(sk))
		return;
	recverr = family == AF_INET ? inet_sk(sk)->recverr :
		  (inet6_sk(sk) && inet6_sk(sk)->recverr);
	if (!recverr)
		return;
	hlen = family == AF_INET ? sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr);
	err = alloc_skb(hlen, GFP_ATOMIC);
	if (!err)
		return;
	skb_put_data(err, skb_network_header(skb), hlen);
	skb_reset_network_header(err);
	err->protocol = family == AF_INET ? htons(ETH_P_IP) : htons(ETH_P_IPV6);
	serr = SKB_EXT_ERR(err);
	memset(&serr->ee, 0, sizeof(serr->ee));
	serr->ee.ee_errno = EMSGSIZE;
	serr->ee.ee_origin = SO_EE_ORIGIN_LOCAL;
	serr->ee.ee_info = mtu;
	serr->addr_offset = family == AF_INET ?
			    offsetof(struct iphdr, daddr) :
			    offsetof(struct ipv6hdr, daddr);
	serr->port = inet_sk(sk)->inet_dport;
	__skb_pull(err, hlen);
	skb_reset_transport_header(err);
	if (sock_queue_err_skb(sk, err))
		kfree_skb(err);
}

/* The packet as ESP would exceed the route's MTU where it may not fragment. */
static bool too_big(struct sk_buff *skb, u16 family, struct kipsec_sa *sa,
		    unsigned int mtu)
{
	unsigned int ip_hlen = family == AF_INET ? ip_hdrlen(skb) :
						   sizeof(struct ipv6hdr);
	unsigned int inner = kipsec_esp_inner_mtu(sa, mtu, ip_hlen);

	if (skb->len <= inner || skb->ignore_df)
		return false;
	if (family == AF_INET && !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	local_error(skb, family, inner);
	return true;
}

static void acquire(struct kipsec_net *kn, const struct kipsec_policy *pol,
		    const struct kipsec_tmpl *t, const struct kipsec_flow *f)
{
	if (__ratelimit(&kn->acquire_rl))
		kipsec_nl_acquire(kn, pol, t, f);
}

static void count_out(struct kipsec_net *kn, unsigned int bytes)
{
	kipsec_stats_inc(kn, KIPSEC_A_STATS_OUT_PACKETS);
	kipsec_stats_add(kn, KIPSEC_A_STATS_OUT_BYTES, bytes);
}

static void out_done(struct sk_buff *skb, enum kipsec_stats_attr verdict,
		     const struct kipsec_cont *c)
{
	struct kipsec_net *kn = kipsec_net(c->net);

	if (verdict) {
		drop(kn, c->sa, verdict);
		kfree_skb(skb);
	} else {
		count_out(kn, c->bytes);
		local_bh_disable();
		c->okfn(c->net, c->sk, skb);
		local_bh_enable();
	}
	kipsec_sa_put(c->sa);
	if (atomic_dec_and_test(&kn->inflight))
		wake_up_var(&kn->inflight);
}

/*
 * One packet, no longer GSO: 0 when it is ready to go on, -EINPROGRESS
 * when out_done() takes over, else a drop reason (the caller frees).
 */
static int protect_one(struct kipsec_net *kn, struct sk_buff *skb,
		       struct kipsec_cont *c)
{
	unsigned int mtu = dst_mtu(skb_dst(skb));
	int ret;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return KIPSEC_A_STATS_OUT_BAD_PACKET;
	if (too_big(skb, c->family, c->sa, mtu))
		return KIPSEC_A_STATS_OUT_TOO_BIG;

	c->bytes = skb->len;
	atomic_inc(&kn->inflight);
	ret = kipsec_esp_output(skb, c);
	if (ret == -EINPROGRESS)
		return ret;
	atomic_dec(&kn->inflight);
	if (!ret)
		count_out(kn, c->bytes);
	return ret;
}

/* Segments go on by themselves; the GSO packet is consumed. */
static unsigned int protect_gso(struct kipsec_net *kn, struct sk_buff *skb,
				struct kipsec_cont *c)
{
	struct sk_buff *segs, *seg, *next;
	struct kipsec_cont sc = *c;
	int ret;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		drop(kn, c->sa, KIPSEC_A_STATS_OUT_BAD_PACKET);
		kipsec_sa_put(c->sa);
		return NF_DROP;
	}
	consume_skb(skb);

	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		/* Each segment may complete on its own: its own reference. */
		sc.sa = kipsec_sa_get(c->sa);
		ret = protect_one(kn, seg, &sc);
		if (ret == -EINPROGRESS)
			continue;
		if (ret) {
			drop(kn, sc.sa, ret);
			kfree_skb(seg);
		} else {
			c->okfn(c->net, c->sk, seg);
		}
		kipsec_sa_put(sc.sa);
	}
	kipsec_sa_put(c->sa);
	return NF_STOLEN;
}

static unsigned int protect(struct kipsec_net *kn, struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    struct kipsec_sa *sa)
{
	struct kipsec_cont c = {
		.done = out_done,
		.sa = sa,
		.net = state->net,
		.sk = state->sk,
		.okfn = state->okfn,
		.family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6,
	};
	int ret;

	if (skb_is_gso(skb))
		return protect_gso(kn, skb, &c);

	ret = protect_one(kn, skb, &c);
	if (ret == -EINPROGRESS)
		return NF_STOLEN;
	if (ret) {
		drop(kn, sa, ret);
		kipsec_sa_put(sa);
		/* The sender learns why, as from XFRM: sendmsg() fails. */
		if (ret == KIPSEC_A_STATS_OUT_TOO_BIG)
			return NF_DROP_ERR(-EMSGSIZE);
		return NF_DROP;
	}
	kipsec_sa_put(sa);
	return NF_ACCEPT;
}

/*
 * The SA for the policy's ESP template, with a reference.  AH and
 * bundles come with AH support; until then such a template has no SA.
 */
static struct kipsec_sa *out_sa(struct kipsec_net *kn,
				const struct kipsec_policy *pol,
				const struct kipsec_flow *f)
{
	const struct kipsec_tmpl *t = &pol->tmpls[0];
	struct kipsec_sa *sa;

	if (pol->ntmpls != 1 || t->proto != IPPROTO_ESP ||
	    t->mode != KIPSEC_MODE_TRANSPORT)
		return NULL;
	sa = kipsec_sa_lookup_out_rcu(kn, f->family, &f->saddr, &f->daddr,
				      IPPROTO_ESP, t->mode,
				      t->has_spi ? t->spi : 0);
	return kipsec_sa_get(sa);
}

static unsigned int out_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	u16 family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	const struct kipsec_policy *pol;
	struct kipsec_flow f;
	struct kipsec_sa *sa;
	unsigned int l4off;

	if (namespace_idle(kn))
		return NF_ACCEPT;
	if (!fill_flow(skb, family, &f, &l4off)) {
		/* Never let what cannot be classified out in cleartext. */
		drop(kn, NULL, KIPSEC_A_STATS_OUT_BAD_PACKET);
		return NF_DROP;
	}
	pol = kipsec_spd_lookup_rcu(kn, KIPSEC_DIR_OUT, &f);
	if (!pol || pol->action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action == KIPSEC_ACTION_DISCARD) {
		drop(kn, NULL, KIPSEC_A_STATS_OUT_POLICY_DISCARD);
		return NF_DROP;
	}

	sa = out_sa(kn, pol, &f);
	if (!sa) {
		if (pol->tmpls[0].level == KIPSEC_LEVEL_USE)
			return NF_ACCEPT;
		acquire(kn, pol, &pol->tmpls[0], &f);
		drop(kn, NULL, KIPSEC_A_STATS_OUT_NO_SA);
		return NF_DROP;
	}
	clamp_mss(skb, &f, l4off, sa, dst_mtu(skb_dst(skb)));
	return protect(kn, skb, state, sa);
}

/* ---- inbound ---- */

static bool tmpl_satisfied(const struct kipsec_tmpl *t,
			   const struct kipsec_sa *sa)
{
	return t->proto == sa->id.proto && t->mode == sa->mode &&
	       (!t->has_spi || t->spi == sa->id.spi);
}

/*
 * RFC 4301 5.2: the decrypted packet must be one that an inbound PROTECT
 * policy sends through this very SA, between the SA's own addresses.
 */
static enum kipsec_stats_attr in_policy_check(struct kipsec_net *kn,
				     struct sk_buff *skb, struct kipsec_sa *sa)
{
	const struct kipsec_policy *pol;
	struct kipsec_flow f;
	unsigned int l4off, i;

	if (!fill_flow(skb, sa->id.family, &f, &l4off))
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	if (!kipsec_addr_equal(&f.saddr, &sa->pair.saddr) ||
	    !kipsec_addr_equal(&f.daddr, &sa->id.daddr))
		return KIPSEC_A_STATS_IN_POLICY_MISMATCH;
	pol = kipsec_spd_lookup_rcu(kn, KIPSEC_DIR_IN, &f);
	if (pol && pol->action == KIPSEC_ACTION_DISCARD)
		return KIPSEC_A_STATS_IN_POLICY_DISCARD;
	if (!pol || pol->action != KIPSEC_ACTION_PROTECT || pol->ntmpls != 1)
		return KIPSEC_A_STATS_IN_POLICY_MISMATCH;
	for (i = 0; i < pol->ntmpls; i++)
		if (tmpl_satisfied(&pol->tmpls[i], sa)) {
			if (skb->dev)
				clamp_mss(skb, &f, l4off, sa, skb->dev->mtu);
			return KIPSEC_DROP_NONE;
		}
	return KIPSEC_A_STATS_IN_POLICY_MISMATCH;
}

static enum kipsec_stats_attr in_accept(struct kipsec_net *kn, struct sk_buff *skb,
			       struct kipsec_sa *sa)
{
	enum kipsec_stats_attr verdict = in_policy_check(kn, skb, sa);

	if (!verdict) {
		kipsec_stats_inc(kn, KIPSEC_A_STATS_IN_PACKETS);
		kipsec_stats_add(kn, KIPSEC_A_STATS_IN_BYTES, skb->len);
	}
	return verdict;
}

static void in_done(struct sk_buff *skb, enum kipsec_stats_attr verdict,
		    const struct kipsec_cont *c)
{
	struct kipsec_net *kn = kipsec_net(c->net);
	struct net_device *dev = skb->dev;

	rcu_read_lock();
	if (!verdict)
		verdict = in_accept(kn, skb, c->sa);
	if (verdict) {
		drop(kn, c->sa, verdict);
		kfree_skb(skb);
	} else {
		local_bh_disable();
		c->okfn(c->net, NULL, skb);
		local_bh_enable();
	}
	rcu_read_unlock();
	dev_put(dev);
	kipsec_sa_put(c->sa);
	if (atomic_dec_and_test(&kn->inflight))
		wake_up_var(&kn->inflight);
}

/*
 * Where the ESP header of an IPv6 packet is, past any extension headers
 * in front of it, and where the Next Header byte that names it is.
 */
static bool find_esp6(struct sk_buff *skb, unsigned int *esp_off,
		      unsigned int *nh_off)
{
	unsigned int off = sizeof(struct ipv6hdr);
	unsigned int nhoff = offsetof(struct ipv6hdr, nexthdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	while (nexthdr != IPPROTO_ESP) {
		struct ipv6_opt_hdr _hdr;
		const struct ipv6_opt_hdr *hp;

		if (nexthdr != NEXTHDR_HOP && nexthdr != NEXTHDR_ROUTING &&
		    nexthdr != NEXTHDR_DEST)
			return false;
		hp = skb_header_pointer(skb, off, sizeof(_hdr), &_hdr);
		if (!hp)
			return false;
		nhoff = off;
		off += ipv6_optlen(hp);
		nexthdr = hp->nexthdr;
	}
	*esp_off = off;
	*nh_off = nhoff;
	return true;
}

static bool find_esp(struct sk_buff *skb, u16 family, unsigned int *esp_off,
		     unsigned int *nh_off)
{
	if (family == AF_INET6)
		return find_esp6(skb, esp_off, nh_off);
	if (ip_hdr(skb)->protocol != IPPROTO_ESP)
		return false;
	*esp_off = ip_hdrlen(skb);
	*nh_off = offsetof(struct iphdr, protocol);
	return true;
}

static unsigned int in_esp(struct kipsec_net *kn, struct sk_buff *skb,
			   const struct nf_hook_state *state, u16 family,
			   unsigned int esp_off, unsigned int nh_off)
{
	struct kipsec_cont c = {
		.done = in_done,
		.net = state->net,
		.okfn = state->okfn,
		.family = family,
	};
	const void *daddr = family == AF_INET ?
			    (void *)&ip_hdr(skb)->daddr :
			    (void *)&ipv6_hdr(skb)->daddr;
	__be32 _spi;
	const __be32 *spi;
	enum kipsec_stats_attr verdict;
	int ret;

	spi = skb_header_pointer(skb, esp_off, sizeof(_spi), &_spi);
	if (!spi) {
		drop(kn, NULL, KIPSEC_A_STATS_IN_BAD_LENGTH);
		return NF_DROP;
	}
	c.sa = kipsec_sa_get(kipsec_sa_lookup_rcu(kn, family, daddr, *spi,
						  IPPROTO_ESP));
	if (!c.sa) {
		drop(kn, NULL, KIPSEC_A_STATS_IN_NO_SA);
		return NF_DROP;
	}
	if (c.sa->mode != KIPSEC_MODE_TRANSPORT) {
		verdict = KIPSEC_A_STATS_IN_SA_UNUSABLE;
		goto drop;
	}

	/* An asynchronous completion still needs the device. */
	dev_hold(skb->dev);
	atomic_inc(&kn->inflight);
	ret = kipsec_esp_input(skb, esp_off, nh_off, &c);
	if (ret == -EINPROGRESS)
		return NF_STOLEN;
	atomic_dec(&kn->inflight);
	dev_put(skb->dev);
	verdict = ret ?: in_accept(kn, skb, c.sa);
	if (verdict)
		goto drop;
	kipsec_sa_put(c.sa);
	return NF_ACCEPT;

drop:
	drop(kn, c.sa, verdict);
	kipsec_sa_put(c.sa);
	return NF_DROP;
}

static unsigned int in_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	u16 family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	const struct kipsec_policy *pol;
	unsigned int esp_off, nh_off, l4off;
	struct kipsec_flow f;

	if (namespace_idle(kn))
		return NF_ACCEPT;
	if (find_esp(skb, family, &esp_off, &nh_off))
		return in_esp(kn, skb, state, family, esp_off, nh_off);

	if (!fill_flow(skb, family, &f, &l4off))
		return NF_ACCEPT;	/* the stack drops it as malformed */
	pol = kipsec_spd_lookup_rcu(kn, KIPSEC_DIR_IN, &f);
	if (!pol || pol->action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action == KIPSEC_ACTION_DISCARD) {
		drop(kn, NULL, KIPSEC_A_STATS_IN_POLICY_DISCARD);
		return NF_DROP;
	}
	if (pol->tmpls[0].level == KIPSEC_LEVEL_USE)
		return NF_ACCEPT;
	drop(kn, NULL, KIPSEC_A_STATS_IN_CLEARTEXT);
	return NF_DROP;
}

/* ---- registration ---- */

static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = out_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_LAST - 1,
	}, {
		.hook = in_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_LAST - 1,
	}, {
		.hook = out_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST - 1,
	}, {
		.hook = in_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_LAST - 1,
	},
};

/*
 * nf_defrag_ipv6 by name: a symbol dependency would make a plain insmod
 * fail unless the user loaded that module first.
 */
static int (*defrag6_enable)(struct net *net);
static void (*defrag6_disable)(struct net *net);

int kipsec_hooks_net_init(struct kipsec_net *kn)
{
	int ret;

	ratelimit_state_init(&kn->acquire_rl, HZ, 10);
	ratelimit_set_flags(&kn->acquire_rl, RATELIMIT_MSG_ON_RELEASE);
	atomic_set(&kn->inflight, 0);

	ret = defrag6_enable(kn->net);
	if (ret)
		goto out;
	ret = nf_register_net_hooks(kn->net, hook_ops, ARRAY_SIZE(hook_ops));
	if (ret)
		goto err_defrag;
	return 0;

err_defrag:
	defrag6_disable(kn->net);
out:
	return ret;
}

void kipsec_hooks_net_exit(struct kipsec_net *kn)
{
	nf_unregister_net_hooks(kn->net, hook_ops, ARRAY_SIZE(hook_ops));
	wait_var_event(&kn->inflight, !atomic_read(&kn->inflight));
	defrag6_disable(kn->net);
}

int __init kipsec_hooks_module_init(void)
{
	request_module("nf_defrag_ipv6");
	defrag6_enable = symbol_get(nf_defrag_ipv6_enable);
	defrag6_disable = symbol_get(nf_defrag_ipv6_disable);
	if (!defrag6_enable || !defrag6_disable) {
		kipsec_hooks_module_exit();
		pr_err("kipsec: IPv6 reassembly (nf_defrag_ipv6) is missing\n");
		return -ENOENT;
	}
	return 0;
}

void kipsec_hooks_module_exit(void)
{
	if (defrag6_enable)
		symbol_put(nf_defrag_ipv6_enable);
	if (defrag6_disable)
		symbol_put(nf_defrag_ipv6_disable);
	defrag6_enable = NULL;
	defrag6_disable = NULL;
}
