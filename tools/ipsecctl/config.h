/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The namespace settings (KIPSEC_A_CONFIG): the default policy of each
 * direction and the ESP and AH switches.  Grammar, wire and output; the
 * netlink I/O is in config.c's commands.
 */
#ifndef IPSECCTL_CONFIG_H
#define IPSECCTL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

#include "args.h"
#include "output.h"

/* Settings present in a struct kconfig; each is also a word of `config`. */
enum config_field {
	CFG_DEFAULT_IN		= 1U << 0,
	CFG_DEFAULT_OUT		= 1U << 1,
	CFG_ESP			= 1U << 2,
	CFG_AH			= 1U << 3,
};

#define CFG_ALL	(CFG_DEFAULT_IN | CFG_DEFAULT_OUT | CFG_ESP | CFG_AH)

struct kconfig {
	unsigned int has;	/* enum config_field */
	uint8_t default_in;	/* KIPSEC_ACTION_BYPASS or _DISCARD */
	uint8_t default_out;
	uint8_t esp;		/* 1 on, 0 off */
	uint8_t ah;
};

extern const struct name_table default_action_names;
extern const struct name_table switch_names;

/* The words after "config": none (show) or settings to change. */
int config_parse(int argc, char **argv, struct kconfig *cfg, struct perr *e);
/* The words after "policy default": none (show) or "in|out ACTION". */
int policy_default_parse(int argc, char **argv, struct kconfig *cfg,
			 struct perr *e);

/* Puts KIPSEC_A_CONFIG with the settings @cfg has. */
void config_put(struct nlmsghdr *nlh, const struct kconfig *cfg);
/* The KIPSEC_A_CONFIG nest; -1 (errno EPROTO) if malformed. */
int config_from_nest(const struct nlattr *nest, struct kconfig *cfg);

/* The reply to GET_CONFIG into the struct kconfig @data. */
int config_reply_cb(const struct nlmsghdr *nlh, void *data);

/* "default-in bypass" ... one per line, or one JSON object. */
void config_print(FILE *f, const struct kconfig *cfg, bool json);
/* "in bypass" / "out discard" lines, or {"in":...,"out":...}. */
void policy_default_print(FILE *f, const struct kconfig *cfg, bool json);
/* The settings @cfg has as words on one line ("esp on ah off"). */
void config_words(FILE *f, const struct kconfig *cfg);
/* ...and as members of the current JSON object. */
void config_json_members(struct json *j, const struct kconfig *cfg);

#endif /* IPSECCTL_CONFIG_H */
