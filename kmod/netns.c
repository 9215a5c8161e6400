// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: each namespace is an independent IPsec
 * host with its own databases, so all state hangs off struct kipsec_net.
 */
#include "hooks.h"
#include "netns.h"

unsigned int kipsec_net_id __read_mostly;

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);
	int ret;

	kn->net = net;
	mutex_init(&kn->config_lock);
	ret = kipsec_sad_init(kn);
	if (ret)
		goto err_destroy_lock;
	ret = kipsec_spd_init(kn);
	if (ret)
		goto err_fini_sad;
	ret = kipsec_stats_init(kn);
	if (ret)
		goto err_fini_spd;
	ret = kipsec_hooks_net_init(kn);
	if (ret)
		goto err_fini_stats;
	return 0;

err_fini_stats:
	kipsec_stats_fini(kn);
err_fini_spd:
	kipsec_spd_fini(kn);
err_fini_sad:
	kipsec_sad_fini(kn);
err_destroy_lock:
	mutex_destroy(&kn->config_lock);
	return ret;
}

/* Also runs for every namespace at rmmod: nothing may outlive it. */
static void __net_exit kipsec_net_exit(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);

	kipsec_hooks_net_exit(kn);
	kipsec_stats_fini(kn);
	kipsec_spd_fini(kn);
	kipsec_sad_fini(kn);
	mutex_destroy(&kn->config_lock);
}

static struct pernet_operations kipsec_net_ops = {
	.init = kipsec_net_init,
	.exit = kipsec_net_exit,
	.id = &kipsec_net_id,
	.size = sizeof(struct kipsec_net),
};

int kipsec_netns_init(void)
{
	return register_pernet_subsys(&kipsec_net_ops);
}

void kipsec_netns_exit(void)
{
	unregister_pernet_subsys(&kipsec_net_ops);
}
