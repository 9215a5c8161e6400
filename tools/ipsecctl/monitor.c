// SPDX-License-Identifier: GPL-2.0
/*
 * ipsecctl [-j] monitor [-j]: prints the notifications of the "events"
 * group as they come, until SIGINT or SIGTERM (exit 0, once the events
 * already received are printed).  Each line is flushed at once: the reader
 * is often a pipe.  A socket that overflowed is reported with an "events
 * lost" line, and monitoring goes on.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "args.h"
#include "cmd.h"
#include "monitor.h"
#include "nl.h"

static int print_done(struct monitor *m)
{
	m->events++;
	return fflush(m->out) ? -1 : 0;
}

/* One kernel bug (or a tool too old) must not end the monitoring. */
static void report_bad_event(struct monitor *m, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	m->malformed++;
	if (!m->warn)
		return;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		fputs("ipsecctl: monitor: a malformed event was ignored\n",
		      m->warn);
	else
		fprintf(m->warn,
			"ipsecctl: monitor: a malformed event (command %u) was ignored\n",
			genl->cmd);
}

int monitor_datagram(struct monitor *m, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int n = len;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		/* the family's messages only: no ACKs are asked for here */
		if (nlh->nlmsg_type != m->family)
			continue;
		if (event_print(m->out, nlh, m->json)) {
			report_bad_event(m, nlh);
			continue;
		}
		if (print_done(m))
			return -1;
	}
	return 0;
}

static int loop_err(struct nl_err *e, const char *what)
{
	e->err = errno;
	snprintf(e->msg, sizeof(e->msg), "%s: %s", what, strerror(errno));
	return -1;
}

int monitor_loop(struct monitor *m, monitor_recv_fn recv_fn, void *src,
		 void *buf, size_t size, struct nl_err *e)
{
	ssize_t n;

	memset(e, 0, sizeof(*e));
	for (;;) {
		n = recv_fn(src, buf, size);
		if (!n)
			return 0;
		if (n < 0 && errno == ENOBUFS) {
			m->lost++;
			event_lost_print(m->out, m->json);
			if (print_done(m))
				return loop_err(e, "write");
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return loop_err(e, "netlink receive");
		if (monitor_datagram(m, buf, n))
			return loop_err(e, "write");
	}
}

/*
 * A signal is read from a descriptor (no race with a blocking recv()).  It
 * ends the monitoring only once what the socket already holds is printed:
 * the events of the changes made before the signal are not left unread.
 */
ssize_t monitor_sock_recv(void *data, void *buf, size_t size)
{
	struct monitor_src *s = data;
	struct pollfd pfd[2] = {
		{ .fd = s->sig, .events = POLLIN },
		{ .fd = s->sock, .events = POLLIN },
	};
	ssize_t n;

	if (!s->stopping) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0)
			return -1;
		if (!pfd[0].revents)
			return recv(s->sock, buf, size, 0);
		s->stopping = true;
	}
	/* bounded: events that keep coming must not delay the end forever */
	if (s->drained++ == MONITOR_DRAIN_MAX)
		return 0;
	n = recv(s->sock, buf, size, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return n;
}

static int stop_signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static int w_json(struct args *a, void *obj, struct perr *e)
{
	struct ctx *ctx = obj;

	(void)a;
	(void)e;
	ctx->json = true;
	return 0;
}

/* The grammar is "ipsecctl monitor [-j]": -j may also come last. */
static const struct word monitor_words[] = {
	WORD("-j", 1, "-j", w_json),
	WORD("--json", 1, "-j", w_json),
};

static int monitor_run(struct ctx *ctx, int argc, char **argv)
{
	struct monitor m = { .out = stdout, .warn = stderr };
	struct monitor_src src = { .sig = -1 };
	unsigned int seen = 0;
	struct nl_err e;
	struct args a;
	struct perr pe;
	struct nl nl;
	int ret;

	args_init(&a, argc, argv);
	if (parse_words(&a, monitor_words, ARRAY_SIZE(monitor_words), 1,
			&seen, ctx, &pe))
		return ctx_perr(ctx, &pe);
	m.json = ctx->json;
	/* blocked before the socket exists: a signal is never the default */
	src.sig = stop_signals_fd();
	if (src.sig < 0)
		return ctx_fail(ctx, "signalfd: %s", strerror(errno));
	ret = nl_open(&nl, ctx->netns, &e);
	if (ret) {
		ret = ctx_nl_fail(ctx, &e);
		goto close_sig;
	}
	ret = nl_join_events(&nl, &e);
	if (!ret) {
		m.family = nl.family;
		src.sock = mnl_socket_get_fd(nl.sock);
		ret = monitor_loop(&m, monitor_sock_recv, &src, nl.buf,
				   NL_RECV_SIZE, &e);
	}
	if (ret)
		ret = ctx_nl_fail(ctx, &e);
	nl_close(&nl);
close_sig:
	close(src.sig);
	return ret;
}

static const struct cmd monitor_cmds[] = {
	{ NULL, "monitor [-j]", monitor_run },
};

int monitor_main(struct ctx *ctx, int argc, char **argv)
{
	return cmd_dispatch(ctx, monitor_cmds, ARRAY_SIZE(monitor_cmds), argc,
			    argv);
}

void monitor_usage(FILE *f, bool *first)
{
	cmd_usage(f, monitor_cmds, ARRAY_SIZE(monitor_cmds), first);
}
