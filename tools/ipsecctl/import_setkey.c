// SPDX-License-Identifier: GPL-2.0
/*
 * setkey(8) (KAME, FreeBSD, ipsec-tools) manual keying to kipsec:
 *   add [-46n] SRC DST esp|ah SPI [-m MODE] [-r BYTES] [-f PAD]
 *       [-lh|-ls|-bh|-bs N] [-E ALG KEY] [-A ALG KEY] ;
 *   spdadd [-46n] SRC[/LEN][[PORT]] DST[/LEN][[PORT]] UPPER
 *       -P in|out [prio N] discard|none|ipsec REQUEST... ;
 *   flush [esp|ah] ;  spdflush ;
 * REQUEST is PROTO/MODE/SRC-DST/LEVEL, e.g. esp/transport//require.
 */
#include <string.h>
#include <netinet/in.h>

#include "import.h"

/* -4, -6 and -n only say how to print or resolve; nothing to translate. */
static void skip_af_options(struct cur *c)
{
	const struct imp_tok *t;

	while ((t = peek(c)) && t->s[0] == '-' && t->s[1] &&
	       strspn(t->s + 1, "46n") == strlen(t->s + 1))
		c->i++;
}

/* A KAME key: "ASCII" or 0xHEX. */
static bool sk_key(const struct imp_tok *t, struct imp_key *k)
{
	size_t len = strlen(t->s);

	memset(k, 0, sizeof(*k));
	if (!t->quoted)
		return (t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) &&
		       imp_hex_key(t->s, k);
	if (len > sizeof(k->b))
		return false;
	memcpy(k->b, t->s, len);
	k->len = len;
	return true;
}

struct sk_alg {
	const char *name;
	/* kipsec's names by key length; NULL: kipsec has no such algorithm */
	const char *kipsec[3];
};

static const struct sk_alg sk_enc_algs[] = {
	{ "aes-cbc", { "aes-128-cbc", "aes-192-cbc", "aes-256-cbc" } },
	{ "rijndael-cbc", { "aes-128-cbc", "aes-192-cbc", "aes-256-cbc" } },
	{ "aes-gcm-16", { "aes-128-gcm", "aes-192-gcm", "aes-256-gcm" } },
	{ "3des-cbc", { "3des-cbc" } },
	{ "null", { "null" } },
	{ "chacha20-poly1305", { "chacha20-poly1305" } },
	{ "des-cbc", { NULL } },
	{ "des-deriv", { NULL } },
	{ "des-32iv", { NULL } },
	{ "blowfish-cbc", { NULL } },
	{ "cast128-cbc", { NULL } },
	{ "twofish-cbc", { NULL } },
	{ "camellia-cbc", { NULL } },
	{ "aes-ctr", { NULL } },
	{ "aes-gcm-8", { NULL } },
	{ "aes-gcm-12", { NULL } },
};

static const struct sk_alg sk_auth_algs[] = {
	{ "hmac-md5", { "hmac-md5" } },
	{ "hmac-sha1", { "hmac-sha1" } },
	{ "hmac-sha256", { "hmac-sha2-256" } },
	{ "hmac-sha2-256", { "hmac-sha2-256" } },
	{ "hmac-sha384", { "hmac-sha2-384" } },
	{ "hmac-sha2-384", { "hmac-sha2-384" } },
	{ "hmac-sha512", { "hmac-sha2-512" } },
	{ "hmac-sha2-512", { "hmac-sha2-512" } },
	{ "keyed-md5", { NULL } },
	{ "keyed-sha1", { NULL } },
	{ "hmac-ripemd160", { NULL } },
	{ "aes-xcbc-mac", { NULL } },
	{ "aes-cmac", { NULL } },
	{ "tcp-md5", { NULL } },
};

/*
 * kipsec's algorithm for setkey's @name with a key of @len bytes, or
 * NULL with the reason noted in @r.
 */
static const struct alg *sk_alg(const struct sk_alg *tab, size_t n,
				const struct imp_tok *at, size_t len,
				struct imp_res *r)
{
	const struct alg *alg;
	size_t i, j;

	for (i = 0; i < n && strcmp(tab[i].name, at->s); i++)
		;
	if (i == n) {
		imp_note(r, at, at->s, "an algorithm unknown to this ipsecctl");
		return NULL;
	}
	if (!tab[i].kipsec[0]) {
		imp_note(r, at, at->s, "kipsec has no such algorithm");
		return NULL;
	}
	for (j = 0; j < 3 && tab[i].kipsec[j]; j++) {
		alg = alg_find(tab[i].kipsec[j]);
		if (alg && alg->key_len == len)
			return alg;
	}
	imp_note(r, at, at->s, "a %zu-byte key fits none of kipsec's algorithms for it",
		 len);
	return NULL;
}

static int sk_alg_opt(struct cur *c, const struct imp_tok *opt,
		      struct imp_sa *sa, struct imp_res *r)
{
	bool enc = !strcmp(opt->s, "-E");
	const struct imp_tok *name, *kt;
	struct imp_key *key = enc ? &sa->enc_key : &sa->auth_key;
	const struct alg *alg;

	name = next(c, enc ? "encryption algorithm" : "authentication algorithm",
		    r);
	if (!name)
		return IMP_BAD;
	if (enc && sa->proto == IPPROTO_AH)
		return imp_bad(r, opt, "-E: AH does not encrypt");
	memset(key, 0, sizeof(*key));
	/* "null" takes no key; an empty one is tolerated */
	kt = peek(c);
	if (!strcmp(name->s, "null") &&
	    (!kt || (!kt->quoted && strncmp(kt->s, "0x", 2)))) {
		kt = NULL;
	} else {
		kt = next(c, "key", r);
		if (!kt)
			return IMP_BAD;
		if (!sk_key(kt, key))
			return imp_bad(r, kt, "%s: the key is neither \"TEXT\" nor 0xHEX (at most %u bytes)",
				       name->s, KEY_MAX_LEN);
	}
	if (!enc && !strcmp(name->s, "null"))
		return IMP_OK;
	alg = sk_alg(enc ? sk_enc_algs : sk_auth_algs,
		     enc ? ARRAY_SIZE(sk_enc_algs) : ARRAY_SIZE(sk_auth_algs),
		     name, key->len, r);
	if (enc)
		sa->enc = alg;
	else
		sa->auth = alg;
	return IMP_OK;
}

static int sk_u64_opt(struct cur *c, const struct imp_tok *opt,
		      uint64_t *v, struct imp_res *r)
{
	const struct imp_tok *t = next(c, "N", r);

	if (!t)
		return IMP_BAD;
	if (parse_u64(t->s, UINT64_MAX, v))
		return imp_bad(r, t, "%s: '%s' is not a number", opt->s, t->s);
	return IMP_OK;
}

static int sk_replay(struct cur *c, const struct imp_tok *opt,
		     struct imp_sa *sa, struct imp_res *r)
{
	uint64_t bytes;
	int ret = sk_u64_opt(c, opt, &bytes, r);

	if (ret)
		return ret;
	/* KAME counts the window in bytes of its bitmap, kipsec in packets */
	if (bytes > KIPSEC_REPLAY_WINDOW_MAX / 8) {
		imp_note(r, opt, "-r", "a window of %llu packets is beyond kipsec's %u",
			 (unsigned long long)bytes * 8,
			 KIPSEC_REPLAY_WINDOW_MAX);
		return IMP_OK;
	}
	sa->has_replay = true;
	sa->replay = bytes * 8;
	return IMP_OK;
}

static int sk_mode(struct cur *c, struct imp_res *r)
{
	const struct imp_tok *t = next(c, "mode", r);

	if (!t)
		return IMP_BAD;
	if (!strcmp(t->s, "tunnel"))
		imp_note(r, t, "-m tunnel", "kipsec does transport mode only");
	else if (strcmp(t->s, "transport") && strcmp(t->s, "any"))
		return imp_bad(r, t, "-m: '%s' is not transport, tunnel or any",
			       t->s);
	return IMP_OK;
}

static int sk_pad(struct cur *c, struct imp_res *r)
{
	const struct imp_tok *t = next(c, "padding option", r);

	if (!t)
		return IMP_BAD;
	/* kipsec pads 1, 2, 3... and stops at the last sequence number */
	if (!strcmp(t->s, "zero-pad") || !strcmp(t->s, "random-pad"))
		imp_note(r, t, t->s, "kipsec always pads 1, 2, 3, ... (RFC 4303)");
	else if (strcmp(t->s, "seq-pad") && strcmp(t->s, "nocyclic-seq") &&
		 strcmp(t->s, "cyclic-seq"))
		return imp_bad(r, t, "-f: unknown option '%s'", t->s);
	else if (!strcmp(t->s, "cyclic-seq"))
		imp_note(r, t, t->s, "kipsec never wraps the sequence number");
	return IMP_OK;
}

/* One extension or algorithm of add, after the SPI. */
static int sk_add_opt(struct cur *c, struct imp_sa *sa, struct imp_res *r)
{
	const struct imp_tok *t = next(c, "option", r);
	const char *s = t->s;

	if (!strcmp(s, "-E") || !strcmp(s, "-A"))
		return sk_alg_opt(c, t, sa, r);
	if (!strcmp(s, "-m"))
		return sk_mode(c, r);
	if (!strcmp(s, "-r"))
		return sk_replay(c, t, sa, r);
	if (!strcmp(s, "-f"))
		return sk_pad(c, r);
	if (!strcmp(s, "-lh"))
		return sk_u64_opt(c, t, &sa->seconds[1], r);
	if (!strcmp(s, "-ls"))
		return sk_u64_opt(c, t, &sa->seconds[0], r);
	if (!strcmp(s, "-bh"))
		return sk_u64_opt(c, t, &sa->bytes[1], r);
	if (!strcmp(s, "-bs"))
		return sk_u64_opt(c, t, &sa->bytes[0], r);
	if (!strcmp(s, "-u")) {
		imp_note(r, t, "-u (unique SA id)",
			 "kipsec pairs policies and SAs by SPI and addresses, not by id");
		return next(c, "id", r) ? IMP_OK : IMP_BAD;
	}
	if (!strcmp(s, "-C")) {
		imp_note(r, t, "-C (IPcomp)", "kipsec has no IP compression");
		return next(c, "algorithm", r) ? IMP_OK : IMP_BAD;
	}
	return imp_bad(r, t, "add: unexpected '%s'", s);
}

static int sk_sa_addr(const struct imp_tok *t, struct ip_addr *a,
		      struct imp_res *r)
{
	if (strchr(t->s, '[')) {
		imp_note(r, t, "a port in an SA address",
			 "kipsec has no UDP encapsulation (NAT-T)");
		return IMP_OK;
	}
	if (!imp_addr(t->s, a))
		imp_note(r, t, t->s, "not an IPv4 or IPv6 address (names are not resolved)");
	return IMP_OK;
}

static int sk_add(struct cur *c, struct sbuf *out, struct imp_res *r)
{
	const struct imp_tok *src, *dst, *proto, *spi, *first = last(c);
	struct imp_sa sa = { 0 };
	int ret;

	skip_af_options(c);
	src = next(c, "source address", r);
	dst = src ? next(c, "destination address", r) : NULL;
	proto = dst ? next(c, "protocol", r) : NULL;
	spi = proto ? next(c, "SPI", r) : NULL;
	if (!spi)
		return IMP_BAD;
	if (!strcmp(proto->s, "esp"))
		sa.proto = IPPROTO_ESP;
	else if (!strcmp(proto->s, "ah"))
		sa.proto = IPPROTO_AH;
	else if (!strcmp(proto->s, "esp-old") || !strcmp(proto->s, "ah-old") ||
		 !strcmp(proto->s, "ipcomp") || !strcmp(proto->s, "tcp"))
		imp_note(r, proto, proto->s, "kipsec does ESP and AH (RFC 4302, 4303) only");
	else
		return imp_bad(r, proto, "add: '%s' is not a protocol", proto->s);
	if (!imp_u32(spi->s, &sa.spi)) {
		ret = imp_bad(r, spi, "add: '%s' is not an SPI", spi->s);
		goto cleanup;
	}
	sk_sa_addr(src, &sa.src, r);
	sk_sa_addr(dst, &sa.dst, r);
	ret = IMP_OK;
	while (ret == IMP_OK && peek(c))
		ret = sk_add_opt(c, &sa, r);
	if (ret)
		goto cleanup;
	if (sa.proto == IPPROTO_ESP && !sa.enc_key.len && !sa.enc &&
	    !r->noted) {
		ret = imp_bad(r, first, "add: ESP needs -E");
		goto cleanup;
	}
	if (sa.proto == IPPROTO_AH && !sa.auth && !r->noted) {
		ret = imp_bad(r, first, "add: AH needs -A");
		goto cleanup;
	}
	if (r->noted) {
		ret = IMP_SKIP;
		goto cleanup;
	}
	sa.no_integrity = sa.proto == IPPROTO_ESP && !sa.auth &&
			  sa.enc->type == KIPSEC_ALG_TYPE_CIPHER;
	ret = imp_emit_sa(out, &sa, first, r);
cleanup:
	explicit_bzero(&sa, sizeof(sa));
	return ret;
}

/* ADDR[/LEN][[PORT]] */
static int sk_range(const struct imp_tok *t, struct ip_prefix *p,
		    uint16_t *port, struct imp_res *r)
{
	char buf[ADDR_STR_MAX + 8];
	char *br;
	uint64_t n;
	size_t len;

	snprintf(buf, sizeof(buf), "%s", t->s);
	*port = 0;
	br = strchr(buf, '[');
	if (br) {
		len = strlen(br);
		if (br[len - 1] != ']')
			return imp_bad(r, t, "'%s': a port is written [N]", t->s);
		br[len - 1] = '\0';
		*br++ = '\0';
		if (strcmp(br, "any") && parse_u64(br, UINT16_MAX, &n))
			return imp_bad(r, t, "'%s': not a port", t->s);
		if (strcmp(br, "any"))
			*port = n;
	}
	if (parse_prefix(buf, p)) {
		imp_note(r, t, t->s, "not an address or ADDR/LEN (names are not resolved)");
		memset(p, 0, sizeof(*p));
		return IMP_OK;
	}
	if (prefix_has_host_bits(p))
		imp_note(r, t, t->s, "host bits set beyond the prefix length");
	return IMP_OK;
}

static int sk_upper(const struct imp_tok *t, struct imp_pol *pol,
		    struct imp_res *r)
{
	if (!strcmp(t->s, "any"))
		return IMP_OK;
	pol->has_proto = true;
	if (!strcmp(t->s, "icmp6"))
		pol->proto = IPPROTO_ICMPV6;
	else if (!imp_upper_proto(t->s, &pol->proto))
		imp_note(r, t, t->s, "an upper-layer protocol unknown to kipsec (give its number)");
	return IMP_OK;
}

static int sk_level(const struct imp_tok *t, const char *level,
		    uint8_t *out, struct imp_res *r)
{
	if (!strcmp(level, "require") || !strcmp(level, "unique"))
		*out = KIPSEC_LEVEL_REQUIRE;
	else if (!strcmp(level, "use"))
		*out = KIPSEC_LEVEL_USE;
	else if (!strncmp(level, "unique:", 7))
		imp_note(r, t, "unique:ID", "kipsec pairs policies and SAs by SPI and addresses, not by id");
	else if (!strcmp(level, "default") || !*level)
		imp_note(r, t, "level default", "it depends on the KAME host's sysctls; write require or use");
	else
		return imp_bad(r, t, "'%s': unknown level", level);
	return IMP_OK;
}

/* PROTO/MODE/SRC-DST/LEVEL */
static int sk_request(const struct imp_tok *t, struct imp_pol *pol,
		      struct imp_res *r)
{
	char buf[256], *part[4], *p;
	unsigned int n = 0;
	uint8_t proto = 0, level = KIPSEC_LEVEL_REQUIRE;
	int ret;

	if (strlen(t->s) >= sizeof(buf))
		return imp_bad(r, t, "request too long");
	snprintf(buf, sizeof(buf), "%s", t->s);
	/* strsep, not strtok: the empty SRC-DST between "//" is a part */
	for (p = buf; n < 4 && (part[n] = strsep(&p, "/")); n++)
		;
	if (n < 4 || p)
		return imp_bad(r, t, "'%s' is not PROTO/MODE/SRC-DST/LEVEL",
			       t->s);
	if (!strcmp(part[0], "esp"))
		proto = IPPROTO_ESP;
	else if (!strcmp(part[0], "ah"))
		proto = IPPROTO_AH;
	else if (!strcmp(part[0], "ipcomp"))
		imp_note(r, t, "ipcomp", "kipsec has no IP compression");
	else
		return imp_bad(r, t, "'%s': unknown protocol", part[0]);
	if (!strcmp(part[1], "tunnel"))
		imp_note(r, t, "tunnel mode", "kipsec does transport mode only");
	else if (strcmp(part[1], "transport"))
		return imp_bad(r, t, "'%s': unknown mode", part[1]);
	if (*part[2])
		imp_note(r, t, "endpoints in a request",
			 "a transport-mode SA is between the packet's addresses");
	ret = sk_level(t, part[3], &level, r);
	if (ret)
		return ret;
	if (pol->n_tmpls == IMP_TMPLS_MAX) {
		imp_note(r, t, "three or more requests",
			 "kipsec bundles at most ESP inside AH");
		return IMP_OK;
	}
	pol->tmpls[pol->n_tmpls].proto = proto;
	pol->tmpls[pol->n_tmpls++].level = level;
	return IMP_OK;
}

static int sk_priority(struct cur *c, const struct imp_tok *t,
		       struct imp_pol *pol, struct imp_res *r)
{
	const struct imp_tok *v = next(c, "priority", r);

	if (!v)
		return IMP_BAD;
	if (imp_u32(v->s, &pol->priority))
		pol->has_priority = true;
	else
		imp_note(r, t, "priority", "only a plain number maps to kipsec's priority");
	return IMP_OK;
}

static int sk_action(struct cur *c, const struct imp_tok *t,
		     struct imp_pol *pol, struct imp_res *r)
{
	const struct imp_tok *req;
	int ret = IMP_OK;

	if (!strcmp(t->s, "discard"))
		pol->action = KIPSEC_ACTION_DISCARD;
	else if (!strcmp(t->s, "none") || !strcmp(t->s, "bypass"))
		pol->action = KIPSEC_ACTION_BYPASS;
	else if (!strcmp(t->s, "entrust"))
		imp_note(r, t, "entrust", "kipsec has no system policy to defer to");
	else if (!strcmp(t->s, "ipsec"))
		pol->action = KIPSEC_ACTION_PROTECT;
	else
		return imp_bad(r, t, "'%s' is not discard, none or ipsec", t->s);
	if (strcmp(t->s, "ipsec")) {
		if (peek(c))
			return imp_bad(r, peek(c), "unexpected '%s'",
				       peek(c)->s);
		return IMP_OK;
	}
	if (!peek(c))
		return imp_bad(r, t, "ipsec needs a request (esp/transport//require)");
	while (ret == IMP_OK && (req = peek(c))) {
		c->i++;
		ret = sk_request(req, pol, r);
	}
	if (ret == IMP_OK && pol->n_tmpls == 2 &&
	    !(pol->tmpls[0].proto == IPPROTO_ESP &&
	      pol->tmpls[1].proto == IPPROTO_AH))
		imp_note(r, t, "this bundle",
			 "kipsec bundles ESP inside AH only (esp/... ah/...)");
	return ret;
}

static int sk_policy(struct cur *c, struct imp_pol *pol, struct imp_res *r)
{
	const struct imp_tok *t = next(c, "-P", r);

	if (!t)
		return IMP_BAD;
	if (strcmp(t->s, "-P")) {
		/* an ICMPv6 type or a security label */
		imp_note(r, t, t->s, "kipsec has no such selector");
		while ((t = peek(c)) && strcmp(t->s, "-P"))
			c->i++;
		t = next(c, "-P", r);
		if (!t)
			return IMP_BAD;
	}
	t = next(c, "direction", r);
	if (!t)
		return IMP_BAD;
	if (!strcmp(t->s, "in"))
		pol->dir = KIPSEC_DIR_IN;
	else if (!strcmp(t->s, "out"))
		pol->dir = KIPSEC_DIR_OUT;
	else if (!strcmp(t->s, "fwd"))
		imp_note(r, t, "-P fwd", "kipsec protects the host's own traffic, not forwarded packets");
	else
		return imp_bad(r, t, "'%s' is not in, out or fwd", t->s);
	t = next(c, "discard, none or ipsec", r);
	if (t && (!strcmp(t->s, "prio") || !strcmp(t->s, "priority"))) {
		if (sk_priority(c, t, pol, r))
			return IMP_BAD;
		t = next(c, "discard, none or ipsec", r);
	}
	if (!t)
		return IMP_BAD;
	return sk_action(c, t, pol, r);
}

static int sk_spdadd(struct cur *c, struct sbuf *out, struct imp_res *r)
{
	const struct imp_tok *src, *dst, *upper, *first = last(c);
	struct imp_pol pol = { 0 };
	int ret;

	skip_af_options(c);
	src = next(c, "source range", r);
	dst = src ? next(c, "destination range", r) : NULL;
	upper = dst ? next(c, "upper-layer protocol", r) : NULL;
	if (!upper)
		return IMP_BAD;
	ret = sk_range(src, &pol.src, &pol.sport, r);
	if (!ret)
		ret = sk_range(dst, &pol.dst, &pol.dport, r);
	if (!ret)
		ret = sk_upper(upper, &pol, r);
	if (!ret)
		ret = sk_policy(c, &pol, r);
	if (ret)
		return ret;
	if (r->noted)
		return IMP_SKIP;
	return imp_emit_pol(out, &pol, first, r);
}

static int sk_flush(struct cur *c, struct sbuf *out, struct imp_res *r)
{
	const struct imp_tok *t = peek(c);

	if (t && c->st->n > 2)
		return imp_bad(r, &c->st->t[2], "flush: unexpected '%s'",
			       c->st->t[2].s);
	if (!t) {
		sbuf_printf(out, "sa flush\n");
		return IMP_OK;
	}
	if (!strcmp(t->s, "esp") || !strcmp(t->s, "ah")) {
		sbuf_printf(out, "sa flush proto %s\n", t->s);
		return IMP_OK;
	}
	return imp_skip(r, t, t->s, "kipsec does ESP and AH only");
}

static const char *const sk_other_cmds[] = {
	"update", "get", "delete", "deleteall", "dump", "spdupdate",
	"spddelete", "spddump", "spdget", "spdsetidx",
};

int imp_setkey(const struct imp_stmt *st, struct sbuf *out, struct imp_res *r)
{
	struct cur c = { .st = st, .i = 1 };
	const char *cmd = st->t[0].s;
	size_t i;

	if (!strcmp(cmd, "add"))
		return sk_add(&c, out, r);
	if (!strcmp(cmd, "spdadd"))
		return sk_spdadd(&c, out, r);
	if (!strcmp(cmd, "flush"))
		return sk_flush(&c, out, r);
	if (!strcmp(cmd, "spdflush")) {
		if (st->n > 1)
			return imp_bad(r, &st->t[1], "spdflush: unexpected '%s'",
				       st->t[1].s);
		sbuf_printf(out, "policy flush\n");
		return IMP_OK;
	}
	for (i = 0; i < ARRAY_SIZE(sk_other_cmds); i++)
		if (!strcmp(cmd, sk_other_cmds[i]))
			return imp_skip(r, &st->t[0], cmd,
					"only add, spdadd, flush and spdflush describe a configuration");
	return imp_bad(r, &st->t[0], "unknown command '%s'", cmd);
}
