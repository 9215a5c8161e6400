// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include "args.h"
#include "nl.h"

#define NETNS_RUN_DIR	"/run/netns"

static int nl_local_err(struct nl_err *e, int err, const char *fmt, ...)
	__printf(3, 4);

static int nl_local_err(struct nl_err *e, int err, const char *fmt, ...)
{
	va_list ap;

	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

const char *nl_strerror(const struct nl_err *e)
{
	if (e->msg[0])
		return e->msg;
	/* GENL_UNS_ADMIN_PERM refuses without an extack message */
	if (e->err == EPERM)
		return "Operation not permitted (needs CAP_NET_ADMIN in the network namespace)";
	return strerror(e->err);
}

/* Like `ip -n NAME`: only the network namespace changes. */
static int enter_netns(const char *name, struct nl_err *e)
{
	char path[PATH_MAX];
	int ret = 0;
	int fd;

	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return nl_local_err(e, EINVAL, "invalid network namespace name '%s'",
				    name);
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nl_local_err(e, errno, "network namespace '%s': %s",
				    name, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		ret = nl_local_err(e, errno, "cannot enter network namespace '%s': %s",
				   name, strerror(errno));
	close(fd);
	return ret;
}

struct nl_run {
	nl_cb cb;
	void *data;
	struct nl_err *e;
	bool intr;
};

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > NLMSGERR_ATTR_MAX)
		return MNL_CB_OK;
	if (type == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	if (type == NLMSGERR_ATTR_MISS_TYPE &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* The extack TLVs start @offset bytes into the payload. */
static void parse_extack(const struct nlmsghdr *nlh, size_t offset,
			 struct nl_err *e)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, offset, extack_attr_cb, tb);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(e->msg, sizeof(e->msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(e->msg, sizeof(e->msg), "%s (attribute %u is missing)",
			 strerror(e->err),
			 mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
}

static int error_cb(const struct nlmsghdr *nlh, struct nl_run *r)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		r->e->err = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!err->error)
		return MNL_CB_STOP;
	r->e->err = err->error < 0 ? -err->error : err->error;
	/* without NETLINK_CAP_ACK the request is echoed before the TLVs */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_extack(nlh, offset, r->e);
	return MNL_CB_ERROR;
}

/* A dump that fails part-way ends with an error code in NLMSG_DONE. */
static int done_cb(const struct nlmsghdr *nlh, struct nl_run *r)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	r->e->err = -err;
	parse_extack(nlh, sizeof(err), r->e);
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, struct nl_run *r)
{
	int ret;

	if (!r->cb)
		return MNL_CB_OK;
	errno = 0;
	ret = r->cb(nlh, r->data);
	if (ret == MNL_CB_ERROR)
		r->e->err = errno ? errno : EPROTO;
	return ret;
}

/*
 * Like mnl_cb_run(), but an interrupted dump is not an error: it is noted
 * and read to its end, so that it can be asked again.
 */
static int run_msgs(const void *buf, size_t len, uint32_t seq,
		    uint32_t portid, struct nl_run *r)
{
	const struct nlmsghdr *nlh = buf;
	int n = len;
	int ret = MNL_CB_OK;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (!mnl_nlmsg_portid_ok(nlh, portid) ||
		    !mnl_nlmsg_seq_ok(nlh, seq)) {
			r->e->err = EPROTO;
			return MNL_CB_ERROR;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			r->intr = true;
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
			ret = data_cb(nlh, r);
		else if (nlh->nlmsg_type == NLMSG_ERROR)
			ret = error_cb(nlh, r);
		else if (nlh->nlmsg_type == NLMSG_DONE)
			ret = done_cb(nlh, r);
		else
			ret = MNL_CB_OK;
		if (ret <= MNL_CB_STOP)
			return ret;
	}
	return ret;
}

int nl_run_msgs(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		nl_cb cb, void *data, struct nl_err *e, bool *intr)
{
	struct nl_run r = { .cb = cb, .data = data, .e = e };
	int ret;

	ret = run_msgs(buf, len, seq, portid, &r);
	*intr = r.intr;
	return ret;
}

/* Sends @nlh and reads until its ACK, error or end of dump. */
static int nl_run(struct nl *nl, struct nlmsghdr *nlh, struct nl_run *r)
{
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = ++nl->seq;
	r->e->err = 0;
	r->e->msg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return nl_local_err(r->e, errno, "netlink send: %s",
				    strerror(errno));
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_RECV_SIZE);
		if (n < 0)
			return nl_local_err(r->e, errno, "netlink receive: %s",
					    strerror(errno));
		ret = run_msgs(nl->buf, n, nlh->nlmsg_seq, nl->portid, r);
	} while (ret > 0);
	if (ret < 0) {
		if (!r->e->err)
			r->e->err = EPROTO;
		return -1;
	}
	return 0;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, nl_cb cb, void *data,
	       struct nl_err *e)
{
	struct nl_run r = { .cb = cb, .data = data, .e = e };

	nlh->nlmsg_flags |= NLM_F_ACK;
	return nl_run(nl, nlh, &r);
}

/*
 * A dump the kernel flags as interrupted by a change is asked again.  If
 * changes never stop, the last one is kept: the kernel resumes a dump by
 * insertion order, so it still holds, once each, every entry that lived
 * through it.
 */
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, nl_cb cb,
	    void (*restart)(void *data), void *data, struct nl_err *e)
{
	struct nl_run r = { .cb = cb, .data = data, .e = e };
	int tries;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	for (tries = 1; ; tries++) {
		r.intr = false;
		if (nl_run(nl, nlh, &r))
			return -1;
		if (!r.intr)
			return 0;
		if (tries == NL_DUMP_TRIES)
			break;
		if (restart)
			restart(data);
	}
	fprintf(stderr, "ipsecctl: warning: the list kept changing while it was read (%d tries); it may be inconsistent\n",
		tries);
	return 0;
}

struct nlmsghdr *nl_msg_start(const struct nl *nl, void *buf, uint8_t cmd,
			      uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, NL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = KIPSEC_GENL_VERSION;
	return nlh;
}

struct parse_ctx {
	const struct nl_policy *pol;
	unsigned int max;
	const struct nlattr **tb;
};

static int policy_attr_cb(const struct nlattr *attr, void *data)
{
	const struct parse_ctx *p = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct nl_policy *pol;
	int ret;

	if (type > p->max || p->pol[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	pol = &p->pol[type];
	if (pol->len)
		ret = mnl_attr_validate2(attr, pol->type, pol->len);
	else
		ret = mnl_attr_validate(attr, pol->type);
	if (ret < 0) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_nested(const struct nlattr *nest, const struct nl_policy *pol,
		    unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx p = { pol, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, policy_attr_cb, &p) < 0) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int nl_parse_genl(const struct nlmsghdr *nlh, const struct nl_policy *pol,
		  unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx p = { pol, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), policy_attr_cb,
			   &p) < 0) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

const struct nl_policy nl_kipsec_policy[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_VERSION] = { MNL_TYPE_NUL_STRING },
	[KIPSEC_A_ALGS] = { MNL_TYPE_NESTED },
	[KIPSEC_A_MAX_SAS] = { MNL_TYPE_U32 },
	[KIPSEC_A_MAX_POLICIES] = { MNL_TYPE_U32 },
	[KIPSEC_A_SA] = { MNL_TYPE_NESTED },
	[KIPSEC_A_POLICY] = { MNL_TYPE_NESTED },
	[KIPSEC_A_STATS] = { MNL_TYPE_NESTED },
	[KIPSEC_A_ACQUIRE] = { MNL_TYPE_NESTED },
	[KIPSEC_A_EXPIRE] = { MNL_TYPE_NESTED },
	[KIPSEC_A_CONFIG] = { MNL_TYPE_NESTED },
	[KIPSEC_A_FLUSH_COUNT] = { MNL_TYPE_U32 },
};

static const struct nl_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { MNL_TYPE_U16 },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED },
};

static const struct nl_policy mcgrp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_MCAST_GRP_ID] = { MNL_TYPE_U32 },
};

/* A kernel without the group (or with others only) leaves it 0. */
static int get_events_group(const struct nlattr *groups, uint32_t *id)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *grp;

	mnl_attr_for_each_nested(grp, groups) {
		if (mnl_attr_validate(grp, MNL_TYPE_NESTED) < 0 ||
		    nl_parse_nested(grp, mcgrp_policy, CTRL_ATTR_MCAST_GRP_MAX,
				    tb))
			return -1;
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    KIPSEC_MCGRP_EVENTS))
			*id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

int nl_family_ids(const struct nlmsghdr *nlh, struct nl_family_ids *ids)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (nl_parse_genl(nlh, ctrl_policy, CTRL_ATTR_MAX, tb))
		return -1;
	if (tb[CTRL_ATTR_FAMILY_ID])
		ids->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] &&
	    get_events_group(tb[CTRL_ATTR_MCAST_GROUPS], &ids->events_group)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return nl_family_ids(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int resolve_family(struct nl *nl, struct nl_err *e)
{
	struct nl_family_ids ids = { 0 };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nl->family = GENL_ID_CTRL;
	nlh = nl_msg_start(nl, buf, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KIPSEC_GENL_NAME);
	if (nl_request(nl, nlh, family_cb, &ids, e)) {
		if (e->err == ENOENT)
			e->no_family = true;
		return -1;
	}
	if (!ids.family)
		return nl_local_err(e, EPROTO, "no id for the %s family",
				    KIPSEC_GENL_NAME);
	nl->family = ids.family;
	nl->events_group = ids.events_group;
	return 0;
}

/*
 * A burst must not be lost silently: a large buffer makes overflow rare,
 * and ENOBUFS (NETLINK_NO_ENOBUFS off) reports it when it happens anyway.
 */
int nl_join_events(struct nl *nl, struct nl_err *e)
{
	int size = NL_EVENTS_RCVBUF;
	int off = 0;
	int fd;

	if (!nl->events_group)
		return nl_local_err(e, EOPNOTSUPP,
				    "the kernel has no \"%s\" multicast group",
				    KIPSEC_MCGRP_EVENTS);
	fd = mnl_socket_get_fd(nl->sock);
	/* FORCE goes beyond rmem_max, with CAP_NET_ADMIN; else the capped */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (mnl_socket_setsockopt(nl->sock, NETLINK_NO_ENOBUFS, &off,
				  sizeof(off)) < 0)
		return nl_local_err(e, errno, "netlink NO_ENOBUFS: %s",
				    strerror(errno));
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group,
				  sizeof(nl->events_group)) < 0) {
		e->err = errno;
		e->msg[0] = '\0';
		return -1;
	}
	return 0;
}

static int sock_setup(struct nl *nl, struct nl_err *e)
{
	int one = 1;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return nl_local_err(e, errno, "netlink socket: %s",
				    strerror(errno));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return nl_local_err(e, errno, "netlink bind: %s",
				    strerror(errno));
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* best effort: older kernels lack them and still work */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	/* errors must not echo the request back: it may carry keys */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

int nl_open(struct nl *nl, const char *netns, struct nl_err *e)
{
	int ret;

	memset(nl, 0, sizeof(*nl));
	memset(e, 0, sizeof(*e));
	nl->seq = time(NULL);
	if (netns && enter_netns(netns, e))
		return -1;
	nl->buf = malloc(NL_RECV_SIZE);
	if (!nl->buf)
		return nl_local_err(e, ENOMEM, "%s", strerror(ENOMEM));
	ret = sock_setup(nl, e);
	if (ret)
		goto cleanup;
	ret = resolve_family(nl, e);
cleanup:
	if (ret)
		nl_close(nl);
	return ret;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	if (nl->buf) {
		/* replies to -s carry keys */
		explicit_bzero(nl->buf, NL_RECV_SIZE);
		free(nl->buf);
	}
	nl->buf = NULL;
}
