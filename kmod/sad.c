// SPDX-License-Identifier: GPL-2.0
/*
 * The Security Association Database (RFC 4301 4.4.2), one per network
 * namespace.  Lookups are lock-free: SAs sit in rhashtables read under
 * RCU, changes are serialised by kipsec_net.config_lock, and an SA is
 * freed only when the last reference is gone and a grace period has
 * passed, so a packet that still uses a deleted SA is safe.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "events.h"
#include "kunit_export.h"
#include "lifetime.h"
#include "netlink.h"
#include "netns.h"
#include "sad.h"

static unsigned int max_sas = 65536;
module_param(max_sas, uint, 0444);
MODULE_PARM_DESC(max_sas, "Maximum number of SAs per network namespace");

/* SAs are freed here: crypto_free_*() may sleep, RCU callbacks may not. */
static struct workqueue_struct *free_wq;

static const struct rhashtable_params by_id_params = {
	.key_len = sizeof(struct kipsec_sa_id),
	.key_offset = offsetof(struct kipsec_sa, id),
	.head_offset = offsetof(struct kipsec_sa, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params by_pair_params = {
	.key_len = sizeof(struct kipsec_sa_pair),
	.key_offset = offsetof(struct kipsec_sa, pair),
	.head_offset = offsetof(struct kipsec_sa, pair_node),
	.automatic_shrinking = true,
};

/* ---- configuration checks ---- */

static const struct nlattr *cfg_attr(const struct kipsec_sa_config *cfg,
				     int type)
{
	return cfg->tb ? cfg->tb[type] : NULL;
}

void kipsec_sa_config_init(struct kipsec_sa_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = KIPSEC_MODE_TRANSPORT;
	cfg->replay_window = KIPSEC_REPLAY_WINDOW_DEFAULT;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_config_init);

static int check_identity(const struct kipsec_sa_config *cfg,
			  struct netlink_ext_ack *extack)
{
	if (cfg->family != AF_INET && cfg->family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "SA needs IPv4 or IPv6 src and dst");
		return -EINVAL;
	}
	if (cfg->proto != IPPROTO_ESP && cfg->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_SA_PROTO),
				    "SA proto must be esp or ah");
		return -EINVAL;
	}
	if (cfg->spi < KIPSEC_SPI_MIN) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_SA_SPI),
				    "SPIs 0 to 255 are reserved (RFC 4301)");
		return -EINVAL;
	}
	return 0;
}

static int check_params(const struct kipsec_sa_config *cfg,
			struct netlink_ext_ack *extack)
{
	if (cfg->mode > KIPSEC_MODE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_SA_MODE),
				    "unknown SA mode");
		return -EINVAL;
	}
	if (cfg->flags & ~KIPSEC_SA_F_ALL) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_SA_FLAGS),
				    "unknown SA flags");
		return -EINVAL;
	}
	if (cfg->replay_window > KIPSEC_REPLAY_WINDOW_MAX) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg, KIPSEC_A_SA_REPLAY_WINDOW),
				    "replay window is at most 4096 packets");
		return -EINVAL;
	}
	return 0;
}

static bool soft_above_hard(u64 soft, u64 hard)
{
	return soft && hard && soft > hard;
}

/* A soft limit past its hard one would never warn before the SA dies. */
static int check_lifetimes(const struct kipsec_sa_config *cfg,
			   struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = cfg_attr(cfg, KIPSEC_A_SA_LIFETIME_SOFT);
	const struct kipsec_lifetime *s = &cfg->soft, *h = &cfg->hard;

	if (soft_above_hard(s->bytes, h->bytes)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "soft bytes limit above the hard one");
		return -EINVAL;
	}
	if (soft_above_hard(s->packets, h->packets)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "soft packets limit above the hard one");
		return -EINVAL;
	}
	if (soft_above_hard(s->add_seconds, h->add_seconds)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "soft add-seconds limit above the hard one");
		return -EINVAL;
	}
	if (soft_above_hard(s->use_seconds, h->use_seconds)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "soft use-seconds limit above the hard one");
		return -EINVAL;
	}
	return 0;
}

static bool is_gmac(const struct kipsec_alg *alg)
{
	return alg && alg->type == KIPSEC_ALG_TYPE_AEAD_AUTH;
}

/* Resolves the enc name: NULL with *@ret = 0 when there is none. */
static const struct kipsec_alg *find_enc(const struct kipsec_sa_config *cfg,
					 int *ret,
					 struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = cfg_attr(cfg, KIPSEC_A_SA_ENC_ALG);
	const struct kipsec_alg *alg;

	*ret = 0;
	if (!cfg->enc_name) {
		if (cfg->enc_key) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg_attr(cfg, KIPSEC_A_SA_ENC_KEY),
					    "enc key without enc algorithm");
			*ret = -EINVAL;
		}
		return NULL;
	}
	alg = kipsec_alg_find(cfg->enc_name);
	if (!alg) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "unknown enc algorithm");
		*ret = -EINVAL;
	} else if (alg->type != KIPSEC_ALG_TYPE_AEAD &&
		   alg->type != KIPSEC_ALG_TYPE_CIPHER) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "enc takes a cipher or an AEAD; HMAC and GMAC go in auth");
		*ret = -EINVAL;
	}
	return *ret ? NULL : alg;
}

static const struct kipsec_alg *find_auth(const struct kipsec_sa_config *cfg,
					  int *ret,
					  struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = cfg_attr(cfg, KIPSEC_A_SA_AUTH_ALG);
	const struct kipsec_alg *alg;

	*ret = 0;
	if (!cfg->auth_name) {
		if (cfg->auth_key) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg_attr(cfg, KIPSEC_A_SA_AUTH_KEY),
					    "auth key without auth algorithm");
			*ret = -EINVAL;
		}
		return NULL;
	}
	alg = kipsec_alg_find(cfg->auth_name);
	if (!alg) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "unknown auth algorithm");
		*ret = -EINVAL;
	} else if (alg->type != KIPSEC_ALG_TYPE_AUTH &&
		   alg->type != KIPSEC_ALG_TYPE_AEAD_AUTH) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "auth takes an integrity algorithm (hmac-* or aes-*-gmac)");
		*ret = -EINVAL;
	}
	return *ret ? NULL : alg;
}

static int check_esp_algs(const struct kipsec_sa_config *cfg,
			  const struct kipsec_alg *enc,
			  const struct kipsec_alg *auth,
			  struct netlink_ext_ack *extack)
{
	bool no_integrity = cfg->flags & KIPSEC_SA_F_NO_INTEGRITY;
	const struct nlattr *enc_attr = cfg_attr(cfg, KIPSEC_A_SA_ENC_ALG);
	const struct nlattr *auth_attr = cfg_attr(cfg, KIPSEC_A_SA_AUTH_ALG);
	const struct nlattr *flags_attr = cfg_attr(cfg, KIPSEC_A_SA_FLAGS);

	if (is_gmac(auth) && enc) {
		NL_SET_ERR_MSG_ATTR(extack, enc_attr,
				    "ESP with GMAC is integrity only: no enc");
		return -EINVAL;
	}
	if (!enc && !is_gmac(auth)) {
		NL_SET_ERR_MSG(extack, "ESP needs an enc algorithm");
		return -EINVAL;
	}
	if (auth && no_integrity) {
		NL_SET_ERR_MSG_ATTR(extack, flags_attr,
				    "no-integrity contradicts the auth algorithm");
		return -EINVAL;
	}
	if (!enc || enc->type == KIPSEC_ALG_TYPE_CIPHER)
		goto cipher;
	if (auth) {
		NL_SET_ERR_MSG_ATTR(extack, auth_attr,
				    "an AEAD enc has its own integrity: no auth");
		return -EINVAL;
	}
	if (no_integrity) {
		NL_SET_ERR_MSG_ATTR(extack, flags_attr,
				    "an AEAD enc always has integrity: no no-integrity");
		return -EINVAL;
	}
	return 0;

cipher:
	if (auth)
		return 0;
	if (!no_integrity) {
		NL_SET_ERR_MSG(extack,
			       "ESP without integrity must be asked for with no-integrity");
		return -EINVAL;
	}
	if (!enc->key_len) {
		NL_SET_ERR_MSG_ATTR(extack, enc_attr,
				    "null enc without integrity protects nothing");
		return -EINVAL;
	}
	return 0;
}

static int check_ah_algs(const struct kipsec_sa_config *cfg,
			 const struct kipsec_alg *enc,
			 const struct kipsec_alg *auth,
			 struct netlink_ext_ack *extack)
{
	if (enc) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_SA_ENC_ALG),
				    "AH takes no enc algorithm");
		return -EINVAL;
	}
	if (!auth) {
		NL_SET_ERR_MSG(extack, "AH needs an auth algorithm");
		return -EINVAL;
	}
	if (cfg->flags & KIPSEC_SA_F_NO_INTEGRITY) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg, KIPSEC_A_SA_FLAGS),
				    "no-integrity applies to ESP only");
		return -EINVAL;
	}
	return 0;
}

static int check_key_lens(const struct kipsec_sa_config *cfg,
			  const struct kipsec_alg *enc,
			  const struct kipsec_alg *auth,
			  struct netlink_ext_ack *extack)
{
	if (enc && cfg->enc_key_len != enc->key_len) {
		kipsec_set_err(extack, cfg_attr(cfg, KIPSEC_A_SA_ENC_KEY),
			       enc->key_len_msg);
		return -EINVAL;
	}
	if (auth && cfg->auth_key_len != auth->key_len) {
		kipsec_set_err(extack, cfg_attr(cfg, KIPSEC_A_SA_AUTH_KEY),
			       auth->key_len_msg);
		return -EINVAL;
	}
	return 0;
}

/*
 * The algorithm rules, all in one place:
 * - Names are exactly those of alg.c; enc takes a cipher or an AEAD, auth
 *   an HMAC or a GMAC.
 * - ESP needs enc ("null" is a cipher too), except with a GMAC auth, which
 *   is ESP with integrity and no confidentiality (RFC 4543) and so takes
 *   no enc.
 * - An AEAD enc brings its own integrity: no auth.
 * - A plain cipher needs an HMAC, unless KIPSEC_SA_F_NO_INTEGRITY asks
 *   for none (RFC 4303 3.2.2 allows it, but it is open to active attacks,
 *   hence the explicit flag); the flag with any integrity algorithm is a
 *   contradiction.  "null" without integrity would protect nothing.
 * - AH takes no enc and needs an HMAC or a GMAC.
 * - Keys have exactly the algorithm's length (AEAD: salt included); a key
 *   without its algorithm is refused.
 */
static int check_algs(const struct kipsec_sa_config *cfg,
		      const struct kipsec_alg **encp,
		      const struct kipsec_alg **authp,
		      struct netlink_ext_ack *extack)
{
	int ret;

	*encp = find_enc(cfg, &ret, extack);
	if (ret)
		return ret;
	*authp = find_auth(cfg, &ret, extack);
	if (ret)
		return ret;
	if (cfg->proto == IPPROTO_ESP)
		ret = check_esp_algs(cfg, *encp, *authp, extack);
	else
		ret = check_ah_algs(cfg, *encp, *authp, extack);
	if (ret)
		return ret;
	return check_key_lens(cfg, *encp, *authp, extack);
}

static int check_config(const struct kipsec_sa_config *cfg,
			const struct kipsec_alg **encp,
			const struct kipsec_alg **authp,
			struct netlink_ext_ack *extack)
{
	return check_identity(cfg, extack) ?:
	       check_params(cfg, extack) ?:
	       check_lifetimes(cfg, extack) ?:
	       check_algs(cfg, encp, authp, extack);
}

/* Every check short of the crypto API: pure, for the tests. */
int kipsec_sa_config_check(const struct kipsec_sa_config *cfg,
			   struct netlink_ext_ack *extack)
{
	const struct kipsec_alg *enc, *auth;

	return check_config(cfg, &enc, &auth, extack);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_config_check);

/* ---- SA objects ---- */

void kipsec_sa_free(struct kipsec_sa *sa)
{
	kipsec_xform_free(&sa->xform);
	if (sa->state && refcount_dec_and_test(&sa->state->ref))
		kfree(sa->state);
	/* The keys are inside. */
	kfree_sensitive(sa);
}

static void sa_free_work(struct work_struct *work)
{
	kipsec_sa_free(container_of(to_rcu_work(work), struct kipsec_sa,
				    free_work));
}

struct kipsec_sa *kipsec_sa_get(struct kipsec_sa *sa)
{
	if (sa && refcount_inc_not_zero(&sa->ref))
		return sa;
	return NULL;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_get);

/* Any context: the free waits for RCU readers, then runs in a worker. */
void kipsec_sa_put(struct kipsec_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->ref))
		queue_rcu_work(free_wq, &sa->free_work);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_put);

void kipsec_sa_read_state(const struct kipsec_sa *sa,
			  struct kipsec_sa_stats *stats, u64 *seq)
{
	struct kipsec_sa_state *st = sa->state;

	spin_lock_bh(&st->lock);
	*stats = st->stats;
	*seq = st->seq;
	spin_unlock_bh(&st->lock);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_read_state);

static bool sa_esn(const struct kipsec_sa *sa)
{
	return sa->flags & KIPSEC_SA_F_ESN;
}

/* Under the state's lock; tells the lifetimes about the packet. */
static void count_use(struct kipsec_sa *sa, unsigned int bytes)
{
	struct kipsec_sa_state *st = sa->state;
	bool first = !st->use_ns;

	st->stats.packets++;
	st->stats.bytes += bytes;
	if (first) {
		st->stats.use_time = ktime_get_real_seconds();
		st->use_ns = ktime_get_boottime_ns() ?: 1;
	}
	kipsec_lifetime_counted(sa, first);
}

/* A 32-bit counter stops at 2^32 - 1 rather than wrap (RFC 4303 3.3.3). */
enum kipsec_stats_attr kipsec_sa_next_seq(struct kipsec_sa *sa,
					  unsigned int bytes, u64 *seq)
{
	struct kipsec_sa_state *st = sa->state;
	u64 last = sa_esn(sa) ? U64_MAX : U32_MAX;
	enum kipsec_stats_attr ret = KIPSEC_DROP_NONE;

	spin_lock_bh(&st->lock);
	if (st->seq >= last) {
		ret = KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED;
		goto unlock;
	}
	if (kipsec_lifetime_hard_reached(sa)) {
		ret = KIPSEC_A_STATS_OUT_SA_EXPIRED;
		goto unlock;
	}
	*seq = ++st->seq;
	count_use(sa, bytes);
	/* The last number is used: a hard expiry (RFC 4303 3.3.3). */
	if (*seq == last)
		kipsec_lifetime_expire(sa, KIPSEC_LIMIT_SEQ);
unlock:
	spin_unlock_bh(&st->lock);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_next_seq);

enum kipsec_stats_attr kipsec_sa_replay_check(struct kipsec_sa *sa,
					      u32 seq_lo, u64 *seq)
{
	struct kipsec_sa_state *st = sa->state;
	int ret;

	spin_lock_bh(&st->lock);
	if (kipsec_lifetime_hard_reached(sa)) {
		spin_unlock_bh(&st->lock);
		return KIPSEC_A_STATS_IN_SA_UNUSABLE;
	}
	*seq = kipsec_replay_seq(&st->replay, sa->replay_window, sa_esn(sa),
				 seq_lo);
	ret = kipsec_replay_check(&st->replay, sa->replay_window, *seq);
	spin_unlock_bh(&st->lock);
	return ret ? KIPSEC_A_STATS_IN_REPLAY : KIPSEC_DROP_NONE;
}

/* Only an authenticated packet moves the window and counts as traffic. */
enum kipsec_stats_attr kipsec_sa_replay_advance(struct kipsec_sa *sa, u64 seq,
						unsigned int bytes)
{
	struct kipsec_sa_state *st = sa->state;
	int ret;

	spin_lock_bh(&st->lock);
	ret = kipsec_replay_advance(&st->replay, sa->replay_window, seq);
	if (!ret)
		count_use(sa, bytes);
	spin_unlock_bh(&st->lock);
	return ret ? KIPSEC_A_STATS_IN_REPLAY : KIPSEC_DROP_NONE;
}

static struct kipsec_sa_state *state_alloc(u64 seq)
{
	struct kipsec_sa_state *st;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return NULL;
	refcount_set(&st->ref, 1);
	spin_lock_init(&st->lock);
	st->seq = seq;
	return st;
}

static void sa_fill(struct kipsec_sa *sa, const struct kipsec_sa_config *cfg,
		    const struct kipsec_alg *enc,
		    const struct kipsec_alg *auth)
{
	sa->id.family = cfg->family;
	sa->id.daddr = cfg->daddr;
	sa->id.spi = htonl(cfg->spi);
	sa->id.proto = cfg->proto;
	sa->pair.family = cfg->family;
	sa->pair.saddr = cfg->saddr;
	sa->pair.daddr = cfg->daddr;
	sa->pair.proto = cfg->proto;
	sa->mode = cfg->mode;
	sa->flags = cfg->flags;
	sa->replay_window = cfg->replay_window;
	sa->enc = enc;
	sa->auth = auth;
	sa->soft = cfg->soft;
	sa->hard = cfg->hard;
	if (enc && enc->key_len)
		memcpy(sa->enc_key, cfg->enc_key, enc->key_len);
	if (auth)
		memcpy(sa->auth_key, cfg->auth_key, auth->key_len);
}

static int sa_init_xform(struct kipsec_sa *sa, struct netlink_ext_ack *extack)
{
	if (sa->id.proto == IPPROTO_AH)
		return kipsec_xform_init_ah(&sa->xform, sa->auth, sa->auth_key,
					    extack);
	return kipsec_xform_init_esp(&sa->xform, sa->enc, sa->enc_key,
				     sa->auth, sa->auth_key,
				     sa->flags & KIPSEC_SA_F_ESN, extack);
}

/*
 * Builds a complete, unpublished SA with its own fresh state; checks and
 * the crypto API come first so that a refused SA changes nothing.
 */
struct kipsec_sa *kipsec_sa_create(const struct kipsec_sa_config *cfg,
				   struct netlink_ext_ack *extack)
{
	const struct kipsec_alg *enc, *auth;
	struct kipsec_sa *sa;
	int ret;

	ret = check_config(cfg, &enc, &auth, extack);
	if (ret)
		goto out;

	ret = -ENOMEM;
	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		goto out;
	refcount_set(&sa->ref, 1);
	INIT_RCU_WORK(&sa->free_work, sa_free_work);
	INIT_LIST_HEAD(&sa->list);
	sa_fill(sa, cfg, enc, auth);

	sa->state = state_alloc(cfg->has_seq ? cfg->seq : 0);
	if (!sa->state)
		goto err_free_sa;

	ret = sa_init_xform(sa, extack);
	if (ret)
		goto err_free_sa;
	return sa;

err_free_sa:
	kipsec_sa_free(sa);
out:
	return ERR_PTR(ret);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_create);

/* ---- the database ---- */

void kipsec_sa_make_id(struct kipsec_sa_id *id, u16 family,
		       const void *daddr, __be32 spi, u8 proto)
{
	memset(id, 0, sizeof(*id));
	id->family = family;
	kipsec_addr_set(&id->daddr, family, daddr);
	id->spi = spi;
	id->proto = proto;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_make_id);

struct kipsec_sa *kipsec_sa_lookup_rcu(struct kipsec_net *kn, u16 family,
				       const void *daddr, __be32 spi,
				       u8 proto)
{
	struct kipsec_sa_id id;

	kipsec_sa_make_id(&id, family, daddr, spi, proto);
	return rhashtable_lookup(&kn->sad.by_id, &id, by_id_params);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_lookup_rcu);

/*
 * The SA for an outbound packet: by SPI when the policy template names
 * one, else the newest SA between the two addresses with that protocol
 * and mode, newest because during a rekey the new SA takes over while the
 * old one drains.  An expired SA is never chosen.
 */
struct kipsec_sa *kipsec_sa_lookup_out_rcu(struct kipsec_net *kn,
					   u16 family, const void *saddr,
					   const void *daddr, u8 proto,
					   u8 mode, __be32 spi)
{
	struct kipsec_sa *sa, *best = NULL;
	struct kipsec_sa_pair key = {};
	struct rhlist_head *head, *pos;

	kipsec_addr_set(&key.saddr, family, saddr);
	if (spi) {
		sa = kipsec_sa_lookup_rcu(kn, family, daddr, spi, proto);
		if (sa && sa->mode == mode && !READ_ONCE(sa->expired) &&
		    kipsec_addr_equal(&sa->pair.saddr, &key.saddr))
			return sa;
		return NULL;
	}

	key.family = family;
	kipsec_addr_set(&key.daddr, family, daddr);
	key.proto = proto;
	head = rhltable_lookup(&kn->sad.by_pair, &key, by_pair_params);
	rhl_for_each_entry_rcu(sa, pos, head, pair_node)
		if (sa->mode == mode && !READ_ONCE(sa->expired) &&
		    (!best || sa->serial > best->serial))
			best = sa;
	return best;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_lookup_out_rcu);

/* Config path: the SA stays valid while config_lock is held. */
struct kipsec_sa *kipsec_sa_find_locked(struct kipsec_net *kn,
					const struct kipsec_sa_id *id)
{
	lockdep_assert_held(&kn->config_lock);
	return rhashtable_lookup_fast(&kn->sad.by_id, id, by_id_params);
}

static void changed(struct kipsec_sad *sad)
{
	/* Read locklessly by dumps; 0 would mean "no generation yet". */
	WRITE_ONCE(sad->gen, sad->gen + 1 ?: 1);
}

/* Makes @sa visible; on failure it was never visible to anyone. */
static int publish(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	struct kipsec_sad *sad = &kn->sad;
	int ret;

	lockdep_assert_held(&kn->config_lock);
	ret = rhltable_insert(&sad->by_pair, &sa->pair_node, by_pair_params);
	if (ret)
		return ret;
	ret = rhashtable_insert_fast(&sad->by_id, &sa->node, by_id_params);
	if (ret) {
		rhltable_remove(&sad->by_pair, &sa->pair_node, by_pair_params);
		return ret;
	}
	/* Not earlier: the crypto API may have taken seconds loading. */
	sa->state->stats.add_time = ktime_get_real_seconds();
	sa->state->add_ns = ktime_get_boottime_ns();
	sa->kn = kn;
	sa->serial = ++sad->next_serial;
	list_add_tail_rcu(&sa->list, &sad->list);
	sad->count++;
	changed(sad);
	return 0;
}

/* Drops the database's reference; readers may hold theirs. */
void kipsec_sa_unpublish_locked(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	struct kipsec_sad *sad = &kn->sad;

	lockdep_assert_held(&kn->config_lock);
	rhashtable_remove_fast(&sad->by_id, &sa->node, by_id_params);
	rhltable_remove(&sad->by_pair, &sa->pair_node, by_pair_params);
	list_del_rcu(&sa->list);
	sad->count--;
	changed(sad);
	kipsec_sa_put(sa);
}

/*
 * A new or changed SA: listeners hear of it, and the lifetime worker
 * looks at its limits (a lowered one may already be reached).
 */
void kipsec_sa_announce(struct kipsec_net *kn, struct kipsec_sa *sa, u8 cmd)
{
	const struct kipsec_lifetime *s = &sa->soft, *h = &sa->hard;

	kipsec_ev_sa(kn, sa, cmd);
	if (s->bytes || s->packets || s->add_seconds || s->use_seconds ||
	    h->bytes || h->packets || h->add_seconds || h->use_seconds)
		kipsec_lifetime_kick(kn);
}

void kipsec_sa_expire_locked(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	kipsec_sa_unpublish_locked(kn, sa);
}

int kipsec_sa_insert_locked(struct kipsec_net *kn, struct kipsec_sa *sa,
			    struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&kn->config_lock);
	if (kn->sad.count >= kn->sad.max) {
		NL_SET_ERR_MSG(extack,
			       "SA limit of this namespace reached (module parameter max_sas)");
		return -ENOSPC;
	}
	if (kipsec_sa_find_locked(kn, &sa->id)) {
		NL_SET_ERR_MSG(extack, "SA already exists");
		return -EEXIST;
	}
	ret = publish(kn, sa);
	if (ret)
		NL_SET_ERR_MSG(extack, "no memory for the SA");
	return ret;
}

int kipsec_sa_add(struct kipsec_net *kn, const struct kipsec_sa_config *cfg,
		  struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa;
	int ret;

	/* The crypto API may load modules: not under the lock. */
	sa = kipsec_sa_create(cfg, extack);
	if (IS_ERR(sa))
		return PTR_ERR(sa);

	mutex_lock(&kn->config_lock);
	ret = kipsec_sa_insert_locked(kn, sa, extack);
	if (!ret)
		kipsec_sa_announce(kn, sa, KIPSEC_CMD_SA_ADD);
	mutex_unlock(&kn->config_lock);
	if (ret)
		kipsec_sa_free(sa);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_add);

/*
 * @new takes @old's place in every index, its insertion order and its
 * state (counters, sequence number: see struct kipsec_sa_state).
 */
/* @new shares @old's sequence numbers, replay window and counters. */
static void keep_state(struct kipsec_sa *old, struct kipsec_sa *new,
		       bool has_seq, u64 seq)
{
	struct kipsec_sa_state *fresh = new->state;

	refcount_inc(&old->state->ref);
	new->state = old->state;
	kfree(fresh);
	if (has_seq) {
		spin_lock_bh(&new->state->lock);
		new->state->seq = seq;
		spin_unlock_bh(&new->state->lock);
	}
}

/*
 * Replacing is two steps so that a transaction can do every step that may
 * fail first.  Prepare may fail (-EBUSY: @old is being replaced already)
 * and leaves @old untouched; from its
 * success on, the outbound chooser may already pick @new, so @new carries
 * its final state.  Cancel takes @new out again (the caller then drops it
 * with kipsec_sa_put(): readers may hold it); finish cannot fail.
 */
int kipsec_sa_replace_prepare_locked(struct kipsec_net *kn,
				     struct kipsec_sa *old,
				     struct kipsec_sa *new,
				     const struct kipsec_sa_replace *how)
{
	int ret;

	lockdep_assert_held(&kn->config_lock);
	if (old->replacing)
		return -EBUSY;
	ret = rhltable_insert(&kn->sad.by_pair, &new->pair_node,
			      by_pair_params);
	if (ret)
		return ret;
	old->replacing = true;
	if (how->reset) {
		new->state->stats.add_time = ktime_get_real_seconds();
		new->state->add_ns = ktime_get_boottime_ns();
	} else {
		keep_state(old, new, how->has_seq, how->seq);
	}
	new->serial = old->serial;
	new->kn = kn;
	return 0;
}

void kipsec_sa_replace_cancel_locked(struct kipsec_net *kn,
				     struct kipsec_sa *old,
				     struct kipsec_sa *new)
{
	lockdep_assert_held(&kn->config_lock);
	old->replacing = false;
	rhltable_remove(&kn->sad.by_pair, &new->pair_node, by_pair_params);
}

void kipsec_sa_replace_finish_locked(struct kipsec_net *kn,
				     struct kipsec_sa *old,
				     struct kipsec_sa *new)
{
	struct kipsec_sad *sad = &kn->sad;

	lockdep_assert_held(&kn->config_lock);
	/* @old is in the table and the lock is ours: this cannot fail. */
	WARN_ON_ONCE(rhashtable_replace_fast(&sad->by_id, &old->node,
					     &new->node, by_id_params));
	rhltable_remove(&sad->by_pair, &old->pair_node, by_pair_params);
	list_replace_rcu(&old->list, &new->list);
	changed(sad);
	kipsec_sa_put(old);
}

/* Replaces all but the counters; without a SEQ the sequence number too. */
int kipsec_sa_update(struct kipsec_net *kn,
		     const struct kipsec_sa_config *cfg, bool reset,
		     struct netlink_ext_ack *extack)
{
	struct kipsec_sa_replace how;
	struct kipsec_sa *old, *new;
	int ret;

	new = kipsec_sa_create(cfg, extack);
	if (IS_ERR(new))
		return PTR_ERR(new);

	mutex_lock(&kn->config_lock);
	old = kipsec_sa_find_locked(kn, &new->id);
	if (!old) {
		NL_SET_ERR_MSG(extack, "no such SA");
		ret = -ENOENT;
		goto unlock;
	}
	how.has_seq = cfg->has_seq;
	how.seq = cfg->seq;
	how.reset = reset;
	ret = kipsec_sa_replace_prepare_locked(kn, old, new, &how);
	if (ret) {
		NL_SET_ERR_MSG(extack, "no memory for the SA");
		goto unlock;
	}
	kipsec_sa_replace_finish_locked(kn, old, new);
	kipsec_sa_announce(kn, new, KIPSEC_CMD_SA_UPDATE);
unlock:
	mutex_unlock(&kn->config_lock);
	if (ret)
		kipsec_sa_free(new);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_update);

int kipsec_sa_del(struct kipsec_net *kn, u16 family, const void *daddr,
		  __be32 spi, u8 proto)
{
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;
	int ret = -ENOENT;

	kipsec_sa_make_id(&id, family, daddr, spi, proto);
	mutex_lock(&kn->config_lock);
	sa = kipsec_sa_find_locked(kn, &id);
	if (sa) {
		kipsec_ev_sa(kn, sa, KIPSEC_CMD_SA_DEL);
		kipsec_sa_unpublish_locked(kn, sa);
		ret = 0;
	}
	mutex_unlock(&kn->config_lock);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_del);

/*
 * Newest first: rhltable keeps SAs of one address pair on a list, newest
 * at its head, so each removal is then O(1) where oldest first would walk
 * the whole list each time (30,000 SAs between two hosts: a lockup).
 */
static unsigned int flush_locked(struct kipsec_net *kn, u8 proto)
{
	struct kipsec_sa *sa, *prev;
	unsigned int n = 0;

	lockdep_assert_held(&kn->config_lock);
	list_for_each_entry_safe_reverse(sa, prev, &kn->sad.list, list) {
		if (proto && sa->id.proto != proto)
			continue;
		kipsec_sa_unpublish_locked(kn, sa);
		n++;
		cond_resched();
	}
	return n;
}

/* Deletes every SA of @proto, or all with 0; returns how many. */
unsigned int kipsec_sa_flush(struct kipsec_net *kn, u8 proto)
{
	unsigned int n;

	mutex_lock(&kn->config_lock);
	n = flush_locked(kn, proto);
	kipsec_ev_sa_flush(kn, proto, n);
	mutex_unlock(&kn->config_lock);
	return n;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sa_flush);

int kipsec_sad_init(struct kipsec_net *kn)
{
	struct kipsec_sad *sad = &kn->sad;
	int ret;

	INIT_LIST_HEAD(&sad->list);
	sad->count = 0;
	sad->max = READ_ONCE(max_sas);
	sad->next_serial = 0;
	sad->gen = 1;

	kipsec_lifetime_net_init(kn);
	ret = rhashtable_init(&sad->by_id, &by_id_params);
	if (ret)
		return ret;
	ret = rhltable_init(&sad->by_pair, &by_pair_params);
	if (ret)
		goto err_destroy_by_id;
	return 0;

err_destroy_by_id:
	rhashtable_destroy(&sad->by_id);
	return ret;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sad_init);

/* The namespace is going away: nobody can look anything up any more. */
void kipsec_sad_fini(struct kipsec_net *kn)
{
	kipsec_lifetime_net_exit(kn);
	mutex_lock(&kn->config_lock);
	flush_locked(kn, 0);
	mutex_unlock(&kn->config_lock);
	rhltable_destroy(&kn->sad.by_pair);
	rhashtable_destroy(&kn->sad.by_id);
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_sad_fini);

int __init kipsec_sad_module_init(void)
{
	free_wq = alloc_workqueue("kipsec_sa_free", 0, 0);
	return free_wq ? 0 : -ENOMEM;
}

/* After every namespace is gone: wait for the SAs they queued for free. */
void kipsec_sad_module_exit(void)
{
	rcu_barrier();
	destroy_workqueue(free_wq);
}
