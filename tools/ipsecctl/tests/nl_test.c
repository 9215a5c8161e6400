// SPDX-License-Identifier: GPL-2.0
/*
 * Replies as the kernel sends them: ACKs, errors with and without the
 * extack message (capped or not), dumps ending in DONE, interrupted dumps.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "unit.h"

#define SEQ	77
#define PORTID	1234

struct reply_buf {
	char buf[8192];
	size_t len;
};

static struct nlmsghdr *add_msg(struct reply_buf *r, uint16_t type,
				uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r->buf + r->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void end_msg(struct reply_buf *r, struct nlmsghdr *nlh)
{
	r->len += nlh->nlmsg_len;
}

static void add_data(struct reply_buf *r, uint16_t flags, uint32_t val)
{
	struct nlmsghdr *nlh = add_msg(r, 0x20, flags | NLM_F_MULTI);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_u32(nlh, 1, val);
	end_msg(r, nlh);
}

/* NLMSG_ERROR; @echo: the request (4 bytes of payload) is echoed back */
static void add_error(struct reply_buf *r, int error, const char *msg,
		      bool echo)
{
	uint16_t flags = (msg ? NLM_F_ACK_TLVS : 0) | (echo ? 0 : NLM_F_CAPPED);
	struct nlmsghdr *nlh = add_msg(r, NLMSG_ERROR, flags);
	struct nlmsgerr *err;

	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr) + (echo ? 4 : 0);
	err->msg.nlmsg_seq = SEQ;
	if (echo)
		mnl_nlmsg_put_extra_header(nlh, 4);
	if (msg) {
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	end_msg(r, nlh);
}

static void add_done(struct reply_buf *r, int error, const char *msg,
		     uint16_t flags)
{
	struct nlmsghdr *nlh = add_msg(r, NLMSG_DONE,
				       flags | NLM_F_MULTI |
				       (msg ? NLM_F_ACK_TLVS : 0));
	int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

	*err = error;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	end_msg(r, nlh);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	unsigned int *n = data;

	(void)nlh;
	(*n)++;
	return MNL_CB_OK;
}

static void run(const char *name, struct reply_buf *r, int want_ret,
		int want_err, const char *want_msg, unsigned int want_n,
		bool want_intr)
{
	struct nl_err e = { 0 };
	unsigned int n = 0;
	bool intr = false;
	int ret;

	ret = nl_run_msgs(r->buf, r->len, SEQ, PORTID, count_cb, &n, &e,
			  &intr);
	t_check(ret == want_ret && e.err == want_err &&
		!strcmp(nl_strerror(&e), want_msg) && n == want_n &&
		intr == want_intr, "nl_run_msgs",
		"%s: got %d err %d '%s' %u messages intr %d", name, ret, e.err,
		want_err ? nl_strerror(&e) : "", n, intr);
}

/* CTRL_CMD_NEWFAMILY as the controller answers GETFAMILY. */
static struct nlmsghdr *ctrl_reply(char *buf, const char *const *groups,
				   size_t n, bool bad_id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *all, *grp;
	size_t i;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "kipsec");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	all = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (i = 0; i < n; i++) {
		grp = mnl_attr_nest_start(nlh, i + 1);
		if (bad_id)
			mnl_attr_put_u16(nlh, CTRL_ATTR_MCAST_GRP_ID, 11);
		else
			mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 11 + i);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, groups[i]);
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, all);
	return nlh;
}

static void family_ids_test(const char *name, const char *const *groups,
			    size_t n, bool bad_id, int want_ret,
			    uint32_t want_group)
{
	struct nl_family_ids ids = { 0 };
	char buf[1024];
	int ret;

	ret = nl_family_ids(ctrl_reply(buf, groups, n, bad_id), &ids);
	t_check(ret == want_ret &&
		(ret || (ids.family == 0x1d && ids.events_group == want_group)),
		"nl_family_ids", "%s: ret %d family %#x group %u", name, ret,
		ids.family, ids.events_group);
}

static void family_ids_tests(void)
{
	static const char *const one[] = { "events" };
	static const char *const three[] = { "other", "events", "more" };
	static const char *const none[] = { "eventsx" };

	family_ids_test("one group", one, 1, false, 0, 11);
	family_ids_test("among others", three, 3, false, 0, 12);
	family_ids_test("no events group", none, 1, false, 0, 0);
	family_ids_test("no groups", NULL, 0, false, 0, 0);
	family_ids_test("a short group id", one, 1, true, -1, 0);
}

void nl_tests(void)
{
	struct reply_buf r;

	r.len = 0;
	add_data(&r, 0, 1);
	add_error(&r, 0, NULL, false);
	run("reply then ACK", &r, MNL_CB_STOP, 0, strerror(0), 1, false);

	r.len = 0;
	add_error(&r, -EEXIST, "SA already exists", false);
	run("capped error with extack", &r, MNL_CB_ERROR, EEXIST,
	    "SA already exists", 0, false);

	r.len = 0;
	add_error(&r, -EINVAL, "unknown enc algorithm", true);
	run("error echoing the request", &r, MNL_CB_ERROR, EINVAL,
	    "unknown enc algorithm", 0, false);

	r.len = 0;
	add_error(&r, -ENOENT, NULL, false);
	run("error without extack", &r, MNL_CB_ERROR, ENOENT,
	    "No such file or directory", 0, false);

	r.len = 0;
	add_error(&r, -EPERM, NULL, false);
	run("permission", &r, MNL_CB_ERROR, EPERM,
	    "Operation not permitted (needs CAP_NET_ADMIN in the network namespace)",
	    0, false);

	r.len = 0;
	add_data(&r, 0, 1);
	add_data(&r, 0, 2);
	run("a dump goes on", &r, MNL_CB_OK, 0, strerror(0), 2, false);

	r.len = 0;
	add_data(&r, 0, 1);
	add_data(&r, NLM_F_DUMP_INTR, 2);
	add_data(&r, 0, 3);
	add_done(&r, 0, NULL, 0);
	run("an interrupted dump is read to its end", &r, MNL_CB_STOP, 0,
	    strerror(0), 3, true);

	r.len = 0;
	add_data(&r, 0, 1);
	add_done(&r, 0, NULL, NLM_F_DUMP_INTR);
	run("interrupted at DONE", &r, MNL_CB_STOP, 0, strerror(0), 1, true);

	r.len = 0;
	add_done(&r, -EINVAL, "an SA list filters by dst and proto only", 0);
	run("a dump refused in DONE", &r, MNL_CB_ERROR, EINVAL,
	    "an SA list filters by dst and proto only", 0, false);

	r.len = 0;
	add_data(&r, 0, 1);
	((struct nlmsghdr *)r.buf)->nlmsg_seq = SEQ + 1;
	run("a stale sequence number", &r, MNL_CB_ERROR, EPROTO,
	    strerror(EPROTO), 0, false);

	family_ids_tests();
}
