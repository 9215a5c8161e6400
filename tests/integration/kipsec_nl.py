#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for the kipsec family, independent of
ipsecctl: it sends exactly the bytes a test asks for (bad lengths, unknown
attributes, unknown flag bits), so the kernel's own validation is tested and
not the tool's.  Constants come from uapi/linux/kipsec.h itself.

    kipsec_nl.py bulk-sa N [FIRST_SPI]   add N ESP SAs in one process
    kipsec_nl.py bulk-policy N            add N outbound bypass policies
    kipsec_nl.py probe NAME               send one of the PROBES, print
                                          "errno: extack" or "ok"
    kipsec_nl.py probe-all                every probe, "NAME RESULT" each
    kipsec_nl.py stats                    the namespace counters, "name value"
                                          each (names from the uapi enum)
    kipsec_nl.py listen-acquire SECONDS [READY_FILE]
                                          join the "events" group (then
                                          create READY_FILE), print each
                                          ACQUIRE as one line of key=value,
                                          exit after SECONDS
"""
import errno
import os
import re
import socket
import struct
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UAPI = os.path.join(TOP, "uapi", "linux", "kipsec.h")

NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 7, 1, 2
NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK, SOL_NETLINK = 1, 11, 270
NLMSGERR_ATTR_MSG = 1


def load_uapi(path=UAPI):
    """Enum members and integer #defines of the uapi header, by name."""
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    consts = {}
    for body in re.findall(r"enum\s+\w+\s*{(.*?)};", text, flags=re.S):
        value = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            if expr.strip():
                value = eval_expr(expr, consts)
            consts[name] = value
            value += 1
    for name, expr in re.findall(r"#define\s+(KIPSEC_\w+)\s+(.+)", text):
        try:
            consts[name] = eval_expr(expr, consts)
        except (SyntaxError, NameError, TypeError, ValueError):
            consts[name] = expr.strip().strip('"')
    return consts


def eval_expr(expr, consts):
    expr = re.sub(r"(\d+)U\b", r"\1", " ".join(expr.split()))
    return int(eval(expr, {"__builtins__": {}}, dict(consts)))


K = load_uapi()


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def nest(atype, *children):
    return attr(atype | NLA_F_NESTED, b"".join(children))


def u8(atype, v):
    return attr(atype, struct.pack("=B", v))


def u16(atype, v):
    return attr(atype, struct.pack("=H", v))


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def u64(atype, v):
    return attr(atype, struct.pack("=Q", v))


def string(atype, s):
    return attr(atype, s.encode() + b"\0")


def parse_list(data):
    """(type, payload) of each attribute, in order, repeats kept."""
    out = []
    while len(data) >= 4:
        length, atype = struct.unpack_from("=HH", data)
        if length < 4:
            break
        out.append((atype & 0x3FFF, data[4:length]))
        data = data[(length + 3) & ~3:]
    return out


def parse_attrs(data):
    out = {}
    for atype, payload in parse_list(data):
        out.setdefault(atype, payload)
    return out


class Genl:
    def __init__(self, family=None):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        self.family = GENL_ID_CTRL
        self.groups = {}
        if family:
            err, _, replies = self.request(
                CTRL_CMD_GETFAMILY, string(CTRL_ATTR_FAMILY_NAME, family))
            if err:
                raise OSError(err, "family %s not found" % family)
            tlvs = parse_attrs(replies[0])
            self.family = struct.unpack_from("=H", tlvs[CTRL_ATTR_FAMILY_ID])[0]
            for _, grp in parse_list(tlvs.get(CTRL_ATTR_MCAST_GROUPS, b"")):
                grp = parse_attrs(grp)
                name = grp[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                self.groups[name] = struct.unpack_from(
                    "=I", grp[CTRL_ATTR_MCAST_GRP_ID])[0]

    def join(self, group):
        """Receive the family's multicast group (by name) from now on."""
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                             self.groups[group])

    def notifications(self, seconds):
        """(cmd, attribute blob) of each message of the family, until then."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(1 << 20)
            except socket.timeout:
                return
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                print("listen: receive buffer overrun, events lost",
                      file=sys.stderr)
                continue
            while len(data) >= 16:
                length, mtype = struct.unpack_from("=IH", data)
                msg, data = data[:length], data[(length + 3) & ~3:]
                if mtype == self.family and length >= 20:
                    yield msg[16], msg[20:]

    def send(self, cmd, payload, flags=NLM_F_ACK):
        self.seq += 1
        genl = struct.pack("=BBH", cmd, 1, 0)
        hdr = struct.pack("=IHHII", 16 + len(genl) + len(payload),
                          self.family, NLM_F_REQUEST | flags, self.seq, 0)
        self.sock.send(hdr + genl + payload)
        return self.seq

    def request(self, cmd, payload=b"", flags=NLM_F_ACK):
        """Returns (errno, extack message, [reply attribute blobs])."""
        seq = self.send(cmd, payload, flags)
        replies = []
        while True:
            data = self.sock.recv(1 << 20)
            while len(data) >= 16:
                length, mtype, mflags, mseq, _ = struct.unpack_from("=IHHII", data)
                msg, data = data[:length], data[(length + 3) & ~3:]
                if mseq != seq:
                    continue
                if mtype == NLMSG_DONE:
                    return 0, "", replies
                if mtype == NLMSG_ERROR:
                    return self.parse_error(msg, mflags, replies)
                replies.append(msg[20:])

    @staticmethod
    def parse_error(msg, mflags, replies):
        err = -struct.unpack_from("=i", msg, 16)[0]
        extack = ""
        # With NLM_F_CAPPED unset the whole request is echoed back.
        inner_len = struct.unpack_from("=I", msg, 20)[0]
        off = 20 + (16 if mflags & 0x100 else inner_len)
        tlvs = parse_attrs(msg[(off + 3) & ~3:])
        if NLMSGERR_ATTR_MSG in tlvs:
            extack = tlvs[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
        return err, extack, replies


def sa_attrs(spi, dst=b"\x0a\x00\x00\x02", src=b"\x0a\x00\x00\x01",
             enc=("aes-128-gcm", b"\x11" * 20)):
    return [
        attr(K["KIPSEC_A_SA_SRC"], src),
        attr(K["KIPSEC_A_SA_DST"], dst),
        u8(K["KIPSEC_A_SA_PROTO"], socket.IPPROTO_ESP),
        u32(K["KIPSEC_A_SA_SPI"], spi),
        string(K["KIPSEC_A_SA_ENC_ALG"], enc[0]),
        attr(K["KIPSEC_A_SA_ENC_KEY"], enc[1]),
    ]


def sa_add(spi, *extra, **kw):
    return nest(K["KIPSEC_A_SA"], *(sa_attrs(spi, **kw) + list(extra)))


def policy(*children):
    return nest(K["KIPSEC_A_POLICY"], *children)


def bypass_out(*extra):
    return policy(u8(K["KIPSEC_A_POLICY_DIR"], K["KIPSEC_DIR_OUT"]),
                  u8(K["KIPSEC_A_POLICY_ACTION"], K["KIPSEC_ACTION_BYPASS"]),
                  *extra)


# Requests the kernel must refuse, whatever the tool would have sent.
PROBES = {
    "sa-spi-reserved": ("SA_ADD", lambda: sa_add(255)),
    "sa-spi-zero": ("SA_ADD", lambda: sa_add(0)),
    "sa-spi-short": ("SA_ADD", lambda: nest(K["KIPSEC_A_SA"], *(
        sa_attrs(4096)[:3] + [u16(K["KIPSEC_A_SA_SPI"], 4096)] + sa_attrs(4096)[4:]))),
    "sa-addr-5-bytes": ("SA_ADD", lambda: sa_add(4097, dst=b"\x0a\x00\x00\x02\x00")),
    "sa-mixed-family": ("SA_ADD", lambda: sa_add(4098, dst=b"\xfd" + b"\0" * 14 + b"\x02")),
    "sa-unknown-attr": ("SA_ADD", lambda: sa_add(4099, u32(K["__KIPSEC_A_SA_MAX"], 1))),
    "sa-unknown-flag": ("SA_ADD", lambda: sa_add(4100, u32(K["KIPSEC_A_SA_FLAGS"], 1 << 31))),
    "sa-window-too-big": ("SA_ADD", lambda: sa_add(
        4101, u32(K["KIPSEC_A_SA_REPLAY_WINDOW"], K["KIPSEC_REPLAY_WINDOW_MAX"] + 1))),
    "sa-key-short": ("SA_ADD", lambda: sa_add(4102, enc=("aes-128-gcm", b"\x11" * 19))),
    "sa-key-long": ("SA_ADD", lambda: sa_add(4103, enc=("aes-128-gcm", b"\x11" * 21))),
    "sa-unknown-alg": ("SA_ADD", lambda: sa_add(4104, enc=("aes-128-ccm", b"\x11" * 20))),
    "sa-alg-unterminated": ("SA_ADD", lambda: nest(K["KIPSEC_A_SA"], *(
        sa_attrs(4105)[:4] + [attr(K["KIPSEC_A_SA_ENC_ALG"], b"aes-128-gcm")]
        + sa_attrs(4105)[5:]))),
    "sa-stats-readonly": ("SA_ADD", lambda: sa_add(
        4106, nest(K["KIPSEC_A_SA_STATS"], u64(K["KIPSEC_A_SA_STATS_PACKETS"], 1)))),
    "sa-missing-spi": ("SA_ADD", lambda: nest(K["KIPSEC_A_SA"], *(
        sa_attrs(4107)[:3] + sa_attrs(4107)[4:]))),
    "sa-no-nest": ("SA_ADD", lambda: b""),
    "top-unknown-attr": ("SA_ADD", lambda: sa_add(4108) + u32(K["__KIPSEC_A_MAX"], 1)),
    "top-unknown-request-flag": ("SA_GET", lambda: sa_add(4109) + u32(
        K["KIPSEC_A_REQUEST_FLAGS"], 1 << 30)),
    "policy-prefix-too-long": ("POLICY_ADD", lambda: bypass_out(
        attr(K["KIPSEC_A_POLICY_DST"], b"\x0a\0\0\0"),
        u8(K["KIPSEC_A_POLICY_DST_PREFIXLEN"], 33))),
    "policy-host-bits": ("POLICY_ADD", lambda: bypass_out(
        attr(K["KIPSEC_A_POLICY_DST"], b"\x0a\0\0\x01"),
        u8(K["KIPSEC_A_POLICY_DST_PREFIXLEN"], 24))),
    "policy-bad-dir": ("POLICY_ADD", lambda: policy(
        u8(K["KIPSEC_A_POLICY_DIR"], 7),
        u8(K["KIPSEC_A_POLICY_ACTION"], K["KIPSEC_ACTION_BYPASS"]))),
    "policy-bad-action": ("POLICY_ADD", lambda: policy(
        u8(K["KIPSEC_A_POLICY_DIR"], K["KIPSEC_DIR_OUT"]),
        u8(K["KIPSEC_A_POLICY_ACTION"], 9))),
    "policy-ports-without-proto": ("POLICY_ADD", lambda: bypass_out(
        u16(K["KIPSEC_A_POLICY_DPORT_MIN"], 80),
        u16(K["KIPSEC_A_POLICY_DPORT_MAX"], 80))),
    "policy-protect-without-template": ("POLICY_ADD", lambda: policy(
        u8(K["KIPSEC_A_POLICY_DIR"], K["KIPSEC_DIR_OUT"]),
        u8(K["KIPSEC_A_POLICY_ACTION"], K["KIPSEC_ACTION_PROTECT"]))),
    "policy-id-readonly-on-add": ("POLICY_ADD", lambda: bypass_out(
        u32(K["KIPSEC_A_POLICY_ID"], 77))),
    "stats-with-attr": ("GET_STATS", lambda: nest(
        K["KIPSEC_A_STATS"], u64(K["KIPSEC_A_STATS_IN_PACKETS"], 0))),
    "stats-unknown-attr": ("GET_STATS", lambda: u32(K["__KIPSEC_A_MAX"], 1)),
}


def probe_result(g, name):
    cmd, build = PROBES[name]
    err, extack, _ = g.request(K["KIPSEC_CMD_" + cmd], build())
    if err:
        return 1, "%s: %s" % (errno.errorcode.get(err, err), extack)
    return 0, "ok"


def probe(name):
    rc, text = probe_result(Genl(K["KIPSEC_GENL_NAME"]), name)
    print(text)
    return rc


def probe_all():
    """One line per probe: NAME RESULT (one process: cheap on slow guests)."""
    g = Genl(K["KIPSEC_GENL_NAME"])
    for name in PROBES:
        print(name, probe_result(g, name)[1])
    return 0


def bulk_sa(count, first_spi=0x10000):
    g = Genl(K["KIPSEC_GENL_NAME"])
    for i in range(count):
        err, extack, _ = g.request(K["KIPSEC_CMD_SA_ADD"], sa_add(first_spi + i))
        if err:
            print("SA %d: %s: %s" % (i, os.strerror(err), extack), file=sys.stderr)
            return 1
    return 0


def bulk_policy(count):
    """count outbound bypass policies, priorities in reverse order."""
    g = Genl(K["KIPSEC_GENL_NAME"])
    for i in range(count):
        dst = bytes([10, 100 + i // 256 // 256, i // 256 % 256, i % 256])
        err, extack, _ = g.request(K["KIPSEC_CMD_POLICY_ADD"], bypass_out(
            attr(K["KIPSEC_A_POLICY_DST"], dst),
            u32(K["KIPSEC_A_POLICY_PRIORITY"], count - i)))
        if err:
            print("policy %d: %s: %s" % (i, os.strerror(err), extack), file=sys.stderr)
            return 1
    return 0


def stats_names():
    """KIPSEC_A_STATS_IN_NO_SA -> "in-no-sa", by attribute type."""
    names = {}
    for name, value in K.items():
        m = re.fullmatch(r"KIPSEC_A_STATS_(\w+)", name)
        if m and m.group(1) not in ("UNSPEC", "PAD", "MAX"):
            names[value] = m.group(1).lower().replace("_", "-")
    return names


def stats():
    """Every counter of the reply, in attribute order, "name value" each."""
    g = Genl(K["KIPSEC_GENL_NAME"])
    err, extack, replies = g.request(K["KIPSEC_CMD_GET_STATS"])
    if err:
        print("stats: %s: %s" % (os.strerror(err), extack), file=sys.stderr)
        return 1
    names = stats_names()
    counters = parse_attrs(replies[0]).get(K["KIPSEC_A_STATS"]) if replies else None
    if counters is None:
        print("stats: no KIPSEC_A_STATS in the reply", file=sys.stderr)
        return 1
    for atype, payload in sorted(parse_list(counters)):
        if atype in names:
            print(names[atype], struct.unpack("=Q", payload)[0])
    return 0


def _addr(b):
    return socket.inet_ntop(socket.AF_INET if len(b) == 4 else socket.AF_INET6, b)


# ACQUIRE attributes in print order: (key, attribute, decoder).
ACQUIRE_FIELDS = [
    ("policy_id", "POLICY_ID", lambda b: struct.unpack("=I", b)[0]),
    ("src", "SRC", _addr),
    ("dst", "DST", _addr),
    ("proto", "PROTO", lambda b: b[0]),
    ("sport", "SPORT", lambda b: struct.unpack("=H", b)[0]),
    ("dport", "DPORT", lambda b: struct.unpack("=H", b)[0]),
    ("icmp_type", "ICMP_TYPE", lambda b: b[0]),
    ("icmp_code", "ICMP_CODE", lambda b: b[0]),
    ("tmpl_proto", "TMPL_PROTO", lambda b: b[0]),
    ("tmpl_mode", "TMPL_MODE", lambda b: b[0]),
    ("tmpl_spi", "TMPL_SPI", lambda b: struct.unpack("=I", b)[0]),
]


def acquire_line(blob):
    """key=value for each attribute the ACQUIRE has; absent ones left out."""
    tlvs = parse_attrs(parse_attrs(blob).get(K["KIPSEC_A_ACQUIRE"], b""))
    return " ".join("%s=%s" % (key, dec(tlvs[K["KIPSEC_A_ACQUIRE_" + a]]))
                    for key, a, dec in ACQUIRE_FIELDS
                    if K["KIPSEC_A_ACQUIRE_" + a] in tlvs)


def listen_acquire(seconds, ready=None):
    g = Genl(K["KIPSEC_GENL_NAME"])
    try:
        g.join(K["KIPSEC_MCGRP_EVENTS"])
    except OSError as e:
        print("listen: join %s: %s" % (K["KIPSEC_MCGRP_EVENTS"], e.strerror),
              file=sys.stderr)
        return 1
    if ready:
        open(ready, "w").close()
    for cmd, blob in g.notifications(seconds):
        if cmd == K["KIPSEC_CMD_ACQUIRE"]:
            print(acquire_line(blob), flush=True)
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "probe":
        return probe(argv[1])
    if len(argv) >= 2 and argv[0] == "bulk-sa":
        return bulk_sa(int(argv[1]), int(argv[2], 0) if len(argv) > 2 else 0x10000)
    if len(argv) >= 2 and argv[0] == "bulk-policy":
        return bulk_policy(int(argv[1]))
    if argv and argv[0] == "probe-all":
        return probe_all()
    if argv and argv[0] == "stats":
        return stats()
    if len(argv) >= 2 and argv[0] == "listen-acquire":
        return listen_acquire(float(argv[1]), argv[2] if len(argv) > 2 else None)
    if argv and argv[0] == "list-probes":
        print("\n".join(PROBES))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
