/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETNS_H
#define _KIPSEC_NETNS_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "sad.h"
#include "spd.h"
#include "stats.h"

/* Everything kipsec keeps per network namespace. */
struct kipsec_net {
	struct net *net;
	/* Serialises every configuration change in this namespace. */
	struct mutex config_lock;
	struct kipsec_sad sad;
	struct kipsec_spd spd;
	struct kipsec_stats __percpu *stats;
	/* Packets inside an asynchronous crypto request: exit waits. */
	atomic_t inflight;
	/* Sends expiry events and deletes expired SAs (lifetime.c). */
	struct delayed_work lifetime_work;
	/*
	 * Settings (KIPSEC_CMD_SET_CONFIG), read locklessly by the packet
	 * path: what no policy matches gets, and the protocol switches.
	 */
	u8 default_action[KIPSEC_DIR_MAX + 1];
	bool esp_off;
	bool ah_off;
	/* Open transactions (txn.c), one per socket; under config_lock. */
	struct list_head txns;
};

/* A KIPSEC_CMD_SET_CONFIG: the settings it names, and their values. */
enum kipsec_config_field {
	KIPSEC_CFG_DEFAULT_IN	= 1U << 0,
	KIPSEC_CFG_DEFAULT_OUT	= 1U << 1,
	KIPSEC_CFG_ESP		= 1U << 2,
	KIPSEC_CFG_AH		= 1U << 3,
};

struct kipsec_config {
	u8 set;			/* enum kipsec_config_field */
	u8 default_action[KIPSEC_DIR_MAX + 1];
	bool esp_off;
	bool ah_off;
};

void kipsec_config_read(struct kipsec_net *kn, struct kipsec_config *c);
void kipsec_config_apply_locked(struct kipsec_net *kn,
				const struct kipsec_config *c);

extern unsigned int kipsec_net_id;

static inline struct kipsec_net *kipsec_net(const struct net *net)
{
	return net_generic(net, kipsec_net_id);
}

int kipsec_netns_init(void);
void kipsec_netns_exit(void);

#endif /* _KIPSEC_NETNS_H */
