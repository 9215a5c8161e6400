// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"

const char *t_binary;
static unsigned int passed, failed;
static char scratch[] = "/tmp/ipsecctl-test.XXXXXX";

bool t_check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return true;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return false;
}

const char *t_dir(void)
{
	return scratch;
}

const char *t_path(const char *name)
{
	static char paths[16][256];
	static unsigned int next;
	char *p = paths[next++ % 16];

	snprintf(p, sizeof(paths[0]), "%s/%s", scratch, name);
	return p;
}

const char *t_file(const char *name, const char *content, unsigned int mode)
{
	const char *path = t_path(name);
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, content, strlen(content)) < 0 ||
	    fchmod(fd, mode)) {
		perror(path);
		exit(2);
	}
	close(fd);
	return path;
}

int t_split(const char *line, char *buf, size_t size, char **argv)
{
	char *word, *save = NULL;
	size_t n, len;
	int argc = 0;

	snprintf(buf, size, "%s", line);
	for (word = strtok_r(buf, " ", &save); word && argc < ARGV_MAX - 1;
	     word = strtok_r(NULL, " ", &save)) {
		len = strlen(word);
		n = len > 2 && word[0] == '@' && word[len - 1] == '@';
		if (n) {
			word[len - 1] = '\0';
			word = (char *)t_path(word + 1);
		}
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	nftw(scratch, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH-OF-IPSECCTL\n", argv[0]);
		return 2;
	}
	t_binary = argv[1];
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 2;
	}
	atexit(cleanup);

	args_tests();
	sa_tests();
	policy_tests();
	output_tests();
	info_tests();
	stats_tests();
	nl_tests();
	config_tests();
	event_tests();
	conffile_tests();
	import_tests();
	export_tests();
	apply_tests();
	cli_tests();

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
