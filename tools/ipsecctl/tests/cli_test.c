// SPDX-License-Identifier: GPL-2.0
/*
 * The built binary, for what happens before any netlink I/O: usage errors
 * (exit 2, the message and the usage of the command), refusals (exit 1,
 * one line), the network namespace that is not there.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "args.h"
#include "kmod/version.h"
#include "unit.h"

extern char **environ;

#define K16	"0x00112233445566778899aabbccddeeff"
#define SA	"sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 4096 "
#define NONS	"-n ipsecctl-test-nonexistent "
#define NONS_ERR(cmd) \
	"ipsecctl: " cmd ": network namespace 'ipsecctl-test-nonexistent': No such file or directory"
#define TOP_USAGE \
	"usage: ipsecctl [-j|--json] [-s|--show-keys] [-n|--netns NAME] OBJECT COMMAND ..."

/*
 * @err: stderr's first line; @err2: the start of its second line (NULL:
 * there is none); @out: all of stdout.
 */
static const struct cli_case {
	const char *args;
	int status;
	const char *err;
	const char *err2;
	const char *out;
} cli_cases[] = {
	{ "", 2, "ipsecctl: missing OBJECT", TOP_USAGE, "" },
	{ "bogus", 2, "ipsecctl: unknown object 'bogus'", TOP_USAGE, "" },
	{ "-x sa list", 2, "ipsecctl: unknown option -x", TOP_USAGE, "" },
	{ "--bogus sa list", 2, "ipsecctl: unknown option --bogus", TOP_USAGE,
	  "" },
	{ "-n", 2, "ipsecctl: option -n needs a value", TOP_USAGE, "" },
	{ "sa", 2, "ipsecctl: sa: missing command",
	  "usage: ipsecctl sa add src ADDR dst ADDR proto esp|ah spi SPI [mode transport|tunnel]",
	  "" },
	{ "sa frob", 2, "ipsecctl: sa: unknown command 'frob'",
	  "usage: ipsecctl sa add ", "" },
	{ "sa add src", 2, "ipsecctl: sa add: missing ADDR after 'src'",
	  "usage: ipsecctl sa add src ADDR dst ADDR proto esp|ah spi SPI [mode transport|tunnel]",
	  "" },
	{ "sa update", 2, "ipsecctl: sa update: missing 'src ADDR'",
	  "usage: ipsecctl sa update src ADDR dst ADDR ", "" },
	{ "sa get dst 10.0.0.1", 2, "ipsecctl: sa get: missing 'proto esp|ah'",
	  "usage: ipsecctl sa get dst ADDR proto esp|ah spi SPI", "" },
	{ "sa del dst 10.0.0.1 proto esp spi 300 spi 300", 2,
	  "ipsecctl: sa del: 'spi' given twice",
	  "usage: ipsecctl sa del dst ADDR proto esp|ah spi SPI", "" },
	{ "sa list spi 300", 2, "ipsecctl: sa list: unexpected word 'spi'",
	  "usage: ipsecctl sa list [dst ADDR] [proto esp|ah]", "" },
	{ "sa list -j", 2,
	  "ipsecctl: sa list: unexpected word '-j' (options go before the object)",
	  "usage: ipsecctl sa list", "" },
	{ "sa flush dst 10.0.0.1", 2, "ipsecctl: sa flush: unexpected word 'dst'",
	  "usage: ipsecctl sa flush [proto esp|ah]", "" },
	{ SA "enc aes-128-gcm key " K16 " spi x", 2,
	  "ipsecctl: sa add: 'spi' given twice", "usage: ipsecctl sa add ", "" },
	{ "sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 255", 1,
	  "ipsecctl: sa add: spi 255: SPI 0..255 are reserved (RFC 4301)", NULL,
	  "" },
	{ SA "enc aes-128-gcm key " K16, 1,
	  "ipsecctl: sa add: enc aes-128-gcm: the key must be 20 bytes (16-byte key + 4-byte salt), not 16",
	  NULL, "" },
	{ SA "enc aes-128-gcm keyfile @kcli644@", 1,
	  "ipsecctl: sa add: keyfile @kcli644@: mode 0644 lets group or others read or write it (chmod 600 it)",
	  NULL, "" },
	{ "policy", 2, "ipsecctl: policy: missing command",
	  "usage: ipsecctl policy add dir in|out ", "" },
	{ "policy add dir out", 2,
	  "ipsecctl: policy add: missing 'action bypass|discard|protect'",
	  "usage: ipsecctl policy add dir in|out [src PREFIX] [dst PREFIX] [proto P]",
	  "" },
	{ "policy update dir out action bypass", 2,
	  "ipsecctl: policy update: missing 'id N'",
	  "usage: ipsecctl policy update id N dir in|out [src PREFIX] [dst PREFIX] [proto P]",
	  "" },
	{ "policy get", 2, "ipsecctl: policy get: missing 'id N'",
	  "usage: ipsecctl policy get id N", "" },
	{ "policy list dir up", 2,
	  "ipsecctl: policy list: dir: 'up' is not one of in|out",
	  "usage: ipsecctl policy list [dir in|out]", "" },
	{ "policy add dir out src 10.0.0.1/8 action bypass", 1,
	  "ipsecctl: policy add: src 10.0.0.1/8: host bits set beyond the prefix length (did you mean 10.0.0.0/8?)",
	  NULL, "" },
	{ "stats extra", 2, "ipsecctl: stats: unexpected word 'extra'",
	  "usage: ipsecctl stats", "" },
	{ "-j stats -j", 2,
	  "ipsecctl: stats: unexpected word '-j' (options go before the object)",
	  "usage: ipsecctl stats", "" },
	{ "version extra", 2, "ipsecctl: version: unexpected word 'extra'",
	  "usage: ipsecctl version", "" },
	{ NONS "sa list", 1, NONS_ERR("sa list"), NULL, "" },
	{ "export", 2, "ipsecctl: export: missing command",
	  "usage: ipsecctl export wireshark", "" },
	{ "export wireshark extra", 2,
	  "ipsecctl: export wireshark: unexpected word 'extra'",
	  "usage: ipsecctl export wireshark", "" },
	{ "-j export wireshark", 2,
	  "ipsecctl: export wireshark: -j does not apply: the output is Wireshark's",
	  "usage: ipsecctl export wireshark", "" },
	{ NONS "export wireshark", 1, NONS_ERR("export wireshark"), NULL, "" },
	{ NONS "policy flush", 1, NONS_ERR("policy flush"), NULL, "" },
	/* ESP+AH bundles: parsed before any netlink I/O */
	{ NONS "policy add dir out action protect esp spi 0x1000 ah spi 0x2000",
	  1, NONS_ERR("policy add"), NULL, "" },
	{ "policy add dir out action protect ah esp", 2,
	  "ipsecctl: policy add: 'esp' after 'ah': a bundle is esp then ah",
	  "usage: ipsecctl policy add dir in|out ", "" },
	{ "policy add dir out action protect esp ah ah", 2,
	  "ipsecctl: policy add: 'ah' would be a third template: a bundle is esp then ah",
	  "usage: ipsecctl policy add dir in|out ", "" },
	{ "policy add dir out action protect esp ah spi 17", 1,
	  "ipsecctl: policy add: spi 17: SPI 0..255 are reserved (RFC 4301)",
	  NULL, "" },
	/* policy default, config, monitor: parsed before any netlink I/O */
	{ "policy default in", 2,
	  "ipsecctl: policy default: missing bypass|discard after 'in'",
	  "usage: ipsecctl policy default [in|out bypass|discard]", "" },
	{ "policy default up discard", 2,
	  "ipsecctl: policy default: 'up' is not one of in|out",
	  "usage: ipsecctl policy default [in|out bypass|discard]", "" },
	{ "policy default out protect", 2,
	  "ipsecctl: policy default: out: 'protect' is not one of bypass|discard",
	  "usage: ipsecctl policy default [in|out bypass|discard]", "" },
	{ "policy default in discard out", 2,
	  "ipsecctl: policy default: unexpected word 'out'",
	  "usage: ipsecctl policy default [in|out bypass|discard]", "" },
	{ NONS "policy default in discard", 1, NONS_ERR("policy default"),
	  NULL, "" },
	{ NONS "policy default", 1, NONS_ERR("policy default"), NULL, "" },
	{ "config esp maybe", 2,
	  "ipsecctl: config: esp: 'maybe' is not one of on|off",
	  "usage: ipsecctl config [default-in bypass|discard] [default-out bypass|discard]",
	  "" },
	{ "config esp off esp on", 2, "ipsecctl: config: 'esp' given twice",
	  "usage: ipsecctl config ", "" },
	{ "config ah", 2, "ipsecctl: config: missing on|off after 'ah'",
	  "usage: ipsecctl config ", "" },
	{ NONS "config esp off ah off", 1, NONS_ERR("config"), NULL, "" },
	{ "-j " NONS "config", 1, NONS_ERR("config"), NULL, "" },
	{ "monitor all", 2, "ipsecctl: monitor: unexpected word 'all'",
	  "usage: ipsecctl monitor [-j]", "" },
	{ "monitor -s", 2,
	  "ipsecctl: monitor: unexpected word '-s' (options go before the object)",
	  "usage: ipsecctl monitor [-j]", "" },
	{ "monitor -j -j", 2, "ipsecctl: monitor: '-j' given twice",
	  "usage: ipsecctl monitor [-j]", "" },
	{ NONS "monitor", 1, NONS_ERR("monitor"), NULL, "" },
	{ "-j " NONS "monitor", 1, NONS_ERR("monitor"), NULL, "" },
	{ NONS "monitor -j", 1, NONS_ERR("monitor"), NULL, "" },
	{ NONS "stats", 1, NONS_ERR("stats"), NULL, "" },
	{ "-j " NONS "stats", 1, NONS_ERR("stats"), NULL, "" },
	{ "-n a/b sa list", 1,
	  "ipsecctl: sa list: invalid network namespace name 'a/b'", NULL, "" },
	{ NONS "version", 1, NONS_ERR("version"), NULL,
	  "ipsecctl " KIPSEC_VERSION "\n" },
	{ "-j " NONS "version", 1, NONS_ERR("version"), NULL,
	  "{\"ipsecctl\":\"" KIPSEC_VERSION "\"}\n" },
	{ "--json --show-keys --netns ipsecctl-test-nonexistent sa list", 1,
	  NONS_ERR("sa list"), NULL, "" },
	{ NONS SA "enc aes-128-cbc key " K16 " no-integrity", 1,
	  "ipsecctl: warning: ESP without integrity protection is vulnerable to active attacks",
	  NONS_ERR("sa add"), "" },
};

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return strdup("");
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static int run(const char *args, char **out, char **err)
{
	char buf[1024], *argv[ARGV_MAX + 1];
	posix_spawn_file_actions_t fa;
	const char *out_path = t_path("cli.out");
	const char *err_path = t_path("cli.err");
	int status;
	pid_t pid;

	argv[0] = (char *)t_binary;
	t_split(args, buf, sizeof(buf), argv + 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (posix_spawn(&pid, t_binary, &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	*out = slurp(out_path);
	*err = slurp(err_path);
	return WEXITSTATUS(status);
}

/* "@name@" in an expected message: the fixture's path. */
static void expand(const char *want, char *buf, size_t size)
{
	const char *at = strchr(want, '@');
	const char *end = at ? strchr(at + 1, '@') : NULL;
	char name[64];

	if (!end) {
		snprintf(buf, size, "%s", want);
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(end - at - 1), at + 1);
	snprintf(buf, size, "%.*s%s%s", (int)(at - want), want, t_path(name),
		 end + 1);
}

static bool line_is(const char *text, unsigned int n, const char *want,
		    bool prefix)
{
	const char *line = text, *eol;

	while (n--) {
		line = strchr(line, '\n');
		if (!line)
			return !want;
		line++;
	}
	if (!want)
		return !*line;
	eol = strchr(line, '\n');
	if (!eol)
		return false;
	if (prefix)
		return !strncmp(line, want, strlen(want));
	return (size_t)(eol - line) == strlen(want) &&
	       !strncmp(line, want, eol - line);
}

static void run_case(const struct cli_case *c)
{
	char want[512], *out = NULL, *err = NULL;
	int status;

	status = run(c->args, &out, &err);
	expand(c->err, want, sizeof(want));
	t_check(status == c->status && line_is(err, 0, want, false) &&
		(c->err2 ? line_is(err, 1, c->err2, true) :
			   line_is(err, 1, NULL, false)) &&
		!strcmp(out, c->out), "cli",
		"'ipsecctl %s': exit %d, stdout '%s', stderr:\n%s", c->args,
		status, out ? out : "", err ? err : "");
	free(out);
	free(err);
}

static void help_test(void)
{
	char *out = NULL, *err = NULL;
	int status;

	status = run("-h", &out, &err);
	t_check(status == 0 && !strncmp(out, TOP_USAGE "\n", strlen(TOP_USAGE) + 1) &&
		strstr(out, "\n       ipsecctl policy flush [dir in|out]\n") &&
		strstr(out, "\n       ipsecctl policy default [in|out bypass|discard]\n") &&
		strstr(out, "\n       ipsecctl config [default-in bypass|discard] [default-out bypass|discard]\n"
			    "                [esp on|off] [ah on|off]\n") &&
		strstr(out, "\n       ipsecctl monitor [-j]\n") &&
		strstr(out, "\n       ipsecctl stats\n") &&
		strstr(out, "\n       ipsecctl version\n") && !*err, "cli",
		"-h: exit %d, stdout:\n%s", status, out);
	free(out);
	free(err);
}

/* A mistyped key is not echoed back: it may be a real one. */
static void key_not_echoed_test(void)
{
	char *out = NULL, *err = NULL;
	int status;

	status = run(SA "enc aes-128-gcm key 0x0011223344556677zz", &out, &err);
	t_check(status == 2 && !strstr(err, "0011223344556677") &&
		strstr(err, "not a hex digit"), "cli",
		"bad key: exit %d, stderr: %s", status, err);
	free(out);
	free(err);
}

void cli_tests(void)
{
	size_t i;

	t_file("kcli644", "0x0011223344556677889900aabbccddeeff001122\n", 0644);
	for (i = 0; i < ARRAY_SIZE(cli_cases); i++)
		run_case(&cli_cases[i]);
	help_test();
	key_not_echoed_test();
}
