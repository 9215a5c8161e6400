/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SAs written for other programs.  Wireshark: the lines of its "esp_sa"
 * table (Preferences, Protocols, ESP, ESP SAs; the file esp_sa of a
 * configuration profile) in the format of Wireshark 4.0, so that it can
 * decrypt a capture of kipsec traffic.  Nothing here does netlink I/O.
 */
#ifndef IPSECCTL_EXPORT_H
#define IPSECCTL_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sa.h"

/*
 * Wireshark's name of the kipsec algorithm @name as ESP encryption (@enc)
 * or authentication; NULL if Wireshark cannot decrypt with it.
 */
const char *wireshark_alg(const char *name, bool enc);

/*
 * One esp_sa line per SA Wireshark can decrypt, a '#' comment (without
 * keys) for any other; 0, or -1 if writing to @f failed.
 */
int export_wireshark(FILE *f, const struct sa *sas, size_t n);

#endif /* IPSECCTL_EXPORT_H */
