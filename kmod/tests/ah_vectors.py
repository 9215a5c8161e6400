#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""AH (RFC 4302) transport-mode known-answer packets for the kipsec-ah
KUnit suite (ah_test.c), computed here outside the kernel, and their check
against Linux XFRM.

    ah_vectors.py c       the C table of ah_test.c (struct ah_kat), on stdout
    ah_vectors.py check   recompute every vector, and the published ones
    ah_vectors.py xfrm [NAME]
                          as root in a test guest: every vector marked for
                          it (whose name has NAME) goes through XFRM
                          (net/ipv4/ah4.c, ah6.c)

The ICV follows ah4.c and ah6.c: the IPv4 TOS, flags and fragment offset,
TTL and checksum are zeroed, and the options ip_clear_mutable_options()
does not keep (security, 0x85, CIPSO, router alert, 0x95) are zeroed whole,
a loose or strict source route first lending its last address to the
destination when sending; the IPv6 traffic class, flow label and hop limit
are zeroed, the data of hop-by-hop and destination options whose type has
the "may change" bit (0x20), a home address option trades places with the
source when sending, and a routing header is rearranged as it arrives at
its final destination.  The AH ICV field is zero, and with ESN
the sequence number's high half follows the packet (RFC 4302 2.5.1).  GMAC
(RFC 4543 section 4, with erratum 3643) carries an 8-byte IV (here the
64-bit sequence number, big endian) before the 16-byte tag; the nonce is
the 4-byte salt (the last key bytes) and the IV, the AAD the whole packet,
IV included, tag zeroed.

The "xfrm" check (the vectors' provenance, beside the published ones):
two namespaces joined by a veth pair.  A packet marked "in" goes from the
sender, as an Ethernet frame written on its veth with AF_PACKET (every
byte is ours), to the receiver, which holds the XFRM state and a UDP
socket: XFRM must deliver the payload.  A packet marked "out" is sent in
clear from the sender through a raw socket under an XFRM state and policy;
what the receiver's AF_PACKET capture sees must be the vector, byte for
byte, or (XFRM zeroes only the ICV, and leaves in the padding after it
whatever those bytes held) the vector but for that padding, with the ICV
this code computes over it.

    ns ahv-tx (sender)                    ns ahv-rx (receiver)
    veth0 192.0.2.1 2001:db8::1  <---->  veth0 192.0.2.2 2001:db8::2
"""
import hashlib
import hmac
import os
import select
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "integration"))
# AES-GCM through libcrypto, the Internet checksum, entering a namespace.
from esp_craft import AesGcm, csum as checksum, enter_netns  # noqa: E402

AH_PROTO, UDP_PROTO = 51, 17
HOP, ROUTING, DEST = 0, 43, 60
V4_SRC, V4_DST = "192.0.2.1", "192.0.2.2"
V6_SRC, V6_DST = "2001:db8::1", "2001:db8::2"

# name: (hash, key bytes, ICV bytes, XFRM name)
HMACS = {
    "hmac-md5": (hashlib.md5, 16, 12, "hmac(md5)"),
    "hmac-sha1": (hashlib.sha1, 20, 12, "hmac(sha1)"),
    "hmac-sha2-256": (hashlib.sha256, 32, 16, "hmac(sha256)"),
    "hmac-sha2-384": (hashlib.sha384, 48, 24, "hmac(sha384)"),
    "hmac-sha2-512": (hashlib.sha512, 64, 32, "hmac(sha512)"),
}
GMACS = {"aes-128-gmac": 16, "aes-256-gmac": 32}


# ---- bytes ----

def unhex(s):
    return bytes.fromhex("".join(s.split()))


def key_bytes(seed, n):
    return bytes((seed + 11 * i) & 0xFF for i in range(n))


# ---- packets ----

def ipv4(payload, proto, src=V4_SRC, dst=V4_DST, opts=b"", tos=0,
         ident=0x1234, df=True, ttl=64):
    """An IPv4 packet; the options must fill whole words."""
    assert len(opts) % 4 == 0
    ihl = 5 + len(opts) // 4
    hdr = bytearray(struct.pack(
        "!BBHHHBBH4s4s", 0x40 | ihl, tos, 4 * ihl + len(payload), ident,
        0x4000 if df else 0, ttl, proto, 0, socket.inet_aton(src),
        socket.inet_aton(dst)) + opts)
    struct.pack_into("!H", hdr, 10, checksum(bytes(hdr)))
    return bytes(hdr) + payload


def ext_hdr(nexthdr, body):
    """An IPv6 extension header (hop-by-hop, destination or routing):
    next header, length in 8-octet units but the first, then @body, which
    must fill it."""
    assert (len(body) + 2) % 8 == 0
    return bytes([nexthdr, (len(body) + 2) // 8 - 1]) + body


def ipv6(payload, proto, exts=(), src=V6_SRC, dst=V6_DST, tc=0, flow=0,
         hlim=64):
    """An IPv6 packet; @exts are (type, body) in order."""
    chain, types = b"", [t for t, _ in exts] + [proto]
    for (_, body), nxt in zip(exts, types[1:]):
        chain += ext_hdr(nxt, body)
    hdr = struct.pack("!IHBB16s16s", 6 << 28 | tc << 20 | flow,
                      len(chain) + len(payload), types[0], hlim,
                      socket.inet_pton(socket.AF_INET6, src),
                      socket.inet_pton(socket.AF_INET6, dst))
    return hdr + chain + payload


def udp(family, src, dst, sport, dport, data):
    """A UDP datagram whose checksum covers @dst, the final destination."""
    length = 8 + len(data)
    if family == socket.AF_INET:
        pseudo = (socket.inet_aton(src) + socket.inet_aton(dst) +
                  struct.pack("!BBH", 0, UDP_PROTO, length))
    else:
        pseudo = (socket.inet_pton(socket.AF_INET6, src) +
                  socket.inet_pton(socket.AF_INET6, dst) +
                  struct.pack("!IxxxB", length, UDP_PROTO))
    seg = struct.pack("!HHHH", sport, dport, length, 0) + data
    csum = checksum(pseudo + seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", csum) + seg[8:]


def pad_opts(opts, unit, pad1, padn):
    """@opts padded to a multiple of @unit after a header of 2 bytes (IPv6
    option headers) with Pad1 or PadN."""
    n = -(len(opts) + 2) % unit
    if n == 1:
        return opts + bytes([pad1])
    if n:
        return opts + bytes([padn, n - 2]) + bytes(n - 2)
    return opts


def rt0(addrs, segments_left):
    """A type 0 routing header body (RFC 2460, as ah6.c reads any)."""
    return (bytes([0, segments_left]) + bytes(4) +
            b"".join(socket.inet_pton(socket.AF_INET6, a) for a in addrs))


# ---- where AH goes ----

def v6_exts(pkt, end=None):
    """(offset of the next header byte, type, offset, length) of each IPv6
    extension header, up to @end or the first other header."""
    out, nh_off, off = [], 6, 40
    while end is None or off < end:
        t = pkt[nh_off]
        if t not in (HOP, ROUTING, DEST):
            break
        length = (pkt[off + 1] + 1) * 8
        out.append((nh_off, t, off, length))
        nh_off, off = off, off + length
    return out, nh_off, off


def has_hao(pkt, off, length):
    for t, _, _ in tlvs(pkt, off, length):
        if t == 0xC9:
            return True
    return False


def out_hdr_off(pkt):
    """(AH offset, offset of the byte naming it): after the IPv4 header;
    for IPv6 as ip6_find_1stfragopt() (xfrm6_transport_output): after
    hop-by-hop and routing headers and the destination options before a
    routing header, or holding a home address."""
    if pkt[0] >> 4 == 4:
        return (pkt[0] & 15) * 4, 9
    nh_off, off, rh = 6, 40, False
    while True:
        t = pkt[nh_off]
        if t == ROUTING:
            rh = True
        elif t == DEST:
            if rh and not has_hao(pkt, off, (pkt[off + 1] + 1) * 8):
                return off, nh_off
        elif t != HOP:
            return off, nh_off
        nh_off, off = off, off + (pkt[off + 1] + 1) * 8


# ---- mutable fields ----

V4_IMMUTABLE = (0x82, 0x85, 0x86, 0x94, 0x95)  # ah4.c's list


def zero_v4(buf, output):
    """ah4.c: base header fields, then ip_clear_mutable_options()."""
    buf[1] = 0
    buf[6:9] = b"\0\0\0"
    buf[10:12] = b"\0\0"
    off, end = 20, (buf[0] & 15) * 4
    while off < end:
        t = buf[off]
        if t == 0:
            return
        if t == 1:
            off += 1
            continue
        n = buf[off + 1]
        assert 2 <= n <= end - off, "bad IPv4 option"
        if t not in V4_IMMUTABLE:
            if output and t in (0x83, 0x89):	# LSRR, SSRR
                buf[16:20] = buf[off + n - 4:off + n]
            buf[off:off + n] = bytes(n)
        off += n


def tlvs(buf, off, length):
    """(type, data offset, data length) of the options of an IPv6 option
    header at @off."""
    out, p = [], off + 2
    while p < off + length:
        if buf[p] == 0:
            p += 1
            continue
        out.append((buf[p], p + 2, buf[p + 1]))
        p += 2 + buf[p + 1]
    assert p == off + length, "bad IPv6 options"
    return out


def zero_v6(buf, end, output):
    """ah6.c: base header fields, then ipv6_clear_mutable_options() over
    the headers before AH."""
    buf[0] &= 0xF0
    buf[1:4] = b"\0\0\0"
    buf[7] = 0
    for _, t, off, length in v6_exts(buf, end)[0]:
        if t in (HOP, DEST):
            if t == DEST and output:
                swap_hao(buf, off, length)
            for typ, doff, dlen in tlvs(buf, off, length):
                if typ & 0x20:
                    buf[doff:doff + dlen] = bytes(dlen)
        else:
            rearrange_rthdr(buf, off)


def swap_hao(buf, off, length):
    """ipv6_rearrange_destopt() (CONFIG_IPV6_MIP6): the home address and
    the source trade places."""
    for typ, doff, dlen in tlvs(buf, off, length):
        if typ == 0xC9 and dlen == 16:
            home = bytes(buf[doff:doff + 16])
            buf[doff:doff + 16] = buf[8:24]
            buf[8:24] = home


def rearrange_rthdr(buf, off):
    """ipv6_rearrange_rthdr(): the addresses as at the final destination,
    whatever the routing type."""
    left, segments = buf[off + 3], buf[off + 1] >> 1
    if not left:
        return
    assert left <= segments
    addrs = [bytes(buf[off + 8 + 16 * i:off + 24 + 16 * i])
             for i in range(segments)]
    final = addrs[-1]
    first = segments - left
    addrs[first + 1:] = addrs[first:segments - 1]
    addrs[first] = bytes(buf[24:40])
    buf[24:40] = final
    buf[off + 3] = 0
    buf[off + 8:off + 8 + 16 * segments] = b"".join(addrs)


# ---- ICV ----

def alg_sizes(alg):
    """(IV bytes, ICV bytes)."""
    if alg in GMACS:
        return 8, 16
    return 0, HMACS[alg][2]


def icv(alg, key, pkt, ah_off, seq, esn, output):
    """The ICV of the AH packet @pkt (its ICV field ignored)."""
    iv_len, icv_len = alg_sizes(alg)
    buf = bytearray(pkt)
    icv_at = ah_off + 12 + iv_len
    buf[icv_at:icv_at + icv_len] = bytes(icv_len)
    if buf[0] >> 4 == 4:
        zero_v4(buf, output)
    else:
        zero_v6(buf, ah_off, output)
    data = bytes(buf) + (struct.pack("!I", seq >> 32) if esn else b"")
    if alg in GMACS:
        nonce = key[-4:] + pkt[ah_off + 12:ah_off + 20]
        return AesGcm(key[:-4]).encrypt(nonce, b"", data)
    h = HMACS[alg][0]
    return hmac.new(key, data, h).digest()[:icv_len]


def protect(clear, alg, key, spi, seq, esn=False, align=8, arrived=False):
    """@clear with AH inserted as the sender does: (packet, AH offset).
    @arrived: @clear is the packet as its final destination sees it, so
    the ICV is the one the receiver computes (which is the sender's when
    the routers did their part)."""
    ah_off, nh_off = out_hdr_off(clear)
    iv_len, icv_len = alg_sizes(alg)
    hlen = -(-(12 + iv_len + icv_len) // align) * align
    ah = struct.pack("!BBHII", clear[nh_off], hlen // 4 - 2, 0, spi,
                     seq & 0xFFFFFFFF)
    if iv_len:
        ah += struct.pack("!Q", seq)
    ah += bytes(hlen - len(ah))
    pkt = bytearray(clear[:ah_off] + ah + clear[ah_off:])
    pkt[nh_off] = AH_PROTO
    if pkt[0] >> 4 == 4:
        struct.pack_into("!H", pkt, 2, len(pkt))
        pkt[10:12] = b"\0\0"
        struct.pack_into("!H", pkt, 10, checksum(bytes(pkt[:ah_off])))
    else:
        struct.pack_into("!H", pkt, 4, len(pkt) - 40)
    mac = icv(alg, key, bytes(pkt), ah_off, seq, esn, not arrived)
    at = ah_off + 12 + iv_len
    pkt[at:at + icv_len] = mac
    return bytes(pkt), ah_off


def verify(pkt, ah_off, alg, key, seq, esn):
    """What the receiver computes matches the packet's ICV."""
    iv_len, icv_len = alg_sizes(alg)
    at = ah_off + 12 + iv_len
    return icv(alg, key, pkt, ah_off, seq, esn, False) == \
        pkt[at:at + icv_len]


def strip(pkt, ah_off, nh_off):
    """The packet without its AH header, lengths and checksum as the
    receiver leaves them."""
    hlen = (pkt[ah_off + 1] + 2) * 4
    out = bytearray(pkt[:ah_off] + pkt[ah_off + hlen:])
    out[nh_off] = pkt[ah_off]
    if out[0] >> 4 == 4:
        struct.pack_into("!H", out, 2, len(out))
        out[10:12] = b"\0\0"
        struct.pack_into("!H", out, 10, checksum(bytes(out[:ah_off])))
    else:
        struct.pack_into("!H", out, 4, len(out) - 40)
    return bytes(out)


# ---- the vectors ----

class Vec:
    """One known-answer packet.  @dirs: "out" (kipsec must produce
    @prot from @clear), "in" (kipsec must accept @prot and leave @clear).
    @xfrm: what was (or is to be) checked against XFRM, "in"/"out"."""

    def __init__(self, name, source, alg, key, spi, seq, clear=None,
                 prot=None, esn=False, align=8, dirs="in out", xfrm="",
                 ah_off=None, dport=None, arrived=False):
        self.name, self.source, self.alg, self.key = name, source, alg, key
        self.spi, self.seq, self.esn, self.align = spi, seq, esn, align
        self.dirs, self.xfrm, self.dport = dirs.split(), xfrm.split(), dport
        if prot is None:
            prot, ah_off = protect(clear, alg, key, spi, seq, esn, align,
                                   arrived)
        self.prot, self.ah_off = prot, ah_off
        self.family = 4 if prot[0] >> 4 == 4 else 6
        if self.family == 4:
            self.nh_off = 9
        else:
            self.nh_off = v6_exts(prot, ah_off)[1]
        self.clear = clear if clear is not None else strip(
            prot, ah_off, self.nh_off)


ODP = ("OpenDataPlane test/validation/api/ipsec/test_vectors.h %s "
       "(test_%s_ipv%d_ah_%s: SPI 123, seq 1)")
ODP_ICMP = (unhex("0800fb3712340000babe01234567cafe") + bytes(range(0x5C)))
ODP_V4 = ("192.168.111.2", "192.168.222.2")
ODP_V6 = ("2001:db8::211:43ff:fe4a:d70a", "2001:db8::16")
ODP_HBH = unhex("010001000100")	# three empty PadN
INDEP = "independent: kmod/tests/ah_vectors.py"


def odp_vectors():
    """The AH packets of OpenDataPlane's IPsec validation suite, bytes
    copied from test_vectors.h (transport mode, SPI 123, seq 1): rebuilt
    from their fields here and checked against the published bytes."""
    v4 = ipv4(ODP_ICMP, 1, *ODP_V4, ident=0, df=False)
    sha = unhex("""
        4500009c000000004033abd9c0a86f02c0a8de02 01050000 0000007b 00000001
        6c2ef71f7c7039a34a7701479e457351""")
    gmac = unhex("""
        450000a4000000004033abd1c0a86f02c0a8de02 01070000 0000007b 00000001
        0100000000000000 d60ecc2231795972 68c958fb8bb0bbd5""")
    v6 = ipv6(ODP_ICMP, 0x3A, [(HOP, ODP_HBH)], *ODP_V6)
    sha6 = unhex("""
        6000000000940040 20010db8000000000211 43fffe4ad70a
        20010db8000000000000000000000016 33000100010001 00
        3a060000 0000007b 00000001 d9148727201ac266c1ca992b8aae2f27
        00000000""")
    return [
        Vec("odp ipv4 hmac-sha2-256", ODP % ("pkt_ipv4_icmp_0_ah_sha256_1",
                                             "in", 4, "sha256"),
            "hmac-sha2-256", b"\x5a" * 32, 123, 1, clear=v4,
            prot=sha + ODP_ICMP, ah_off=20, dirs="in"),
        Vec("odp ipv4 aes-128-gmac",
            ODP % ("pkt_ipv4_icmp_0_ah_aes_gmac_128_1", "in", 4,
                   "aes_gmac_128") + ", salt cafebabe",
            "aes-128-gmac", b"\xa5" * 16 + unhex("cafebabe"), 123, 1,
            clear=v4, prot=gmac + ODP_ICMP, ah_off=20, dirs="in"),
        Vec("odp ipv6 hop-by-hop hmac-sha2-256",
            ODP % ("pkt_ipv6_icmp_0_ah_sha256_1", "in", 6, "sha256"),
            "hmac-sha2-256", b"\x5a" * 32, 123, 1, clear=v6,
            prot=sha6 + ODP_ICMP, ah_off=48, dirs="in"),
    ]


def v4_udp(data, port, **kw):
    return ipv4(udp(socket.AF_INET, V4_SRC, V4_DST, 4000, port, data),
                UDP_PROTO, **kw)


def v6_udp(data, port, **kw):
    return ipv6(udp(socket.AF_INET6, V6_SRC, V6_DST, 4000, port, data),
                UDP_PROTO, **kw)


# Router alert (kept), record route (room for 2, 1 used), NOP, timestamp
# (room for 2, empty): 28 bytes of options.
V4_OPTS = (unhex("94040000") + unhex("070b08") + unhex("c6336401") +
           bytes(4) + unhex("01") + unhex("440c0500") + bytes(8))
# The hop-by-hop header: router alert (not mutable), 0x3e (skip if
# unknown, mutable); the destination options: 0x1e (skip, not mutable),
# 0x3f (skip, mutable).
V6_HBH = pad_opts(unhex("05020000") + unhex("3e04a1a2a3a4"), 8, 0, 1)
V6_DOPT = pad_opts(unhex("1e04b1b2b3b4") + unhex("3f06c1c2c3c4c5c6"), 8,
                  0, 1)
RT_VIA = ("2001:db8:1::1", "2001:db8:2::1")
HOME = "2001:db8:99::1"


def independent():
    """Packets of our own: options, extension headers, every algorithm,
    ESN; XFRM is their reference where it has the algorithm."""
    vs = []
    data = b"kipsec AH test vector "

    def add(name, alg, seed, clear, **kw):
        kw.setdefault("xfrm", "in out")
        spi = kw.pop("spi", 0x1000 + len(vs))
        vs.append(Vec(name, INDEP, alg, key_bytes(seed, key_len(alg)), spi,
                      kw.pop("seq", 1), clear, **kw))

    port = 5000
    # IPv4 header options; TOS with ECN; 8-byte alignment as XFRM, then
    # RFC 4302's 4-byte one (XFRM with "flag align4").
    opts = v4_udp(data, port, opts=V4_OPTS, tos=0x2e, ttl=17)
    add("ipv4 options hmac-sha2-256", "hmac-sha2-256", 1, opts, seq=7,
        dport=port)
    add("ipv4 options hmac-sha2-256 align 4", "hmac-sha2-256", 2, opts,
        seq=7, align=4, dirs="in", dport=port)
    # A loose source route as sent: the final hop stands in for the
    # destination; the same as it arrives there (route used up, every
    # slot rewritten by the routers): the destination is itself.
    lsrr = unhex("01830b04c6336407c0000263")	# NOP, to 198.51.100.7, .99
    add("ipv4 lsrr hmac-sha1 sent", "hmac-sha1", 3,
        ipv4(udp(socket.AF_INET, V4_SRC, "192.0.2.99", 4000, port, data),
             UDP_PROTO, opts=lsrr), dirs="out", xfrm="out")
    used = unhex("01830b0cc6336401c6336402")
    add("ipv4 lsrr hmac-sha1 arrived", "hmac-sha1", 3,
        v4_udp(data, port, opts=used), dirs="in", xfrm="in", dport=port,
        arrived=True)
    add("ipv4 hmac-md5", "hmac-md5", 4, v4_udp(data, port, df=False),
        seq=0x2a, dport=port)
    add("ipv4 hmac-sha2-384 esn", "hmac-sha2-384", 5,
        v4_udp(data * 2, port), seq=(1 << 32) | 5, esn=True, dport=port)
    add("ipv4 hmac-sha2-512", "hmac-sha2-512", 6, v4_udp(data, port),
        seq=3, dport=port)
    # IPv6: options with and without the mutable bit in hop-by-hop and
    # destination headers; traffic class and flow label set.
    ext = v6_udp(data, port, exts=[(HOP, V6_HBH), (DEST, V6_DOPT)], tc=0xb8,
                 flow=0x12345, hlim=9)
    add("ipv6 hbh+dst hmac-sha2-256", "hmac-sha2-256", 7, ext, seq=2,
        dport=port)
    # A routing header with segments left: rearranged for the ICV, AH
    # after it, destination options after AH.  As it arrives: the
    # addresses in final order, nothing left.
    sent = ipv6(udp(socket.AF_INET6, V6_SRC, V6_DST, 4000, port, data),
                UDP_PROTO, [(HOP, V6_HBH), (ROUTING, rt0(RT_VIA[1:] +
                                                      (V6_DST,), 2)),
                            (DEST, V6_DOPT)], dst=RT_VIA[0])
    add("ipv6 routing hmac-sha2-512 sent", "hmac-sha2-512", 8, sent,
        spi=0x2000, xfrm="out")
    arrived = ipv6(udp(socket.AF_INET6, V6_SRC, V6_DST, 4000, port, data),
                   UDP_PROTO, [(HOP, V6_HBH), (ROUTING, rt0(RT_VIA, 0)),
                               (DEST, V6_DOPT)], hlim=62)
    add("ipv6 routing hmac-sha2-512 arrived", "hmac-sha2-512", 8, arrived,
        spi=0x2000, dirs="in", xfrm="in", dport=port, arrived=True)
    # A home address option (Mobile IPv6): XFRM's ah6.c swaps it with the
    # source for the ICV when sending (ipv6_rearrange_destopt).
    hao = (unhex("01020000") + unhex("c910") +	# PadN 2, 8n+6 alignment
           socket.inet_pton(socket.AF_INET6, HOME))
    add("ipv6 home address hmac-sha1 sent", "hmac-sha1", 15,
        v6_udp(data, port, exts=[(DEST, hao)]), dirs="out", xfrm="out")
    add("ipv6 hmac-sha1 esn", "hmac-sha1", 9, v6_udp(data, port),
        seq=(0xdeadbeef << 32) | 0xfffffffe, esn=True, dport=port)
    add("ipv6 hmac-md5", "hmac-md5", 10, v6_udp(data * 3, port), seq=1000,
        dport=port)
    add("ipv6 hmac-sha2-384", "hmac-sha2-384", 11, v6_udp(data, port),
        seq=12, dport=port)
    # GMAC: no XFRM to ask; the same code reproduces OpenDataPlane's
    # published packet.  IPv4 unpadded (RFC 4543 erratum 3643).
    add("ipv4 aes-128-gmac", "aes-128-gmac", 12,
        v4_udp(data, port, opts=V4_OPTS), seq=5, align=4, xfrm="")
    add("ipv4 aes-128-gmac esn", "aes-128-gmac", 13, v4_udp(data, port),
        seq=(2 << 32) | 1, esn=True, align=4, xfrm="")
    add("ipv6 hbh+dst aes-256-gmac", "aes-256-gmac", 14, ext, seq=9,
        xfrm="")
    return vs


def key_len(alg):
    if alg in GMACS:
        return GMACS[alg] + 4
    return HMACS[alg][1]


def vectors():
    return odp_vectors() + independent()


# ---- checks ----

def check():
    """Every vector again, receiver side; the ODP ones rebuilt from their
    fields must give the published bytes."""
    ok = True
    for v in vectors():
        good = True
        if "in" in v.dirs or v.source != INDEP:
            good = verify(v.prot, v.ah_off, v.alg, v.key, v.seq, v.esn)
        if v.source != INDEP and v.family == 6:
            again, _ = protect(v.clear, v.alg, v.key, v.spi, v.seq, v.esn,
                               8)
            good = good and again == v.prot
        print("%s: %s" % ("ok" if good else "FAIL", v.name))
        ok = ok and good
    # The sender's ICV of a routed packet is the receiver's of it arrived.
    vs = {v.name: v for v in vectors()}
    for sent, arrived in (("ipv6 routing hmac-sha2-512 sent",
                           "ipv6 routing hmac-sha2-512 arrived"),):
        a, b = vs[sent], vs[arrived]
        same = (a.prot[a.ah_off + 24:a.ah_off + 56] ==
                b.prot[b.ah_off + 24:b.ah_off + 56])
        print("%s: %s and %s share the ICV" % ("ok" if same else "FAIL",
                                               sent, arrived))
        ok = ok and same
    return ok


# ---- C ----

def c_table(out):
    out.write("/* Generated by kmod/tests/ah_vectors.py c: do not edit. */\n")
    out.write("static const struct ah_kat ah_kats[] = {\n")
    for v in vectors():
        out.write("\t{\n")
        out.write('\t\t.name = "%s",\n' % v.name)
        if v.family == 6:
            out.write("\t\t.family = AF_INET6,\n")
        out.write('\t\t.auth = "%s",\n' % v.alg)
        out.write('\t\t.key = "%s",\n' % v.key.hex())
        out.write("\t\t.spi = 0x%x,\n" % v.spi)
        if v.spi < 0x100:
            # kipsec takes no reserved SPI (RFC 4301 4.4.2.1); the SPI in
            # the packet is what the ICV covers.
            out.write("\t\t.sa_spi = 0x100,\n")
        out.write("\t\t.seq = 0x%x,\n" % v.seq)
        if v.esn:
            out.write("\t\t.flags = KIPSEC_SA_F_ESN,\n")
        out.write("\t\t.ah_off = %d,\n" % v.ah_off)
        out.write("\t\t.nh_off = %d,\n" % v.nh_off)
        dirs = " | ".join("KAT_" + d.upper() for d in v.dirs)
        out.write("\t\t.dirs = %s,\n" % dirs)
        out.write('\t\t.clear =\n\t\t\t"%s",\n' % v.clear.hex())
        out.write('\t\t.prot =\n\t\t\t"%s",\n' % v.prot.hex())
        out.write("\t},\n")
    out.write("};\n")


# ---- XFRM ----

TX, RX = "ahv-tx", "ahv-rx"
ETH_P_ALL = 0x0003


def sh(*argv):
    subprocess.run(argv, check=True)


def ns(name, *argv):
    sh("ip", "netns", "exec", name, *argv)


def topology():
    for n in (TX, RX):
        subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)
        sh("ip", "netns", "add", n)
    sh("ip", "link", "add", "veth0", "netns", TX, "type", "veth", "peer",
       "name", "veth0", "netns", RX)
    for n, a4, a6 in ((TX, V4_SRC, V6_SRC), (RX, V4_DST, V6_DST)):
        ns(n, "ip", "link", "set", "lo", "up")
        ns(n, "ip", "addr", "add", a4 + "/24", "dev", "veth0")
        ns(n, "ip", "addr", "add", a6 + "/64", "dev", "veth0", "nodad")
        ns(n, "ip", "link", "set", "veth0", "up")
        ns(n, "sysctl", "-qw", "net.ipv4.conf.all.accept_source_route=1",
           "net.ipv4.conf.veth0.accept_source_route=1")
    # Neighbours fixed: no resolution traffic in the captures.
    macs = {}
    for n in (TX, RX):
        out = subprocess.run(["ip", "netns", "exec", n, "cat",
                              "/sys/class/net/veth0/address"], check=True,
                             capture_output=True, text=True).stdout.strip()
        macs[n] = out
    for n, peer, a4, a6 in ((TX, RX, V4_DST, V6_DST),
                            (RX, TX, V4_SRC, V6_SRC)):
        ns(n, "ip", "neigh", "replace", a4, "lladdr", macs[peer], "dev",
           "veth0", "nud", "permanent")
        ns(n, "ip", "neigh", "replace", a6, "lladdr", macs[peer], "dev",
           "veth0", "nud", "permanent")
    # The sender's route to the IPv6 first hops of the routed vectors.
    ns(TX, "ip", "-6", "route", "add", "2001:db8:1::/48", "via", V6_DST)
    return macs


def xfrm_state(n, v, direction):
    """An XFRM state of @v in namespace @n: outbound its sequence number
    comes next, inbound its window has seen the one before."""
    fam = "-4" if v.family == 4 else "-6"
    src, dst = (V4_SRC, V4_DST) if v.family == 4 else (V6_SRC, V6_DST)
    _, _, icv_len, xname = HMACS[v.alg]
    argv = ["ip", fam, "xfrm", "state", "add", "src", src, "dst", dst,
            "proto", "ah", "spi", hex(v.spi), "mode", "transport",
            "auth-trunc", xname, "0x" + v.key.hex(), str(icv_len * 8)]
    prev = v.seq - 1
    if v.esn:
        argv += ["replay-window", "32"]
    if direction == "out":
        argv += ["replay-oseq", str(prev & 0xFFFFFFFF)]
        if v.esn:
            argv += ["replay-oseq-hi", str(prev >> 32)]
    else:
        argv += ["replay-seq", str(prev & 0xFFFFFFFF)]
        if v.esn:
            argv += ["replay-seq-hi", str(prev >> 32)]
    flags = (["esn"] if v.esn else []) + (["align4"] if v.align == 4
                                          else [])
    if flags:
        argv += ["flag"] + flags
    ns(n, *argv)


def flush():
    for n in (TX, RX):
        ns(n, "ip", "xfrm", "state", "flush")
        ns(n, "ip", "xfrm", "policy", "flush")


def frame(macs, v, pkt):
    ethertype = 0x0800 if v.family == 4 else 0x86DD
    return (bytes.fromhex(macs[RX].replace(":", "")) +
            bytes.fromhex(macs[TX].replace(":", "")) +
            struct.pack("!H", ethertype) + pkt)


def xfrm_in(macs, v):
    """XFRM in the receiver must deliver the payload of @v.prot."""
    xfrm_state(RX, v, "in")
    fam = socket.AF_INET if v.family == 4 else socket.AF_INET6
    enter_netns(RX)
    rx = socket.socket(fam, socket.SOCK_DGRAM)
    rx.bind(("", v.dport))
    enter_netns(TX)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind(("veth0", 0))
    tx.send(frame(macs, v, v.prot))
    ready, _, _ = select.select([rx], [], [], 3.0)
    got = rx.recv(4096) if ready else None
    rx.close()
    tx.close()
    want = v.clear[udp_off(v.clear) + 8:]
    return got == want, "delivered" if got == want else (
        "not delivered" if got is None else "delivered %r" % got)


def udp_off(pkt):
    if pkt[0] >> 4 == 4:
        return (pkt[0] & 15) * 4
    return v6_exts(pkt)[2]


def xfrm_out(macs, v):
    """XFRM in the sender must put @v.prot on the wire for @v.clear."""
    xfrm_state(TX, v, "out")
    src, dst = (V4_SRC, V4_DST) if v.family == 4 else (V6_SRC, V6_DST)
    fam = "-4" if v.family == 4 else "-6"
    ns(TX, "ip", fam, "xfrm", "policy", "add", "src", src, "dst",
       "0.0.0.0/0" if v.family == 4 else "::/0", "dir", "out", "tmpl",
       "src", src, "dst", dst, "proto", "ah", "mode", "transport")
    enter_netns(RX)
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                        socket.htons(ETH_P_ALL))
    cap.bind(("veth0", 0))
    enter_netns(TX)
    af = socket.AF_INET if v.family == 4 else socket.AF_INET6
    raw = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_RAW)
    # Routed to the peer whatever the header's destination (a first hop).
    raw.sendto(v.clear, (dst, 0))
    seen = None
    while select.select([cap], [], [], 3.0)[0]:
        f = cap.recv(65536)
        if f[14:15] and f[12:14] in (b"\x08\x00", b"\x86\xdd"):
            seen = f[14:]
            break
    cap.close()
    raw.close()
    if seen == v.prot:
        return True, "on the wire as the vector"
    if seen is None:
        return False, "nothing on the wire"
    # XFRM leaves in the padding after the ICV what the bytes held before
    # (ah4.c and ah6.c zero only the ICV), and hashes it: the packet must
    # then be the vector but for padding and ICV, and the ICV ours for
    # that padding.
    iv_len, icv_len = alg_sizes(v.alg)
    at = v.ah_off + 12 + iv_len
    end = v.ah_off + (v.prot[v.ah_off + 1] + 2) * 4
    if (len(seen) == len(v.prot) and end > at + icv_len and
            seen[:at] + seen[end:] == v.prot[:at] + v.prot[end:] and
            icv(v.alg, v.key, seen, v.ah_off, v.seq, v.esn, True) ==
            seen[at:at + icv_len]):
        return True, ("the vector but for XFRM's padding %s, whose ICV is "
                      "ours" % seen[at + icv_len:end].hex())
    i = next((i for i in range(min(len(seen), len(v.prot)))
              if seen[i] != v.prot[i]), min(len(seen), len(v.prot)))
    return False, "differs at byte %d: %s / want %s" % (
        i, seen.hex(), v.prot.hex())


def xfrm(only=""):
    macs = topology()
    ok = True
    for v in (v for v in vectors() if only in v.name):
        for d in v.xfrm:
            flush()
            good, why = (xfrm_in if d == "in" else xfrm_out)(macs, v)
            print("%s: xfrm %s %s: %s" % ("ok" if good else "FAIL", d,
                                          v.name, why), flush=True)
            ok = ok and good
    for n in (TX, RX):
        subprocess.run(["ip", "netns", "del", n])
    return ok


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "c":
        c_table(sys.stdout)
        return 0
    if what == "check":
        return 0 if check() else 1
    if what == "xfrm":
        return 0 if xfrm(" ".join(sys.argv[2:])) else 1
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
