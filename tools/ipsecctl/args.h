/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of command-line words: numbers, SPIs, addresses, prefixes, port
 * ranges, keys, and the keyword tables the grammar is built from.  Nothing
 * here touches netlink; the only I/O is reading a key file.
 */
#ifndef IPSECCTL_ARGS_H
#define IPSECCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/kipsec.h>

#include "compiler.h"

/* Exit statuses: a request that cannot be carried out vs. bad grammar. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

#define PERR_MSG_MAX	320

/* Why parsing failed and with which exit status. */
struct perr {
	int status;
	char msg[PERR_MSG_MAX];
};

int perr_usage(struct perr *e, const char *fmt, ...)
	__printf(2, 3);
int perr_fail(struct perr *e, const char *fmt, ...)
	__printf(2, 3);

/* A cursor over the words of one command. */
struct args {
	int argc;
	char **argv;
	int i;
	const char *word;	/* the keyword whose values are being read */
};

void args_init(struct args *a, int argc, char **argv);
const char *args_value(struct args *a, const char *what, struct perr *e);

/* Returns 0, -EINVAL (not a number) or -ERANGE (above max). */
int parse_u64(const char *s, uint64_t max, uint64_t *v);
int args_u64(struct args *a, const char *what, uint64_t max, uint64_t *v,
	     struct perr *e);
int args_u32(struct args *a, const char *what, uint32_t *v, struct perr *e);
int args_u8(struct args *a, const char *what, uint8_t *v, struct perr *e);
int args_spi(struct args *a, uint32_t *spi, struct perr *e);
int check_spi(uint32_t spi, struct perr *e);

struct ip_addr {
	int family;		/* 0 (unset), AF_INET or AF_INET6 */
	uint8_t bytes[16];
};

struct ip_prefix {
	struct ip_addr addr;
	uint8_t len;
};

#define ADDR_STR_MAX	(INET6_ADDRSTRLEN + 4)

size_t addr_len(int family);
int parse_addr(const char *s, struct ip_addr *a);
int parse_prefix(const char *s, struct ip_prefix *p);
bool prefix_has_host_bits(const struct ip_prefix *p);
void prefix_clear_host_bits(struct ip_prefix *p);
int args_addr(struct args *a, struct ip_addr *addr, struct perr *e);
int args_prefix(struct args *a, struct ip_prefix *p, struct perr *e);
const char *addr_str(const struct ip_addr *a, char *buf);
const char *prefix_str(const struct ip_prefix *p, char *buf);
int check_prefix(const char *word, const struct ip_prefix *p,
		 struct perr *e);

int parse_port_range(const char *s, uint16_t range[2]);
int args_port_range(struct args *a, uint16_t range[2], struct perr *e);

/* Keys are wiped by their owner with explicit_bzero(). */
#define KEY_MAX_LEN	KIPSEC_KEY_MAX_LEN

enum hex_err {
	HEX_OK,
	HEX_NO_PREFIX,
	HEX_BAD_DIGIT,
	HEX_ODD,
	HEX_TOO_LONG,
};

enum hex_err parse_hex_key(const char *s, bool need_prefix, uint8_t *key,
			   size_t *len);
const char *hex_err_str(enum hex_err err);
int args_hex_key(struct args *a, uint8_t *key, size_t *len,
		 struct perr *e);
int load_keyfile(const char *path, uint8_t *key, size_t *len,
		 struct perr *e);
void hex_str(const uint8_t *key, size_t len, char *buf);
#define HEX_STR_MAX	(2 + 2 * KEY_MAX_LEN + 1)

/* Words of the grammar that stand for a number. */
struct name_val {
	const char *name;
	unsigned int val;
};

struct name_table {
	const char *what;	/* for messages: "mode" */
	const struct name_val *v;
	size_t n;
};

#define NAME_TABLE(what, v) { what, v, ARRAY_SIZE(v) }

int name_lookup(const struct name_table *t, const char *name,
		unsigned int *val);
const char *name_of(const struct name_table *t, unsigned int val);
/* The name of @val, or its number written in @buf (NUM_STR_MAX bytes). */
const char *name_or_num(const struct name_table *t, unsigned int val,
			char *buf);
#define NUM_STR_MAX	24
int args_name(struct args *a, const struct name_table *t, unsigned int *val,
	      struct perr *e);

extern const struct name_table ipsec_proto_names;
extern const struct name_table mode_names;
extern const struct name_table dir_names;
extern const struct name_table action_names;
extern const struct name_table level_names;
extern const struct name_table upper_proto_names;

int args_upper_proto(struct args *a, uint8_t *proto, struct perr *e);
const char *upper_proto_str(uint8_t proto, char *buf);
#define PROTO_STR_MAX	16

/*
 * The keyword loop shared by every command.  Words are accepted in any
 * order; each may appear once unless @repeat (its handler then checks
 * repeats itself); words sharing a @bit exclude each other (esp|ah).  A
 * handler reads the word's values through the cursor.
 */
struct word {
	const char *name;
	unsigned int bit;
	const char *hint;	/* "spi SPI", for "missing" messages */
	int (*parse)(struct args *a, void *obj, struct perr *e);
	bool repeat;
};

#define WORD(n, b, h, fn) { .name = (n), .bit = (b), .hint = (h), .parse = (fn) }

int parse_words(struct args *a, const struct word *words, size_t n,
		unsigned int allowed, unsigned int *seen, void *obj,
		struct perr *e);
int check_required(const struct word *words, size_t n, unsigned int required,
		   unsigned int seen, struct perr *e);

#endif /* IPSECCTL_ARGS_H */
