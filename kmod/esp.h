/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_ESP_H
#define _KIPSEC_ESP_H

#include <linux/types.h>
#include <linux/kipsec.h>

#include "stats.h"

struct kipsec_sa;
struct net;
struct sk_buff;
struct sock;

/*
 * Where a packet goes when its ESP or AH processing ends.  The caller
 * fills it in; the ESP or AH code keeps a copy for an asynchronous
 * completion, which calls @done with the verdict (KIPSEC_DROP_NONE or a drop reason).  @done
 * then owns @skb and the reference on @sa.  On a synchronous return none
 * of that happens and the caller carries on itself.
 */
struct kipsec_cont {
	void (*done)(struct sk_buff *skb, enum kipsec_stats_attr verdict,
		     const struct kipsec_cont *c);
	struct kipsec_sa *sa;		/* a reference, owned by the caller */
	struct net *net;
	struct sock *sk;
	int (*okfn)(struct net *net, struct sock *sk, struct sk_buff *skb);
	u16 family;			/* AF_INET or AF_INET6 */
	unsigned int bytes;		/* for the caller's counters */
	/*
	 * The caller's own: a bundle's SAs (references), in the order
	 * they are applied (outbound) or taken off (inbound), and which
	 * one @sa is.
	 */
	struct kipsec_sa *sas[KIPSEC_TMPLS_MAX];
	u8 nsas;
	u8 step;
};

/*
 * Transport-mode ESP output (RFC 4303 3.3).  @skb is the whole IPv4 or
 * IPv6 packet, data at its network header, not GSO, checksum complete.
 * Inserts the ESP header after the IP header (IPv6: after the headers
 * that precede a fragment header) and appends the trailer and ICV.
 * Returns KIPSEC_DROP_NONE when @skb is ready, -EINPROGRESS when
 * @c->done will be called, or a drop reason; on a drop the caller frees
 * @skb.
 */
int kipsec_esp_output(struct sk_buff *skb, const struct kipsec_cont *c);

/*
 * Transport-mode ESP input (RFC 4303 3.4).  @skb is an IPv4 or IPv6
 * packet, data at its network header, whose ESP header starts at
 * @esp_off and whose protocol (IPv4) or preceding Next Header (IPv6) byte
 * is at @nh_off.  The SA is @c->sa, found by (dst, SPI, ESP).  Replay
 * check, ICV check and decryption, replay window advance, padding and
 * length checks; on success the ESP header and trailer are gone and the
 * IP header says what ESP carried.  Returns as kipsec_esp_output().
 */
int kipsec_esp_input(struct sk_buff *skb, unsigned int esp_off,
		     unsigned int nh_off, const struct kipsec_cont *c);

/*
 * The largest packet (IP header included, @ip_hlen bytes of it) that fits
 * @mtu once protected with @sa, as esp4_get_mtu() computes it.
 */
unsigned int kipsec_esp_inner_mtu(const struct kipsec_sa *sa,
				  unsigned int mtu, unsigned int ip_hlen);

#endif /* _KIPSEC_ESP_H */
