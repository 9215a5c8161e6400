// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl config [default-in|default-out bypass|discard] [esp|ah on|off]
 * ipsecctl policy default [in|out bypass|discard]
 *
 * The per-namespace settings: what happens to packets no policy matches,
 * and the switches that turn ESP or AH processing off (kipsec's
 * net.inet.esp.enable and net.inet.ah.enable).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "nl.h"

static const struct name_val default_actions[] = {
	{ "bypass", KIPSEC_ACTION_BYPASS },
	{ "discard", KIPSEC_ACTION_DISCARD },
};

static const struct name_val switches[] = {
	{ "on", 1 },
	{ "off", 0 },
};

const struct name_table default_action_names =
	NAME_TABLE("bypass|discard", default_actions);
const struct name_table switch_names = NAME_TABLE("on|off", switches);

static int args_u8_name(struct args *a, const struct name_table *t,
			uint8_t *v, struct perr *e)
{
	unsigned int val;

	if (args_name(a, t, &val, e))
		return -1;
	*v = val;
	return 0;
}

static int w_default_in(struct args *a, void *obj, struct perr *e)
{
	struct kconfig *cfg = obj;

	return args_u8_name(a, &default_action_names, &cfg->default_in, e);
}

static int w_default_out(struct args *a, void *obj, struct perr *e)
{
	struct kconfig *cfg = obj;

	return args_u8_name(a, &default_action_names, &cfg->default_out, e);
}

static int w_esp(struct args *a, void *obj, struct perr *e)
{
	struct kconfig *cfg = obj;

	return args_u8_name(a, &switch_names, &cfg->esp, e);
}

static int w_ah(struct args *a, void *obj, struct perr *e)
{
	struct kconfig *cfg = obj;

	return args_u8_name(a, &switch_names, &cfg->ah, e);
}

static const struct word config_words_tab[] = {
	WORD("default-in", CFG_DEFAULT_IN, "default-in bypass|discard",
	     w_default_in),
	WORD("default-out", CFG_DEFAULT_OUT, "default-out bypass|discard",
	     w_default_out),
	WORD("esp", CFG_ESP, "esp on|off", w_esp),
	WORD("ah", CFG_AH, "ah on|off", w_ah),
};

int config_parse(int argc, char **argv, struct kconfig *cfg, struct perr *e)
{
	struct args a;

	memset(cfg, 0, sizeof(*cfg));
	args_init(&a, argc, argv);
	return parse_words(&a, config_words_tab, ARRAY_SIZE(config_words_tab),
			   CFG_ALL, &cfg->has, cfg, e);
}

/* Positional, as the issue words it: "policy default in discard". */
int policy_default_parse(int argc, char **argv, struct kconfig *cfg,
			 struct perr *e)
{
	unsigned int dir;
	struct args a;
	uint8_t action;

	memset(cfg, 0, sizeof(*cfg));
	if (!argc)
		return 0;
	if (name_lookup(&dir_names, argv[0], &dir))
		return perr_usage(e, "'%s' is not one of in|out", argv[0]);
	args_init(&a, argc, argv);
	a.i = 1;
	a.word = argv[0];
	if (args_u8_name(&a, &default_action_names, &action, e))
		return -1;
	if (a.i < argc)
		return perr_usage(e, "unexpected word '%s'", argv[a.i]);
	if (dir == KIPSEC_DIR_IN) {
		cfg->has = CFG_DEFAULT_IN;
		cfg->default_in = action;
	} else {
		cfg->has = CFG_DEFAULT_OUT;
		cfg->default_out = action;
	}
	return 0;
}

void config_put(struct nlmsghdr *nlh, const struct kconfig *cfg)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_CONFIG);

	if (cfg->has & CFG_DEFAULT_IN)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_DEFAULT_IN,
				cfg->default_in);
	if (cfg->has & CFG_DEFAULT_OUT)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_DEFAULT_OUT,
				cfg->default_out);
	if (cfg->has & CFG_ESP)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_ESP, cfg->esp);
	if (cfg->has & CFG_AH)
		mnl_attr_put_u8(nlh, KIPSEC_A_CONFIG_AH, cfg->ah);
	mnl_attr_nest_end(nlh, nest);
}

static const struct nl_policy config_policy[KIPSEC_A_CONFIG_MAX + 1] = {
	[KIPSEC_A_CONFIG_DEFAULT_IN] = { MNL_TYPE_U8 },
	[KIPSEC_A_CONFIG_DEFAULT_OUT] = { MNL_TYPE_U8 },
	[KIPSEC_A_CONFIG_ESP] = { MNL_TYPE_U8 },
	[KIPSEC_A_CONFIG_AH] = { MNL_TYPE_U8 },
};

/* Each setting: its bit, attribute, words and place in struct kconfig. */
static const struct config_field_desc {
	unsigned int bit;
	uint16_t attr;
	const char *word;
	const char *json;
	const struct name_table *names;
	size_t offset;
} config_fields[] = {
	{ CFG_DEFAULT_IN, KIPSEC_A_CONFIG_DEFAULT_IN, "default-in",
	  "default_in", &default_action_names,
	  offsetof(struct kconfig, default_in) },
	{ CFG_DEFAULT_OUT, KIPSEC_A_CONFIG_DEFAULT_OUT, "default-out",
	  "default_out", &default_action_names,
	  offsetof(struct kconfig, default_out) },
	{ CFG_ESP, KIPSEC_A_CONFIG_ESP, "esp", "esp", &switch_names,
	  offsetof(struct kconfig, esp) },
	{ CFG_AH, KIPSEC_A_CONFIG_AH, "ah", "ah", &switch_names,
	  offsetof(struct kconfig, ah) },
};

static uint8_t field_val(const struct kconfig *cfg,
			 const struct config_field_desc *d)
{
	return *((const uint8_t *)cfg + d->offset);
}

int config_from_nest(const struct nlattr *nest, struct kconfig *cfg)
{
	const struct nlattr *tb[KIPSEC_A_CONFIG_MAX + 1];
	const struct config_field_desc *d;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	if (nl_parse_nested(nest, config_policy, KIPSEC_A_CONFIG_MAX, tb))
		return -1;
	for (i = 0; i < ARRAY_SIZE(config_fields); i++) {
		d = &config_fields[i];
		if (!tb[d->attr])
			continue;
		*((uint8_t *)cfg + d->offset) = mnl_attr_get_u8(tb[d->attr]);
		cfg->has |= d->bit;
	}
	return 0;
}

void config_words(FILE *f, const struct kconfig *cfg)
{
	const struct config_field_desc *d;
	const char *sep = "";
	char num[NUM_STR_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(config_fields); i++) {
		d = &config_fields[i];
		if (!(cfg->has & d->bit))
			continue;
		fprintf(f, "%s%s %s", sep, d->word,
			name_or_num(d->names, field_val(cfg, d), num));
		sep = " ";
	}
}

/* Switches are booleans in JSON, defaults their action's name. */
void config_json_members(struct json *j, const struct kconfig *cfg)
{
	const struct config_field_desc *d;
	const char *name;
	uint8_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(config_fields); i++) {
		d = &config_fields[i];
		if (!(cfg->has & d->bit))
			continue;
		v = field_val(cfg, d);
		name = name_of(d->names, v);
		if (d->names == &switch_names)
			json_bool(j, d->json, v);
		else if (name)
			json_str(j, d->json, name);
		else
			json_u64(j, d->json, v);
	}
}

void config_print(FILE *f, const struct kconfig *cfg, bool json)
{
	const struct config_field_desc *d;
	struct json j;
	char num[NUM_STR_MAX];
	size_t i;

	if (json) {
		json_init(&j, f);
		json_obj_begin(&j, NULL);
		config_json_members(&j, cfg);
		json_obj_end(&j);
		json_end(&j);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(config_fields); i++) {
		d = &config_fields[i];
		if (cfg->has & d->bit)
			fprintf(f, "%s %s\n", d->word,
				name_or_num(d->names, field_val(cfg, d), num));
	}
}

void policy_default_print(FILE *f, const struct kconfig *cfg, bool json)
{
	/* the first two rows of config_fields[] are the defaults */
	static const char *const dir[] = { "in", "out" };
	const struct config_field_desc *d;
	struct json j;
	char num[NUM_STR_MAX];
	const char *s;
	size_t i;

	if (json) {
		json_init(&j, f);
		json_obj_begin(&j, NULL);
	}
	for (i = 0; i < ARRAY_SIZE(dir); i++) {
		d = &config_fields[i];
		if (!(cfg->has & d->bit))
			continue;
		s = name_or_num(d->names, field_val(cfg, d), num);
		if (!json)
			fprintf(f, "%s %s\n", dir[i], s);
		else if (name_of(d->names, field_val(cfg, d)))
			json_str(&j, dir[i], s);
		else
			json_u64(&j, dir[i], field_val(cfg, d));
	}
	if (json) {
		json_obj_end(&j);
		json_end(&j);
	}
}

int config_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	struct kconfig *cfg = data;

	if (nl_parse_genl(nlh, nl_kipsec_policy, KIPSEC_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[KIPSEC_A_CONFIG])
		return MNL_CB_OK;
	return config_from_nest(tb[KIPSEC_A_CONFIG], cfg) ? MNL_CB_ERROR :
							     MNL_CB_OK;
}

static void put_config(struct nlmsghdr *nlh, const void *cfg)
{
	config_put(nlh, cfg);
}

static int config_set(const struct ctx *ctx, const struct kconfig *cfg)
{
	return ctx_request(ctx, KIPSEC_CMD_SET_CONFIG, put_config, cfg, NULL,
			   NULL);
}

/* @want: the settings that must be in the reply. */
static int config_get(const struct ctx *ctx, struct kconfig *cfg,
		      unsigned int want)
{
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = ctx_simple_request(ctx, KIPSEC_CMD_GET_CONFIG, config_reply_cb, cfg);
	if (ret)
		return ret;
	if (!(cfg->has & want))
		return ctx_fail(ctx, "the kernel sent no settings");
	return 0;
}

static int config_run(struct ctx *ctx, int argc, char **argv)
{
	struct kconfig cfg;
	struct perr e;
	int ret;

	if (config_parse(argc, argv, &cfg, &e))
		return ctx_perr(ctx, &e);
	if (cfg.has)
		return config_set(ctx, &cfg);
	ret = config_get(ctx, &cfg, CFG_ALL);
	if (!ret)
		config_print(stdout, &cfg, ctx->json);
	return ret;
}

int policy_default_run(struct ctx *ctx, int argc, char **argv)
{
	struct kconfig cfg;
	struct perr e;
	int ret;

	if (policy_default_parse(argc, argv, &cfg, &e))
		return ctx_perr(ctx, &e);
	if (cfg.has)
		return config_set(ctx, &cfg);
	ret = config_get(ctx, &cfg, CFG_DEFAULT_IN | CFG_DEFAULT_OUT);
	if (!ret)
		policy_default_print(stdout, &cfg, ctx->json);
	return ret;
}

static const struct cmd config_cmds[] = {
	{ NULL, "config [default-in bypass|discard] [default-out bypass|discard]\n"
		"[esp on|off] [ah on|off]", config_run },
};

int config_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, config_cmds, ARRAY_SIZE(config_cmds), argc,
			    argv);
}

void config_usage(FILE *f, bool *first)
{
	cmd_usage(f, config_cmds, ARRAY_SIZE(config_cmds), first);
}
