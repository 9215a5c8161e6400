/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_AH_H
#define _KIPSEC_AH_H

#include <linux/types.h>

#include "esp.h"

struct kipsec_sa;
struct sk_buff;

/*
 * Transport-mode AH output (RFC 4302 3.3), with the conventions of
 * kipsec_esp_output(): @skb is the whole IPv4 or IPv6 packet, data at its
 * network header, not GSO, checksum complete.  Inserts the AH header after
 * the IP header (IPv6: after the headers that precede a fragment header),
 * the ICV computed over the packet with the mutable fields of the IP
 * header and its extension headers zeroed, as net/ipv4/ah4.c and
 * net/ipv6/ah6.c compute it.  Returns KIPSEC_DROP_NONE when @skb is ready,
 * -EINPROGRESS when @c->done will be called, or a drop reason; on a drop
 * the caller frees @skb.
 */
int kipsec_ah_output(struct sk_buff *skb, const struct kipsec_cont *c);

/*
 * Transport-mode AH input (RFC 4302 3.4).  @skb is an IPv4 or IPv6 packet,
 * data at its network header, whose AH header starts at @ah_off and whose
 * protocol (IPv4) or preceding Next Header (IPv6) byte is at @nh_off; the
 * SA is @c->sa, found by (dst, SPI, AH).  Length checks, replay check, ICV
 * check, replay window advance; on success the AH header is gone and the
 * IP header says what AH carried.  Returns as kipsec_ah_output().
 */
int kipsec_ah_input(struct sk_buff *skb, unsigned int ah_off,
		    unsigned int nh_off, const struct kipsec_cont *c);

/* The bytes AH adds to a packet of @family (AF_INET or AF_INET6). */
unsigned int kipsec_ah_hdr_len(const struct kipsec_sa *sa, u16 family);

#endif /* _KIPSEC_AH_H */
