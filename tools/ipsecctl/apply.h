/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running configuration as a whole (SAs with their keys, policies,
 * settings), the commands of a file run against a copy of it, and the
 * changes that turn one configuration into another.  apply.c sends those
 * changes as one kernel transaction; show.c prints a configuration.
 */
#ifndef IPSECCTL_APPLY_H
#define IPSECCTL_APPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "cmd.h"
#include "conffile.h"
#include "config.h"
#include "policy.h"
#include "sa.h"

/* @src: the file line that made the entry, NULL if it is the kernel's. */
struct msa {
	struct sa sa;
	const struct conf_cmd *src;
};

struct mpol {
	struct policy pol;
	const struct conf_cmd *src;
};

struct state {
	struct vec sas;		/* struct msa, in the kernel's order */
	struct vec pols;	/* struct mpol, by direction then order */
	struct kconfig cfg;	/* every setting */
};

void state_init(struct state *st);
/* A copy, entries and all; -1 without memory. */
int state_copy(struct state *dst, const struct state *src);
void state_free(struct state *st);
/* The kernel's defaults: no SA, no policy, bypass, ESP and AH on. */
void state_defaults(struct state *st);
int state_load(const struct ctx *ctx, struct state *st);

/* One configuration command (c->argv) run against @st. */
int state_run(struct state *st, const struct conf_cmd *c, struct perr *e);

enum change_kind {
	CH_SA_ADD,
	CH_SA_UPDATE,
	CH_SA_DEL,
	CH_POLICY_ADD,
	CH_POLICY_UPDATE,
	CH_POLICY_DEL,
	CH_CONFIG,
};

struct change {
	enum change_kind kind;
	bool reset;			/* CH_SA_UPDATE: keys changed */
	const struct sa *sa;
	const struct policy *pol;
	uint32_t id;			/* CH_POLICY_UPDATE, CH_POLICY_DEL */
	const struct kconfig *cfg;
	const struct conf_cmd *src;	/* for messages; may be NULL */
};

/* What turns @cur into @want, into @out (struct change, pointing into both). */
int state_diff(const struct state *cur, const struct state *want,
	       struct vec *out);

#endif /* IPSECCTL_APPLY_H */
