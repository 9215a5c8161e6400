#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""netxfer.py JOB...: moves data between network namespaces and prints
what was sent and what arrived, one line per job, for the suite to compare.

  tcp SRC_NS DST_NS ADDR PORT BYTES
      BYTES random bytes over one TCP connection from SRC_NS to ADDR:PORT
      in DST_NS; prints
      "tcp SRC>DST ADDR sent BYTES SHA256 received BYTES SHA256".
  udp SRC_NS DST_NS ADDR PORT SIZE[,SIZE...]
      one random datagram of each SIZE, each sent when the previous one
      arrived (or 5 s passed, or sending it failed); prints
      "udp SRC>DST ADDR sent N received M exact K" and a line
      "udp SRC>DST ADDR size S: WHAT" for each datagram lost or altered.

Every TCP job runs at once (both directions, both families: it is the load
the transforms see in real life); the UDP jobs run after them, one by one.
One process does it all: sockets are created inside each namespace with
setns(2) and keep it, so no `ip netns exec` per transfer (processes are
costly in the debug guest).

It runs on one CPU only.  Otherwise a TCP sender transmits both from its
own CPU and from the one that takes its ACKs; an emulated CPU can stall
between numbering an ESP packet and sending it while the other sends a
replay window's worth, and the receiver rightly drops the late packet:
the suites could not count packets exactly.
"""
import ctypes
import hashlib
import os
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000
TIMEOUT = float(os.environ.get("NETXFER_TIMEOUT", "300"))
libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (ns, os.strerror(err)))
    finally:
        os.close(fd)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def sock_in(ns, addr, kind):
    enter(ns)
    s = socket.socket(family(addr), kind)
    s.settimeout(TIMEOUT)
    return s


class Tcp:
    def __init__(self, src, dst, addr, port, nbytes):
        self.name = "tcp %s>%s %s" % (src, dst, addr)
        self.data = os.urandom(int(nbytes))
        self.listener = sock_in(dst, addr, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((addr, int(port)))
        self.listener.listen(1)
        self.client = sock_in(src, addr, socket.SOCK_STREAM)
        self.dest = (addr, int(port))
        self.got = 0
        self.digest = hashlib.sha256()
        self.error = None

    def send(self):
        try:
            self.client.connect(self.dest)
            self.client.sendall(self.data)
            self.client.shutdown(socket.SHUT_WR)
        except OSError as e:
            self.error = "send: %s" % e

    def receive(self):
        try:
            conn, _ = self.listener.accept()
            conn.settimeout(TIMEOUT)
            while True:
                buf = conn.recv(1 << 16)
                if not buf:
                    break
                self.got += len(buf)
                self.digest.update(buf)
            conn.close()
        except OSError as e:
            self.error = "receive: %s" % e

    def report(self):
        print("%s sent %d %s received %d %s%s" % (
            self.name, len(self.data), hashlib.sha256(self.data).hexdigest(),
            self.got, self.digest.hexdigest(),
            " error " + self.error if self.error else ""), flush=True)
        self.client.close()
        self.listener.close()


def udp(src, dst, addr, port, sizes):
    name = "udp %s>%s %s" % (src, dst, addr)
    rx = sock_in(dst, addr, socket.SOCK_DGRAM)
    rx.bind((addr, int(port)))
    rx.settimeout(5)
    tx = sock_in(src, addr, socket.SOCK_DGRAM)
    tx.connect((addr, int(port)))
    sizes = [int(s) for s in sizes.split(",")]
    got = exact = 0
    problems = []
    for size in sizes:
        data = os.urandom(size)
        try:
            tx.send(data)
        except OSError as e:
            problems.append("size %d: send: %s" % (size, e.strerror))
            continue
        try:
            buf = rx.recv(65536)
        except socket.timeout:
            problems.append("size %d: lost" % size)
            continue
        got += 1
        if buf == data:
            exact += 1
        else:
            problems.append("size %d: %d bytes arrived, not the ones sent" %
                            (size, len(buf)))
    print("%s sent %d received %d exact %d" % (name, len(sizes), got, exact))
    for p in problems:
        print("%s %s" % (name, p))
    sys.stdout.flush()
    tx.close()
    rx.close()


def main(argv):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    tcps, udps = [], []
    while argv:
        kind, args, argv = argv[0], argv[1:6], argv[6:]
        if kind not in ("tcp", "udp") or len(args) != 5:
            sys.exit("usage: netxfer.py {tcp|udp} SRC DST ADDR PORT "
                     "BYTES|SIZES ...")
        if kind == "tcp":
            tcps.append(Tcp(*args))
        else:
            udps.append(args)
    threads = []
    for t in tcps:
        for fn in (t.receive, t.send):
            th = threading.Thread(target=fn)
            th.start()
            threads.append(th)
    for th in threads:
        th.join()
    for t in tcps:
        t.report()
    for u in udps:
        udp(*u)


if __name__ == "__main__":
    main(sys.argv[1:])
