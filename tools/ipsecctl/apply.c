// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl [-c] -f FILE, ipsecctl sync -f FILE
 *
 * A file's commands run against a copy of the running configuration (sync:
 * against an empty one), with the errors the kernel would give; the
 * difference between the result and the running configuration then goes
 * to the kernel as one transaction.  So a file applies whole or not at
 * all, an SA or policy the file leaves as it is keeps its sequence
 * numbers, replay window and counters, and the kernel orders the changes
 * so that traffic never sees a half-applied state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "apply.h"
#include "nl.h"

/* ---- the configuration as a whole ---- */

void state_init(struct state *st)
{
	vec_init(&st->sas, sizeof(struct msa));
	vec_init(&st->pols, sizeof(struct mpol));
	memset(&st->cfg, 0, sizeof(st->cfg));
}

void state_free(struct state *st)
{
	vec_free(&st->sas);
	vec_free(&st->pols);
}

void state_defaults(struct state *st)
{
	st->cfg.has = CFG_ALL;
	st->cfg.default_in = KIPSEC_ACTION_BYPASS;
	st->cfg.default_out = KIPSEC_ACTION_BYPASS;
	st->cfg.esp = 1;
	st->cfg.ah = 1;
}

static int vec_copy(struct vec *dst, const struct vec *src)
{
	size_t i;
	void *v;

	for (i = 0; i < src->n; i++) {
		v = vec_push(dst);
		if (!v)
			return -1;
		memcpy(v, (const char *)src->v + i * src->size, src->size);
	}
	return 0;
}

int state_copy(struct state *dst, const struct state *src)
{
	dst->cfg = src->cfg;
	if (vec_copy(&dst->sas, &src->sas) || vec_copy(&dst->pols, &src->pols))
		return -1;
	return 0;
}

/* Keeps the order of the others; the removed entry is wiped. */
static void vec_remove(struct vec *vec, size_t i)
{
	char *at = (char *)vec->v + i * vec->size;

	memmove(at, at + vec->size, (vec->n - i - 1) * vec->size);
	vec->n--;
	explicit_bzero((char *)vec->v + vec->n * vec->size, vec->size);
}

static struct msa *msa_at(const struct state *st, size_t i)
{
	return (struct msa *)st->sas.v + i;
}

static struct mpol *mpol_at(const struct state *st, size_t i)
{
	return (struct mpol *)st->pols.v + i;
}

/* ---- loading the running configuration ---- */

static int load_sas(struct nl *nl, struct state *st, struct nl_err *e)
{
	struct vec list;
	size_t i;
	int ret;

	vec_init(&list, sizeof(struct sa));
	ret = sa_dump_keys(nl, &list, e);
	for (i = 0; !ret && i < list.n; i++) {
		struct msa *m = vec_push(&st->sas);

		if (!m) {
			e->err = ENOMEM;
			snprintf(e->msg, sizeof(e->msg), "%s", strerror(ENOMEM));
			ret = -1;
			break;
		}
		m->sa = ((struct sa *)list.v)[i];
		/* Counters and the sequence number are not configuration. */
		m->sa.has &= ~(SA_STATS | SA_SEQ);
	}
	vec_free(&list);
	return ret;
}

static int load_policies(struct nl *nl, struct state *st, struct nl_err *e)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct vec list;
	size_t i;
	int ret;

	vec_init(&list, sizeof(struct policy));
	nlh = nl_msg_start(nl, buf, KIPSEC_CMD_POLICY_GET, 0);
	ret = nl_collect(nl, nlh, true, KIPSEC_A_POLICY, policy_from_nest,
			 &list, e);
	for (i = 0; !ret && i < list.n; i++) {
		struct mpol *m = vec_push(&st->pols);

		if (!m) {
			e->err = ENOMEM;
			snprintf(e->msg, sizeof(e->msg), "%s", strerror(ENOMEM));
			ret = -1;
			break;
		}
		m->pol = ((struct policy *)list.v)[i];
	}
	vec_free(&list);
	return ret;
}

static int load_config(struct nl *nl, struct state *st, struct nl_err *e)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_msg_start(nl, buf, KIPSEC_CMD_GET_CONFIG, 0);
	if (nl_request(nl, nlh, config_reply_cb, &st->cfg, e))
		return -1;
	if ((st->cfg.has & CFG_ALL) != CFG_ALL) {
		e->err = EPROTO;
		snprintf(e->msg, sizeof(e->msg), "the kernel sent no settings");
		return -1;
	}
	return 0;
}

int state_load(const struct ctx *ctx, struct state *st)
{
	struct nl_err e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, ctx->netns, &e))
		return ctx_nl_fail(ctx, &e);
	ret = load_sas(&nl, st, &e) || load_policies(&nl, st, &e) ||
	      load_config(&nl, st, &e);
	if (ret)
		ret = ctx_nl_fail(ctx, &e);
	nl_close(&nl);
	return ret;
}

/* ---- identities and equality ---- */

static bool addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->bytes, b->bytes, addr_len(a->family));
}

/* The SAD key: destination, protocol, SPI. */
static bool sa_id_eq(const struct sa *a, const struct sa *b)
{
	return a->spi == b->spi && a->proto == b->proto &&
	       addr_eq(&a->dst, &b->dst);
}

static bool alg_eq(const struct sa *a, const struct sa *b,
		   unsigned int field, const struct sa_alg *x,
		   const struct sa_alg *y)
{
	if ((a->has & field) != (b->has & field))
		return false;
	if (!(a->has & field))
		return true;
	return !strcmp(x->name, y->name) && x->key_len == y->key_len &&
	       !memcmp(x->key, y->key, x->key_len);
}

static uint32_t replay_window(const struct sa *sa)
{
	return sa->has & SA_REPLAY_WINDOW ? sa->replay_window :
					    KIPSEC_REPLAY_WINDOW_DEFAULT;
}

/* What makes it another SA on the wire: it starts afresh when changed. */
static bool sa_crypto_eq(const struct sa *a, const struct sa *b)
{
	return addr_eq(&a->src, &b->src) && a->mode == b->mode &&
	       a->flags == b->flags &&
	       alg_eq(a, b, SA_ENC, &a->enc, &b->enc) &&
	       alg_eq(a, b, SA_AUTH, &a->auth, &b->auth);
}

static bool sa_limits_eq(const struct sa *a, const struct sa *b)
{
	return replay_window(a) == replay_window(b) &&
	       !memcmp(a->lifetime, b->lifetime, sizeof(a->lifetime));
}

#define POL_SELECTOR	(POL_SRC | POL_DST | POL_PROTO | POL_SPORT | \
			 POL_DPORT | POL_TYPE | POL_CODE)

static uint32_t priority(const struct policy *p)
{
	return p->has & POL_PRIORITY ? p->priority :
				       KIPSEC_POLICY_PRIORITY_DEFAULT;
}

static bool prefix_eq(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return a->len == b->len && addr_eq(&a->addr, &b->addr);
}

/* The kernel's key of a policy: direction, selector, priority. */
static bool pol_key_eq(const struct policy *a, const struct policy *b)
{
	unsigned int has = a->has & POL_SELECTOR;

	if (a->dir != b->dir || priority(a) != priority(b) ||
	    has != (b->has & POL_SELECTOR))
		return false;
	return (!(has & POL_SRC) || prefix_eq(&a->src, &b->src)) &&
	       (!(has & POL_DST) || prefix_eq(&a->dst, &b->dst)) &&
	       (!(has & POL_PROTO) || a->proto == b->proto) &&
	       (!(has & POL_SPORT) ||
		!memcmp(a->sport, b->sport, sizeof(a->sport))) &&
	       (!(has & POL_DPORT) ||
		!memcmp(a->dport, b->dport, sizeof(a->dport))) &&
	       (!(has & POL_TYPE) || a->icmp_type == b->icmp_type) &&
	       (!(has & POL_CODE) || a->icmp_code == b->icmp_code);
}

static bool tmpl_eq(const struct tmpl *a, const struct tmpl *b)
{
	return a->proto == b->proto && a->has_spi == b->has_spi &&
	       (!a->has_spi || a->spi == b->spi) && a->mode == b->mode &&
	       a->level == b->level;
}

static bool pol_val_eq(const struct policy *a, const struct policy *b)
{
	unsigned int i;

	if (a->action != b->action || a->n_tmpls != b->n_tmpls)
		return false;
	for (i = 0; i < a->n_tmpls; i++)
		if (!tmpl_eq(&a->tmpls[i], &b->tmpls[i]))
			return false;
	return true;
}

/* ---- an index of SAs by their key, rebuilt after removals ---- */

struct sa_index {
	size_t *slot;		/* entry index + 1, 0: empty */
	size_t cap;		/* a power of two, over twice the entries */
};

static size_t sa_hash(const struct sa *sa)
{
	const uint8_t *p = sa->dst.bytes;
	size_t h = 2166136261u ^ sa->spi ^ ((size_t)sa->proto << 24);
	size_t i;

	for (i = 0; i < sizeof(sa->dst.bytes); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void index_free(struct sa_index *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = 0;
}

static void index_put(struct sa_index *x, const struct state *st, size_t i)
{
	size_t h = sa_hash(&msa_at(st, i)->sa) & (x->cap - 1);

	while (x->slot[h])
		h = (h + 1) & (x->cap - 1);
	x->slot[h] = i + 1;
}

static int index_build(struct sa_index *x, const struct state *st,
		       size_t room)
{
	size_t cap = 64, i;

	while (cap < 2 * (st->sas.n + room))
		cap *= 2;
	index_free(x);
	x->slot = calloc(cap, sizeof(*x->slot));
	if (!x->slot)
		return -1;
	x->cap = cap;
	for (i = 0; i < st->sas.n; i++)
		index_put(x, st, i);
	return 0;
}

/* The index of the SA with @sa's key in @st, or -1. */
static long index_find(const struct sa_index *x, const struct state *st,
		       const struct sa *sa)
{
	size_t h = sa_hash(sa) & (x->cap - 1);

	for (; x->slot[h]; h = (h + 1) & (x->cap - 1))
		if (sa_id_eq(&msa_at(st, x->slot[h] - 1)->sa, sa))
			return (long)x->slot[h] - 1;
	return -1;
}

/* ---- running a file's commands against a configuration ---- */

struct runner {
	struct state *st;
	struct sa_index index;
	bool stale;		/* entries went: rebuild before use */
};

static int index_ready(struct runner *r, struct perr *e)
{
	/* Room for growth: rebuilt when half full. */
	if (!r->stale && r->index.cap > 2 * (r->st->sas.n + 1))
		return 0;
	r->stale = false;
	if (index_build(&r->index, r->st, r->st->sas.n + 64))
		return perr_fail(e, "%s", strerror(ENOMEM));
	return 0;
}

static int sa_cmd(struct runner *r, const struct conf_cmd *c,
		  enum sa_cmd cmd, struct perr *e)
{
	struct state *st = r->st;
	struct msa *m;
	struct sa sa;
	long at;
	int ret;

	ret = sa_parse(cmd, c->argc - 2, c->argv + 2, &sa, e);
	if (ret)
		goto cleanup;
	ret = index_ready(r, e);
	if (ret)
		goto cleanup;
	at = index_find(&r->index, st, &sa);
	ret = perr_fail(e, cmd == SA_CMD_ADD ? "SA already exists" :
					       "no such SA");
	if ((cmd == SA_CMD_ADD) != (at < 0))
		goto cleanup;
	ret = 0;
	if (cmd == SA_CMD_DEL) {
		vec_remove(&st->sas, at);
		r->stale = true;
		goto cleanup;
	}
	if (cmd == SA_CMD_ADD) {
		m = vec_push(&st->sas);
		if (!m) {
			ret = perr_fail(e, "%s", strerror(ENOMEM));
			goto cleanup;
		}
	} else {
		m = msa_at(st, at);
	}
	m->sa = sa;
	m->src = c;
	if (cmd == SA_CMD_ADD)
		index_put(&r->index, st, st->sas.n - 1);
cleanup:
	sa_wipe(&sa);
	return ret;
}

static int sa_flush_cmd(struct runner *r, const struct conf_cmd *c,
			struct perr *e)
{
	struct state *st = r->st;
	struct sa sa;
	size_t i;
	int ret;

	ret = sa_parse(SA_CMD_FLUSH, c->argc - 2, c->argv + 2, &sa, e);
	for (i = st->sas.n; !ret && i-- > 0;)
		if (!(sa.has & SA_PROTO) || msa_at(st, i)->sa.proto == sa.proto)
			vec_remove(&st->sas, i);
	r->stale = true;
	sa_wipe(&sa);
	return ret;
}

static long find_policy_id(const struct state *st, uint32_t id)
{
	const struct policy *p;
	size_t i;

	for (i = 0; i < st->pols.n; i++) {
		p = &mpol_at(st, i)->pol;
		/* Only running policies have an id; added ones get it later. */
		if ((p->has & POL_ID) && p->id == id)
			return (long)i;
	}
	return -1;
}

static long find_policy_key(const struct state *st, const struct policy *p)
{
	size_t i;

	for (i = 0; i < st->pols.n; i++)
		if (pol_key_eq(&mpol_at(st, i)->pol, p))
			return (long)i;
	return -1;
}

static int policy_add_cmd(struct state *st, const struct conf_cmd *c,
			  const struct policy *pol, struct perr *e)
{
	struct mpol *m;

	if (find_policy_key(st, pol) >= 0)
		return perr_fail(e, "a policy with this direction, selector and priority exists");
	m = vec_push(&st->pols);
	if (!m)
		return perr_fail(e, "%s", strerror(ENOMEM));
	m->pol = *pol;
	m->pol.has &= ~POL_ID;
	m->src = c;
	return 0;
}

/* The running policy's id and direction stay; the rest is replaced. */
static int policy_update_cmd(struct state *st, const struct conf_cmd *c,
			     const struct policy *pol, struct perr *e)
{
	long at = find_policy_id(st, pol->id);
	struct mpol *m;
	uint8_t dir;
	long twin;

	if (at < 0)
		return perr_fail(e, "no such policy");
	m = mpol_at(st, at);
	if ((pol->has & POL_DIR) && pol->dir != m->pol.dir)
		return perr_fail(e, "a policy cannot change direction");
	twin = find_policy_key(st, pol);
	if (twin >= 0 && twin != at)
		return perr_fail(e, "a policy with this direction, selector and priority exists");
	dir = m->pol.dir;
	m->pol = *pol;
	m->pol.dir = dir;
	m->pol.has |= POL_DIR;
	m->src = c;
	return 0;
}

static int policy_cmd(struct state *st, const struct conf_cmd *c,
		      enum policy_cmd cmd, struct perr *e)
{
	struct policy pol;
	size_t i;
	long at;
	int ret;

	ret = policy_parse(cmd, c->argc - 2, c->argv + 2, &pol, e);
	if (ret)
		return ret;
	switch (cmd) {
	case POLICY_CMD_ADD:
		return policy_add_cmd(st, c, &pol, e);
	case POLICY_CMD_UPDATE:
		return policy_update_cmd(st, c, &pol, e);
	case POLICY_CMD_DEL:
		at = find_policy_id(st, pol.id);
		if (at < 0)
			return perr_fail(e, "no such policy");
		vec_remove(&st->pols, at);
		return 0;
	default:
		for (i = st->pols.n; i-- > 0;)
			if (!(pol.has & POL_DIR) ||
			    mpol_at(st, i)->pol.dir == pol.dir)
				vec_remove(&st->pols, i);
		return 0;
	}
}

static void merge_config(struct state *st, const struct kconfig *set)
{
	if (set->has & CFG_DEFAULT_IN)
		st->cfg.default_in = set->default_in;
	if (set->has & CFG_DEFAULT_OUT)
		st->cfg.default_out = set->default_out;
	if (set->has & CFG_ESP)
		st->cfg.esp = set->esp;
	if (set->has & CFG_AH)
		st->cfg.ah = set->ah;
}

static int config_cmd(struct state *st, int argc, char **argv, bool dflt,
		      struct perr *e)
{
	struct kconfig set;
	int ret;

	ret = dflt ? policy_default_parse(argc, argv, &set, e) :
		     config_parse(argc, argv, &set, e);
	if (ret)
		return ret;
	if (!set.has)
		return perr_fail(e, "shows the settings: not a configuration command");
	merge_config(st, &set);
	return 0;
}

static const struct {
	const char *object, *verb;
	int sa_cmd, policy_cmd;
} commands[] = {
	{ "sa", "add", SA_CMD_ADD, -1 },
	{ "sa", "update", SA_CMD_UPDATE, -1 },
	{ "sa", "del", SA_CMD_DEL, -1 },
	{ "sa", "flush", SA_CMD_FLUSH, -1 },
	{ "policy", "add", -1, POLICY_CMD_ADD },
	{ "policy", "update", -1, POLICY_CMD_UPDATE },
	{ "policy", "del", -1, POLICY_CMD_DEL },
	{ "policy", "flush", -1, POLICY_CMD_FLUSH },
};

static int runner_run(struct runner *r, const struct conf_cmd *c,
		      struct perr *e)
{
	const char *verb = c->argc > 1 ? c->argv[1] : "";
	size_t i;

	if (!strcmp(c->argv[0], "config"))
		return config_cmd(r->st, c->argc - 1, c->argv + 1, false, e);
	if (!strcmp(c->argv[0], "policy") && !strcmp(verb, "default"))
		return config_cmd(r->st, c->argc - 2, c->argv + 2, true, e);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(c->argv[0], commands[i].object) ||
		    strcmp(verb, commands[i].verb))
			continue;
		if (commands[i].sa_cmd == SA_CMD_FLUSH)
			return sa_flush_cmd(r, c, e);
		if (commands[i].sa_cmd >= 0)
			return sa_cmd(r, c, commands[i].sa_cmd, e);
		return policy_cmd(r->st, c, commands[i].policy_cmd, e);
	}
	return perr_fail(e, "not a configuration command (sa add|update|del|flush, policy add|update|del|flush|default, config)");
}

int state_run(struct state *st, const struct conf_cmd *c, struct perr *e)
{
	struct runner r = { .st = st, .stale = true };
	int ret = runner_run(&r, c, e);

	index_free(&r.index);
	return ret;
}

/* ---- the difference between two configurations ---- */

static int push_change(struct vec *out, const struct change *ch)
{
	struct change *p = vec_push(out);

	if (!p)
		return -1;
	*p = *ch;
	return 0;
}

static int diff_sas(const struct state *cur, const struct state *want,
		    struct vec *out)
{
	struct sa_index x = { 0 };
	bool *kept = NULL;
	struct change ch;
	size_t i;
	long at;
	int ret = -1;

	kept = calloc(cur->sas.n + 1, sizeof(*kept));
	if (!kept || index_build(&x, cur, 0))
		goto cleanup;
	for (i = 0; i < want->sas.n; i++) {
		const struct msa *w = msa_at(want, i);

		memset(&ch, 0, sizeof(ch));
		ch.sa = &w->sa;
		ch.src = w->src;
		at = index_find(&x, cur, &w->sa);
		if (at >= 0) {
			const struct sa *c = &msa_at(cur, at)->sa;

			kept[at] = true;
			if (sa_crypto_eq(c, &w->sa) && sa_limits_eq(c, &w->sa))
				continue;
			ch.kind = CH_SA_UPDATE;
			ch.reset = !sa_crypto_eq(c, &w->sa);
		} else {
			ch.kind = CH_SA_ADD;
		}
		if (push_change(out, &ch))
			goto cleanup;
	}
	for (i = 0; i < cur->sas.n; i++) {
		if (kept[i])
			continue;
		memset(&ch, 0, sizeof(ch));
		ch.kind = CH_SA_DEL;
		ch.sa = &msa_at(cur, i)->sa;
		if (push_change(out, &ch))
			goto cleanup;
	}
	ret = 0;
cleanup:
	index_free(&x);
	free(kept);
	return ret;
}

static int diff_policies(const struct state *cur, const struct state *want,
			 struct vec *out)
{
	bool *kept = calloc(cur->pols.n + 1, sizeof(*kept));
	struct change ch;
	size_t i;
	long at;
	int ret = -1;

	if (!kept)
		return -1;
	for (i = 0; i < want->pols.n; i++) {
		const struct mpol *w = mpol_at(want, i);

		memset(&ch, 0, sizeof(ch));
		ch.pol = &w->pol;
		ch.src = w->src;
		ch.kind = CH_POLICY_ADD;
		at = find_policy_key(cur, &w->pol);
		if (at >= 0) {
			kept[at] = true;
			if (pol_val_eq(&mpol_at(cur, at)->pol, &w->pol))
				continue;
			ch.kind = CH_POLICY_UPDATE;
			ch.id = mpol_at(cur, at)->pol.id;
		}
		if (push_change(out, &ch))
			goto cleanup;
	}
	for (i = 0; i < cur->pols.n; i++) {
		if (kept[i])
			continue;
		memset(&ch, 0, sizeof(ch));
		ch.kind = CH_POLICY_DEL;
		ch.pol = &mpol_at(cur, i)->pol;
		ch.id = ch.pol->id;
		if (push_change(out, &ch))
			goto cleanup;
	}
	ret = 0;
cleanup:
	free(kept);
	return ret;
}

static bool config_eq(const struct kconfig *a, const struct kconfig *b)
{
	return a->default_in == b->default_in &&
	       a->default_out == b->default_out && a->esp == b->esp &&
	       a->ah == b->ah;
}

int state_diff(const struct state *cur, const struct state *want,
	       struct vec *out)
{
	struct change ch = { .kind = CH_CONFIG, .cfg = &want->cfg };

	if (diff_sas(cur, want, out) || diff_policies(cur, want, out))
		return -1;
	if (!config_eq(&cur->cfg, &want->cfg) && push_change(out, &ch))
		return -1;
	return 0;
}

/* ---- sending the changes as one transaction ---- */

static uint8_t change_cmd(const struct change *ch)
{
	static const uint8_t cmds[] = {
		[CH_SA_ADD] = KIPSEC_CMD_SA_ADD,
		[CH_SA_UPDATE] = KIPSEC_CMD_SA_UPDATE,
		[CH_SA_DEL] = KIPSEC_CMD_SA_DEL,
		[CH_POLICY_ADD] = KIPSEC_CMD_POLICY_ADD,
		[CH_POLICY_UPDATE] = KIPSEC_CMD_POLICY_UPDATE,
		[CH_POLICY_DEL] = KIPSEC_CMD_POLICY_DEL,
		[CH_CONFIG] = KIPSEC_CMD_SET_CONFIG,
	};

	return cmds[ch->kind];
}

static void put_sa_change(struct nlmsghdr *nlh, const struct change *ch)
{
	struct sa sa = *ch->sa;

	if (ch->kind == CH_SA_DEL)
		sa.has &= SA_DST | SA_PROTO | SA_SPI;
	/* An SA that keeps its state keeps its sequence number. */
	if (ch->kind == CH_SA_UPDATE && !ch->reset)
		sa.has &= ~SA_SEQ;
	sa.has &= ~SA_STATS;
	sa_put(nlh, &sa);
	explicit_bzero(&sa, sizeof(sa));
}

static void put_policy_change(struct nlmsghdr *nlh, const struct change *ch)
{
	struct policy pol = *ch->pol;

	pol.has &= ~POL_ID;
	if (ch->kind == CH_POLICY_DEL) {
		pol.has = 0;
		pol.n_tmpls = 0;
	}
	if (ch->kind != CH_POLICY_ADD) {
		pol.id = ch->id;
		pol.has |= POL_ID;
	}
	if (ch->kind == CH_POLICY_UPDATE)
		pol.has &= ~POL_DIR;
	policy_put(nlh, &pol);
}

static void put_change(struct nlmsghdr *nlh, const struct change *ch)
{
	uint32_t flags = KIPSEC_REQ_F_TXN;
	struct kconfig cfg;

	if (ch->kind == CH_SA_UPDATE && ch->reset)
		flags |= KIPSEC_REQ_F_RESET;
	mnl_attr_put_u32(nlh, KIPSEC_A_REQUEST_FLAGS, flags);
	switch (ch->kind) {
	case CH_SA_ADD:
	case CH_SA_UPDATE:
	case CH_SA_DEL:
		put_sa_change(nlh, ch);
		break;
	case CH_CONFIG:
		cfg = *ch->cfg;
		cfg.has = CFG_ALL;
		config_put(nlh, &cfg);
		break;
	default:
		put_policy_change(nlh, ch);
	}
}

/*
 * Many requests per send, each answered by its own ACK; few enough that
 * the ACKs fit the socket's default receive buffer.
 */
#define BATCH_SIZE	(16 * NL_REQ_SIZE)
#define BATCH_MSGS	64

struct batch {
	struct nl *nl;
	char *buf;
	size_t len;
	uint32_t first_seq;	/* of the change at index @first */
	size_t first, n;
};

static void report(const struct conf_cmd *src, const char *what,
		   const char *why)
{
	if (src)
		fprintf(stderr, "ipsecctl: %s:%u: %s%s%s: %s\n", src->file,
			src->line, src->argv[0], src->argc > 1 ? " " : "",
			src->argc > 1 ? src->argv[1] : "", why);
	else
		fprintf(stderr, "ipsecctl: %s: %s\n", what, why);
}

static const char *change_what(const struct change *ch)
{
	static const char *const what[] = {
		[CH_SA_ADD] = "sa add", [CH_SA_UPDATE] = "sa update",
		[CH_SA_DEL] = "sa del", [CH_POLICY_ADD] = "policy add",
		[CH_POLICY_UPDATE] = "policy update",
		[CH_POLICY_DEL] = "policy del", [CH_CONFIG] = "config",
	};

	return what[ch->kind];
}

/* Reads the ACKs of the batch; the first error is reported. */
static int batch_acks(struct batch *b, const struct change *chs)
{
	size_t acked = 0;
	struct nl_err e;
	bool intr;
	int failed = 0;

	while (acked < b->n) {
		ssize_t n = mnl_socket_recvfrom(b->nl->sock, b->nl->buf,
						NL_RECV_SIZE);
		const struct nlmsghdr *nlh = (const void *)b->nl->buf;
		int len = n;

		if (n < 0) {
			fprintf(stderr, "ipsecctl: netlink receive: %s\n",
				strerror(errno));
			return EXIT_FAIL;
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			uint32_t i = nlh->nlmsg_seq - b->first_seq;

			if (nlh->nlmsg_type != NLMSG_ERROR || i >= b->n)
				continue;
			acked++;
			memset(&e, 0, sizeof(e));
			if (nl_run_msgs(nlh, nlh->nlmsg_len, nlh->nlmsg_seq,
					b->nl->portid, NULL, NULL, &e,
					&intr) >= 0 || failed)
				continue;
			failed = EXIT_FAIL;
			report(chs[b->first + i].src,
			       change_what(&chs[b->first + i]),
			       nl_strerror(&e));
		}
	}
	return failed;
}

static int batch_send(struct batch *b, const struct change *chs)
{
	int ret;

	if (!b->n)
		return 0;
	if (mnl_socket_sendto(b->nl->sock, b->buf, b->len) < 0) {
		fprintf(stderr, "ipsecctl: netlink send: %s\n",
			strerror(errno));
		return EXIT_FAIL;
	}
	ret = batch_acks(b, chs);
	explicit_bzero(b->buf, b->len);
	b->first += b->n;
	b->first_seq += b->n;
	b->len = 0;
	b->n = 0;
	return ret;
}

/* A testing aid: die after staging @n changes (KIPSEC_TEST_DIE_AFTER). */
static size_t die_after(void)
{
	const char *s = getenv("KIPSEC_TEST_DIE_AFTER");

	return s ? strtoul(s, NULL, 10) : (size_t)-1;
}

static int stage_changes(struct nl *nl, const struct change *chs, size_t n)
{
	struct batch b = { .nl = nl, .first_seq = nl->seq + 1 };
	size_t i, die = die_after();
	struct nlmsghdr *nlh;
	int ret = 0;

	b.buf = calloc(1, BATCH_SIZE);
	if (!b.buf) {
		fprintf(stderr, "ipsecctl: %s\n", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	for (i = 0; i < n && !ret; i++) {
		if (i == die)
			_exit(EXIT_FAIL);
		if (BATCH_SIZE - b.len < NL_REQ_SIZE || b.n == BATCH_MSGS)
			ret = batch_send(&b, chs);
		if (ret)
			break;
		nlh = nl_msg_start(nl, b.buf + b.len, change_cmd(&chs[i]),
				   NLM_F_ACK);
		nlh->nlmsg_seq = ++nl->seq;
		put_change(nlh, &chs[i]);
		b.len += NLMSG_ALIGN(nlh->nlmsg_len);
		b.n++;
	}
	if (!ret)
		ret = batch_send(&b, chs);
	explicit_bzero(b.buf, BATCH_SIZE);
	free(b.buf);
	return ret;
}

static int simple(struct nl *nl, uint8_t cmd, const char *what)
{
	char buf[NL_REQ_SIZE];
	struct nl_err e;

	if (!nl_request(nl, nl_msg_start(nl, buf, cmd, 0), NULL, NULL, &e))
		return 0;
	fprintf(stderr, "ipsecctl: %s: %s\n", what, nl_strerror(&e));
	return EXIT_FAIL;
}

static int send_changes(const struct ctx *ctx, const struct vec *chs,
			bool check_only)
{
	struct nl_err e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, ctx->netns, &e))
		return ctx_nl_fail(ctx, &e);
	ret = simple(&nl, KIPSEC_CMD_TXN_BEGIN, "transaction");
	if (!ret)
		ret = stage_changes(&nl, chs->v, chs->n);
	if (!ret)
		ret = check_only ?
		      simple(&nl, KIPSEC_CMD_TXN_ABORT, "check") :
		      simple(&nl, KIPSEC_CMD_TXN_COMMIT,
			     "commit (nothing changed)");
	/* On failure closing the socket drops the transaction. */
	nl_close(&nl);
	return ret;
}

/* ---- the commands ---- */

static int run_file(struct state *want, const struct conf *conf)
{
	struct runner r = { .st = want, .stale = true };
	const struct conf_cmd *c;
	struct perr e;
	size_t i;
	int ret = 0;

	for (i = 0; i < conf->n && !ret; i++) {
		c = &conf->cmds[i];
		ret = runner_run(&r, c, &e);
		if (ret)
			report(c, NULL, e.msg);
	}
	index_free(&r.index);
	return ret ? EXIT_FAIL : 0;
}

static int apply(struct ctx *ctx, const char *path, bool check_only,
		 bool sync)
{
	struct state cur, want;
	struct vec chs;
	struct conf conf = { 0 };
	struct perr e;
	int ret;

	state_init(&cur);
	state_init(&want);
	vec_init(&chs, sizeof(struct change));
	ret = conf_read(path, &conf, &e);
	if (ret) {
		fprintf(stderr, "ipsecctl: %s\n", e.msg);
		ret = EXIT_FAIL;
		goto cleanup;
	}
	ret = state_load(ctx, &cur);
	if (ret)
		goto cleanup;
	if (sync)
		state_defaults(&want);
	ret = EXIT_FAIL;
	if (!sync && state_copy(&want, &cur)) {
		ctx_fail(ctx, "%s", strerror(ENOMEM));
		goto cleanup;
	}
	ret = run_file(&want, &conf);
	if (ret)
		goto cleanup;
	ret = EXIT_FAIL;
	if (state_diff(&cur, &want, &chs)) {
		ctx_fail(ctx, "%s", strerror(ENOMEM));
		goto cleanup;
	}
	ret = 0;
	if (chs.n || check_only)
		ret = send_changes(ctx, &chs, check_only);
cleanup:
	vec_free(&chs);
	state_free(&want);
	state_free(&cur);
	conf_free(&conf);
	return ret;
}

int apply_file_main(struct ctx *ctx, const char *path, bool check_only)
{
	return apply(ctx, path, check_only, false);
}

int sync_main(struct ctx *ctx, int argc, char **argv)
{
	ctx->object = "sync";
	if (argc != 2 || strcmp(argv[0], "-f")) {
		fputs("ipsecctl: sync: needs -f FILE\n", stderr);
		sync_usage(stderr, &(bool){ true });
		return EXIT_USAGE;
	}
	return apply(ctx, argv[1], false, true);
}

void sync_usage(FILE *f, bool *first)
{
	fprintf(f, "%sipsecctl sync -f FILE\n", *first ? "usage: " : "       ");
	*first = false;
}
