/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_TEST_UTIL_H
#define _KIPSEC_TEST_UTIL_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/types.h>

#include "stats.h"

struct kipsec_cont;
struct kipsec_net;
struct kipsec_sa;
struct kipsec_sa_config;
struct sk_buff;

/*
 * What the packet suites (ESP, AH) share: a sender's and a receiver's
 * namespace with the SAs a test holds, bytes and skbs, and the one
 * asynchronous completion they wait for.
 */

#define KT_MAX_SAS 4

/* test->priv of a packet suite: kt_pair_init() and kt_pair_exit(). */
struct kt_pair {
	struct kipsec_net *tx, *rx;
	bool tx_ready, rx_ready;
	struct kipsec_sa *sas[KT_MAX_SAS];
	unsigned int n_sas;
};

int kt_pair_init(struct kunit *test);
void kt_pair_exit(struct kunit *test);

/* Adds the SA to @kn and holds it for the rest of the test. */
struct kipsec_sa *kt_sa_install(struct kunit *test, struct kipsec_net *kn,
				const struct kipsec_sa_config *cfg);

/* As if @top had been the last packet received. */
void kt_set_replay_top(struct kipsec_sa *sa, u64 top);
u64 kt_replay_top(struct kipsec_sa *sa);
u64 kt_sa_packets(struct kipsec_sa *sa);
u64 kt_sa_seq(struct kipsec_sa *sa);

u8 *kt_from_hex(struct kunit *test, const char *s, unsigned int *len);
void kt_expect_bytes(struct kunit *test, const char *what, const u8 *got,
		     unsigned int got_len, const u8 *want,
		     unsigned int want_len);
/* Everything from the network header on, however the skb holds it. */
u8 *kt_skb_bytes(struct kunit *test, const struct sk_buff *skb,
		 unsigned int *len);
/* The same, and @skb is freed. */
u8 *kt_skb_take(struct kunit *test, struct sk_buff *skb, unsigned int *len);

/*
 * The packets of the round trips: IP header(s) then UDP.  Mutable fields
 * (TOS, traffic class, flow label) are set, so that AH's zeroing shows.
 */
enum kt_layout {
	L_V4,		/* 20-byte header */
	L_V4_OPT,	/* with a router alert option: 24 bytes */
	L_V4_OPTS,	/* router alert, record route (mutable): 32 bytes */
	L_V6,
	L_V6_HBH,	/* with a hop-by-hop header (PadN) */
	L_V6_EXT,	/* hop-by-hop (a mutable option), destination options */
};

extern const char * const kt_layout_names[];
u16 kt_layout_family(enum kt_layout l);
unsigned int kt_layout_hlen(enum kt_layout l);
/* Where the byte that names what follows the IP header(s) is. */
unsigned int kt_layout_nh_off(enum kt_layout l);

extern const u8 kt_v4_src[4], kt_v4_dst[4], kt_v6_src[16], kt_v6_dst[16];

/* The IP header(s) of @l for @len bytes of @proto; returns their length. */
unsigned int kt_build_ip(u8 *buf, enum kt_layout l, u8 proto,
			 unsigned int len);
/* IP header(s) of @l followed by @len bytes of @data, of protocol @proto. */
u8 *kt_build_packet(struct kunit *test, enum kt_layout l, u8 proto,
		    const u8 *data, unsigned int len, unsigned int *total);
/* A UDP datagram with @n bytes of data that depend on @seed. */
u8 *kt_build_udp(struct kunit *test, enum kt_layout l, unsigned int n,
		 u8 seed, unsigned int *total);

enum skb_shape {
	SHAPE_LINEAR,
	SHAPE_NO_HEADROOM,
	SHAPE_CLONED,	/* a clone (a capture, a TCP retransmit) shares it */
	SHAPE_PAGED,	/* all but the first @linear bytes in a page */
};

extern const char * const kt_shape_names[];

/* The caller frees it (or the code under test, by a drop verdict). */
struct sk_buff *kt_make_skb(struct kunit *test, const u8 *data,
			    unsigned int len, u16 family, enum skb_shape shape,
			    unsigned int linear);

/*
 * A clone of @skb when @shape is SHAPE_CLONED (as a capture holds one),
 * else NULL.  kt_check_clone() then shows that the code under test
 * copied the data before writing: the clone still holds @data (and is
 * freed).  It does nothing for NULL.
 */
struct sk_buff *kt_clone(struct kunit *test, struct sk_buff *skb,
			 enum skb_shape shape);
void kt_check_clone(struct kunit *test, struct sk_buff *clone,
		    const char *what, const u8 *data, unsigned int len);

/* One packet at a time: the suites run their cases one after the other. */
struct kt_async {
	struct completion done;
	struct sk_buff *skb;
	enum kipsec_stats_attr verdict;
	unsigned int completions;
};

extern struct kt_async kt_async;

int kt_suite_init(struct kunit_suite *suite);

/* A continuation that completes kt_async, ready for a new packet. */
void kt_cont_init(struct kipsec_cont *c, struct kipsec_sa *sa, u16 family);

/*
 * The verdict of a call that returned @ret, waiting for it if it went
 * asynchronous; the packet stays in *@skbp when it passed, and is freed
 * (*@skbp = NULL) when it was dropped.
 */
enum kipsec_stats_attr kt_verdict(struct kunit *test, struct sk_buff **skbp,
				  int ret);

#endif /* _KIPSEC_TEST_UTIL_H */
