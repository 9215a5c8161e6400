// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl import setkey|openbsd FILE: the command, the statement lexer
 * both formats share, and the SA and policy lines they produce.  Every
 * produced line goes through the grammar's own parser before it is
 * printed, so the output is always something `ipsecctl -f` accepts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "cmd.h"
#include "import.h"
#include "policy.h"
#include "sa.h"

/* A configuration is text a person wrote; anything larger is a mistake. */
#define IMPORT_FILE_MAX	(16U << 20)

static bool sbuf_grow(struct sbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *s;

	while (cap < need)
		cap *= 2;
	s = malloc(cap);
	if (!s)
		return false;
	/* copied by hand so the old copy, keys and all, can be wiped */
	if (b->s) {
		memcpy(s, b->s, b->n + 1);
		explicit_bzero(b->s, b->cap);
		free(b->s);
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (b->oom)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !sbuf_grow(b, b->n + len + 1)) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, len + 1, fmt, ap);
	va_end(ap);
	b->n += len;
}

void sbuf_free(struct sbuf *b)
{
	if (b->s)
		explicit_bzero(b->s, b->cap);
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static int res_set(struct imp_res *r, const struct imp_tok *at,
		   const char *what, const char *fmt, va_list ap)
{
	if (at)
		r->line = at->line;
	snprintf(r->what, sizeof(r->what), "%s", what);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	return 0;
}

int imp_skip(struct imp_res *r, const struct imp_tok *at, const char *what,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	res_set(r, at, what, fmt, ap);
	va_end(ap);
	return IMP_SKIP;
}

void imp_note(struct imp_res *r, const struct imp_tok *at, const char *what,
	      const char *fmt, ...)
{
	va_list ap;

	if (r->noted)
		return;
	r->noted = true;
	va_start(ap, fmt);
	res_set(r, at, what, fmt, ap);
	va_end(ap);
}

int imp_bad(struct imp_res *r, const struct imp_tok *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	res_set(r, at, "", fmt, ap);
	va_end(ap);
	return IMP_BAD;
}

const struct imp_tok *next(struct cur *c, const char *what,
			   struct imp_res *r)
{
	const struct imp_tok *t = peek(c);

	if (!t) {
		imp_bad(r, last(c), "missing %s", what);
		return NULL;
	}
	c->i++;
	return t;
}

bool imp_hex_key(const char *s, struct imp_key *k)
{
	memset(k, 0, sizeof(*k));
	return parse_hex_key(s, false, k->b, &k->len) == HEX_OK;
}

bool imp_addr(const char *s, struct ip_addr *a)
{
	return !strchr(s, '/') && !parse_addr(s, a);
}

bool imp_upper_proto(const char *s, uint8_t *proto)
{
	unsigned int val;
	uint64_t n;

	if (!name_lookup(&upper_proto_names, s, &val)) {
		*proto = val;
		return true;
	}
	if (parse_u64(s, UINT8_MAX, &n))
		return false;
	*proto = n;
	return true;
}

bool imp_u32(const char *s, uint32_t *v)
{
	uint64_t n;

	if (parse_u64(s, UINT32_MAX, &n))
		return false;
	*v = n;
	return true;
}

/*
 * The key in the printed line, or (@check) a zero key of the
 * algorithm's length in place of a key file the parser must not read.
 */
static void put_key(struct sbuf *b, const struct imp_key *k,
		    const struct alg *alg, bool check)
{
	char hex[HEX_STR_MAX];
	uint8_t zero[KEY_MAX_LEN] = { 0 };

	if (k->file && !check) {
		sbuf_printf(b, " keyfile %s", k->file);
		return;
	}
	if (k->file)
		hex_str(zero, alg->key_len, hex);
	else
		hex_str(k->b, k->len, hex);
	sbuf_printf(b, " key %s", hex);
	explicit_bzero(hex, sizeof(hex));
}

static void format_sa(struct sbuf *b, const struct imp_sa *sa, bool check)
{
	static const char *const kinds[2] = { "soft", "hard" };
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX];
	int i;

	sbuf_printf(b, "sa add src %s dst %s proto %s spi 0x%x mode transport",
		    addr_str(&sa->src, src), addr_str(&sa->dst, dst),
		    sa->proto == IPPROTO_AH ? "ah" : "esp", sa->spi);
	if (sa->enc) {
		sbuf_printf(b, " enc %s", sa->enc->name);
		put_key(b, &sa->enc_key, sa->enc, check);
	}
	if (sa->auth) {
		sbuf_printf(b, " auth %s", sa->auth->name);
		put_key(b, &sa->auth_key, sa->auth, check);
	}
	if (sa->no_integrity)
		sbuf_printf(b, " no-integrity");
	if (sa->has_replay)
		sbuf_printf(b, " replay-window %u", sa->replay);
	for (i = 0; i < 2; i++) {
		if (sa->bytes[i])
			sbuf_printf(b, " %s bytes %llu", kinds[i],
				    (unsigned long long)sa->bytes[i]);
		if (sa->seconds[i])
			sbuf_printf(b, " %s add-seconds %llu", kinds[i],
				    (unsigned long long)sa->seconds[i]);
	}
	sbuf_printf(b, "\n");
}

static void format_pol(struct sbuf *b, const struct imp_pol *pol)
{
	char buf[ADDR_STR_MAX];
	unsigned int i;

	sbuf_printf(b, "policy add dir %s",
		    pol->dir == KIPSEC_DIR_IN ? "in" : "out");
	if (pol->src.addr.family)
		sbuf_printf(b, " src %s", prefix_str(&pol->src, buf));
	if (pol->dst.addr.family)
		sbuf_printf(b, " dst %s", prefix_str(&pol->dst, buf));
	if (pol->has_proto)
		sbuf_printf(b, " proto %s", name_or_num(&upper_proto_names,
							pol->proto, buf));
	if (pol->sport)
		sbuf_printf(b, " sport %u", pol->sport);
	if (pol->dport)
		sbuf_printf(b, " dport %u", pol->dport);
	if (pol->has_priority)
		sbuf_printf(b, " priority %u", pol->priority);
	sbuf_printf(b, " action %s", name_of(&action_names, pol->action));
	for (i = 0; i < pol->n_tmpls; i++)
		sbuf_printf(b, " %s level %s",
			    pol->tmpls[i].proto == IPPROTO_AH ? "ah" : "esp",
			    name_of(&level_names, pol->tmpls[i].level));
	sbuf_printf(b, "\n");
}

#define CHECK_ARGV_MAX	64

/* "sa add ...\n" to the words after the first two, in place. */
static int split_line(char *line, char **argv)
{
	char *save = NULL, *w;
	int argc = 0;

	w = strtok_r(line, "\n ", &save);
	if (w)
		w = strtok_r(NULL, "\n ", &save);
	while (w && argc < CHECK_ARGV_MAX - 1) {
		w = strtok_r(NULL, "\n ", &save);
		if (w)
			argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

int imp_emit_sa(struct sbuf *out, const struct imp_sa *sa,
		const struct imp_tok *at, struct imp_res *r)
{
	char *argv[CHECK_ARGV_MAX];
	struct sbuf check = { 0 };
	struct perr e = { 0 };
	struct sa parsed;
	int argc, ret = IMP_OK;

	format_sa(&check, sa, true);
	if (check.oom) {
		ret = imp_bad(r, at, "%s", strerror(ENOMEM));
		goto cleanup;
	}
	argc = split_line(check.s, argv);
	if (sa_parse(SA_CMD_ADD, argc, argv, &parsed, &e))
		ret = imp_skip(r, at, "SA", "%s", e.msg);
	sa_wipe(&parsed);
	if (ret == IMP_OK)
		format_sa(out, sa, false);
cleanup:
	sbuf_free(&check);
	return ret;
}

int imp_emit_pol(struct sbuf *out, const struct imp_pol *pol,
		 const struct imp_tok *at, struct imp_res *r)
{
	char *argv[CHECK_ARGV_MAX];
	struct sbuf check = { 0 };
	struct perr e = { 0 };
	struct policy parsed;
	int argc, ret = IMP_OK;

	format_pol(&check, pol);
	if (check.oom) {
		ret = imp_bad(r, at, "%s", strerror(ENOMEM));
		goto cleanup;
	}
	argc = split_line(check.s, argv);
	if (policy_parse(POLICY_CMD_ADD, argc, argv, &parsed, &e))
		ret = imp_skip(r, at, "policy", "%s", e.msg);
	else
		format_pol(out, pol);
cleanup:
	sbuf_free(&check);
	return ret;
}

/* Lexer state: tokens are copied into @arena, one NUL after each. */
struct lexer {
	const char *p;
	unsigned int line;
	bool setkey;
	char *arena;
	size_t used;
	struct imp_stmt *stmts;
	size_t n;
	struct imp_stmt cur;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Characters that are tokens of their own in ipsec.conf. */
static bool is_single(const struct lexer *lx, char c)
{
	return lx->setkey ? c == ';' : strchr("{},=", c) != NULL;
}

static bool ends_word(const struct lexer *lx, char c)
{
	return !c || c == '\n' || is_blank(c) || c == '#' || c == '"' ||
	       is_single(lx, c) || (!lx->setkey && c == '\\');
}

static int push_tok(struct lexer *lx, const char *s, size_t len, bool quoted,
		    unsigned int line)
{
	struct imp_tok *t;

	if (!lx->cur.n)
		lx->cur.line = line;
	t = reallocarray(lx->cur.t, lx->cur.n + 1, sizeof(*t));
	if (!t)
		return -1;
	lx->cur.t = t;
	t = &lx->cur.t[lx->cur.n++];
	t->s = lx->arena + lx->used;
	memcpy(t->s, s, len);
	t->s[len] = '\0';
	lx->used += len + 1;
	t->line = line;
	t->quoted = quoted;
	return 0;
}

static int end_stmt(struct lexer *lx)
{
	struct imp_stmt *s;

	if (!lx->cur.n)
		return 0;
	s = reallocarray(lx->stmts, lx->n + 1, sizeof(*s));
	if (!s)
		return -1;
	lx->stmts = s;
	lx->stmts[lx->n++] = lx->cur;
	memset(&lx->cur, 0, sizeof(lx->cur));
	return 0;
}

/* One token, comment, separator or newline at lx->p; -1 on ENOMEM. */
static int lex_one(struct lexer *lx, struct imp_res *r, bool *bad)
{
	const char *p = lx->p, *end;
	char c = *p;

	if (c == '\n') {
		lx->line++;
		lx->p++;
		return lx->setkey ? 0 : end_stmt(lx);
	}
	if (is_blank(c)) {
		lx->p++;
		return 0;
	}
	if (c == '#') {
		end = strchr(p, '\n');
		lx->p = end ? end : p + strlen(p);
		return 0;
	}
	if (!lx->setkey && c == '\\') {
		if (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')) {
			lx->p += p[1] == '\n' ? 2 : 3;
			lx->line++;
			return 0;
		}
		imp_bad(r, NULL, "'\\' not at the end of the line");
		r->line = lx->line;
		*bad = true;
		return 0;
	}
	if (c == '"') {
		end = strpbrk(p + 1, "\"\n");
		if (!end || *end != '"') {
			imp_bad(r, NULL, "unterminated quoted string");
			r->line = lx->line;
			*bad = true;
			return 0;
		}
		lx->p = end + 1;
		return push_tok(lx, p + 1, end - p - 1, true, lx->line);
	}
	if (lx->setkey && c == ';') {
		lx->p++;
		if (!lx->cur.n) {
			imp_bad(r, NULL, "';' without a command");
			r->line = lx->line;
			*bad = true;
			return 0;
		}
		return end_stmt(lx);
	}
	if (is_single(lx, c)) {
		lx->p++;
		return push_tok(lx, p, 1, false, lx->line);
	}
	for (end = p; !ends_word(lx, *end); end++)
		;
	lx->p = end;
	return push_tok(lx, p, end - p, false, lx->line);
}

int imp_lex(const char *format, const char *text, struct imp_doc *doc,
	    struct imp_res *r)
{
	size_t len = strlen(text);
	struct lexer lx = {
		.p = text,
		.line = 1,
		.setkey = !strcmp(format, "setkey"),
	};
	bool bad = false;
	int ret = IMP_OK;

	memset(doc, 0, sizeof(*doc));
	/* every token is at most its text plus a NUL */
	lx.arena = malloc(2 * len + 1);
	if (!lx.arena)
		return imp_bad(r, NULL, "%s", strerror(ENOMEM));
	while (*lx.p && !bad && ret == IMP_OK)
		if (lex_one(&lx, r, &bad))
			ret = imp_bad(r, NULL, "%s", strerror(ENOMEM));
	if (bad)
		ret = IMP_BAD;
	if (ret == IMP_OK && lx.setkey && lx.cur.n)
		ret = imp_bad(r, &lx.cur.t[0], "'%s' is not ended by ';'",
			      lx.cur.t[0].s);
	if (ret == IMP_OK && end_stmt(&lx))
		ret = imp_bad(r, NULL, "%s", strerror(ENOMEM));
	free(lx.cur.t);
	doc->stmts = lx.stmts;
	doc->n = lx.n;
	doc->arena = lx.arena;
	doc->arena_size = 2 * len + 1;
	return ret;
}

void imp_doc_free(struct imp_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n; i++)
		free(doc->stmts[i].t);
	free(doc->stmts);
	if (doc->arena)
		explicit_bzero(doc->arena, doc->arena_size);
	free(doc->arena);
	memset(doc, 0, sizeof(*doc));
}

static void report_skip(const char *format, const char *path,
			const struct imp_res *r, struct sbuf *out,
			struct sbuf *err)
{
	sbuf_printf(out, "# not translated (%s:%u): %s: %s\n", path, r->line,
		    r->what, r->why);
	sbuf_printf(err, "ipsecctl: import %s: %s:%u: cannot translate %s: %s\n",
		    format, path, r->line, r->what, r->why);
}

int import_text(const char *format, const char *path, const char *text,
		struct sbuf *out, struct sbuf *err)
{
	imp_translate_fn fn = strcmp(format, "setkey") ? imp_openbsd :
							 imp_setkey;
	struct imp_res r = { .line = 1 };
	struct imp_doc doc;
	struct sbuf one;
	unsigned int skipped = 0;
	size_t i;
	int ret;

	ret = imp_lex(format, text, &doc, &r);
	for (i = 0; ret != IMP_BAD && i < doc.n; i++) {
		memset(&one, 0, sizeof(one));
		r.line = doc.stmts[i].line;
		r.noted = false;
		ret = fn(&doc.stmts[i], &one, &r);
		if (ret == IMP_OK)
			sbuf_printf(out, "%s", one.s ? one.s : "");
		if (ret == IMP_SKIP) {
			skipped++;
			report_skip(format, path, &r, out, err);
		}
		sbuf_free(&one);
	}
	imp_doc_free(&doc);
	if (ret == IMP_BAD) {
		sbuf_free(out);
		sbuf_free(err);
		sbuf_printf(err, "ipsecctl: import %s: %s:%u: %s\n", format,
			    path, r.line, r.why);
		return EXIT_FAIL;
	}
	if (out->oom || err->oom) {
		sbuf_free(out);
		sbuf_free(err);
		sbuf_printf(err, "ipsecctl: import %s: %s\n", format,
			    strerror(ENOMEM));
		return EXIT_FAIL;
	}
	return skipped ? EXIT_FAIL : 0;
}

/* The whole file, NUL-terminated, in a buffer the caller wipes. */
static int read_all(const struct ctx *ctx, const char *path, char **text,
		    size_t *cap)
{
	struct sbuf b = { 0 };
	char chunk[4096];
	ssize_t got;
	int fd, ret = 0;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return ctx_fail(ctx, "%s: %s", path, strerror(errno));
	while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
		if (memchr(chunk, '\0', got) || b.n + got > IMPORT_FILE_MAX) {
			ret = ctx_fail(ctx, "%s: not a text configuration",
				       path);
			goto cleanup;
		}
		sbuf_printf(&b, "%.*s", (int)got, chunk);
	}
	if (got < 0)
		ret = ctx_fail(ctx, "%s: %s", path, strerror(errno));
	else if (b.oom)
		ret = ctx_fail(ctx, "%s", strerror(ENOMEM));
	else if (!b.s)
		sbuf_printf(&b, "%s", "");
cleanup:
	explicit_bzero(chunk, sizeof(chunk));
	if (fd)
		close(fd);
	if (ret || b.oom) {
		sbuf_free(&b);
		return ret ? ret : EXIT_FAIL;
	}
	*text = b.s;
	*cap = b.cap;
	return 0;
}

static int import_run(struct ctx *ctx, int argc, char **argv)
{
	struct sbuf out = { 0 }, err = { 0 };
	struct perr e = { 0 };
	char *text = NULL;
	size_t cap = 0;
	int ret;

	if (argc != 1) {
		perr_usage(&e, argc ? "one FILE only" : "missing FILE");
		return ctx_perr(ctx, &e);
	}
	ret = read_all(ctx, argv[0], &text, &cap);
	if (ret)
		return ret;
	ret = import_text(ctx->cmd->name, argv[0], text, &out, &err);
	if (out.n && (fwrite(out.s, 1, out.n, stdout) != out.n ||
		      fflush(stdout))) {
		ret = ctx_fail(ctx, "standard output: %s", strerror(errno));
	}
	if (err.n)
		fputs(err.s, stderr);
	explicit_bzero(text, cap);
	free(text);
	sbuf_free(&out);
	sbuf_free(&err);
	return ret;
}

static const struct cmd import_cmds[] = {
	{ "setkey", "import setkey FILE", import_run },
	{ "openbsd", "import openbsd FILE", import_run },
};

int import_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, import_cmds, ARRAY_SIZE(import_cmds), argc,
			    argv);
}

void import_usage(FILE *f, bool *first)
{
	cmd_usage(f, import_cmds, ARRAY_SIZE(import_cmds), first);
}
