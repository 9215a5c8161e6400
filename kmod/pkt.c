// SPDX-License-Identifier: GPL-2.0
/*
 * Header insertion and removal for transport-mode ESP and AH, as
 * net/xfrm/xfrm_output.c (xfrm4/6_transport_output) and the input side of
 * esp4.c/ah4.c do it, on packets whose data starts at the network header.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "kunit_export.h"
#include "pkt.h"

int kipsec_pkt_out_hdr_off(struct sk_buff *skb, u16 family,
			   unsigned int *nh_off)
{
	u8 *prevhdr;
	int off;

	if (family == AF_INET) {
		*nh_off = offsetof(struct iphdr, protocol);
		return ip_hdrlen(skb);
	}
	off = ip6_find_1stfragopt(skb, &prevhdr);
	if (off < 0)
		return off;
	*nh_off = prevhdr - skb_network_header(skb);
	return off;
}

void kipsec_pkt_push_hdr(struct sk_buff *skb, unsigned int ip_hlen,
			 unsigned int hlen)
{
	skb_push(skb, hlen);
	memmove(skb->data, skb->data + hlen, ip_hlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ip_hlen);
}

void kipsec_pkt_pull_hdr(struct sk_buff *skb, unsigned int off,
			 unsigned int hlen)
{
	int thoff = off;

	if (skb_transport_header_was_set(skb) &&
	    skb_transport_offset(skb) >= 0 &&
	    skb_transport_offset(skb) <= off)
		thoff = skb_transport_offset(skb);
	memmove(skb->data + hlen, skb->data, off);
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, thoff);
	skb_mac_header_rebuild(skb);
}

void kipsec_pkt_set_ip_lengths(struct sk_buff *skb, u16 family)
{
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
}

int kipsec_pkt_make_writable(struct sk_buff *skb)
{
	struct sk_buff *trailer;

	if (!skb_cloned(skb)) {
		if (!skb_is_nonlinear(skb))
			return 1;
		if (!skb_has_frag_list(skb) && !skb_has_shared_frag(skb))
			return skb_shinfo(skb)->nr_frags + 1;
	}
	return skb_cow_data(skb, 0, &trailer);
}

enum kipsec_stats_attr kipsec_crypto_verdict(int err)
{
	switch (err) {
	case 0:
		return KIPSEC_DROP_NONE;
	case -EBADMSG:
		return KIPSEC_A_STATS_IN_ICV_FAIL;
	case -ENOMEM:
		return KIPSEC_A_STATS_NO_MEMORY;
	default:
		return KIPSEC_A_STATS_CRYPTO_ERROR;
	}
}
