// SPDX-License-Identifier: GPL-2.0
/*
 * SA lifetimes (RFC 4301 4.4.2.1): soft and hard limits on bytes,
 * packets, seconds since the add and seconds since the first use.
 *
 * The packet path counts and compares counters only: a packet that
 * reaches a hard count limit marks the SA expired at once (no later packet
 * uses it) and kicks the namespace's worker, which sends the events and
 * deletes expired SAs under the configuration lock.  Time limits are
 * absolute boot-time instants the worker sleeps until, so a late run
 * never pushes the next deadline back.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "events.h"
#include "kunit_export.h"
#include "lifetime.h"
#include "netns.h"
#include "sad.h"

static bool count_reached(u64 limit, u64 value)
{
	return limit && value >= limit;
}

/* @since + @seconds, saturating; U64_MAX is "never". */
static u64 deadline(u64 since, u64 seconds)
{
	if (seconds > (U64_MAX - since) / NSEC_PER_SEC)
		return U64_MAX;
	return since + seconds * NSEC_PER_SEC;
}

/* @since is 0 for "never": a use-time limit of an unused SA never runs. */
static bool age_reached(u64 limit, u64 since, u64 now, u64 *next)
{
	u64 when;

	if (!limit || !since)
		return false;
	when = deadline(since, limit);
	if (now >= when)
		return true;
	if (next && when < *next)
		*next = when;
	return false;
}

static enum kipsec_lifetime_limit
first_reached(const struct kipsec_lifetime *lt,
	      const struct kipsec_lifetime_usage *u, u64 now, u64 *next)
{
	enum kipsec_lifetime_limit limit = KIPSEC_LIMIT_NONE;

	/* Both time limits run, so that @next sees both deadlines. */
	if (age_reached(lt->use_seconds, u->use_ns, now, next))
		limit = KIPSEC_LIMIT_USE_SECONDS;
	if (age_reached(lt->add_seconds, u->add_ns, now, next))
		limit = KIPSEC_LIMIT_ADD_SECONDS;
	if (count_reached(lt->packets, u->packets))
		limit = KIPSEC_LIMIT_PACKETS;
	if (count_reached(lt->bytes, u->bytes))
		limit = KIPSEC_LIMIT_BYTES;
	return limit;
}

enum kipsec_lifetime_state
kipsec_lifetime_check(const struct kipsec_lifetime *soft,
		      const struct kipsec_lifetime *hard,
		      const struct kipsec_lifetime_usage *u, u64 now_ns,
		      bool soft_done, enum kipsec_lifetime_limit *limit,
		      u64 *next_ns)
{
	*limit = first_reached(hard, u, now_ns, next_ns);
	if (*limit != KIPSEC_LIMIT_NONE)
		return KIPSEC_LIFETIME_HARD;
	if (soft_done)
		return KIPSEC_LIFETIME_OK;
	*limit = first_reached(soft, u, now_ns, next_ns);
	if (*limit != KIPSEC_LIMIT_NONE)
		return KIPSEC_LIFETIME_SOFT;
	return KIPSEC_LIFETIME_OK;
}
KIPSEC_EXPORT_FOR_TESTS(kipsec_lifetime_check);

/* ---- packet path ---- */

void kipsec_lifetime_kick(struct kipsec_net *kn)
{
	mod_delayed_work(system_wq, &kn->lifetime_work, 0);
}

/*
 * A hard time limit holds for the packet path at once too: the worker
 * may run late on a loaded host, the SA must not be used even so.
 */
static bool hard_time_reached(struct kipsec_sa *sa)
{
	const struct kipsec_sa_state *st = sa->state;
	u64 now;

	if (!sa->hard.add_seconds && !sa->hard.use_seconds)
		return false;
	now = ktime_get_boottime_ns();
	if (age_reached(sa->hard.add_seconds, st->add_ns, now, NULL)) {
		kipsec_lifetime_expire(sa, KIPSEC_LIMIT_ADD_SECONDS);
		return true;
	}
	if (age_reached(sa->hard.use_seconds, st->use_ns, now, NULL)) {
		kipsec_lifetime_expire(sa, KIPSEC_LIMIT_USE_SECONDS);
		return true;
	}
	return false;
}

bool kipsec_lifetime_hard_reached(struct kipsec_sa *sa)
{
	const struct kipsec_sa_stats *st = &sa->state->stats;

	return READ_ONCE(sa->expired) ||
	       count_reached(sa->hard.bytes, st->bytes) ||
	       count_reached(sa->hard.packets, st->packets) ||
	       hard_time_reached(sa);
}

void kipsec_lifetime_expire(struct kipsec_sa *sa,
			    enum kipsec_lifetime_limit limit)
{
	if (!READ_ONCE(sa->expired)) {
		WRITE_ONCE(sa->expired, limit);
		kipsec_lifetime_kick(sa->kn);
	}
}

bool kipsec_lifetime_counted(struct kipsec_sa *sa, bool first_use)
{
	const struct kipsec_sa_stats *st = &sa->state->stats;
	bool kick = first_use && (sa->soft.use_seconds ||
				  sa->hard.use_seconds);

	if (count_reached(sa->hard.bytes, st->bytes)) {
		kipsec_lifetime_expire(sa, KIPSEC_LIMIT_BYTES);
		return true;
	}
	if (count_reached(sa->hard.packets, st->packets)) {
		kipsec_lifetime_expire(sa, KIPSEC_LIMIT_PACKETS);
		return true;
	}
	if (!sa->soft_kicked && (count_reached(sa->soft.bytes, st->bytes) ||
				 count_reached(sa->soft.packets, st->packets))) {
		sa->soft_kicked = true;
		kick = true;
	}
	if (kick)
		kipsec_lifetime_kick(sa->kn);
	return false;
}

/* ---- the worker ---- */

static void usage_of(struct kipsec_sa *sa, struct kipsec_lifetime_usage *u)
{
	struct kipsec_sa_state *st = sa->state;

	spin_lock_bh(&st->lock);
	u->bytes = st->stats.bytes;
	u->packets = st->stats.packets;
	u->add_ns = st->add_ns;
	u->use_ns = st->use_ns;
	spin_unlock_bh(&st->lock);
}

/* Soft: one event.  Hard: the SA is out of use, then the event, then gone. */
static void check_sa(struct kipsec_net *kn, struct kipsec_sa *sa, u64 now,
		     u64 *next)
{
	enum kipsec_lifetime_limit limit = READ_ONCE(sa->expired);
	enum kipsec_lifetime_state state = KIPSEC_LIFETIME_HARD;
	struct kipsec_lifetime_usage u;

	lockdep_assert_held(&kn->config_lock);
	if (!limit) {
		usage_of(sa, &u);
		state = kipsec_lifetime_check(&sa->soft, &sa->hard, &u, now,
					      sa->soft_sent, &limit, next);
	}
	if (state == KIPSEC_LIFETIME_HARD) {
		WRITE_ONCE(sa->expired, limit);
		kipsec_ev_expire(kn, sa, true, limit);
		kipsec_sa_expire_locked(kn, sa);
	} else if (state == KIPSEC_LIFETIME_SOFT) {
		sa->soft_sent = true;
		kipsec_ev_expire(kn, sa, false, limit);
	}
}

static void lifetime_work(struct work_struct *work)
{
	struct kipsec_net *kn = container_of(to_delayed_work(work),
					     struct kipsec_net, lifetime_work);
	struct kipsec_sa *sa, *next_sa;
	u64 next = U64_MAX, now;

	mutex_lock(&kn->config_lock);
	now = ktime_get_boottime_ns();
	list_for_each_entry_safe(sa, next_sa, &kn->sad.list, list)
		check_sa(kn, sa, now, &next);
	mutex_unlock(&kn->config_lock);

	if (next == U64_MAX)
		return;
	now = ktime_get_boottime_ns();
	/* Not mod_delayed_work(): a kick meanwhile must not be pushed back. */
	queue_delayed_work(system_wq, &kn->lifetime_work,
			   next > now ? nsecs_to_jiffies(next - now) + 1 : 0);
}

void kipsec_lifetime_net_init(struct kipsec_net *kn)
{
	INIT_DELAYED_WORK(&kn->lifetime_work, lifetime_work);
}

/* Packets and configuration are gone: nothing kicks any more. */
void kipsec_lifetime_net_exit(struct kipsec_net *kn)
{
	cancel_delayed_work_sync(&kn->lifetime_work);
}
