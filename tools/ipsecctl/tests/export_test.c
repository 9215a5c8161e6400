// SPDX-License-Identifier: GPL-2.0
/*
 * export wireshark: the esp_sa lines of Wireshark 4.0, byte for byte, for
 * every algorithm; the comments (and no keys) for what Wireshark cannot
 * decrypt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algs.h"
#include "export.h"
#include "sa.h"
#include "unit.h"

/* called by unit.c's main() */

#define H16	"00112233445566778899aabbccddeeff"
#define K16	"0x" H16
#define K20	K16 "01020304"
#define K24	K16 "0123456789abcdef"
#define K28	K24 "01020304"
#define K32	K16 "ffeeddccbbaa99887766554433221100"
#define K36	K32 "a1b2c3d4"
#define K48	K32 "00112233445566778899aabbccddeeff"

#define V4	"src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 "
#define V6	"src fd00::1 dst fd00::2 proto esp spi 0x1001 "
#define L4	"\"IPv4\",\"10.0.0.1\",\"10.0.0.2\",\"0x00001000\",\""
#define L6	"\"IPv6\",\"fd00::1\",\"fd00::2\",\"0x00001001\",\""
#define GCM16	"AES-GCM with 16 octet ICV [RFC4106]"
#define CBC	"AES-CBC [RFC3602]"
#define ID4	"src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001000"

#define HEADER \
	"# Wireshark ESP SAs (esp_sa) of kipsec, by ipsecctl export wireshark.\n" \
	"# This file holds keys: keep it private.  Wireshark decrypts with\n" \
	"# esp.enable_encryption_decode set.\n"

/* @args: the words of sa add; @want: the output after the header. */
static const struct export_case {
	const char *args;
	const char *want;
} export_cases[] = {
	{ V4 "enc aes-128-gcm key " K20,
	  L4 GCM16 "\",\"" K20 "\",\"NULL\",\"\"\n" },
	{ V6 "enc aes-192-gcm key " K28,
	  L6 GCM16 "\",\"" K28 "\",\"NULL\",\"\"\n" },
	{ V6 "enc aes-256-gcm key " K36,
	  L6 GCM16 "\",\"" K36 "\",\"NULL\",\"\"\n" },
	{ V4 "enc aes-128-cbc key " K16 " auth hmac-sha2-256 key " K32,
	  L4 CBC "\",\"" K16 "\",\"HMAC-SHA-256-128 [RFC4868]\",\"" K32 "\"\n" },
	{ V6 "enc aes-192-cbc key " K24 " auth hmac-sha1 key " K20,
	  L6 CBC "\",\"" K24 "\",\"HMAC-SHA-1-96 [RFC2404]\",\"" K20 "\"\n" },
	{ V4 "enc aes-256-cbc key " K32 " auth hmac-sha2-384 key " K48,
	  L4 CBC "\",\"" K32 "\",\"HMAC-SHA-384-192 [RFC4868]\",\"" K48 "\"\n" },
	{ V4 "enc 3des-cbc key " K24 " auth hmac-sha2-512 key " K32 H16 H16,
	  L4 "TripleDES-CBC [RFC2451]\",\"" K24
	  "\",\"HMAC-SHA-512-256 [RFC4868]\",\"" K32 H16 H16 "\"\n" },
	{ V4 "enc null key 0x auth hmac-md5 key " K16,
	  L4 "NULL\",\"\",\"HMAC-MD5-96 [RFC2403]\",\"" K16 "\"\n" },
	{ V4 "enc aes-128-cbc key " K16 " no-integrity",
	  L4 CBC "\",\"" K16 "\",\"NULL\",\"\"\n" },
	{ V4 "enc aes-128-gcm key " K20 " mode tunnel",
	  L4 GCM16 "\",\"" K20 "\",\"NULL\",\"\"\n" },
	{ "src 10.0.0.1 dst 10.0.0.2 proto esp spi 4294967295 enc aes-128-gcm key " K20,
	  "\"IPv4\",\"10.0.0.1\",\"10.0.0.2\",\"0xffffffff\",\"" GCM16 "\",\""
	  K20 "\",\"NULL\",\"\"\n" },
	/* decrypted, but the ICV Wireshark computes lacks seq_hi */
	{ V4 "enc aes-128-gcm key " K20 " esn",
	  "# " ID4 " has esn: Wireshark decrypts it but reports its ICV as incorrect\n"
	  L4 GCM16 "\",\"" K20 "\",\"NULL\",\"\"\n" },
	{ V4 "enc chacha20-poly1305 key " K36,
	  "# skipped " ID4 ": Wireshark 4.0 cannot decode ESP with chacha20-poly1305\n" },
	{ V4 "auth aes-128-gmac key " K20,
	  "# skipped " ID4 ": Wireshark 4.0 cannot decode ESP with aes-128-gmac\n" },
	{ V6 "auth aes-256-gmac key " K36,
	  "# skipped src fd00::1 dst fd00::2 proto esp spi 0x00001001: Wireshark 4.0 cannot decode ESP with aes-256-gmac\n" },
	{ "src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x2000 auth hmac-sha2-256 key " K32,
	  "# skipped src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x00002000: AH does not encrypt: Wireshark shows it without keys\n" },
};

static bool parse_sa(const char *args, struct sa *sa)
{
	char buf[1024], *argv[ARGV_MAX];
	struct perr e;
	int argc;

	argc = t_split(args, buf, sizeof(buf), argv);
	if (sa_parse(SA_CMD_ADD, argc, argv, sa, &e))
		return t_check(false, "export parse", "%s: %s", args, e.msg);
	/* the kernel sends no key for null (its key is empty) */
	if (!strcmp(sa->enc.name, "null"))
		sa->enc.has_key = false;
	return true;
}

static char *export_of(const struct sa *sas, size_t n, int *ret)
{
	char *out = NULL;

	T_CAPTURE(out, *ret = export_wireshark(f, sas, n));
	return out;
}

/* The whole output for one SA is the header and @want. */
static void case_test(const struct export_case *c)
{
	char *out, *want;
	struct sa sa;
	int ret;

	if (!parse_sa(c->args, &sa))
		return;
	out = export_of(&sa, 1, &ret);
	if (asprintf(&want, HEADER "%s", c->want) < 0)
		abort();
	t_check(!ret && !strcmp(out, want), "export case", "%s:\n%s\nwant\n%s",
		c->args, out, want);
	free(want);
	free(out);
	sa_wipe(&sa);
}

/* A comment never carries the key of the SA it skips. */
static void no_key_test(void)
{
	static const char *const skipped[] = {
		V4 "enc chacha20-poly1305 key " K36,
		V4 "auth aes-256-gmac key " K36,
		"src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x2000 auth aes-256-gmac key " K36,
	};
	struct sa sa;
	size_t i;
	char *out;
	int ret;

	for (i = 0; i < ARRAY_SIZE(skipped); i++) {
		if (!parse_sa(skipped[i], &sa))
			continue;
		out = export_of(&sa, 1, &ret);
		t_check(!ret && !strstr(out, H16) && !strstr(out, "a1b2c3d4") &&
			!strchr(out, '"'), "export no key", "%s", out);
		free(out);
		sa_wipe(&sa);
	}
}

/* An SA whose key the kernel did not send is skipped, not exported empty. */
static void missing_key_test(void)
{
	struct sa sa[2];
	char *out;
	int ret;

	if (!parse_sa(V4 "enc aes-128-gcm key " K20, &sa[0]) ||
	    !parse_sa(V6 "enc aes-128-cbc key " K16 " auth hmac-sha1 key " K20,
		      &sa[1]))
		return;
	sa[0].enc.has_key = false;
	sa[1].auth.has_key = false;
	out = export_of(sa, 2, &ret);
	t_check(!ret && !strcmp(out, HEADER
		"# skipped " ID4 ": the kernel sent no key\n"
		"# skipped src fd00::1 dst fd00::2 proto esp spi 0x00001001: the kernel sent no key\n"),
		"export missing key", "%s", out);
	free(out);
	sa_wipe(&sa[0]);
	sa_wipe(&sa[1]);
}

/* Several SAs in the order given; none: the header alone. */
static void list_test(void)
{
	struct sa sa[3];
	char *out, *want;
	int ret;

	out = export_of(NULL, 0, &ret);
	t_check(!ret && !strcmp(out, HEADER), "export empty", "%s", out);
	free(out);
	if (!parse_sa(export_cases[0].args, &sa[0]) ||
	    !parse_sa(export_cases[12].args, &sa[1]) ||
	    !parse_sa(export_cases[3].args, &sa[2]))
		return;
	out = export_of(sa, 3, &ret);
	if (asprintf(&want, HEADER "%s%s%s", export_cases[0].want,
		     export_cases[12].want, export_cases[3].want) < 0)
		abort();
	t_check(!ret && !strcmp(out, want), "export list", "%s\nwant\n%s", out,
		want);
	free(want);
	free(out);
	sa_wipe(&sa[0]);
	sa_wipe(&sa[1]);
	sa_wipe(&sa[2]);
}

/* A failed write is reported. */
static void write_error_test(void)
{
	FILE *f = fopen("/dev/null", "r");

	if (!t_check(f != NULL, "export write error", "no /dev/null"))
		return;
	t_check(export_wireshark(f, NULL, 0) == -1, "export write error",
		"a read-only stream took the output");
	fclose(f);
}

/*
 * Every algorithm kipsec has is either mapped or one that Wireshark 4.0
 * cannot decrypt: a new algorithm must be decided on here.
 */
static void coverage_test(void)
{
	static const char *const unsupported =
		" chacha20-poly1305 aes-128-gmac aes-256-gmac ";
	const struct alg *alg;
	char word[KIPSEC_ALG_NAME_MAX + 2];
	bool enc, mapped;
	size_t i;

	for (i = 0; (alg = alg_by_index(i)); i++) {
		enc = alg_usable(alg, 1);
		mapped = wireshark_alg(alg->name, enc) != NULL;
		snprintf(word, sizeof(word), " %s ", alg->name);
		t_check(mapped != !!strstr(unsupported, word), "export coverage",
			"%s: mapped %d", alg->name, mapped);
	}
	t_check(!wireshark_alg("hmac-sha1", true) &&
		!wireshark_alg("aes-128-gcm", false) &&
		!wireshark_alg("bogus", true), "export coverage",
		"a name mapped in the wrong role");
}

void export_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(export_cases); i++)
		case_test(&export_cases[i]);
	no_key_test();
	missing_key_test();
	list_test();
	write_error_test();
	coverage_test();
}
