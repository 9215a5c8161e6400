/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_REPLAY_H
#define _KIPSEC_REPLAY_H

#include <linux/bitops.h>
#include <linux/types.h>
#include <linux/kipsec.h>

/*
 * Inbound anti-replay state (RFC 4303 3.4.3 and appendix A), part of the
 * SA state so that it survives SA_UPDATE.  The bitmap always has room for
 * the largest window, indexed by sequence number modulo its size, so an
 * update may change the window without resizing anything.  All calls
 * under the SA state's lock.
 */
struct kipsec_replay {
	u64 top;	/* highest authenticated sequence number, 0: none */
	unsigned long bmp[BITS_TO_LONGS(KIPSEC_REPLAY_WINDOW_MAX)];
};

/*
 * The full sequence number of a packet carrying @seq_lo: for ESN the high
 * half is inferred as RFC 4303 appendix A2.2 says (a window of 0 infers
 * as a window of 1).
 */
u64 kipsec_replay_seq(const struct kipsec_replay *r, u32 window, bool esn,
		      u32 seq_lo);

/*
 * 0 if @seq may be new, -EINVAL for 0, -ENOENT if older than the window,
 * -EEXIST if already seen.  A window of 0 turns the check off (RFC 4303
 * 3.4.3 lets a receiver do so), as it does in XFRM.
 */
int kipsec_replay_check(const struct kipsec_replay *r, u32 window, u64 seq);

/* Records an authenticated @seq; checks again, as another CPU may have won. */
int kipsec_replay_advance(struct kipsec_replay *r, u32 window, u64 seq);

#endif /* _KIPSEC_REPLAY_H */
