// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the packet suites (esp_test.c, ah_test.c): namespaces and
 * SAs, bytes, skbs of every shape, asynchronous completions.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/udp.h>
#include <asm/unaligned.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "esp.h"
#include "netns.h"
#include "sad.h"
#include "suites.h"
#include "test_util.h"

int kt_pair_init(struct kunit *test)
{
	struct kt_pair *t;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->tx = kipsec_test_net_alloc(test);
	t->rx = kipsec_test_net_alloc(test);
	test->priv = t;
	if (!t->tx || !t->rx)
		return -ENOMEM;
	ret = kipsec_sad_init(t->tx);
	if (ret)
		return ret;
	t->tx_ready = true;
	ret = kipsec_sad_init(t->rx);
	if (ret)
		return ret;
	t->rx_ready = true;
	return 0;
}

void kt_pair_exit(struct kunit *test)
{
	struct kt_pair *t = test->priv;

	if (!t)
		return;
	while (t->n_sas)
		kipsec_sa_put(t->sas[--t->n_sas]);
	if (t->rx_ready)
		kipsec_sad_fini(t->rx);
	if (t->tx_ready)
		kipsec_sad_fini(t->tx);
}

struct kipsec_sa *kt_sa_install(struct kunit *test, struct kipsec_net *kn,
				const struct kipsec_sa_config *cfg)
{
	struct kt_pair *t = test->priv;
	struct kipsec_sa *sa;

	KUNIT_ASSERT_LT(test, t->n_sas, KT_MAX_SAS);
	KUNIT_ASSERT_EQ(test, kipsec_sa_add(kn, cfg, NULL), 0);
	rcu_read_lock();
	sa = kipsec_sa_get(kipsec_sa_lookup_rcu(kn, cfg->family, &cfg->daddr,
						htonl(cfg->spi), cfg->proto));
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, sa);
	t->sas[t->n_sas++] = sa;
	return sa;
}

void kt_set_replay_top(struct kipsec_sa *sa, u64 top)
{
	spin_lock_bh(&sa->state->lock);
	sa->state->replay.top = top;
	spin_unlock_bh(&sa->state->lock);
}

u64 kt_replay_top(struct kipsec_sa *sa)
{
	u64 top;

	spin_lock_bh(&sa->state->lock);
	top = sa->state->replay.top;
	spin_unlock_bh(&sa->state->lock);
	return top;
}

u64 kt_sa_packets(struct kipsec_sa *sa)
{
	struct kipsec_sa_stats stats;
	u64 seq;

	kipsec_sa_read_state(sa, &stats, &seq);
	return stats.packets;
}

u64 kt_sa_seq(struct kipsec_sa *sa)
{
	struct kipsec_sa_stats stats;
	u64 seq;

	kipsec_sa_read_state(sa, &stats, &seq);
	return seq;
}

u8 *kt_from_hex(struct kunit *test, const char *s, unsigned int *len)
{
	size_t n = strlen(s);
	u8 *buf;

	KUNIT_ASSERT_EQ_MSG(test, n % 2, 0, "odd hex string %s", s);
	buf = kunit_kzalloc(test, n / 2 + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ_MSG(test, hex2bin(buf, s, n / 2), 0, "bad hex %s", s);
	*len = n / 2;
	return buf;
}

void kt_expect_bytes(struct kunit *test, const char *what, const u8 *got,
		     unsigned int got_len, const u8 *want,
		     unsigned int want_len)
{
	unsigned int i, n = min(got_len, want_len);

	KUNIT_EXPECT_EQ_MSG(test, got_len, want_len, "%s: length", what);
	for (i = 0; i < n && got[i] == want[i]; i++)
		;
	KUNIT_EXPECT_EQ_MSG(test, i, n,
			    "%s: first difference at byte %u: %02x, want %02x",
			    what, i, i < n ? got[i] : 0, i < n ? want[i] : 0);
}

u8 *kt_skb_bytes(struct kunit *test, const struct sk_buff *skb,
		 unsigned int *len)
{
	int off = skb_network_offset(skb);
	u8 *buf;

	*len = skb->len - off;
	buf = kunit_kzalloc(test, *len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, off, buf, *len), 0);
	return buf;
}

u8 *kt_skb_take(struct kunit *test, struct sk_buff *skb, unsigned int *len)
{
	u8 *buf = kt_skb_bytes(test, skb, len);

	kfree_skb(skb);
	return buf;
}

const char * const kt_layout_names[] = {
	[L_V4] = "ipv4", [L_V4_OPT] = "ipv4+ra", [L_V4_OPTS] = "ipv4+ra+rr",
	[L_V6] = "ipv6", [L_V6_HBH] = "ipv6+hbh", [L_V6_EXT] = "ipv6+hbh+dst",
};

u16 kt_layout_family(enum kt_layout l)
{
	return l <= L_V4_OPTS ? AF_INET : AF_INET6;
}

unsigned int kt_layout_hlen(enum kt_layout l)
{
	static const unsigned int hlen[] = {
		[L_V4] = 20, [L_V4_OPT] = 24, [L_V4_OPTS] = 32,
		[L_V6] = 40, [L_V6_HBH] = 48, [L_V6_EXT] = 56,
	};

	return hlen[l];
}

unsigned int kt_layout_nh_off(enum kt_layout l)
{
	static const unsigned int off[] = {
		[L_V4] = 9, [L_V4_OPT] = 9, [L_V4_OPTS] = 9,
		[L_V6] = 6, [L_V6_HBH] = 40, [L_V6_EXT] = 48,
	};

	return off[l];
}

const u8 kt_v4_src[4] = { 192, 0, 2, 1 };
const u8 kt_v4_dst[4] = { 192, 0, 2, 2 };
const u8 kt_v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const u8 kt_v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static const u8 v4_opts[12] = {
	IPOPT_RA, 4, 0, 0, IPOPT_RR, 7, 8, 198, 51, 100, 1, IPOPT_END,
};

static void build_v4(u8 *buf, enum kt_layout l, u8 proto, unsigned int len)
{
	unsigned int hlen = kt_layout_hlen(l);
	struct iphdr *iph = (struct iphdr *)buf;

	iph->version = 4;
	iph->ihl = hlen / 4;
	iph->tos = 0x8a;
	iph->tot_len = htons(hlen + len);
	iph->id = htons(0x1234);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = proto;
	memcpy(&iph->saddr, kt_v4_src, 4);
	memcpy(&iph->daddr, kt_v4_dst, 4);
	/* L_V4_OPT takes the router alert only */
	memcpy(buf + 20, v4_opts, hlen - 20);
	iph->check = ip_fast_csum(buf, iph->ihl);
}

static void build_v6(u8 *buf, enum kt_layout l, u8 proto, unsigned int len)
{
	unsigned int hlen = kt_layout_hlen(l);
	struct ipv6hdr *ip6h = (struct ipv6hdr *)buf;

	put_unaligned_be32(6 << 28 | 0x2e << 20 | 0xbeef, buf);
	ip6h->payload_len = htons(hlen - 40 + len);
	ip6h->nexthdr = l == L_V6 ? proto : NEXTHDR_HOP;
	ip6h->hop_limit = 64;
	memcpy(&ip6h->saddr, kt_v6_src, 16);
	memcpy(&ip6h->daddr, kt_v6_dst, 16);
	if (l == L_V6_HBH) {
		buf[40] = proto;
		buf[42] = IPV6_TLV_PADN;
		buf[43] = 4;
	} else if (l == L_V6_EXT) {
		/* 0x3e: skip if unknown, may change; 0x1e: may not */
		buf[40] = NEXTHDR_DEST;
		buf[42] = 0x3e;
		buf[43] = 4;
		memcpy(buf + 44, "\x01\x02\x03\x04", 4);
		buf[48] = proto;
		buf[50] = 0x1e;
		buf[51] = 4;
		memcpy(buf + 52, "\x05\x06\x07\x08", 4);
	}
}

unsigned int kt_build_ip(u8 *buf, enum kt_layout l, u8 proto,
			 unsigned int len)
{
	memset(buf, 0, kt_layout_hlen(l));
	if (kt_layout_family(l) == AF_INET)
		build_v4(buf, l, proto, len);
	else
		build_v6(buf, l, proto, len);
	return kt_layout_hlen(l);
}

u8 *kt_build_packet(struct kunit *test, enum kt_layout l, u8 proto,
		    const u8 *data, unsigned int len, unsigned int *total)
{
	u8 *buf = kunit_kzalloc(test, kt_layout_hlen(l) + len + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	*total = kt_build_ip(buf, l, proto, len);
	memcpy(buf + *total, data, len);
	*total += len;
	return buf;
}

u8 *kt_build_udp(struct kunit *test, enum kt_layout l, unsigned int n,
		 u8 seed, unsigned int *total)
{
	u8 *udp = kunit_kzalloc(test, sizeof(struct udphdr) + n, GFP_KERNEL);
	struct udphdr *uh = (struct udphdr *)udp;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, udp);
	uh->source = htons(1234);
	uh->dest = htons(5678);
	uh->len = htons(sizeof(*uh) + n);
	for (i = 0; i < n; i++)
		udp[sizeof(*uh) + i] = seed + i * 7;
	return kt_build_packet(test, l, IPPROTO_UDP, udp, sizeof(*uh) + n,
			       total);
}

const char * const kt_shape_names[] = {
	[SHAPE_LINEAR] = "", [SHAPE_NO_HEADROOM] = " no-headroom",
	[SHAPE_CLONED] = " cloned", [SHAPE_PAGED] = " paged",
};

struct sk_buff *kt_make_skb(struct kunit *test, const u8 *data,
			    unsigned int len, u16 family, enum skb_shape shape,
			    unsigned int linear)
{
	unsigned int headroom = shape == SHAPE_NO_HEADROOM ? 0 : 128;
	struct sk_buff *skb;
	struct page *page;

	if (shape != SHAPE_PAGED || linear > len)
		linear = len;
	skb = alloc_skb(headroom + linear + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, headroom);
	skb_put_data(skb, data, linear);
	if (linear < len) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), data + linear, len - linear);
		skb_add_rx_frag(skb, 0, page, 0, len - linear, PAGE_SIZE);
	}
	skb_reset_network_header(skb);
	skb->protocol = htons(family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	return skb;
}

struct sk_buff *kt_clone(struct kunit *test, struct sk_buff *skb,
			 enum skb_shape shape)
{
	struct sk_buff *clone;

	if (shape != SHAPE_CLONED)
		return NULL;
	clone = skb_clone(skb, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, clone);
	return clone;
}

void kt_check_clone(struct kunit *test, struct sk_buff *clone,
		    const char *what, const u8 *data, unsigned int len)
{
	unsigned int seen_len;
	const u8 *seen;

	if (!clone)
		return;
	seen = kt_skb_bytes(test, clone, &seen_len);
	kt_expect_bytes(test, what, seen, seen_len, data, len);
	kfree_skb(clone);
}

struct kt_async kt_async;

static void kt_done(struct sk_buff *skb, enum kipsec_stats_attr verdict,
		    const struct kipsec_cont *c)
{
	kt_async.completions++;
	kt_async.skb = skb;
	kt_async.verdict = verdict;
	complete(&kt_async.done);
}

int kt_suite_init(struct kunit_suite *suite)
{
	init_completion(&kt_async.done);
	return 0;
}

void kt_cont_init(struct kipsec_cont *c, struct kipsec_sa *sa, u16 family)
{
	*c = (struct kipsec_cont){
		.done = kt_done,
		.sa = sa,
		.net = &init_net,
		.family = family,
	};
	reinit_completion(&kt_async.done);
}

enum kipsec_stats_attr kt_verdict(struct kunit *test, struct sk_buff **skbp,
				  int ret)
{
	if (ret == -EINPROGRESS) {
		KUNIT_ASSERT_NE_MSG(test,
				    wait_for_completion_timeout(&kt_async.done,
								10 * HZ),
				    0, "asynchronous crypto never completed");
		*skbp = kt_async.skb;
		ret = kt_async.verdict;
	}
	KUNIT_EXPECT_GE(test, ret, 0);
	if (ret) {
		kfree_skb(*skbp);
		*skbp = NULL;
	}
	return ret;
}
