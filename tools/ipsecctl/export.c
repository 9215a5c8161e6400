// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl export wireshark: the SAs of the namespace, keys included, as
 * Wireshark 4.0's esp_sa table, so that a capture can be decrypted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <netinet/in.h>

#include "args.h"
#include "cmd.h"
#include "export.h"
#include "nl.h"
#include "sa.h"

/* Wireshark's value strings (epan/dissectors/packet-ipsec.c, 4.0). */
#define WS_GCM16	"AES-GCM with 16 octet ICV [RFC4106]"
#define WS_NULL		"NULL"

struct ws_alg {
	const char *kipsec;
	const char *wireshark;
};

/*
 * Wireshark takes GCM keys with the salt at the end, as kipsec does.
 * chacha20-poly1305 and GMAC (ENCR_NULL_AUTH_AES_GMAC) are missing: 4.0
 * has no ESP decryption for them.
 */
static const struct ws_alg ws_enc[] = {
	{ "aes-128-gcm", WS_GCM16 },
	{ "aes-192-gcm", WS_GCM16 },
	{ "aes-256-gcm", WS_GCM16 },
	{ "aes-128-cbc", "AES-CBC [RFC3602]" },
	{ "aes-192-cbc", "AES-CBC [RFC3602]" },
	{ "aes-256-cbc", "AES-CBC [RFC3602]" },
	{ "3des-cbc", "TripleDES-CBC [RFC2451]" },
	{ "null", WS_NULL },
};

static const struct ws_alg ws_auth[] = {
	{ "hmac-sha1", "HMAC-SHA-1-96 [RFC2404]" },
	{ "hmac-sha2-256", "HMAC-SHA-256-128 [RFC4868]" },
	{ "hmac-sha2-384", "HMAC-SHA-384-192 [RFC4868]" },
	{ "hmac-sha2-512", "HMAC-SHA-512-256 [RFC4868]" },
	{ "hmac-md5", "HMAC-MD5-96 [RFC2403]" },
};

const char *wireshark_alg(const char *name, bool enc)
{
	const struct ws_alg *t = enc ? ws_enc : ws_auth;
	size_t n = enc ? ARRAY_SIZE(ws_enc) : ARRAY_SIZE(ws_auth);
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].kipsec, name))
			return t[i].wireshark;
	return NULL;
}

#define WS_HEADER \
	"# Wireshark ESP SAs (esp_sa) of kipsec, by ipsecctl export wireshark.\n" \
	"# This file holds keys: keep it private.  Wireshark decrypts with\n" \
	"# esp.enable_encryption_decode set.\n"

/* What the comments call an SA: its words in the grammar. */
#define SA_ID_MAX	(2 * ADDR_STR_MAX + 48)

static const char *sa_id(const struct sa *sa, char *buf)
{
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX], num[NUM_STR_MAX];

	snprintf(buf, SA_ID_MAX, "src %s dst %s proto %s spi 0x%08x",
		 addr_str(&sa->src, src), addr_str(&sa->dst, dst),
		 name_or_num(&ipsec_proto_names, sa->proto, num), sa->spi);
	return buf;
}

/* The reason Wireshark cannot decrypt @sa, or NULL if it can. */
static const char *skip_reason(const struct sa *sa, char *buf, size_t size)
{
	const char *alg = NULL;

	if (sa->proto != IPPROTO_ESP)
		return "AH does not encrypt: Wireshark shows it without keys";
	if (!(sa->has & SA_ENC))
		alg = sa->has & SA_AUTH ? sa->auth.name : "(none)";
	else if (!wireshark_alg(sa->enc.name, true))
		alg = sa->enc.name;
	else if ((sa->has & SA_AUTH) && !wireshark_alg(sa->auth.name, false))
		alg = sa->auth.name;
	if (alg) {
		snprintf(buf, size, "Wireshark 4.0 cannot decode ESP with %s",
			 alg);
		return buf;
	}
	/* the kernel sends no key for null, whose key is empty */
	if ((!sa->enc.has_key && strcmp(sa->enc.name, "null")) ||
	    ((sa->has & SA_AUTH) && !sa->auth.has_key))
		return "the kernel sent no key";
	return NULL;
}

/* "0x..." (empty for an empty key), wiped by the caller. */
static const char *key_str(const struct sa_alg *alg, char *buf)
{
	if (alg->key_len)
		hex_str(alg->key, alg->key_len, buf);
	else
		buf[0] = '\0';
	return buf;
}

static void print_sa(FILE *f, const struct sa *sa)
{
	char addr[2][ADDR_STR_MAX], key[2][HEX_STR_MAX];
	const char *auth = WS_NULL;
	bool has_auth = sa->has & SA_AUTH;

	if (has_auth)
		auth = wireshark_alg(sa->auth.name, false);
	fprintf(f, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"%s\",\"%s\",\"%s\"\n",
		sa->src.family == AF_INET6 ? "IPv6" : "IPv4",
		addr_str(&sa->src, addr[0]), addr_str(&sa->dst, addr[1]),
		sa->spi, wireshark_alg(sa->enc.name, true),
		key_str(&sa->enc, key[0]), auth,
		has_auth ? key_str(&sa->auth, key[1]) : "");
	explicit_bzero(key, sizeof(key));
}

static void export_one(FILE *f, const struct sa *sa)
{
	char id[SA_ID_MAX], why[KIPSEC_ALG_NAME_MAX + 64];
	const char *reason = skip_reason(sa, why, sizeof(why));

	if (reason) {
		fprintf(f, "# skipped %s: %s\n", sa_id(sa, id), reason);
		return;
	}
	/* RFC 4303 2.2.1: with ESN the ICV also covers seq_hi; 4.0 omits it */
	if (sa->flags & KIPSEC_SA_F_ESN)
		fprintf(f, "# %s has esn: Wireshark decrypts it but reports its ICV as incorrect\n",
			sa_id(sa, id));
	print_sa(f, sa);
}

int export_wireshark(FILE *f, const struct sa *sas, size_t n)
{
	size_t i;

	fputs(WS_HEADER, f);
	for (i = 0; i < n; i++)
		export_one(f, &sas[i]);
	if (fflush(f) || ferror(f))
		return -1;
	return 0;
}

/*
 * Every SA of the namespace with its keys, whether or not -s was given:
 * keys are what this command is for.
 */
static int dump_sas(const struct ctx *ctx, struct vec *list)
{
	struct nl_err e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, ctx->netns, &e))
		return ctx_nl_fail(ctx, &e);
	ret = sa_dump_keys(&nl, list, &e);
	if (ret)
		ret = ctx_nl_fail(ctx, &e);
	nl_close(&nl);
	return ret;
}

/* stdout's buffer is ours so that the keys it held can be wiped. */
static char out_buf[BUFSIZ];

static int export_wireshark_run(struct ctx *ctx, int argc, char **argv)
{
	unsigned int seen = 0;
	struct vec list;
	struct args a;
	struct perr e;
	int ret;

	args_init(&a, argc, argv);
	if (parse_words(&a, NULL, 0, 0, &seen, NULL, &e))
		return ctx_perr(ctx, &e);
	if (ctx->json) {
		perr_usage(&e, "-j does not apply: the output is Wireshark's");
		return ctx_perr(ctx, &e);
	}
	vec_init(&list, sizeof(struct sa));
	ret = dump_sas(ctx, &list);
	if (ret)
		goto cleanup;
	setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	if (export_wireshark(stdout, list.v, list.n)) {
		ret = ctx_fail(ctx, "%s", strerror(errno));
		/* what could not be written must not be retried at exit */
		__fpurge(stdout);
	}
	explicit_bzero(out_buf, sizeof(out_buf));
cleanup:
	vec_free(&list);
	return ret;
}

static const struct cmd export_cmds[] = {
	{ "wireshark", "export wireshark", export_wireshark_run },
};

int export_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, export_cmds, ARRAY_SIZE(export_cmds), argc,
			    argv);
}

void export_usage(FILE *f, bool *first)
{
	cmd_usage(f, export_cmds, ARRAY_SIZE(export_cmds), first);
}
