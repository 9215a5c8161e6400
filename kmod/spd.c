// SPDX-License-Identifier: GPL-2.0
/*
 * The Security Policy Database (RFC 4301 4.4.1), one per network
 * namespace and direction: an ordered list where the first matching
 * policy decides.  Readers walk it under RCU; changes are serialised by
 * kipsec_net.config_lock and never leave it unsorted, even for a moment.
 */
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>

#include "events.h"
#include "kunit_export.h"
#include "netlink.h"
#include "netns.h"
#include "spd.h"

static unsigned int max_policies = 65536;
module_param(max_policies, uint, 0444);
MODULE_PARM_DESC(max_policies,
		 "Maximum number of policies per network namespace");

/* ---- matching ---- */

static bool port_in(__be16 port, u16 min, u16 max)
{
	u16 p = ntohs(port);

	return p >= min && p <= max;
}

static bool addrs_match(const struct kipsec_selector *sel,
			const struct kipsec_flow *flow)
{
	if (sel->family && sel->family != flow->family)
		return false;
	if ((sel->flags & KIPSEC_SEL_SRC) &&
	    !kipsec_addr_prefix_match(&sel->saddr, &flow->saddr,
				      sel->sprefix, sel->family))
		return false;
	if ((sel->flags & KIPSEC_SEL_DST) &&
	    !kipsec_addr_prefix_match(&sel->daddr, &flow->daddr,
				      sel->dprefix, sel->family))
		return false;
	return true;
}

/* Ports and ICMP fields only exist with their protocol, checked at add. */
static bool upper_match(const struct kipsec_selector *sel,
			const struct kipsec_flow *flow)
{
	if ((sel->flags & KIPSEC_SEL_PROTO) && sel->proto != flow->proto)
		return false;
	if ((sel->flags & KIPSEC_SEL_SPORT) &&
	    !port_in(flow->sport, sel->sport_min, sel->sport_max))
		return false;
	if ((sel->flags & KIPSEC_SEL_DPORT) &&
	    !port_in(flow->dport, sel->dport_min, sel->dport_max))
		return false;
	if ((sel->flags & KIPSEC_SEL_ICMP_TYPE) &&
	    sel->icmp_type != flow->icmp_type)
		return false;
	if ((sel->flags & KIPSEC_SEL_ICMP_CODE) &&
	    sel->icmp_code != flow->icmp_code)
		return false;
	return true;
}

bool kipsec_selector_match(const struct kipsec_selector *sel,
			   const struct kipsec_flow *flow)
{
	return addrs_match(sel, flow) && upper_match(sel, flow);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_selector_match);

struct kipsec_policy *kipsec_spd_lookup_rcu(struct kipsec_net *kn, u8 dir,
					    const struct kipsec_flow *flow)
{
	struct kipsec_policy *pol;

	if (dir > KIPSEC_DIR_MAX)
		return NULL;
	list_for_each_entry_rcu(pol, &kn->spd.lists[dir], list)
		if (kipsec_selector_match(&pol->sel, flow))
			return pol;
	return NULL;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_spd_lookup_rcu);

struct kipsec_policy *kipsec_policy_find_rcu(struct kipsec_net *kn, u32 id)
{
	return xa_load(&kn->spd.ids, id);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_find_rcu);

/* ---- configuration checks ---- */

static const struct nlattr *cfg_attr(const struct kipsec_policy_config *cfg,
				     int type)
{
	return cfg->tb ? cfg->tb[type] : NULL;
}

void kipsec_policy_config_init(struct kipsec_policy_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->priority = KIPSEC_POLICY_PRIORITY_DEFAULT;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_config_init);

/* Family of the selector: that of whichever address is given, else 0. */
static u16 cfg_family(const struct kipsec_policy_config *cfg)
{
	return cfg->src_family ?: cfg->dst_family;
}

static bool has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

static int check_enums(const struct kipsec_policy_config *cfg,
		       struct netlink_ext_ack *extack)
{
	if (cfg->dir > KIPSEC_DIR_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_POLICY_DIR),
				    "unknown policy direction");
		return -EINVAL;
	}
	if (cfg->action > KIPSEC_ACTION_MAX) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg, KIPSEC_A_POLICY_ACTION),
				    "unknown policy action");
		return -EINVAL;
	}
	return 0;
}

static int check_src(const struct kipsec_policy_config *cfg,
		     struct netlink_ext_ack *extack)
{
	const struct nlattr *plen = cfg_attr(cfg, KIPSEC_A_POLICY_SRC_PREFIXLEN);

	if (!cfg->src_family) {
		if (!cfg->has_sprefix)
			return 0;
		NL_SET_ERR_MSG_ATTR(extack, plen,
				    "src prefix length without src");
		return -EINVAL;
	}
	if (!cfg->has_sprefix)
		return 0;
	if (cfg->sprefix > kipsec_addr_bits(cfg->src_family)) {
		NL_SET_ERR_MSG_ATTR(extack, plen,
				    "src prefix length beyond the address");
		return -EINVAL;
	}
	if (!kipsec_addr_host_bits_clear(&cfg->saddr, cfg->sprefix,
					 cfg->src_family)) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_POLICY_SRC),
				    "host bits set in src prefix");
		return -EINVAL;
	}
	return 0;
}

static int check_dst(const struct kipsec_policy_config *cfg,
		     struct netlink_ext_ack *extack)
{
	const struct nlattr *plen = cfg_attr(cfg, KIPSEC_A_POLICY_DST_PREFIXLEN);

	if (!cfg->dst_family) {
		if (!cfg->has_dprefix)
			return 0;
		NL_SET_ERR_MSG_ATTR(extack, plen,
				    "dst prefix length without dst");
		return -EINVAL;
	}
	if (!cfg->has_dprefix)
		return 0;
	if (cfg->dprefix > kipsec_addr_bits(cfg->dst_family)) {
		NL_SET_ERR_MSG_ATTR(extack, plen,
				    "dst prefix length beyond the address");
		return -EINVAL;
	}
	if (!kipsec_addr_host_bits_clear(&cfg->daddr, cfg->dprefix,
					 cfg->dst_family)) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_POLICY_DST),
				    "host bits set in dst prefix");
		return -EINVAL;
	}
	return 0;
}

static int check_addrs(const struct kipsec_policy_config *cfg,
		       struct netlink_ext_ack *extack)
{
	if (cfg->src_family && cfg->dst_family &&
	    cfg->src_family != cfg->dst_family) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_POLICY_DST),
				    "src and dst must be the same family");
		return -EINVAL;
	}
	return check_src(cfg, extack) ?: check_dst(cfg, extack);
}

static int check_ports(const struct kipsec_policy_config *cfg,
		       struct netlink_ext_ack *extack)
{
	if (!cfg->has_sport && !cfg->has_dport)
		return 0;
	if (!cfg->has_proto || !has_ports(cfg->proto)) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg, cfg->has_sport ?
					     KIPSEC_A_POLICY_SPORT_MIN :
					     KIPSEC_A_POLICY_DPORT_MIN),
				    "ports need proto tcp, udp, udplite or sctp");
		return -EINVAL;
	}
	if (cfg->has_sport && cfg->sport_min > cfg->sport_max) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg, KIPSEC_A_POLICY_SPORT_MAX),
				    "sport range ends before it starts");
		return -EINVAL;
	}
	if (cfg->has_dport && cfg->dport_min > cfg->dport_max) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg, KIPSEC_A_POLICY_DPORT_MAX),
				    "dport range ends before it starts");
		return -EINVAL;
	}
	return 0;
}

/* ICMP type and code: RFC 4301 4.4.1.1 puts them in the port fields. */
static int check_icmp(const struct kipsec_policy_config *cfg,
		      struct netlink_ext_ack *extack)
{
	const struct nlattr *type = cfg_attr(cfg, KIPSEC_A_POLICY_ICMP_TYPE);
	u16 family = cfg_family(cfg);

	if (cfg->has_icmp_code && !cfg->has_icmp_type) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg, KIPSEC_A_POLICY_ICMP_CODE),
				    "ICMP code needs an ICMP type");
		return -EINVAL;
	}
	if (!cfg->has_icmp_type)
		return 0;
	if (!cfg->has_proto || (cfg->proto != IPPROTO_ICMP &&
				cfg->proto != IPPROTO_ICMPV6)) {
		NL_SET_ERR_MSG_ATTR(extack, type,
				    "ICMP type needs proto icmp or ipv6-icmp");
		return -EINVAL;
	}
	if ((cfg->proto == IPPROTO_ICMP && family == AF_INET6) ||
	    (cfg->proto == IPPROTO_ICMPV6 && family == AF_INET)) {
		NL_SET_ERR_MSG_ATTR(extack, type,
				    "ICMP type: icmp is for IPv4, ipv6-icmp for IPv6");
		return -EINVAL;
	}
	return 0;
}

static int check_tmpl(const struct kipsec_policy_config *cfg,
		      const struct kipsec_tmpl *t,
		      struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = cfg_attr(cfg, KIPSEC_A_POLICY_TMPLS);

	if (t->proto != IPPROTO_ESP && t->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "template proto must be esp or ah");
		return -EINVAL;
	}
	if (t->has_spi && ntohl(t->spi) < KIPSEC_SPI_MIN) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "template SPIs 0 to 255 are reserved (RFC 4301)");
		return -EINVAL;
	}
	if (t->mode > KIPSEC_MODE_MAX || t->level > KIPSEC_LEVEL_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "unknown template mode or level");
		return -EINVAL;
	}
	return 0;
}

/* Two templates nest as RFC 4301 bundles do: ESP inside, AH outside. */
static int check_tmpls(const struct kipsec_policy_config *cfg,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = cfg_attr(cfg, KIPSEC_A_POLICY_TMPLS);
	unsigned int i;
	int ret;

	if (cfg->action != KIPSEC_ACTION_PROTECT) {
		if (!cfg->ntmpls)
			return 0;
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "only protect takes templates");
		return -EINVAL;
	}
	if (!cfg->ntmpls || cfg->ntmpls > KIPSEC_TMPLS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "protect needs 1 or 2 templates");
		return -EINVAL;
	}
	for (i = 0; i < cfg->ntmpls; i++) {
		ret = check_tmpl(cfg, &cfg->tmpls[i], extack);
		if (ret)
			return ret;
	}
	if (cfg->ntmpls == 2 && (cfg->tmpls[0].proto != IPPROTO_ESP ||
				 cfg->tmpls[1].proto != IPPROTO_AH)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "two templates must be esp then ah");
		return -EINVAL;
	}
	return 0;
}

int kipsec_policy_config_check(const struct kipsec_policy_config *cfg,
			       struct netlink_ext_ack *extack)
{
	return check_enums(cfg, extack) ?:
	       check_addrs(cfg, extack) ?:
	       check_ports(cfg, extack) ?:
	       check_icmp(cfg, extack) ?:
	       check_tmpls(cfg, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_config_check);

/* The checked config in matching form: defaults made explicit. */
static void build_selector(struct kipsec_selector *sel,
			   const struct kipsec_policy_config *cfg)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = cfg_family(cfg);
	if (cfg->src_family) {
		sel->flags |= KIPSEC_SEL_SRC;
		sel->saddr = cfg->saddr;
		sel->sprefix = cfg->has_sprefix ? cfg->sprefix :
			       kipsec_addr_bits(cfg->src_family);
	}
	if (cfg->dst_family) {
		sel->flags |= KIPSEC_SEL_DST;
		sel->daddr = cfg->daddr;
		sel->dprefix = cfg->has_dprefix ? cfg->dprefix :
			       kipsec_addr_bits(cfg->dst_family);
	}
	if (cfg->has_proto) {
		sel->flags |= KIPSEC_SEL_PROTO;
		sel->proto = cfg->proto;
	}
	if (cfg->has_sport) {
		sel->flags |= KIPSEC_SEL_SPORT;
		sel->sport_min = cfg->sport_min;
		sel->sport_max = cfg->sport_max;
	}
	if (cfg->has_dport) {
		sel->flags |= KIPSEC_SEL_DPORT;
		sel->dport_min = cfg->dport_min;
		sel->dport_max = cfg->dport_max;
	}
	if (cfg->has_icmp_type) {
		sel->flags |= KIPSEC_SEL_ICMP_TYPE;
		sel->icmp_type = cfg->icmp_type;
	}
	if (cfg->has_icmp_code) {
		sel->flags |= KIPSEC_SEL_ICMP_CODE;
		sel->icmp_code = cfg->icmp_code;
	}
}

struct kipsec_policy *
kipsec_policy_create(const struct kipsec_policy_config *cfg,
		     struct netlink_ext_ack *extack)
{
	struct kipsec_policy *pol;
	int ret;

	ret = kipsec_policy_config_check(cfg, extack);
	if (ret)
		return ERR_PTR(ret);
	pol = kzalloc(sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&pol->list);
	/* Key managers hear of a missing SA, not of every packet. */
	ratelimit_state_init(&pol->acquire_rl, HZ, 10);
	ratelimit_set_flags(&pol->acquire_rl, RATELIMIT_MSG_ON_RELEASE);
	pol->dir = cfg->dir;
	pol->priority = cfg->priority;
	pol->action = cfg->action;
	pol->ntmpls = cfg->ntmpls;
	memcpy(pol->tmpls, cfg->tmpls, sizeof(pol->tmpls));
	build_selector(&pol->sel, cfg);
	return pol;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_create);

/* ---- the database ---- */

static bool selector_equal(const struct kipsec_selector *a,
			   const struct kipsec_selector *b)
{
	/* Built by build_selector(): unused fields are zero. */
	return a->family == b->family && a->flags == b->flags &&
	       a->proto == b->proto &&
	       kipsec_addr_equal(&a->saddr, &b->saddr) &&
	       kipsec_addr_equal(&a->daddr, &b->daddr) &&
	       a->sprefix == b->sprefix && a->dprefix == b->dprefix &&
	       a->sport_min == b->sport_min && a->sport_max == b->sport_max &&
	       a->dport_min == b->dport_min && a->dport_max == b->dport_max &&
	       a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code;
}

/* Another policy that would shadow @pol completely: refused. */
static struct kipsec_policy *find_twin(struct kipsec_net *kn,
				       const struct kipsec_policy *pol,
				       const struct kipsec_policy *except)
{
	struct kipsec_policy *p;

	lockdep_assert_held(&kn->config_lock);
	list_for_each_entry(p, &kn->spd.lists[pol->dir], list)
		if (p != except && p->priority == pol->priority &&
		    selector_equal(&p->sel, &pol->sel))
			return p;
	return NULL;
}

static int refuse_twin(struct kipsec_net *kn, const struct kipsec_policy *pol,
		       const struct kipsec_policy *except,
		       struct netlink_ext_ack *extack)
{
	struct kipsec_policy *twin = find_twin(kn, pol, except);

	if (!twin)
		return 0;
	/* Messages are static in 6.1: the id travels as the cookie. */
	NL_SET_ERR_MSG(extack,
		       "a policy with this direction, selector and priority exists (its id is the extack cookie)");
	nl_set_extack_cookie_u64(extack, twin->id);
	return -EEXIST;
}

static bool goes_before(const struct kipsec_policy *a,
			const struct kipsec_policy *b)
{
	return a->priority < b->priority ||
	       (a->priority == b->priority && a->serial < b->serial);
}

/* Sorted insert: readers see the list sorted at every step. */
static void link_sorted(struct kipsec_net *kn, struct kipsec_policy *pol)
{
	struct list_head *head = &kn->spd.lists[pol->dir];
	struct kipsec_policy *p;

	lockdep_assert_held(&kn->config_lock);
	list_for_each_entry(p, head, list) {
		if (goes_before(pol, p)) {
			list_add_tail_rcu(&pol->list, &p->list);
			return;
		}
	}
	list_add_tail_rcu(&pol->list, head);
}

static void changed(struct kipsec_spd *spd)
{
	/* Read locklessly by dumps; 0 would mean "no generation yet". */
	WRITE_ONCE(spd->gen, spd->gen + 1 ?: 1);
}

int kipsec_policy_insert_locked(struct kipsec_net *kn, struct kipsec_policy *pol,
				struct netlink_ext_ack *extack)
{
	struct kipsec_spd *spd = &kn->spd;
	int ret;

	lockdep_assert_held(&kn->config_lock);
	if (spd->count >= spd->max) {
		NL_SET_ERR_MSG(extack,
			       "policy limit of this namespace reached (module parameter max_policies)");
		return -ENOSPC;
	}
	ret = refuse_twin(kn, pol, NULL, extack);
	if (ret)
		return ret;
	/* Cyclic: a deleted policy's id does not come back soon. */
	ret = xa_alloc_cyclic(&spd->ids, &pol->id, pol, XA_LIMIT(1, U32_MAX),
			      &spd->next_id, GFP_KERNEL);
	if (ret < 0) {
		NL_SET_ERR_MSG(extack, "no policy id left");
		return ret;
	}
	pol->serial = ++spd->next_serial;
	link_sorted(kn, pol);
	spd->count++;
	changed(spd);
	return 0;
}

int kipsec_policy_add(struct kipsec_net *kn,
		      const struct kipsec_policy_config *cfg, u32 *id,
		      struct netlink_ext_ack *extack)
{
	struct kipsec_policy *pol;
	int ret;

	if (!cfg->has_dir) {
		NL_SET_ERR_MSG(extack, "policy needs a direction");
		return -EINVAL;
	}
	pol = kipsec_policy_create(cfg, extack);
	if (IS_ERR(pol))
		return PTR_ERR(pol);

	mutex_lock(&kn->config_lock);
	ret = kipsec_policy_insert_locked(kn, pol, extack);
	if (!ret) {
		*id = pol->id;
		kipsec_ev_policy(kn, pol, KIPSEC_CMD_POLICY_ADD);
	}
	mutex_unlock(&kn->config_lock);
	if (ret)
		kfree(pol);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_add);

struct kipsec_policy *kipsec_policy_find_locked(struct kipsec_net *kn, u32 id)
{
	lockdep_assert_held(&kn->config_lock);
	return xa_load(&kn->spd.ids, id);
}

/*
 * @new, which keeps @old's id and insertion order, goes in before @old
 * goes out: a reader sees one or the other, never neither.
 */
/*
 * @new, which keeps @old's id and insertion order, goes in before @old
 * goes out: a reader sees one or the other, never neither.  @old stays
 * allocated for kipsec_policy_swap_back_locked(); the caller frees it with
 * kfree_rcu().
 */
int kipsec_policy_swap_locked(struct kipsec_net *kn, struct kipsec_policy *old,
			      struct kipsec_policy *new,
			      struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&kn->config_lock);
	new->id = old->id;
	new->serial = old->serial;
	new->dir = old->dir;
	ret = refuse_twin(kn, new, old, extack);
	if (ret)
		return ret;
	ret = xa_err(xa_store(&kn->spd.ids, new->id, new, GFP_KERNEL));
	if (ret) {
		NL_SET_ERR_MSG(extack, "no memory for the policy");
		return ret;
	}
	link_sorted(kn, new);
	list_del_rcu(&old->list);
	changed(&kn->spd);
	return 0;
}

/* Undoes kipsec_policy_swap_locked(); @new is the caller's to free. */
void kipsec_policy_swap_back_locked(struct kipsec_net *kn,
				    struct kipsec_policy *new,
				    struct kipsec_policy *old)
{
	lockdep_assert_held(&kn->config_lock);
	/* The id's slot exists: storing into it allocates nothing. */
	WARN_ON_ONCE(xa_err(xa_store(&kn->spd.ids, old->id, old,
				     GFP_KERNEL)));
	link_sorted(kn, old);
	list_del_rcu(&new->list);
	changed(&kn->spd);
}

/* The direction may be left out of an update: it cannot change anyway. */
static int update_locked(struct kipsec_net *kn,
			 const struct kipsec_policy_config *cfg,
			 struct kipsec_policy *new,
			 struct netlink_ext_ack *extack)
{
	struct kipsec_policy *old;
	int ret;

	lockdep_assert_held(&kn->config_lock);
	old = kipsec_policy_find_locked(kn, cfg->id);
	if (!old) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_POLICY_ID),
				    "no such policy");
		return -ENOENT;
	}
	if (cfg->has_dir && cfg->dir != old->dir) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_POLICY_DIR),
				    "a policy cannot change direction");
		return -EINVAL;
	}
	ret = kipsec_policy_swap_locked(kn, old, new, extack);
	if (!ret)
		kfree_rcu(old, rcu);
	return ret;
}

/* Replaces everything but the id and direction; re-sorts by priority. */
int kipsec_policy_update(struct kipsec_net *kn,
			 const struct kipsec_policy_config *cfg,
			 struct netlink_ext_ack *extack)
{
	struct kipsec_policy *new;
	int ret;

	new = kipsec_policy_create(cfg, extack);
	if (IS_ERR(new))
		return PTR_ERR(new);

	mutex_lock(&kn->config_lock);
	ret = update_locked(kn, cfg, new, extack);
	if (!ret)
		kipsec_ev_policy(kn, new, KIPSEC_CMD_POLICY_UPDATE);
	mutex_unlock(&kn->config_lock);
	if (ret)
		kfree(new);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_update);

void kipsec_policy_unlink_locked(struct kipsec_net *kn, struct kipsec_policy *pol)
{
	lockdep_assert_held(&kn->config_lock);
	xa_erase(&kn->spd.ids, pol->id);
	list_del_rcu(&pol->list);
	kn->spd.count--;
	changed(&kn->spd);
	kfree_rcu(pol, rcu);
}

int kipsec_policy_del(struct kipsec_net *kn, u32 id)
{
	struct kipsec_policy *pol;
	int ret = -ENOENT;

	mutex_lock(&kn->config_lock);
	pol = kipsec_policy_find_locked(kn, id);
	if (pol) {
		kipsec_ev_policy(kn, pol, KIPSEC_CMD_POLICY_DEL);
		kipsec_policy_unlink_locked(kn, pol);
		ret = 0;
	}
	mutex_unlock(&kn->config_lock);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_policy_del);

static unsigned int flush_dir_locked(struct kipsec_net *kn, u8 dir)
{
	struct kipsec_policy *pol, *next;
	unsigned int n = 0;

	list_for_each_entry_safe(pol, next, &kn->spd.lists[dir], list) {
		kipsec_policy_unlink_locked(kn, pol);
		n++;
	}
	return n;
}

static unsigned int flush_locked(struct kipsec_net *kn, int dir)
{
	unsigned int n = 0;
	u8 d;

	lockdep_assert_held(&kn->config_lock);
	for (d = 0; d <= KIPSEC_DIR_MAX; d++)
		if (dir == KIPSEC_DIR_ANY || dir == d)
			n += flush_dir_locked(kn, d);
	return n;
}

/* Deletes the policies of @dir, or all with KIPSEC_DIR_ANY. */
unsigned int kipsec_spd_flush(struct kipsec_net *kn, int dir)
{
	unsigned int n;

	mutex_lock(&kn->config_lock);
	n = flush_locked(kn, dir);
	kipsec_ev_policy_flush(kn, dir, n);
	mutex_unlock(&kn->config_lock);
	return n;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_spd_flush);

int kipsec_spd_init(struct kipsec_net *kn)
{
	struct kipsec_spd *spd = &kn->spd;
	unsigned int d;

	for (d = 0; d <= KIPSEC_DIR_MAX; d++)
		INIT_LIST_HEAD(&spd->lists[d]);
	xa_init_flags(&spd->ids, XA_FLAGS_ALLOC1);
	spd->next_id = 1;
	spd->count = 0;
	spd->max = READ_ONCE(max_policies);
	spd->next_serial = 0;
	spd->gen = 1;
	return 0;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_spd_init);

void kipsec_spd_fini(struct kipsec_net *kn)
{
	mutex_lock(&kn->config_lock);
	flush_locked(kn, KIPSEC_DIR_ANY);
	mutex_unlock(&kn->config_lock);
	xa_destroy(&kn->spd.ids);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_spd_fini);
