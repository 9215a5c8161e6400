/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_HOOKS_H
#define _KIPSEC_HOOKS_H

struct kipsec_net;

int kipsec_hooks_module_init(void);
void kipsec_hooks_module_exit(void);

/* The namespace's hooks; its SAD, SPD and counters must exist already. */
int kipsec_hooks_net_init(struct kipsec_net *kn);
void kipsec_hooks_net_exit(struct kipsec_net *kn);

#endif /* _KIPSEC_HOOKS_H */
