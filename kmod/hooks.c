// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks in every network namespace, IPv4 and
 * IPv6, last in LOCAL_OUT and LOCAL_IN so that filtering and NAT see the
 * packet as the applications do.
 *
 * Outbound, every locally generated packet is looked up in the SPD; a
 * PROTECT policy's SAs are applied here (ESP, then AH around it for a
 * bundle), GSO packets one segment at a time.  Inbound, ESP and AH for a
 * local address are taken off in place, outermost first, and the inner
 * packet is checked against the inbound SPD (exactly the SAs its policy
 * names) before it goes on; other packets are checked against the
 * inbound SPD as they are.  IPv4 fragments are reassembled before
 * LOCAL_IN by the stack, IPv6 ones by nf_defrag_ipv6, which each
 * namespace enables.
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
#include <net/tcp.h>

#include "ah.h"
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
	return !READ_ONCE(kn->sad.count) && !READ_ONCE(kn->spd.count) &&
	       !READ_ONCE(kn->default_action[KIPSEC_DIR_IN]) &&
	       !READ_ONCE(kn->default_action[KIPSEC_DIR_OUT]) &&
	       !READ_ONCE(kn->esp_off) && !READ_ONCE(kn->ah_off);
}

/* The runtime switches, as OpenBSD's net.inet.{esp,ah}.enable. */
static bool proto_off(const struct kipsec_net *kn, u8 proto)
{
	return proto == IPPROTO_AH ? READ_ONCE(kn->ah_off) :
				     READ_ONCE(kn->esp_off);
}

static bool default_discards(const struct kipsec_net *kn, u8 dir)
{
	return READ_ONCE(kn->default_action[dir]) == KIPSEC_ACTION_DISCARD;
}

static void drop(struct kipsec_net *kn, struct kipsec_sa *sa,
		 enum kipsec_stats_attr reason)
{
	kipsec_stats_drop(kn, sa, reason);
}

static u16 hook_family(const struct nf_hook_state *state)
{
	return state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
}

/* Packets in the crypto code: the namespace's exit waits for them. */
static void inflight_get(struct kipsec_net *kn)
{
	atomic_inc(&kn->inflight);
}

static void inflight_put(struct kipsec_net *kn)
{
	if (atomic_dec_and_test(&kn->inflight))
		wake_up_var(&kn->inflight);
}

static void put_sas(struct kipsec_cont *c)
{
	while (c->nsas)
		kipsec_sa_put(c->sas[--c->nsas]);
}

static void get_sas(struct kipsec_cont *c)
{
	unsigned int i;

	for (i = 0; i < c->nsas; i++)
		kipsec_sa_get(c->sas[i]);
}

/* What one SA leaves of @mtu for the packet it protects. */
static unsigned int layer_inner_mtu(const struct kipsec_sa *sa, u16 family,
				    unsigned int mtu, unsigned int ip_hlen)
{
	unsigned int hlen;

	if (sa->id.proto == IPPROTO_ESP)
		return kipsec_esp_inner_mtu(sa, mtu, ip_hlen);
	hlen = kipsec_ah_hdr_len(sa, family);
	return mtu > hlen + ip_hlen ? mtu - hlen : ip_hlen;
}

/*
 * The largest packet that fits @mtu once every SA of @c (an outbound
 * bundle, innermost first) is applied; the outermost one, applied last,
 * takes its share first.
 */
static unsigned int bundle_inner_mtu(const struct kipsec_cont *c,
				     unsigned int mtu, unsigned int ip_hlen)
{
	unsigned int i;

	for (i = c->nsas; i > 0; i--)
		mtu = layer_inner_mtu(c->sas[i - 1], c->family, mtu, ip_hlen);
	return mtu;
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

/*
 * A TCP socket whose segment does not fit once protected lowers its MSS,
 * as an ICMP "fragmentation needed" would make it: what it sends and
 * resends from now on fits.  XFRM's sockets see the SAs' overhead in the
 * MTU of their bundle route; kipsec cannot lower the route's MTU, which
 * its ESP and AH packets themselves use, so it clamps the socket's MSS as
 * a smaller MSS option in the peer's SYN would have.  TCP transmits with
 * the socket locked, so it may be changed here.
 */
static void tcp_fit_mss(struct sock *sk, u16 family, unsigned int inner)
{
	unsigned int hlen = (family == AF_INET ? sizeof(struct iphdr) :
						 sizeof(struct ipv6hdr)) +
			    sizeof(struct tcphdr);
	struct tcp_sock *tp;

	if (!sk || !sk_fullsock(sk) || sk->sk_type != SOCK_STREAM ||
	    sk->sk_protocol != IPPROTO_TCP || sk->sk_state == TCP_LISTEN ||
	    inner <= hlen)
		return;
	tp = tcp_sk(sk);
	if (tp->rx_opt.mss_clamp <= inner - hlen)
		return;
	tp->rx_opt.mss_clamp = inner - hlen;
	tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
}

/* The protected packet would exceed the route's MTU and may not fragment. */
static bool too_big(struct sk_buff *skb, const struct kipsec_cont *c,
		    unsigned int mtu)
{
	unsigned int ip_hlen = c->family == AF_INET ? ip_hdrlen(skb) :
						      sizeof(struct ipv6hdr);
	unsigned int inner = bundle_inner_mtu(c, mtu, ip_hlen);

	if (skb->len <= inner || skb->ignore_df)
		return false;
	if (c->family == AF_INET && !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	tcp_fit_mss(skb->sk, c->family, inner);
	local_error(skb, c->family, inner);
	return true;
}

static void acquire(struct kipsec_net *kn, struct kipsec_policy *pol,
		    const struct kipsec_tmpl *t, const struct kipsec_flow *f)
{
	if (__ratelimit(&pol->acquire_rl))
		kipsec_nl_acquire(kn, pol, t, f);
}

static void count_out(struct kipsec_net *kn, unsigned int bytes)
{
	kipsec_stats_inc(kn, KIPSEC_A_STATS_OUT_PACKETS);
	kipsec_stats_add(kn, KIPSEC_A_STATS_OUT_BYTES, bytes);
}

/*
 * Applies the bundle's SAs from @c->step on, ESP inside, AH outside:
 * 0 when done, -EINPROGRESS when out_done() takes over, else a drop
 * reason.
 */
static int out_steps(struct sk_buff *skb, struct kipsec_cont *c)
{
	int ret;

	for (; c->step < c->nsas; c->step++) {
		c->sa = c->sas[c->step];
		if (c->sa->id.proto == IPPROTO_AH)
			ret = kipsec_ah_output(skb, c);
		else
			ret = kipsec_esp_output(skb, c);
		if (ret)
			return ret;
	}
	return 0;
}

static void out_done(struct sk_buff *skb, enum kipsec_stats_attr verdict,
		     const struct kipsec_cont *done_c)
{
	struct kipsec_cont c = *done_c;
	struct kipsec_net *kn = kipsec_net(c.net);
	int ret;

	if (!verdict) {
		c.step++;
		ret = out_steps(skb, &c);
		if (ret == -EINPROGRESS)
			return;
		verdict = ret;
	}
	if (verdict) {
		drop(kn, c.sa, verdict);
		kfree_skb(skb);
	} else {
		count_out(kn, c.bytes);
		local_bh_disable();
		c.okfn(c.net, c.sk, skb);
		local_bh_enable();
	}
	put_sas(&c);
	inflight_put(kn);
}

/*
 * One packet, no longer GSO: 0 when it is ready to go on, -EINPROGRESS
 * when out_done() takes over (and the SA references with it), else a
 * drop reason (the caller frees).
 */
static int protect_one(struct kipsec_net *kn, struct sk_buff *skb,
		       struct kipsec_cont *c)
{
	unsigned int mtu = dst_mtu(skb_dst(skb));
	int ret;

	c->step = 0;
	c->sa = c->sas[0];
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return KIPSEC_A_STATS_OUT_BAD_PACKET;
	if (too_big(skb, c, mtu))
		return KIPSEC_A_STATS_OUT_TOO_BIG;

	c->bytes = skb->len;
	inflight_get(kn);
	ret = out_steps(skb, c);
	if (ret == -EINPROGRESS)
		return ret;
	inflight_put(kn);
	if (!ret)
		count_out(kn, c->bytes);
	return ret;
}

/* Segments go on by themselves; the GSO packet is consumed. */
static unsigned int protect_gso(struct kipsec_net *kn, struct sk_buff *skb,
				struct kipsec_cont *c)
{
	struct sk_buff *segs, *seg, *next;
	struct kipsec_cont sc;
	int ret;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		drop(kn, c->sas[0], KIPSEC_A_STATS_OUT_BAD_PACKET);
		put_sas(c);
		return NF_DROP;
	}
	consume_skb(skb);

	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		/* Each segment may complete on its own: its own references. */
		sc = *c;
		get_sas(&sc);
		ret = protect_one(kn, seg, &sc);
		if (ret == -EINPROGRESS)
			continue;
		if (ret) {
			drop(kn, sc.sa, ret);
			kfree_skb(seg);
		} else {
			c->okfn(c->net, c->sk, seg);
		}
		put_sas(&sc);
	}
	put_sas(c);
	return NF_STOLEN;
}

/* @c holds the bundle's SA references, which this consumes. */
static unsigned int protect(struct kipsec_net *kn, struct sk_buff *skb,
			    struct kipsec_cont *c)
{
	int ret;

	if (skb_is_gso(skb))
		return protect_gso(kn, skb, c);

	ret = protect_one(kn, skb, c);
	if (ret == -EINPROGRESS)
		return NF_STOLEN;
	if (ret)
		drop(kn, c->sa, ret);
	put_sas(c);
	/* The sender learns why, as from XFRM: sendmsg() fails. */
	if (ret == KIPSEC_A_STATS_OUT_TOO_BIG)
		return NF_DROP_ERR(-EMSGSIZE);
	return ret ? NF_DROP : NF_ACCEPT;
}

/* An SA for one template, with a reference, or NULL. */
static struct kipsec_sa *tmpl_sa(struct kipsec_net *kn,
				 const struct kipsec_tmpl *t,
				 const struct kipsec_flow *f)
{
	/* Tunnel mode SAs are stored but not applied yet. */
	if (t->mode != KIPSEC_MODE_TRANSPORT)
		return NULL;
	return kipsec_sa_get(kipsec_sa_lookup_out_rcu(kn, f->family,
						      &f->saddr, &f->daddr,
						      t->proto, t->mode,
						      t->has_spi ? t->spi : 0));
}

/*
 * The policy's SAs, in the order they apply, into @c->sas.  A template
 * at level use without an SA (or whose protocol is switched off) is left
 * out, as XFRM leaves out optional templates; one at level require
 * makes it fail with that template.
 */
static const struct kipsec_tmpl *out_sas(struct kipsec_net *kn,
					 const struct kipsec_policy *pol,
					 const struct kipsec_flow *f,
					 struct kipsec_cont *c)
{
	const struct kipsec_tmpl *t;
	struct kipsec_sa *sa;
	unsigned int i;

	c->nsas = 0;
	for (i = 0; i < pol->ntmpls; i++) {
		t = &pol->tmpls[i];
		sa = proto_off(kn, t->proto) ? NULL : tmpl_sa(kn, t, f);
		if (sa) {
			c->sas[c->nsas++] = sa;
		} else if (t->level != KIPSEC_LEVEL_USE) {
			put_sas(c);
			return t;
		}
	}
	return NULL;
}

/* No packet leaves without the SAs a required template asks for. */
static unsigned int out_missing(struct kipsec_net *kn,
				struct kipsec_policy *pol,
				const struct kipsec_tmpl *t,
				const struct kipsec_flow *f)
{
	if (proto_off(kn, t->proto)) {
		drop(kn, NULL, KIPSEC_A_STATS_OUT_PROTO_DISABLED);
		return NF_DROP;
	}
	acquire(kn, pol, t, f);
	drop(kn, NULL, KIPSEC_A_STATS_OUT_NO_SA);
	return NF_DROP;
}

static unsigned int out_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	struct kipsec_cont c = {
		.done = out_done,
		.net = state->net,
		.sk = state->sk,
		.okfn = state->okfn,
		.family = hook_family(state),
	};
	const struct kipsec_tmpl *missing;
	struct kipsec_policy *pol;
	struct kipsec_flow f;
	unsigned int l4off;

	if (namespace_idle(kn))
		return NF_ACCEPT;
	if (!fill_flow(skb, c.family, &f, &l4off)) {
		/* Never let what cannot be classified out in cleartext. */
		drop(kn, NULL, KIPSEC_A_STATS_OUT_BAD_PACKET);
		return NF_DROP;
	}
	pol = kipsec_spd_lookup_rcu(kn, KIPSEC_DIR_OUT, &f);
	if (!pol && default_discards(kn, KIPSEC_DIR_OUT)) {
		drop(kn, NULL, KIPSEC_A_STATS_OUT_DEFAULT_DISCARD);
		return NF_DROP;
	}
	if (!pol || pol->action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action == KIPSEC_ACTION_DISCARD) {
		drop(kn, NULL, KIPSEC_A_STATS_OUT_POLICY_DISCARD);
		return NF_DROP;
	}

	missing = out_sas(kn, pol, &f, &c);
	if (missing)
		return out_missing(kn, pol, missing, &f);
	if (!c.nsas)
		return NF_ACCEPT;	/* every template optional, none set up */
	return protect(kn, skb, &c);
}

/* ---- inbound ---- */

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
 * What the SAs that protect this host's answers to @f leave of @mtu: all
 * of it when the answers leave without IPsec.
 */
static unsigned int reply_inner_mtu(struct kipsec_net *kn,
				    const struct kipsec_flow *f,
				    unsigned int mtu, unsigned int ip_hlen)
{
	struct kipsec_cont c = { .family = f->family };
	const struct kipsec_policy *pol;
	struct kipsec_flow r = *f;

	r.saddr = f->daddr;
	r.daddr = f->saddr;
	r.sport = f->dport;
	r.dport = f->sport;
	pol = kipsec_spd_lookup_rcu(kn, KIPSEC_DIR_OUT, &r);
	if (!pol || pol->action != KIPSEC_ACTION_PROTECT ||
	    out_sas(kn, pol, &r, &c))
		return mtu;
	mtu = bundle_inner_mtu(&c, mtu, ip_hlen);
	put_sas(&c);
	return mtu;
}

/*
 * The MSS option of a SYN or SYN-ACK delivered here bounds the segments
 * this host sends back, which its own outbound SAs protect, whatever SAs
 * the peer's packets came in with: lowering it to what those leave of
 * the link's MTU keeps TCP from sending segments that no longer fit once
 * protected.  XFRM's sockets get there through the MTU of their bundle
 * route, which kipsec does not have.  The SYNs this host sends keep the
 * MSS TCP gave them, as with XFRM: the peer sizes its own segments.
 */
static void clamp_syn_mss(struct kipsec_net *kn, struct sk_buff *skb,
			  const struct kipsec_flow *f, unsigned int l4off)
{
	unsigned int ip_hlen = f->family == AF_INET ? sizeof(struct iphdr) :
						     sizeof(struct ipv6hdr);
	unsigned int doff, mtu, inner;
	struct tcphdr *th;
	u8 flags[14];

	if (f->proto != IPPROTO_TCP || !skb->dev)
		return;
	if (skb_copy_bits(skb, l4off, flags, sizeof(flags)) ||
	    !(flags[13] & 0x02))	/* not a SYN */
		return;
	doff = (flags[12] >> 4) * 4;
	mtu = READ_ONCE(skb->dev->mtu);
	inner = reply_inner_mtu(kn, f, mtu, ip_hlen);
	if (inner >= mtu || inner <= ip_hlen + sizeof(*th) ||
	    doff <= sizeof(*th) || skb_ensure_writable(skb, l4off + doff))
		return;
	th = (struct tcphdr *)(skb_network_header(skb) + l4off);
	clamp_mss_option(skb, th, doff - sizeof(*th),
			 inner - ip_hlen - sizeof(*th));
}

static bool tmpl_satisfied(const struct kipsec_tmpl *t,
			   const struct kipsec_sa *sa)
{
	return t->proto == sa->id.proto && t->mode == sa->mode &&
	       (!t->has_spi || t->spi == sa->id.spi);
}

/*
 * The SAs taken off (outermost first) must be the policy's templates
 * (innermost first) read from the outside in, optional ones (level use)
 * possibly missing, and nothing else.
 */
static bool tmpls_satisfied(const struct kipsec_policy *pol,
			    const struct kipsec_cont *c)
{
	unsigned int j = 0;
	int i;

	for (i = pol->ntmpls - 1; i >= 0; i--) {
		if (j < c->nsas && tmpl_satisfied(&pol->tmpls[i], c->sas[j]))
			j++;
		else if (pol->tmpls[i].level != KIPSEC_LEVEL_USE)
			return false;
	}
	return j == c->nsas;
}

static bool sas_match_addrs(const struct kipsec_cont *c,
			    const struct kipsec_flow *f)
{
	unsigned int i;

	for (i = 0; i < c->nsas; i++)
		if (!kipsec_addr_equal(&f->saddr, &c->sas[i]->pair.saddr) ||
		    !kipsec_addr_equal(&f->daddr, &c->sas[i]->id.daddr))
			return false;
	return true;
}

/*
 * RFC 4301 5.2: the packet, with IPsec taken off, must be one that an
 * inbound policy sends through exactly these SAs, each between the
 * packet's own addresses; without SAs, one no policy wants protected.
 */
static enum kipsec_stats_attr in_policy_verdict(struct kipsec_net *kn,
						const struct kipsec_cont *c,
						const struct kipsec_flow *f)
{
	const struct kipsec_policy *pol;

	if (!sas_match_addrs(c, f))
		return KIPSEC_A_STATS_IN_POLICY_MISMATCH;
	pol = kipsec_spd_lookup_rcu(kn, KIPSEC_DIR_IN, f);
	if (c->nsas && (!pol || pol->action == KIPSEC_ACTION_BYPASS))
		return KIPSEC_A_STATS_IN_POLICY_MISMATCH;
	if (!pol && default_discards(kn, KIPSEC_DIR_IN))
		return KIPSEC_A_STATS_IN_DEFAULT_DISCARD;
	if (!pol || pol->action == KIPSEC_ACTION_BYPASS)
		return KIPSEC_DROP_NONE;
	if (pol->action == KIPSEC_ACTION_DISCARD)
		return KIPSEC_A_STATS_IN_POLICY_DISCARD;
	if (!tmpls_satisfied(pol, c))
		return c->nsas ? KIPSEC_A_STATS_IN_POLICY_MISMATCH :
				 KIPSEC_A_STATS_IN_CLEARTEXT;
	return KIPSEC_DROP_NONE;
}

/* The inbound SPD's verdict; a SYN let in gets the MSS that fits. */
static enum kipsec_stats_attr in_policy_check(struct kipsec_net *kn,
					      struct sk_buff *skb,
					      const struct kipsec_cont *c)
{
	enum kipsec_stats_attr verdict;
	struct kipsec_flow f;
	unsigned int l4off;

	if (!fill_flow(skb, c->family, &f, &l4off))
		return c->nsas ? KIPSEC_A_STATS_IN_BAD_LENGTH : KIPSEC_DROP_NONE;
	verdict = in_policy_verdict(kn, c, &f);
	if (!verdict)
		clamp_syn_mss(kn, skb, &f, l4off);
	return verdict;
}

/*
 * Where the first ESP or AH header of an IPv6 packet is, past any
 * extension headers in front of it, and where the Next Header byte that
 * names it is.
 */
static bool find_ipsec6(struct sk_buff *skb, unsigned int *off,
			unsigned int *nh_off, u8 *proto)
{
	unsigned int hoff = sizeof(struct ipv6hdr);
	unsigned int nhoff = offsetof(struct ipv6hdr, nexthdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	while (nexthdr != IPPROTO_ESP && nexthdr != IPPROTO_AH) {
		struct ipv6_opt_hdr _hdr;
		const struct ipv6_opt_hdr *hp;

		if (nexthdr != NEXTHDR_HOP && nexthdr != NEXTHDR_ROUTING &&
		    nexthdr != NEXTHDR_DEST)
			return false;
		hp = skb_header_pointer(skb, hoff, sizeof(_hdr), &_hdr);
		if (!hp)
			return false;
		nhoff = hoff;
		hoff += ipv6_optlen(hp);
		nexthdr = hp->nexthdr;
	}
	*off = hoff;
	*nh_off = nhoff;
	*proto = nexthdr;
	return true;
}

static bool find_ipsec(struct sk_buff *skb, u16 family, unsigned int *off,
		       unsigned int *nh_off, u8 *proto)
{
	u8 p;

	if (family == AF_INET6)
		return find_ipsec6(skb, off, nh_off, proto);
	p = ip_hdr(skb)->protocol;
	if (p != IPPROTO_ESP && p != IPPROTO_AH)
		return false;
	*off = ip_hdrlen(skb);
	*nh_off = offsetof(struct iphdr, protocol);
	*proto = p;
	return true;
}

/*
 * The SA an ESP or AH header at @off names, with a reference, even when
 * it cannot be used (so the drop counts on it); NULL if there is none.
 */
static enum kipsec_stats_attr in_sa(struct kipsec_net *kn,
				    struct sk_buff *skb, u16 family,
				    unsigned int off, u8 proto,
				    struct kipsec_sa **sap)
{
	/* The SPI is the first word of ESP, the second of AH. */
	unsigned int spi_off = off + (proto == IPPROTO_AH ? 4 : 0);
	const void *daddr = family == AF_INET ?
			    (void *)&ip_hdr(skb)->daddr :
			    (void *)&ipv6_hdr(skb)->daddr;
	struct kipsec_sa *sa;
	const __be32 *spi;
	__be32 _spi;

	*sap = NULL;
	spi = skb_header_pointer(skb, spi_off, sizeof(_spi), &_spi);
	if (!spi)
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	sa = kipsec_sa_get(kipsec_sa_lookup_rcu(kn, family, daddr, *spi,
						proto));
	if (!sa)
		return KIPSEC_A_STATS_IN_NO_SA;
	*sap = sa;
	if (sa->mode != KIPSEC_MODE_TRANSPORT || READ_ONCE(sa->expired))
		return KIPSEC_A_STATS_IN_SA_UNUSABLE;
	return KIPSEC_DROP_NONE;
}

/*
 * Takes IPsec headers off as long as the packet starts with one (a
 * bundle's AH, then its ESP), then checks the result against the SPD:
 * 0 to let it in, -EINPROGRESS when in_done() takes over, else a drop
 * reason.  Counts what gets in.
 */
static int in_steps(struct kipsec_net *kn, struct sk_buff *skb,
		    struct kipsec_cont *c)
{
	enum kipsec_stats_attr verdict;
	unsigned int off, nh_off;
	struct kipsec_sa *sa;
	u8 proto;
	int ret;

	while (find_ipsec(skb, c->family, &off, &nh_off, &proto)) {
		if (proto_off(kn, proto))
			return KIPSEC_A_STATS_IN_PROTO_DISABLED;
		/* Deeper than any policy goes: no use decrypting on. */
		if (c->nsas == KIPSEC_TMPLS_MAX)
			return KIPSEC_A_STATS_IN_POLICY_MISMATCH;
		verdict = in_sa(kn, skb, c->family, off, proto, &sa);
		c->sa = sa;
		if (sa)
			c->sas[c->nsas++] = sa;
		if (verdict)
			return verdict;
		if (proto == IPPROTO_AH)
			ret = kipsec_ah_input(skb, off, nh_off, c);
		else
			ret = kipsec_esp_input(skb, off, nh_off, c);
		if (ret)
			return ret;
	}
	verdict = in_policy_check(kn, skb, c);
	if (!verdict) {
		kipsec_stats_inc(kn, KIPSEC_A_STATS_IN_PACKETS);
		kipsec_stats_add(kn, KIPSEC_A_STATS_IN_BYTES, skb->len);
	}
	return verdict;
}

static void in_done(struct sk_buff *skb, enum kipsec_stats_attr verdict,
		    const struct kipsec_cont *done_c)
{
	struct kipsec_cont c = *done_c;
	struct kipsec_net *kn = kipsec_net(c.net);
	struct net_device *dev = skb->dev;
	int ret;

	rcu_read_lock();
	if (!verdict) {
		ret = in_steps(kn, skb, &c);
		if (ret == -EINPROGRESS)
			goto unlock;
		verdict = ret;
	}
	if (verdict) {
		drop(kn, c.sa, verdict);
		kfree_skb(skb);
	} else {
		local_bh_disable();
		c.okfn(c.net, NULL, skb);
		local_bh_enable();
	}
	dev_put(dev);
	put_sas(&c);
	inflight_put(kn);
unlock:
	rcu_read_unlock();
}

static unsigned int in_protected(struct kipsec_net *kn, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct kipsec_cont c = {
		.done = in_done,
		.net = state->net,
		.okfn = state->okfn,
		.family = hook_family(state),
	};
	int ret;

	/* An asynchronous completion still needs the device. */
	dev_hold(skb->dev);
	inflight_get(kn);
	ret = in_steps(kn, skb, &c);
	if (ret == -EINPROGRESS)
		return NF_STOLEN;
	inflight_put(kn);
	dev_put(skb->dev);
	if (ret)
		drop(kn, c.sa, ret);
	put_sas(&c);
	return ret ? NF_DROP : NF_ACCEPT;
}

static unsigned int in_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	enum kipsec_stats_attr verdict;
	struct kipsec_cont c = {
		.family = hook_family(state),
	};
	unsigned int off, nh_off;
	u8 proto;

	if (namespace_idle(kn))
		return NF_ACCEPT;
	if (find_ipsec(skb, c.family, &off, &nh_off, &proto))
		return in_protected(kn, skb, state);

	verdict = in_policy_check(kn, skb, &c);
	if (!verdict)
		return NF_ACCEPT;
	drop(kn, NULL, verdict);
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
