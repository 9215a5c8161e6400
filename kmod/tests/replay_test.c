// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>

#include "replay.h"
#include "suites.h"

/* ---- check and advance, step by step ---- */

/*
 * @want is what kipsec_replay_check() says of @seq; advance must say the
 * same, since it checks again and a refused number must change nothing.
 */
struct replay_step {
	u64 seq;
	int want;
};

struct replay_case {
	const char *name;
	u32 window;
	const struct replay_step *steps;
	unsigned int n;
	u64 top;	/* at the end */
};

#define STEPS(...)							\
	.steps = (const struct replay_step[]){ __VA_ARGS__ },		\
	.n = sizeof((const struct replay_step[]){ __VA_ARGS__ }) /	\
	     sizeof(struct replay_step)

static const struct replay_case replay_cases[] = {
	{
		.name = "128: duplicates and 0",
		.window = 128,
		STEPS({ 1, 0 }, { 1, -EEXIST }, { 2, 0 }, { 0, -EINVAL },
		      { 5, 0 }, { 3, 0 }, { 3, -EEXIST }, { 4, 0 },
		      { 2, -EEXIST }, { 5, -EEXIST }),
		.top = 5,
	}, {
		.name = "128: the window's bottom edge",
		.window = 128,
		STEPS({ 200, 0 }, { 73, 0 }, { 72, -ENOENT }, { 199, 0 },
		      { 200, -EEXIST }, { 73, -EEXIST }, { 201, 0 },
		      { 73, -ENOENT }, { 74, 0 }),
		.top = 201,
	}, {
		.name = "128: a jump far past the bitmap",
		.window = 128,
		STEPS({ 1, 0 }, { 2, 0 }, { 100000, 0 }, { 2, -ENOENT },
		      { 99873, 0 }, { 99872, -ENOENT }, { 99999, 0 },
		      { 100000, -EEXIST }, { 99999, -EEXIST }),
		.top = 100000,
	}, {
		/* As XFRM: a window of 0 turns anti-replay off. */
		.name = "0: anything goes",
		.window = 0,
		STEPS({ 1, 0 }, { 1, 0 }, { 3, 0 }, { 2, 0 }, { 0, 0 },
		      { 1000, 0 }, { 999, 0 }, { 1000, 0 }),
		.top = 1000,
	}, {
		.name = "1: only the top is remembered",
		.window = 1,
		STEPS({ 1, 0 }, { 1, -EEXIST }, { 3, 0 }, { 2, -ENOENT },
		      { 3, -EEXIST }, { 4, 0 }, { 3, -ENOENT }),
		.top = 4,
	}, {
		.name = "32: edges",
		.window = 32,
		STEPS({ 40, 0 }, { 9, 0 }, { 8, -ENOENT }, { 40, -EEXIST },
		      { 9, -EEXIST }, { 41, 0 }, { 9, -ENOENT }, { 10, 0 },
		      { 10, -EEXIST }),
		.top = 41,
	}, {
		/* The ring has exactly 4096 bits: top and top - 4096 share one. */
		.name = "4096: the ring's slot reused",
		.window = 4096,
		STEPS({ 1, 0 }, { 4096, 0 }, { 1, -EEXIST }, { 2, 0 },
		      { 4097, 0 }, { 1, -ENOENT }, { 2, -EEXIST }, { 3, 0 },
		      { 4097, -EEXIST }, { 4096, -EEXIST }),
		.top = 4097,
	}, {
		.name = "4096: jumps of 4095, 4096 and more",
		.window = 4096,
		STEPS({ 10, 0 }, { 4105, 0 }, { 10, -EEXIST }, { 11, 0 },
		      { 8201, 0 }, { 4106, 0 }, { 4105, -ENOENT },
		      { 20489, 0 }, { 16394, 0 }, { 16393, -ENOENT },
		      { 20488, 0 }, { 20489, -EEXIST }),
		.top = 20489,
	}, {
		.name = "128: 64-bit numbers across 2^32",
		.window = 128,
		STEPS({ 0xfffffff0, 0 }, { 0x100000000ULL, 0 },
		      { 0xffffffff, 0 }, { 0xfffffff0, -EEXIST },
		      { 0xffffff81, 0 }, { 0xffffff80, -ENOENT },
		      { 0x100000001ULL, 0 }, { 0x100000000ULL, -EEXIST }),
		.top = 0x100000001ULL,
	}, {
		/* An ESN sender may use 2^64 - 1 (RFC 4303 3.3.3). */
		.name = "128: up to 2^64 - 1",
		.window = 128,
		STEPS({ U64_MAX - 0x10, 0 }, { U64_MAX, 0 },
		      { U64_MAX, -EEXIST }, { U64_MAX - 0x10, -EEXIST },
		      { U64_MAX - 1, 0 }, { U64_MAX - 128, -ENOENT }),
		.top = U64_MAX,
	},
};

static void replay_case_desc(const struct replay_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replay, replay_cases, replay_case_desc);

static void replay_check_then_advance(struct kunit *test)
{
	const struct replay_case *c = test->param_value;
	struct kipsec_replay *r;
	unsigned int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (i = 0; i < c->n; i++) {
		const struct replay_step *s = &c->steps[i];
		u64 top = r->top;

		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_check(r, c->window,
							      s->seq),
				    s->want, "check, step %u, seq %llu", i,
				    s->seq);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_advance(r, c->window,
								s->seq),
				    s->want, "advance, step %u, seq %llu", i,
				    s->seq);
		KUNIT_EXPECT_EQ_MSG(test, r->top,
				    s->want ? top : max(top, s->seq),
				    "top after step %u", i);
		if (!s->want && c->window)
			KUNIT_EXPECT_NE_MSG(test,
					    kipsec_replay_check(r, c->window,
								s->seq),
					    0, "seq %llu accepted twice",
					    s->seq);
	}

	KUNIT_EXPECT_EQ(test, r->top, c->top);
}

/*
 * The window is per SA and may change with an update while the ring
 * stays: numbers the old, smaller window had already given up on must
 * not look seen through the larger one.
 */
static void replay_window_grows(struct kunit *test)
{
	struct kipsec_replay *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, kipsec_replay_advance(r, 32, 10), 0);
	KUNIT_ASSERT_EQ(test, kipsec_replay_advance(r, 32, 20), 0);
	KUNIT_ASSERT_EQ(test, kipsec_replay_advance(r, 32, 4000), 0);
	/* Passes over 4106 and 4116, which share the ring slots of 10, 20. */
	KUNIT_ASSERT_EQ(test, kipsec_replay_advance(r, 32, 4200), 0);

	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 32, 4106), -ENOENT);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 4106), 0);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 4116), 0);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 4000), -EEXIST);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 4200), -EEXIST);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 105), 0);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 104), -ENOENT);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 10), -ENOENT);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 4096, 4106), 0);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 4096, 4106), -EEXIST);
}

/* A smaller window forgets, but what it still covers stays seen. */
static void replay_window_shrinks(struct kunit *test)
{
	struct kipsec_replay *r;
	u64 seq;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (seq = 1; seq <= 100; seq += 3)
		KUNIT_ASSERT_EQ(test, kipsec_replay_advance(r, 4096, seq), 0);

	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 8, 100), -EEXIST);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 8, 97), -EEXIST);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 8, 98), 0);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 8, 94), -EEXIST);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 8, 93), 0);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 8, 92), -ENOENT);
}

/* ---- the full sequence number of an ESN packet (RFC 4303 A2.2) ---- */

struct seq_case {
	const char *name;
	u32 window;
	bool esn;
	u64 top;
	u32 seq_lo;
	u64 want;
};

static const struct seq_case seq_cases[] = {
	/* Without ESN the 32 bits are the number, whatever came before. */
	{ "no ESN", 128, false, 0x500000010ULL, 7, 7 },
	{ "no ESN, low top", 128, false, 0x10, 0xffffffff, 0xffffffff },
	/* Case A: Tl >= W - 1, the window lies in one 2^32 block. */
	{ "A: ahead", 128, true, 0x100000100ULL, 0x200, 0x100000200ULL },
	{ "A: at the top", 128, true, 0x100000100ULL, 0x100, 0x100000100ULL },
	{ "A: bottom", 128, true, 0x100000100ULL, 0x81, 0x100000081ULL },
	{ "A: below bottom", 128, true, 0x100000100ULL, 0x80, 0x200000080ULL },
	{ "A: far ahead", 128, true, 0x100000100ULL, 0xffffffff,
	  0x1ffffffffULL },
	/* Tl = W - 1: the window starts exactly at the block's 0. */
	{ "A: Tl = W - 1, bottom 0", 128, true, 0x10000007fULL, 0,
	  0x100000000ULL },
	{ "A: Tl = W - 1, ahead", 128, true, 0x10000007fULL, 1,
	  0x100000001ULL },
	{ "A: Tl = W, below bottom", 128, true, 0x100000080ULL, 0,
	  0x200000000ULL },
	{ "A: window 1", 1, true, 0x100000005ULL, 5, 0x100000005ULL },
	{ "A: window 1, below", 1, true, 0x100000005ULL, 4, 0x200000004ULL },
	/* Case B: Tl < W - 1, the window reaches into the previous block. */
	{ "B: previous block", 128, true, 0x100000010ULL, 0xffffffa0,
	  0xffffffa0 },
	{ "B: bottom", 128, true, 0x100000010ULL, 0xffffff91, 0xffffff91 },
	{ "B: below bottom", 128, true, 0x100000010ULL, 0xffffff90,
	  0x1ffffff90ULL },
	{ "B: ahead", 128, true, 0x100000010ULL, 0x20, 0x100000020ULL },
	{ "B: behind, same block", 128, true, 0x100000010ULL, 5,
	  0x100000005ULL },
	{ "B: Tl = W - 2", 128, true, 0x10000007eULL, 0xffffffff,
	  0xffffffff },
	{ "B: Tl = W - 2, 0", 128, true, 0x10000007eULL, 0, 0x100000000ULL },
	{ "B: window 4096", 4096, true, 0x700000800ULL, 0xfffff801,
	  0x6fffff801ULL },
	{ "B: window 4096, below", 4096, true, 0x700000800ULL, 0xfffff800,
	  0x7fffff800ULL },
	/* Nothing before block 0: a fresh SA takes every number as block 0. */
	{ "B: fresh SA", 128, true, 0, 1, 1 },
	{ "B: fresh SA, high", 128, true, 0, 0xffffff90, 0xffffff90 },
	{ "B: fresh SA, 0", 128, true, 0, 0, 0 },
	/* Window 0 (no anti-replay) infers as a window of 1. */
	{ "window 0: ahead", 0, true, 0x100000005ULL, 6, 0x100000006ULL },
	{ "window 0: at the top", 0, true, 0x100000005ULL, 5,
	  0x100000005ULL },
	{ "window 0: behind", 0, true, 0x100000005ULL, 4, 0x200000004ULL },
};

static void seq_case_desc(const struct seq_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seq, seq_cases, seq_case_desc);

static void replay_seq_inferred(struct kunit *test)
{
	const struct seq_case *c = test->param_value;
	struct kipsec_replay *r;
	u64 seq;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->top = c->top;

	seq = kipsec_replay_seq(r, c->window, c->esn, c->seq_lo);

	KUNIT_EXPECT_EQ_MSG(test, seq, c->want, "got %#llx, want %#llx", seq,
			    c->want);
}

/* The inference and the window together, as ESP uses them, over 2^32. */
static void replay_esn_across_wrap(struct kunit *test)
{
	static const u32 lo[] = { 0xfffffffe, 0xffffffff, 0, 1, 0xfffffff0 };
	static const u64 full[] = { 0xfffffffe, 0xffffffff, 0x100000000ULL,
				    0x100000001ULL, 0xfffffff0 };
	struct kipsec_replay *r;
	unsigned int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, kipsec_replay_advance(r, 64, 0xfffffff8), 0);

	for (i = 0; i < ARRAY_SIZE(lo); i++) {
		u64 seq = kipsec_replay_seq(r, 64, true, lo[i]);

		KUNIT_EXPECT_EQ_MSG(test, seq, full[i], "packet %u", i);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_advance(r, 64, seq), 0,
				    "packet %u", i);
	}

	KUNIT_EXPECT_EQ(test, r->top, 0x100000001ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 64,
			kipsec_replay_seq(r, 64, true, 0xffffffff)), -EEXIST);
}

static struct kunit_case replay_test_cases[] = {
	KUNIT_CASE_PARAM(replay_check_then_advance, replay_gen_params),
	KUNIT_CASE(replay_window_grows),
	KUNIT_CASE(replay_window_shrinks),
	KUNIT_CASE_PARAM(replay_seq_inferred, seq_gen_params),
	KUNIT_CASE(replay_esn_across_wrap),
	{}
};

struct kunit_suite kipsec_replay_test_suite = {
	.name = "kipsec-replay",
	.test_cases = replay_test_cases,
};
