// SPDX-License-Identifier: GPL-2.0
/*
 * A file's commands run against a configuration, and the changes between
 * two configurations: what `-f` and `sync -f` send, without a kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "unit.h"

#define K20 "0x0102030405060708090a0b0c0d0e0f1011121314"
#define K20B "0x1112131415161718191a1b1c1d1e1f2021222324"
#define SA_A "sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 enc aes-128-gcm key " K20
#define SA_B "sa add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x101 enc aes-128-gcm key " K20
#define POL_OUT "policy add dir out dst 10.0.0.2 action protect esp"
#define POL_IN "policy add dir in src 10.0.0.2 action protect esp"

#define CMDS_MAX 8

/* Runs '|'-separated commands against @st; the first error, or "". */
static int run_all(struct state *st, const char *cmds, char *err,
		   size_t err_size)
{
	char *copy = strdup(cmds), *line, *save = NULL;
	char buf[1024], *argv[ARGV_MAX];
	struct conf_cmd c = { .file = "t.conf" };
	struct perr e;
	int ret = 0;

	err[0] = '\0';
	for (line = strtok_r(copy, "|", &save); line && !ret;
	     line = strtok_r(NULL, "|", &save)) {
		c.line++;
		c.argc = t_split(line, buf, sizeof(buf), argv);
		c.argv = argv;
		ret = state_run(st, &c, &e);
		if (ret)
			snprintf(err, err_size, "%u: %s", c.line, e.msg);
	}
	free(copy);
	return ret;
}

/* ---- commands against a configuration ---- */

struct run_case {
	const char *cmds;
	const char *err;	/* "LINE: message" or "" */
	size_t sas, pols;
};

static const struct run_case run_cases[] = {
	{ SA_A "|" SA_B "|" POL_OUT "|" POL_IN, "", 2, 2 },
	{ SA_A "|" SA_A, "2: SA already exists", 0, 0 },
	{ SA_A "|sa del dst 10.0.0.2 proto esp spi 0x100|" SA_A, "", 1, 0 },
	{ "sa del dst 10.0.0.2 proto esp spi 0x100", "1: no such SA", 0, 0 },
	{ "sa update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 enc aes-128-gcm key " K20,
	  "1: no such SA", 0, 0 },
	{ SA_A "|" SA_B "|sa flush|" SA_A, "", 1, 0 },
	{ SA_A "|sa add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x100 auth hmac-sha1 key " K20
	  "|sa flush proto ah", "", 1, 0 },
	{ POL_OUT "|" POL_OUT,
	  "2: a policy with this direction, selector and priority exists", 0, 0 },
	{ POL_OUT "|policy add dir out dst 10.0.0.2 priority 7 action bypass",
	  "", 0, 2 },
	{ POL_OUT "|" POL_IN "|policy flush dir in", "", 0, 1 },
	{ "policy del id 3", "1: no such policy", 0, 0 },
	{ "policy default in discard|config esp off", "", 0, 0 },
	{ "config", "1: shows the settings: not a configuration command", 0, 0 },
	{ "sa list", "1: not a configuration command (sa add|update|del|flush, policy add|update|del|flush|default, config)",
	  0, 0 },
	{ "sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 enc aes-128-gcm key 0x01",
	  "1: enc aes-128-gcm: the key must be 20 bytes (16-byte key + 4-byte salt), not 1",
	  0, 0 },
};

static void run_tests(void)
{
	const struct run_case *c;
	struct state st;
	char err[400];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(run_cases); i++) {
		c = &run_cases[i];
		state_init(&st);
		state_defaults(&st);
		run_all(&st, c->cmds, err, sizeof(err));
		t_check(!strcmp(err, c->err), "apply run", "'%s': error '%s', want '%s'",
			c->cmds, err, c->err);
		if (!c->err[0])
			t_check(st.sas.n == c->sas && st.pols.n == c->pols,
				"apply run", "'%s': %zu SAs %zu policies, want %zu %zu",
				c->cmds, st.sas.n, st.pols.n, c->sas, c->pols);
		state_free(&st);
	}
}

static void settings_test(void)
{
	struct state st;
	char err[400];

	state_init(&st);
	state_defaults(&st);
	run_all(&st, "policy default in discard|config esp off ah off|policy default out discard",
		err, sizeof(err));
	t_check(st.cfg.default_in == KIPSEC_ACTION_DISCARD &&
		st.cfg.default_out == KIPSEC_ACTION_DISCARD && !st.cfg.esp &&
		!st.cfg.ah, "apply settings", "%u %u %u %u", st.cfg.default_in,
		st.cfg.default_out, st.cfg.esp, st.cfg.ah);
	state_free(&st);
}

/* A running policy (it has an id) updated and deleted by id. */
static void policy_id_test(void)
{
	struct state st;
	struct mpol *m;
	char err[400];

	state_init(&st);
	state_defaults(&st);
	run_all(&st, POL_OUT, err, sizeof(err));
	m = st.pols.v;
	m->pol.id = 7;
	m->pol.has |= POL_ID;
	m->src = NULL;
	run_all(&st, "policy update id 7 dir out dst 10.0.0.3 action bypass", err,
		sizeof(err));
	t_check(!err[0] && m->pol.dir == KIPSEC_DIR_OUT &&
		m->pol.action == KIPSEC_ACTION_BYPASS, "apply policy id",
		"update: '%s', dir %u action %u", err, m->pol.dir,
		m->pol.action);
	run_all(&st, "policy del id 7", err, sizeof(err));
	t_check(!err[0] && !st.pols.n, "apply policy id",
		"del after update: '%s', %zu left", err, st.pols.n);
	state_free(&st);
}

/* ---- the changes between two configurations ---- */

struct diff_case {
	const char *cur, *want;
	const char *changes;	/* kinds, in the order sent */
};

static const char *const kind_names[] = {
	[CH_SA_ADD] = "sa-add", [CH_SA_UPDATE] = "sa-update",
	[CH_SA_DEL] = "sa-del", [CH_POLICY_ADD] = "policy-add",
	[CH_POLICY_UPDATE] = "policy-update", [CH_POLICY_DEL] = "policy-del",
	[CH_CONFIG] = "config",
};

static const struct diff_case diff_cases[] = {
	/* identical: nothing, whatever the file's flushes */
	{ SA_A "|" POL_OUT, "sa flush|policy flush|" SA_A "|" POL_OUT, "" },
	{ SA_A, "sa flush|" SA_A " mode transport replay-window 128", "" },
	{ "", SA_A "|" POL_OUT, "sa-add policy-add" },
	{ SA_A "|" POL_OUT, "sa flush|policy flush", "sa-del policy-del" },
	/* a key changes: the SA starts afresh */
	{ SA_A, "sa flush|sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 enc aes-128-gcm key " K20B,
	  "sa-update(reset)" },
	{ SA_A, "sa flush|" SA_A " esn", "sa-update(reset)" },
	/* a limit changes: the SA keeps its state */
	{ SA_A, "sa flush|" SA_A " hard packets 100", "sa-update" },
	{ SA_A, "sa flush|" SA_A " replay-window 64", "sa-update" },
	/* same key (direction, selector, priority): updated in place */
	{ POL_OUT, "policy flush|policy add dir out dst 10.0.0.2 action bypass",
	  "policy-update" },
	{ POL_OUT, "policy flush|policy add dir out dst 10.0.0.2 priority 65536 action protect esp",
	  "" },
	/* another key: added, the old one deleted */
	{ POL_OUT, "policy flush|policy add dir out dst 10.0.0.3 action protect esp",
	  "policy-add policy-del" },
	{ "", "policy default in discard", "config" },
	{ "policy default in discard", "policy default in discard", "" },
};

static void changes_str(const struct vec *chs, char *buf, size_t size)
{
	const struct change *ch;
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < chs->n && len < size; i++) {
		ch = (const struct change *)chs->v + i;
		len += snprintf(buf + len, size - len, "%s%s%s", i ? " " : "",
				kind_names[ch->kind],
				ch->kind == CH_SA_UPDATE && ch->reset ? "(reset)" : "");
	}
}

static void diff_tests(void)
{
	const struct diff_case *c;
	struct state cur, want;
	char err[400], got[400];
	struct vec chs;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(diff_cases); i++) {
		c = &diff_cases[i];
		state_init(&cur);
		state_init(&want);
		vec_init(&chs, sizeof(struct change));
		state_defaults(&cur);
		if (c->cur[0])
			run_all(&cur, c->cur, err, sizeof(err));
		/* -f: the file runs against the running configuration */
		state_copy(&want, &cur);
		run_all(&want, c->want, err, sizeof(err));
		t_check(!err[0], "apply diff", "'%s': %s", c->want, err);
		t_check(!state_diff(&cur, &want, &chs), "apply diff", "no memory");
		changes_str(&chs, got, sizeof(got));
		t_check(!strcmp(got, c->changes), "apply diff",
			"'%s' -> '%s': '%s', want '%s'", c->cur, c->want, got,
			c->changes);
		vec_free(&chs);
		state_free(&want);
		state_free(&cur);
	}
}

void apply_tests(void)
{
	run_tests();
	settings_test();
	policy_id_test();
	diff_tests();
}
