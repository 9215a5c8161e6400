/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipsecctl monitor: the notifications of the "events" group, one line or
 * one JSON object each.  Decoding and printing (event.c) and the receive
 * loop (monitor.c) do no I/O of their own, so the unit tests feed them
 * hand-built messages and a fake recv().
 */
#ifndef IPSECCTL_MONITOR_H
#define IPSECCTL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>

struct nl_err;

/*
 * One notification (a kipsec generic netlink message) as one line ending
 * in '\n'.  Returns -1 (nothing printed) if it is malformed.
 */
int event_print(FILE *f, const struct nlmsghdr *nlh, bool json);
/* The line that says the socket overflowed and events were lost. */
void event_lost_print(FILE *f, bool json);

/*
 * Where datagrams come from: > 0 bytes in @buf, 0 to stop (a signal), -1
 * with errno set (ENOBUFS: events were lost, the source goes on).
 */
typedef ssize_t (*monitor_recv_fn)(void *src, void *buf, size_t size);

struct monitor {
	FILE *out;
	FILE *warn;		/* malformed events are told here, if set */
	bool json;
	uint16_t family;	/* kipsec's generic netlink id */
	unsigned long events;	/* lines printed, "events lost" included */
	unsigned long lost;	/* ENOBUFS seen */
	unsigned long malformed;
};

/* Prints every event of @buf; -1 (errno set) if @out fails. */
int monitor_datagram(struct monitor *m, const void *buf, size_t len);
/* Until @recv says stop (0) or fails otherwise than ENOBUFS/EINTR (-1). */
int monitor_loop(struct monitor *m, monitor_recv_fn recv, void *src,
		 void *buf, size_t size, struct nl_err *e);

/* At most this many datagrams are read after the signal to stop. */
#define MONITOR_DRAIN_MAX	100000

/* The real source: the events socket and a descriptor for the signals. */
struct monitor_src {
	int sock;
	int sig;		/* readable: stop */
	bool stopping;
	unsigned long drained;
};

ssize_t monitor_sock_recv(void *src, void *buf, size_t size);

#endif /* IPSECCTL_MONITOR_H */
