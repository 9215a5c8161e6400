/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipsecctl import setkey|openbsd FILE: manual-keying configurations of
 * other IPsec stacks translated into kipsec.conf lines.  What both
 * translators share: the tokens of a statement, the SA and policy they
 * produce, and how a construct that cannot be translated is reported.
 * No netlink here.
 */
#ifndef IPSECCTL_IMPORT_H
#define IPSECCTL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "algs.h"
#include "args.h"

/* A growing string whose old copies are wiped: it may hold keys. */
struct sbuf {
	char *s;
	size_t n;
	size_t cap;
	bool oom;
};

void sbuf_printf(struct sbuf *b, const char *fmt, ...) __printf(2, 3);
void sbuf_free(struct sbuf *b);

struct imp_tok {
	char *s;
	unsigned int line;
	bool quoted;
};

/* One statement: a setkey command up to ';', an ipsec.conf line. */
struct imp_stmt {
	struct imp_tok *t;
	size_t n;
	unsigned int line;
};

enum imp_status {
	IMP_OK,
	IMP_SKIP,	/* valid input kipsec cannot express */
	IMP_BAD,	/* malformed input */
};

/* Why a statement was not translated; never holds key material. */
struct imp_res {
	char what[96];
	char why[224];
	unsigned int line;
	bool noted;	/* imp_note() was called */
};

int imp_skip(struct imp_res *r, const struct imp_tok *at, const char *what,
	     const char *fmt, ...) __printf(4, 5);
int imp_bad(struct imp_res *r, const struct imp_tok *at, const char *fmt, ...)
	__printf(3, 4);
/*
 * Keeps the first reason a statement cannot be translated while the
 * parse goes on, so that a syntax error later in it is still found.
 */
void imp_note(struct imp_res *r, const struct imp_tok *at, const char *what,
	      const char *fmt, ...) __printf(4, 5);

struct imp_key {
	uint8_t b[KEY_MAX_LEN];
	size_t len;
	const char *file;	/* instead of b: a kipsec keyfile */
};

struct imp_sa {
	struct ip_addr src, dst;
	uint8_t proto;		/* IPPROTO_ESP or IPPROTO_AH */
	uint32_t spi;
	const struct alg *enc, *auth;
	struct imp_key enc_key, auth_key;
	bool no_integrity;
	bool has_replay;
	uint32_t replay;
	/* [SA_SOFT/SA_HARD]: 0 is no limit */
	uint64_t seconds[2], bytes[2];
};

#define IMP_TMPLS_MAX	2

struct imp_pol {
	uint8_t dir;		/* KIPSEC_DIR_* */
	struct ip_prefix src, dst;	/* family 0: not given */
	bool has_proto;
	uint8_t proto;
	uint16_t sport, dport;	/* 0: not given */
	bool has_priority;
	uint32_t priority;
	uint8_t action;		/* KIPSEC_ACTION_* */
	unsigned int n_tmpls;
	struct {
		uint8_t proto;	/* IPPROTO_ESP or IPPROTO_AH */
		uint8_t level;	/* KIPSEC_LEVEL_* */
	} tmpls[IMP_TMPLS_MAX];
};

/*
 * Appends the `sa add` / `policy add` line to @out after checking it
 * with the grammar's own parser; a line the parser refuses is IMP_SKIP
 * with the parser's reason.
 */
int imp_emit_sa(struct sbuf *out, const struct imp_sa *sa,
		const struct imp_tok *at, struct imp_res *r);
int imp_emit_pol(struct sbuf *out, const struct imp_pol *pol,
		 const struct imp_tok *at, struct imp_res *r);

/* Hex (0x optional) into @k; false if not hex or too long. */
bool imp_hex_key(const char *s, struct imp_key *k);
/* A host address without prefix. */
bool imp_addr(const char *s, struct ip_addr *a);
/* Upper-layer protocol name or number as kipsec writes it. */
bool imp_upper_proto(const char *s, uint8_t *proto);
bool imp_u32(const char *s, uint32_t *v);

struct cur {
	const struct imp_stmt *st;
	size_t i;
};

static inline const struct imp_tok *peek(const struct cur *c)
{
	return c->i < c->st->n ? &c->st->t[c->i] : NULL;
}

/* The word at the cursor, or the statement's last one at its end. */
static inline const struct imp_tok *last(const struct cur *c)
{
	return &c->st->t[c->i < c->st->n ? c->i : c->st->n - 1];
}

/* The next word, or NULL with IMP_BAD "missing WHAT" in @r. */
const struct imp_tok *next(struct cur *c, const char *what,
			   struct imp_res *r);

/* Translates one statement into @out. */
typedef int (*imp_translate_fn)(const struct imp_stmt *st, struct sbuf *out,
				struct imp_res *r);

int imp_setkey(const struct imp_stmt *st, struct sbuf *out,
	       struct imp_res *r);
int imp_openbsd(const struct imp_stmt *st, struct sbuf *out,
		struct imp_res *r);

/* The statements of a file; the tokens' text lives in @arena. */
struct imp_doc {
	struct imp_stmt *stmts;
	size_t n;
	char *arena;
	size_t arena_size;
};

/*
 * Splits @text into statements: "setkey" ends them at ';', "openbsd" at
 * the end of a line not continued by '\'.  The caller frees @doc with
 * imp_doc_free() in any case.
 */
int imp_lex(const char *format, const char *text, struct imp_doc *doc,
	    struct imp_res *r);
void imp_doc_free(struct imp_doc *doc);

/*
 * The whole translation of @text: the lines for
 * standard output in @out, the messages for standard error in @err (each
 * "ipsecctl: import FORMAT: " + @path...).  Returns the exit status: 0
 * when everything was translated, 1 otherwise; on malformed input @out
 * is empty.
 */
int import_text(const char *format, const char *path, const char *text,
		struct sbuf *out, struct sbuf *err);

#endif /* IPSECCTL_IMPORT_H */
