// SPDX-License-Identifier: GPL-2.0
/*
 * ESP in transport mode (RFC 4303), IPv4 and IPv6, through one AEAD per
 * SA in the request layout of net/ipv4/esp4.c, so the bytes on the wire
 * are XFRM's: "seqiv(AEAD)" or "echainiv(authenc[esn](HMAC,CBC))" takes
 * the sequence number as its IV input and writes the real IV after the
 * ESP header itself (an IV never repeats under a key: seqiv mixes in a
 * random per-transform salt, echainiv encrypts it).
 *
 * Every packet gets one allocation (struct esp_ctx, then IV, request and
 * scatterlist); the same finish function ends it whether the crypto
 * returned at once or completed later.
 */
#include <crypto/aead.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "esp.h"
#include "kunit_export.h"
#include "pkt.h"
#include "sad.h"

struct esp_ctx {
	struct kipsec_cont cont;
	struct sk_buff *skb;
	u64 seq;
	unsigned int esp_off;	/* from skb->data */
	unsigned int nh_off;
	unsigned int elen;	/* input: payload and trailer, ICV excluded */
	/* ESN: the 4 bytes before the ESP header lend room to seq_hi */
	bool esn;
	__be32 saved;
};

static bool sa_esn(const struct kipsec_sa *sa)
{
	return sa->flags & KIPSEC_SA_F_ESN;
}

static unsigned int esp_blksize(struct crypto_aead *aead)
{
	return ALIGN(crypto_aead_blocksize(aead), 4);
}

/* ---- the per-packet allocation ---- */

static u8 *ctx_iv(struct crypto_aead *aead, struct esp_ctx *ctx)
{
	return PTR_ALIGN((u8 *)(ctx + 1), crypto_aead_alignmask(aead) + 1);
}

static struct aead_request *ctx_req(struct crypto_aead *aead,
				    struct esp_ctx *ctx)
{
	return (void *)PTR_ALIGN(ctx_iv(aead, ctx) + crypto_aead_ivsize(aead),
				 crypto_tfm_ctx_alignment());
}

static struct scatterlist *ctx_sg(struct crypto_aead *aead,
				  struct aead_request *req)
{
	return (void *)ALIGN((unsigned long)(req + 1) +
			     crypto_aead_reqsize(aead),
			     __alignof__(struct scatterlist));
}

static struct esp_ctx *ctx_alloc(struct crypto_aead *aead, int nfrags)
{
	size_t len;

	len = sizeof(struct esp_ctx) + crypto_aead_alignmask(aead) +
	      crypto_aead_ivsize(aead) + crypto_tfm_ctx_alignment() +
	      sizeof(struct aead_request) + crypto_aead_reqsize(aead) +
	      __alignof__(struct scatterlist) +
	      sizeof(struct scatterlist) * nfrags;
	return kmalloc(len, GFP_ATOMIC);
}

/*
 * ESN: authencesn and rfc4106 want the AAD as SPI | seq_hi | seq_lo, so
 * the SPI moves 4 bytes back over the end of the IP header (saved) and
 * seq_hi takes its place; undone as soon as the crypto is over.
 */
static unsigned int esn_set_aad(struct esp_ctx *ctx, u32 seq_hi)
{
	__be32 *p = (__be32 *)(ctx->skb->data + ctx->esp_off - 4);

	ctx->saved = p[0];
	p[0] = p[1];
	p[1] = htonl(seq_hi);
	return ctx->esp_off - 4;
}

static void esn_restore(struct esp_ctx *ctx)
{
	__be32 *p = (__be32 *)(ctx->skb->data + ctx->esp_off - 4);

	p[1] = p[0];
	p[0] = ctx->saved;
}

/* ---- output ---- */

static void fill_trailer(u8 *tail, unsigned int padlen, u8 proto)
{
	unsigned int i;

	/* RFC 4303 2.4: the default padding is 1, 2, 3, ... */
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = proto;
}

/* After the crypto: the header is final, the IP header says ESP. */
static enum kipsec_stats_attr output_finish(struct esp_ctx *ctx, int err)
{
	if (ctx->esn)
		esn_restore(ctx);
	kfree(ctx);
	return kipsec_crypto_verdict(err);
}

static void output_done(struct crypto_async_request *base, int err)
{
	struct esp_ctx *ctx = base->data;
	struct kipsec_cont cont = ctx->cont;
	struct sk_buff *skb = ctx->skb;

	cont.done(skb, output_finish(ctx, err), &cont);
}

static int output_crypt(struct sk_buff *skb, struct esp_ctx *ctx,
			unsigned int clen, int nfrags)
{
	struct kipsec_sa *sa = ctx->cont.sa;
	struct crypto_aead *aead = sa->xform.aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icv = crypto_aead_authsize(aead);
	unsigned int assoclen = sizeof(struct ip_esp_hdr);
	unsigned int start = ctx->esp_off;
	struct aead_request *req = ctx_req(aead, ctx);
	struct scatterlist *sg = ctx_sg(aead, req);
	__be64 seqno = cpu_to_be64(ctx->seq);
	u8 *iv = ctx_iv(aead, ctx);
	int err;

	if (ctx->esn) {
		start = esn_set_aad(ctx, upper_32_bits(ctx->seq));
		assoclen += sizeof(__be32);
	}
	sg_init_table(sg, nfrags);
	err = skb_to_sgvec(skb, sg, start, assoclen + ivlen + clen + icv);
	if (unlikely(err < 0))
		return err;

	aead_request_set_tfm(req, aead);
	aead_request_set_callback(req, 0, output_done, ctx);
	aead_request_set_crypt(req, sg, sg, ivlen + clen, iv);
	aead_request_set_ad(req, assoclen);
	/* The generator's input: the sequence number, right-aligned. */
	memset(iv, 0, ivlen);
	memcpy(iv + ivlen - min(ivlen, 8U),
	       (u8 *)&seqno + 8 - min(ivlen, 8U), min(ivlen, 8U));
	return crypto_aead_encrypt(req);
}

int kipsec_esp_output(struct sk_buff *skb, const struct kipsec_cont *c)
{
	struct kipsec_sa *sa = c->sa;
	struct crypto_aead *aead = sa->xform.aead;
	unsigned int hlen = sizeof(struct ip_esp_hdr) + crypto_aead_ivsize(aead);
	unsigned int icv = crypto_aead_authsize(aead);
	unsigned int nh_off, payload, clen, padlen, tailen;
	struct sk_buff *trailer;
	struct ip_esp_hdr *esph;
	struct esp_ctx *ctx;
	enum kipsec_stats_attr drop;
	int ip_hlen, nfrags, err;
	u64 seq = 0;
	u8 proto;

	ip_hlen = kipsec_pkt_out_hdr_off(skb, c->family, &nh_off);
	if (ip_hlen < 0 || ip_hlen > skb->len)
		return KIPSEC_A_STATS_OUT_BAD_PACKET;
	payload = skb->len - ip_hlen;
	clen = ALIGN(payload + 2, esp_blksize(aead));
	padlen = clen - payload - 2;
	tailen = padlen + 2 + icv;

	drop = kipsec_sa_next_seq(sa, skb->len, &seq);
	if (drop)
		return drop;

	if (skb_cow_head(skb, hlen))
		return KIPSEC_A_STATS_NO_MEMORY;
	nfrags = skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx = ctx_alloc(aead, nfrags);
	if (!ctx)
		return KIPSEC_A_STATS_NO_MEMORY;

	proto = skb_network_header(skb)[nh_off];
	fill_trailer(skb_tail_pointer(trailer), padlen, proto);
	pskb_put(skb, trailer, tailen);
	kipsec_pkt_push_hdr(skb, ip_hlen, hlen);
	skb_network_header(skb)[nh_off] = IPPROTO_ESP;
	kipsec_pkt_set_ip_lengths(skb, c->family);
	esph = (struct ip_esp_hdr *)skb_transport_header(skb);
	esph->spi = sa->id.spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	skb->ip_summed = CHECKSUM_NONE;

	ctx->cont = *c;
	ctx->skb = skb;
	ctx->seq = seq;
	ctx->esp_off = ip_hlen;
	ctx->nh_off = nh_off;
	ctx->esn = sa_esn(sa);
	err = output_crypt(skb, ctx, clen, nfrags);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EINPROGRESS;
	return output_finish(ctx, err);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_esp_output);

/* ---- input ---- */

/*
 * Checks pad length and the default padding (RFC 4303 2.4), reading at
 * most 255 bytes; returns the trailer's next header through @nexthdr.
 */
static enum kipsec_stats_attr check_trailer(struct sk_buff *skb, unsigned int icv,
				   unsigned int elen, unsigned int *trimlen,
				   u8 *nexthdr)
{
	u8 buf[256], tail[2];
	unsigned int padlen, i;
	const u8 *pad;

	if (skb_copy_bits(skb, skb->len - icv - 2, tail, 2))
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	padlen = tail[0];
	if (padlen + 2 > elen)
		return KIPSEC_A_STATS_IN_BAD_PADDING;
	pad = skb_header_pointer(skb, skb->len - icv - 2 - padlen, padlen, buf);
	if (!pad)
		return KIPSEC_A_STATS_IN_BAD_PADDING;
	for (i = 0; i < padlen; i++)
		if (pad[i] != i + 1)
			return KIPSEC_A_STATS_IN_BAD_PADDING;
	*nexthdr = tail[1];
	if (*nexthdr == IPPROTO_NONE)
		return KIPSEC_DROP_SILENT;
	if (padlen + 2 == elen)
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	*trimlen = icv + 2 + padlen;
	return KIPSEC_DROP_NONE;
}

/* The inner packet's length, for the counters, before the trailer checks. */
static unsigned int inner_len(struct sk_buff *skb, unsigned int esp_off,
			      unsigned int elen, unsigned int icv)
{
	u8 padlen;

	if (skb_copy_bits(skb, skb->len - icv - 2, &padlen, 1) ||
	    padlen + 2 > elen)
		return esp_off;
	return esp_off + elen - padlen - 2;
}

static enum kipsec_stats_attr input_finish(struct esp_ctx *ctx, int err)
{
	struct sk_buff *skb = ctx->skb;
	struct kipsec_sa *sa = ctx->cont.sa;
	struct crypto_aead *aead = sa->xform.aead;
	unsigned int hlen = sizeof(struct ip_esp_hdr) + crypto_aead_ivsize(aead);
	unsigned int icv = crypto_aead_authsize(aead);
	unsigned int esp_off = ctx->esp_off, nh_off = ctx->nh_off;
	unsigned int elen = ctx->elen, trimlen = 0;
	u16 family = ctx->cont.family;
	u64 seq = ctx->seq;
	enum kipsec_stats_attr drop;
	u8 nexthdr = 0;

	if (ctx->esn)
		esn_restore(ctx);
	kfree(ctx);

	drop = kipsec_crypto_verdict(err);
	if (drop)
		return drop;
	drop = kipsec_sa_replay_advance(sa, seq, inner_len(skb, esp_off, elen, icv));
	if (drop)
		return drop;
	drop = check_trailer(skb, icv, elen, &trimlen, &nexthdr);
	if (drop)
		return drop;
	if (pskb_trim(skb, skb->len - trimlen))
		return KIPSEC_A_STATS_NO_MEMORY;

	kipsec_pkt_pull_hdr(skb, esp_off, hlen);
	skb_network_header(skb)[nh_off] = nexthdr;
	kipsec_pkt_set_ip_lengths(skb, family);
	return KIPSEC_DROP_NONE;
}

static void input_done(struct crypto_async_request *base, int err)
{
	struct esp_ctx *ctx = base->data;
	struct kipsec_cont cont = ctx->cont;
	struct sk_buff *skb = ctx->skb;

	cont.done(skb, input_finish(ctx, err), &cont);
}

static int input_crypt(struct sk_buff *skb, struct esp_ctx *ctx, int nfrags)
{
	struct crypto_aead *aead = ctx->cont.sa->xform.aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icv = crypto_aead_authsize(aead);
	unsigned int assoclen = sizeof(struct ip_esp_hdr);
	unsigned int start = ctx->esp_off;
	struct aead_request *req = ctx_req(aead, ctx);
	struct scatterlist *sg = ctx_sg(aead, req);
	int err;

	if (ctx->esn) {
		start = esn_set_aad(ctx, upper_32_bits(ctx->seq));
		assoclen += sizeof(__be32);
	}
	sg_init_table(sg, nfrags);
	err = skb_to_sgvec(skb, sg, start, skb->len - start);
	if (unlikely(err < 0))
		return err;	/* input_finish() restores the ESN header */

	aead_request_set_tfm(req, aead);
	aead_request_set_callback(req, 0, input_done, ctx);
	aead_request_set_crypt(req, sg, sg, ivlen + ctx->elen + icv,
			       ctx_iv(aead, ctx));
	aead_request_set_ad(req, assoclen);
	return crypto_aead_decrypt(req);
}

int kipsec_esp_input(struct sk_buff *skb, unsigned int esp_off,
		     unsigned int nh_off, const struct kipsec_cont *c)
{
	struct kipsec_sa *sa = c->sa;
	struct crypto_aead *aead = sa->xform.aead;
	unsigned int hlen = sizeof(struct ip_esp_hdr) + crypto_aead_ivsize(aead);
	unsigned int icv = crypto_aead_authsize(aead);
	struct ip_esp_hdr *esph;
	struct esp_ctx *ctx;
	enum kipsec_stats_attr drop;
	int nfrags, err;
	u64 seq;
	int elen;

	if (esp_off < 4 || !pskb_may_pull(skb, esp_off + hlen))
		return KIPSEC_A_STATS_IN_BAD_LENGTH;
	elen = skb->len - esp_off - hlen - icv;
	if (elen <= 0 || elen % esp_blksize(aead))
		return KIPSEC_A_STATS_IN_BAD_LENGTH;

	esph = (struct ip_esp_hdr *)(skb->data + esp_off);
	drop = kipsec_sa_replay_check(sa, ntohl(esph->seq_no), &seq);
	if (drop)
		return drop;

	nfrags = kipsec_pkt_make_writable(skb);
	if (nfrags < 0)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx = ctx_alloc(aead, nfrags);
	if (!ctx)
		return KIPSEC_A_STATS_NO_MEMORY;
	ctx->cont = *c;
	ctx->skb = skb;
	ctx->seq = seq;
	ctx->esp_off = esp_off;
	ctx->nh_off = nh_off;
	ctx->elen = elen;
	ctx->esn = sa_esn(sa);
	/* The inner checksums are checked again, on the plaintext. */
	skb->ip_summed = CHECKSUM_NONE;

	err = input_crypt(skb, ctx, nfrags);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EINPROGRESS;
	return input_finish(ctx, err);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_esp_input);

unsigned int kipsec_esp_inner_mtu(const struct kipsec_sa *sa,
				  unsigned int mtu, unsigned int ip_hlen)
{
	struct crypto_aead *aead = sa->xform.aead;
	unsigned int over = sizeof(struct ip_esp_hdr) +
			    crypto_aead_ivsize(aead) +
			    crypto_aead_authsize(aead) + ip_hlen;

	if (mtu < over + esp_blksize(aead))
		return ip_hlen;
	return ((mtu - over) & ~(esp_blksize(aead) - 1)) + ip_hlen - 2;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_esp_inner_mtu);
