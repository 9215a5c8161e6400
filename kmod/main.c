// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec: IPsec ESP and AH (RFC 4301, 4302, 4303) as a loadable module,
 * configured over the "kipsec" generic netlink family.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "sad.h"
#include "txn.h"
#include "version.h"

static int __init kipsec_init(void)
{
	int ret;

	ret = kipsec_sad_module_init();
	if (ret)
		goto out;

	ret = kipsec_hooks_module_init();
	if (ret)
		goto err_sad;

	ret = kipsec_netns_init();
	if (ret)
		goto err_hooks;

	ret = kipsec_txn_module_init();
	if (ret)
		goto err_netns;

	ret = kipsec_netlink_init();
	if (ret)
		goto err_txn;

	pr_info("kipsec " KIPSEC_VERSION " loaded\n");
	return 0;

err_txn:
	kipsec_txn_module_exit();
err_netns:
	kipsec_netns_exit();
err_hooks:
	kipsec_hooks_module_exit();
err_sad:
	kipsec_sad_module_exit();
out:
	return ret;
}

static void __exit kipsec_exit(void)
{
	kipsec_netlink_exit();
	kipsec_txn_module_exit();
	kipsec_netns_exit();
	kipsec_hooks_module_exit();
	kipsec_sad_module_exit();
}

module_init(kipsec_init);
module_exit(kipsec_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPsec ESP and AH with a generic netlink control plane");
MODULE_VERSION(KIPSEC_VERSION);
MODULE_ALIAS_GENL_FAMILY(KIPSEC_GENL_NAME);
