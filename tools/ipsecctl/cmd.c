// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "nl.h"

#define USAGE_FIRST	"usage: "
#define USAGE_NEXT	"       "
/* continuation lines start under the object word */
#define USAGE_CONT	"                "

static void usage_one(FILE *f, const char *usage, bool *first)
{
	const char *nl;

	fputs(*first ? USAGE_FIRST : USAGE_NEXT, f);
	*first = false;
	fputs("ipsecctl ", f);
	while ((nl = strchr(usage, '\n'))) {
		fprintf(f, "%.*s\n" USAGE_CONT, (int)(nl - usage), usage);
		usage = nl + 1;
	}
	fprintf(f, "%s\n", usage);
}

void cmd_usage(FILE *f, const struct cmd *cmds, size_t n, bool *first)
{
	size_t i;

	for (i = 0; i < n; i++)
		usage_one(f, cmds[i].usage, first);
}

/* "ipsecctl: sa add: " */
static void prefix(const struct ctx *ctx)
{
	fputs("ipsecctl: ", stderr);
	if (!ctx->object)
		return;
	fputs(ctx->object, stderr);
	if (ctx->cmd && ctx->cmd->name)
		fprintf(stderr, " %s", ctx->cmd->name);
	fputs(": ", stderr);
}

int ctx_fail(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	prefix(ctx);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int ctx_perr(const struct ctx *ctx, const struct perr *e)
{
	bool first = true;

	prefix(ctx);
	fprintf(stderr, "%s\n", e->msg);
	if (e->status == EXIT_USAGE && ctx->cmd)
		usage_one(stderr, ctx->cmd->usage, &first);
	return e->status;
}

int ctx_nl_fail(const struct ctx *ctx, const struct nl_err *e)
{
	if (e->no_family) {
		fputs("ipsecctl: kipsec module not loaded (modprobe kipsec)\n",
		      stderr);
		return EXIT_FAIL;
	}
	return ctx_fail(ctx, "%s", nl_strerror(e));
}

int ctx_request(const struct ctx *ctx, uint8_t cmd,
		void (*put)(struct nlmsghdr *nlh, const void *arg),
		const void *arg, nl_cb cb, void *data)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nl_err e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, ctx->netns, &e))
		return ctx_nl_fail(ctx, &e);
	nlh = nl_msg_start(&nl, buf, cmd, 0);
	if (put)
		put(nlh, arg);
	ret = nl_request(&nl, nlh, cb, data, &e);
	if (ret)
		ret = ctx_nl_fail(ctx, &e);
	nl_close(&nl);
	return ret;
}

int ctx_simple_request(const struct ctx *ctx, uint8_t cmd, nl_cb cb,
		       void *data)
{
	return ctx_request(ctx, cmd, NULL, NULL, cb, data);
}

int cmd_dispatch(struct ctx *ctx, const struct cmd *cmds, size_t n, int argc,
		 char **argv)
{
	bool first = true;
	size_t i;

	if (n == 1 && !cmds[0].name) {
		ctx->cmd = &cmds[0];
		return cmds[0].run(ctx, argc, argv);
	}
	if (argc < 1) {
		ctx_fail(ctx, "missing command");
		goto usage;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(cmds[i].name, argv[0])) {
			ctx->cmd = &cmds[i];
			return cmds[i].run(ctx, argc - 1, argv + 1);
		}
	}
	ctx_fail(ctx, "unknown command '%s'", argv[0]);
usage:
	cmd_usage(stderr, cmds, n, &first);
	return EXIT_USAGE;
}

void vec_init(struct vec *vec, size_t size)
{
	memset(vec, 0, sizeof(*vec));
	vec->size = size;
}

void *vec_push(struct vec *vec)
{
	size_t cap;
	void *v;

	if (vec->n == vec->cap) {
		cap = vec->cap ? 2 * vec->cap : 16;
		v = reallocarray(NULL, cap, vec->size);
		if (!v)
			return NULL;
		/* copied by hand so the old copy can be wiped */
		if (vec->n) {
			memcpy(v, vec->v, vec->n * vec->size);
			explicit_bzero(vec->v, vec->n * vec->size);
		}
		free(vec->v);
		vec->v = v;
		vec->cap = cap;
	}
	v = (char *)vec->v + vec->n++ * vec->size;
	memset(v, 0, vec->size);
	return v;
}

/* Empties the vector (a dump restarts); takes void * to be a callback. */
void vec_clear(void *data)
{
	struct vec *vec = data;

	if (vec->v)
		explicit_bzero(vec->v, vec->n * vec->size);
	vec->n = 0;
}

struct collector {
	struct vec *list;
	uint16_t attr;
	int (*decode)(const struct nlattr *nest, void *item);
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	struct collector *c = data;
	void *item;

	if (nl_parse_genl(nlh, nl_kipsec_policy, KIPSEC_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[c->attr])
		return MNL_CB_OK;
	item = vec_push(c->list);
	if (!item) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (c->decode(tb[c->attr], item)) {
		c->list->n--;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static void collect_reset(void *data)
{
	struct collector *c = data;

	vec_clear(c->list);
}

int nl_collect(struct nl *nl, struct nlmsghdr *nlh, bool dump, uint16_t attr,
	       int (*decode)(const struct nlattr *nest, void *item),
	       struct vec *list, struct nl_err *e)
{
	struct collector c = { .list = list, .attr = attr, .decode = decode };

	if (dump)
		return nl_dump(nl, nlh, collect_cb, collect_reset, &c, e);
	return nl_request(nl, nlh, list ? collect_cb : NULL, &c, e);
}

void vec_free(struct vec *vec)
{
	vec_clear(vec);
	free(vec->v);
	vec->v = NULL;
	vec->cap = 0;
}
