/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small harness for the host unit tests: each row of a parameter table
 * is one test, counted as passed or failed; failures say why.  The last
 * line of the run is "N passed, N failed".
 */
#ifndef IPSECCTL_UNIT_H
#define IPSECCTL_UNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"

#define ARGV_MAX	64

/* Records one test; @fmt explains a failure. */
bool t_check(bool ok, const char *name, const char *fmt, ...)
	__printf(3, 4);

/*
 * Splits @line at spaces into @argv (words stay in @buf).  "@NAME@" words
 * are replaced by the path t_path(NAME) of a fixture file.
 */
int t_split(const char *line, char *buf, size_t size, char **argv);
const char *t_path(const char *name);
/* The test's scratch directory (removed at exit). */
const char *t_dir(void);
/* Writes a fixture file of that mode in the scratch directory. */
const char *t_file(const char *name, const char *content, unsigned int mode);

/* The output of a print function, as a string to free(). */
#define T_CAPTURE(var, call) do {					\
		size_t __len;						\
		FILE *f = open_memstream(&(var), &__len);		\
		call;							\
		fclose(f);						\
	} while (0)

/* The path of the built binary, from argv[1]. */
extern const char *t_binary;

void args_tests(void);
void sa_tests(void);
void policy_tests(void);
void output_tests(void);
void info_tests(void);
void stats_tests(void);
void nl_tests(void);
void cli_tests(void);
void config_tests(void);
void event_tests(void);
void conffile_tests(void);
void import_tests(void);
void export_tests(void);
void apply_tests(void);

#endif /* IPSECCTL_UNIT_H */
