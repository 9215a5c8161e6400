// SPDX-License-Identifier: GPL-2.0
/*
 * The SA grammar (argv to struct sa, then the checks), and struct sa to and
 * from the KIPSEC_A_SA attribute tree.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "algs.h"
#include "nl.h"
#include "sa.h"

const struct sa_field_name sa_lifetime_names[SA_LIFE_N] = {
	[SA_LIFE_BYTES] = { KIPSEC_A_LIFETIME_BYTES, "bytes", "bytes" },
	[SA_LIFE_PACKETS] = { KIPSEC_A_LIFETIME_PACKETS, "packets", "packets" },
	[SA_LIFE_ADD_SECONDS] = { KIPSEC_A_LIFETIME_ADD_SECONDS,
				  "add-seconds", "add_seconds" },
	[SA_LIFE_USE_SECONDS] = { KIPSEC_A_LIFETIME_USE_SECONDS,
				  "use-seconds", "use_seconds" },
};

const struct sa_field_name sa_stat_names[SA_STAT_N] = {
	[SA_STAT_PACKETS] = { KIPSEC_A_SA_STATS_PACKETS, "packets", "packets" },
	[SA_STAT_BYTES] = { KIPSEC_A_SA_STATS_BYTES, "bytes", "bytes" },
	[SA_STAT_REPLAY_DROPS] = { KIPSEC_A_SA_STATS_REPLAY_DROPS,
				   "replay drops", "replay_drops" },
	[SA_STAT_INTEGRITY_FAILURES] = { KIPSEC_A_SA_STATS_INTEGRITY_FAILURES,
					 "integrity failures",
					 "integrity_failures" },
	[SA_STAT_OTHER_DROPS] = { KIPSEC_A_SA_STATS_OTHER_DROPS,
				  "other drops", "other_drops" },
	[SA_STAT_ADD_TIME] = { KIPSEC_A_SA_STATS_ADD_TIME, "added", "add_time" },
	[SA_STAT_USE_TIME] = { KIPSEC_A_SA_STATS_USE_TIME, "first used",
			       "use_time" },
};

const char *const sa_lifetime_kind_names[SA_LIFETIME_KINDS] = {
	[SA_SOFT] = "soft",
	[SA_HARD] = "hard",
};

static const uint16_t lifetime_attrs[SA_LIFETIME_KINDS] = {
	[SA_SOFT] = KIPSEC_A_SA_LIFETIME_SOFT,
	[SA_HARD] = KIPSEC_A_SA_LIFETIME_HARD,
};

static int w_src(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return args_addr(a, &sa->src, e);
}

static int w_dst(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return args_addr(a, &sa->dst, e);
}

static int w_proto(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;
	unsigned int v;

	if (args_name(a, &ipsec_proto_names, &v, e))
		return -1;
	sa->proto = v;
	return 0;
}

static int w_spi(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return args_spi(a, &sa->spi, e);
}

static int w_mode(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;
	unsigned int v;

	if (args_name(a, &mode_names, &v, e))
		return -1;
	sa->mode = v;
	return 0;
}

/* ALG (key 0xHEX | keyfile PATH) */
static int alg_words(struct args *a, struct sa_alg *alg, struct perr *e)
{
	const char *word = a->word;
	const char *name, *how;

	name = args_value(a, "ALG", e);
	if (!name)
		return -1;
	if (strlen(name) >= sizeof(alg->name))
		return perr_fail(e, "%s: unknown algorithm '%s'", word, name);
	strcpy(alg->name, name);
	how = args_value(a, "'key 0xHEX' or 'keyfile PATH'", e);
	if (!how)
		return -1;
	if (!strcmp(how, "key")) {
		a->word = "key";
		if (args_hex_key(a, alg->key, &alg->key_len, e))
			return -1;
		alg->has_key = true;
		return 0;
	}
	if (!strcmp(how, "keyfile")) {
		a->word = "keyfile";
		alg->keyfile = args_value(a, "PATH", e);
		return alg->keyfile ? 0 : -1;
	}
	return perr_usage(e, "%s %s: expected 'key 0xHEX' or 'keyfile PATH', not '%s'",
			  word, name, how);
}

static int w_enc(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return alg_words(a, &sa->enc, e);
}

static int w_auth(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return alg_words(a, &sa->auth, e);
}

static int w_no_integrity(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	(void)a;
	(void)e;
	sa->flags |= KIPSEC_SA_F_NO_INTEGRITY;
	return 0;
}

static int w_esn(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	(void)a;
	(void)e;
	sa->flags |= KIPSEC_SA_F_ESN;
	return 0;
}

static int w_replay_window(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return args_u32(a, "N", &sa->replay_window, e);
}

static int w_seq(struct args *a, void *obj, struct perr *e)
{
	struct sa *sa = obj;

	return args_u64(a, "N", UINT64_MAX, &sa->seq, e);
}

static int lifetime_index(const char *name)
{
	int i;

	for (i = 0; i < SA_LIFE_N; i++)
		if (!strcmp(sa_lifetime_names[i].word, name))
			return i;
	return -1;
}

/* soft|hard bytes|packets|add-seconds|use-seconds N, repeatable */
static int w_lifetime(struct args *a, void *obj, struct perr *e)
{
	enum sa_lifetime_kind kind = strcmp(a->word, "soft") ? SA_HARD : SA_SOFT;
	const char *kind_word = a->word;
	struct sa *sa = obj;
	char word[32];
	const char *s;
	unsigned int bit;
	int i;

	s = args_value(a, "bytes|packets|add-seconds|use-seconds", e);
	if (!s)
		return -1;
	i = lifetime_index(s);
	if (i < 0)
		return perr_usage(e, "%s: '%s' is not one of bytes|packets|add-seconds|use-seconds",
				  kind_word, s);
	bit = 1U << (kind * SA_LIFE_N + i);
	if (sa->lifetime_has & bit)
		return perr_usage(e, "'%s %s' given twice", kind_word, s);
	sa->lifetime_has |= bit;
	snprintf(word, sizeof(word), "%s %s", kind_word, s);
	a->word = word;
	if (args_u64(a, "N", UINT64_MAX, &sa->lifetime[kind][i], e))
		return -1;
	a->word = kind_word;
	return 0;
}

static const struct word sa_words[] = {
	WORD("src", SA_SRC, "src ADDR", w_src),
	WORD("dst", SA_DST, "dst ADDR", w_dst),
	WORD("proto", SA_PROTO, "proto esp|ah", w_proto),
	WORD("spi", SA_SPI, "spi SPI", w_spi),
	WORD("mode", SA_MODE, "mode transport|tunnel", w_mode),
	WORD("enc", SA_ENC, "enc ALG", w_enc),
	WORD("auth", SA_AUTH, "auth ALG", w_auth),
	WORD("no-integrity", SA_NO_INTEGRITY, "no-integrity",
	     w_no_integrity),
	WORD("replay-window", SA_REPLAY_WINDOW, "replay-window N",
	  w_replay_window),
	WORD("esn", SA_ESN, "esn", w_esn),
	WORD("seq", SA_SEQ, "seq N", w_seq),
	{ .name = "soft", .bit = SA_LIFETIME, .hint = "soft", .parse = w_lifetime,
	  .repeat = true },
	{ .name = "hard", .bit = SA_LIFETIME, .hint = "hard", .parse = w_lifetime,
	  .repeat = true },
};

#define SA_SET_WORDS	(SA_SRC | SA_DST | SA_PROTO | SA_SPI | SA_MODE | \
			 SA_ENC | SA_AUTH | SA_NO_INTEGRITY | SA_ESN | \
			 SA_REPLAY_WINDOW | SA_SEQ | SA_LIFETIME)
#define SA_ID_WORDS	(SA_DST | SA_PROTO | SA_SPI)

static const struct {
	unsigned int allowed;
	unsigned int required;
} sa_cmd_words[] = {
	[SA_CMD_ADD] = { SA_SET_WORDS, SA_SRC | SA_DST | SA_PROTO | SA_SPI },
	[SA_CMD_UPDATE] = { SA_SET_WORDS, SA_SRC | SA_DST | SA_PROTO | SA_SPI },
	[SA_CMD_GET] = { SA_ID_WORDS, SA_ID_WORDS },
	[SA_CMD_DEL] = { SA_ID_WORDS, SA_ID_WORDS },
	[SA_CMD_LIST] = { SA_DST | SA_PROTO, 0 },
	[SA_CMD_FLUSH] = { SA_PROTO, 0 },
};

static int load_key(struct sa_alg *alg, struct perr *e)
{
	if (!alg->keyfile)
		return 0;
	if (load_keyfile(alg->keyfile, alg->key, &alg->key_len, e))
		return -1;
	alg->has_key = true;
	return 0;
}

static const struct alg *check_alg(const char *word, const struct sa_alg *alg,
				   bool for_enc, struct perr *e)
{
	const struct alg *known = alg_find(alg->name);
	char names[256];

	if (!known) {
		alg_names(names, sizeof(names), for_enc);
		perr_fail(e, "%s: unknown algorithm '%s' (known: %s)", word,
			  alg->name, names);
		return NULL;
	}
	if (!alg_usable(known, for_enc)) {
		perr_fail(e, for_enc ?
			  "enc: %s is an integrity algorithm; give it with auth" :
			  "auth: %s is not an integrity algorithm; give it with enc",
			  alg->name);
		return NULL;
	}
	if (alg->key_len == known->key_len)
		return known;
	if (known->salt_len)
		perr_fail(e, "%s %s: the key must be %u bytes (%u-byte key + %u-byte salt), not %zu",
			  word, alg->name, known->key_len,
			  known->key_len - known->salt_len, known->salt_len,
			  alg->key_len);
	else
		perr_fail(e, "%s %s: the key must be %u bytes, not %zu", word,
			  alg->name, known->key_len, alg->key_len);
	return NULL;
}

static bool is_type(const struct alg *alg, enum kipsec_alg_type type)
{
	return alg && alg->type == type;
}

/* Which transforms make sense together; the kernel checks the same. */
static int check_ah(const struct sa *sa, const struct alg *enc,
		    const struct alg *auth, struct perr *e)
{
	if (enc)
		return perr_fail(e, "enc: AH does not encrypt; enc is for ESP only");
	if (!auth)
		return perr_fail(e, "AH needs 'auth ALG'");
	if (sa->flags & KIPSEC_SA_F_NO_INTEGRITY)
		return perr_fail(e, "no-integrity: AH is integrity protection");
	return 0;
}

static int check_esp(const struct sa *sa, const struct alg *enc,
		     const struct alg *auth, struct perr *e)
{
	bool no_integrity = sa->flags & KIPSEC_SA_F_NO_INTEGRITY;

	if (is_type(auth, KIPSEC_ALG_TYPE_AEAD_AUTH) && enc)
		return perr_fail(e, "enc: ESP with %s is integrity only; drop enc",
				 auth->name);
	if (!enc && !is_type(auth, KIPSEC_ALG_TYPE_AEAD_AUTH))
		return perr_fail(e, "ESP needs 'enc ALG' (or 'auth aes-*-gmac' alone, for integrity only)");
	if (auth && no_integrity)
		return perr_fail(e, "no-integrity contradicts auth");
	if (is_type(enc, KIPSEC_ALG_TYPE_AEAD) && auth)
		return perr_fail(e, "auth: %s already protects integrity; drop auth",
				 enc->name);
	if (is_type(enc, KIPSEC_ALG_TYPE_AEAD) && no_integrity)
		return perr_fail(e, "no-integrity contradicts %s, which always protects integrity",
				 enc->name);
	if (!is_type(enc, KIPSEC_ALG_TYPE_CIPHER) || auth)
		return 0;
	if (!no_integrity)
		return perr_fail(e, "%s has no integrity protection: add 'auth ALG', or 'no-integrity' to accept the risk",
				 enc->name);
	if (!enc->key_len)
		return perr_fail(e, "enc null without integrity protects nothing");
	return 0;
}

static int check_set(struct sa *sa, struct perr *e)
{
	const struct alg *enc = NULL, *auth = NULL;

	if (sa->src.family != sa->dst.family)
		return perr_fail(e, "src and dst are of different address families");
	if (check_spi(sa->spi, e))
		return -1;
	if (load_key(&sa->enc, e) || load_key(&sa->auth, e))
		return -1;
	if (sa->has & SA_ENC) {
		enc = check_alg("enc", &sa->enc, true, e);
		if (!enc)
			return -1;
	}
	if (sa->has & SA_AUTH) {
		auth = check_alg("auth", &sa->auth, false, e);
		if (!auth)
			return -1;
	}
	if (sa->proto == IPPROTO_AH ? check_ah(sa, enc, auth, e) :
				      check_esp(sa, enc, auth, e))
		return -1;
	if ((sa->has & SA_REPLAY_WINDOW) &&
	    sa->replay_window > KIPSEC_REPLAY_WINDOW_MAX)
		return perr_fail(e, "replay-window %u: at most %u packets",
				 sa->replay_window, KIPSEC_REPLAY_WINDOW_MAX);
	if (!(sa->has & SA_MODE)) {
		sa->mode = KIPSEC_MODE_TRANSPORT;
		sa->has |= SA_MODE;
	}
	/* update replaces every attribute: flags are always sent */
	sa->has |= SA_FLAGS;
	return 0;
}

int sa_parse(enum sa_cmd cmd, int argc, char **argv, struct sa *sa,
	     struct perr *e)
{
	struct args a;

	memset(sa, 0, sizeof(*sa));
	args_init(&a, argc, argv);
	if (parse_words(&a, sa_words, ARRAY_SIZE(sa_words),
			sa_cmd_words[cmd].allowed, &sa->has, sa, e) ||
	    check_required(sa_words, ARRAY_SIZE(sa_words),
			   sa_cmd_words[cmd].required, sa->has, e))
		return -1;
	switch (cmd) {
	case SA_CMD_ADD:
	case SA_CMD_UPDATE:
		return check_set(sa, e);
	case SA_CMD_GET:
	case SA_CMD_DEL:
		return check_spi(sa->spi, e);
	case SA_CMD_LIST:
	case SA_CMD_FLUSH:
		break;
	}
	return 0;
}

void sa_wipe(struct sa *sa)
{
	explicit_bzero(sa, sizeof(*sa));
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type,
		     const struct ip_addr *a)
{
	mnl_attr_put(nlh, type, addr_len(a->family), a->bytes);
}

static void put_alg(struct nlmsghdr *nlh, uint16_t name_type,
		    uint16_t key_type, const struct sa_alg *alg)
{
	mnl_attr_put_strz(nlh, name_type, alg->name);
	if (alg->has_key)
		mnl_attr_put(nlh, key_type, alg->key_len, alg->key);
}

static void put_lifetimes(struct nlmsghdr *nlh, const struct sa *sa)
{
	struct nlattr *nest;
	unsigned int bit;
	int kind, i;

	for (kind = 0; kind < SA_LIFETIME_KINDS; kind++) {
		if (!(sa->lifetime_has & (((1U << SA_LIFE_N) - 1) <<
					  (kind * SA_LIFE_N))))
			continue;
		nest = mnl_attr_nest_start(nlh, lifetime_attrs[kind]);
		for (i = 0; i < SA_LIFE_N; i++) {
			bit = 1U << (kind * SA_LIFE_N + i);
			if (sa->lifetime_has & bit)
				mnl_attr_put_u64(nlh, sa_lifetime_names[i].attr,
						 sa->lifetime[kind][i]);
		}
		mnl_attr_nest_end(nlh, nest);
	}
}

void sa_put(struct nlmsghdr *nlh, const struct sa *sa)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);

	if (sa->has & SA_SRC)
		put_addr(nlh, KIPSEC_A_SA_SRC, &sa->src);
	if (sa->has & SA_DST)
		put_addr(nlh, KIPSEC_A_SA_DST, &sa->dst);
	if (sa->has & SA_PROTO)
		mnl_attr_put_u8(nlh, KIPSEC_A_SA_PROTO, sa->proto);
	if (sa->has & SA_SPI)
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, sa->spi);
	if (sa->has & SA_MODE)
		mnl_attr_put_u8(nlh, KIPSEC_A_SA_MODE, sa->mode);
	if (sa->has & SA_ENC)
		put_alg(nlh, KIPSEC_A_SA_ENC_ALG, KIPSEC_A_SA_ENC_KEY,
			&sa->enc);
	if (sa->has & SA_AUTH)
		put_alg(nlh, KIPSEC_A_SA_AUTH_ALG, KIPSEC_A_SA_AUTH_KEY,
			&sa->auth);
	if (sa->has & SA_FLAGS)
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_FLAGS, sa->flags);
	if (sa->has & SA_REPLAY_WINDOW)
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW,
				 sa->replay_window);
	if (sa->has & SA_SEQ)
		mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ, sa->seq);
	if (sa->has & SA_LIFETIME)
		put_lifetimes(nlh, sa);
	mnl_attr_nest_end(nlh, nest);
}

static const struct nl_policy sa_policy[KIPSEC_A_SA_MAX + 1] = {
	[KIPSEC_A_SA_SRC] = { MNL_TYPE_BINARY },
	[KIPSEC_A_SA_DST] = { MNL_TYPE_BINARY },
	[KIPSEC_A_SA_PROTO] = { MNL_TYPE_U8 },
	[KIPSEC_A_SA_SPI] = { MNL_TYPE_U32 },
	[KIPSEC_A_SA_MODE] = { MNL_TYPE_U8 },
	[KIPSEC_A_SA_ENC_ALG] = { MNL_TYPE_NUL_STRING },
	[KIPSEC_A_SA_ENC_KEY] = { MNL_TYPE_BINARY },
	[KIPSEC_A_SA_AUTH_ALG] = { MNL_TYPE_NUL_STRING },
	[KIPSEC_A_SA_AUTH_KEY] = { MNL_TYPE_BINARY },
	[KIPSEC_A_SA_FLAGS] = { MNL_TYPE_U32 },
	[KIPSEC_A_SA_REPLAY_WINDOW] = { MNL_TYPE_U32 },
	[KIPSEC_A_SA_SEQ] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_LIFETIME_SOFT] = { MNL_TYPE_NESTED },
	[KIPSEC_A_SA_LIFETIME_HARD] = { MNL_TYPE_NESTED },
	[KIPSEC_A_SA_STATS] = { MNL_TYPE_NESTED },
};

static const struct nl_policy lifetime_policy[KIPSEC_A_LIFETIME_MAX + 1] = {
	[KIPSEC_A_LIFETIME_BYTES] = { MNL_TYPE_U64 },
	[KIPSEC_A_LIFETIME_PACKETS] = { MNL_TYPE_U64 },
	[KIPSEC_A_LIFETIME_ADD_SECONDS] = { MNL_TYPE_U64 },
	[KIPSEC_A_LIFETIME_USE_SECONDS] = { MNL_TYPE_U64 },
};

static const struct nl_policy stats_policy[KIPSEC_A_SA_STATS_MAX + 1] = {
	[KIPSEC_A_SA_STATS_PACKETS] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_STATS_BYTES] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_STATS_REPLAY_DROPS] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_STATS_INTEGRITY_FAILURES] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_STATS_OTHER_DROPS] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_STATS_ADD_TIME] = { MNL_TYPE_U64 },
	[KIPSEC_A_SA_STATS_USE_TIME] = { MNL_TYPE_U64 },
};

int addr_from_attr(const struct nlattr *attr, struct ip_addr *a)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	memset(a, 0, sizeof(*a));
	if (len == 4)
		a->family = AF_INET;
	else if (len == 16)
		a->family = AF_INET6;
	else
		return -1;
	memcpy(a->bytes, mnl_attr_get_payload(attr), len);
	return 0;
}

static int get_alg(const struct nlattr *name, const struct nlattr *key,
		   struct sa_alg *alg)
{
	const char *s = mnl_attr_get_str(name);

	if (strlen(s) >= sizeof(alg->name))
		return -1;
	strcpy(alg->name, s);
	if (!key)
		return 0;
	alg->key_len = mnl_attr_get_payload_len(key);
	if (alg->key_len > sizeof(alg->key))
		return -1;
	memcpy(alg->key, mnl_attr_get_payload(key), alg->key_len);
	alg->has_key = true;
	return 0;
}

static int get_lifetime(const struct nlattr *nest, struct sa *sa,
			enum sa_lifetime_kind kind)
{
	const struct nlattr *tb[KIPSEC_A_LIFETIME_MAX + 1];
	const struct nlattr *attr;
	int i;

	if (nl_parse_nested(nest, lifetime_policy, KIPSEC_A_LIFETIME_MAX, tb))
		return -1;
	for (i = 0; i < SA_LIFE_N; i++) {
		attr = tb[sa_lifetime_names[i].attr];
		if (!attr)
			continue;
		sa->lifetime[kind][i] = mnl_attr_get_u64(attr);
		sa->lifetime_has |= 1U << (kind * SA_LIFE_N + i);
	}
	sa->has |= SA_LIFETIME;
	return 0;
}

static int get_stats(const struct nlattr *nest, struct sa *sa)
{
	const struct nlattr *tb[KIPSEC_A_SA_STATS_MAX + 1];
	const struct nlattr *attr;
	int i;

	if (nl_parse_nested(nest, stats_policy, KIPSEC_A_SA_STATS_MAX, tb))
		return -1;
	for (i = 0; i < SA_STAT_N; i++) {
		attr = tb[sa_stat_names[i].attr];
		if (attr)
			sa->stats[i] = mnl_attr_get_u64(attr);
	}
	sa->has |= SA_STATS;
	return 0;
}

static int get_fields(const struct nlattr **tb, struct sa *sa)
{
	int kind;

	if (tb[KIPSEC_A_SA_SRC] && addr_from_attr(tb[KIPSEC_A_SA_SRC], &sa->src))
		return -1;
	if (tb[KIPSEC_A_SA_DST] && addr_from_attr(tb[KIPSEC_A_SA_DST], &sa->dst))
		return -1;
	if (tb[KIPSEC_A_SA_ENC_ALG] &&
	    get_alg(tb[KIPSEC_A_SA_ENC_ALG], tb[KIPSEC_A_SA_ENC_KEY], &sa->enc))
		return -1;
	if (tb[KIPSEC_A_SA_AUTH_ALG] &&
	    get_alg(tb[KIPSEC_A_SA_AUTH_ALG], tb[KIPSEC_A_SA_AUTH_KEY],
		    &sa->auth))
		return -1;
	for (kind = 0; kind < SA_LIFETIME_KINDS; kind++)
		if (tb[lifetime_attrs[kind]] &&
		    get_lifetime(tb[lifetime_attrs[kind]], sa, kind))
			return -1;
	if (tb[KIPSEC_A_SA_STATS] && get_stats(tb[KIPSEC_A_SA_STATS], sa))
		return -1;
	return 0;
}

/* Which struct sa bit each attribute sets. */
static const unsigned int sa_attr_fields[KIPSEC_A_SA_MAX + 1] = {
	[KIPSEC_A_SA_SRC] = SA_SRC,
	[KIPSEC_A_SA_DST] = SA_DST,
	[KIPSEC_A_SA_PROTO] = SA_PROTO,
	[KIPSEC_A_SA_SPI] = SA_SPI,
	[KIPSEC_A_SA_MODE] = SA_MODE,
	[KIPSEC_A_SA_ENC_ALG] = SA_ENC,
	[KIPSEC_A_SA_AUTH_ALG] = SA_AUTH,
	[KIPSEC_A_SA_FLAGS] = SA_FLAGS,
	[KIPSEC_A_SA_REPLAY_WINDOW] = SA_REPLAY_WINDOW,
	[KIPSEC_A_SA_SEQ] = SA_SEQ,
};

int sa_from_nest(const struct nlattr *nest, void *item)
{
	struct sa *sa = item;
	const struct nlattr *tb[KIPSEC_A_SA_MAX + 1];
	unsigned int i;

	memset(sa, 0, sizeof(*sa));
	if (nl_parse_nested(nest, sa_policy, KIPSEC_A_SA_MAX, tb))
		return -1;
	for (i = 0; i <= KIPSEC_A_SA_MAX; i++)
		if (tb[i])
			sa->has |= sa_attr_fields[i];
	if (tb[KIPSEC_A_SA_PROTO])
		sa->proto = mnl_attr_get_u8(tb[KIPSEC_A_SA_PROTO]);
	if (tb[KIPSEC_A_SA_SPI])
		sa->spi = mnl_attr_get_u32(tb[KIPSEC_A_SA_SPI]);
	if (tb[KIPSEC_A_SA_MODE])
		sa->mode = mnl_attr_get_u8(tb[KIPSEC_A_SA_MODE]);
	if (tb[KIPSEC_A_SA_FLAGS])
		sa->flags = mnl_attr_get_u32(tb[KIPSEC_A_SA_FLAGS]);
	if (tb[KIPSEC_A_SA_REPLAY_WINDOW])
		sa->replay_window =
			mnl_attr_get_u32(tb[KIPSEC_A_SA_REPLAY_WINDOW]);
	if (tb[KIPSEC_A_SA_SEQ])
		sa->seq = mnl_attr_get_u64(tb[KIPSEC_A_SA_SEQ]);
	if (get_fields(tb, sa)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}
