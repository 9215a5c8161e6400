/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink I/O for the "kipsec" family: open (optionally inside a
 * named network namespace), requests answered by an ACK carrying the
 * kernel's extack message, and dumps over many messages, restarted when
 * the kernel flags one as interrupted by a concurrent change.
 */
#ifndef IPSECCTL_NL_H
#define IPSECCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Requests are small (the largest, sa add, is well under 1 KiB). */
#define NL_REQ_SIZE	8192
/* The kernel fills dump messages up to 32 KiB when the buffer allows. */
#define NL_RECV_SIZE	65536
#define NL_DUMP_TRIES	10
/* Room for a burst of events: some thousands of SA notifications. */
#define NL_EVENTS_RCVBUF	(8 << 20)

struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t events_group;	/* 0: the kernel has none */
	uint32_t portid;
	uint32_t seq;
	char *buf;
};

struct nl_err {
	int err;		/* positive errno */
	bool no_family;		/* the module is not loaded */
	char msg[320];		/* the kernel's extack message, or ours */
};

typedef int (*nl_cb)(const struct nlmsghdr *nlh, void *data);

int nl_open(struct nl *nl, const char *netns, struct nl_err *e);
void nl_close(struct nl *nl);
struct nl_family_ids {
	uint16_t family;
	uint32_t events_group;	/* 0: none */
};

/* The controller's reply about "kipsec"; -1 (errno EPROTO) if malformed. */
int nl_family_ids(const struct nlmsghdr *nlh, struct nl_family_ids *ids);
/* Joins the "events" multicast group, losses reported as ENOBUFS. */
int nl_join_events(struct nl *nl, struct nl_err *e);
/* @buf holds NL_REQ_SIZE bytes. */
struct nlmsghdr *nl_msg_start(const struct nl *nl, void *buf, uint8_t cmd,
			      uint16_t flags);
int nl_request(struct nl *nl, struct nlmsghdr *nlh, nl_cb cb, void *data,
	       struct nl_err *e);
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, nl_cb cb,
	    void (*restart)(void *data), void *data, struct nl_err *e);
/*
 * The replies in @buf, as received: MNL_CB_OK (more to read), MNL_CB_STOP
 * (ACK or end of dump) or MNL_CB_ERROR (@e says why); *@intr tells if the
 * kernel flagged the dump as interrupted.
 */
int nl_run_msgs(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		nl_cb cb, void *data, struct nl_err *e, bool *intr);
/* The one-line reason to print for a failure. */
const char *nl_strerror(const struct nl_err *e);

/*
 * Reply attributes are checked against a table, as the kernel checks
 * requests against its nla_policy, but attributes the table does not know
 * (from a newer kernel) are skipped.  @len, if set, is the exact length
 * of a binary attribute.
 */
struct nl_policy {
	enum mnl_attr_data_type type;
	uint16_t len;
};

/* The top level of every kipsec reply. */
extern const struct nl_policy nl_kipsec_policy[];

int nl_parse_nested(const struct nlattr *nest, const struct nl_policy *pol,
		    unsigned int max, const struct nlattr **tb);
int nl_parse_genl(const struct nlmsghdr *nlh, const struct nl_policy *pol,
		  unsigned int max, const struct nlattr **tb);

#endif /* IPSECCTL_NL_H */
