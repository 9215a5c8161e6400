/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every command shares: the global options, the tables of objects and
 * commands, usage text and the one-line error reports.
 */
#ifndef IPSECCTL_CMD_H
#define IPSECCTL_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler.h"
#include "kmod/version.h"

#define IPSECCTL_VERSION KIPSEC_VERSION

struct perr;
struct nl_err;
struct nlmsghdr;
struct cmd;

struct ctx {
	bool json;
	bool show_keys;
	const char *netns;
	const char *object;
	const struct cmd *cmd;	/* the command being run */
};

/*
 * @usage is the grammar without "ipsecctl ", continuation lines separated
 * by '\n'.  An object without command words (version) has one entry whose
 * @name is NULL.
 */
struct cmd {
	const char *name;
	const char *usage;
	int (*run)(struct ctx *ctx, int argc, char **argv);
};

int cmd_dispatch(struct ctx *ctx, const struct cmd *cmds, size_t n, int argc,
		 char **argv);
void cmd_usage(FILE *f, const struct cmd *cmds, size_t n, bool *first);

/* "ipsecctl: sa add: ..." on stderr; return the exit status. */
int ctx_fail(const struct ctx *ctx, const char *fmt, ...)
	__printf(2, 3);
int ctx_perr(const struct ctx *ctx, const struct perr *e);
int ctx_nl_fail(const struct ctx *ctx, const struct nl_err *e);

/*
 * A request, its attributes put by @put(@arg) if set, and its one reply
 * (to @cb), errors reported.
 */
int ctx_request(const struct ctx *ctx, uint8_t cmd,
		void (*put)(struct nlmsghdr *nlh, const void *arg),
		const void *arg,
		int (*cb)(const struct nlmsghdr *nlh, void *data), void *data);
/* A request without attributes and its one reply, errors reported. */
int ctx_simple_request(const struct ctx *ctx, uint8_t cmd,
		       int (*cb)(const struct nlmsghdr *nlh, void *data),
		       void *data);

/* A growing array of replies; elements are wiped when freed (keys). */
struct vec {
	void *v;
	size_t n;
	size_t cap;
	size_t size;
};

void vec_init(struct vec *vec, size_t size);
void *vec_push(struct vec *vec);
void vec_clear(void *vec);
void vec_free(struct vec *vec);

struct nl;
struct nlattr;
struct nlmsghdr;

/*
 * Sends @nlh (a dump if @dump) and decodes the @attr nest of every reply
 * into a new element of @list with @decode; an interrupted dump restarts
 * from an empty @list.
 */
int nl_collect(struct nl *nl, struct nlmsghdr *nlh, bool dump, uint16_t attr,
	       int (*decode)(const struct nlattr *nest, void *item),
	       struct vec *list, struct nl_err *e);

/* Every SA of the namespace, keys included, into @list (struct sa). */
int sa_dump_keys(struct nl *nl, struct vec *list, struct nl_err *e);

int sa_main(struct ctx *ctx, int argc, char **argv);
void sa_usage(FILE *f, bool *first);
int policy_main(struct ctx *ctx, int argc, char **argv);
void policy_usage(FILE *f, bool *first);
/* `policy default`, in config.c with the other settings */
int policy_default_run(struct ctx *ctx, int argc, char **argv);
int config_main(struct ctx *ctx, int argc, char **argv);
void config_usage(FILE *f, bool *first);
int monitor_main(struct ctx *ctx, int argc, char **argv);
void monitor_usage(FILE *f, bool *first);
int stats_main(struct ctx *ctx, int argc, char **argv);
void stats_usage(FILE *f, bool *first);
int version_main(struct ctx *ctx, int argc, char **argv);
void version_usage(FILE *f, bool *first);
int show_main(struct ctx *ctx, int argc, char **argv);
void show_usage(FILE *f, bool *first);
int sync_main(struct ctx *ctx, int argc, char **argv);
void sync_usage(FILE *f, bool *first);
int import_main(struct ctx *ctx, int argc, char **argv);
void import_usage(FILE *f, bool *first);
int export_main(struct ctx *ctx, int argc, char **argv);
void export_usage(FILE *f, bool *first);
/* ipsecctl [-c] -f FILE: apply (or only check) a configuration file. */
int apply_file_main(struct ctx *ctx, const char *path, bool check_only);

#endif /* IPSECCTL_CMD_H */
