/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_EVENTS_H
#define _KIPSEC_EVENTS_H

#include <linux/types.h>

#include "lifetime.h"

struct kipsec_net;
struct kipsec_policy;
struct kipsec_sa;

/*
 * Notifications on the "events" group of @kn's namespace (see the uapi
 * header for their attributes).  Config path, process context: each
 * builds its message only when someone listens, and a message that cannot
 * be built is lost as if the listener's buffer had overflowed.
 */
void kipsec_ev_sa(struct kipsec_net *kn, const struct kipsec_sa *sa, u8 cmd);
void kipsec_ev_expire(struct kipsec_net *kn, const struct kipsec_sa *sa,
		      bool hard, enum kipsec_lifetime_limit limit);
void kipsec_ev_sa_flush(struct kipsec_net *kn, u8 proto, unsigned int count);
void kipsec_ev_policy(struct kipsec_net *kn, const struct kipsec_policy *pol,
		      u8 cmd);
void kipsec_ev_policy_flush(struct kipsec_net *kn, int dir,
			    unsigned int count);
void kipsec_ev_config(struct kipsec_net *kn);

#endif /* _KIPSEC_EVENTS_H */
