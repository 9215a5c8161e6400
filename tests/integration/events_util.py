#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""events_util.py: reads what `ipsecctl -j monitor` writes, one JSON object
a line, while it writes (a last line without its newline is not there yet).

  events_util.py start NS FILE [text]
      (in namespace NS) starts `$IPSECCTL -n NS -j monitor` (without -j:
      text), appending to FILE, its stderr to FILE.err; once it shows an
      event made after its start, empties FILE and prints its pid
  events_util.py mark FILE...
      (in that namespace) a config event that changes nothing, again every
      2 s until each monitor wrote one: every event before it is in FILE
  events_util.py send-udp SRC SPORT DST DPORT[,DPORT...] SECONDS
      datagrams from SRC:SPORT to each DPORT in turn, one a millisecond,
      for SECONDS (sends that fail, as on a dropping policy, included);
      prints how many and the seconds it took
  events_util.py show FILE FIELDS [MATCH...]
      for each event that has every MATCH, its FIELDS (comma-separated
      paths) as one line of space-separated values, in the file's order
  events_util.py wait [--ready RFILE] FILE SECONDS COUNT FIELDS [MATCH...]
      waits until COUNT events have every MATCH; for each, one line: the
      wall-clock time it was first seen, in microseconds since the epoch
      (as bash's ${EPOCHREALTIME/./}), then its FIELDS.  Exit 1 (after the
      lines seen so far) if fewer came within SECONDS.  RFILE is created
      once it watches: run in the background, it times events closely.

A path names a member, nested ones joined by dots ("sa.stats.packets"); a
MATCH is PATH=VALUE, or PATH!=VALUE.  Values print as JSON would but strings bare: true,
12, add_seconds; a missing member is "-".  A line that is no JSON object
("events lost" of the text mode) is the event "text:" + the line.
"""
import json
import os
import socket
import subprocess
import sys
import time

import kipsec_nl as nl

POLL = 0.05


def value(event, path):
    for key in path.split("."):
        if not isinstance(event, dict) or key not in event:
            return "-"
        event = event[key]
    return event if isinstance(event, str) else json.dumps(event)


def parse(line):
    try:
        event = json.loads(line)
    except ValueError:
        event = None
    return event if isinstance(event, dict) else {"event": "text:" + line}


class Reader:
    """The complete lines of a file that is still being written."""

    def __init__(self, path):
        self.f = open(path)
        self.rest = ""

    def events(self):
        data = self.rest + self.f.read()
        *lines, self.rest = data.split("\n")
        return [parse(line) for line in lines if line]


def matches(event, conds):
    return all((value(event, p) == v) != neg for p, neg, v in conds)


def fields_of(event, fields):
    return " ".join(value(event, p) for p in fields.split(",") if p)


def conditions(words):
    conds = []
    for word in words:
        path, sep, want = word.partition("=")
        if not sep:
            raise SystemExit("events_util.py: MATCH '%s' is no PATH=VALUE" % word)
        neg = path.endswith("!")
        conds.append((path.rstrip("!"), neg, want))
    return conds


def show(path, fields, words):
    conds = conditions(words)
    for event in Reader(path).events():
        if matches(event, conds):
            print(fields_of(event, fields))
    return 0


def wait(path, seconds, count, fields, words, ready=None):
    conds = conditions(words)
    reader = Reader(path)
    if ready:
        open(ready, "w").close()
    end = time.monotonic() + float(seconds)
    seen = 0
    while True:
        now = int(time.time() * 1e6)
        for event in reader.events():
            if matches(event, conds) and seen < int(count):
                seen += 1
                print(now, fields_of(event, fields), flush=True)
        if seen >= int(count):
            return 0
        if time.monotonic() > end:
            return 1
        time.sleep(POLL)


def marker():
    """SET_CONFIG without attributes: changes nothing, sends an event."""
    g = nl.Genl(nl.K["KIPSEC_GENL_NAME"])
    err, msg, _ = g.request(nl.K["KIPSEC_CMD_SET_CONFIG"],
                            nl.nest(nl.K["KIPSEC_A_CONFIG"]))
    if err:
        raise SystemExit("events_util.py: set config: %s %s"
                         % (os.strerror(err), msg))


def mark_seen(reader, before, seconds):
    """Whether a config event came within SECONDS (or `before` failed)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and before():
        if any(value(e, "event") == "config"
               or value(e, "event").startswith("text:config ")
               for e in reader.events()):
            return True
        time.sleep(POLL)
    return False


def start(ns, path, mode="json"):
    argv = [os.environ["IPSECCTL"], "-n", ns]
    argv += ["-j"] if mode == "json" else []
    with open(path, "a") as out, open(path + ".err", "w") as err:
        mon = subprocess.Popen(argv + ["monitor"], stdout=out, stderr=err,
                               stdin=subprocess.DEVNULL)
    reader = Reader(path)
    end = time.monotonic() + 30
    while time.monotonic() < end and mon.poll() is None:
        marker()
        if mark_seen(reader, lambda: mon.poll() is None, 1):
            os.truncate(path, 0)
            print(mon.pid)
            return 0
    mon.kill()
    print("events_util.py: the monitor did not start: %s"
          % open(path + ".err").read().strip(), file=sys.stderr)
    return 1


def mark(paths):
    """A monitor whose socket overflowed may lose the marker too: again."""
    readers = [Reader(path) for path in paths]
    for reader in readers:
        reader.f.seek(0, os.SEEK_END)
    end = time.monotonic() + 30
    waiting = list(zip(paths, readers))
    while waiting and time.monotonic() < end:
        marker()
        waiting = [(p, r) for p, r in waiting
                   if not mark_seen(r, lambda: True, 2)]
    for path, _ in waiting:
        print("events_util.py: the marker did not come to %s" % path,
              file=sys.stderr)
    return 1 if waiting else 0


def send_udp(src, sport, dst, dports, seconds):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    ports = [int(p) for p in dports.split(",")]
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((src, int(sport)))
    start = time.monotonic()
    end = start + float(seconds)
    sent = 0
    while time.monotonic() < end:
        try:
            sock.sendto(b"acquire", (dst, ports[sent % len(ports)]))
        except OSError:
            pass
        sent += 1
        time.sleep(0.001)
    print(sent, "%.3f" % (time.monotonic() - start))
    return 0


def main(argv):
    if len(argv) in (3, 4) and argv[0] == "start":
        return start(*argv[1:])
    if len(argv) >= 2 and argv[0] == "mark":
        return mark(argv[1:])
    if len(argv) == 6 and argv[0] == "send-udp":
        return send_udp(*argv[1:])
    if len(argv) >= 3 and argv[0] == "show":
        return show(argv[1], argv[2], argv[3:])
    if len(argv) >= 7 and argv[:2] == ["wait", "--ready"]:
        return wait(argv[3], argv[4], argv[5], argv[6], argv[7:], argv[2])
    if len(argv) >= 5 and argv[0] == "wait":
        return wait(argv[1], argv[2], argv[3], argv[4], argv[5:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
