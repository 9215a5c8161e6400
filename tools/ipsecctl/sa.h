/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A security association as the grammar, the wire and the output see it,
 * and the transformations between them.  Nothing here does netlink I/O:
 * the unit tests run all of it without a kernel.
 */
#ifndef IPSECCTL_SA_H
#define IPSECCTL_SA_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

#include "args.h"

/* Fields present in a struct sa; each is also a word of the grammar. */
enum sa_field {
	SA_SRC			= 1U << 0,
	SA_DST			= 1U << 1,
	SA_PROTO		= 1U << 2,
	SA_SPI			= 1U << 3,
	SA_MODE			= 1U << 4,
	SA_ENC			= 1U << 5,
	SA_AUTH			= 1U << 6,
	SA_NO_INTEGRITY		= 1U << 7,
	SA_ESN			= 1U << 8,
	SA_REPLAY_WINDOW	= 1U << 9,
	SA_SEQ			= 1U << 10,
	SA_LIFETIME		= 1U << 11,
	SA_FLAGS		= 1U << 12,
	SA_STATS		= 1U << 13,
};

enum sa_cmd {
	SA_CMD_ADD,
	SA_CMD_UPDATE,
	SA_CMD_GET,
	SA_CMD_DEL,
	SA_CMD_LIST,
	SA_CMD_FLUSH,
};

struct sa_alg {
	char name[KIPSEC_ALG_NAME_MAX];
	uint8_t key[KEY_MAX_LEN];
	size_t key_len;
	bool has_key;
	const char *keyfile;	/* from argv; read by sa_parse() */
};

enum sa_lifetime_kind {
	SA_SOFT,
	SA_HARD,
	SA_LIFETIME_KINDS,
};

/* Indexes of sa_lifetime_names[] and sa_stat_names[]. */
enum {
	SA_LIFE_BYTES,
	SA_LIFE_PACKETS,
	SA_LIFE_ADD_SECONDS,
	SA_LIFE_USE_SECONDS,
	SA_LIFE_N,
};

enum {
	SA_STAT_PACKETS,
	SA_STAT_BYTES,
	SA_STAT_REPLAY_DROPS,
	SA_STAT_INTEGRITY_FAILURES,
	SA_STAT_OTHER_DROPS,
	SA_STAT_ADD_TIME,
	SA_STAT_USE_TIME,
	SA_STAT_N,
};

struct sa {
	unsigned int has;	/* enum sa_field */
	struct ip_addr src, dst;
	uint8_t proto;
	uint32_t spi;
	uint8_t mode;
	struct sa_alg enc, auth;
	uint32_t flags;		/* KIPSEC_SA_F_* */
	uint32_t replay_window;
	uint64_t seq;
	uint64_t lifetime[SA_LIFETIME_KINDS][SA_LIFE_N];
	/* bit kind * SA_LIFE_N + i: that limit was given */
	unsigned int lifetime_has;
	uint64_t stats[SA_STAT_N];
};

/* Names shared by the grammar, JSON and text output. */
struct sa_field_name {
	uint16_t attr;
	const char *word;	/* grammar and text */
	const char *json;
};

extern const struct sa_field_name sa_lifetime_names[SA_LIFE_N];
extern const struct sa_field_name sa_stat_names[SA_STAT_N];
extern const char *const sa_lifetime_kind_names[SA_LIFETIME_KINDS];

/*
 * argv (the words after "sa add") to a checked struct sa: usage errors
 * (status 2) first, then what the kernel would refuse too (status 1).
 * Key files are read here.  The caller wipes @sa with sa_wipe() in any
 * case.
 */
int sa_parse(enum sa_cmd cmd, int argc, char **argv, struct sa *sa,
	     struct perr *e);
void sa_wipe(struct sa *sa);

/* Puts KIPSEC_A_SA with the fields @sa has. */
void sa_put(struct nlmsghdr *nlh, const struct sa *sa);
/* The KIPSEC_A_SA nest of a reply; -1 (errno EPROTO) if malformed. */
/* @item is a struct sa: the signature fits nl_collect(). */
int sa_from_nest(const struct nlattr *nest, void *item);
/* A binary address attribute, 4 or 16 bytes; -1 for any other length. */
int addr_from_attr(const struct nlattr *attr, struct ip_addr *a);

#endif /* IPSECCTL_SA_H */
