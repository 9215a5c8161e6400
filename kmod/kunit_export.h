/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_KUNIT_EXPORT_H
#define _KIPSEC_KUNIT_EXPORT_H

#include <linux/export.h>

/*
 * The KUnit suites live in their own module (kipsec_test.ko) and test the
 * real kipsec.ko, so the internals they call are exported, but only to a
 * private namespace and only on kernels built with KUnit.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define KIPSEC_EXPORT_FOR_TESTS(sym) EXPORT_SYMBOL_NS_GPL(sym, KIPSEC_KUNIT)
#else
#define KIPSEC_EXPORT_FOR_TESTS(sym)
#endif

#endif /* _KIPSEC_KUNIT_EXPORT_H */
