// SPDX-License-Identifier: GPL-2.0
/*
 * AH in transport mode (RFC 4302), IPv4 and IPv6, computing the ICV as
 * net/ipv4/ah4.c and net/ipv6/ah6.c do, so the bytes on the wire are
 * XFRM's: the IP header's mutable fields and the ICV are zeroed, the
 * whole packet goes through the HMAC (truncated to the RFC's length), and
 * with ESN the high half of the sequence number follows the packet
 * (RFC 4302 2.5.1).  The AH header is padded to 64 bits in both families,
 * as XFRM sends it; IPv4 input also takes RFC 4302's 32-bit alignment.
 *
 * GMAC (RFC 4543 section 4) puts an 8-byte IV (the sequence number, which
 * never repeats under a key) between the sequence number and the ICV; the
 * packet, IV included and ICV zeroed, is GCM's associated data.
 *
 * As for ESP, one allocation per packet (struct ah_ctx, the saved
 * headers, the ICV, the request, the scatterlist) and one finish function
 * for synchronous and asynchronous completion.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "ah.h"
#include "kunit_export.h"
#include "pkt.h"
#include "sad.h"

#define AH_FIXED_LEN	sizeof(struct ip_auth_hdr)
#define AH_ICV_MAX	32	/* hmac-sha2-512 */

struct ah_ctx {
	struct kipsec_cont cont;
	struct sk_buff *skb;
	u64 seq;
	unsigned int hdrs_len;	/* IP (and extension) headers before AH */
	unsigned int nh_off;
	unsigned int ah_hlen;
	bool input;
	u8 nexthdr;		/* input: what AH carried */
	__be32 seq_hi;		/* ESN: hashed after the packet */
	u8 rx_icv[AH_ICV_MAX];
	u8 nonce[12];		/* GMAC: salt, then the IV */
	u8 *hdrs;		/* the headers as they were, before zeroing */
	u8 *icv;		/* the computed ICV (GMAC: the tag in/out) */
	void *req;
	struct scatterlist *sg;
};

static bool sa_gmac(const struct kipsec_sa *sa)
{
	return !sa->xform.ahash;
}

/* Where the ICV starts in the AH header: after the GMAC IV, if any. */
static unsigned int icv_off(const struct kipsec_sa *sa)
{
	return AH_FIXED_LEN + sa->xform.iv_len;
}

static unsigned int ah_raw_len(const struct kipsec_sa *sa)
{
	return icv_off(sa) + sa->xform.icv_len;
}

/*
 * RFC 4302 pads AH to 32 bits in IPv4, XFRM pads to 64 (and drops
 * anything else unless told "align4"): kipsec sends what XFRM sends.
 * XFRM has no GMAC, so there RFC 4543 (erratum 3643) says: no padding.
 */
unsigned int kipsec_ah_hdr_len(const struct kipsec_sa *sa, u16 family)
{
	if (family == AF_INET && sa_gmac(sa))
		return ALIGN(ah_raw_len(sa), 4);
	return ALIGN(ah_raw_len(sa), 8);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_ah_hdr_len);

static bool ah_len_ok(const struct kipsec_sa *sa, u16 family,
		      unsigned int len)
{
	return len == ALIGN(ah_raw_len(sa), 8) ||
	       (family == AF_INET && len == ALIGN(ah_raw_len(sa), 4));
}

/* ---- the per-packet allocation ---- */

static struct ah_ctx *ctx_alloc(const struct kipsec_xform *x,
				unsigned int hdrs_len, int nfrags)
{
	unsigned int mask, dlen, reqsize;
	struct ah_ctx *ctx;
	size_t len;
	u8 *p;

	if (x->ahash) {
		mask = crypto_ahash_alignmask(x->ahash);
		dlen = crypto_ahash_digestsize(x->ahash);
		reqsize = sizeof(struct ahash_request) +
			  crypto_ahash_reqsize(x->ahash);
	} else {
		mask = crypto_aead_alignmask(x->aead);
		dlen = crypto_aead_authsize(x->aead);
		reqsize = sizeof(struct aead_request) +
			  crypto_aead_reqsize(x->aead);
	}
	len = sizeof(*ctx) + hdrs_len + mask + dlen +
	      crypto_tfm_ctx_alignment() + reqsize +
	      __alignof__(struct scatterlist) +
	      sizeof(struct scatterlist) * (nfrags + 2);
	ctx = kmalloc(len, GFP_ATOMIC);
	if (!ctx)
		return NULL;

	p = (u8 *)(ctx + 1);
	ctx->hdrs = p;
	p = PTR_ALIGN(p + hdrs_len, mask + 1);
	ctx->icv = p;
	p = PTR_ALIGN(p + dlen, crypto_tfm_ctx_alignment());
	ctx->req = p;
	ctx->sg = PTR_ALIGN((struct scatterlist *)(p + reqsize),
			    __alignof__(struct scatterlist));
	return ctx;
}

/* ---- mutable fields (RFC 4302 3.3.3.1) ---- */

/* The IPv4 options RFC 4302 appendix A1 calls immutable (as ah4.c). */
static bool ipv4_opt_immutable(u8 type)
{
	switch (type) {
	case IPOPT_SEC:
	case 0x85:		/* extended security */
	case IPOPT_CIPSO:
	case IPOPT_RA:
	case 0x80 | 21:		/* sender directed multi-destination */
		return true;
	default:
		return false;
	}
}

/*
 * Zeroes the mutable options whole; a source route's final hop is the
 * destination the receiver sees, so outbound it stands in for daddr.
 */
static int ipv4_zero_mutable_opts(struct iphdr *iph, bool output)
{
	u8 *opt = (u8 *)(iph + 1);
	int left = iph->ihl * 4 - sizeof(*iph);
	int len;

	while (left > 0) {
		if (opt[0] == IPOPT_END)
			return 0;
		if (opt[0] == IPOPT_NOOP) {
			left--;
			opt++;
			continue;
		}
		if (left < 2)
			return -EINVAL;
		len = opt[1];
		if (len < 2 || len > left)
			return -EINVAL;
		if (!ipv4_opt_immutable(opt[0])) {
			if (output && (opt[0] == IPOPT_LSRR ||
				       opt[0] == IPOPT_SSRR)) {
				if (len < 6)
					return -EINVAL;
				memcpy(&iph->daddr, opt + len - 4, 4);
			}
			memset(opt, 0, len);
		}
		left -= len;
		opt += len;
	}
	return 0;
}

static int ipv4_zero_mutable(struct iphdr *iph, bool output)
{
	iph->tos = 0;
	iph->frag_off = 0;
	iph->ttl = 0;
	iph->check = 0;
	return ipv4_zero_mutable_opts(iph, output);
}

/*
 * Walks a hop-by-hop or destination options header: options whose type
 * has the "may change en route" bit get their data zeroed.  With @home
 * (destination options, outbound), a Mobile IPv6 home address option
 * (RFC 6275 11.3.2) trades places with saddr, since the receiver sees the
 * home address as the source, as ah6.c arranges it.
 */
static int ipv6_fix_opts(struct ipv6hdr *iph, u8 *hdr, unsigned int hlen,
			 bool home)
{
	unsigned int off = 2, len;

	while (off < hlen) {
		if (hdr[off] == IPV6_TLV_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > hlen)
			return -EINVAL;
		len = hdr[off + 1] + 2;
		if (off + len > hlen)
			return -EINVAL;
		if (home && hdr[off] == IPV6_TLV_HAO) {
			if (len != 2 + sizeof(struct in6_addr))
				return -EINVAL;
			swap(*(struct in6_addr *)(hdr + off + 2), iph->saddr);
		}
		if (hdr[off] & 0x20)
			memset(hdr + off + 2, 0, len - 2);
		off += len;
	}
	return 0;
}

/*
 * A routing header as it arrives at the final destination (RFC 4302
 * appendix A2, ah6.c ipv6_rearrange_rthdr): the last address becomes
 * the destination, the current one joins the list, no segments left.
 */
static int ipv6_rthdr_final(struct ipv6hdr *iph, struct ipv6_rt_hdr *rth)
{
	unsigned int segments = rth->hdrlen >> 1;
	unsigned int left = rth->segments_left;
	struct in6_addr *addrs, final;

	if (!left)
		return 0;
	if (left > segments)
		return -EINVAL;
	rth->segments_left = 0;
	addrs = ((struct rt0_hdr *)rth)->addr;
	final = addrs[segments - 1];
	addrs += segments - left;
	memmove(addrs + 1, addrs, (left - 1) * sizeof(*addrs));
	addrs[0] = iph->daddr;
	iph->daddr = final;
	return 0;
}

static int ipv6_zero_mutable(struct ipv6hdr *iph, unsigned int hdrs_len,
			     bool output)
{
	u8 *base = (u8 *)iph, *hdr;
	unsigned int off = sizeof(*iph), hlen;
	u8 nexthdr = iph->nexthdr;
	int err = 0;

	iph->priority = 0;
	memset(iph->flow_lbl, 0, sizeof(iph->flow_lbl));
	iph->hop_limit = 0;

	while (off < hdrs_len && !err) {
		hdr = base + off;
		if (off + 2 > hdrs_len)
			return -EINVAL;
		hlen = ipv6_optlen((struct ipv6_opt_hdr *)hdr);
		if (off + hlen > hdrs_len)
			return -EINVAL;
		switch (nexthdr) {
		case NEXTHDR_DEST:
			err = ipv6_fix_opts(iph, hdr, hlen, output);
			break;
		case NEXTHDR_HOP:
			err = ipv6_fix_opts(iph, hdr, hlen, false);
			break;
		case NEXTHDR_ROUTING:
			err = ipv6_rthdr_final(iph, (struct ipv6_rt_hdr *)hdr);
			break;
		default:
			return 0;
		}
		nexthdr = hdr[0];
		off += hlen;
	}
	return err;
}

static int zero_mutable(struct sk_buff *skb, u16 family,
			unsigned int hdrs_len, bool output)
{
	if (family == AF_INET)
		return ipv4_zero_mutable(ip_hdr(skb), output);
	return ipv6_zero_mutable(ipv6_hdr(skb), hdrs_len, output);
}

/* ---- the ICV ---- */

static void ah_done(struct crypto_async_request *base, int err);

/*
 * The scatterlist: the packet, then (ESN) the sequence number's high
 * half, then (GMAC) the tag.  Returns the bytes to authenticate.
 */
static int fill_sg(struct sk_buff *skb, struct ah_ctx *ctx, int nfrags,
		   unsigned int *len)
{
	struct kipsec_sa *sa = ctx->cont.sa;
	int n;

	sg_init_table(ctx->sg, nfrags + 2);
	n = skb_to_sgvec_nomark(skb, ctx->sg, 0, skb->len);
	if (unlikely(n < 0))
		return n;
	*len = skb->len;
	if (sa->flags & KIPSEC_SA_F_ESN) {
		ctx->seq_hi = htonl(upper_32_bits(ctx->seq));
		sg_set_buf(&ctx->sg[n++], &ctx->seq_hi, sizeof(ctx->seq_hi));
		*len += sizeof(ctx->seq_hi);
	}
	if (sa_gmac(sa))
		sg_set_buf(&ctx->sg[n++], ctx->icv, sa->xform.icv_len);
	sg_mark_end(&ctx->sg[n - 1]);
	return 0;
}

static int hmac_crypt(struct ah_ctx *ctx, unsigned int len)
{
	struct ahash_request *req = ctx->req;

	ahash_request_set_tfm(req, ctx->cont.sa->xform.ahash);
	ahash_request_set_callback(req, 0, ah_done, ctx);
	ahash_request_set_crypt(req, ctx->sg, ctx->icv, len);
	return crypto_ahash_digest(req);
}

static int gmac_crypt(struct ah_ctx *ctx, const u8 *iv, unsigned int len)
{
	struct kipsec_sa *sa = ctx->cont.sa;
	struct aead_request *req = ctx->req;
	unsigned int icv = sa->xform.icv_len;

	memcpy(ctx->nonce, sa->xform.salt, sizeof(sa->xform.salt));
	memcpy(ctx->nonce + sizeof(sa->xform.salt), iv, sa->xform.iv_len);
	aead_request_set_tfm(req, sa->xform.aead);
	aead_request_set_callback(req, 0, ah_done, ctx);
	aead_request_set_ad(req, len);
	if (ctx->input) {
		memcpy(ctx->icv, ctx->rx_icv, icv);
		aead_request_set_crypt(req, ctx->sg, ctx->sg, icv, ctx->nonce);
		return crypto_aead_decrypt(req);
	}
	aead_request_set_crypt(req, ctx->sg, ctx->sg, 0, ctx->nonce);
	return crypto_aead_encrypt(req);
}

static int ah_crypt(struct sk_buff *skb, struct ah_ctx *ctx, int nfrags)
{
	struct kipsec_sa *sa = ctx->cont.sa;
	const u8 *ah = skb->data + ctx->hdrs_len;
	unsigned int len;
	int err;

	err = fill_sg(skb, ctx, nfrags, &len);
	if (err)
		return err;
	if (sa_gmac(sa))
		return gmac_crypt(ctx, ah + AH_FIXED_LEN, len);
	return hmac_crypt(ctx, len);
}

/* ---- output ---- */

/* The ICV goes in, the saved headers come back, with a fresh checksum. */
static enum kipsec_stats_attr output_finish(struct ah_ctx *ctx, int err)
{
	struct sk_buff *skb = ctx->skb;
	struct kipsec_sa *sa = ctx->cont.sa;

	if (!err)
		memcpy(skb->data + ctx->hdrs_len + icv_off(sa), ctx->icv,
		       sa->xform.icv_len);
	memcpy(skb->data, ctx->hdrs, ctx->hdrs_len);
	if (ctx->cont.family == AF_INET)
		ip_send_check(ip_hdr(skb));
	kfree(ctx);
	return kipsec_crypto_verdict(err);
}

/* AH's fields; the ICV and the padding after it stay zero. */
static void fill_ah(struct sk_buff *skb, struct ah_ctx *ctx)
{
	struct kipsec_sa *sa = ctx->cont.sa;
	struct ip_auth_hdr *ah = (void *)(skb->data + ctx->hdrs_len);

	memset(ah, 0, ctx->ah_hlen);
	ah->nexthdr = skb->data[ctx->nh_off];
	ah->hdrlen = ctx->ah_hlen / 4 - 2;
	ah->spi = sa->id.spi;
	ah->seq_no = htonl(lower_32_bits(ctx->seq));
	if (sa_gmac(sa))
		put_unaligned_be64(ctx->seq, ah->auth_data);
	skb->data[ctx->nh_off] = IPPROTO_AH;
}

int kipsec_ah_output(struct sk_buff *skb, const struct kipsec_cont *c)
{
	struct kipsec_sa *sa = c->sa;
	unsigned int ah_hlen = kipsec_ah_hdr_len(sa, c->family);
	enum kipsec_stats_attr drop;
	struct sk_buff *trailer;
	unsigned int nh_off;
	struct ah_ctx *ctx;
	int hdrs_len, nfrags, err;
	u64 seq = 0;

	hdrs_len = kipsec_pkt_out_hdr_off(skb, c->family, &nh_off);
	if (hdrs_len < 0 || !pskb_may_pull(skb, hdrs_len))
		return KIPSEC_A_STATS_OUT_BAD_PACKET;
	drop = kipsec_sa_next_seq(sa, skb->len, &seq);
	if (drop)
		return drop;

	if (skb_cow_head(skb, ah_hlen))
		return KIPSEC_A_STATS_NO_MEMORY;
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx = ctx_alloc(&sa->xform, hdrs_len, nfrags);
	if (!ctx)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx->cont = *c;
	ctx->skb = skb;
	ctx->seq = seq;
	ctx->hdrs_len = hdrs_len;
	ctx->nh_off = nh_off;
	ctx->ah_hlen = ah_hlen;
	ctx->input = false;

	kipsec_pkt_push_hdr(skb, hdrs_len, ah_hlen);
	fill_ah(skb, ctx);
	kipsec_pkt_set_ip_lengths(skb, c->family);
	skb->ip_summed = CHECKSUM_NONE;

	memcpy(ctx->hdrs, skb->data, hdrs_len);
	err = zero_mutable(skb, c->family, hdrs_len, true);
	if (err) {
		output_finish(ctx, err);
		return KIPSEC_A_STATS_OUT_BAD_PACKET;
	}
	err = ah_crypt(skb, ctx, nfrags);
	if (err == -EINPROGRESS)
		return -EINPROGRESS;
	return output_finish(ctx, err);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_ah_output);

/* ---- input ---- */

/*
 * The headers come back as they arrived, AH goes: the IP header names
 * what AH carried.  The ICV is compared in constant time.
 */
static enum kipsec_stats_attr input_finish(struct ah_ctx *ctx, int err)
{
	struct sk_buff *skb = ctx->skb;
	struct kipsec_sa *sa = ctx->cont.sa;
	unsigned int hdrs_len = ctx->hdrs_len, ah_hlen = ctx->ah_hlen;
	unsigned int nh_off = ctx->nh_off;
	u16 family = ctx->cont.family;
	u8 nexthdr = ctx->nexthdr;
	u64 seq = ctx->seq;
	enum kipsec_stats_attr drop;

	if (!err && !sa_gmac(sa) &&
	    crypto_memneq(ctx->icv, ctx->rx_icv, sa->xform.icv_len))
		err = -EBADMSG;
	memcpy(skb->data, ctx->hdrs, hdrs_len);
	kfree(ctx);

	drop = kipsec_crypto_verdict(err);
	if (drop)
		return drop;
	drop = kipsec_sa_replay_advance(sa, seq, skb->len - ah_hlen);
	if (drop)
		return drop;

	kipsec_pkt_pull_hdr(skb, hdrs_len, ah_hlen);
	skb->data[nh_off] = nexthdr;
	kipsec_pkt_set_ip_lengths(skb, family);
	return KIPSEC_DROP_NONE;
}

static void ah_done(struct crypto_async_request *base, int err)
{
	struct ah_ctx *ctx = base->data;
	struct kipsec_cont cont = ctx->cont;
	struct sk_buff *skb = ctx->skb;
	enum kipsec_stats_attr verdict;

	if (ctx->input)
		verdict = input_finish(ctx, err);
	else
		verdict = output_finish(ctx, err);
	cont.done(skb, verdict, &cont);
}

/* The header's length field against what the SA's algorithm needs. */
static enum kipsec_stats_attr check_len(struct sk_buff *skb,
					unsigned int ah_off, u16 family,
					const struct kipsec_sa *sa,
					unsigned int *ah_hlen)
{
	const struct ip_auth_hdr *ah;

	if (!pskb_may_pull(skb, ah_off + AH_FIXED_LEN))
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	ah = (const void *)(skb->data + ah_off);
	*ah_hlen = (ah->hdrlen + 2) << 2;
	if (!ah_len_ok(sa, family, *ah_hlen) ||
	    !pskb_may_pull(skb, ah_off + *ah_hlen))
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	return KIPSEC_DROP_NONE;
}

int kipsec_ah_input(struct sk_buff *skb, unsigned int ah_off,
		    unsigned int nh_off, const struct kipsec_cont *c)
{
	struct kipsec_sa *sa = c->sa;
	enum kipsec_stats_attr drop;
	struct ip_auth_hdr *ah;
	unsigned int ah_hlen;
	struct ah_ctx *ctx;
	int nfrags, err;
	u64 seq;

	drop = check_len(skb, ah_off, c->family, sa, &ah_hlen);
	if (drop)
		return drop;
	ah = (void *)(skb->data + ah_off);
	drop = kipsec_sa_replay_check(sa, ntohl(ah->seq_no), &seq);
	if (drop)
		return drop;

	nfrags = kipsec_pkt_make_writable(skb);
	if (nfrags < 0)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx = ctx_alloc(&sa->xform, ah_off, nfrags);
	if (!ctx)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx->cont = *c;
	ctx->skb = skb;
	ctx->seq = seq;
	ctx->hdrs_len = ah_off;
	ctx->nh_off = nh_off;
	ctx->ah_hlen = ah_hlen;
	ctx->input = true;

	ah = (void *)(skb->data + ah_off);
	ctx->nexthdr = ah->nexthdr;
	memcpy(ctx->hdrs, skb->data, ah_off);
	memcpy(ctx->rx_icv, (u8 *)ah + icv_off(sa), sa->xform.icv_len);
	memset((u8 *)ah + icv_off(sa), 0, sa->xform.icv_len);
	/* The inner checksums are checked again once AH is gone. */
	skb->ip_summed = CHECKSUM_NONE;

	err = zero_mutable(skb, c->family, ah_off, false);
	if (err) {
		input_finish(ctx, err);
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	}
	err = ah_crypt(skb, ctx, nfrags);
	if (err == -EINPROGRESS)
		return -EINPROGRESS;
	return input_finish(ctx, err);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_ah_input);
