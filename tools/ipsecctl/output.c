// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "output.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond Unicode */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * RFC 8259: quote, backslash and control characters escaped; bytes that
 * are not UTF-8 become U+FFFD so the output stays valid JSON whatever the
 * kernel sent.
 */
void json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

static void json_member(struct json *j, const char *key)
{
	if (j->has_items[j->depth])
		fputc(',', j->f);
	j->has_items[j->depth] = true;
	if (key) {
		json_escape(j->f, key);
		fputc(':', j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_DEPTH_MAX - 1)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_escape(j->f, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_name(struct json *j, const char *key, const struct name_table *t,
	       unsigned int val)
{
	const char *name = name_of(t, val);

	if (name)
		json_str(j, key, name);
	else
		json_u64(j, key, val);
}

void json_end(struct json *j)
{
	fputc('\n', j->f);
}

void table_init(struct table *t, const char *const *head, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->head = head;
	t->ncols = ncols;
}

int table_add(struct table *t, const char *const *row)
{
	char **cells;
	size_t i, cap;

	if (t->nrows == t->cap) {
		cap = t->cap ? 2 * t->cap : 16;
		cells = reallocarray(t->cells, cap * t->ncols, sizeof(*cells));
		if (!cells)
			return -1;
		t->cells = cells;
		t->cap = cap;
	}
	cells = &t->cells[t->nrows * t->ncols];
	for (i = 0; i < t->ncols; i++) {
		cells[i] = strdup(row[i] ? row[i] : "");
		if (!cells[i])
			goto free_row;
	}
	t->nrows++;
	return 0;

free_row:
	while (i--)
		free(cells[i]);
	return -1;
}

/* Columns two spaces apart; the last one is not padded. */
void table_print(const struct table *t, FILE *f)
{
	size_t width[TABLE_COLS_MAX] = { 0 };
	size_t r, c, n;
	const char *cell;

	for (c = 0; c < t->ncols && c < ARRAY_SIZE(width); c++)
		width[c] = strlen(t->head[c]);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols && c < ARRAY_SIZE(width); c++) {
			n = strlen(t->cells[r * t->ncols + c]);
			if (n > width[c])
				width[c] = n;
		}
	}
	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = r ? t->cells[(r - 1) * t->ncols + c] :
				   t->head[c];
			if (c + 1 == t->ncols)
				fprintf(f, "%s\n", cell);
			else
				fprintf(f, "%-*s  ",
					(int)(c < ARRAY_SIZE(width) ? width[c] : 0),
					cell);
		}
	}
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++) {
		explicit_bzero(t->cells[i], strlen(t->cells[i]));
		free(t->cells[i]);
	}
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
	t->cap = 0;
}

void kv_print(FILE *f, const char *label, const char *fmt, ...)
{
	char head[64];
	va_list ap;

	snprintf(head, sizeof(head), "%s:", label);
	fprintf(f, "%-20s ", head);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}
