// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file reader: comments, continuation and its line
 * numbers, includes (relative paths, nesting, loops, depth), the errors
 * with FILE:LINE, CRLF, NUL and control bytes, line limits, standard input
 * and a large file.  Commands are compared as a whole dump, one
 * "FILE:LINE: WORD WORD..." line per command; '@' stands for the scratch
 * directory, in file contents and in what is expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conffile.h"
#include "unit.h"

#define LINE_MAX_BYTES	65536
#define DEPTH_MAX	16

/* @s with '@' replaced by the scratch directory, in @buf. */
static const char *at_dir(const char *s, char *buf, size_t size)
{
	size_t n = 0, dlen = strlen(t_dir());

	for (; *s && n + dlen + 1 < size; s++) {
		if (*s == '@') {
			memcpy(buf + n, t_dir(), dlen);
			n += dlen;
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return buf;
}

/* @s with the scratch directory replaced by '@', to free(). */
static char *no_dir(const char *s)
{
	size_t dlen = strlen(t_dir());
	char *out = malloc(strlen(s) + 1), *p = out;

	while (*s) {
		if (!strncmp(s, t_dir(), dlen)) {
			*p++ = '@';
			s += dlen;
		} else {
			*p++ = *s++;
		}
	}
	*p = '\0';
	return out;
}

/* The commands, one "FILE:LINE: WORD..." line each, to free(). */
static char *dump(const struct conf *conf)
{
	char *out = NULL, *ret;
	size_t len, i;
	FILE *f;
	int w;

	f = open_memstream(&out, &len);
	for (i = 0; i < conf->n; i++) {
		fprintf(f, "%s:%u:", conf->cmds[i].file, conf->cmds[i].line);
		for (w = 0; w < conf->cmds[i].argc; w++)
			fprintf(f, " %s", conf->cmds[i].argv[w]);
		if (conf->cmds[i].argv[conf->cmds[i].argc])
			fputs(" (argv not NULL terminated)", f);
		fputc('\n', f);
	}
	fclose(f);
	ret = no_dir(out);
	free(out);
	return ret;
}

static void make_dirs(const char *name)
{
	char dir[256];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", name);
	for (slash = strchr(dir, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(t_path(dir), 0700) && errno != EEXIST) {
			perror(dir);
			exit(2);
		}
		*slash = '/';
	}
}

/* A fixture that may hold any byte, NUL included. */
static const char *raw_file(const char *name, const char *data, size_t len)
{
	const char *path = t_path(name);
	int fd;

	make_dirs(name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror(path);
		exit(2);
	}
	close(fd);
	return path;
}

static void text_file(const char *name, const char *content)
{
	char buf[4096];

	at_dir(content, buf, sizeof(buf));
	raw_file(name, buf, strlen(buf));
}

static bool conf_is_empty(const struct conf *conf)
{
	return !conf->n && !conf->cmds && !conf->priv;
}

/*
 * Reads @path and checks the dump against @want, or the error against
 * @err (and that the conf is left empty).
 */
static void check_read(const char *what, const char *path, const char *want,
		       const char *err)
{
	struct conf conf = { (void *)1, 5, (void *)1 };	/* not initialised */
	struct perr e = { 0 };
	char *got, *msg;
	int ret;

	ret = conf_read(path, &conf, &e);
	got = dump(&conf);
	msg = no_dir(e.msg);
	if (!err)
		t_check(!ret && !strcmp(got, want), "conf_read",
			"%s: got %d '%s'\n%s\nwant\n%s", what, ret, msg, got,
			want);
	else
		t_check(ret == -1 && e.status == EXIT_FAIL &&
			!strcmp(msg, err) && conf_is_empty(&conf), "conf_read",
			"%s: got %d status %d '%s' n %zu, want '%s'\n%s", what,
			ret, e.status, msg, conf.n, err, got);
	conf_free(&conf);
	t_check(conf_is_empty(&conf), "conf_free", "%s: not empty", what);
	free(got);
	free(msg);
}

#define OK(w, r, out, ...) \
	{ .what = (w), .read = (r), .want = (out), .files = { __VA_ARGS__ } }
#define BAD(w, r, why, ...) \
	{ .what = (w), .read = (r), .err = (why), .files = { __VA_ARGS__ } }
#define F(name, content) { (name), (content) }

static const struct file_case {
	const char *what;
	const char *read;	/* in the scratch directory */
	const char *want;	/* dump() of the commands */
	const char *err;	/* if it fails: the message */
	const char *files[5][2];
} file_cases[] = {
	OK("empty file", "e0.conf", "", F("e0.conf", "")),
	OK("only comments and blanks", "e1.conf", "",
	   F("e1.conf", "# a\n\n \t\x20\n  # b \\\n#\n")),
	OK("comments and blanks", "c1.conf",
	   "@/c1.conf:3: sa flush\n@/c1.conf:4: policy default in discard\n",
	   F("c1.conf", "# head\n\nsa flush # tail\n"
	     "\t policy  default\tin discard\t\n#x\n")),
	OK("'#' inside a word", "c2.conf",
	   "@/c2.conf:1: sa a#b\n@/c2.conf:3: x# y\n",
	   F("c2.conf", "sa a#b #c\n#d e\nx# y\n")),
	OK("comment after a blank only", "c3.conf", "@/c3.conf:1: a\n",
	   F("c3.conf", "a\t#b\n")),
	OK("continuation and line numbers", "k1.conf",
	   "@/k1.conf:1: sa add src 10.0.0.1 dst 10.0.0.2 proto esp\n"
	   "@/k1.conf:4: sa flush\n@/k1.conf:6: policy flush\n",
	   F("k1.conf", "sa add src 10.0.0.1 \\\n  dst 10.0.0.2 \\\n"
	     "\tproto esp\nsa flush\n\npolicy \\\nflush\n")),
	OK("continuation puts nothing between", "k2.conf",
	   "@/k2.conf:1: key 0x00112233\n",
	   F("k2.conf", "key 0x0011\\\n2233\n")),
	OK("continuation into a blank line", "k3.conf",
	   "@/k3.conf:1: sa\n@/k3.conf:3: flush\n",
	   F("k3.conf", "sa \\\n\nflush\n")),
	OK("'\\' in a comment does not continue", "k4.conf",
	   "@/k4.conf:2: sa flush\n", F("k4.conf", "# a \\\nsa flush\n")),
	OK("continued blank lines", "k5.conf", "@/k5.conf:1: sa flush\n",
	   F("k5.conf", "\\\n \\\nsa flush\n")),
	OK("CRLF", "r1.conf",
	   "@/r1.conf:1: sa flush\n@/r1.conf:2: policy add dir out\n",
	   F("r1.conf", "sa flush\r\npolicy add \\\r\n dir out\r\n\r\n"
	     "# c\r\n")),
	OK("no newline at the end", "r2.conf",
	   "@/r2.conf:1: sa flush\n@/r2.conf:2: policy flush\n",
	   F("r2.conf", "sa flush\npolicy flush")),
	OK("CR at the end without newline", "r3.conf",
	   "@/r3.conf:1: sa flush\n", F("r3.conf", "sa flush\r")),
	OK("control characters in a comment", "r4.conf",
	   "@/r4.conf:1: sa flush\n", F("r4.conf", "sa flush # \x01\x1b\r\n")),
	BAD("backslash at end of file", "b1.conf",
	    "@/b1.conf:1: backslash at end of file",
	    F("b1.conf", "sa flush \\\n")),
	BAD("backslash at end of file, no newline", "b2.conf",
	    "@/b2.conf:2: backslash at end of file",
	    F("b2.conf", "sa\nflush \\")),
	BAD("backslash at end of file after continuation", "b3.conf",
	    "@/b3.conf:2: backslash at end of file",
	    F("b3.conf", "a \\\nb \\\n")),
	BAD("blanks after backslash", "b4.conf",
	    "@/b4.conf:1: blanks after '\\' (a continuation '\\' must end the line)",
	    F("b4.conf", "sa flush \\\x20\nx\n")),
	BAD("comment after backslash", "b5.conf",
	    "@/b5.conf:2: blanks after '\\' (a continuation '\\' must end the line)",
	    F("b5.conf", "sa\nflush \\ # c\nx\n")),
	BAD("backslash inside a line", "b6.conf",
	    "@/b6.conf:2: '\\' inside a line (no quoting; '\\' only continues a line)",
	    F("b6.conf", "sa\nfl\\ush\n")),
	BAD("control character", "b7.conf",
	    "@/b7.conf:1: control character 0x01",
	    F("b7.conf", "sa\x01 flush\n")),
	BAD("CR inside a line", "b8.conf",
	    "@/b8.conf:2: control character 0x0d",
	    F("b8.conf", "sa\nsa\rflush\n")),
	BAD("DEL", "b9.conf", "@/b9.conf:1: control character 0x7f",
	    F("b9.conf", "sa \x7f\n")),
	OK("include relative to the including file", "i/main.conf",
	   "@/i/main.conf:1: sa flush\n@/i/sub/a.conf:2: sa add a\n"
	   "@/i/sub/b.conf:1: sa add b\n@/i/sub/a.conf:4: sa add a2\n"
	   "@/i/main.conf:3: policy flush\n",
	   F("i/main.conf", "sa flush\ninclude sub/a.conf\npolicy flush\n"),
	   F("i/sub/a.conf", "# a\nsa add a\ninclude b.conf\nsa add a2\n"),
	   F("i/sub/b.conf", "sa add b\n"),
	   F("i/b.conf", "wrong b\n"),
	   F("b.conf", "wrong b\n")),
	OK("include of an absolute path", "i2.conf",
	   "@/i/sub/b.conf:1: sa add b\n",
	   F("i2.conf", "include @/i/sub/b.conf\n")),
	OK("include continued and commented", "i3.conf",
	   "@/i3b.conf:1: x\n@/i3.conf:3: sa flush\n",
	   F("i3.conf", "include \\\n  i3b.conf # c\nsa flush\n"),
	   F("i3b.conf", "x\n")),
	OK("the same file twice is no loop", "i4.conf",
	   "@/i4b.conf:1: x\n@/i4b.conf:1: x\n",
	   F("i4.conf", "include i4b.conf\ninclude i4b.conf\n"),
	   F("i4b.conf", "x\n")),
	OK("'include' as a later word", "i5.conf",
	   "@/i5.conf:1: sa include x\n", F("i5.conf", "sa include x\n")),
	OK("empty include", "i6.conf", "@/i6.conf:2: x\n",
	   F("i6.conf", "include i6b.conf\nx\n"), F("i6b.conf", "# none\n")),
	OK("include -, tab-separated, is a file", "i/i7.conf",
	   "@/i/-:1: x\n", F("i/i7.conf", "include\t-\n"), F("i/-", "x\n")),
	BAD("include without PATH", "n1.conf",
	    "@/n1.conf:2: include needs exactly one PATH",
	    F("n1.conf", "sa flush\ninclude # x\n")),
	BAD("include with two PATHs", "n2.conf",
	    "@/n2.conf:1: include needs exactly one PATH",
	    F("n2.conf", "include n1.conf n1.conf\n")),
	BAD("missing file", "nope.conf",
	    "@/nope.conf: No such file or directory", F(NULL, NULL)),
	BAD("missing include", "m1.conf",
	    "@/m1.conf:2: include @/nope.conf: No such file or directory",
	    F("m1.conf", "sa flush\ninclude nope.conf\n")),
	BAD("missing include in a subdirectory", "i/m2.conf",
	    "@/i/m2.conf:1: include @/i/e0.conf: No such file or directory",
	    F("i/m2.conf", "include e0.conf\n")),
	BAD("directory", "i", "@/i: Is a directory", F(NULL, NULL)),
	BAD("include of a directory", "i/m3.conf",
	    "@/i/m3.conf:1: include @/i/sub: Is a directory",
	    F("i/m3.conf", "include sub\n")),
	BAD("include of itself", "l0.conf",
	    "@/l0.conf:2: include @/l0.conf: include loop",
	    F("l0.conf", "sa flush\ninclude l0.conf\n")),
	BAD("include loop", "l1.conf",
	    "@/l2.conf:3: include @/l1.conf: include loop",
	    F("l1.conf", "sa\ninclude l2.conf\n"),
	    F("l2.conf", "sa\n\ninclude l1.conf\n")),
	BAD("include loop by another name", "l3.conf",
	    "@/l3.conf:1: include @/./l3.conf: include loop",
	    F("l3.conf", "include ./l3.conf\n")),
	BAD("error in an included file", "x1.conf",
	    "@/x2.conf:2: backslash at end of file",
	    F("x1.conf", "sa\ninclude x2.conf\nsa\n"),
	    F("x2.conf", "a\nb \\")),
};

static void file_case_tests(void)
{
	const struct file_case *c;
	char path[512];
	size_t i, f;

	for (i = 0; i < ARRAY_SIZE(file_cases); i++) {
		c = &file_cases[i];
		for (f = 0; f < ARRAY_SIZE(c->files) && c->files[f][0]; f++)
			text_file(c->files[f][0], c->files[f][1]);
		snprintf(path, sizeof(path), "%s/%s", t_dir(), c->read);
		check_read(c->what, path, c->want, c->err);
	}
}

static void nul_tests(void)
{
	static const char mid[] = "sa flush\nsa\0 x\n";
	static const char comment[] = "# \0\nsa\n";

	check_read("NUL byte", raw_file("z1.conf", mid, sizeof(mid) - 1),
		   NULL, "@/z1.conf:2: NUL byte");
	check_read("NUL byte in a comment",
		   raw_file("z2.conf", comment, sizeof(comment) - 1), NULL,
		   "@/z2.conf:1: NUL byte");
}

/* A file of @n1 'x', an optional "\\\n" and @n2 'x', after @head. */
static const char *long_file(const char *name, const char *head, size_t n1,
			     bool join, size_t n2, const char *end)
{
	size_t hlen = strlen(head), elen = strlen(end);
	size_t len = hlen + n1 + 2 + n2 + elen;
	char *buf = malloc(len), *p = buf;
	const char *path;

	memcpy(p, head, hlen);
	p += hlen;
	memset(p, 'x', n1);
	p += n1;
	if (join) {
		memcpy(p, "\\\n", 2);
		p += 2;
	}
	memset(p, 'x', n2);
	p += n2;
	memcpy(p, end, elen);
	p += elen;
	path = raw_file(name, buf, p - buf);
	free(buf);
	return path;
}

static const struct long_case {
	const char *what;
	const char *head;
	size_t n1;
	bool join;
	size_t n2;
	const char *end;
	const char *err;
} long_cases[] = {
	{ "longest line", "", LINE_MAX_BYTES, false, 0, "\n", NULL },
	{ "longest line, CRLF", "", LINE_MAX_BYTES, false, 0, "\r\n", NULL },
	{ "longest line, no newline", "", LINE_MAX_BYTES, false, 0, "", NULL },
	{ "longest joined line", "", 30000, true, LINE_MAX_BYTES - 30000,
	  "\n", NULL },
	{ "line too long", "a\n", LINE_MAX_BYTES + 1, false, 0, "\nb\n",
	  "@/long.conf:2: line longer than 65536 bytes" },
	{ "line too long, no newline", "", 3 * LINE_MAX_BYTES, false, 0, "",
	  "@/long.conf:1: line longer than 65536 bytes" },
	{ "joined line too long", "a\n", 40000, true, 40000, "\n",
	  "@/long.conf:2: line longer than 65536 bytes" },
};

static void long_line_tests(void)
{
	const struct long_case *c;
	struct conf conf;
	struct perr e;
	size_t i, want;
	int ret;

	for (i = 0; i < ARRAY_SIZE(long_cases); i++) {
		c = &long_cases[i];
		long_file("long.conf", c->head, c->n1, c->join, c->n2, c->end);
		if (c->err) {
			check_read(c->what, t_path("long.conf"), NULL, c->err);
			continue;
		}
		ret = conf_read(t_path("long.conf"), &conf, &e);
		want = c->n1 + c->n2;
		t_check(!ret && conf.n == 1 && conf.cmds[0].argc == 1 &&
			strlen(conf.cmds[0].argv[0]) == want &&
			strspn(conf.cmds[0].argv[0], "x") == want, "conf_read",
			"%s: got %d '%s' n %zu", c->what, ret,
			ret ? e.msg : "", conf.n);
		conf_free(&conf);
	}
}

/* Files d0 .. d@last, each including the next; the last has a command. */
static void include_chain(unsigned int last)
{
	char name[32], content[64];
	unsigned int i;

	for (i = 0; i <= last; i++) {
		snprintf(name, sizeof(name), "d%u.conf", i);
		if (i < last)
			snprintf(content, sizeof(content),
				 "# %u\ninclude d%u.conf\n", i, i + 1);
		else
			snprintf(content, sizeof(content), "sa flush\n");
		text_file(name, content);
	}
}

static void depth_tests(void)
{
	include_chain(DEPTH_MAX);
	check_read("includes 16 deep", t_path("d0.conf"),
		   "@/d16.conf:1: sa flush\n", NULL);
	include_chain(DEPTH_MAX + 1);
	check_read("includes 17 deep", t_path("d0.conf"), NULL,
		   "@/d16.conf:2: include @/d17.conf: nested deeper than 16 files");
}

/* Runs @fn with the scratch directory as the current one. */
static void in_scratch(void (*fn)(void))
{
	int here = open(".", O_RDONLY | O_DIRECTORY);

	if (here < 0 || chdir(t_dir())) {
		perror("chdir");
		exit(2);
	}
	fn();
	if (fchdir(here)) {
		perror("fchdir");
		exit(2);
	}
	close(here);
}

static void relative_names(void)
{
	text_file("rel.conf", "include i/sub/b.conf\nsa flush\n");
	check_read("relative name", "rel.conf",
		   "i/sub/b.conf:1: sa add b\nrel.conf:2: sa flush\n", NULL);
	check_read("relative name with a directory", "i/main.conf",
		   "i/main.conf:1: sa flush\ni/sub/a.conf:2: sa add a\n"
		   "i/sub/b.conf:1: sa add b\ni/sub/a.conf:4: sa add a2\n"
		   "i/main.conf:3: policy flush\n", NULL);
}

/* Reads @name as standard input, "-". */
static void stdin_read(const char *what, const char *name, const char *want,
		       const char *err)
{
	int saved = dup(STDIN_FILENO);
	int fd = open(t_path(name), O_RDONLY);

	if (saved < 0 || fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
		perror("stdin");
		exit(2);
	}
	close(fd);
	check_read(what, "-", want, err);
	if (dup2(saved, STDIN_FILENO) < 0) {
		perror("stdin");
		exit(2);
	}
	close(saved);
}

static void stdin_cases(void)
{
	text_file("s0.conf", "sa flush\ninclude i/sub/b.conf\n\\\n x\n");
	stdin_read("stdin", "s0.conf",
		   "<stdin>:1: sa flush\ni/sub/b.conf:1: sa add b\n"
		   "<stdin>:3: x\n", NULL);
	text_file("s1.conf", "sa\nsa \\");
	stdin_read("stdin error", "s1.conf", NULL,
		   "<stdin>:2: backslash at end of file");
	text_file("s2.conf", "include s2.conf\n");
	stdin_read("stdin including itself", "s2.conf", NULL,
		   "<stdin>:1: include s2.conf: include loop");
}

#define BIG_LINES	20000

/*
 * Every 10th line a comment, every 7th command continued on a second
 * line: the line numbers and words must all come out right.
 */
static void large_file_tests(void)
{
	unsigned int i, line = 1, bad = 0;
	struct timespec t0, t1;
	size_t len, n = 0;
	struct conf conf;
	char *text = NULL, want[64];
	struct perr e;
	double secs;
	FILE *f;
	int ret;

	f = open_memstream(&text, &len);
	for (i = 0; i < BIG_LINES; i++) {
		if (i % 10 == 0)
			fprintf(f, "# comment %u\n", i);
		if (i % 7 == 0)
			fprintf(f, "sa add spi 0x%x \\\n\tkey 0x%040x\n", i, i);
		else
			fprintf(f, "sa add spi 0x%x key 0x%040x # c\n", i, i);
	}
	fclose(f);
	raw_file("big.conf", text, len);
	free(text);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = conf_read(t_path("big.conf"), &conf, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (i = 0; !ret && i < BIG_LINES && i < conf.n; i++, n++) {
		if (i % 10 == 0)
			line++;
		snprintf(want, sizeof(want), "0x%x", i);
		if (conf.cmds[i].line != line || conf.cmds[i].argc != 6 ||
		    strcmp(conf.cmds[i].argv[3], want) ||
		    strlen(conf.cmds[i].argv[5]) != 42 || conf.cmds[i].argv[6])
			bad++;
		line += i % 7 == 0 ? 2 : 1;
	}
	t_check(!ret && conf.n == BIG_LINES && !bad, "conf_read",
		"large file: got %d '%s' n %zu, %u bad", ret, ret ? e.msg : "",
		conf.n, bad);
	t_check(secs < 1.0, "conf_read", "large file: took %.3f s", secs);
	conf_free(&conf);
}

static void free_tests(void)
{
	struct conf conf = { 0 };

	conf_free(&conf);
	t_check(conf_is_empty(&conf), "conf_free", "all-zero conf");
}

void conffile_tests(void)
{
	file_case_tests();
	nul_tests();
	long_line_tests();
	depth_tests();
	in_scratch(relative_names);
	in_scratch(stdin_cases);
	large_file_tests();
	free_tests();
}
