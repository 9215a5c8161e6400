// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl sa add|update|get|del|list|flush
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "nl.h"
#include "output.h"
#include "sa.h"
#include "sa_print.h"

#define NO_INTEGRITY_WARNING \
	"ipsecctl: warning: ESP without integrity protection is vulnerable to active attacks\n"

/*
 * One request about SAs: @sa (the fields it has) goes in KIPSEC_A_SA; the
 * SAs of the reply, if @list, are collected there.
 */
static int sa_talk(const struct ctx *ctx, uint8_t nlcmd, const struct sa *sa,
		   bool dump, struct vec *list)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nl_err e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, ctx->netns, &e))
		return ctx_nl_fail(ctx, &e);
	nlh = nl_msg_start(&nl, buf, nlcmd, 0);
	if (list && ctx->show_keys)
		mnl_attr_put_u32(nlh, KIPSEC_A_REQUEST_FLAGS,
				 KIPSEC_REQ_F_SHOW_KEYS);
	if (sa->has)
		sa_put(nlh, sa);
	ret = nl_collect(&nl, nlh, dump, KIPSEC_A_SA, sa_from_nest, list, &e);
	if (ret)
		ret = ctx_nl_fail(ctx, &e);
	explicit_bzero(buf, sizeof(buf));
	nl_close(&nl);
	return ret;
}

int sa_dump_keys(struct nl *nl, struct vec *list, struct nl_err *e)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = nl_msg_start(nl, buf, KIPSEC_CMD_SA_GET, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_REQUEST_FLAGS, KIPSEC_REQ_F_SHOW_KEYS);
	ret = nl_collect(nl, nlh, true, KIPSEC_A_SA, sa_from_nest, list, e);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

static int sa_set(struct ctx *ctx, int argc, char **argv, enum sa_cmd cmd,
		  uint8_t nlcmd)
{
	struct perr e;
	struct sa sa;
	int ret;

	ret = sa_parse(cmd, argc, argv, &sa, &e);
	if (ret) {
		ret = ctx_perr(ctx, &e);
		goto cleanup;
	}
	if (sa.flags & KIPSEC_SA_F_NO_INTEGRITY)
		fputs(NO_INTEGRITY_WARNING, stderr);
	ret = sa_talk(ctx, nlcmd, &sa, false, NULL);
cleanup:
	sa_wipe(&sa);
	return ret;
}

static int sa_add(struct ctx *ctx, int argc, char **argv)
{
	return sa_set(ctx, argc, argv, SA_CMD_ADD, KIPSEC_CMD_SA_ADD);
}

static int sa_update(struct ctx *ctx, int argc, char **argv)
{
	return sa_set(ctx, argc, argv, SA_CMD_UPDATE, KIPSEC_CMD_SA_UPDATE);
}

static int sa_get(struct ctx *ctx, int argc, char **argv)
{
	struct vec list;
	struct perr e;
	struct sa sa;
	int ret;

	vec_init(&list, sizeof(struct sa));
	ret = sa_parse(SA_CMD_GET, argc, argv, &sa, &e);
	if (ret) {
		ret = ctx_perr(ctx, &e);
		goto cleanup;
	}
	ret = sa_talk(ctx, KIPSEC_CMD_SA_GET, &sa, false, &list);
	if (ret)
		goto cleanup;
	ret = EXIT_FAIL;
	if (!list.n) {
		ctx_fail(ctx, "the kernel sent no SA");
		goto cleanup;
	}
	ret = 0;
	sa_print_one(stdout, list.v, ctx->json, ctx->show_keys);
cleanup:
	vec_free(&list);
	sa_wipe(&sa);
	return ret;
}

static int sa_del(struct ctx *ctx, int argc, char **argv)
{
	struct perr e;
	struct sa sa;
	int ret;

	ret = sa_parse(SA_CMD_DEL, argc, argv, &sa, &e);
	if (ret)
		ret = ctx_perr(ctx, &e);
	else
		ret = sa_talk(ctx, KIPSEC_CMD_SA_DEL, &sa, false, NULL);
	sa_wipe(&sa);
	return ret;
}

static int sa_list(struct ctx *ctx, int argc, char **argv)
{
	struct vec list;
	struct perr e;
	struct sa sa;
	int ret;

	vec_init(&list, sizeof(struct sa));
	ret = sa_parse(SA_CMD_LIST, argc, argv, &sa, &e);
	if (ret) {
		ret = ctx_perr(ctx, &e);
		goto cleanup;
	}
	ret = sa_talk(ctx, KIPSEC_CMD_SA_GET, &sa, true, &list);
	if (ret)
		goto cleanup;
	if (sa_print_list(stdout, list.v, list.n, ctx->json,
			  ctx->show_keys)) {
		ret = ctx_fail(ctx, "%s", strerror(ENOMEM));
		goto cleanup;
	}
cleanup:
	vec_free(&list);
	sa_wipe(&sa);
	return ret;
}

static int sa_flush(struct ctx *ctx, int argc, char **argv)
{
	struct perr e;
	struct sa sa;
	int ret;

	ret = sa_parse(SA_CMD_FLUSH, argc, argv, &sa, &e);
	if (ret)
		ret = ctx_perr(ctx, &e);
	else
		ret = sa_talk(ctx, KIPSEC_CMD_SA_FLUSH, &sa, false, NULL);
	sa_wipe(&sa);
	return ret;
}

#define SA_SET_USAGE(verb) \
	"sa " verb " src ADDR dst ADDR proto esp|ah spi SPI [mode transport|tunnel]\n" \
	"[enc ALG (key 0xHEX | keyfile PATH)] [auth ALG (key 0xHEX | keyfile PATH)]\n" \
	"[no-integrity] [replay-window N] [esn] [seq N]\n" \
	"[soft|hard bytes|packets|add-seconds|use-seconds N]..."

static const struct cmd sa_cmds[] = {
	{ "add", SA_SET_USAGE("add"), sa_add },
	{ "update", SA_SET_USAGE("update"), sa_update },
	{ "get", "sa get dst ADDR proto esp|ah spi SPI", sa_get },
	{ "del", "sa del dst ADDR proto esp|ah spi SPI", sa_del },
	{ "list", "sa list [dst ADDR] [proto esp|ah]", sa_list },
	{ "flush", "sa flush [proto esp|ah]", sa_flush },
};

int sa_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, sa_cmds, ARRAY_SIZE(sa_cmds), argc, argv);
}

void sa_usage(FILE *f, bool *first)
{
	cmd_usage(f, sa_cmds, ARRAY_SIZE(sa_cmds), first);
}
