// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl [-j|--json] [-s|--show-keys] [-n|--netns NAME] OBJECT COMMAND ...
 * ipsecctl [-n|--netns NAME] [-c|--check] -f|--file FILE
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"

static const struct object {
	const char *name;
	int (*main)(struct ctx *ctx, int argc, char **argv);
	void (*usage)(FILE *f, bool *first);
} objects[] = {
	{ "sa", sa_main, sa_usage },
	{ "policy", policy_main, policy_usage },
	{ "config", config_main, config_usage },
	{ "monitor", monitor_main, monitor_usage },
	{ "stats", stats_main, stats_usage },
	{ "show", show_main, show_usage },
	{ "sync", sync_main, sync_usage },
	{ "import", import_main, import_usage },
	{ "export", export_main, export_usage },
	{ "version", version_main, version_usage },
};

struct opts {
	const char *file;
	bool check;
};

static void print_usage(FILE *f)
{
	bool first = false;
	size_t i;

	fputs("usage: ipsecctl [-j|--json] [-s|--show-keys] [-n|--netns NAME] OBJECT COMMAND ...\n"
	      "       ipsecctl [-n|--netns NAME] [-c|--check] -f|--file FILE\n",
	      f);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		objects[i].usage(f, &first);
}

static int usage_error(const char *fmt, ...)
	__printf(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ipsecctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage(stderr);
	return EXIT_USAGE;
}

static const struct option options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "show-keys", no_argument, NULL, 's' },
	{ "netns", required_argument, NULL, 'n' },
	{ "file", required_argument, NULL, 'f' },
	{ "check", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or the exit status. */
static int parse_options(int argc, char **argv, struct ctx *ctx,
			 struct opts *o)
{
	char opt[3] = "-?";
	int c;

	/* '+': options end at OBJECT, as with ip(8) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jsn:f:ch", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctx->json = true;
			break;
		case 's':
			ctx->show_keys = true;
			break;
		case 'n':
			ctx->netns = optarg;
			break;
		case 'f':
			o->file = optarg;
			break;
		case 'c':
			o->check = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		case ':':
			return usage_error("option %s needs a value",
					   argv[optind - 1]);
		default:
			opt[1] = optopt;
			return usage_error("unknown option %s",
					   optopt ? opt : argv[optind - 1]);
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct ctx ctx = { 0 };
	struct opts o = { 0 };
	size_t i;
	int ret;

	ret = parse_options(argc, argv, &ctx, &o);
	if (ret >= 0)
		return ret;
	if (o.file) {
		if (optind < argc)
			return usage_error("-f takes no OBJECT ('%s')",
					   argv[optind]);
		return apply_file_main(&ctx, o.file, o.check);
	}
	if (o.check)
		return usage_error("-c needs -f FILE");
	if (optind >= argc)
		return usage_error("missing OBJECT");
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (!strcmp(objects[i].name, argv[optind])) {
			ctx.object = objects[i].name;
			return objects[i].main(&ctx, argc - optind - 1,
					       argv + optind + 1);
		}
	}
	return usage_error("unknown object '%s'", argv[optind]);
}
