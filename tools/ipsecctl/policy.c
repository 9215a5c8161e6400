// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl policy add|update|get|del|list|flush|default
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "nl.h"
#include "output.h"
#include "policy.h"
#include "policy_print.h"

/*
 * One request about policies: @pol (the fields it has) goes in
 * KIPSEC_A_POLICY; the policies of the reply, if @list, are collected.
 */
static int policy_talk(const struct ctx *ctx, uint8_t nlcmd,
		       const struct policy *pol, bool dump, struct vec *list)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nl_err e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, ctx->netns, &e))
		return ctx_nl_fail(ctx, &e);
	nlh = nl_msg_start(&nl, buf, nlcmd, 0);
	if (pol->has)
		policy_put(nlh, pol);
	ret = nl_collect(&nl, nlh, dump, KIPSEC_A_POLICY, policy_from_nest, list, &e);
	if (ret)
		ret = ctx_nl_fail(ctx, &e);
	nl_close(&nl);
	return ret;
}

static void print_id(const struct ctx *ctx, uint32_t id)
{
	struct json j;

	if (!ctx->json) {
		printf("id %u\n", id);
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_u64(&j, "id", id);
	json_obj_end(&j);
	json_end(&j);
}

/*
 * Runs @cmd; if @list, what the kernel sends back is collected there.
 * Returns the exit status.
 */
static int policy_run(struct ctx *ctx, int argc, char **argv,
		      enum policy_cmd cmd, uint8_t nlcmd, bool dump,
		      struct vec *list)
{
	struct policy pol;
	struct perr e;

	if (policy_parse(cmd, argc, argv, &pol, &e))
		return ctx_perr(ctx, &e);
	return policy_talk(ctx, nlcmd, &pol, dump, list);
}

/* get and add answer with one policy (add: only its id) */
static int policy_one(struct ctx *ctx, int argc, char **argv,
		      enum policy_cmd cmd, uint8_t nlcmd)
{
	const struct policy *pol;
	struct vec list;
	int ret;

	vec_init(&list, sizeof(struct policy));
	ret = policy_run(ctx, argc, argv, cmd, nlcmd, false, &list);
	if (ret)
		goto cleanup;
	pol = list.v;
	ret = EXIT_FAIL;
	if (!list.n || !(pol->has & POL_ID)) {
		ctx_fail(ctx, "the kernel sent no policy");
		goto cleanup;
	}
	ret = 0;
	if (cmd == POLICY_CMD_ADD)
		print_id(ctx, pol->id);
	else
		policy_print_one(stdout, pol, ctx->json);
cleanup:
	vec_free(&list);
	return ret;
}

static int policy_add(struct ctx *ctx, int argc, char **argv)
{
	return policy_one(ctx, argc, argv, POLICY_CMD_ADD,
			  KIPSEC_CMD_POLICY_ADD);
}

static int policy_get(struct ctx *ctx, int argc, char **argv)
{
	return policy_one(ctx, argc, argv, POLICY_CMD_GET,
			  KIPSEC_CMD_POLICY_GET);
}

static int policy_update(struct ctx *ctx, int argc, char **argv)
{
	return policy_run(ctx, argc, argv, POLICY_CMD_UPDATE,
			  KIPSEC_CMD_POLICY_UPDATE, false, NULL);
}

static int policy_del(struct ctx *ctx, int argc, char **argv)
{
	return policy_run(ctx, argc, argv, POLICY_CMD_DEL,
			  KIPSEC_CMD_POLICY_DEL, false, NULL);
}

static int policy_flush(struct ctx *ctx, int argc, char **argv)
{
	return policy_run(ctx, argc, argv, POLICY_CMD_FLUSH,
			  KIPSEC_CMD_POLICY_FLUSH, false, NULL);
}

static int policy_list(struct ctx *ctx, int argc, char **argv)
{
	struct vec list;
	int ret;

	vec_init(&list, sizeof(struct policy));
	ret = policy_run(ctx, argc, argv, POLICY_CMD_LIST,
			 KIPSEC_CMD_POLICY_GET, true, &list);
	if (ret)
		goto cleanup;
	if (policy_print_list(stdout, list.v, list.n, ctx->json))
		ret = ctx_fail(ctx, "%s", strerror(ENOMEM));
cleanup:
	vec_free(&list);
	return ret;
}

#define POLICY_SET_USAGE(words) \
	"policy " words " [src PREFIX] [dst PREFIX] [proto P]\n" \
	"[sport N[-M]] [dport N[-M]] [type N [code N]] [priority N]\n" \
	"action bypass|discard|protect [esp|ah] [spi SPI] [mode transport|tunnel] [level require|use]\n" \
	"[ah [spi SPI] [mode transport|tunnel] [level require|use]]"

/* update (replace all but the id) is the uapi's, beyond issue 3's grammar */
static const struct cmd policy_cmds[] = {
	{ "add", POLICY_SET_USAGE("add dir in|out"), policy_add },
	{ "update", POLICY_SET_USAGE("update id N dir in|out"), policy_update },
	{ "get", "policy get id N", policy_get },
	{ "del", "policy del id N", policy_del },
	{ "list", "policy list [dir in|out]", policy_list },
	{ "flush", "policy flush [dir in|out]", policy_flush },
	{ "default", "policy default [in|out bypass|discard]",
	  policy_default_run },
};

int policy_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, policy_cmds, ARRAY_SIZE(policy_cmds), argc,
			    argv);
}

void policy_usage(FILE *f, bool *first)
{
	cmd_usage(f, policy_cmds, ARRAY_SIZE(policy_cmds), first);
}
