/* SPDX-License-Identifier: GPL-2.0 */
/* Policies as a text table or as JSON. */
#ifndef IPSECCTL_POLICY_PRINT_H
#define IPSECCTL_POLICY_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"
#include "policy.h"

void policy_json(struct json *j, const struct policy *pol);
/* The same object as the member @key of the current one. */
void policy_json_member(struct json *j, const char *key,
			const struct policy *pol);
/* One line's worth of "id N dir ... action ..." (no newline). */
void policy_words(FILE *f, const struct policy *pol);
void policy_print_one(FILE *f, const struct policy *pol, bool json);
int policy_print_list(FILE *f, const struct policy *pols, size_t n,
		      bool json);

#endif /* IPSECCTL_POLICY_PRINT_H */
