// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: each namespace is an independent IPsec
 * host with its own databases, so all state hangs off struct kipsec_net.
 */
#include "hooks.h"
#include "netns.h"
#include "txn.h"

unsigned int kipsec_net_id __read_mostly;

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);
	int ret;

	kn->net = net;
	mutex_init(&kn->config_lock);
	INIT_LIST_HEAD(&kn->txns);
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
	kipsec_txn_fini(kn);
	kipsec_stats_fini(kn);
	kipsec_spd_fini(kn);
	kipsec_sad_fini(kn);
	mutex_destroy(&kn->config_lock);
}

/* Every setting, as a transaction saves them to undo a change. */
void kipsec_config_read(struct kipsec_net *kn, struct kipsec_config *c)
{
	c->set = KIPSEC_CFG_DEFAULT_IN | KIPSEC_CFG_DEFAULT_OUT |
		 KIPSEC_CFG_ESP | KIPSEC_CFG_AH;
	c->default_action[KIPSEC_DIR_IN] =
		READ_ONCE(kn->default_action[KIPSEC_DIR_IN]);
	c->default_action[KIPSEC_DIR_OUT] =
		READ_ONCE(kn->default_action[KIPSEC_DIR_OUT]);
	c->esp_off = READ_ONCE(kn->esp_off);
	c->ah_off = READ_ONCE(kn->ah_off);
}

/* The packet path reads the settings locklessly, one by one. */
void kipsec_config_apply_locked(struct kipsec_net *kn,
				const struct kipsec_config *c)
{
	lockdep_assert_held(&kn->config_lock);
	if (c->set & KIPSEC_CFG_DEFAULT_IN)
		WRITE_ONCE(kn->default_action[KIPSEC_DIR_IN],
			   c->default_action[KIPSEC_DIR_IN]);
	if (c->set & KIPSEC_CFG_DEFAULT_OUT)
		WRITE_ONCE(kn->default_action[KIPSEC_DIR_OUT],
			   c->default_action[KIPSEC_DIR_OUT]);
	if (c->set & KIPSEC_CFG_ESP)
		WRITE_ONCE(kn->esp_off, c->esp_off);
	if (c->set & KIPSEC_CFG_AH)
		WRITE_ONCE(kn->ah_off, c->ah_off);
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
