// SPDX-License-Identifier: GPL-2.0
/*
 * The anti-replay window of RFC 4303 3.4.3, with the extended sequence
 * number inference of appendix A2.  The bitmap is a ring indexed by the
 * sequence number, so moving the window forward clears only the bits
 * that fall out of it.
 */
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "kunit_export.h"
#include "replay.h"

#define RING_BITS KIPSEC_REPLAY_WINDOW_MAX

static unsigned int ring_bit(u64 seq)
{
	return seq % RING_BITS;
}

u64 kipsec_replay_seq(const struct kipsec_replay *r, u32 window, bool esn,
		      u32 seq_lo)
{
	u32 top_lo = lower_32_bits(r->top);
	u32 top_hi = upper_32_bits(r->top);
	u32 bottom;

	if (!esn)
		return seq_lo;
	/* Without a window, anything from the top on is this block's. */
	window = max(window, 1U);
	bottom = top_lo - window + 1;	/* modulo 2^32 on purpose */
	if (top_lo >= window - 1) {
		/* Case A: the window lies within one 2^32 block. */
		if (seq_lo >= bottom)
			return ((u64)top_hi << 32) | seq_lo;
		return ((u64)(top_hi + 1) << 32) | seq_lo;
	}
	/* Case B: the window's bottom lies in the previous block. */
	if (seq_lo >= bottom && top_hi)
		return ((u64)(top_hi - 1) << 32) | seq_lo;
	return ((u64)top_hi << 32) | seq_lo;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_replay_seq);

int kipsec_replay_check(const struct kipsec_replay *r, u32 window, u64 seq)
{
	u64 age;

	if (!window)
		return 0;
	if (!seq)
		return -EINVAL;
	if (seq > r->top)
		return 0;
	age = r->top - seq;
	if (age >= window)
		return -ENOENT;
	return test_bit(ring_bit(seq), r->bmp) ? -EEXIST : 0;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_replay_check);

/* Clears the bits of the sequence numbers the window moves over. */
static void slide(struct kipsec_replay *r, u64 seq)
{
	u64 diff = seq - r->top;
	u64 i;

	if (diff >= RING_BITS) {
		bitmap_zero(r->bmp, RING_BITS);
		return;
	}
	/* Counting the distance, not up to @seq: that may be U64_MAX. */
	for (i = 1; i <= diff; i++)
		__clear_bit(ring_bit(r->top + i), r->bmp);
}

int kipsec_replay_advance(struct kipsec_replay *r, u32 window, u64 seq)
{
	int ret;

	ret = kipsec_replay_check(r, window, seq);
	if (ret)
		return ret;
	if (seq > r->top) {
		slide(r, seq);
		r->top = seq;
	}
	__set_bit(ring_bit(seq), r->bmp);
	return 0;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_replay_advance);
