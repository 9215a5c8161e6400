/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kipsec: IPsec ESP/AH for Linux, configured over generic netlink.
 *
 * Family name "kipsec" (KIPSEC_GENL_NAME), version 1, multicast group
 * "events".  Every request is checked against a strict policy: unknown
 * attributes, unknown flag bits, out-of-range values and read-only
 * attributes are refused with an extended-ack message.  Userspace must
 * ignore attributes it does not know in replies, so newer kernels can add
 * them.  Integers are in host byte order; addresses are binary, 4 bytes
 * for IPv4 and 16 bytes for IPv6, in network byte order.
 *
 * Commands and the attribute tree:
 *
 * KIPSEC_CMD_GET_INFO (no privilege needed)
 *   reply:
 *     KIPSEC_A_VERSION            string, module version
 *     KIPSEC_A_ALGS               nest, the algorithms this kernel provides
 *       KIPSEC_A_ALG              nest, repeated
 *         KIPSEC_A_ALG_NAME       string, e.g. "aes-128-gcm"
 *         KIPSEC_A_ALG_TYPE       u8, enum kipsec_alg_type
 *         KIPSEC_A_ALG_KEY_LEN    u16, key bytes (AEAD: cipher key + salt)
 *         KIPSEC_A_ALG_ICV_LEN    u16, integrity check value bytes
 *     KIPSEC_A_MAX_SAS            u32, per-namespace SA limit
 *     KIPSEC_A_MAX_POLICIES       u32, per-namespace policy limit
 *
 * KIPSEC_CMD_SA_ADD, KIPSEC_CMD_SA_UPDATE (CAP_NET_ADMIN)
 *   KIPSEC_A_SA                   nest
 *     KIPSEC_A_SA_SRC             binary 4|16
 *     KIPSEC_A_SA_DST             binary 4|16 (same family as SRC)
 *     KIPSEC_A_SA_PROTO           u8, IPPROTO_ESP or IPPROTO_AH
 *     KIPSEC_A_SA_SPI             u32, 256..0xffffffff (0..255 reserved)
 *     KIPSEC_A_SA_MODE            u8, enum kipsec_mode (default transport)
 *     KIPSEC_A_SA_ENC_ALG         string, cipher or AEAD name (ESP only)
 *     KIPSEC_A_SA_ENC_KEY         binary, exactly the algorithm's key length
 *     KIPSEC_A_SA_AUTH_ALG        string, integrity algorithm name
 *     KIPSEC_A_SA_AUTH_KEY        binary, exactly the algorithm's key length
 *     KIPSEC_A_SA_FLAGS           u32, KIPSEC_SA_F_*
 *     KIPSEC_A_SA_REPLAY_WINDOW   u32, 0..KIPSEC_REPLAY_WINDOW_MAX (def. 128)
 *     KIPSEC_A_SA_SEQ             u64, last outbound sequence number used
 *     KIPSEC_A_SA_LIFETIME_SOFT   nest
 *       KIPSEC_A_LIFETIME_BYTES         u64, 0 = no limit
 *       KIPSEC_A_LIFETIME_PACKETS       u64
 *       KIPSEC_A_LIFETIME_ADD_SECONDS   u64, seconds since the SA was added
 *       KIPSEC_A_LIFETIME_USE_SECONDS   u64, seconds since its first use
 *     KIPSEC_A_SA_LIFETIME_HARD   nest, as LIFETIME_SOFT
 *   A limit is reached when its counter equals it (bytes: of the inner
 *   packets; seconds: since the add, or the first packet, by the boot-time
 *   clock).  At a soft limit, one KIPSEC_CMD_SA_EXPIRE (soft); at a hard
 *   limit the SA stops being used at once (outbound falls back as if it
 *   were missing, inbound packets for it are dropped as in-sa-unusable),
 *   then KIPSEC_CMD_SA_EXPIRE (hard) and the SA is deleted.  An SA without
 *   ESN whose sequence number reaches 2^32 - 1 expires hard the same way.
 *   SRC, DST, PROTO and SPI are required.  SA_UPDATE replaces every
 *   attribute of the SA named by (DST, SPI, PROTO) except its counters
 *   (STATS, add time included); the SA must exist.  An UPDATE without SEQ
 *   keeps the current sequence number, so that an update of a live SA never
 *   reuses sequence numbers (and so IVs).
 *
 * KIPSEC_CMD_SA_DEL (CAP_NET_ADMIN)
 *   KIPSEC_A_SA { DST, SPI, PROTO }
 *
 * KIPSEC_CMD_SA_GET (CAP_NET_ADMIN)
 *   doit: KIPSEC_A_SA { DST, SPI, PROTO }; dumpit: optional KIPSEC_A_SA
 *   { DST, PROTO } as a filter.  KIPSEC_A_REQUEST_FLAGS with
 *   KIPSEC_REQ_F_SHOW_KEYS asks for the keys.
 *   A dump filter with SPI is refused (use doit); as for any dump, that
 *   error and its message come in NLMSG_DONE.  Dumps list the SAs in the
 *   order they were added (UPDATE keeps the place).
 *   reply: KIPSEC_A_SA with every attribute above (keys only when asked;
 *   no ENC_KEY for "null", whose key is empty) plus the read-only
 *     KIPSEC_A_SA_STATS           nest
 *       KIPSEC_A_SA_STATS_PACKETS, _BYTES, _REPLAY_DROPS,
 *       _INTEGRITY_FAILURES, _OTHER_DROPS           u64
 *       KIPSEC_A_SA_STATS_ADD_TIME   u64, wall-clock seconds of the add
 *       KIPSEC_A_SA_STATS_USE_TIME   u64, of the first use, 0 = unused
 *
 * KIPSEC_CMD_SA_FLUSH (CAP_NET_ADMIN)
 *   optional KIPSEC_A_SA { PROTO }
 *
 * KIPSEC_CMD_POLICY_ADD, KIPSEC_CMD_POLICY_UPDATE (CAP_NET_ADMIN)
 *   KIPSEC_A_POLICY               nest
 *     KIPSEC_A_POLICY_ID          u32, kernel-assigned; required for UPDATE
 *     KIPSEC_A_POLICY_DIR         u8, enum kipsec_dir
 *     KIPSEC_A_POLICY_SRC         binary 4|16, absent = any address
 *     KIPSEC_A_POLICY_SRC_PREFIXLEN  u8, default: full length
 *     KIPSEC_A_POLICY_DST         binary 4|16
 *     KIPSEC_A_POLICY_DST_PREFIXLEN  u8
 *     KIPSEC_A_POLICY_PROTO       u8, upper-layer protocol, absent = any
 *     KIPSEC_A_POLICY_SPORT_MIN, _SPORT_MAX, _DPORT_MIN, _DPORT_MAX  u16
 *                                 (TCP, UDP, UDP-Lite, SCTP only); _MAX
 *                                 absent = _MIN (one port), _MAX without
 *                                 _MIN is refused
 *     KIPSEC_A_POLICY_ICMP_TYPE   u8 (ICMP, ICMPv6 only)
 *     KIPSEC_A_POLICY_ICMP_CODE   u8 (needs ICMP_TYPE)
 *     KIPSEC_A_POLICY_PRIORITY    u32, lower first (default 0x10000)
 *     KIPSEC_A_POLICY_ACTION      u8, enum kipsec_action
 *     KIPSEC_A_POLICY_TMPLS       nest, PROTECT only: 1 or 2, applied in
 *                                 order from the inside out (ESP, then AH)
 *       KIPSEC_A_TMPL             nest, repeated
 *         KIPSEC_A_TMPL_PROTO     u8, IPPROTO_ESP or IPPROTO_AH
 *         KIPSEC_A_TMPL_SPI       u32, absent = choose by addresses
 *         KIPSEC_A_TMPL_MODE      u8, enum kipsec_mode (default transport)
 *         KIPSEC_A_TMPL_LEVEL     u8, enum kipsec_level (default require)
 *   reply to ADD: KIPSEC_A_POLICY { KIPSEC_A_POLICY_ID }
 *   DIR and ACTION are required for ADD; ID is refused there.  UPDATE
 *   needs ID and ACTION, may leave DIR out (a policy cannot change
 *   direction), replaces everything else and keeps the policy's place
 *   among equal priorities.  Without SRC and DST a policy matches IPv4 and
 *   IPv6; with either, only that family.  A prefix length needs its
 *   address; host bits beyond the prefix length are refused.  A policy with
 *   the same DIR, selector and PRIORITY as an existing one is refused with
 *   -EEXIST; the existing policy's id is then the extended ack's cookie
 *   (NLMSGERR_ATTR_COOKIE, a u64 in host byte order).
 *
 * KIPSEC_CMD_POLICY_DEL, KIPSEC_CMD_POLICY_GET (CAP_NET_ADMIN)
 *   doit: KIPSEC_A_POLICY { ID }; GET dumpit: optional { DIR } filter
 *   reply: KIPSEC_A_POLICY with every attribute above, prefix lengths and
 *   both ends of port ranges always present; dumps list IN then OUT, each
 *   in evaluation order.
 *
 * KIPSEC_CMD_POLICY_FLUSH (CAP_NET_ADMIN)
 *   optional KIPSEC_A_POLICY { DIR }
 *
 * KIPSEC_CMD_GET_STATS (CAP_NET_ADMIN)
 *   reply: KIPSEC_A_STATS nest, every counter of the namespace, u64 each
 *     KIPSEC_A_STATS_IN_PACKETS, _IN_BYTES      ESP/AH packets accepted
 *                                               and their inner bytes
 *     KIPSEC_A_STATS_OUT_PACKETS, _OUT_BYTES    packets protected, inner
 *                                               bytes
 *     drops, by reason (enum kipsec_stats_attr below says which is which)
 *   Counters only grow; they start at 0 when the namespace (or the
 *   module) is new.
 *
 * KIPSEC_CMD_SET_CONFIG (CAP_NET_ADMIN), KIPSEC_CMD_GET_CONFIG (CAP_NET_ADMIN)
 *   KIPSEC_A_CONFIG               nest, SET changes the attributes given
 *     KIPSEC_A_CONFIG_DEFAULT_IN  u8, KIPSEC_ACTION_BYPASS (the default) or
 *                                 KIPSEC_ACTION_DISCARD: what happens to a
 *                                 packet no inbound policy matches
 *     KIPSEC_A_CONFIG_DEFAULT_OUT u8, the same outbound
 *     KIPSEC_A_CONFIG_ESP         u8, 1 (the default) or 0: ESP switched
 *                                 off is neither sent nor accepted
 *     KIPSEC_A_CONFIG_AH          u8, the same for AH
 *   reply to GET: KIPSEC_A_CONFIG with every attribute.  Per namespace.
 *
 * Transactions (CAP_NET_ADMIN), as `ipsecctl -f` applies a file:
 *   KIPSEC_CMD_TXN_BEGIN opens one for the sending socket (EBUSY if it has
 *   one open).  Then SA_ADD, SA_UPDATE, SA_DEL, POLICY_ADD, POLICY_UPDATE,
 *   POLICY_DEL and SET_CONFIG carrying KIPSEC_A_REQUEST_FLAGS with
 *   KIPSEC_REQ_F_TXN are checked as they arrive (attributes, algorithms,
 *   keys: errors at once, with their extack) and staged, not applied; a
 *   POLICY_ADD so staged is answered by an ACK alone.  FLUSH requests
 *   cannot be staged: stage the deletes.
 *   KIPSEC_CMD_TXN_COMMIT applies every staged change or none: it fails
 *   (ENOENT, EEXIST, ENOSPC, EINVAL, ENOMEM, with extack) when the
 *   databases no longer fit the changes, and then changes nothing.  It
 *   applies SA adds and updates, then policy adds and updates, then
 *   settings, then policy deletes, then SA deletes, all under the
 *   namespace's configuration lock: no packet sees a protected flow
 *   without its policy or its SAs, or a new default without the policies
 *   that come with it.  Notifications follow as for single requests.
 *   KIPSEC_CMD_TXN_ABORT, or closing the socket, drops the transaction.
 *   An SA updated twice in one transaction fails the commit (EINVAL).
 *
 * KIPSEC_REQ_F_RESET on SA_UPDATE: the SA restarts as if added (sequence
 *   numbers, replay window, counters, lifetime clocks); without it an
 *   update keeps them.
 *
 * Notifications on "events" (never requests; joining "events" needs
 * CAP_NET_ADMIN, as reading the databases does), per namespace, each a
 * message of the command named:
 *   KIPSEC_CMD_SA_ADD, _SA_UPDATE, _SA_DEL   KIPSEC_A_SA as SA_GET replies
 *                                 (no keys, STATS included)
 *   KIPSEC_CMD_SA_EXPIRE          KIPSEC_A_SA as above, and
 *     KIPSEC_A_EXPIRE             nest
 *       KIPSEC_A_EXPIRE_HARD      u8, 0 soft (once per SA), 1 hard (the SA
 *                                 is no longer used and is deleted: no
 *                                 SA_DEL follows)
 *       KIPSEC_A_EXPIRE_LIMIT     u8, enum kipsec_expire_limit
 *   KIPSEC_CMD_SA_FLUSH           optional KIPSEC_A_SA { PROTO }, and
 *                                 KIPSEC_A_FLUSH_COUNT u32, SAs removed
 *   KIPSEC_CMD_POLICY_ADD, _POLICY_UPDATE, _POLICY_DEL
 *                                 KIPSEC_A_POLICY as POLICY_GET replies
 *   KIPSEC_CMD_POLICY_FLUSH       optional KIPSEC_A_POLICY { DIR },
 *                                 KIPSEC_A_FLUSH_COUNT u32
 *   KIPSEC_CMD_SET_CONFIG         KIPSEC_A_CONFIG with every attribute
 *   KIPSEC_CMD_ACQUIRE            below
 *   A listener whose socket buffer overflows loses messages and is told
 *   so by ENOBUFS from recv().
 *
 * KIPSEC_CMD_SA_ADD etc. as notifications are sent after the change took
 * effect, in the order of the changes.
 *
 * KIPSEC_CMD_ACQUIRE (notification)
 *   Sent when an outbound packet matches a PROTECT policy whose template
 *   at level REQUIRE has no usable SA (the packet is dropped), at most 10
 *   per second per policy.
 *   KIPSEC_A_ACQUIRE              nest
 *     KIPSEC_A_ACQUIRE_POLICY_ID  u32
 *     KIPSEC_A_ACQUIRE_SRC, _DST  binary 4|16, the packet's addresses
 *     KIPSEC_A_ACQUIRE_PROTO      u8, upper-layer protocol
 *     KIPSEC_A_ACQUIRE_SPORT, _DPORT          u16 (protocols with ports)
 *     KIPSEC_A_ACQUIRE_ICMP_TYPE, _ICMP_CODE  u8 (ICMP, ICMPv6)
 *     KIPSEC_A_ACQUIRE_TMPL_PROTO u8, the template without an SA
 *     KIPSEC_A_ACQUIRE_TMPL_MODE  u8
 *     KIPSEC_A_ACQUIRE_TMPL_SPI   u32, when the template names one
 */
#ifndef _UAPI_LINUX_KIPSEC_H
#define _UAPI_LINUX_KIPSEC_H

#include <linux/types.h>

#define KIPSEC_GENL_NAME		"kipsec"
#define KIPSEC_GENL_VERSION		1
#define KIPSEC_MCGRP_EVENTS		"events"

#define KIPSEC_ALG_NAME_MAX		32	/* including the NUL */
#define KIPSEC_KEY_MAX_LEN		64
#define KIPSEC_REPLAY_WINDOW_MAX	4096
#define KIPSEC_REPLAY_WINDOW_DEFAULT	128
#define KIPSEC_SPI_MIN			256
#define KIPSEC_POLICY_PRIORITY_DEFAULT	0x10000
#define KIPSEC_TMPLS_MAX		2

enum kipsec_cmd {
	KIPSEC_CMD_UNSPEC,
	KIPSEC_CMD_GET_INFO,
	KIPSEC_CMD_SA_ADD,
	KIPSEC_CMD_SA_UPDATE,
	KIPSEC_CMD_SA_DEL,
	KIPSEC_CMD_SA_GET,
	KIPSEC_CMD_SA_FLUSH,
	KIPSEC_CMD_POLICY_ADD,
	KIPSEC_CMD_POLICY_UPDATE,
	KIPSEC_CMD_POLICY_DEL,
	KIPSEC_CMD_POLICY_GET,
	KIPSEC_CMD_POLICY_FLUSH,
	KIPSEC_CMD_GET_STATS,
	KIPSEC_CMD_ACQUIRE,
	KIPSEC_CMD_SA_EXPIRE,
	KIPSEC_CMD_SET_CONFIG,
	KIPSEC_CMD_GET_CONFIG,
	KIPSEC_CMD_TXN_BEGIN,
	KIPSEC_CMD_TXN_COMMIT,
	KIPSEC_CMD_TXN_ABORT,

	__KIPSEC_CMD_MAX
};
#define KIPSEC_CMD_MAX (__KIPSEC_CMD_MAX - 1)

enum kipsec_attr {
	KIPSEC_A_UNSPEC,
	KIPSEC_A_PAD,
	KIPSEC_A_VERSION,
	KIPSEC_A_ALGS,
	KIPSEC_A_MAX_SAS,
	KIPSEC_A_MAX_POLICIES,
	KIPSEC_A_REQUEST_FLAGS,
	KIPSEC_A_SA,
	KIPSEC_A_POLICY,
	KIPSEC_A_STATS,
	KIPSEC_A_ACQUIRE,
	KIPSEC_A_EXPIRE,
	KIPSEC_A_CONFIG,
	KIPSEC_A_FLUSH_COUNT,

	__KIPSEC_A_MAX
};
#define KIPSEC_A_MAX (__KIPSEC_A_MAX - 1)

enum kipsec_request_flags {
	KIPSEC_REQ_F_SHOW_KEYS		= 1U << 0,
	KIPSEC_REQ_F_TXN		= 1U << 1,
	KIPSEC_REQ_F_RESET		= 1U << 2,

	KIPSEC_REQ_F_ALL		= KIPSEC_REQ_F_SHOW_KEYS |
					  KIPSEC_REQ_F_TXN |
					  KIPSEC_REQ_F_RESET,
};

enum kipsec_alg_attr {
	KIPSEC_A_ALG_UNSPEC,
	KIPSEC_A_ALG,
	KIPSEC_A_ALG_NAME,
	KIPSEC_A_ALG_TYPE,
	KIPSEC_A_ALG_KEY_LEN,
	KIPSEC_A_ALG_ICV_LEN,

	__KIPSEC_A_ALG_MAX
};
#define KIPSEC_A_ALG_MAX (__KIPSEC_A_ALG_MAX - 1)

enum kipsec_alg_type {
	KIPSEC_ALG_TYPE_AEAD,		/* confidentiality and integrity */
	KIPSEC_ALG_TYPE_AEAD_AUTH,	/* AEAD used for integrity only (GMAC) */
	KIPSEC_ALG_TYPE_CIPHER,
	KIPSEC_ALG_TYPE_AUTH,

	__KIPSEC_ALG_TYPE_MAX
};
#define KIPSEC_ALG_TYPE_MAX (__KIPSEC_ALG_TYPE_MAX - 1)

enum kipsec_mode {
	KIPSEC_MODE_TRANSPORT,
	KIPSEC_MODE_TUNNEL,

	__KIPSEC_MODE_MAX
};
#define KIPSEC_MODE_MAX (__KIPSEC_MODE_MAX - 1)

enum kipsec_sa_flags {
	KIPSEC_SA_F_ESN			= 1U << 0,
	/* ESP with a cipher and no integrity: must be asked for explicitly */
	KIPSEC_SA_F_NO_INTEGRITY	= 1U << 1,

	KIPSEC_SA_F_ALL			= KIPSEC_SA_F_ESN |
					  KIPSEC_SA_F_NO_INTEGRITY,
};

enum kipsec_sa_attr {
	KIPSEC_A_SA_UNSPEC,
	KIPSEC_A_SA_PAD,
	KIPSEC_A_SA_SRC,
	KIPSEC_A_SA_DST,
	KIPSEC_A_SA_PROTO,
	KIPSEC_A_SA_SPI,
	KIPSEC_A_SA_MODE,
	KIPSEC_A_SA_ENC_ALG,
	KIPSEC_A_SA_ENC_KEY,
	KIPSEC_A_SA_AUTH_ALG,
	KIPSEC_A_SA_AUTH_KEY,
	KIPSEC_A_SA_FLAGS,
	KIPSEC_A_SA_REPLAY_WINDOW,
	KIPSEC_A_SA_SEQ,
	KIPSEC_A_SA_LIFETIME_SOFT,
	KIPSEC_A_SA_LIFETIME_HARD,
	KIPSEC_A_SA_STATS,

	__KIPSEC_A_SA_MAX
};
#define KIPSEC_A_SA_MAX (__KIPSEC_A_SA_MAX - 1)

enum kipsec_lifetime_attr {
	KIPSEC_A_LIFETIME_UNSPEC,
	KIPSEC_A_LIFETIME_PAD,
	KIPSEC_A_LIFETIME_BYTES,
	KIPSEC_A_LIFETIME_PACKETS,
	KIPSEC_A_LIFETIME_ADD_SECONDS,
	KIPSEC_A_LIFETIME_USE_SECONDS,

	__KIPSEC_A_LIFETIME_MAX
};
#define KIPSEC_A_LIFETIME_MAX (__KIPSEC_A_LIFETIME_MAX - 1)

enum kipsec_sa_stats_attr {
	KIPSEC_A_SA_STATS_UNSPEC,
	KIPSEC_A_SA_STATS_PAD,
	KIPSEC_A_SA_STATS_PACKETS,
	KIPSEC_A_SA_STATS_BYTES,
	KIPSEC_A_SA_STATS_REPLAY_DROPS,
	KIPSEC_A_SA_STATS_INTEGRITY_FAILURES,
	KIPSEC_A_SA_STATS_OTHER_DROPS,
	KIPSEC_A_SA_STATS_ADD_TIME,
	KIPSEC_A_SA_STATS_USE_TIME,

	__KIPSEC_A_SA_STATS_MAX
};
#define KIPSEC_A_SA_STATS_MAX (__KIPSEC_A_SA_STATS_MAX - 1)

enum kipsec_dir {
	KIPSEC_DIR_IN,
	KIPSEC_DIR_OUT,

	__KIPSEC_DIR_MAX
};
#define KIPSEC_DIR_MAX (__KIPSEC_DIR_MAX - 1)

enum kipsec_action {
	KIPSEC_ACTION_BYPASS,
	KIPSEC_ACTION_DISCARD,
	KIPSEC_ACTION_PROTECT,

	__KIPSEC_ACTION_MAX
};
#define KIPSEC_ACTION_MAX (__KIPSEC_ACTION_MAX - 1)

enum kipsec_level {
	KIPSEC_LEVEL_REQUIRE,	/* no usable SA: drop */
	KIPSEC_LEVEL_USE,	/* no usable SA: send in cleartext */

	__KIPSEC_LEVEL_MAX
};
#define KIPSEC_LEVEL_MAX (__KIPSEC_LEVEL_MAX - 1)

enum kipsec_policy_attr {
	KIPSEC_A_POLICY_UNSPEC,
	KIPSEC_A_POLICY_ID,
	KIPSEC_A_POLICY_DIR,
	KIPSEC_A_POLICY_SRC,
	KIPSEC_A_POLICY_SRC_PREFIXLEN,
	KIPSEC_A_POLICY_DST,
	KIPSEC_A_POLICY_DST_PREFIXLEN,
	KIPSEC_A_POLICY_PROTO,
	KIPSEC_A_POLICY_SPORT_MIN,
	KIPSEC_A_POLICY_SPORT_MAX,
	KIPSEC_A_POLICY_DPORT_MIN,
	KIPSEC_A_POLICY_DPORT_MAX,
	KIPSEC_A_POLICY_ICMP_TYPE,
	KIPSEC_A_POLICY_ICMP_CODE,
	KIPSEC_A_POLICY_PRIORITY,
	KIPSEC_A_POLICY_ACTION,
	KIPSEC_A_POLICY_TMPLS,

	__KIPSEC_A_POLICY_MAX
};
#define KIPSEC_A_POLICY_MAX (__KIPSEC_A_POLICY_MAX - 1)

enum kipsec_tmpl_attr {
	KIPSEC_A_TMPL_UNSPEC,
	KIPSEC_A_TMPL,
	KIPSEC_A_TMPL_PROTO,
	KIPSEC_A_TMPL_SPI,
	KIPSEC_A_TMPL_MODE,
	KIPSEC_A_TMPL_LEVEL,

	__KIPSEC_A_TMPL_MAX
};
#define KIPSEC_A_TMPL_MAX (__KIPSEC_A_TMPL_MAX - 1)

/*
 * Namespace counters (KIPSEC_A_STATS).  The drop reasons, in the spirit of
 * /proc/net/xfrm_stat; every dropped packet counts under exactly one.
 */
enum kipsec_stats_attr {
	KIPSEC_A_STATS_UNSPEC,
	KIPSEC_A_STATS_PAD,
	KIPSEC_A_STATS_IN_PACKETS,
	KIPSEC_A_STATS_IN_BYTES,
	KIPSEC_A_STATS_OUT_PACKETS,
	KIPSEC_A_STATS_OUT_BYTES,
	/* inbound drops */
	KIPSEC_A_STATS_IN_NO_SA,		/* no SA for (dst, SPI, proto) */
	KIPSEC_A_STATS_IN_REPLAY,		/* replayed or too old */
	KIPSEC_A_STATS_IN_ICV_FAIL,		/* integrity check failed */
	KIPSEC_A_STATS_IN_BAD_PADDING,		/* pad length or pad bytes */
	/* truncated, not a block multiple, empty payload, bad AH length */
	KIPSEC_A_STATS_IN_BAD_LENGTH,
	/* the packet with IPsec taken off is not what an inbound policy
	 * lets in through these SAs
	 */
	KIPSEC_A_STATS_IN_POLICY_MISMATCH,
	/* cleartext where a policy requires protection */
	KIPSEC_A_STATS_IN_CLEARTEXT,
	KIPSEC_A_STATS_IN_POLICY_DISCARD,	/* a DISCARD policy matched */
	/* SA mode not supported, hard lifetime reached */
	KIPSEC_A_STATS_IN_SA_UNUSABLE,
	/* outbound drops */
	KIPSEC_A_STATS_OUT_NO_SA,		/* REQUIRE and no usable SA */
	/* the SA used its last sequence number */
	KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED,
	KIPSEC_A_STATS_OUT_POLICY_DISCARD,	/* a DISCARD policy matched */
	KIPSEC_A_STATS_OUT_TOO_BIG,		/* over the MTU with DF */
	/* headers not parseable, segmentation failed */
	KIPSEC_A_STATS_OUT_BAD_PACKET,
	/* either way */
	KIPSEC_A_STATS_NO_MEMORY,
	/* the crypto API failed, other than an ICV check */
	KIPSEC_A_STATS_CRYPTO_ERROR,
	/* no policy matched, the inbound default discards */
	KIPSEC_A_STATS_IN_DEFAULT_DISCARD,
	/* no policy matched, the outbound default discards */
	KIPSEC_A_STATS_OUT_DEFAULT_DISCARD,
	/* ESP or AH arrived while switched off */
	KIPSEC_A_STATS_IN_PROTO_DISABLED,
	/* a REQUIRE template's protocol is switched off */
	KIPSEC_A_STATS_OUT_PROTO_DISABLED,
	/* the SA reached its hard limit under the packet */
	KIPSEC_A_STATS_OUT_SA_EXPIRED,

	__KIPSEC_A_STATS_MAX
};
#define KIPSEC_A_STATS_MAX (__KIPSEC_A_STATS_MAX - 1)

enum kipsec_acquire_attr {
	KIPSEC_A_ACQUIRE_UNSPEC,
	KIPSEC_A_ACQUIRE_POLICY_ID,
	KIPSEC_A_ACQUIRE_SRC,
	KIPSEC_A_ACQUIRE_DST,
	KIPSEC_A_ACQUIRE_PROTO,
	KIPSEC_A_ACQUIRE_SPORT,
	KIPSEC_A_ACQUIRE_DPORT,
	KIPSEC_A_ACQUIRE_ICMP_TYPE,
	KIPSEC_A_ACQUIRE_ICMP_CODE,
	KIPSEC_A_ACQUIRE_TMPL_PROTO,
	KIPSEC_A_ACQUIRE_TMPL_MODE,
	KIPSEC_A_ACQUIRE_TMPL_SPI,

	__KIPSEC_A_ACQUIRE_MAX
};
#define KIPSEC_A_ACQUIRE_MAX (__KIPSEC_A_ACQUIRE_MAX - 1)

/* Which limit an SA reached (KIPSEC_A_EXPIRE_LIMIT). */
enum kipsec_expire_limit {
	KIPSEC_EXPIRE_LIMIT_UNSPEC,
	KIPSEC_EXPIRE_LIMIT_BYTES,
	KIPSEC_EXPIRE_LIMIT_PACKETS,
	KIPSEC_EXPIRE_LIMIT_ADD_SECONDS,
	KIPSEC_EXPIRE_LIMIT_USE_SECONDS,
	KIPSEC_EXPIRE_LIMIT_SEQ,	/* 32-bit sequence number used up */

	__KIPSEC_EXPIRE_LIMIT_MAX
};
#define KIPSEC_EXPIRE_LIMIT_MAX (__KIPSEC_EXPIRE_LIMIT_MAX - 1)

enum kipsec_expire_attr {
	KIPSEC_A_EXPIRE_UNSPEC,
	KIPSEC_A_EXPIRE_HARD,		/* u8: 0 soft, 1 hard */
	KIPSEC_A_EXPIRE_LIMIT,		/* u8: enum kipsec_expire_limit */

	__KIPSEC_A_EXPIRE_MAX
};
#define KIPSEC_A_EXPIRE_MAX (__KIPSEC_A_EXPIRE_MAX - 1)

enum kipsec_config_attr {
	KIPSEC_A_CONFIG_UNSPEC,
	KIPSEC_A_CONFIG_DEFAULT_IN,	/* u8: BYPASS or DISCARD */
	KIPSEC_A_CONFIG_DEFAULT_OUT,	/* u8: BYPASS or DISCARD */
	KIPSEC_A_CONFIG_ESP,		/* u8: 1 on, 0 off */
	KIPSEC_A_CONFIG_AH,		/* u8: 1 on, 0 off */

	__KIPSEC_A_CONFIG_MAX
};
#define KIPSEC_A_CONFIG_MAX (__KIPSEC_A_CONFIG_MAX - 1)

#endif /* _UAPI_LINUX_KIPSEC_H */
