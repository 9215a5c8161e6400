/* SPDX-License-Identifier: GPL-2.0 */
/* SAs as text (a table, or key: value lines for one) and as JSON. */
#ifndef IPSECCTL_SA_PRINT_H
#define IPSECCTL_SA_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"
#include "sa.h"

void sa_json(struct json *j, const struct sa *sa, bool show_keys);
/* The same object as the member @key of the current one. */
void sa_json_member(struct json *j, const char *key, const struct sa *sa,
		    bool show_keys);
/* " soft bytes N hard add-seconds N ...": the limits the SA has. */
void sa_lifetime_words(FILE *f, const struct sa *sa);
/* One line's worth of "src ... dst ... proto ... spi ..." (no newline). */
void sa_words(FILE *f, const struct sa *sa);
void sa_print_one(FILE *f, const struct sa *sa, bool json, bool show_keys);
int sa_print_list(FILE *f, const struct sa *sas, size_t n, bool json,
		  bool show_keys);

#endif /* IPSECCTL_SA_PRINT_H */
