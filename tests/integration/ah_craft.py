#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""AH (RFC 4302) transport-mode packets built in Python, good and bad, alone
or carrying ESP (an ESP+AH bundle), sent from one network namespace to
another, with proof of what was delivered and of what the receiver counted.

    ah_craft.py serve RX TX
    ah_craft.py pcapsum FILE

`serve` works as esp_craft.py's (whose sockets, ESP and AES-GCM code it
imports): RX is the namespace under test, TX a peer without IPsec that
writes whole Ethernet frames.  UDP listeners in RX on PORTS.  Commands,
one a line, each answered with one line:

    ah NAME src=A dst=A spi=N auth=ALG key=0xHEX [esn] [window=N]
       [port=N] [align=4|8]
        the sender's copy of an inbound AH SA of RX: hmac-sha1, hmac-md5,
        hmac-sha2-256/384/512 (ICV truncated to half the digest, 96 bits
        for SHA-1 and MD5) or aes-128/256-gmac (RFC 4543: 8-byte IV then
        16-byte tag in the ICV field, the key ends with the 4-byte salt)
    esp NAME ...    an ESP SA, esp_craft.py's `sa` words
    bundle NAME esp=ESP ah=AH [port=N]
        ESP inside, AH outside: AH's next header is ESP
    (port: where valid packets go, 5000 by default; align: the ICV
    field's, 8 by default, 4 for GMAC in IPv4, as XFRM and kipsec send)
    pass SA CASE, drop SA CASE, capture off, quiet SECONDS, quit
        as esp_craft.py; SA may be an AH SA, an ESP SA or a bundle

`pass` and `drop` answer "ok N BYTES NS SA..." or "fail: WHY": N packets
delivered, BYTES their length once AH (and ESP) are removed, NS the
namespace counters that moved, then one field per SA involved (an AH SA;
a bundle's AH SA then its ESP SA), "name+delta,..." or "-" ("?" without
kipsec in RX: checking the crafter against XFRM).

The ICV is computed as RFC 4302 3.3.3 says and net/ipv4/ah4.c and
net/ipv6/ah6.c do: over the IP header with its mutable fields zeroed (IPv4
TOS, flags and fragment offset, TTL, checksum; IPv6 traffic class, flow
label, hop limit), the AH header with the ICV and its padding zeroed, the
payload, then the high half of an extended sequence number.  GMAC takes
all that as associated data with the IV as sent (RFC 4543 4 puts the IV
in the ICV field as an input), the nonce being the salt then the IV.
Checked against XFRM's AH (ah-bad.sh with AH_RX=xfrm), but for GMAC,
which XFRM lacks.

`pcapsum FILE` sums up a capture as pcapsum.py does, AH aware:

  ah SRC>DST 0xSPI N             AH packets (whole, or first fragments)
  ahesp SRC>DST 0xAH 0xESP N     those of them whose next header is ESP
  esp SRC>DST 0xSPI N            bare ESP
  clear SRC>DST PROTO N          any other protocol, fragments too
  frag SRC>DST PROTO N, packets N
"""
import os
import struct
import sys

IPPROTO_UDP, IPPROTO_ESP, IPPROTO_AH = 17, 50, 51
IPV6_FRAGMENT = 44

# Loaded only by `serve`: `pcapsum` must start fast in the debug guest.
E = hashlib = hmac = ipaddress = None


def load_serve_modules():
    global E, hashlib, hmac, ipaddress
    import hashlib as _hashlib
    import hmac as _hmac
    import ipaddress as _ipaddress
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import esp_craft as _e
    E, hashlib, hmac, ipaddress = _e, _hashlib, _hmac, _ipaddress
    # esp_craft.Driver listens on these and runs these cases.
    _e.PORTS = PORTS
    _e.CASES = cases()


PORTS = (5000, 5001, 5002, 6000, 7000)


def hmacs():
    return {"hmac-sha1": (hashlib.sha1, 20, 12),
            "hmac-md5": (hashlib.md5, 16, 12),
            "hmac-sha2-256": (hashlib.sha256, 32, 16),
            "hmac-sha2-384": (hashlib.sha384, 48, 24),
            "hmac-sha2-512": (hashlib.sha512, 64, 32)}


GMACS = {"aes-128-gmac": 16, "aes-256-gmac": 32}


def fail(msg):
    raise E.Fail(msg)


class AhSA:
    """The sender's copy of one inbound AH SA of the receiver."""

    proto = IPPROTO_AH

    def __init__(self, name, words):
        opts = {}
        for w in words:
            k, _, v = w.partition("=")
            opts[k] = v
        self.name = name
        self.src = ipaddress.ip_address(opts["src"])
        self.dst = ipaddress.ip_address(opts["dst"])
        self.spi = int(opts["spi"], 0)
        self.auth = opts["auth"]
        self.esn = "esn" in opts
        self.window = int(opts.get("window", "128"), 0)
        self.port = int(opts.get("port", "5000"))
        self.next = 1
        self.key = bytes.fromhex(opts.get("key", "0x")[2:])
        if self.auth in hmacs():
            self.digest, klen, self.icv_len = hmacs()[self.auth]
            self.iv_len = 0
        elif self.auth in GMACS:
            klen = GMACS[self.auth] + 4
            self.iv_len, self.icv_len = 8, 16
        else:
            raise ValueError("unsupported algorithm " + self.auth)
        if len(self.key) != klen:
            raise ValueError("%s needs a %d-byte key" % (self.auth, klen))
        # What XFRM and kipsec send: 64-bit alignment (ah4.c without
        # "align4"), but GMAC in IPv4 (RFC 4543 erratum 3643: none).
        align = 4 if self.dst.version == 4 and self.iv_len else 8
        self.ah_len = self.aligned(int(opts.get("align", align)))

    def aligned(self, align):
        return -(-(12 + self.iv_len + self.icv_len) // align) * align

    def take(self):
        seq = self.next
        self.next += 1
        return seq

    def mac(self, data, iv, wrong_key=False):
        key = os.urandom(len(self.key)) if wrong_key else self.key
        if not self.iv_len:
            return hmac.new(key, data, self.digest).digest()[:self.icv_len]
        aead = E.AesGcm(key[:-4])
        return aead.encrypt(key[-4:] + iv, b"", data)

    def layout(self, hlen, ah_len):
        """Offsets in the IP packet of AH's fields and of the payload."""
        return {"nh": hlen, "len": hlen + 1, "res": hlen + 2,
                "spi": hlen + 4, "seq": hlen + 8, "iv": hlen + 12,
                "icv": hlen + 12 + self.iv_len,
                "pad": hlen + 12 + self.iv_len + self.icv_len,
                "payload": hlen + ah_len}


class Bundle:
    """ESP inside, AH outside, between the same addresses."""

    def __init__(self, name, esp, ah, port):
        if (esp.src, esp.dst) != (ah.src, ah.dst):
            raise ValueError("bundle %s: the SAs' addresses differ" % name)
        self.name, self.esp, self.ah, self.port = name, esp, ah, port
        self.src, self.dst = ah.src, ah.dst


def sas_of(sa):
    return [sa.ah, sa.esp] if isinstance(sa, Bundle) else [sa]


def ip4_header(total, ident, frag, ttl, tos, proto, src, dst):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, total, ident, frag, ttl,
                      proto, 0, src.packed, dst.packed)
    return hdr[:10] + struct.pack("!H", E.csum(hdr)) + hdr[12:]


def ip6_header(plen, nh, hlim, tclass, flow, src, dst):
    return struct.pack("!IHBB16s16s", 6 << 28 | tclass << 20 | flow, plen,
                       nh, hlim, src.packed, dst.packed)


def fix_csum4(pkt):
    hdr = pkt[:10] + b"\0\0" + pkt[12:20]
    return hdr[:10] + struct.pack("!H", E.csum(hdr)) + pkt[12:]


def counters_class():
    """esp_craft.py's counters, for AH SAs too and several SAs at once."""
    class AhCounters(E.Counters):
        def read_sa(self, sa):
            K, nl = E.K, E.kipsec_nl
            req = nl.nest(K["KIPSEC_A_SA"],
                          nl.attr(K["KIPSEC_A_SA_DST"], sa.dst.packed),
                          nl.u32(K["KIPSEC_A_SA_SPI"], sa.spi),
                          nl.u8(K["KIPSEC_A_SA_PROTO"], sa.proto))
            top = self.request("KIPSEC_CMD_SA_GET", req)
            st = nl.parse_attrs(nl.parse_attrs(
                top[K["KIPSEC_A_SA"]])[K["KIPSEC_A_SA_STATS"]])
            return {f: struct.unpack("=Q", st[K["KIPSEC_A_SA_STATS_" +
                                                f.upper()]])[0]
                    for f in E.SA_STATS}

        def moved(self, sa):
            """"NS SA...": a bundle's AH SA, then its ESP SA."""
            sas = sas_of(sa)
            if not self.nl:
                return " ".join(["?"] * (len(sas) + 1))
            out = [self.delta("ns", self.read_ns())]
            out += [self.delta(s.name, self.read_sa(s)) for s in sas]
            return " ".join(out)
    return AhCounters


def make_driver(rx, tx):
    # esp_craft.Driver opens the counters' netlink socket in RX.
    E.Counters = counters_class()

    class Driver(E.Driver):
        # -- building AH packets --

        def frames(self, pkt, frag):
            """Ethernet frames of the IP packet @pkt, in fragments of at
            most @frag payload bytes if @frag."""
            v4 = pkt[0] >> 4 == 4
            et = E.ETH_P_IP if v4 else E.ETH_P_IPV6
            hlen = 20 if v4 else 40
            body = pkt[hlen:]
            if not frag or len(body) <= frag:
                return [self.eth(et, pkt)]
            step = frag - frag % 8
            out = []
            for off in range(0, len(body), step):
                chunk = body[off:off + step]
                more = off + step < len(body)
                if v4:
                    hdr = bytearray(pkt[:20])
                    fl = struct.unpack("!H", hdr[6:8])[0] & 0x4000
                    hdr[2:4] = struct.pack("!H", 20 + len(chunk))
                    hdr[6:8] = struct.pack("!H", fl | more << 13 | off // 8)
                    frame = fix_csum4(bytes(hdr) + chunk)
                else:
                    nh = pkt[6]
                    ext = struct.pack("!BxHI", nh, off | more,
                                      0x6b000000 | self.ident)
                    hdr = bytearray(pkt[:40])
                    hdr[4:6] = struct.pack("!H", 8 + len(chunk))
                    hdr[6] = IPV6_FRAGMENT
                    frame = bytes(hdr) + ext + chunk
                out.append(self.eth(et, frame))
            return out

        def ah_ip(self, sa, src, seq, nh, payload, spi=None, auth_seq=None,
                  wrong_key=False, iv=None, mutate=None, frag=0, wire=None,
                  align=None):
            """The IP packet from @src carrying AH over @payload, its
            frames; @mutate(pkt, layout) changes bytes after the ICV,
            @wire(pkt) the IP header's mutable fields (checksum fixed);
            @align: the ICV field's padding, if not the SA's."""
            ah_len = sa.ah_len if align is None else sa.aligned(align)
            spi = sa.spi if spi is None else spi
            auth_seq = seq if auth_seq is None else auth_seq
            iv = os.urandom(sa.iv_len) if iv is None else iv
            self.ident = (self.ident + 1) & 0xFFFF
            hlen = 20 if src.version == 4 else 40
            ah_words = ah_len // 4 - 2
            head = struct.pack("!BBHII", nh, ah_words, 0, spi,
                               seq & 0xFFFFFFFF)
            zero_auth = bytes(ah_len - 12 - sa.iv_len)
            if src.version == 4:
                total = hlen + ah_len + len(payload)
                aad_ip = ip4_header(total, self.ident, 0, 0, 0, IPPROTO_AH,
                                    src, sa.dst)
                aad_ip = aad_ip[:10] + b"\0\0" + aad_ip[12:]
                ip = ip4_header(total, self.ident, 0, 64, 0, IPPROTO_AH,
                                src, sa.dst)
            else:
                plen = ah_len + len(payload)
                aad_ip = ip6_header(plen, IPPROTO_AH, 0, 0, 0, src, sa.dst)
                ip = ip6_header(plen, IPPROTO_AH, 64, 0, 0, src, sa.dst)
            hi = struct.pack("!I", auth_seq >> 32) if sa.esn else b""
            icv = sa.mac(aad_ip + head + iv + zero_auth + payload + hi,
                         iv, wrong_key)
            auth = icv + bytes(len(zero_auth) - len(icv))
            pkt = ip + head + iv + auth + payload
            if mutate:
                pkt = mutate(pkt, sa.layout(hlen, ah_len))
            if wire:
                pkt = wire(pkt)
            if src.version == 4:
                pkt = fix_csum4(pkt)
            return self.frames(pkt, frag)

        def ah_udp(self, case, sa, seq, dport=None, src=None, nh=None,
                   size=None, frag=0, **kw):
            """AH (or a bundle) carrying a UDP datagram to @dport (the
            SA's port by default)."""
            src = sa.src if src is None else src
            dport = sa.port if dport is None else dport
            data = self.data(case, sa, seq, size)
            inner = E.udp(src, sa.dst, E.SPORT, dport, data)
            hlen = E.ip_hlen(src)
            if isinstance(sa, Bundle):
                payload = sa.esp.esp(sa.esp.take(), inner, IPPROTO_UDP)
                frames = self.ah_ip(sa.ah, src, seq, IPPROTO_ESP, payload,
                                    frag=frag, **kw)
            else:
                frames = self.ah_ip(sa, src, seq,
                                    IPPROTO_UDP if nh is None else nh,
                                    inner, frag=frag, **kw)
            return E.Packet(frames, (sa.dst.version, dport, src, E.SPORT,
                                     data), hlen + len(inner))

        def valid(self, case, sa, seq=None, **kw):
            if isinstance(sa, E.SA):
                return super().valid(case, sa, seq, **kw)
            ah = sa.ah if isinstance(sa, Bundle) else sa
            return self.ah_udp(case, sa, ah.take() if seq is None else seq,
                               **kw)
    return Driver(rx, tx)


# -- cases: (prelude, test) as in esp_craft.py, whose cases that only
# ask d.valid() for packets serve AH and bundles as they are --

def need_ah(sa):
    if not isinstance(sa, AhSA):
        fail(sa.name + " is not an AH SA")
    return sa


def outer(sa):
    """The SA whose sequence number a packet of @sa carries outside."""
    return sa.ah if isinstance(sa, Bundle) else sa


def ah_only(make):
    """An esp_craft.py case that needs sa.next and the like: AH SAs."""
    return lambda d, case, sa, *arg: make(d, case, need_ah(sa), *arg)


def on_wire(fn):
    """A change of the IP header after the ICV: @fn(header bytearray)."""
    def make(d, case, sa):
        def wire(pkt):
            hdr = bytearray(pkt[:20 if pkt[0] >> 4 == 4 else 40])
            fn(hdr)
            return bytes(hdr) + pkt[len(hdr):]
        return [], d.valid(case, sa, wire=wire)
    return make


def set_ttl(hdr):
    hdr[8 if hdr[0] >> 4 == 4 else 7] = 7


def set_dscp(hdr):
    """DSCP EF and ECN CE; IPv6: a flow label as well."""
    if hdr[0] >> 4 == 4:
        hdr[1] = 46 << 2 | 3
    else:
        word = 6 << 28 | (46 << 2 | 3) << 20 | 0x12345
        hdr[0:4] = struct.pack("!I", word)


def set_df(hdr):
    if hdr[0] >> 4 == 4:
        hdr[6] |= 0x40


def case_align4(d, case, sa):
    """RFC 4302's 32-bit alignment in IPv4, which XFRM only takes with
    "align4" and kipsec takes as well."""
    sa = need_ah(sa)
    if sa.dst.version != 4:
        fail("IPv6 AH is aligned to 64 bits")
    return [], d.valid(case, sa, align=4)


def mutated(where, bit=0x10, **kw):
    """One bit flipped after the ICV at @where(sa, pkt, layout).  The
    sequence number stays where it is: a rejected packet must not move
    the window, so the marker that follows reuses it."""
    def make(d, case, sa):
        ah = outer(sa)

        def mutate(pkt, lay):
            return E.flip(pkt, where(ah, pkt, lay), bit)
        return [], d.valid(case, sa, seq=ah.next, mutate=mutate, **kw)
    return make


def field(part, off=0):
    return lambda ah, pkt, lay: lay[part] + off


def src_last(ah, pkt, lay):
    """The last byte of the source address: 10.0.0.3, fd00::3."""
    return 15 if ah.dst.version == 4 else 23


def ident(ah, pkt, lay):
    if ah.dst.version != 4:
        fail("IPv6 has no identification")
    return 5


def iv(ah, pkt, lay):
    if not ah.iv_len:
        fail(ah.auth + " has no IV")
    return lay["iv"]


def set_len(words):
    """AH's payload length set to @words(sa) after the ICV."""
    def make(d, case, sa):
        ah = outer(sa)

        def mutate(pkt, lay):
            o = lay["len"]
            return pkt[:o] + bytes((words(ah),)) + pkt[o + 1:]
        return [], d.valid(case, sa, seq=ah.next, mutate=mutate)
    return make


def keep_ah(length):
    """The IP packet cut @length(sa) bytes into AH (the IP header's length
    fields follow: the packet is short, not damaged)."""
    def make(d, case, sa):
        ah = need_ah(sa)
        n = length(ah) if callable(length) else length

        def mutate(pkt, lay):
            pkt = pkt[:lay["nh"] + n]
            if pkt[0] >> 4 == 4:
                return pkt[:2] + struct.pack("!H", len(pkt)) + pkt[4:]
            return pkt[:4] + struct.pack("!H", len(pkt) - 40) + pkt[6:]
        return [], d.valid(case, ah, seq=ah.next, mutate=mutate)
    return make


# Bundle cases: what a host that requires ESP then AH must refuse.

def need_bundle(sa):
    if not isinstance(sa, Bundle):
        fail(sa.name + " is not a bundle")
    return sa


def undelivered(pkt):
    return E.Packet(pkt.frames, None, pkt.inner_len)


def case_esp_only(d, case, sa):
    """Valid ESP through the bundle's ESP SA, no AH."""
    b = need_bundle(sa)
    return [], undelivered(d.valid(case, b.esp, dport=b.port))


def case_ah_only(d, case, sa):
    """Valid AH through the bundle's AH SA over the datagram, no ESP."""
    b = need_bundle(sa)
    return [], undelivered(d.valid(case, b.ah, dport=b.port))


def case_esp_over_ah(d, case, sa):
    """Both transforms, in the wrong order: ESP outside AH."""
    b = need_bundle(sa)
    inner = E.udp(b.src, b.dst, E.SPORT, b.port, d.data(case, b, 0))
    ah_frames = d.ah_ip(b.ah, b.src, b.ah.take(), IPPROTO_UDP, inner)
    # AH and what it carries, then ESP around them, in an IPv4 header
    # with the same identification: once ESP is gone, AH must verify.
    ah_pkt = ah_frames[0][14 + E.ip_hlen(b.src):]
    esp = b.esp.esp(b.esp.take(), ah_pkt, IPPROTO_AH)
    d.ident = (d.ident - 1) & 0xFFFF
    return [], E.Packet(d.ip(b.src, b.dst, IPPROTO_ESP, esp))


def case_bad_inner(d, case, sa):
    """Authentic AH over ESP with a forged ICV."""
    b = need_bundle(sa)
    inner = E.udp(b.src, b.dst, E.SPORT, b.port, d.data(case, b, 0))
    esp = b.esp.esp(b.esp.next + 1000, inner, IPPROTO_UDP, wrong_key=True)
    frames = d.ah_ip(b.ah, b.src, b.ah.take(), IPPROTO_ESP, esp)
    return [], E.Packet(frames)


def cases():
    """The case table, once esp_craft.py is loaded."""
    return {
        "good": E.case_good,
        "to-": E.case_to,
        "clear-": E.case_clear,
        "spi-": ah_only(E.case_spi),
        "src-": E.case_src,
        "seq0": ah_only(E.case_seq0),
        "ttl": on_wire(set_ttl),
        "dscp": on_wire(set_dscp),
        "df": on_wire(set_df),
        "align4": case_align4,
        "frag": E.case_frag,
        "frag-rev": E.case_frag_rev,
        "frag-flip": mutated(lambda ah, pkt, lay: E.FRAG + 200,
                             frag=E.FRAG, size=E.BIG),
        # Immutable fields and AH's own, after the ICV
        "flip-src": mutated(src_last, 0x01),
        "flip-ident": mutated(ident),
        "flip-nh": mutated(field("nh"), 0x04),
        "flip-res": mutated(field("res", 1), 0x01),
        "flip-spi": mutated(field("spi"), 0x40),
        "flip-seq": mutated(field("seq"), 0x40),
        "flip-iv": mutated(iv),
        "flip-icv": mutated(field("icv")),
        "flip-payload": mutated(field("payload", 12)),
        "flip-last": mutated(lambda ah, pkt, lay: len(pkt) - 1, 0x01),
        # Two words off: not the other alignment's length either
        "len-short": set_len(lambda ah: ah.ah_len // 4 - 4),
        "len-long": set_len(lambda ah: ah.ah_len // 4),
        "len-zero": set_len(lambda ah: 0),
        "len-255": set_len(lambda ah: 255),
        "trunc-2": keep_ah(2),
        "trunc-spi": keep_ah(8),
        "trunc-hdr": keep_ah(12),
        "trunc-icv": keep_ah(lambda ah: 12 + ah.iv_len + ah.icv_len // 2),
        "icv": ah_only(E.case_icv),
        "nh-tcp": ah_only(E.case_nh_tcp),
        "replay": ah_only(E.case_replay),
        "too-old": ah_only(E.case_too_old),
        "esn-wrap": ah_only(E.case_esn_wrap),
        "esn-wrong-hi": ah_only(E.case_esn_wrong_hi),
        "esp-only": case_esp_only,
        "ah-only": case_ah_only,
        "esp-over-ah": case_esp_over_ah,
        "bad-inner": case_bad_inner,
    }


def command(drv, words):
    verb = words[0]
    if verb in ("ah", "esp") and len(words) >= 2:
        if verb == "ah":
            sa = AhSA(words[1], words[2:])
        else:
            sa = E.SA(words[1], words[2:])
            sa.proto = IPPROTO_ESP
        drv.counters.add_sa(sa)
        drv.sas[sa.name] = sa
        return "ok"
    if verb == "bundle" and len(words) >= 4:
        opts = dict(w.partition("=")[::2] for w in words[2:])
        esp, ah = drv.sas.get(opts.get("esp")), drv.sas.get(opts.get("ah"))
        if not isinstance(esp, E.SA) or not isinstance(ah, AhSA):
            fail("bundle needs esp=ESP_SA ah=AH_SA")
        drv.sas[words[1]] = Bundle(words[1], esp, ah,
                                   int(opts.get("port", "5000")))
        return "ok"
    if verb in ("pass", "drop") and len(words) == 3:
        if words[1] not in drv.sas:
            fail("unknown SA " + words[1])
        return "ok " + drv.run(verb, drv.sas[words[1]], words[2])
    if words == ["capture", "off"]:
        drv.capture_off()
        return "ok"
    if verb == "quiet" and len(words) == 2:
        drv.check_nothing_delivered(float(words[1]))
        return "ok"
    fail("bad command: " + " ".join(words))


def serve(rx, tx):
    load_serve_modules()
    drv = make_driver(rx, tx)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words == ["quit"]:
            break
        if not words:
            continue
        try:
            reply = command(drv, words)
        except (E.Fail, ValueError, KeyError, OSError) as e:
            reply = "fail: %s" % e
        print(reply, flush=True)


# -- pcapsum --

NAMES = {50: "esp", 51: "ah", 6: "tcp", 17: "udp", 1: "icmp",
         58: "ipv6-icmp"}
EXT = {0, 43, 60}


def ntoa(raw):
    import socket
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else
                            socket.AF_INET6, raw)


def classify(out, pair, proto, rest, fragment, first):
    if fragment:
        out["frag", pair, proto] += 1
    if proto not in (IPPROTO_AH, IPPROTO_ESP):
        out["clear", pair, proto] += 1
    elif not first:
        pass
    elif proto == IPPROTO_ESP and len(rest) >= 4:
        out["esp", pair, rest[:4]] += 1
    elif proto == IPPROTO_AH and len(rest) >= 8:
        out["ah", pair, rest[4:8]] += 1
        inner = rest[(rest[1] + 2) * 4:]
        if rest[0] == IPPROTO_ESP and len(inner) >= 4:
            out["ahesp", pair, rest[4:8] + inner[:4]] += 1


def pcapsum(path):
    from collections import Counter
    out, frames = Counter(), 0
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    if struct.unpack(end + "I", data[20:24])[0] != 1:
        sys.exit("ah_craft.py: %s: not an Ethernet capture" % path)
    pos = 24
    while pos + 16 <= len(data):
        incl = struct.unpack_from(end + "I", data, pos + 8)[0]
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        frames += 1
        pkt = frame[14:]
        if frame[12:14] == b"\x08\x00" and len(pkt) >= 20:
            ihl = (pkt[0] & 15) * 4
            frag, proto = struct.unpack("!H1xB", pkt[6:10])
            off, more = frag & 0x1fff, frag & 0x2000
            classify(out, (pkt[12:16], pkt[16:20]), proto, pkt[ihl:],
                     bool(off or more), off == 0)
        elif frame[12:14] == b"\x86\xdd" and len(pkt) >= 40:
            nh, rest = pkt[6], pkt[40:]
            fragment, first = False, True
            while rest:
                if nh in EXT and len(rest) >= 2:
                    nh, rest = rest[0], rest[(rest[1] + 1) * 8:]
                elif nh == IPV6_FRAGMENT and len(rest) >= 8:
                    off = struct.unpack("!H", rest[2:4])[0]
                    fragment, first = True, off >> 3 == 0
                    nh, rest = rest[0], rest[8:]
                else:
                    break
            classify(out, (pkt[8:24], pkt[24:40]), nh, rest, fragment,
                     first)
    lines = ["packets %d" % frames]
    for (kind, pair, extra), n in out.items():
        name = "%s>%s" % (ntoa(pair[0]), ntoa(pair[1]))
        if kind in ("esp", "ah"):
            lines.append("%s %s 0x%x %d" % (kind, name,
                                            int.from_bytes(extra, "big"), n))
        elif kind == "ahesp":
            lines.append("ahesp %s 0x%x 0x%x %d" % (
                name, int.from_bytes(extra[:4], "big"),
                int.from_bytes(extra[4:], "big"), n))
        else:
            lines.append("%s %s %s %d" % (kind, name,
                                          NAMES.get(extra, str(extra)), n))
    print("\n".join(sorted(lines)))


def main(argv):
    if len(argv) == 4 and argv[1] == "serve":
        serve(argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "pcapsum":
        pcapsum(argv[2])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
