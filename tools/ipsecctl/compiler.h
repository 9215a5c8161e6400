/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel-style helpers the tool uses. */
#ifndef IPSECCTL_COMPILER_H
#define IPSECCTL_COMPILER_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __STR(x) #x
#define STR(x) __STR(x)

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

#endif /* IPSECCTL_COMPILER_H */
