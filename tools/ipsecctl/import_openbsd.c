// SPDX-License-Identifier: GPL-2.0
/*
 * OpenBSD ipsec.conf(5) manual keying to kipsec, as ipsecctl(8) reads it:
 *   [esp|ah] [transport|tunnel] from SRC to DST spi OUT[:IN]
 *       [auth ALG] [enc ALG] [authkey KEYS] [enckey KEYS]
 *   flow [esp|ah] [in|out] [proto P] from SRC [port N] to DST [port N]
 *       [local ADDR] [peer ADDR] [srcid ID] [dstid ID] [type TYPE]
 * KEYS is 0xHEX[:0xHEX] or file "PATH[:PATH]"; a second SPI or key makes
 * the SA of the reverse direction, as ipsecctl(8) does.  A flow without
 * in/out is an out flow plus the reverse in flow of the same type.
 */
#include <string.h>
#include <netinet/in.h>

#include "import.h"

struct ob_enc {
	const char *name;
	/* kipsec's names by key length; NULL: kipsec has no such algorithm */
	const char *kipsec[3];
	bool aead;		/* takes no auth (OpenBSD's "noauth") */
};

static const struct ob_enc ob_encs[] = {
	{ "aes", { "aes-128-cbc", "aes-192-cbc", "aes-256-cbc" }, false },
	{ "aes-128", { "aes-128-cbc" }, false },
	{ "aes-192", { "aes-192-cbc" }, false },
	{ "aes-256", { "aes-256-cbc" }, false },
	{ "3des-cbc", { "3des-cbc" }, false },
	{ "3des", { "3des-cbc" }, false },
	{ "null", { "null" }, false },
	{ "aes-128-gcm", { "aes-128-gcm" }, true },
	{ "aes-192-gcm", { "aes-192-gcm" }, true },
	{ "aes-256-gcm", { "aes-256-gcm" }, true },
	{ "aes-128-gmac", { "aes-128-gmac" }, true },
	{ "aes-256-gmac", { "aes-256-gmac" }, true },
	{ "chacha20-poly1305", { "chacha20-poly1305" }, true },
	{ "aes-192-gmac", { NULL }, true },
	{ "aesctr", { NULL }, false },
	{ "aes-128-ctr", { NULL }, false },
	{ "aes-192-ctr", { NULL }, false },
	{ "aes-256-ctr", { NULL }, false },
	{ "des-cbc", { NULL }, false },
	{ "blowfish", { NULL }, false },
	{ "cast128", { NULL }, false },
	{ "skipjack", { NULL }, false },
};

static const char *const ob_auths[] = {
	"hmac-md5", "hmac-sha1", "hmac-sha2-256", "hmac-sha2-384",
	"hmac-sha2-512", "hmac-ripemd160",
};

/* One direction's key as written: hex, or a file. */
struct ob_keys {
	const struct imp_tok *at;
	struct imp_key k[2];	/* out, in */
	bool has[2];
};

/* What an SA line says, before it becomes one or two SAs. */
struct ob_sa {
	struct imp_sa sa;
	const struct ob_enc *e;
	uint32_t spi[2];
	const struct imp_tok *auth, *enc;
	struct ob_keys authkey, enckey;
};

static int ob_host(struct cur *c, struct ip_prefix *p, bool sa,
		   struct imp_res *r)
{
	const struct imp_tok *t = next(c, "address", r);

	memset(p, 0, sizeof(*p));
	if (!t)
		return IMP_BAD;
	if (!strcmp(t->s, "{")) {
		imp_note(r, t, "an address list", "write one line per address");
		while ((t = peek(c)) && strcmp(t->s, "}"))
			c->i++;
		return next(c, "'}'", r) ? IMP_OK : IMP_BAD;
	}
	if (!strcmp(t->s, "any")) {
		if (sa)
			imp_note(r, t, "any", "an SA is between two addresses");
		return IMP_OK;
	}
	if (t->s[0] == '$') {
		imp_note(r, t, "macro", "macros are not expanded");
		return IMP_OK;
	}
	if (parse_prefix(t->s, p)) {
		imp_note(r, t, t->s, "not an address (host, interface and group names are not resolved)");
		memset(p, 0, sizeof(*p));
	} else if (sa && strchr(t->s, '/')) {
		imp_note(r, t, t->s, "an SA is between two addresses");
	} else if (prefix_has_host_bits(p)) {
		imp_note(r, t, t->s, "host bits set beyond the prefix length");
	}
	return IMP_OK;
}

static int ob_port(struct cur *c, uint16_t *port, struct imp_res *r)
{
	const struct imp_tok *t = peek(c);
	uint64_t n;

	*port = 0;
	if (!t || strcmp(t->s, "port"))
		return IMP_OK;
	c->i++;
	t = next(c, "port", r);
	if (!t)
		return IMP_BAD;
	if (parse_u64(t->s, UINT16_MAX, &n) || !n)
		imp_note(r, t, t->s, "only port numbers are translated");
	else
		*port = n;
	return IMP_OK;
}

/* from SRC [port N] to DST [port N], or the other way round */
static int ob_hosts(struct cur *c, struct ip_prefix *src, uint16_t *sport,
		    struct ip_prefix *dst, uint16_t *dport, bool sa,
		    struct imp_res *r)
{
	const struct imp_tok *t = next(c, "from", r);
	bool to_first;
	int ret;

	if (!t)
		return IMP_BAD;
	to_first = !strcmp(t->s, "to");
	if (!to_first && strcmp(t->s, "from"))
		return imp_bad(r, t, "'%s': from or to expected", t->s);
	ret = ob_host(c, to_first ? dst : src, sa, r);
	if (!ret)
		ret = ob_port(c, to_first ? dport : sport, r);
	if (ret)
		return ret;
	t = next(c, to_first ? "from" : "to", r);
	if (!t)
		return IMP_BAD;
	if (strcmp(t->s, to_first ? "from" : "to"))
		return imp_bad(r, t, "'%s': %s expected", t->s,
			       to_first ? "from" : "to");
	ret = ob_host(c, to_first ? src : dst, sa, r);
	if (!ret)
		ret = ob_port(c, to_first ? sport : dport, r);
	return ret;
}

/* OUT[:IN]; ipsecctl(8)'s atospi: decimal or 0x hex */
static int ob_spi(struct cur *c, uint32_t spi[2], struct imp_res *r)
{
	const struct imp_tok *t = next(c, "spi", r);
	char buf[32], *colon;

	if (!t)
		return IMP_BAD;
	if (strcmp(t->s, "spi"))
		return imp_bad(r, t, "'%s': spi expected", t->s);
	t = next(c, "SPI", r);
	if (!t)
		return IMP_BAD;
	snprintf(buf, sizeof(buf), "%s", t->s);
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if (strlen(t->s) >= sizeof(buf) || !imp_u32(buf, &spi[0]) ||
	    (colon && !imp_u32(colon, &spi[1])))
		return imp_bad(r, t, "'%s' is not a valid spi", t->s);
	return IMP_OK;
}

static int ob_transforms(struct cur *c, struct ob_sa *o, struct imp_res *r)
{
	const struct imp_tok *t, *v;

	while ((t = peek(c)) && (!strcmp(t->s, "auth") || !strcmp(t->s, "enc") ||
				 !strcmp(t->s, "comp") || !strcmp(t->s, "group"))) {
		c->i++;
		v = next(c, "algorithm", r);
		if (!v)
			return IMP_BAD;
		if (!strcmp(t->s, "comp") || !strcmp(t->s, "group")) {
			imp_note(r, t, t->s, "not a transform of a manual ESP or AH SA in kipsec");
			continue;
		}
		if (!strcmp(t->s, "auth")) {
			if (o->auth)
				return imp_bad(r, t, "auth already set");
			o->auth = v;
		} else {
			if (o->enc)
				return imp_bad(r, t, "enc already set");
			o->enc = v;
		}
	}
	return IMP_OK;
}

static bool path_ok(const char *s)
{
	return *s && !strpbrk(s, " \t\n#\"\\");
}

/* 0xHEX[:0xHEX] or file "PATH[:PATH]" */
static int ob_keyspec(struct cur *c, const char *word, struct ob_keys *k,
		      struct imp_res *r)
{
	const struct imp_tok *t = peek(c), *v;
	char *colon, *part[2];
	bool file;
	int i;

	if (!t || strcmp(t->s, word))
		return IMP_OK;
	c->i++;
	k->at = t;
	v = next(c, "key", r);
	if (!v)
		return IMP_BAD;
	file = !v->quoted && !strcmp(v->s, "file");
	if (file) {
		v = next(c, "\"PATH\"", r);
		if (!v)
			return IMP_BAD;
	}
	/* the token's text is ours: split it in place */
	part[0] = v->s;
	colon = strchr(v->s, ':');
	part[1] = colon ? colon + 1 : NULL;
	if (colon)
		*colon = '\0';
	for (i = 0; i < 2 && part[i]; i++) {
		k->has[i] = true;
		if (!file && !imp_hex_key(part[i], &k->k[i]))
			return imp_bad(r, v, "%s: not a hex key", word);
		if (file && !path_ok(part[i]))
			imp_note(r, v, "this key file name",
				 "blanks, '#', '\"' and '\\' do not fit a kipsec.conf line");
		if (file)
			k->k[i].file = part[i];
	}
	return IMP_OK;
}

static const struct ob_enc *ob_find_enc(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ob_encs); i++)
		if (!strcmp(ob_encs[i].name, name))
			return &ob_encs[i];
	return NULL;
}

/* kipsec's cipher for @e with @key, or NULL (noted). */
static const struct alg *ob_enc_alg(const struct ob_enc *e,
				    const struct imp_tok *at,
				    const struct imp_key *key,
				    struct imp_res *r)
{
	const struct alg *alg;
	size_t j;

	if (!e->kipsec[0]) {
		imp_note(r, at, e->name, "kipsec has no such algorithm");
		return NULL;
	}
	if (!e->kipsec[1])
		return alg_find(e->kipsec[0]);
	if (key->file) {
		imp_note(r, at, "aes with a key file",
			 "the key length, which decides AES-128/192/256, is in the file: write aes-128, aes-192 or aes-256");
		return NULL;
	}
	for (j = 0; j < 3; j++) {
		alg = alg_find(e->kipsec[j]);
		if (alg && alg->key_len == key->len)
			return alg;
	}
	imp_note(r, at, e->name, "a %zu-byte key is not an AES key", key->len);
	return NULL;
}

/* A key's length as OpenBSD's ipsecctl checks it (a file: unknown). */
static int ob_check_len(const struct imp_key *k, const struct alg *alg,
			const struct imp_tok *at, const char *word,
			struct imp_res *r)
{
	if (k->file || !alg || alg->key_len == k->len)
		return IMP_OK;
	return imp_bad(r, at, "%s: wrong key length, %s needs %u bits", word,
		       alg->name, alg->key_len * 8);
}

/* The algorithms, with ipsec.conf's defaults (aes, hmac-sha2-256). */
static int ob_algs(struct ob_sa *o, const struct imp_tok *first,
		   struct imp_res *r)
{
	const struct ob_enc *e = NULL;
	const char *auth = o->auth ? o->auth->s : "hmac-sha2-256";
	size_t i;

	if (o->sa.proto == IPPROTO_AH && o->enc)
		return imp_bad(r, o->enc, "ah does not provide encryption");
	if (o->sa.proto == IPPROTO_ESP) {
		e = ob_find_enc(o->enc ? o->enc->s : "aes");
		if (!e)
			return imp_bad(r, o->enc, "%s not a valid transform",
				       o->enc->s);
		if (e->aead && o->auth)
			return imp_bad(r, o->auth, "authentication is implicit for %s",
				       e->name);
		if (!o->enckey.has[0] && strcmp(e->name, "null"))
			return imp_bad(r, first, "no encryption key specified");
	}
	for (i = 0; i < ARRAY_SIZE(ob_auths) && strcmp(ob_auths[i], auth); i++)
		;
	if (i == ARRAY_SIZE(ob_auths))
		return imp_bad(r, o->auth, "%s not a valid transform", auth);
	if (!(e && e->aead) && !o->authkey.has[0])
		return imp_bad(r, first, "no authentication key specified");
	o->e = e;
	if (e) {
		o->sa.enc = ob_enc_alg(e, o->enc ? o->enc : first,
				       &o->enckey.k[0], r);
		if (o->sa.enc &&
		    o->sa.enc->type == KIPSEC_ALG_TYPE_AEAD_AUTH) {
			o->sa.auth = o->sa.enc;	/* GMAC goes in auth */
			o->sa.enc = NULL;
		}
	}
	if (!(e && e->aead)) {
		o->sa.auth = alg_find(auth);
		if (!o->sa.auth)
			imp_note(r, o->auth, auth, "kipsec has no such algorithm");
	}
	return IMP_OK;
}

/* The SA of direction @d (0: as written, 1: the reverse). */
static int ob_emit_one(struct ob_sa *o, int d, const struct imp_tok *first,
		       struct sbuf *out, struct imp_res *r)
{
	struct imp_sa sa = o->sa;
	const struct imp_key *ek = &o->enckey.k[d], *ak = &o->authkey.k[d];
	bool gmac = sa.auth && sa.auth->type == KIPSEC_ALG_TYPE_AEAD_AUTH;
	int ret;

	if (d) {
		sa.src = o->sa.dst;
		sa.dst = o->sa.src;
		/* "aes": each direction's key length picks its AES */
		if (sa.enc && o->e->kipsec[1])
			sa.enc = ob_enc_alg(o->e, o->enc ? o->enc : first, ek,
					    r);
	}
	sa.spi = o->spi[d];
	if (gmac)
		sa.auth_key = *ek;
	else if (sa.auth)
		sa.auth_key = *ak;
	if (sa.enc)
		sa.enc_key = *ek;
	ret = ob_check_len(&sa.enc_key, sa.enc, o->enckey.at, "enckey", r);
	if (!ret)
		ret = ob_check_len(&sa.auth_key, sa.auth,
				   gmac ? o->enckey.at : o->authkey.at,
				   gmac ? "enckey" : "authkey", r);
	if (!ret && !r->noted)
		ret = imp_emit_sa(out, &sa, first, r);
	explicit_bzero(&sa, sizeof(sa));
	return ret;
}

static int ob_sa_tail(struct cur *c, struct ob_sa *o, struct imp_res *r)
{
	const struct imp_tok *t = peek(c);
	int ret;

	if (t && !strcmp(t->s, "udpencap")) {
		imp_note(r, t, "udpencap", "kipsec has no UDP encapsulation (NAT-T)");
		c->i++;
		t = peek(c);
		if (t && !strcmp(t->s, "port")) {
			c->i++;
			if (!next(c, "port", r))
				return IMP_BAD;
		}
	}
	ret = ob_transforms(c, o, r);
	if (!ret)
		ret = ob_keyspec(c, "authkey", &o->authkey, r);
	if (!ret)
		ret = ob_keyspec(c, "enckey", &o->enckey, r);
	if (ret)
		return ret;
	t = peek(c);
	if (t && !strcmp(t->s, "bundle")) {
		imp_note(r, t, "bundle", "a kipsec bundle is a policy with esp and ah templates: write it as one");
		c->i++;
		if (!next(c, "bundle name", r))
			return IMP_BAD;
	}
	t = peek(c);
	if (t)
		return imp_bad(r, t, "unexpected '%s'", t->s);
	return IMP_OK;
}

static int ob_sa(struct cur *c, struct sbuf *out, struct imp_res *r)
{
	const struct imp_tok *t = peek(c), *first = t;
	struct ob_sa o = { 0 };
	struct ip_prefix src, dst;
	uint16_t sport, dport;
	int ret, d;

	o.sa.proto = IPPROTO_ESP;
	if (!strcmp(t->s, "esp") || !strcmp(t->s, "ah")) {
		o.sa.proto = strcmp(t->s, "ah") ? IPPROTO_ESP : IPPROTO_AH;
		c->i++;
	}
	t = peek(c);
	if (t && !strcmp(t->s, "transport")) {
		c->i++;
	} else {
		imp_note(r, t, "tunnel mode",
			 "kipsec does transport mode only (ipsec.conf SAs are tunnels unless 'transport' is given)");
		if (t && !strcmp(t->s, "tunnel"))
			c->i++;
	}
	ret = ob_hosts(c, &src, &sport, &dst, &dport, true, r);
	if (!ret && (sport || dport))
		imp_note(r, first, "ports", "an SA is not limited to ports");
	if (!ret)
		ret = ob_spi(c, o.spi, r);
	if (!ret)
		ret = ob_sa_tail(c, &o, r);
	if (!ret)
		ret = ob_algs(&o, first, r);
	if (ret)
		goto cleanup;
	o.sa.src = src.addr;
	o.sa.dst = dst.addr;
	/* a second SPI or key asks for the reverse SA, which needs both */
	if (!o.spi[1] && (o.authkey.has[1] || o.enckey.has[1])) {
		ret = imp_bad(r, first, "no SPI specified for the reverse SA");
		goto cleanup;
	}
	if (!o.spi[0]) {
		ret = imp_bad(r, first, "no SPI specified");
		goto cleanup;
	}
	for (d = 0; d < 2 && !ret; d++) {
		if (d && !o.spi[1])
			break;
		if ((o.sa.enc && strcmp(o.sa.enc->name, "null") &&
		     !o.enckey.has[d]) ||
		    (o.sa.auth && o.sa.auth->type == KIPSEC_ALG_TYPE_AUTH &&
		     !o.authkey.has[d]))
			ret = imp_bad(r, first, "no key specified for the %s SA",
				      d ? "reverse" : "first");
		else
			ret = ob_emit_one(&o, d, first, out, r);
	}
	if (!ret && r->noted)
		ret = IMP_SKIP;
cleanup:
	explicit_bzero(&o, sizeof(o));
	return ret;
}

/* [local ADDR] [peer ADDR], either order */
static int ob_peers(struct cur *c, struct ip_prefix *local,
		    struct ip_prefix *peer, struct imp_res *r)
{
	const struct imp_tok *t;
	struct ip_prefix *p;
	int ret;

	memset(local, 0, sizeof(*local));
	memset(peer, 0, sizeof(*peer));
	while ((t = peek(c)) && (!strcmp(t->s, "local") || !strcmp(t->s, "peer"))) {
		p = strcmp(t->s, "peer") ? local : peer;
		c->i++;
		ret = ob_host(c, p, true, r);
		if (ret)
			return ret;
	}
	return IMP_OK;
}

static bool same_host(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return a->addr.family == b->addr.family && a->len == b->len &&
	       !memcmp(a->addr.bytes, b->addr.bytes,
		       addr_len(a->addr.family));
}

static bool is_host(const struct ip_prefix *p)
{
	return p->addr.family && p->len == addr_len(p->addr.family) * 8;
}

static int ob_type(struct cur *c, struct imp_pol *pol, struct imp_res *r)
{
	const struct imp_tok *t = peek(c);
	const char *s = "require";

	if (t && !strcmp(t->s, "type")) {
		c->i++;
		t = next(c, "type", r);
		if (!t)
			return IMP_BAD;
		s = t->s;
	}
	pol->action = KIPSEC_ACTION_PROTECT;
	pol->tmpls[0].level = KIPSEC_LEVEL_REQUIRE;
	/* acquire lets cleartext through until an SA exists: kipsec's use */
	if (!strcmp(s, "use") || !strcmp(s, "acquire"))
		pol->tmpls[0].level = KIPSEC_LEVEL_USE;
	else if (!strcmp(s, "bypass"))
		pol->action = KIPSEC_ACTION_BYPASS;
	else if (!strcmp(s, "deny"))
		pol->action = KIPSEC_ACTION_DISCARD;
	else if (strcmp(s, "require") && strcmp(s, "dontacq"))
		return imp_bad(r, t, "'%s' is not a flow type", s);
	pol->n_tmpls = pol->action == KIPSEC_ACTION_PROTECT;
	return IMP_OK;
}

/* srcid/dstid name the peers to isakmpd/iked; manual SAs have none */
static int ob_ids(struct cur *c, struct imp_res *r)
{
	const struct imp_tok *t;

	while ((t = peek(c)) && (!strcmp(t->s, "srcid") || !strcmp(t->s, "dstid"))) {
		c->i++;
		if (!next(c, "id", r))
			return IMP_BAD;
	}
	return IMP_OK;
}

/* Transport mode: the peer is the remote host of the flow itself. */
static void ob_check_peers(const struct imp_pol *pol,
			   const struct ip_prefix *local,
			   const struct ip_prefix *peer,
			   const struct imp_tok *at, struct imp_res *r)
{
	const struct ip_prefix *remote = pol->dir == KIPSEC_DIR_IN ?
					 &pol->src : &pol->dst;
	const struct ip_prefix *self = pol->dir == KIPSEC_DIR_IN ?
				       &pol->dst : &pol->src;

	if (pol->action != KIPSEC_ACTION_PROTECT)
		return;
	/* "any" on this host's side is every address of its own */
	if (!is_host(remote) || (self->addr.family && !is_host(self)))
		imp_note(r, at, "a flow between networks",
			 "it needs a tunnel; kipsec does transport mode only");
	else if (peer->addr.family && !same_host(peer, remote))
		imp_note(r, at, "a peer other than the remote host",
			 "it is a tunnel endpoint; kipsec does transport mode only");
	else if (local->addr.family && !same_host(local, self))
		imp_note(r, at, "a local address other than the flow's",
			 "it is a tunnel endpoint; kipsec does transport mode only");
}

static int ob_flow(struct cur *c, struct sbuf *out, struct imp_res *r)
{
	const struct imp_tok *t, *first = peek(c);
	struct imp_pol pol = { .dir = KIPSEC_DIR_OUT }, rev;
	struct ip_prefix local, peer;
	bool both = true;
	int ret;

	c->i++;
	pol.tmpls[0].proto = IPPROTO_ESP;
	t = peek(c);
	if (t && (!strcmp(t->s, "esp") || !strcmp(t->s, "ah"))) {
		pol.tmpls[0].proto = strcmp(t->s, "ah") ? IPPROTO_ESP : IPPROTO_AH;
		c->i++;
	} else if (t && (!strcmp(t->s, "ipcomp") || !strcmp(t->s, "ipip"))) {
		return imp_skip(r, t, t->s, "kipsec does ESP and AH only");
	}
	t = peek(c);
	if (t && (!strcmp(t->s, "in") || !strcmp(t->s, "out"))) {
		both = false;
		pol.dir = strcmp(t->s, "in") ? KIPSEC_DIR_OUT : KIPSEC_DIR_IN;
		c->i++;
	}
	t = peek(c);
	if (t && !strcmp(t->s, "proto")) {
		c->i++;
		t = next(c, "protocol", r);
		if (!t)
			return IMP_BAD;
		pol.has_proto = true;
		if (!imp_upper_proto(t->s, &pol.proto))
			imp_note(r, t, t->s, "a protocol unknown to kipsec (give its number)");
	}
	ret = ob_hosts(c, &pol.src, &pol.sport, &pol.dst, &pol.dport, false, r);
	if (!ret)
		ret = ob_peers(c, &local, &peer, r);
	if (!ret)
		ret = ob_ids(c, r);
	if (!ret)
		ret = ob_type(c, &pol, r);
	if (ret)
		return ret;
	t = peek(c);
	if (t)
		return imp_bad(r, t, "unexpected '%s'", t->s);
	ob_check_peers(&pol, &local, &peer, first, r);
	if (r->noted)
		return IMP_SKIP;
	ret = imp_emit_pol(out, &pol, first, r);
	if (ret || !both)
		return ret;
	rev = pol;
	rev.dir = KIPSEC_DIR_IN;
	rev.src = pol.dst;
	rev.dst = pol.src;
	rev.sport = pol.dport;
	rev.dport = pol.sport;
	return imp_emit_pol(out, &rev, first, r);
}

static bool has_macro(const struct imp_stmt *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!st->t[i].quoted && st->t[i].s[0] == '$')
			return true;
	return false;
}

int imp_openbsd(const struct imp_stmt *st, struct sbuf *out,
		struct imp_res *r)
{
	struct cur c = { .st = st };
	const char *w = st->t[0].s;

	if (st->n > 1 && !strcmp(st->t[1].s, "="))
		return imp_skip(r, &st->t[0], "macro definition",
				"macros are not expanded; write the values");
	if (has_macro(st))
		return imp_skip(r, &st->t[0], "macro",
				"macros are not expanded; write the values");
	if (!strcmp(w, "flow"))
		return ob_flow(&c, out, r);
	if (!strcmp(w, "esp") || !strcmp(w, "ah") || !strcmp(w, "transport") ||
	    !strcmp(w, "tunnel") || !strcmp(w, "from") || !strcmp(w, "to"))
		return ob_sa(&c, out, r);
	if (!strcmp(w, "ike"))
		return imp_skip(r, &st->t[0], "ike",
				"kipsec has no key exchange daemon: only manual keying is translated");
	if (!strcmp(w, "tcpmd5"))
		return imp_skip(r, &st->t[0], "tcpmd5",
				"kipsec has no TCP MD5 signatures (RFC 2385)");
	if (!strcmp(w, "ipcomp") || !strcmp(w, "ipip"))
		return imp_skip(r, &st->t[0], w, "kipsec does ESP and AH only");
	if (!strcmp(w, "include"))
		return imp_skip(r, &st->t[0], "include",
				"import the included file by itself");
	return imp_bad(r, &st->t[0], "syntax error at '%s'", w);
}
