// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl version: the tool's version, the module's, and the algorithms
 * the running kernel can provide.
 */
#include <errno.h>
#include <string.h>

#include "algs.h"
#include "args.h"
#include "cmd.h"
#include "info.h"
#include "nl.h"
#include "output.h"

static const struct nl_policy alg_policy[KIPSEC_A_ALG_MAX + 1] = {
	[KIPSEC_A_ALG_NAME] = { MNL_TYPE_NUL_STRING },
	[KIPSEC_A_ALG_TYPE] = { MNL_TYPE_U8 },
	[KIPSEC_A_ALG_KEY_LEN] = { MNL_TYPE_U16 },
	[KIPSEC_A_ALG_ICV_LEN] = { MNL_TYPE_U16 },
};

static int copy_str(char *dst, size_t size, const struct nlattr *attr)
{
	const char *s = mnl_attr_get_str(attr);

	if (strlen(s) >= size)
		return -1;
	strcpy(dst, s);
	return 0;
}

static int get_alg(const struct nlattr *nest, struct info_alg *alg)
{
	const struct nlattr *tb[KIPSEC_A_ALG_MAX + 1];

	if (nl_parse_nested(nest, alg_policy, KIPSEC_A_ALG_MAX, tb) ||
	    !tb[KIPSEC_A_ALG_NAME] ||
	    copy_str(alg->name, sizeof(alg->name), tb[KIPSEC_A_ALG_NAME]))
		return -1;
	if (tb[KIPSEC_A_ALG_TYPE])
		alg->type = mnl_attr_get_u8(tb[KIPSEC_A_ALG_TYPE]);
	if (tb[KIPSEC_A_ALG_KEY_LEN])
		alg->key_len = mnl_attr_get_u16(tb[KIPSEC_A_ALG_KEY_LEN]);
	if (tb[KIPSEC_A_ALG_ICV_LEN])
		alg->icv_len = mnl_attr_get_u16(tb[KIPSEC_A_ALG_ICV_LEN]);
	return 0;
}

static int get_algs(const struct nlattr *nest, struct info *info)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != KIPSEC_A_ALG)
			continue;
		if (info->n_algs == INFO_ALGS_MAX ||
		    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    get_alg(attr, &info->algs[info->n_algs]))
			return -1;
		info->n_algs++;
	}
	return 0;
}

int info_from_msg(const struct nlmsghdr *nlh, struct info *info)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (nl_parse_genl(nlh, nl_kipsec_policy, KIPSEC_A_MAX, tb))
		return -1;
	if (tb[KIPSEC_A_VERSION]) {
		if (copy_str(info->version, sizeof(info->version),
			     tb[KIPSEC_A_VERSION]))
			goto malformed;
		info->has_version = true;
	}
	if (tb[KIPSEC_A_ALGS] && get_algs(tb[KIPSEC_A_ALGS], info))
		goto malformed;
	return 0;

malformed:
	errno = EPROTO;
	return -1;
}

static const char *type_str(uint8_t type, char *buf, size_t size)
{
	const char *name = alg_type_name(type);

	if (name)
		return name;
	snprintf(buf, size, "%u", type);
	return buf;
}

static void info_json(FILE *f, const struct info *info)
{
	const struct info_alg *alg;
	struct json j;
	unsigned int i;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "ipsecctl", IPSECCTL_VERSION);
	if (info && info->has_version)
		json_str(&j, "module", info->version);
	if (info) {
		json_arr_begin(&j, "algorithms");
		for (i = 0; i < info->n_algs; i++) {
			alg = &info->algs[i];
			json_obj_begin(&j, NULL);
			json_str(&j, "name", alg->name);
			if (alg_type_name(alg->type))
				json_str(&j, "type", alg_type_name(alg->type));
			else
				json_u64(&j, "type", alg->type);
			json_u64(&j, "key_len", alg->key_len);
			json_u64(&j, "icv_len", alg->icv_len);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	json_obj_end(&j);
	json_end(&j);
}

static const char *const alg_head[] = {
	"ALGORITHM", "TYPE", "KEY-LEN", "ICV-LEN",
};

/* After the "ipsecctl VERSION" line. */
static int info_text(FILE *f, const struct info *info)
{
	char type[8], key_len[8], icv_len[8];
	const struct info_alg *alg;
	const char *row[ARRAY_SIZE(alg_head)];
	struct table t;
	unsigned int i;
	int ret = 0;

	fprintf(f, "kipsec module %s\n",
		info->has_version ? info->version : "unknown");
	table_init(&t, alg_head, ARRAY_SIZE(alg_head));
	for (i = 0; i < info->n_algs && !ret; i++) {
		alg = &info->algs[i];
		snprintf(key_len, sizeof(key_len), "%u", alg->key_len);
		snprintf(icv_len, sizeof(icv_len), "%u", alg->icv_len);
		row[0] = alg->name;
		row[1] = type_str(alg->type, type, sizeof(type));
		row[2] = key_len;
		row[3] = icv_len;
		ret = table_add(&t, row);
	}
	if (!ret)
		table_print(&t, f);
	table_free(&t);
	return ret;
}

static void tool_version(FILE *f)
{
	fprintf(f, "ipsecctl %s\n", IPSECCTL_VERSION);
}

void info_print(FILE *f, const struct info *info, bool json)
{
	if (json) {
		info_json(f, info);
		return;
	}
	tool_version(f);
	if (info)
		info_text(f, info);
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	return info_from_msg(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int get_info(const struct ctx *ctx, struct info *info)
{
	return ctx_simple_request(ctx, KIPSEC_CMD_GET_INFO, info_cb, info);
}

/* The tool's version is printed even when the module cannot be asked. */
static int version_run(struct ctx *ctx, int argc, char **argv)
{
	struct info info;
	struct perr e;
	int ret;

	if (argc > 0) {
		perr_usage(&e, "unexpected word '%s'", argv[0]);
		return ctx_perr(ctx, &e);
	}
	memset(&info, 0, sizeof(info));
	if (!ctx->json) {
		/* before any error about the module */
		tool_version(stdout);
		fflush(stdout);
	}
	ret = get_info(ctx, &info);
	if (ctx->json)
		info_json(stdout, ret ? NULL : &info);
	else if (!ret)
		info_text(stdout, &info);
	return ret;
}

static const struct cmd version_cmds[] = {
	{ NULL, "version", version_run },
};

int version_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, version_cmds, ARRAY_SIZE(version_cmds), argc,
			    argv);
}

void version_usage(FILE *f, bool *first)
{
	cmd_usage(f, version_cmds, ARRAY_SIZE(version_cmds), first);
}
