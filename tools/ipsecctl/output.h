/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output helpers: a streaming JSON writer (compact, correctly escaped) and
 * aligned text tables.
 */
#ifndef IPSECCTL_OUTPUT_H
#define IPSECCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler.h"

#define JSON_DEPTH_MAX	16

/*
 * Every call takes the member's key, or NULL for an element of an array
 * or the top-level value; the writer puts the commas.
 */
struct json {
	FILE *f;
	int depth;
	bool has_items[JSON_DEPTH_MAX];
};

void json_init(struct json *j, FILE *f);
void json_escape(FILE *f, const char *s);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);

struct name_table;
/* The name of @val in @t, or its number if it has none. */
void json_name(struct json *j, const char *key, const struct name_table *t,
	       unsigned int val);
/* Ends the document with a newline. */
void json_end(struct json *j);

#define TABLE_COLS_MAX	16

/* Cells are copied; the table wipes them when freed (they may hold keys). */
struct table {
	size_t ncols;
	const char *const *head;
	char **cells;
	size_t nrows;
	size_t cap;
};

void table_init(struct table *t, const char *const *head, size_t ncols);
int table_add(struct table *t, const char *const *row);
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* "label:   value" lines for one object; the colon is added. */
void kv_print(FILE *f, const char *label, const char *fmt, ...)
	__printf(3, 4);

#endif /* IPSECCTL_OUTPUT_H */
