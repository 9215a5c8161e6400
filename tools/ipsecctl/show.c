// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl [-s] show: the running configuration as a file that
 * `ipsecctl -f` reloads to the same state.  It starts with the flushes, so
 * loading it replaces whatever runs then; the keys are written only with
 * -s, as in every other output.
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "policy_print.h"
#include "sa_print.h"

static void print_key(FILE *f, const struct sa_alg *alg)
{
	char hex[HEX_STR_MAX];

	hex_str(alg->key, alg->key_len, hex);
	fprintf(f, " key %s", hex);
	explicit_bzero(hex, sizeof(hex));
}

static void print_alg(FILE *f, const char *word, const struct sa_alg *alg,
		      bool show_keys)
{
	fprintf(f, " %s %s", word, alg->name);
	if (show_keys && alg->has_key && alg->key_len)
		print_key(f, alg);
}

/* "sa add ...": the words of the command, in its grammar's order. */
static void show_sa(FILE *f, const struct sa *sa, bool show_keys)
{
	char buf[ADDR_STR_MAX], num[NUM_STR_MAX];

	fprintf(f, "sa add src %s", addr_str(&sa->src, buf));
	fprintf(f, " dst %s", addr_str(&sa->dst, buf));
	fprintf(f, " proto %s",
		name_or_num(&ipsec_proto_names, sa->proto, num));
	fprintf(f, " spi 0x%08x", sa->spi);
	fprintf(f, " mode %s", name_or_num(&mode_names, sa->mode, num));
	if (sa->has & SA_ENC)
		print_alg(f, "enc", &sa->enc, show_keys);
	if (sa->has & SA_AUTH)
		print_alg(f, "auth", &sa->auth, show_keys);
	if (sa->flags & KIPSEC_SA_F_NO_INTEGRITY)
		fputs(" no-integrity", f);
	if (sa->flags & KIPSEC_SA_F_ESN)
		fputs(" esn", f);
	if ((sa->has & SA_REPLAY_WINDOW) &&
	    sa->replay_window != KIPSEC_REPLAY_WINDOW_DEFAULT)
		fprintf(f, " replay-window %u", sa->replay_window);
	sa_lifetime_words(f, sa);
	fputc('\n', f);
}

/* "policy add ...": policy_words() without the id, which -f cannot set. */
static int show_policy(FILE *f, const struct policy *pol)
{
	struct policy p = *pol;
	char *text = NULL;
	size_t len = 0;
	FILE *m;
	char *words;

	p.has &= ~POL_ID;
	m = open_memstream(&text, &len);
	if (!m)
		return -1;
	policy_words(m, &p);
	if (fclose(m))
		return -1;
	/* policy_words() starts with "id N " */
	words = strstr(text, " dir ");
	fprintf(f, "policy add%s\n", words ? words : text);
	free(text);
	return 0;
}

static const char *action_word(uint8_t action)
{
	return action == KIPSEC_ACTION_DISCARD ? "discard" : "bypass";
}

static int show_state(FILE *f, const struct state *st, bool show_keys)
{
	size_t i;

	fputs("# the running configuration, as `ipsecctl show` writes it;\n"
	      "# `ipsecctl -f FILE` loads it back\n", f);
	if (!show_keys)
		fputs("# keys left out: `ipsecctl -s show` writes them\n", f);
	fputs("policy flush\nsa flush\n", f);
	fprintf(f, "config default-in %s default-out %s esp %s ah %s\n",
		action_word(st->cfg.default_in),
		action_word(st->cfg.default_out), st->cfg.esp ? "on" : "off",
		st->cfg.ah ? "on" : "off");
	for (i = 0; i < st->sas.n; i++)
		show_sa(f, &((const struct msa *)st->sas.v)[i].sa, show_keys);
	for (i = 0; i < st->pols.n; i++)
		if (show_policy(f, &((const struct mpol *)st->pols.v)[i].pol))
			return -1;
	return 0;
}

int show_main(struct ctx *ctx, int argc, char **argv)
{
	struct state st;
	int ret;

	(void)argv;
	if (argc)
		return ctx_fail(ctx, "takes no arguments");
	state_init(&st);
	ret = state_load(ctx, &st);
	if (!ret && (show_state(stdout, &st, ctx->show_keys) ||
		     fflush(stdout)))
		ret = ctx_fail(ctx, "cannot write the configuration");
	state_free(&st);
	return ret;
}

void show_usage(FILE *f, bool *first)
{
	fprintf(f, "%sipsecctl [-s] show\n", *first ? "usage: " : "       ");
	*first = false;
}
