// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions, as nftables applies a batch: `ipsecctl -f` stages a whole
 * file's changes, then commits them at once.  The commit orders its steps
 * so that traffic never sees a half-applied state: new and replacing SAs,
 * then policies, then settings go in first, deletions come last, so a
 * protected flow is never without its policy or its SAs, and an undone
 * commit leaves the databases as they were.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "events.h"
#include "kunit_export.h"
#include "sad.h"
#include "spd.h"
#include "txn.h"

struct txn_op {
	struct list_head list;
	u8 cmd;			/* KIPSEC_CMD_SA_ADD, ... */
	bool done;		/* applied, to be undone if a later step fails */
	bool has_dir;		/* POLICY_UPDATE */
	u32 id;			/* POLICY_UPDATE, POLICY_DEL */
	struct kipsec_sa_id sa_id;	/* SA_DEL */
	struct kipsec_sa_replace how;	/* SA_UPDATE */
	struct kipsec_sa *sa;		/* SA_ADD, SA_UPDATE: ours until done */
	struct kipsec_sa *old_sa;	/* SA_UPDATE: the SA replaced */
	struct kipsec_policy *pol;	/* POLICY_ADD, POLICY_UPDATE */
	struct kipsec_policy *old_pol;	/* POLICY_UPDATE */
	struct kipsec_config config;	/* SET_CONFIG; once done, the old one */
};

struct kipsec_txn {
	struct list_head list;	/* kipsec_net.txns */
	u32 portid;
	unsigned int nops;
	struct list_head ops;
};

static void op_free(struct txn_op *op)
{
	/* Never published: no reader can hold them. */
	if (op->sa)
		kipsec_sa_free(op->sa);
	kfree(op->pol);
	kfree(op);
}

static void txn_free(struct kipsec_txn *txn)
{
	struct txn_op *op, *next;

	list_for_each_entry_safe(op, next, &txn->ops, list)
		op_free(op);
	kfree(txn);
}

static struct kipsec_txn *find_locked(struct kipsec_net *kn, u32 portid)
{
	struct kipsec_txn *txn;

	lockdep_assert_held(&kn->config_lock);
	list_for_each_entry(txn, &kn->txns, list)
		if (txn->portid == portid)
			return txn;
	return NULL;
}

int kipsec_txn_begin(struct kipsec_net *kn, u32 portid,
		     struct netlink_ext_ack *extack)
{
	struct kipsec_txn *txn;
	int ret = 0;

	txn = kzalloc(sizeof(*txn), GFP_KERNEL);
	if (!txn)
		return -ENOMEM;
	txn->portid = portid;
	INIT_LIST_HEAD(&txn->ops);

	mutex_lock(&kn->config_lock);
	if (find_locked(kn, portid)) {
		NL_SET_ERR_MSG(extack,
			       "this socket has a transaction open already");
		ret = -EBUSY;
	} else {
		list_add(&txn->list, &kn->txns);
	}
	mutex_unlock(&kn->config_lock);
	if (ret)
		kfree(txn);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_begin);

/* Takes the transaction off the namespace: the caller frees it. */
static struct kipsec_txn *take_locked(struct kipsec_net *kn, u32 portid,
				      struct netlink_ext_ack *extack)
{
	struct kipsec_txn *txn = find_locked(kn, portid);

	if (!txn) {
		NL_SET_ERR_MSG(extack, "no transaction open on this socket");
		return NULL;
	}
	list_del(&txn->list);
	return txn;
}

int kipsec_txn_abort(struct kipsec_net *kn, u32 portid,
		     struct netlink_ext_ack *extack)
{
	struct kipsec_txn *txn;

	mutex_lock(&kn->config_lock);
	txn = take_locked(kn, portid, extack);
	mutex_unlock(&kn->config_lock);
	if (!txn)
		return -ENOENT;
	txn_free(txn);
	return 0;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_abort);

/* ---- staging ---- */

/* Enough for every SA and policy to be deleted and added again. */
static unsigned int max_ops(struct kipsec_net *kn)
{
	return 2 * (kn->sad.max + kn->spd.max) + 16;
}

/* Takes @op in any case. */
static int stage(struct kipsec_net *kn, u32 portid, struct txn_op *op,
		 struct netlink_ext_ack *extack)
{
	struct kipsec_txn *txn;
	int ret = 0;

	mutex_lock(&kn->config_lock);
	txn = find_locked(kn, portid);
	if (!txn) {
		NL_SET_ERR_MSG(extack, "no transaction open on this socket");
		ret = -ENOENT;
	} else if (txn->nops >= max_ops(kn)) {
		NL_SET_ERR_MSG(extack, "transaction too large");
		ret = -E2BIG;
	} else {
		list_add_tail(&op->list, &txn->ops);
		txn->nops++;
	}
	mutex_unlock(&kn->config_lock);
	if (ret)
		op_free(op);
	return ret;
}

static struct txn_op *op_alloc(u8 cmd)
{
	struct txn_op *op = kzalloc(sizeof(*op), GFP_KERNEL);

	if (op)
		op->cmd = cmd;
	return op;
}

int kipsec_txn_add_sa(struct kipsec_net *kn, u32 portid, struct kipsec_sa *sa,
		      struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_SA_ADD);

	if (!op) {
		kipsec_sa_free(sa);
		return -ENOMEM;
	}
	op->sa = sa;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_add_sa);

int kipsec_txn_update_sa(struct kipsec_net *kn, u32 portid,
			 struct kipsec_sa *sa,
			 const struct kipsec_sa_replace *how,
			 struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_SA_UPDATE);

	if (!op) {
		kipsec_sa_free(sa);
		return -ENOMEM;
	}
	op->sa = sa;
	op->how = *how;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_update_sa);

int kipsec_txn_del_sa(struct kipsec_net *kn, u32 portid,
		      const struct kipsec_sa_id *id,
		      struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_SA_DEL);

	if (!op)
		return -ENOMEM;
	op->sa_id = *id;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_del_sa);

int kipsec_txn_add_policy(struct kipsec_net *kn, u32 portid,
			  struct kipsec_policy *pol,
			  struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_POLICY_ADD);

	if (!op) {
		kfree(pol);
		return -ENOMEM;
	}
	op->pol = pol;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_add_policy);

int kipsec_txn_update_policy(struct kipsec_net *kn, u32 portid,
			     struct kipsec_policy *pol, u32 id, bool has_dir,
			     struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_POLICY_UPDATE);

	if (!op) {
		kfree(pol);
		return -ENOMEM;
	}
	op->pol = pol;
	op->id = id;
	op->has_dir = has_dir;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_update_policy);

int kipsec_txn_del_policy(struct kipsec_net *kn, u32 portid, u32 id,
			  struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_POLICY_DEL);

	if (!op)
		return -ENOMEM;
	op->id = id;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_del_policy);

int kipsec_txn_set_config(struct kipsec_net *kn, u32 portid,
			  const struct kipsec_config *c,
			  struct netlink_ext_ack *extack)
{
	struct txn_op *op = op_alloc(KIPSEC_CMD_SET_CONFIG);

	if (!op)
		return -ENOMEM;
	op->config = *c;
	return stage(kn, portid, op, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_set_config);

/* ---- commit ---- */

/* What must exist for the steps to apply; the databases may have moved. */
static int check_op(struct kipsec_net *kn, const struct txn_op *op,
		    struct netlink_ext_ack *extack)
{
	switch (op->cmd) {
	case KIPSEC_CMD_SA_UPDATE:
		if (kipsec_sa_find_locked(kn, &op->sa->id))
			return 0;
		break;
	case KIPSEC_CMD_SA_DEL:
		if (kipsec_sa_find_locked(kn, &op->sa_id))
			return 0;
		break;
	case KIPSEC_CMD_POLICY_UPDATE:
	case KIPSEC_CMD_POLICY_DEL:
		if (kipsec_policy_find_locked(kn, op->id))
			return 0;
		NL_SET_ERR_MSG(extack,
			       "transaction names a policy that does not exist (nothing changed)");
		return -ENOENT;
	default:
		return 0;
	}
	NL_SET_ERR_MSG(extack,
		       "transaction names an SA that does not exist (nothing changed)");
	return -ENOENT;
}

static int apply_policy_update(struct kipsec_net *kn, struct txn_op *op,
			       struct netlink_ext_ack *extack)
{
	struct kipsec_policy *old = kipsec_policy_find_locked(kn, op->id);

	if (op->has_dir && op->pol->dir != old->dir) {
		NL_SET_ERR_MSG(extack, "a policy cannot change direction");
		return -EINVAL;
	}
	op->old_pol = old;
	return kipsec_policy_swap_locked(kn, old, op->pol, extack);
}

static int apply_sa_update(struct kipsec_net *kn, struct txn_op *op,
			   struct netlink_ext_ack *extack)
{
	int ret;

	op->old_sa = kipsec_sa_find_locked(kn, &op->sa->id);
	ret = kipsec_sa_replace_prepare_locked(kn, op->old_sa, op->sa,
					       &op->how);
	if (ret == -EBUSY) {
		NL_SET_ERR_MSG(extack, "transaction updates an SA twice");
		return -EINVAL;
	}
	if (ret)
		NL_SET_ERR_MSG(extack, "no memory for the SA");
	return ret;
}

/* The steps that may fail, each undone by undo_op(). */
static int apply_op(struct kipsec_net *kn, struct txn_op *op,
		    struct netlink_ext_ack *extack)
{
	struct kipsec_config old;

	switch (op->cmd) {
	case KIPSEC_CMD_SA_ADD:
		return kipsec_sa_insert_locked(kn, op->sa, extack);
	case KIPSEC_CMD_SA_UPDATE:
		return apply_sa_update(kn, op, extack);
	case KIPSEC_CMD_SET_CONFIG:
		kipsec_config_read(kn, &old);
		kipsec_config_apply_locked(kn, &op->config);
		op->config = old;
		return 0;
	case KIPSEC_CMD_POLICY_ADD:
		return kipsec_policy_insert_locked(kn, op->pol, extack);
	case KIPSEC_CMD_POLICY_UPDATE:
		return apply_policy_update(kn, op, extack);
	}
	return 0;
}

static void undo_op(struct kipsec_net *kn, struct txn_op *op)
{
	switch (op->cmd) {
	case KIPSEC_CMD_SA_ADD:
		kipsec_sa_unpublish_locked(kn, op->sa);
		op->sa = NULL;
		break;
	case KIPSEC_CMD_SA_UPDATE:
		kipsec_sa_replace_cancel_locked(kn, op->old_sa, op->sa);
		/* The outbound chooser may have seen it. */
		kipsec_sa_put(op->sa);
		op->sa = NULL;
		break;
	case KIPSEC_CMD_SET_CONFIG:
		kipsec_config_apply_locked(kn, &op->config);
		break;
	case KIPSEC_CMD_POLICY_ADD:
		kipsec_policy_unlink_locked(kn, op->pol);
		op->pol = NULL;
		break;
	case KIPSEC_CMD_POLICY_UPDATE:
		kipsec_policy_swap_back_locked(kn, op->pol, op->old_pol);
		kfree_rcu(op->pol, rcu);
		op->pol = NULL;
		break;
	}
}

/*
 * Everything new goes in before anything old goes out: SAs first (a
 * policy may need them at once), then policies, then the settings (a new
 * default meets the policies it was written with: none of the flows
 * they cover goes by the default meanwhile, in clear or dropped).
 */
static const u8 fallible_order[] = {
	KIPSEC_CMD_SA_ADD, KIPSEC_CMD_SA_UPDATE, KIPSEC_CMD_POLICY_ADD,
	KIPSEC_CMD_POLICY_UPDATE, KIPSEC_CMD_SET_CONFIG,
};

static void undo_all(struct kipsec_net *kn, struct kipsec_txn *txn)
{
	struct txn_op *op;

	list_for_each_entry_reverse(op, &txn->ops, list) {
		if (op->done)
			undo_op(kn, op);
		op->done = false;
		cond_resched();
	}
}

static int apply_all(struct kipsec_net *kn, struct kipsec_txn *txn,
		     struct netlink_ext_ack *extack)
{
	struct txn_op *op;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fallible_order); i++) {
		list_for_each_entry(op, &txn->ops, list) {
			if (op->cmd != fallible_order[i])
				continue;
			ret = apply_op(kn, op, extack);
			if (ret) {
				undo_all(kn, txn);
				return ret;
			}
			op->done = true;
			/* Thousands of steps: the CPU's other work goes on. */
			cond_resched();
		}
	}
	return 0;
}

/* Events for what apply_all() did, and the objects now the databases'. */
static void announce_applied(struct kipsec_net *kn, struct kipsec_txn *txn)
{
	bool config = false;
	struct txn_op *op;

	list_for_each_entry(op, &txn->ops, list) {
		switch (op->cmd) {
		case KIPSEC_CMD_SA_ADD:
			kipsec_sa_announce(kn, op->sa, KIPSEC_CMD_SA_ADD);
			op->sa = NULL;
			break;
		case KIPSEC_CMD_SET_CONFIG:
			config = true;
			break;
		case KIPSEC_CMD_POLICY_ADD:
		case KIPSEC_CMD_POLICY_UPDATE:
			kipsec_ev_policy(kn, op->pol, op->cmd);
			op->pol = NULL;
			if (op->old_pol)
				kfree_rcu(op->old_pol, rcu);
			break;
		}
		cond_resched();
	}
	if (config)
		kipsec_ev_config(kn);
}

static void finish_sa_update(struct kipsec_net *kn, struct txn_op *op)
{
	kipsec_sa_replace_finish_locked(kn, op->old_sa, op->sa);
	kipsec_sa_announce(kn, op->sa, KIPSEC_CMD_SA_UPDATE);
	op->sa = NULL;
}

static void del_policy(struct kipsec_net *kn, struct txn_op *op)
{
	struct kipsec_policy *pol = kipsec_policy_find_locked(kn, op->id);

	/* Deleted twice in one transaction: once is enough. */
	if (!pol)
		return;
	kipsec_ev_policy(kn, pol, KIPSEC_CMD_POLICY_DEL);
	kipsec_policy_unlink_locked(kn, pol);
}

static void del_sa(struct kipsec_net *kn, struct txn_op *op)
{
	struct kipsec_sa *sa = kipsec_sa_find_locked(kn, &op->sa_id);

	if (!sa)
		return;
	kipsec_ev_sa(kn, sa, KIPSEC_CMD_SA_DEL);
	kipsec_sa_unpublish_locked(kn, sa);
}

/* The steps that cannot fail: replacements complete, then deletions. */
static void finish_all(struct kipsec_net *kn, struct kipsec_txn *txn)
{
	static const struct {
		u8 cmd;
		void (*finish)(struct kipsec_net *kn, struct txn_op *op);
	} steps[] = {
		{ KIPSEC_CMD_SA_UPDATE, finish_sa_update },
		{ KIPSEC_CMD_POLICY_DEL, del_policy },
		{ KIPSEC_CMD_SA_DEL, del_sa },
	};
	struct txn_op *op;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		list_for_each_entry(op, &txn->ops, list) {
			if (op->cmd != steps[i].cmd)
				continue;
			steps[i].finish(kn, op);
			cond_resched();
		}
	}
}

int kipsec_txn_commit(struct kipsec_net *kn, u32 portid,
		      struct netlink_ext_ack *extack)
{
	struct kipsec_txn *txn;
	struct txn_op *op;
	int ret = -ENOENT;

	mutex_lock(&kn->config_lock);
	txn = take_locked(kn, portid, extack);
	if (!txn)
		goto unlock;
	list_for_each_entry(op, &txn->ops, list) {
		ret = check_op(kn, op, extack);
		if (ret)
			goto unlock;
	}
	ret = apply_all(kn, txn, extack);
	if (ret)
		goto unlock;
	announce_applied(kn, txn);
	finish_all(kn, txn);
unlock:
	mutex_unlock(&kn->config_lock);
	if (txn)
		txn_free(txn);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_commit);

/* ---- teardown ---- */

void kipsec_txn_fini(struct kipsec_net *kn)
{
	struct kipsec_txn *txn, *next;

	list_for_each_entry_safe(txn, next, &kn->txns, list) {
		list_del(&txn->list);
		txn_free(txn);
	}
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_txn_fini);

/* A socket closed with a transaction open: it never happened. */
static int release_event(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct netlink_notify *n = ptr;
	struct kipsec_net *kn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	kn = kipsec_net(n->net);
	/* Sockets of namespaces that never saw a transaction: cheap. */
	if (list_empty_careful(&kn->txns))
		return NOTIFY_DONE;
	kipsec_txn_abort(kn, n->portid, NULL);
	return NOTIFY_DONE;
}

static struct notifier_block release_nb = {
	.notifier_call = release_event,
};

int __init kipsec_txn_module_init(void)
{
	return netlink_register_notifier(&release_nb);
}

void kipsec_txn_module_exit(void)
{
	netlink_unregister_notifier(&release_nb);
}
