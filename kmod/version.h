/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_VERSION_H
#define _KIPSEC_VERSION_H

#define KIPSEC_VERSION "0.1.0"

#endif /* _KIPSEC_VERSION_H */
