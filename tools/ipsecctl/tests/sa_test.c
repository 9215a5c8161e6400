// SPDX-License-Identifier: GPL-2.0
/*
 * The SA grammar, word by word and error by error; the SA on the wire
 * (what sa_put() encodes, sa_from_nest() decodes the same) and in output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "algs.h"
#include "sa.h"
#include "sa_print.h"
#include "unit.h"

#define H16	"00112233445566778899aabbccddeeff"
#define K16	"0x" H16
#define K20	K16 "01020304"
#define K32	K16 H16
#define K36	K32 "01020304"

#define BASE	"src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 "
#define GCM	"enc aes-128-gcm key " K20
#define CBC	"enc aes-128-cbc key " K16
#define SHA1	"auth hmac-sha1 key " K16 "01020304"
#define AH	"src 10.0.0.1 dst 10.0.0.2 proto ah spi 4096 "
#define ID	"dst 10.0.0.2 proto esp spi 4096"

#define LIFE0	"{\"bytes\":0,\"packets\":0,\"add_seconds\":0,\"use_seconds\":0}"

/*
 * @want: status 0, space-separated pieces the JSON of the result has
 * ("!piece": must not have); otherwise a piece of the error message.
 */
static const struct sa_case {
	enum sa_cmd cmd;
	const char *args;
	int status;
	const char *want;
} sa_cases[] = {
	/* every word of add */
	{ SA_CMD_ADD, BASE GCM, 0,
	  "{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"proto\":\"esp\",\"spi\":4096,"
	  "\"mode\":\"transport\",\"enc\":\"aes-128-gcm\",\"enc_key\":\"" K20 "\","
	  "\"no_integrity\":false,\"esn\":false,\"lifetime\":{\"soft\":" LIFE0
	  ",\"hard\":" LIFE0 "}}" },
	{ SA_CMD_ADD, "spi 4096 " GCM " proto esp dst 10.0.0.2 src 10.0.0.1", 0,
	  "\"src\":\"10.0.0.1\" \"dst\":\"10.0.0.2\" \"spi\":4096" },
	{ SA_CMD_ADD, "src fd00::1 dst fd00::2 proto esp spi 4096 " GCM, 0,
	  "\"src\":\"fd00::1\" \"dst\":\"fd00::2\"" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 256 " GCM, 0,
	  "\"spi\":256" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 " GCM, 0,
	  "\"spi\":256" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 4294967295 " GCM,
	  0, "\"spi\":4294967295" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 0xffffffff " GCM,
	  0, "\"spi\":4294967295" },
	{ SA_CMD_ADD, BASE GCM " mode tunnel", 0, "\"mode\":\"tunnel\"" },
	{ SA_CMD_ADD, BASE GCM " mode transport", 0, "\"mode\":\"transport\"" },
	{ SA_CMD_ADD, BASE CBC " " SHA1, 0,
	  "\"enc\":\"aes-128-cbc\" \"auth\":\"hmac-sha1\" "
	  "\"auth_key\":\"" K16 "01020304\"" },
	{ SA_CMD_ADD, BASE CBC " no-integrity", 0,
	  "\"no_integrity\":true !\"auth\"" },
	{ SA_CMD_ADD, BASE "enc aes-128-cbc keyfile @kf600cbc@ no-integrity", 0,
	  "\"enc_key\":\"" K16 "\"" },
	{ SA_CMD_ADD, BASE "enc null key 0x " SHA1, 0,
	  "\"enc\":\"null\" \"enc_key\":\"0x\"" },
	{ SA_CMD_ADD, BASE "enc chacha20-poly1305 key " K36, 0,
	  "\"enc\":\"chacha20-poly1305\"" },
	{ SA_CMD_ADD, BASE "auth aes-128-gmac key " K20, 0,
	  "\"auth\":\"aes-128-gmac\" !\"enc\"" },
	{ SA_CMD_ADD, AH "auth hmac-sha2-256 key " K32, 0,
	  "\"proto\":\"ah\" \"auth\":\"hmac-sha2-256\" !\"enc\"" },
	{ SA_CMD_ADD, AH "auth aes-256-gmac key " K36, 0,
	  "\"auth\":\"aes-256-gmac\"" },
	{ SA_CMD_ADD, BASE GCM " esn", 0, "\"esn\":true \"no_integrity\":false" },
	{ SA_CMD_ADD, BASE GCM " replay-window 0", 0, "\"replay_window\":0" },
	{ SA_CMD_ADD, BASE GCM " replay-window 4096", 0,
	  "\"replay_window\":4096" },
	{ SA_CMD_ADD, BASE GCM, 0, "!\"replay_window\" !\"seq\"" },
	{ SA_CMD_ADD, BASE GCM " seq 18446744073709551615", 0,
	  "\"seq\":18446744073709551615" },
	{ SA_CMD_ADD, BASE GCM " seq 0", 0, "\"seq\":0" },
	{ SA_CMD_ADD, BASE GCM " soft bytes 1000 hard packets 20 soft add-seconds 30"
	  " hard use-seconds 40 soft packets 5 hard bytes 18446744073709551615",
	  0, "\"soft\":{\"bytes\":1000,\"packets\":5,\"add_seconds\":30,\"use_seconds\":0} "
	  "\"hard\":{\"bytes\":18446744073709551615,\"packets\":20,\"add_seconds\":0,"
	  "\"use_seconds\":40}" },
	{ SA_CMD_ADD, BASE GCM " soft bytes 1 hard bytes 2", 0,
	  "\"soft\":{\"bytes\":1, \"hard\":{\"bytes\":2," },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm keyfile @kf600@", 0,
	  "\"enc_key\":\"" K20 "\"" },
	{ SA_CMD_ADD, BASE CBC " auth hmac-sha1 keyfile @kf600sha1@", 0,
	  "\"auth_key\":\"" K16 "01020304\"" },
	{ SA_CMD_UPDATE, BASE GCM " replay-window 64", 0,
	  "\"replay_window\":64 \"src\":\"10.0.0.1\"" },

	/* get, del, list, flush */
	{ SA_CMD_GET, ID, 0,
	  "\"dst\":\"10.0.0.2\" \"proto\":\"esp\" \"spi\":4096 !\"src\" !\"mode\"" },
	{ SA_CMD_GET, "spi 0x1000 proto ah dst fd00::2", 0,
	  "\"dst\":\"fd00::2\" \"proto\":\"ah\" \"spi\":4096" },
	{ SA_CMD_DEL, ID, 0, "\"spi\":4096" },
	{ SA_CMD_LIST, "", 0, "!\"dst\" !\"proto\"" },
	{ SA_CMD_LIST, "dst fd00::1", 0, "\"dst\":\"fd00::1\" !\"proto\"" },
	{ SA_CMD_LIST, "proto ah", 0, "\"proto\":\"ah\" !\"dst\"" },
	{ SA_CMD_LIST, "proto esp dst 10.1.2.3", 0,
	  "\"proto\":\"esp\" \"dst\":\"10.1.2.3\"" },
	{ SA_CMD_FLUSH, "", 0, "!\"proto\"" },
	{ SA_CMD_FLUSH, "proto ah", 0, "\"proto\":\"ah\"" },

	/* usage errors: missing, repeated, unknown words, bad values */
	{ SA_CMD_ADD, "", 2, "missing 'src ADDR'" },
	{ SA_CMD_ADD, "src 10.0.0.1 proto esp spi 4096 " GCM, 2,
	  "missing 'dst ADDR'" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 spi 4096 " GCM, 2,
	  "missing 'proto esp|ah'" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp " GCM, 2,
	  "missing 'spi SPI'" },
	{ SA_CMD_ADD, "dst 10.0.0.2 proto esp spi 4096 " GCM " src", 2,
	  "missing ADDR after 'src'" },
	{ SA_CMD_ADD, "src 10.0.0.1 src 10.0.0.1", 2, "'src' given twice" },
	{ SA_CMD_ADD, BASE GCM " dst 10.0.0.2", 2, "'dst' given twice" },
	{ SA_CMD_ADD, BASE GCM " spi 4096", 2, "'spi' given twice" },
	{ SA_CMD_ADD, BASE GCM " proto esp", 2, "'proto' given twice" },
	{ SA_CMD_ADD, BASE GCM " mode tunnel mode tunnel", 2,
	  "'mode' given twice" },
	{ SA_CMD_ADD, BASE GCM " " GCM, 2, "'enc' given twice" },
	{ SA_CMD_ADD, BASE CBC " " SHA1 " " SHA1, 2, "'auth' given twice" },
	{ SA_CMD_ADD, BASE GCM " esn esn", 2, "'esn' given twice" },
	{ SA_CMD_ADD, BASE CBC " no-integrity no-integrity", 2,
	  "'no-integrity' given twice" },
	{ SA_CMD_ADD, BASE GCM " replay-window 1 replay-window 1", 2,
	  "'replay-window' given twice" },
	{ SA_CMD_ADD, BASE GCM " seq 1 seq 1", 2, "'seq' given twice" },
	{ SA_CMD_ADD, BASE GCM " soft bytes 1 soft bytes 2", 2,
	  "'soft bytes' given twice" },
	{ SA_CMD_ADD, BASE GCM " hard use-seconds 1 hard use-seconds 1", 2,
	  "'hard use-seconds' given twice" },
	{ SA_CMD_ADD, BASE GCM " foo", 2, "unexpected word 'foo'" },
	{ SA_CMD_ADD, BASE GCM " -j", 2, "options go before the object" },
	{ SA_CMD_ADD, BASE GCM " key " K20, 2, "unexpected word 'key'" },
	{ SA_CMD_ADD, BASE GCM " id 5", 2, "unexpected word 'id'" },
	{ SA_CMD_ADD, "src 10.0.0 dst 10.0.0.2 proto esp spi 4096", 2,
	  "src: '10.0.0' is not an IPv4 or IPv6 address" },
	{ SA_CMD_ADD, "src 10.0.0.1/32 dst 10.0.0.2 proto esp spi 4096", 2,
	  "'10.0.0.1/32' is not an IPv4 or IPv6 address" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst host.example proto esp spi 4096", 2,
	  "dst: 'host.example' is not" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst fd00::g proto esp spi 4096", 2,
	  "dst: 'fd00::g' is not" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto udp spi 4096", 2,
	  "proto: 'udp' is not one of esp|ah" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto 50 spi 4096", 2,
	  "proto: '50' is not one of esp|ah" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto", 2,
	  "missing esp|ah after 'proto'" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi abc", 2,
	  "spi: 'abc' is not a number" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 4096x", 2,
	  "spi: '4096x' is not a number" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi -4096", 2,
	  "is not a number" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x", 2,
	  "is not a number" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 4294967296", 2,
	  "spi: 4294967296 is out of range (0..4294967295)" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100000000", 2,
	  "out of range" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi", 2,
	  "missing SPI after 'spi'" },
	{ SA_CMD_ADD, BASE GCM " mode beet", 2,
	  "mode: 'beet' is not one of transport|tunnel" },
	{ SA_CMD_ADD, BASE "enc", 2, "missing ALG after 'enc'" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm", 2,
	  "missing 'key 0xHEX' or 'keyfile PATH' after 'enc'" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm esn", 2,
	  "enc aes-128-gcm: expected 'key 0xHEX' or 'keyfile PATH', not 'esn'" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm key", 2, "missing 0xHEX after 'key'" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm keyfile", 2,
	  "missing PATH after 'keyfile'" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm key " H16 "01020304", 2,
	  "key: a key is written 0xHEX" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm key " K20 "0", 2,
	  "key: odd number of hex digits" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm key 0x0011223344556677889g", 2,
	  "key: not a hex digit in the key" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm key " K32 H16 H16 "00", 2,
	  "key: longer than the longest key (64 bytes)" },
	{ SA_CMD_ADD, BASE "auth", 2, "missing ALG after 'auth'" },
	{ SA_CMD_ADD, BASE GCM " replay-window many", 2,
	  "replay-window: 'many' is not a number" },
	{ SA_CMD_ADD, BASE GCM " replay-window 4294967296", 2,
	  "replay-window: 4294967296 is out of range" },
	{ SA_CMD_ADD, BASE GCM " replay-window", 2,
	  "missing N after 'replay-window'" },
	{ SA_CMD_ADD, BASE GCM " seq 18446744073709551616", 2,
	  "seq: 18446744073709551616 is out of range" },
	{ SA_CMD_ADD, BASE GCM " seq", 2, "missing N after 'seq'" },
	{ SA_CMD_ADD, BASE GCM " soft", 2,
	  "missing bytes|packets|add-seconds|use-seconds after 'soft'" },
	{ SA_CMD_ADD, BASE GCM " hard seconds 5", 2,
	  "hard: 'seconds' is not one of bytes|packets|add-seconds|use-seconds" },
	{ SA_CMD_ADD, BASE GCM " soft bytes", 2, "missing N after 'soft bytes'" },
	{ SA_CMD_ADD, BASE GCM " soft bytes 1k", 2,
	  "soft bytes: '1k' is not a number" },
	{ SA_CMD_UPDATE, "", 2, "missing 'src ADDR'" },
	{ SA_CMD_UPDATE, BASE GCM " bogus", 2, "unexpected word 'bogus'" },
	{ SA_CMD_GET, "", 2, "missing 'dst ADDR'" },
	{ SA_CMD_GET, "dst 10.0.0.2 proto esp", 2, "missing 'spi SPI'" },
	{ SA_CMD_GET, "dst 10.0.0.2 spi 4096", 2, "missing 'proto esp|ah'" },
	{ SA_CMD_GET, ID " src 10.0.0.1", 2, "unexpected word 'src'" },
	{ SA_CMD_GET, ID " " GCM, 2, "unexpected word 'enc'" },
	{ SA_CMD_GET, ID " spi 4096", 2, "'spi' given twice" },
	{ SA_CMD_DEL, "dst 10.0.0.2", 2, "missing 'proto esp|ah'" },
	{ SA_CMD_DEL, ID " mode tunnel", 2, "unexpected word 'mode'" },
	{ SA_CMD_LIST, "spi 4096", 2, "unexpected word 'spi'" },
	{ SA_CMD_LIST, "dst 10.0.0.0/8", 2, "is not an IPv4 or IPv6 address" },
	{ SA_CMD_LIST, "proto esp proto ah", 2, "'proto' given twice" },
	{ SA_CMD_FLUSH, "dst 10.0.0.1", 2, "unexpected word 'dst'" },
	{ SA_CMD_FLUSH, "proto gre", 2, "'gre' is not one of esp|ah" },

	/* well-formed, but refused as the kernel would refuse it */
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 255 " GCM, 1,
	  "spi 255: SPI 0..255 are reserved" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto esp spi 0 " GCM, 1,
	  "SPI 0..255 are reserved" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst 10.0.0.2 proto ah spi 0xff " SHA1, 1,
	  "SPI 0..255 are reserved" },
	{ SA_CMD_GET, "dst 10.0.0.2 proto esp spi 1", 1,
	  "SPI 0..255 are reserved" },
	{ SA_CMD_DEL, "dst 10.0.0.2 proto esp spi 255", 1,
	  "SPI 0..255 are reserved" },
	{ SA_CMD_ADD, "src 10.0.0.1 dst fd00::2 proto esp spi 4096 " GCM, 1,
	  "src and dst are of different address families" },
	{ SA_CMD_ADD, "src ::ffff:10.0.0.1 dst 10.0.0.2 proto esp spi 4096 " GCM,
	  1, "different address families" },
	{ SA_CMD_ADD, BASE "enc aes-999-gcm key " K20, 1,
	  "enc: unknown algorithm 'aes-999-gcm' (known: aes-128-gcm " },
	{ SA_CMD_ADD, BASE "enc AES-128-GCM key " K20, 1,
	  "unknown algorithm 'AES-128-GCM'" },
	{ SA_CMD_ADD, BASE "enc a-name-longer-than-any-algorithm-name key " K20,
	  1, "unknown algorithm" },
	{ SA_CMD_ADD, BASE CBC " auth hmac-sha3 key " K32, 1,
	  "auth: unknown algorithm 'hmac-sha3' (known: aes-128-gmac aes-256-gmac hmac-sha1" },
	{ SA_CMD_ADD, BASE "enc aes-128-cbx key " K16, 1,
	  "(known: aes-128-gcm aes-192-gcm aes-256-gcm chacha20-poly1305 aes-128-cbc " },
	{ SA_CMD_ADD, BASE "enc hmac-sha1 key " K20, 1,
	  "enc: hmac-sha1 is an integrity algorithm; give it with auth" },
	{ SA_CMD_ADD, BASE "auth aes-128-cbc key " K16, 1,
	  "auth: aes-128-cbc is not an integrity algorithm" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm key " K16, 1,
	  "enc aes-128-gcm: the key must be 20 bytes (16-byte key + 4-byte salt), not 16" },
	{ SA_CMD_ADD, BASE "enc aes-256-cbc key " K16 " " SHA1, 1,
	  "enc aes-256-cbc: the key must be 32 bytes, not 16" },
	{ SA_CMD_ADD, BASE CBC " auth hmac-sha1 key " K16, 1,
	  "auth hmac-sha1: the key must be 20 bytes, not 16" },
	{ SA_CMD_ADD, BASE "enc null key 0x00 " SHA1, 1,
	  "enc null: the key must be 0 bytes, not 1" },
	{ SA_CMD_ADD, BASE "enc null key 0x no-integrity", 1,
	  "enc null without integrity protects nothing" },
	{ SA_CMD_ADD, BASE "enc aes-128-gmac key " K20, 1,
	  "enc: aes-128-gmac is an integrity algorithm; give it with auth" },
	{ SA_CMD_ADD, BASE CBC " auth aes-128-gmac key " K20, 1,
	  "enc: ESP with aes-128-gmac is integrity only; drop enc" },
	{ SA_CMD_ADD, BASE SHA1, 1, "ESP needs 'enc ALG'" },
	{ SA_CMD_ADD, AH GCM " " SHA1, 1,
	  "enc: AH does not encrypt; enc is for ESP only" },
	{ SA_CMD_ADD, AH, 1, "AH needs 'auth ALG'" },
	{ SA_CMD_ADD, AH SHA1 " no-integrity", 1,
	  "no-integrity: AH is integrity protection" },
	{ SA_CMD_ADD, BASE, 1, "ESP needs 'enc ALG'" },
	{ SA_CMD_ADD, BASE CBC, 1,
	  "aes-128-cbc has no integrity protection: add 'auth ALG', or 'no-integrity'" },
	{ SA_CMD_ADD, BASE "enc null key 0x", 1,
	  "null has no integrity protection: add 'auth ALG', or 'no-integrity'" },
	{ SA_CMD_ADD, BASE GCM " " SHA1, 1,
	  "auth: aes-128-gcm already protects integrity" },
	{ SA_CMD_ADD, BASE CBC " " SHA1 " no-integrity", 1,
	  "no-integrity contradicts auth" },
	{ SA_CMD_ADD, BASE GCM " no-integrity", 1,
	  "no-integrity contradicts aes-128-gcm, which always protects integrity" },
	{ SA_CMD_ADD, BASE "auth aes-256-gmac key " K36 " no-integrity", 1,
	  "no-integrity contradicts auth" },
	{ SA_CMD_ADD, BASE GCM " replay-window 4097", 1,
	  "replay-window 4097: at most 4096 packets" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm keyfile @kf640@", 1,
	  "mode 0640 lets group or others read or write it" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm keyfile @kf604@", 1, "mode 0604" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm keyfile @nonexistent@", 1,
	  "No such file or directory" },
	{ SA_CMD_ADD, BASE "enc aes-256-gcm keyfile @kf600@", 1,
	  "enc aes-256-gcm: the key must be 36 bytes" },
	{ SA_CMD_ADD, BASE "enc aes-128-gcm keyfile @kfbad@", 1,
	  "not a hex key" },
};

static void setup_keyfiles(void)
{
	t_file("kf600", K20 "\n", 0600);
	t_file("kf600cbc", H16, 0600);
	t_file("kf600sha1", "  " H16 "01020304  \n", 0600);
	t_file("kf640", K20, 0640);
	t_file("kf604", K20, 0604);
	t_file("kfbad", "0xzz", 0600);
}

static char *json_of(const struct sa *sa, bool show_keys)
{
	char *out = NULL;
	struct json j;

	T_CAPTURE(out, (json_init(&j, f), sa_json(&j, sa, show_keys)));
	return out;
}

/* Every piece of @want is (or, with '!', is not) in @json. */
static bool has_pieces(const char *json, const char *want, char *missing,
		       size_t size)
{
	char buf[1024], *piece, *save = NULL;
	bool neg;

	snprintf(buf, sizeof(buf), "%s", want);
	for (piece = strtok_r(buf, " ", &save); piece;
	     piece = strtok_r(NULL, " ", &save)) {
		neg = piece[0] == '!';
		if (!strstr(json, piece + neg) != neg) {
			snprintf(missing, size, "%s", piece);
			return false;
		}
	}
	return true;
}

/* What sa_put() encodes, sa_from_nest() must read back the same. */
static char *round_trip(const struct sa *sa)
{
	static char buf[4096];
	const struct nlattr *attr;
	struct nlmsghdr *nlh;
	struct sa back;
	char *json = NULL;

	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	sa_put(nlh, sa);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == KIPSEC_A_SA &&
		    !sa_from_nest(attr, &back))
			json = json_of(&back, true);
	}
	return json;
}

static void run_case(const struct sa_case *c)
{
	char buf[1024], missing[256], *argv[ARGV_MAX];
	char *json = NULL, *back = NULL;
	struct perr e = { 0 };
	struct sa sa;
	int argc, ret;

	argc = t_split(c->args, buf, sizeof(buf), argv);
	ret = sa_parse(c->cmd, argc, argv, &sa, &e);
	if (c->status) {
		t_check(ret && e.status == c->status && strstr(e.msg, c->want) &&
			!strstr(e.msg, H16), "sa_parse",
			"'%s': got %d status %d '%s', want status %d '%s'",
			c->args, ret, e.status, e.msg, c->status, c->want);
		goto cleanup;
	}
	if (!t_check(!ret, "sa_parse", "'%s': refused: %s", c->args, e.msg))
		goto cleanup;
	json = json_of(&sa, true);
	t_check(has_pieces(json, c->want, missing, sizeof(missing)),
		"sa_parse", "'%s': '%s' not as wanted in %s", c->args, missing,
		json);
	back = round_trip(&sa);
	t_check(back && !strcmp(json, back), "sa_put/sa_from_nest",
		"'%s': sent %s, read back %s", c->args, json, back);
cleanup:
	free(json);
	free(back);
	sa_wipe(&sa);
}

/* Every algorithm of the table: its exact key length, and one byte less. */
static void alg_key_len_tests(void)
{
	char line[512], key[2 * KEY_MAX_LEN + 3], buf[1024], *argv[ARGV_MAX];
	const struct alg *alg;
	struct perr e;
	struct sa sa;
	size_t i, k, len;
	int argc, ret, delta;

	for (i = 0; (alg = alg_by_index(i)); i++) {
		for (delta = 0; delta <= 1; delta++) {
			if (delta && !alg->key_len)
				continue;
			len = alg->key_len - delta;
			strcpy(key, "0x");
			for (k = 0; k < len; k++)
				strcat(key, "ab");
			if (alg->type == KIPSEC_ALG_TYPE_AUTH ||
			    alg->type == KIPSEC_ALG_TYPE_AEAD_AUTH)
				snprintf(line, sizeof(line),
					 AH "auth %s key %s", alg->name, key);
			else if (alg->type == KIPSEC_ALG_TYPE_CIPHER)
				snprintf(line, sizeof(line),
					 BASE "enc %s key %s " SHA1, alg->name,
					 key);
			else
				snprintf(line, sizeof(line),
					 BASE "enc %s key %s", alg->name, key);
			argc = t_split(line, buf, sizeof(buf), argv);
			ret = sa_parse(SA_CMD_ADD, argc, argv, &sa, &e);
			t_check(delta ? ret && e.status == 1 &&
					strstr(e.msg, "the key must be") :
					!ret, "algorithm key length",
				"%s with %zu bytes: got %d '%s'", alg->name,
				len, ret, ret ? e.msg : "");
			sa_wipe(&sa);
		}
	}
}

/* The names and sizes the tool checks against are those of kmod/alg.c. */
static const struct {
	const char *name;
	unsigned int type, key_len, icv_len;
} kernel_algs[] = {
	{ "aes-128-gcm", KIPSEC_ALG_TYPE_AEAD, 20, 16 },
	{ "aes-192-gcm", KIPSEC_ALG_TYPE_AEAD, 28, 16 },
	{ "aes-256-gcm", KIPSEC_ALG_TYPE_AEAD, 36, 16 },
	{ "chacha20-poly1305", KIPSEC_ALG_TYPE_AEAD, 36, 16 },
	{ "aes-128-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 20, 16 },
	{ "aes-256-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 36, 16 },
	{ "aes-128-cbc", KIPSEC_ALG_TYPE_CIPHER, 16, 0 },
	{ "aes-192-cbc", KIPSEC_ALG_TYPE_CIPHER, 24, 0 },
	{ "aes-256-cbc", KIPSEC_ALG_TYPE_CIPHER, 32, 0 },
	{ "3des-cbc", KIPSEC_ALG_TYPE_CIPHER, 24, 0 },
	{ "null", KIPSEC_ALG_TYPE_CIPHER, 0, 0 },
	{ "hmac-sha1", KIPSEC_ALG_TYPE_AUTH, 20, 12 },
	{ "hmac-sha2-256", KIPSEC_ALG_TYPE_AUTH, 32, 16 },
	{ "hmac-sha2-384", KIPSEC_ALG_TYPE_AUTH, 48, 24 },
	{ "hmac-sha2-512", KIPSEC_ALG_TYPE_AUTH, 64, 32 },
	{ "hmac-md5", KIPSEC_ALG_TYPE_AUTH, 16, 12 },
};

static void alg_table_tests(void)
{
	const struct alg *alg;
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(kernel_algs); i++) {
		alg = alg_find(kernel_algs[i].name);
		t_check(alg && alg->type == kernel_algs[i].type &&
			alg->key_len == kernel_algs[i].key_len &&
			alg->icv_len == kernel_algs[i].icv_len, "alg table",
			"%s differs from the issue's table", kernel_algs[i].name);
	}
	while (alg_by_index(n))
		n++;
	t_check(n == ARRAY_SIZE(kernel_algs), "alg table",
		"%zu algorithms, want %zu", n, ARRAY_SIZE(kernel_algs));
}

/* A reply as a newer kernel might send it. */
static struct nlmsghdr *reply(char *buf, bool bad_spi)
{
	static const uint8_t dst[4] = { 10, 0, 0, 2 };
	static const uint8_t key[4] = { 1, 2, 3, 4 };
	struct nlattr *nest, *stats, *life;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_u32(nlh, KIPSEC_A_MAX + 1, 7);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);
	mnl_attr_put(nlh, KIPSEC_A_SA_SRC, 4, dst);
	mnl_attr_put(nlh, KIPSEC_A_SA_DST, 4, dst);
	mnl_attr_put_u8(nlh, KIPSEC_A_SA_PROTO, IPPROTO_AH);
	if (bad_spi)
		mnl_attr_put_u16(nlh, KIPSEC_A_SA_SPI, 300);
	else
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 300);
	mnl_attr_put_u8(nlh, KIPSEC_A_SA_MODE, KIPSEC_MODE_TUNNEL);
	mnl_attr_put_strz(nlh, KIPSEC_A_SA_AUTH_ALG, "hmac-future");
	mnl_attr_put(nlh, KIPSEC_A_SA_AUTH_KEY, sizeof(key), key);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FLAGS, KIPSEC_SA_F_ESN | 1U << 9);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW, 128);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ, 5);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_MAX + 1, 99);	/* unknown */
	life = mnl_attr_nest_start(nlh, KIPSEC_A_SA_LIFETIME_HARD);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_PACKETS, 1000);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_MAX + 3, 1);	/* unknown */
	mnl_attr_nest_end(nlh, life);
	stats = mnl_attr_nest_start(nlh, KIPSEC_A_SA_STATS);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_PACKETS, 3);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_BYTES, 300);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_REPLAY_DROPS, 4);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_INTEGRITY_FAILURES, 5);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_OTHER_DROPS, 6);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_ADD_TIME, 1700000000);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_USE_TIME, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_MAX + 1, 7);	/* unknown */
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static const struct nlattr *sa_attr(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == KIPSEC_A_SA)
			return attr;
	return NULL;
}

static void reply_tests(void)
{
	static const char want[] =
		"{\"src\":\"10.0.0.2\",\"dst\":\"10.0.0.2\",\"proto\":\"ah\","
		"\"spi\":300,\"mode\":\"tunnel\",\"auth\":\"hmac-future\","
		"\"auth_key\":\"0x01020304\",\"no_integrity\":false,"
		"\"esn\":true,\"replay_window\":128,\"seq\":5,"
		"\"lifetime\":{\"soft\":" LIFE0 ",\"hard\":{\"bytes\":0,"
		"\"packets\":1000,\"add_seconds\":0,\"use_seconds\":0}},"
		"\"stats\":{\"packets\":3,\"bytes\":300,\"replay_drops\":4,"
		"\"integrity_failures\":5,\"other_drops\":6,"
		"\"add_time\":1700000000,\"use_time\":0}}\n";
	char buf[4096], *out = NULL;
	struct sa sa;
	int ret;

	ret = sa_from_nest(sa_attr(reply(buf, false)), &sa);
	if (!t_check(!ret, "sa_from_nest", "unknown attributes must be ignored"))
		return;
	T_CAPTURE(out, sa_print_one(f, &sa, true, true));
	t_check(!strcmp(out, want), "sa json", "got %s want %s", out, want);
	free(out);

	T_CAPTURE(out, sa_print_one(f, &sa, true, false));
	t_check(!strstr(out, "auth_key") && !strstr(out, "0x01020304"),
		"sa json", "a key without -s: %s", out);
	free(out);

	T_CAPTURE(out, sa_print_one(f, &sa, false, false));
	t_check(strstr(out, "spi:") && strstr(out, "0x0000012c (300)") &&
		strstr(out, "replay window:") && strstr(out, "seq:") &&
		strstr(out, "flags:               esn") &&
		strstr(out, "hard lifetime:       packets 1000") &&
		strstr(out, "soft lifetime:       unlimited") &&
		strstr(out, "integrity failures:  5") &&
		strstr(out, "replay drops:        4") &&
		strstr(out, "other drops:         6") &&
		strstr(out, "bytes:               300") &&
		strstr(out, "first used:          never") &&
		!strstr(out, "0x01020304"), "sa text", "got:\n%s", out);
	free(out);

	T_CAPTURE(out, sa_print_one(f, &sa, false, true));
	t_check(strstr(out, "auth key:            0x01020304") != NULL,
		"sa text", "-s shows the key: %s", out);
	free(out);

	ret = sa_from_nest(sa_attr(reply(buf, true)), &sa);
	t_check(ret && errno == EPROTO, "sa_from_nest",
		"a 2-byte SPI must be refused");
	sa_wipe(&sa);
}

static void list_output_tests(void)
{
	char buf[1024], *argv[ARGV_MAX], *out = NULL;
	struct sa sas[2];
	struct perr e;
	int argc;

	T_CAPTURE(out, sa_print_list(f, NULL, 0, true, false));
	t_check(!strcmp(out, "[]\n"), "sa list json", "empty: '%s'", out);
	free(out);
	T_CAPTURE(out, sa_print_list(f, NULL, 0, false, false));
	t_check(!strcmp(out, ""), "sa list text", "empty: '%s'", out);
	free(out);

	argc = t_split(BASE GCM, buf, sizeof(buf), argv);
	sa_parse(SA_CMD_ADD, argc, argv, &sas[0], &e);
	argc = t_split("src fd00::1 dst fd00::2 proto ah spi 300 " SHA1, buf,
		       sizeof(buf), argv);
	sa_parse(SA_CMD_ADD, argc, argv, &sas[1], &e);

	T_CAPTURE(out, sa_print_list(f, sas, 2, true, false));
	t_check(out[0] == '[' && strstr(out, "},{\"src\":\"fd00::1\"") &&
		!strstr(out, "_key"), "sa list json", "got %s", out);
	free(out);

	T_CAPTURE(out, sa_print_list(f, sas, 2, false, false));
	t_check(!strcmp(out,
			"SRC       DST       PROTO  SPI         MODE       ENC          AUTH       FLAGS  PACKETS  BYTES\n"
			"10.0.0.1  10.0.0.2  esp    0x00001000  transport  aes-128-gcm  -          -      0        0\n"
			"fd00::1   fd00::2   ah     0x0000012c  transport  -            hmac-sha1  -      0        0\n"),
		"sa list text", "got:\n%s", out);
	free(out);

	T_CAPTURE(out, sa_print_list(f, sas, 2, false, true));
	t_check(strstr(out, "ENC-KEY") && strstr(out, K20), "sa list text",
		"-s shows the keys:\n%s", out);
	free(out);
	sa_wipe(&sas[0]);
	sa_wipe(&sas[1]);
}

void sa_tests(void)
{
	size_t i;

	setup_keyfiles();
	for (i = 0; i < ARRAY_SIZE(sa_cases); i++)
		run_case(&sa_cases[i]);
	alg_key_len_tests();
	alg_table_tests();
	reply_tests();
	list_output_tests();
}
