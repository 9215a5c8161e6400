/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_PKT_H
#define _KIPSEC_PKT_H

#include <linux/types.h>

#include "stats.h"

struct sk_buff;

/*
 * Packet surgery that ESP and AH share: where a transport-mode header
 * goes, making room for it and taking it out again, the IP lengths after
 * either, and what a crypto error means for the counters.  @skb's data is
 * at its network header throughout.
 */

/*
 * Where the IPsec header goes on output: after the IPv4 header, or after
 * the IPv6 headers that precede a fragment header.  @nh_off gets the
 * offset of the protocol / Next Header byte that will name it.
 */
int kipsec_pkt_out_hdr_off(struct sk_buff *skb, u16 family,
			   unsigned int *nh_off);

/* @hlen bytes after the first @ip_hlen, which move to the front. */
void kipsec_pkt_push_hdr(struct sk_buff *skb, unsigned int ip_hlen,
			 unsigned int hlen);

/* Takes @hlen bytes at @off out: the headers in front move up. */
void kipsec_pkt_pull_hdr(struct sk_buff *skb, unsigned int off,
			 unsigned int hlen);

/* IPv4 total length and checksum, or IPv6 payload length, from skb->len. */
void kipsec_pkt_set_ip_lengths(struct sk_buff *skb, u16 family);

/*
 * Makes the data ours to change in place (a clone, as a capture holds
 * one, or shared pages are copied first); returns the number of
 * scatterlist entries the data needs, or a negative error.
 */
int kipsec_pkt_make_writable(struct sk_buff *skb);

enum kipsec_stats_attr kipsec_crypto_verdict(int err);

#endif /* _KIPSEC_PKT_H */
