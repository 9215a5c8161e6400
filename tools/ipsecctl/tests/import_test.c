// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl import setkey|openbsd: sample texts and their exact
 * translation, what is reported as not translated (and that no key is in
 * a report), malformed input (no output at all), the sample files of
 * tests/import/ (every line accepted by the grammar's own parsers), and
 * the built binary's exit statuses.
 */
#include <fcntl.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "import.h"
#include "policy.h"
#include "sa.h"
#include "unit.h"

extern char **environ;


/* Key material: never in a message or a comment. */
#define H16	"00112233445566778899aabbccddeeff"
#define K16	"0x" H16
#define K20	K16 "c0ffee01"
#define K24	K16 "0102030405060708"
#define K32	K16 "ffeeddccbbaa99887766554433221100"
#define K36	K32 "c0ffee02"
#define K64	K32 H16 "ffeeddccbbaa99887766554433221100"
#define KEY_MARK	"00112233445566778899"

#define SA_A	"sa add src 10.0.0.1 dst 10.0.0.2 proto "
#define SA_B	"sa add src 10.0.0.2 dst 10.0.0.1 proto "
#define POL_OUT	"policy add dir out src 10.0.0.1/32 dst 10.0.0.2/32 "
#define POL_IN	"policy add dir in src 10.0.0.2/32 dst 10.0.0.1/32 "
#define SKIP(fmt, line, what, why) \
	"# not translated (t.conf:" #line "): " what ": " why "\n"
#define ERR(fmt, line, what, why) \
	"ipsecctl: import " #fmt ": t.conf:" #line ": cannot translate " what \
	": " why "\n"
#define TUNNEL	"kipsec does transport mode only"
#define NOID	"kipsec pairs policies and SAs by SPI and addresses, not by id"

/* @out and @err are the whole of standard output and standard error. */
static const struct import_case {
	const char *format;
	const char *in;
	int status;
	const char *out;
	const char *err;
} import_cases[] = {
	/* setkey: every algorithm kipsec has, by name and key length */
	{ "setkey",
	  "add 10.0.0.1 10.0.0.2 esp 0x1001 -m transport -E rijndael-cbc " K16
	  " -A hmac-sha1 " K20 ";\n"
	  "add 10.0.0.2 10.0.0.1 esp 4098 -E aes-cbc " K24 " -A hmac-sha256 " K32
	  ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1003 -E aes-cbc " K32
	  " -A hmac-sha2-384 " K32 H16 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1004 -E 3des-cbc " K24
	  " -A hmac-sha512 " K64 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1005 -E aes-gcm-16 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1006 -E aes-gcm-16 " K36 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1007 -E chacha20-poly1305 " K36 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1008 -E null -A hmac-md5 " K16 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1009 -E aes-cbc " K16 ";\n"
	  "add 10.0.0.1 10.0.0.2 ah 0x100a -A hmac-sha2-256 \"0123456789abcdef0123456789abcdef\";\n",
	  0,
	  SA_A "esp spi 0x1001 mode transport enc aes-128-cbc key " K16
	  " auth hmac-sha1 key " K20 "\n"
	  SA_B "esp spi 0x1002 mode transport enc aes-192-cbc key " K24
	  " auth hmac-sha2-256 key " K32 "\n"
	  SA_A "esp spi 0x1003 mode transport enc aes-256-cbc key " K32
	  " auth hmac-sha2-384 key " K32 H16 "\n"
	  SA_A "esp spi 0x1004 mode transport enc 3des-cbc key " K24
	  " auth hmac-sha2-512 key " K64 "\n"
	  SA_A "esp spi 0x1005 mode transport enc aes-128-gcm key " K20 "\n"
	  SA_A "esp spi 0x1006 mode transport enc aes-256-gcm key " K36 "\n"
	  SA_A "esp spi 0x1007 mode transport enc chacha20-poly1305 key " K36
	  "\n"
	  SA_A "esp spi 0x1008 mode transport enc null key 0x auth hmac-md5 key "
	  K16 "\n"
	  SA_A "esp spi 0x1009 mode transport enc aes-128-cbc key " K16
	  " no-integrity\n"
	  SA_A "ah spi 0x100a mode transport auth hmac-sha2-256 key 0x3031323334353637383961626364656630313233343536373839616263646566\n",
	  "" },
	/* setkey: extensions, IPv6, comments, statements over lines */
	{ "setkey",
	  "# a comment ; with a semicolon\n"
	  "flush;\nspdflush;\nflush esp;\nflush ah;\n"
	  "add -6 fd00::1 fd00::2 esp 0x2001 -m any -r 4 -f seq-pad\n"
	  "\t-ls 100 -lh 200 -bs 1000 -bh 2000 # lifetimes\n"
	  "\t-E aes-gcm-16 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1001 -r 0 -E aes-gcm-16 " K20 ";\n",
	  0,
	  "sa flush\npolicy flush\nsa flush proto esp\nsa flush proto ah\n"
	  "sa add src fd00::1 dst fd00::2 proto esp spi 0x2001 mode transport enc aes-128-gcm key "
	  K20 " replay-window 32 soft bytes 1000 soft add-seconds 100 hard bytes 2000 hard add-seconds 200\n"
	  SA_A "esp spi 0x1001 mode transport enc aes-128-gcm key " K20
	  " replay-window 0\n",
	  "" },
	/* setkey: policies */
	{ "setkey",
	  "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;\n"
	  "spdadd 10.0.0.2 10.0.0.1 any -P in ipsec\n\tesp/transport//use;\n"
	  "spdadd -6 fd00::/64[any] fd00::2/128[443] tcp -P out prio 10 none;\n"
	  "spdadd 10.0.0.2[53] 10.0.0.1 udp -P in discard;\n"
	  "spdadd 10.0.0.1 10.0.0.2 icmp -P out ipsec esp/transport//unique\n"
	  "\tah/transport//require;\n"
	  "spdadd 0.0.0.0/0 10.0.0.2 icmp6 -P out bypass;\n",
	  0,
	  POL_OUT "action protect esp level require\n"
	  POL_IN "action protect esp level use\n"
	  "policy add dir out src fd00::/64 dst fd00::2/128 proto tcp dport 443 priority 10 action bypass\n"
	  POL_IN "proto udp sport 53 action discard\n"
	  POL_OUT "proto icmp action protect esp level require ah level require\n"
	  "policy add dir out src 0.0.0.0/0 dst 10.0.0.2/32 proto ipv6-icmp action bypass\n",
	  "" },
	/* setkey: what kipsec cannot do, one per statement, the rest kept */
	{ "setkey",
	  "add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -E aes-cbc " K16
	  " -A hmac-sha1 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1002 -E blowfish-cbc " K16 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1003 -E twofish-ofb " K16 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1004 -u 7 -E aes-gcm-16 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x1005 -E aes-cbc " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 ah 0x1006 -A hmac-sha1 " K16 ";\n"
	  "add 10.0.0.1 10.0.0.2 ah 0x1007 -A aes-xcbc-mac " K16 ";\n"
	  "add 10.0.0.1 10.0.0.2 ipcomp 0x1008 -C deflate;\n"
	  "add 10.0.0.1 10.0.0.2 tcp 0x1009 -A tcp-md5 \"secret\";\n"
	  "add 10.0.0.1[4500] 10.0.0.2 esp 0x100a -E aes-gcm-16 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x100b -f zero-pad -E aes-gcm-16 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x100c -r 1024 -E aes-gcm-16 " K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 0x100d -E aes-gcm-16 " K20 " -A hmac-sha1 "
	  K20 ";\n"
	  "add 10.0.0.1 10.0.0.2 esp 255 -E aes-gcm-16 " K20 ";\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P fwd ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:7;\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//default;\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ah/transport//require esp/transport//require;\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P out entrust;\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P out prio def+1 none;\n"
	  "spdadd 10.0.0.1/8 10.0.0.2 any -P out none;\n"
	  "spdadd 10.0.0.1 10.0.0.2[22] any -P out none;\n"
	  "delete 10.0.0.1 10.0.0.2 esp 0x1001;\n"
	  "flush ipcomp;\n"
	  "spdadd 10.0.0.1 10.0.0.2 any -P out none;\n",
	  1,
	  SKIP(setkey, 1, "-m tunnel", TUNNEL)
	  SKIP(setkey, 2, "blowfish-cbc", "kipsec has no such algorithm")
	  SKIP(setkey, 3, "twofish-ofb", "an algorithm unknown to this ipsecctl")
	  SKIP(setkey, 4, "-u (unique SA id)", NOID)
	  SKIP(setkey, 5, "aes-cbc",
	       "a 20-byte key fits none of kipsec's algorithms for it")
	  SKIP(setkey, 6, "hmac-sha1",
	       "a 16-byte key fits none of kipsec's algorithms for it")
	  SKIP(setkey, 7, "aes-xcbc-mac", "kipsec has no such algorithm")
	  SKIP(setkey, 8, "ipcomp", "kipsec does ESP and AH (RFC 4302, 4303) only")
	  SKIP(setkey, 9, "tcp", "kipsec does ESP and AH (RFC 4302, 4303) only")
	  SKIP(setkey, 10, "a port in an SA address",
	       "kipsec has no UDP encapsulation (NAT-T)")
	  SKIP(setkey, 11, "zero-pad", "kipsec always pads 1, 2, 3, ... (RFC 4303)")
	  SKIP(setkey, 12, "-r", "a window of 8192 packets is beyond kipsec's 4096")
	  SKIP(setkey, 13, "SA",
	       "auth: aes-128-gcm already protects integrity; drop auth")
	  SKIP(setkey, 14, "SA", "spi 255: SPI 0..255 are reserved (RFC 4301)")
	  SKIP(setkey, 15, "-P fwd",
	       "kipsec protects the host's own traffic, not forwarded packets")
	  SKIP(setkey, 16, "unique:ID", NOID)
	  SKIP(setkey, 17, "level default",
	       "it depends on the KAME host's sysctls; write require or use")
	  SKIP(setkey, 18, "this bundle",
	       "kipsec bundles ESP inside AH only (esp/... ah/...)")
	  SKIP(setkey, 19, "entrust", "kipsec has no system policy to defer to")
	  SKIP(setkey, 20, "priority",
	       "only a plain number maps to kipsec's priority")
	  SKIP(setkey, 21, "10.0.0.1/8", "host bits set beyond the prefix length")
	  SKIP(setkey, 22, "policy",
	       "dport needs proto tcp, udp, udplite or sctp")
	  SKIP(setkey, 23, "delete",
	       "only add, spdadd, flush and spdflush describe a configuration")
	  SKIP(setkey, 24, "ipcomp", "kipsec does ESP and AH only")
	  POL_OUT "action bypass\n",
	  ERR(setkey, 1, "-m tunnel", TUNNEL)
	  ERR(setkey, 2, "blowfish-cbc", "kipsec has no such algorithm")
	  ERR(setkey, 3, "twofish-ofb", "an algorithm unknown to this ipsecctl")
	  ERR(setkey, 4, "-u (unique SA id)", NOID)
	  ERR(setkey, 5, "aes-cbc",
	      "a 20-byte key fits none of kipsec's algorithms for it")
	  ERR(setkey, 6, "hmac-sha1",
	      "a 16-byte key fits none of kipsec's algorithms for it")
	  ERR(setkey, 7, "aes-xcbc-mac", "kipsec has no such algorithm")
	  ERR(setkey, 8, "ipcomp", "kipsec does ESP and AH (RFC 4302, 4303) only")
	  ERR(setkey, 9, "tcp", "kipsec does ESP and AH (RFC 4302, 4303) only")
	  ERR(setkey, 10, "a port in an SA address",
	      "kipsec has no UDP encapsulation (NAT-T)")
	  ERR(setkey, 11, "zero-pad", "kipsec always pads 1, 2, 3, ... (RFC 4303)")
	  ERR(setkey, 12, "-r", "a window of 8192 packets is beyond kipsec's 4096")
	  ERR(setkey, 13, "SA",
	      "auth: aes-128-gcm already protects integrity; drop auth")
	  ERR(setkey, 14, "SA", "spi 255: SPI 0..255 are reserved (RFC 4301)")
	  ERR(setkey, 15, "-P fwd",
	      "kipsec protects the host's own traffic, not forwarded packets")
	  ERR(setkey, 16, "unique:ID", NOID)
	  ERR(setkey, 17, "level default",
	      "it depends on the KAME host's sysctls; write require or use")
	  ERR(setkey, 18, "this bundle",
	      "kipsec bundles ESP inside AH only (esp/... ah/...)")
	  ERR(setkey, 19, "entrust", "kipsec has no system policy to defer to")
	  ERR(setkey, 20, "priority",
	      "only a plain number maps to kipsec's priority")
	  ERR(setkey, 21, "10.0.0.1/8", "host bits set beyond the prefix length")
	  ERR(setkey, 22, "policy",
	      "dport needs proto tcp, udp, udplite or sctp")
	  ERR(setkey, 23, "delete",
	      "only add, spdadd, flush and spdflush describe a configuration")
	  ERR(setkey, 24, "ipcomp", "kipsec does ESP and AH only") },
	/* setkey: malformed input, reported alone and without output */
	{ "setkey", "add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel;\nspdflush\n", 1,
	  "", "ipsecctl: import setkey: t.conf:2: 'spdflush' is not ended by ';'\n" },
	{ "setkey", "flush;\n\nadd 10.0.0.1 10.0.0.2 espx 0x1001 -E null;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:3: add: 'espx' is not a protocol\n" },
	{ "setkey", "add 10.0.0.1 10.0.0.2 esp 0x1001 -E aes-cbc 0x0011zz;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: aes-cbc: the key is neither \"TEXT\" nor 0xHEX (at most 64 bytes)\n" },
	{ "setkey", "add 10.0.0.1 10.0.0.2 esp 0x1001 -E aes-cbc " K16 " -A;\n",
	  1, "", "ipsecctl: import setkey: t.conf:1: missing authentication algorithm\n" },
	{ "setkey", "add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -x;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: add: unexpected '-x'\n" },
	{ "setkey", "add 10.0.0.1 10.0.0.2 esp zz -E null;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: add: 'zz' is not an SPI\n" },
	{ "setkey", "add 10.0.0.1 10.0.0.2 esp 0x1001;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: add: ESP needs -E\n" },
	{ "setkey", "spdadd 10.0.0.1 10.0.0.2 any -P up none;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: 'up' is not in, out or fwd\n" },
	{ "setkey", "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: ipsec needs a request (esp/transport//require)\n" },
	{ "setkey", "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport;\n",
	  1, "", "ipsecctl: import setkey: t.conf:1: 'esp/transport' is not PROTO/MODE/SRC-DST/LEVEL\n" },
	{ "setkey", "frob;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: unknown command 'frob'\n" },
	{ "setkey", "flush;\n;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:2: ';' without a command\n" },
	{ "setkey", "add 10.0.0.1 10.0.0.2 ah 0x1001 -A hmac-sha1 \"open;\n", 1,
	  "", "ipsecctl: import setkey: t.conf:1: unterminated quoted string\n" },
	{ "setkey", "", 0, "", "" },
	{ "setkey", "# nothing but a comment\n\n", 0, "", "" },

	/* OpenBSD: an SA line for both directions, defaults, flows */
	{ "openbsd",
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1003:0x1004 \\\n"
	  "\tauth hmac-sha2-512 enc aes authkey " K64 ":" K64 " \\\n"
	  "\tenckey " K32 ":" K24 "\n",
	  0,
	  SA_A "esp spi 0x1003 mode transport enc aes-256-cbc key " K32
	  " auth hmac-sha2-512 key " K64 "\n"
	  SA_B "esp spi 0x1004 mode transport enc aes-192-cbc key " K24
	  " auth hmac-sha2-512 key " K64 "\n",
	  "" },
	{ "openbsd",
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001:0x1002 \\\n"
	  "\tauthkey " K32 ":" K32 " enckey " K16 ":" K16 "\n"
	  "ah transport from fd00::1 to fd00::2 spi 0x2001 auth hmac-sha1 authkey " K20 "\n"
	  "esp transport to 10.0.0.2 from 10.0.0.1 spi 0x3001 enc aes-128-gcm enckey " K20 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x3002 enc aes-256-gmac enckey " K36 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x3003 enc chacha20-poly1305 enckey " K36 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x3004 auth hmac-md5 enc null authkey " K16 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x3005 enc 3des authkey " K32 " enckey " K24 "\n"
	  "ah transport from 10.0.0.1 to 10.0.0.2 spi 0x3006:0x3007 authkey file \"/etc/k/a:/etc/k/b\"\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x3008 enc aes-128 authkey " K32 " enckey file \"k\"\n",
	  0,
	  SA_A "esp spi 0x1001 mode transport enc aes-128-cbc key " K16
	  " auth hmac-sha2-256 key " K32 "\n"
	  SA_B "esp spi 0x1002 mode transport enc aes-128-cbc key " K16
	  " auth hmac-sha2-256 key " K32 "\n"
	  "sa add src fd00::1 dst fd00::2 proto ah spi 0x2001 mode transport auth hmac-sha1 key " K20 "\n"
	  SA_A "esp spi 0x3001 mode transport enc aes-128-gcm key " K20 "\n"
	  SA_A "esp spi 0x3002 mode transport auth aes-256-gmac key " K36 "\n"
	  SA_A "esp spi 0x3003 mode transport enc chacha20-poly1305 key " K36 "\n"
	  SA_A "esp spi 0x3004 mode transport enc null key 0x auth hmac-md5 key " K16 "\n"
	  SA_A "esp spi 0x3005 mode transport enc 3des-cbc key " K24
	  " auth hmac-sha2-256 key " K32 "\n"
	  SA_A "ah spi 0x3006 mode transport auth hmac-sha2-256 keyfile /etc/k/a\n"
	  SA_B "ah spi 0x3007 mode transport auth hmac-sha2-256 keyfile /etc/k/b\n"
	  SA_A "esp spi 0x3008 mode transport enc aes-128-cbc keyfile k auth hmac-sha2-256 key " K32 "\n",
	  "" },
	{ "openbsd",
	  "flow esp from 10.0.0.1 to 10.0.0.2\n"
	  "flow ah out proto tcp from 10.0.0.1 port 179 to 10.0.0.2 type use\n"
	  "flow esp in from fd00::2 to fd00::1 peer fd00::2 type acquire\n"
	  "flow esp from any to 10.0.0.2 type dontacq\n"
	  "flow from 10.0.0.1 to 10.0.0.2 srcid me@example.org type deny\n"
	  "flow proto udp from any port 53 to any type bypass\n"
	  "flow esp to 10.0.0.2 port 80 from 10.0.0.1 local 10.0.0.1 peer 10.0.0.2\n",
	  1,
	  POL_OUT "action protect esp level require\n"
	  POL_IN "action protect esp level require\n"
	  POL_OUT "proto tcp sport 179 action protect ah level use\n"
	  "policy add dir in src fd00::2/128 dst fd00::1/128 action protect esp level use\n"
	  "policy add dir out dst 10.0.0.2/32 action protect esp level require\n"
	  "policy add dir in src 10.0.0.2/32 action protect esp level require\n"
	  POL_OUT "action discard\n"
	  POL_IN "action discard\n"
	  "policy add dir out proto udp sport 53 action bypass\n"
	  "policy add dir in proto udp dport 53 action bypass\n"
	  "# not translated (t.conf:7): policy: dport needs proto tcp, udp, udplite or sctp\n",
	  "ipsecctl: import openbsd: t.conf:7: cannot translate policy: dport needs proto tcp, udp, udplite or sctp\n" },
	/* OpenBSD: what kipsec cannot do */
	{ "openbsd",
	  "remote = \"10.0.0.9\"\n"
	  "flow esp from 10.0.0.1 to 10.0.0.2 peer $remote\n"
	  "esp from 10.0.0.1 to 10.0.0.2 spi 0x1001 authkey " K32 " enckey " K16 "\n"
	  "esp tunnel from 10.0.0.1 to 10.0.0.2 spi 0x1001 authkey " K32 " enckey " K16 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001 enc blowfish authkey " K32 " enckey " K16 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001 enc aes-192-gmac enckey " K24 "c0ffee03\n"
	  "ah transport from 10.0.0.1 to 10.0.0.2 spi 0x1001 auth hmac-ripemd160 authkey " K20 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001 enc aes authkey " K32 " enckey " K20 "\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001 enc aes authkey " K32 " enckey file \"k\"\n"
	  "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001 udpencap port 4500 enc aes-128-gcm enckey " K20 "\n"
	  "esp transport from { 10.0.0.1, 10.0.0.3 } to 10.0.0.2 spi 0x1001 enc aes-128-gcm enckey " K20 "\n"
	  "esp transport from 10.0.0.0/24 to 10.0.0.2 spi 0x1001 enc aes-128-gcm enckey " K20 "\n"
	  "esp transport from host.example.org to 10.0.0.2 spi 0x1001 enc aes-128-gcm enckey " K20 "\n"
	  "flow esp from 10.0.0.0/24 to 10.1.0.0/24 peer 10.0.0.9\n"
	  "flow esp from 10.0.0.1 to 10.0.0.2 peer 10.0.0.9\n"
	  "flow ipip from 10.0.0.1 to 10.0.0.2\n"
	  "ike esp from 10.0.0.1 to 10.0.0.2\n"
	  "ike dynamic esp from any to 10.0.0.2 psk \"" H16 "\"\n"
	  "tcpmd5 from 10.0.0.1 to 10.0.0.2 spi 0x1001 authkey " K16 "\n"
	  "ipcomp transport from 10.0.0.1 to 10.0.0.2 spi 0x1001\n"
	  "include \"/etc/ipsec.other.conf\"\n"
	  "flow esp proto tcp from 10.0.0.1 port ssh to 10.0.0.2\n",
	  1,
	  SKIP(openbsd, 1, "macro definition", "macros are not expanded; write the values")
	  SKIP(openbsd, 2, "macro", "macros are not expanded; write the values")
	  SKIP(openbsd, 3, "tunnel mode", TUNNEL " (ipsec.conf SAs are tunnels unless 'transport' is given)")
	  SKIP(openbsd, 4, "tunnel mode", TUNNEL " (ipsec.conf SAs are tunnels unless 'transport' is given)")
	  SKIP(openbsd, 5, "blowfish", "kipsec has no such algorithm")
	  SKIP(openbsd, 6, "aes-192-gmac", "kipsec has no such algorithm")
	  SKIP(openbsd, 7, "hmac-ripemd160", "kipsec has no such algorithm")
	  SKIP(openbsd, 8, "aes", "a 20-byte key is not an AES key")
	  SKIP(openbsd, 9, "aes with a key file", "the key length, which decides AES-128/192/256, is in the file: write aes-128, aes-192 or aes-256")
	  SKIP(openbsd, 10, "udpencap", "kipsec has no UDP encapsulation (NAT-T)")
	  SKIP(openbsd, 11, "an address list", "write one line per address")
	  SKIP(openbsd, 12, "10.0.0.0/24", "an SA is between two addresses")
	  SKIP(openbsd, 13, "host.example.org", "not an address (host, interface and group names are not resolved)")
	  SKIP(openbsd, 14, "a flow between networks", "it needs a tunnel; " TUNNEL)
	  SKIP(openbsd, 15, "a peer other than the remote host", "it is a tunnel endpoint; " TUNNEL)
	  SKIP(openbsd, 16, "ipip", "kipsec does ESP and AH only")
	  SKIP(openbsd, 17, "ike", "kipsec has no key exchange daemon: only manual keying is translated")
	  SKIP(openbsd, 18, "ike", "kipsec has no key exchange daemon: only manual keying is translated")
	  SKIP(openbsd, 19, "tcpmd5", "kipsec has no TCP MD5 signatures (RFC 2385)")
	  SKIP(openbsd, 20, "ipcomp", "kipsec does ESP and AH only")
	  SKIP(openbsd, 21, "include", "import the included file by itself")
	  SKIP(openbsd, 22, "ssh", "only port numbers are translated"),
	  ERR(openbsd, 1, "macro definition", "macros are not expanded; write the values")
	  ERR(openbsd, 2, "macro", "macros are not expanded; write the values")
	  ERR(openbsd, 3, "tunnel mode", TUNNEL " (ipsec.conf SAs are tunnels unless 'transport' is given)")
	  ERR(openbsd, 4, "tunnel mode", TUNNEL " (ipsec.conf SAs are tunnels unless 'transport' is given)")
	  ERR(openbsd, 5, "blowfish", "kipsec has no such algorithm")
	  ERR(openbsd, 6, "aes-192-gmac", "kipsec has no such algorithm")
	  ERR(openbsd, 7, "hmac-ripemd160", "kipsec has no such algorithm")
	  ERR(openbsd, 8, "aes", "a 20-byte key is not an AES key")
	  ERR(openbsd, 9, "aes with a key file", "the key length, which decides AES-128/192/256, is in the file: write aes-128, aes-192 or aes-256")
	  ERR(openbsd, 10, "udpencap", "kipsec has no UDP encapsulation (NAT-T)")
	  ERR(openbsd, 11, "an address list", "write one line per address")
	  ERR(openbsd, 12, "10.0.0.0/24", "an SA is between two addresses")
	  ERR(openbsd, 13, "host.example.org", "not an address (host, interface and group names are not resolved)")
	  ERR(openbsd, 14, "a flow between networks", "it needs a tunnel; " TUNNEL)
	  ERR(openbsd, 15, "a peer other than the remote host", "it is a tunnel endpoint; " TUNNEL)
	  ERR(openbsd, 16, "ipip", "kipsec does ESP and AH only")
	  ERR(openbsd, 17, "ike", "kipsec has no key exchange daemon: only manual keying is translated")
	  ERR(openbsd, 18, "ike", "kipsec has no key exchange daemon: only manual keying is translated")
	  ERR(openbsd, 19, "tcpmd5", "kipsec has no TCP MD5 signatures (RFC 2385)")
	  ERR(openbsd, 20, "ipcomp", "kipsec does ESP and AH only")
	  ERR(openbsd, 21, "include", "import the included file by itself")
	  ERR(openbsd, 22, "ssh", "only port numbers are translated") },
	/* OpenBSD: malformed input */
	{ "openbsd", "flow esp from 10.0.0.1 to 10.0.0.2\nflow esp fromm 10.0.0.1 to 10.0.0.2\n",
	  1, "", "ipsecctl: import openbsd: t.conf:2: 'fromm': from or to expected\n" },
	{ "openbsd", "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 enc aes enckey " K16 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: no authentication key specified\n" },
	{ "openbsd", "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 enc aes authkey " K32 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: no encryption key specified\n" },
	{ "openbsd", "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1000:0x1001 enc aes-128-gcm enckey " K20 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: no key specified for the reverse SA\n" },
	{ "openbsd", "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 enc aes-128-gcm enckey " K20 ":" K20 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: no SPI specified for the reverse SA\n" },
	{ "openbsd", "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 enc aes-128-gcm auth hmac-sha1 enckey " K20 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: authentication is implicit for aes-128-gcm\n" },
	{ "openbsd", "ah transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 enc aes authkey " K32 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: ah does not provide encryption\n" },
	{ "openbsd", "ah transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 authkey " K16 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: authkey: wrong key length, hmac-sha2-256 needs 256 bits\n" },
	{ "openbsd", "esp transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 enc aes-128-gcm enckey " K20 " authkey " K32 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: unexpected 'authkey'\n" },
	{ "openbsd", "ah transport from 10.0.0.1 to 10.0.0.2 spi 0x1000 authkey 0xzz\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: authkey: not a hex key\n" },
	{ "openbsd", "ah transport from 10.0.0.1 to 10.0.0.2 spi x authkey " K32 "\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: 'x' is not a valid spi\n" },
	{ "openbsd", "flow esp from 10.0.0.1 to 10.0.0.2 type sometimes\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: 'sometimes' is not a flow type\n" },
	{ "openbsd", "flow esp from 10.0.0.1 to 10.0.0.2 \\ type use\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: '\\' not at the end of the line\n" },
	{ "openbsd", "pass in all\n",
	  1, "", "ipsecctl: import openbsd: t.conf:1: syntax error at 'pass'\n" },
};

static void run_case(const struct import_case *c, size_t i)
{
	struct sbuf out = { 0 }, err = { 0 };
	int status;

	status = import_text(c->format, "t.conf", c->in, &out, &err);
	t_check(status == c->status && !strcmp(out.s ? out.s : "", c->out) &&
		!strcmp(err.s ? err.s : "", c->err), "import",
		"case %zu (%s): status %d, want %d\n--- stdout:\n%s--- want:\n%s--- stderr:\n%s--- want:\n%s",
		i, c->format, status,
		c->status, out.s ? out.s : "", c->out, err.s ? err.s : "",
		c->err);
	/* a reason or comment names the construct, never the key */
	t_check(!err.s || !strstr(err.s, KEY_MARK), "import",
		"case %zu: key material in stderr", i);
	sbuf_free(&out);
	sbuf_free(&err);
}

/* Every line of @text that is not a comment, parsed as ipsecctl would. */
static bool all_lines_parse(char *text, char *why, size_t size)
{
	char *line, *save = NULL, *argv[ARGV_MAX], buf[2048];
	struct perr e = { 0 };
	struct policy pol;
	struct sa sa;
	int argc, ret;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		argc = t_split(line, buf, sizeof(buf), argv);
		if (argc < 2)
			return false;
		if (!strcmp(argv[1], "flush"))
			ret = argc > 2 && strcmp(argv[2], "proto");
		else if (!strcmp(argv[0], "sa")) {
			ret = sa_parse(SA_CMD_ADD, argc - 2, argv + 2, &sa, &e);
			sa_wipe(&sa);
		} else {
			ret = policy_parse(POLICY_CMD_ADD, argc - 2, argv + 2,
					   &pol, &e);
		}
		explicit_bzero(buf, sizeof(buf));
		if (ret) {
			snprintf(why, size, "%.40s...: %s", line, e.msg);
			return false;
		}
	}
	return true;
}

static char *repo_file(const char *rel)
{
	char dir[512], path[700];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", t_binary);
	/* tools/ipsecctl/ipsecctl -> the top of the tree */
	snprintf(path, sizeof(path), "%s/../../%s", dirname(dir), rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The samples translate whole, into lines the grammar accepts. */
static void sample_test(const char *format, const char *rel,
			unsigned int want_sa, unsigned int want_pol)
{
	struct sbuf out = { 0 }, err = { 0 };
	unsigned int n_sa = 0, n_pol = 0;
	char *text = repo_file(rel), why[400] = "";
	const char *p;
	int status;

	if (!t_check(text != NULL, "import sample", "%s: cannot read", rel))
		return;
	status = import_text(format, rel, text, &out, &err);
	for (p = out.s; p && (p = strstr(p, "\nsa add ")); p++)
		n_sa++;
	for (p = out.s; p && (p = strstr(p, "policy add ")); p++)
		n_pol++;
	n_sa += out.s && !strncmp(out.s, "sa add ", 7);
	t_check(status == 0 && !err.n && n_sa == want_sa && n_pol == want_pol,
		"import sample", "%s: status %d, %u SAs (want %u), %u policies (want %u), stderr: %s",
		rel, status, n_sa, want_sa, n_pol, want_pol,
		err.s ? err.s : "");
	t_check(out.s && all_lines_parse(out.s, why, sizeof(why)),
		"import sample", "%s: %s", rel, why);
	sbuf_free(&out);
	sbuf_free(&err);
	free(text);
}

static int run_binary(const char *args, char **out, char **err)
{
	char buf[1024], *argv[ARGV_MAX + 1];
	const char *out_path = t_path("import.out");
	const char *err_path = t_path("import.err");
	posix_spawn_file_actions_t fa;
	int status;
	pid_t pid;
	FILE *f;
	size_t len;

	argv[0] = (char *)t_binary;
	t_split(args, buf, sizeof(buf), argv + 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	status = posix_spawn(&pid, t_binary, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (status || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	*out = NULL;
	*err = NULL;
	f = fopen(out_path, "r");
	if (f && getdelim(out, &len, '\0', f) < 0)
		**out = '\0';
	if (f)
		fclose(f);
	f = fopen(err_path, "r");
	if (f && getdelim(err, &len, '\0', f) < 0)
		**err = '\0';
	if (f)
		fclose(f);
	if (!*out)
		*out = strdup("");
	if (!*err)
		*err = strdup("");
	return WEXITSTATUS(status);
}

static const struct cli_case {
	const char *args;
	int status;
	const char *out;
	const char *err;	/* start of stderr */
} cli_cases[] = {
	{ "import", 2, "", "ipsecctl: import: missing command\nusage: ipsecctl import setkey FILE\n"
	  "       ipsecctl import openbsd FILE\n" },
	{ "import setkey", 2, "", "ipsecctl: import setkey: missing FILE\nusage: ipsecctl import setkey FILE\n" },
	{ "import openbsd a b", 2, "", "ipsecctl: import openbsd: one FILE only\nusage: ipsecctl import openbsd FILE\n" },
	{ "import setkey /nonexistent/setkey.conf", 1, "",
	  "ipsecctl: import setkey: /nonexistent/setkey.conf: No such file or directory\n" },
	{ "import setkey @ok.conf@", 0, "sa flush\npolicy flush\n", "" },
	{ "import openbsd @skip.conf@", 1,
	  "# not translated (@skip.conf@:2): ike: kipsec has no key exchange daemon: only manual keying is translated\n",
	  "ipsecctl: import openbsd: @skip.conf@:2: cannot translate ike: kipsec has no key exchange daemon: only manual keying is translated\n" },
	{ "import openbsd @bad.conf@", 1, "",
	  "ipsecctl: import openbsd: @bad.conf@:1: syntax error at 'pass'\n" },
};

static void expand_all(const char *want, char *buf, size_t size)
{
	const char *at, *end;
	size_t n = 0;
	char name[64];

	while ((at = strchr(want, '@')) && (end = strchr(at + 1, '@'))) {
		snprintf(name, sizeof(name), "%.*s", (int)(end - at - 1),
			 at + 1);
		n += snprintf(buf + n, size - n, "%.*s%s", (int)(at - want),
			      want, t_path(name));
		want = end + 1;
		if (n >= size)
			return;
	}
	snprintf(buf + n, size - n, "%s", want);
}

static void cli_test(void)
{
	char want_out[512], want_err[512], *out, *err;
	size_t i;
	int status;

	t_file("ok.conf", "flush;\nspdflush;\n", 0644);
	t_file("skip.conf", "# a comment\nike esp from 10.0.0.1 to 10.0.0.2\n",
	       0644);
	t_file("bad.conf", "pass in all\n", 0644);
	for (i = 0; i < ARRAY_SIZE(cli_cases); i++) {
		status = run_binary(cli_cases[i].args, &out, &err);
		expand_all(cli_cases[i].out, want_out, sizeof(want_out));
		expand_all(cli_cases[i].err, want_err, sizeof(want_err));
		t_check(status == cli_cases[i].status &&
			!strcmp(out, want_out) &&
			!strncmp(err, want_err, strlen(want_err)), "import cli",
			"'ipsecctl %s': exit %d, stdout '%s', stderr '%s'",
			cli_cases[i].args, status, out, err);
		free(out);
		free(err);
	}
}

void import_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(import_cases); i++)
		run_case(&import_cases[i], i);
	sample_test("setkey", "tests/import/setkey.conf", 6, 4);
	sample_test("openbsd", "tests/import/ipsec.conf", 6, 6);
	cli_test();
}
