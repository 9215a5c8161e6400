// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration files (the format is in conffile.h).  Files hold keys, so
 * file text only ever lives in buffers this file owns, read with read(2)
 * rather than stdio (whose buffers we could not wipe), and every such
 * buffer is wiped before it is freed.  Nothing here prints; error messages
 * name files and lines, never the text of a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conffile.h"

#define CONF_LINE_MAX	65536
#define CONF_DEPTH_MAX	16
#define READ_CHUNK	16384
/* a longest line with its "\r\n", and room for one more read after it */
#define RBUF_SIZE	(CONF_LINE_MAX + 2 + READ_CHUNK)
#define STORE_CHUNK	65536
#define STDIN_NAME	"<stdin>"

/*
 * The words and file names of all commands live in chunks that are only
 * freed (and wiped) together, so argv stays valid until conf_free().
 */
struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct store {
	struct chunk *chunks;
	size_t cap;		/* of conf->cmds */
};

/* One file being read; the files being read form a stack through @parent. */
struct src {
	const char *name;	/* in the store: commands point to it */
	bool is_stdin;
	int fd;
	dev_t dev;
	ino_t ino;
	unsigned int depth;	/* 0: the file named by the user */
	const struct src *parent;
	unsigned int line;	/* physical lines taken so far */
	char *buf;
	size_t start;		/* of the unread bytes in @buf */
	size_t end;
	bool eof;
};

struct reader {
	struct conf *conf;
	struct store *store;
	char *text;		/* the command being joined from its lines */
	size_t len;
	struct perr *e;
};

static void wipe_free(void *p, size_t size)
{
	if (!p)
		return;
	explicit_bzero(p, size);
	free(p);
}

static void *store_alloc(struct store *s, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct chunk *c = s->chunks;
	size_t at;

	if (c) {
		at = (c->used + align - 1) & ~(align - 1);
		if (at <= c->size && size <= c->size - at) {
			c->used = at + size;
			return (char *)c->data + at;
		}
	}
	at = size > STORE_CHUNK ? size : STORE_CHUNK;
	c = malloc(sizeof(*c) + at);
	if (!c)
		return NULL;
	c->next = s->chunks;
	c->size = at;
	c->used = size;
	s->chunks = c;
	return c->data;
}

static void store_free(struct store *s)
{
	struct chunk *c, *next;

	if (!s)
		return;
	for (c = s->chunks; c; c = next) {
		next = c->next;
		wipe_free(c, sizeof(*c) + c->size);
	}
	free(s);
}

static int no_memory(struct reader *r, const char *name, unsigned int line)
{
	return perr_fail(r->e, "%s:%u: out of memory", name, line);
}

static int open_fail(struct reader *r, const struct src *src,
		     unsigned int pline, int err)
{
	if (!src->parent)
		return perr_fail(r->e, "%s: %s", src->name, strerror(err));
	return perr_fail(r->e, "%s:%u: include %s: %s", src->parent->name,
			 pline, src->name, strerror(err));
}

static bool on_stack(const struct src *parent, const struct stat *st)
{
	for (; parent; parent = parent->parent)
		if (parent->dev == st->st_dev && parent->ino == st->st_ino)
			return true;
	return false;
}

/* @name is in the store; @pline is the include line in @parent. */
static int src_open(struct reader *r, struct src *src, const char *name,
		    bool is_stdin, const struct src *parent,
		    unsigned int pline)
{
	struct stat st;

	memset(src, 0, sizeof(*src));
	src->name = name;
	src->is_stdin = is_stdin;
	src->parent = parent;
	src->depth = parent ? parent->depth + 1 : 0;
	src->fd = is_stdin ? STDIN_FILENO : -1;
	if (src->depth > CONF_DEPTH_MAX)
		return perr_fail(r->e, "%s:%u: include %s: nested deeper than %d files",
				 parent->name, pline, name, CONF_DEPTH_MAX);
	if (!is_stdin)
		src->fd = open(name, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0 || fstat(src->fd, &st))
		return open_fail(r, src, pline, errno);
	if (S_ISDIR(st.st_mode))
		return open_fail(r, src, pline, EISDIR);
	if (on_stack(parent, &st))
		return perr_fail(r->e, "%s:%u: include %s: include loop",
				 parent->name, pline, name);
	src->dev = st.st_dev;
	src->ino = st.st_ino;
	src->buf = malloc(RBUF_SIZE);
	if (!src->buf)
		return no_memory(r, name, 0);
	return 0;
}

static void src_close(struct src *src)
{
	wipe_free(src->buf, RBUF_SIZE);
	if (!src->is_stdin && src->fd >= 0)
		close(src->fd);
}

/* Moves the unread bytes to the front of the buffer and reads more. */
static int src_fill(struct reader *r, struct src *src)
{
	size_t n = src->end - src->start;
	ssize_t got;

	memmove(src->buf, src->buf + src->start, n);
	src->start = 0;
	src->end = n;
	do {
		got = read(src->fd, src->buf + n, RBUF_SIZE - n);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return perr_fail(r->e, "%s:%u: %s", src->name, src->line + 1,
				 strerror(errno));
	if (!got)
		src->eof = true;
	src->end += got;
	return 0;
}

/*
 * Returns 1 with the next physical line, without its "\n" or "\r\n", in
 * @line and @len; 0 at the end of the file; -1 on error.
 */
static int src_line(struct reader *r, struct src *src, char **line,
		    size_t *len)
{
	size_t n, eol = 0;
	char *nl;

	for (;;) {
		n = src->end - src->start;
		nl = memchr(src->buf + src->start, '\n', n);
		if (nl) {
			eol = nl - (src->buf + src->start);
			n = eol + 1;
			break;
		}
		/* without its end seen, a line this long is too long */
		if (src->eof || n > CONF_LINE_MAX + 1) {
			if (!n)
				return 0;
			eol = n;
			break;
		}
		if (src_fill(r, src))
			return -1;
	}
	src->line++;
	*line = src->buf + src->start;
	src->start += n;
	if (eol && (*line)[eol - 1] == '\r')
		eol--;
	if (eol > CONF_LINE_MAX)
		return perr_fail(r->e, "%s:%u: line longer than %d bytes",
				 src->name, src->line, CONF_LINE_MAX);
	if (memchr(*line, '\0', eol))
		return perr_fail(r->e, "%s:%u: NUL byte", src->name,
				 src->line);
	*len = eol;
	return 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A '#' at the start of a line or after a blank starts a comment. */
static size_t strip_comment(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] == '#' && (!i || is_blank(line[i - 1])))
			return i;
	return len;
}

static bool all_blank(const char *s, size_t len)
{
	while (len--)
		if (!is_blank(*s++))
			return false;
	return true;
}

/*
 * Control characters would end up in error messages; a backslash only
 * means something as the last character (there is no quoting), so one
 * anywhere else is refused rather than passed on as part of a word.
 * Sets @more if the line continues.
 */
static int check_text(struct reader *r, const struct src *src,
		      const char *s, size_t len, bool *more)
{
	unsigned char c;
	size_t i;

	*more = false;
	for (i = 0; i < len; i++) {
		c = s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return perr_fail(r->e, "%s:%u: control character 0x%02x",
					 src->name, src->line, c);
		if (c != '\\')
			continue;
		if (i == len - 1) {
			*more = true;
		} else if (all_blank(s + i + 1, len - i - 1)) {
			return perr_fail(r->e, "%s:%u: blanks after '\\' (a continuation '\\' must end the line)",
					 src->name, src->line);
		} else {
			return perr_fail(r->e, "%s:%u: '\\' inside a line (no quoting; '\\' only continues a line)",
					 src->name, src->line);
		}
	}
	return 0;
}

/*
 * Joins the next command's lines into r->text.  Returns 1 with the number
 * of its first line in @first, 0 at the end of the file, -1 on error.
 */
static int next_text(struct reader *r, struct src *src, unsigned int *first)
{
	bool more = false;
	size_t len = 0;
	char *line;
	int ret;

	r->len = 0;
	do {
		ret = src_line(r, src, &line, &len);
		if (!ret && more)
			return perr_fail(r->e, "%s:%u: backslash at end of file",
					 src->name, src->line);
		if (ret <= 0)
			return ret;
		if (!more)
			*first = src->line;
		len = strip_comment(line, len);
		if (check_text(r, src, line, len, &more))
			return -1;
		if (more)
			len--;
		if (len > CONF_LINE_MAX - r->len)
			return perr_fail(r->e, "%s:%u: line longer than %d bytes",
					 src->name, *first, CONF_LINE_MAX);
		memcpy(r->text + r->len, line, len);
		r->len += len;
	} while (more);
	return 1;
}

/* Counts the words of r->text and the bytes they need with their NULs. */
static int count_words(const struct reader *r, size_t *bytes)
{
	int argc = 0;
	size_t i;

	*bytes = 0;
	for (i = 0; i < r->len; i++) {
		if (is_blank(r->text[i]))
			continue;
		if (!i || is_blank(r->text[i - 1])) {
			argc++;
			(*bytes)++;
		}
		(*bytes)++;
	}
	return argc;
}

/* Copies the words of r->text into the store. */
static char **split_words(struct reader *r, int argc, size_t bytes)
{
	size_t i, vec = (argc + 1) * sizeof(char *);
	char **argv, *p;
	int n = 0;

	argv = store_alloc(r->store, vec + bytes);
	if (!argv)
		return NULL;
	p = (char *)argv + vec;
	for (i = 0; i < r->len; i++) {
		if (is_blank(r->text[i]))
			continue;
		if (!i || is_blank(r->text[i - 1]))
			argv[n++] = p;
		*p++ = r->text[i];
		if (i + 1 == r->len || is_blank(r->text[i + 1]))
			*p++ = '\0';
	}
	argv[n] = NULL;
	return argv;
}

static int add_cmd(struct reader *r, const struct src *src,
		   unsigned int line, int argc, char **argv)
{
	struct conf *conf = r->conf;
	struct store *s = r->store;
	struct conf_cmd *cmds, *cmd;
	size_t cap;

	if (conf->n == s->cap) {
		cap = s->cap ? 2 * s->cap : 64;
		cmds = realloc(conf->cmds, cap * sizeof(*cmds));
		if (!cmds)
			return no_memory(r, src->name, line);
		conf->cmds = cmds;
		s->cap = cap;
	}
	cmd = &conf->cmds[conf->n++];
	cmd->file = src->name;
	cmd->line = line;
	cmd->argc = argc;
	cmd->argv = argv;
	return 0;
}

/* An included PATH is relative to the directory of the including file. */
static const char *include_path(struct reader *r, const struct src *src,
				const char *path)
{
	const char *slash = strrchr(src->name, '/');
	size_t dir, len = strlen(path);
	char *p;

	dir = path[0] == '/' || src->is_stdin || !slash ?
	      0 : (size_t)(slash - src->name) + 1;
	p = store_alloc(r->store, dir + len + 1);
	if (!p)
		return NULL;
	memcpy(p, src->name, dir);
	memcpy(p + dir, path, len + 1);
	return p;
}

static int read_file(struct reader *r, const char *name, bool is_stdin,
		     const struct src *parent, unsigned int pline);

static int read_include(struct reader *r, const struct src *src,
		   unsigned int line, int argc, char **argv)
{
	const char *path;

	if (argc != 2)
		return perr_fail(r->e, "%s:%u: include needs exactly one PATH",
				 src->name, line);
	path = include_path(r, src, argv[1]);
	if (!path)
		return no_memory(r, src->name, line);
	return read_file(r, path, false, src, line);
}

static int read_commands(struct reader *r, struct src *src)
{
	unsigned int line = 0;
	size_t bytes;
	char **argv;
	int argc, ret;

	while ((ret = next_text(r, src, &line)) > 0) {
		argc = count_words(r, &bytes);
		if (!argc)
			continue;
		argv = split_words(r, argc, bytes);
		if (!argv)
			return no_memory(r, src->name, line);
		if (!strcmp(argv[0], "include"))
			ret = read_include(r, src, line, argc, argv);
		else
			ret = add_cmd(r, src, line, argc, argv);
		if (ret)
			return ret;
	}
	return ret;
}

static int read_file(struct reader *r, const char *name, bool is_stdin,
		     const struct src *parent, unsigned int pline)
{
	struct src src;
	int ret;

	ret = src_open(r, &src, name, is_stdin, parent, pline);
	if (!ret)
		ret = read_commands(r, &src);
	src_close(&src);
	return ret;
}

int conf_read(const char *path, struct conf *conf, struct perr *e)
{
	struct reader r = { .conf = conf, .e = e };
	bool is_stdin = !strcmp(path, "-");
	const char *name = STDIN_NAME;
	int ret = -1;

	memset(conf, 0, sizeof(*conf));
	r.store = calloc(1, sizeof(*r.store));
	r.text = malloc(CONF_LINE_MAX);
	if (!r.store || !r.text) {
		store_free(r.store);
		perr_fail(e, "%s: out of memory", path);
		goto out;
	}
	conf->priv = r.store;
	if (!is_stdin) {
		name = store_alloc(r.store, strlen(path) + 1);
		if (!name) {
			perr_fail(e, "%s: out of memory", path);
			goto out;
		}
		strcpy((char *)name, path);
	}
	ret = read_file(&r, name, is_stdin, NULL, 0);
out:
	wipe_free(r.text, CONF_LINE_MAX);
	if (ret)
		conf_free(conf);
	return ret;
}

void conf_free(struct conf *conf)
{
	store_free(conf->priv);
	free(conf->cmds);
	memset(conf, 0, sizeof(*conf));
}
