#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""pcapsum.py FILE: sums up the IP packets of a tcpdump capture (Ethernet,
classic pcap) as "KEY COUNT" lines for the suites to check:

  esp SRC>DST 0xSPI N      ESP datagrams (whole, or first fragments)
  frag SRC>DST PROTO N     IP fragments (first or not) carrying PROTO
  clear SRC>DST PROTO N    packets of any other protocol, fragments too
  df SRC>DST N             IPv4 datagrams or fragments with DF set
  maxlen SRC>DST N         the largest IP packet (header included)
  packets N                every frame, IP or not

PROTO is a name (esp, tcp, udp, icmp, ipv6-icmp) or the protocol number.
Only the headers are read: a short snap length is enough.
"""
import struct
import sys
from collections import Counter
from ipaddress import IPv4Address, IPv6Address

NAMES = {50: "esp", 51: "ah", 6: "tcp", 17: "udp", 1: "icmp",
         58: "ipv6-icmp"}
# IPv6 extension headers walked to find the upper protocol.
EXT = {0, 43, 60}


def pname(p):
    return NAMES.get(p, str(p))


def addr(raw):
    return str(IPv4Address(raw) if len(raw) == 4 else IPv6Address(raw))


# Counts are kept by raw header fields and named once at the end: a
# capture holds tens of thousands of packets and the guest is emulated.
def ipv4(pkt, out, maxlen):
    ihl = (pkt[0] & 15) * 4
    tot, frag, proto = struct.unpack("!H2xH1xB", pkt[2:10])
    pair = (pkt[12:16], pkt[16:20])
    if tot > maxlen.get(pair, 0):
        maxlen[pair] = tot
    if frag & 0x4000:
        out["df", pair, None] += 1
    offset, more = frag & 0x1fff, frag & 0x2000
    classify(out, pair, proto, pkt[ihl:ihl + 4], offset or more, offset == 0)


def ipv6(pkt, out, maxlen):
    plen, nh = struct.unpack("!HB", pkt[4:7])
    pair = (pkt[8:24], pkt[24:40])
    if plen + 40 > maxlen.get(pair, 0):
        maxlen[pair] = plen + 40
    rest = pkt[40:]
    fragment, first = False, True
    while rest:
        if nh in EXT and len(rest) >= 2:
            nh, rest = rest[0], rest[(rest[1] + 1) * 8:]
        elif nh == 44 and len(rest) >= 8:
            off = struct.unpack("!H", rest[2:4])[0]
            fragment, first = True, off >> 3 == 0
            nh, rest = rest[0], rest[8:]
        else:
            break
    classify(out, pair, nh, rest[:4], fragment, first)


def classify(out, pair, proto, spi, fragment, first):
    if fragment:
        out["frag", pair, proto] += 1
    if proto != 50:
        out["clear", pair, proto] += 1
    elif first and len(spi) == 4:
        out["esp", pair, spi] += 1


def main(path):
    out, maxlen, frames = Counter(), {}, 0
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    if struct.unpack(end + "I", data[20:24])[0] != 1:
        sys.exit("pcapsum.py: %s: not an Ethernet capture" % path)
    incl_len = struct.Struct(end + "I")
    pos = 24
    while pos + 16 <= len(data):
        incl = incl_len.unpack_from(data, pos + 8)[0]
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        frames += 1
        etype = frame[12:14]
        if etype == b"\x08\x00" and len(frame) >= 34:
            ipv4(frame[14:], out, maxlen)
        elif etype == b"\x86\xdd" and len(frame) >= 54:
            ipv6(frame[14:], out, maxlen)
    lines = ["packets %d" % frames]
    for (kind, pair, extra), n in out.items():
        name = "%s>%s" % (addr(pair[0]), addr(pair[1]))
        if kind == "esp":
            lines.append("esp %s 0x%x %d" % (name, int.from_bytes(extra, "big"), n))
        elif kind == "df":
            lines.append("df %s %d" % (name, n))
        else:
            lines.append("%s %s %s %d" % (kind, name, pname(extra), n))
    for pair, n in maxlen.items():
        lines.append("maxlen %s>%s %d" % (addr(pair[0]), addr(pair[1]), n))
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main(sys.argv[1])
