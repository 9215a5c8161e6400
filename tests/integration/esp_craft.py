#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ESP (RFC 4303) transport-mode packets built in Python, good and bad, sent
from one network namespace to another, with proof of what was delivered
and of what the receiver counted.

    esp_craft.py serve RX TX

RX is the namespace under test (it receives), TX the peer (it sends and runs
no IPsec); both are `ip netns` names with a veth0 each.  One process holds,
in RX, UDP listeners on each of PORTS (IPv4 and IPv6), an AF_PACKET capture
of veth0 and a kipsec generic netlink socket, and in TX an AF_PACKET socket
that writes whole Ethernet frames on veth0, so every byte on the wire is
chosen here.  It reads one command a line on stdin and answers each with
one line:

    sa NAME src=A dst=A spi=N enc=ALG [key=0xHEX] [auth=ALG akey=0xHEX]
       [esn] [window=N]
        the sender's copy of an inbound SA of RX: aes-128/192/256-gcm
        (RFC 4106) or null with hmac-sha2-256 (RFC 4868, 16-byte ICV)
    pass SA CASE    CASE's packet must be delivered byte-exact
    drop SA CASE    a valid packet, CASE's packet, a valid marker through
                    SA: only the valid ones may be delivered
    capture off     close the capture (received packets are no longer
                    clones) and stop checking that frames arrived
    quiet SECONDS   nothing at all may be delivered meanwhile
    quit

`pass` and `drop` answer "ok N BYTES NS SA" or "fail: WHY".  N is the
number of ESP packets delivered, BYTES the length of their inner IP packets
together; NS and SA are the kipsec counters of RX and of the SA that moved
since the previous answer, "name+delta,..." sorted by name ("-": none; "?":
no kipsec in RX, as when checking against XFRM).  Every frame sent must show
up in RX's capture, so "not delivered" never means "never arrived".  The
marker after a dropped packet goes through the same SA, so the same crypto
transform, which keeps requests in order: once it is delivered, the dropped
packet has been dealt with and counted.

Cases (see CASES): good, to-PORT, clear-PORT, spi-N, src-ADDR, seq0,
trunc-2, trunc-spi, trunc-hdr, trunc-iv, trunc-icv, cut-icv, cut-1, icv,
flip-spi, flip-seq, flip-iv, flip-ct, flip-trailer, flip-icv, padlen,
padbytes, nh-tcp, dummy, empty, replay, too-old, frag, frag-rev, frag-flip,
esn-wrap, esn-wrong-hi.
"""
import ctypes
import hashlib
import hmac
import ipaddress
import os
import select
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kipsec_nl  # noqa: E402 (the test directory is not a package)

K = kipsec_nl.K
CLONE_NEWNET = 0x40000000
ETH_P_ALL, ETH_P_IP, ETH_P_IPV6 = 0x0003, 0x0800, 0x86DD
PACKET_HOST = 0
IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ESP, IPPROTO_NONE = 6, 17, 50, 59
IPV6_FRAGMENT = 44
PORTS = (5000, 5001, 6000, 7000)
SPORT = 4000
DELIVERY_TIMEOUT = 20.0		# the debug guest is slow
BIG = 3000			# payload bytes of a packet sent in fragments
FRAG = 1400			# IP payload bytes per fragment
ESN_TOP = 0xFFFFFFF0

AEAD_KEYS = {"aes-128-gcm": 16, "aes-192-gcm": 24, "aes-256-gcm": 32}
HMACS = {"hmac-sha2-256": (hashlib.sha256, 32, 16)}
SA_STATS = ("packets", "replay_drops", "integrity_failures", "other_drops")


class Fail(Exception):
    """A case did not behave: the reason goes back as "fail: ..."."""


class AesGcm:
    """AES-GCM sealing through OpenSSL's libcrypto, which hashlib has loaded
    already: importing python3-cryptography instead costs the debug guest
    most of a minute."""

    EVP_CTRL_GCM_GET_TAG = 0x10
    lib = None

    def __init__(self, key):
        if AesGcm.lib is None:
            AesGcm.lib = load_libcrypto()
        self.key = key
        self.cipher = {16: self.lib.EVP_aes_128_gcm,
                       24: self.lib.EVP_aes_192_gcm,
                       32: self.lib.EVP_aes_256_gcm}[len(key)]()

    def encrypt(self, nonce, plain, aad):
        """Ciphertext and 16-byte tag, as RFC 4106 ESP carries them."""
        lib = self.lib
        ctx = lib.EVP_CIPHER_CTX_new()
        if not ctx:
            raise MemoryError("EVP_CIPHER_CTX_new")
        try:
            out = ctypes.create_string_buffer(len(plain) + 16)
            tag = ctypes.create_string_buffer(16)
            n = ctypes.c_int(0)
            ok = lib.EVP_EncryptInit_ex(ctx, self.cipher, None, self.key,
                                        nonce) == 1
            ok = ok and lib.EVP_EncryptUpdate(ctx, None, ctypes.byref(n),
                                              aad, len(aad)) == 1
            ok = ok and lib.EVP_EncryptUpdate(ctx, out, ctypes.byref(n),
                                              plain, len(plain)) == 1
            done = n.value
            ok = ok and lib.EVP_EncryptFinal_ex(ctx, ctypes.byref(out, done),
                                                ctypes.byref(n)) == 1
            done += n.value
            ok = ok and lib.EVP_CIPHER_CTX_ctrl(
                ctx, self.EVP_CTRL_GCM_GET_TAG, 16, tag) == 1
            if not ok or done != len(plain):
                raise OSError("libcrypto AES-GCM failed")
            return out.raw[:done] + tag.raw
        finally:
            lib.EVP_CIPHER_CTX_free(ctx)


def load_libcrypto():
    lib = ctypes.CDLL("libcrypto.so.3")
    vp, cp, ip = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for name in ("EVP_aes_128_gcm", "EVP_aes_192_gcm", "EVP_aes_256_gcm",
                 "EVP_CIPHER_CTX_new"):
        getattr(lib, name).restype = vp
        getattr(lib, name).argtypes = []
    lib.EVP_CIPHER_CTX_free.argtypes = [vp]
    lib.EVP_EncryptInit_ex.argtypes = [vp, vp, vp, cp, cp]
    lib.EVP_EncryptUpdate.argtypes = [vp, vp, ctypes.POINTER(ip), cp, ip]
    lib.EVP_EncryptFinal_ex.argtypes = [vp, vp, ctypes.POINTER(ip)]
    lib.EVP_CIPHER_CTX_ctrl.argtypes = [vp, ip, ip, vp]
    return lib


def enter_netns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp(src, dst, sport, dport, data):
    length = 8 + len(data)
    if src.version == 4:
        pseudo = struct.pack("!4s4sxBH", src.packed, dst.packed,
                             IPPROTO_UDP, length)
    else:
        pseudo = struct.pack("!16s16sIxxxB", src.packed, dst.packed,
                             length, IPPROTO_UDP)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + data) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + data


def ip_hlen(addr):
    return 20 if addr.version == 4 else 40


def flip(data, off, bit=0x10):
    return data[:off] + bytes((data[off] ^ bit,)) + data[off + 1:]


class SA:
    """The sender's copy of one inbound SA of the receiver."""

    def __init__(self, name, words):
        opts = {}
        for w in words:
            k, _, v = w.partition("=")
            opts[k] = v
        self.name = name
        self.src = ipaddress.ip_address(opts["src"])
        self.dst = ipaddress.ip_address(opts["dst"])
        self.spi = int(opts["spi"], 0)
        self.enc = opts["enc"]
        self.esn = "esn" in opts
        self.window = int(opts.get("window", "128"), 0)
        self.next = 1
        key = bytes.fromhex(opts.get("key", "0x")[2:])
        if self.enc in AEAD_KEYS:
            if len(key) != AEAD_KEYS[self.enc] + 4:
                raise ValueError("%s needs a %d-byte key" %
                                 (self.enc, AEAD_KEYS[self.enc] + 4))
            self.aead = AesGcm(key[:-4])
            self.salt = key[-4:]
            self.iv_len, self.icv_len = 8, 16
        elif self.enc == "null" and opts.get("auth") in HMACS:
            self.digest, klen, self.icv_len = HMACS[opts["auth"]]
            self.akey = bytes.fromhex(opts.get("akey", "0x")[2:])
            if len(self.akey) != klen:
                raise ValueError("%s needs a %d-byte key" %
                                 (opts["auth"], klen))
            self.iv_len = 0
        else:
            raise ValueError("unsupported algorithms for " + name)

    def take(self):
        seq = self.next
        self.next += 1
        return seq

    def esp(self, seq, inner, nh, pad=None, padlen=None, spi=None,
            auth_seq=None, wrong_key=False):
        """ESP header, IV, payload and trailer encrypted, ICV.  @pad may be
        a function of the payload length; @auth_seq is the sequence number
        the ICV covers, if not @seq."""
        if callable(pad):
            pad = pad(len(inner))
        if pad is None:
            pad = bytes(range(1, (-(len(inner) + 2)) % 4 + 1))
        padlen = len(pad) if padlen is None else padlen
        spi = self.spi if spi is None else spi
        auth_seq = seq if auth_seq is None else auth_seq
        plain = inner + pad + bytes((padlen, nh))
        hdr = struct.pack("!II", spi, seq & 0xFFFFFFFF)
        # RFC 4303 2.2.1: the high half is authenticated, never sent
        hi = struct.pack("!I", auth_seq >> 32) if self.esn else b""
        lo = struct.pack("!I", auth_seq & 0xFFFFFFFF)
        spi_b = struct.pack("!I", spi)
        if self.iv_len:
            iv = struct.pack("!Q", seq)
            aead = AesGcm(os.urandom(len(self.aead.key))) if wrong_key \
                else self.aead
            # RFC 4106 5: the AAD is SPI, then the 64-bit ESN or the seq
            return hdr + iv + aead.encrypt(self.salt + iv, plain,
                                           spi_b + hi + lo)
        key = os.urandom(len(self.akey)) if wrong_key else self.akey
        icv = hmac.new(key, spi_b + lo + plain + hi, self.digest).digest()
        return hdr + plain + icv[:self.icv_len]

    def layout(self, esp):
        """Offsets of the parts of a well-formed @esp."""
        icv = len(esp) - self.icv_len
        return {"spi": 0, "seq": 4, "iv": 8, "ct": 8 + self.iv_len,
                "trailer": icv - 1, "icv": icv}


class Packet:
    """Frames to send and, if it is to be delivered, what the listener
    must receive: (family, dport, source address, sport, data)."""

    def __init__(self, frames, expect=None, inner_len=0):
        self.frames = frames
        self.expect = expect
        self.inner_len = inner_len	# 0: not ESP

    def copy(self):
        return Packet(list(self.frames), self.expect, self.inner_len)


class Counters:
    """RX's kipsec counters over generic netlink.  Each read reports what
    moved since the one before, so nothing between two cases goes
    unnoticed either."""

    def __init__(self):
        try:
            self.nl = kipsec_nl.Genl(K["KIPSEC_GENL_NAME"])
        except OSError:
            self.nl = None
        self.names = kipsec_nl.stats_names()
        self.last = {}
        if self.nl:
            self.last["ns"] = self.read_ns()

    def request(self, cmd, payload=b""):
        err, extack, replies = self.nl.request(K[cmd], payload)
        if err or not replies:
            raise Fail("%s: %s %s" % (cmd, os.strerror(err), extack))
        return kipsec_nl.parse_attrs(replies[0])

    def read_ns(self):
        top = self.request("KIPSEC_CMD_GET_STATS")
        out = {}
        for atype, v in kipsec_nl.parse_list(top[K["KIPSEC_A_STATS"]]):
            out[self.names.get(atype, str(atype))] = struct.unpack("=Q", v)[0]
        return out

    def read_sa(self, sa):
        req = kipsec_nl.nest(
            K["KIPSEC_A_SA"],
            kipsec_nl.attr(K["KIPSEC_A_SA_DST"], sa.dst.packed),
            kipsec_nl.u32(K["KIPSEC_A_SA_SPI"], sa.spi),
            kipsec_nl.u8(K["KIPSEC_A_SA_PROTO"], IPPROTO_ESP))
        top = self.request("KIPSEC_CMD_SA_GET", req)
        st = kipsec_nl.parse_attrs(kipsec_nl.parse_attrs(
            top[K["KIPSEC_A_SA"]])[K["KIPSEC_A_SA_STATS"]])
        return {f: struct.unpack("=Q", st[K["KIPSEC_A_SA_STATS_" +
                                            f.upper()]])[0]
                for f in SA_STATS}

    def add_sa(self, sa):
        if self.nl:
            self.last[sa.name] = self.read_sa(sa)

    def delta(self, key, now):
        before, self.last[key] = self.last[key], now
        moved = ["%s+%d" % (k, now[k] - before.get(k, 0))
                 for k in sorted(now) if now[k] != before.get(k, 0)]
        return ",".join(moved) or "-"

    def moved(self, sa):
        """"NS SA": the counters that moved since the last call."""
        if not self.nl:
            return "? ?"
        return "%s %s" % (self.delta("ns", self.read_ns()),
                          self.delta(sa.name, self.read_sa(sa)))


class Driver:
    def __init__(self, rx, tx):
        self.sas = {}
        self.ident = int.from_bytes(os.urandom(2), "big")
        self.serial = 0
        self.sent = []
        enter_netns(rx)
        self.listeners = {}
        for port in PORTS:
            for fam, any_addr in ((socket.AF_INET, "0.0.0.0"),
                                  (socket.AF_INET6, "::")):
                s = socket.socket(fam, socket.SOCK_DGRAM)
                if fam == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((any_addr, port))
                s.setblocking(False)
                self.listeners[s] = (4 if fam == socket.AF_INET else 6, port)
        self.cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                 socket.htons(ETH_P_ALL))
        self.cap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.cap.bind(("veth0", ETH_P_ALL))
        self.cap.setblocking(False)
        self.rx_mac = self.cap.getsockname()[4]
        self.counters = Counters()
        enter_netns(tx)
        self.tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        self.tx.bind(("veth0", 0))
        self.tx_mac = self.tx.getsockname()[4]

    # -- building packets --

    def ip(self, src, dst, proto, payload, frag=0):
        """Ethernet frames carrying @payload; @frag > 0 splits it into IP
        fragments of at most @frag payload bytes."""
        step = frag - frag % 8 if frag else max(len(payload), 1)
        chunks = [payload[i:i + step]
                  for i in range(0, len(payload), step)] or [b""]
        self.ident = (self.ident + 1) & 0xFFFF
        return [self.ip_frame(src, dst, proto, chunk, i * step // 8,
                              i < len(chunks) - 1, len(chunks) > 1)
                for i, chunk in enumerate(chunks)]

    def ip_frame(self, src, dst, proto, chunk, off, more, fragmented):
        if src.version == 4:
            hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk),
                              self.ident, off | more << 13, 64, proto, 0,
                              src.packed, dst.packed)
            hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
            return self.eth(ETH_P_IP, hdr + chunk)
        ext = b""
        if fragmented:
            ext = struct.pack("!BxHI", proto, off << 3 | more,
                              0x6b000000 | self.ident)
            proto = IPV6_FRAGMENT
        hdr = struct.pack("!IHBB16s16s", 6 << 28, len(ext) + len(chunk),
                          proto, 64, src.packed, dst.packed)
        return self.eth(ETH_P_IPV6, hdr + ext + chunk)

    def eth(self, ethertype, packet):
        return self.rx_mac + self.tx_mac + struct.pack("!H", ethertype) + \
            packet

    def data(self, case, sa, seq, size=None):
        """A payload no other packet has: its length varies the padding."""
        self.serial += 1
        head = ("%s %s seq %d #%d " % (case, sa.name, seq,
                                       self.serial)).encode()
        if size is None:
            return head + os.urandom(self.serial % 7)
        return head + os.urandom(max(0, size - len(head)))

    def esp_udp(self, case, sa, seq, dport=5000, frag=0, size=None,
                mutate=None, src=None, nh=IPPROTO_UDP, **esp_args):
        """ESP carrying UDP from @sa's source (or @src) to port @dport of
        its destination; @mutate(esp, layout) may change the ESP bytes."""
        src = sa.src if src is None else src
        data = self.data(case, sa, seq, size)
        inner = udp(src, sa.dst, SPORT, dport, data)
        esp = sa.esp(seq, inner, nh, **esp_args)
        if mutate:
            esp = mutate(esp, sa.layout(esp))
        return Packet(self.ip(src, sa.dst, IPPROTO_ESP, esp, frag),
                      (sa.dst.version, dport, src, SPORT, data),
                      ip_hlen(src) + len(inner))

    def valid(self, case, sa, seq=None, **kw):
        return self.esp_udp(case, sa, sa.take() if seq is None else seq, **kw)

    # -- sending and watching --

    def send(self, pkt):
        for f in pkt.frames:
            self.tx.send(f)
        if self.cap:
            self.sent.extend(pkt.frames)

    def received(self, timeout):
        """One datagram (family, port, address, sport, data), or None."""
        r, _, _ = select.select(list(self.listeners), [], [], timeout)
        if not r:
            return None
        fam, port = self.listeners[r[0]]
        data, addr = r[0].recvfrom(65536)
        return (fam, port, ipaddress.ip_address(addr[0]), addr[1], data)

    def await_delivery(self, pkt):
        got = self.received(DELIVERY_TIMEOUT)
        if got is None:
            raise Fail("not delivered: " + describe(pkt.expect))
        if got != pkt.expect:
            raise Fail("delivered %s while waiting for %s" %
                       (describe(got), describe(pkt.expect)))

    def check_nothing_delivered(self, timeout=0):
        got = self.received(timeout)
        if got is not None:
            raise Fail("delivered " + describe(got))

    def check_wire(self):
        """Every frame sent since the last call reached RX's veth0."""
        if not self.cap:
            return
        seen = []
        while True:
            try:
                frame, addr = self.cap.recvfrom(65536)
            except BlockingIOError:
                break
            if addr[2] == PACKET_HOST:
                seen.append(frame)
        sent, self.sent = self.sent, []
        i = 0
        for n, frame in enumerate(sent):
            while i < len(seen) and seen[i] != frame:
                i += 1
            if i == len(seen):
                raise Fail("frame %d of %d (%d bytes) not captured on "
                           "the receiver's veth0" % (n + 1, len(sent),
                                                     len(frame)))
            i += 1

    def capture_off(self):
        self.check_wire()
        self.cap.close()
        self.cap = None

    # -- cases --

    def run(self, verb, sa, case):
        """Sends the case; "N BYTES NS SA" as the module documents."""
        try:
            n, nbytes = self.run_case(verb == "pass", sa, case)
        except Fail:
            self.resync(sa)
            raise
        return "%d %d %s" % (n, nbytes, self.counters.moved(sa))

    def resync(self, sa):
        """After a failure: forget what is still coming, so that the next
        case is judged on its own."""
        while self.received(0.5) is not None:
            pass
        try:
            self.check_wire()
        except Fail:
            pass
        if self.counters.nl:
            self.counters.moved(sa)

    def deliver(self, pkt):
        self.send(pkt)
        self.await_delivery(pkt)
        return pkt.inner_len

    def run_case(self, want, sa, case):
        make, arg = find_case(case)
        # Anything left from before would be misread as this case's.
        self.check_nothing_delivered()
        self.check_wire()
        delivered = []
        if not want:
            delivered.append(self.deliver(self.valid(case, sa)))
        prelude, test = make(self, case, sa, *arg)
        for pkt in prelude:
            delivered.append(self.deliver(pkt))
        if want:
            if test.expect is None:
                raise Fail("case %s has nothing to deliver" % case)
            delivered.append(self.deliver(test))
        else:
            self.send(test)
            marker = self.valid(case + " marker", sa)
            delivered.append(self.deliver(marker))
        self.check_nothing_delivered()
        self.check_wire()
        esp = [n for n in delivered if n]
        return len(esp), sum(esp)


def describe(d):
    fam, port, addr, sport, data = d
    return "IPv%d %s:%d -> :%d %r" % (fam, addr, sport, port, data[:40])


# Each case returns (prelude, test): packets that must be delivered first,
# then the packet under test.  A case takes the sequence numbers it uses;
# one whose packet must not move the replay window leaves sa.next alone,
# so the marker that follows reuses it and is lost if the window moved.

def case_good(d, case, sa):
    return [], d.valid(case, sa)


def case_to(d, case, sa, port):
    return [], d.valid(case, sa, dport=int(port))


def case_clear(d, case, sa, port):
    data = d.data(case, sa, 0)
    payload = udp(sa.src, sa.dst, SPORT, int(port), data)
    return [], Packet(d.ip(sa.src, sa.dst, IPPROTO_UDP, payload),
                      (sa.dst.version, int(port), sa.src, SPORT, data))


def case_spi(d, case, sa, spi):
    return [], d.valid(case, sa, seq=sa.next, spi=int(spi, 0))


def case_src(d, case, sa, addr):
    return [], d.valid(case, sa, src=ipaddress.ip_address(addr))


def case_seq0(d, case, sa):
    return [], d.valid(case, sa, seq=0)


def keep(length):
    """Only the first bytes of the ESP header and what follows it;
    @length may be a function of the SA."""
    def make(d, case, sa):
        n = length(sa) if callable(length) else length
        return [], d.valid(case, sa, seq=sa.next,
                           mutate=lambda esp, lay: esp[:n])
    return make


def chop(n):
    """All but the last @n bytes: the receiver takes the wrong bytes for
    the ICV, or finds the length off the block size."""
    def make(d, case, sa):
        return [], d.valid(case, sa, seq=sa.next,
                           mutate=lambda esp, lay: esp[:-n])
    return make


def case_trunc_iv(d, case, sa):
    if not sa.iv_len:
        raise Fail(sa.enc + " has no IV")
    return keep(8 + sa.iv_len // 2)(d, case, sa)


def case_icv(d, case, sa):
    # Far ahead: a forged packet must not move the window.
    return [], d.valid(case, sa, seq=sa.next + 1000, wrong_key=True)


def flipper(part):
    """One bit flipped: in the SPI and the sequence number a high one (an
    SPI nobody uses, a sequence number far ahead of the window)."""
    bit = 0x40 if part in ("spi", "seq") else 0x10

    def make(d, case, sa):
        if part == "iv" and not sa.iv_len:
            raise Fail(sa.enc + " has no IV")
        return [], d.valid(case, sa, seq=sa.next,
                           mutate=lambda esp, lay: flip(esp, lay[part], bit))
    return make


def case_padlen(d, case, sa):
    return [], d.valid(case, sa, padlen=255)


def non_monotonic_pad(inner_len):
    """At least 4 pad bytes, aligned, the last two swapped: ..., n, n-1."""
    pad = list(range(1, (-(inner_len + 2)) % 4 + 5))
    pad[-2], pad[-1] = pad[-1], pad[-2]
    return bytes(pad)


def case_padbytes(d, case, sa):
    return [], d.valid(case, sa, pad=non_monotonic_pad)


def case_nh_tcp(d, case, sa):
    """The trailer says TCP, the payload is a UDP datagram."""
    pkt = d.valid(case, sa, nh=IPPROTO_TCP)
    return [], Packet(pkt.frames)


def case_dummy(d, case, sa):
    """Next header 59: RFC 4303 2.6's dummy packet, discarded."""
    pkt = d.valid(case, sa, nh=IPPROTO_NONE)
    return [], Packet(pkt.frames)


def case_empty(d, case, sa):
    esp = sa.esp(sa.take(), b"", IPPROTO_UDP)
    return [], Packet(d.ip(sa.src, sa.dst, IPPROTO_ESP, esp))


def case_replay(d, case, sa):
    first = d.valid(case, sa)
    return [first], first.copy()


def case_too_old(d, case, sa):
    old = sa.take()
    first = d.valid(case, sa, seq=old)
    sa.next = old + sa.window + 10
    ahead = d.valid(case, sa)
    return [first, ahead], d.valid(case, sa, seq=old + 1)


def case_frag(d, case, sa):
    return [], d.valid(case, sa, frag=FRAG, size=BIG)


def case_frag_rev(d, case, sa):
    pkt = d.valid(case, sa, frag=FRAG, size=BIG)
    pkt.frames.reverse()
    return [], pkt


def case_frag_flip(d, case, sa):
    """A bit flipped in the second fragment."""
    return [], d.valid(case, sa, seq=sa.next, frag=FRAG, size=BIG,
                       mutate=lambda esp, lay: flip(esp, FRAG + 100))


def case_esn_wrap(d, case, sa):
    """Across 2^32: the receiver must infer the high half."""
    if not sa.esn:
        raise Fail(sa.name + " is not an ESN SA")
    prelude = []
    if sa.next < 1000:
        # Until the window's top passes its size, a low half near 2^32
        # reads as the previous epoch (RFC 4303 A2.2).
        prelude.append(d.valid(case, sa, seq=1000))
    if sa.next < ESN_TOP:
        prelude.append(d.valid(case, sa, seq=ESN_TOP))
    sa.next = max(sa.next, (1 << 32) + 3)
    return prelude, d.valid(case, sa)


def case_esn_wrong_hi(d, case, sa):
    """Authenticated with the high half 0 where the receiver infers 1."""
    if sa.next <= 1 << 32:
        raise Fail("run esn-wrap first")
    return [], d.valid(case, sa, seq=sa.next, auth_seq=sa.next & 0xFFFFFFFF)


CASES = {
    "good": case_good,
    "to-": case_to,
    "clear-": case_clear,
    "spi-": case_spi,
    "src-": case_src,
    "seq0": case_seq0,
    "trunc-2": keep(2),
    "trunc-spi": keep(4),
    "trunc-hdr": keep(8),
    "trunc-iv": case_trunc_iv,
    "trunc-icv": keep(lambda sa: 8 + sa.iv_len + sa.icv_len // 2),
    "cut-icv": chop(4),
    "cut-1": chop(1),
    "icv": case_icv,
    "flip-spi": flipper("spi"),
    "flip-seq": flipper("seq"),
    "flip-iv": flipper("iv"),
    "flip-ct": flipper("ct"),
    "flip-trailer": flipper("trailer"),
    "flip-icv": flipper("icv"),
    "padlen": case_padlen,
    "padbytes": case_padbytes,
    "nh-tcp": case_nh_tcp,
    "dummy": case_dummy,
    "empty": case_empty,
    "replay": case_replay,
    "too-old": case_too_old,
    "frag": case_frag,
    "frag-rev": case_frag_rev,
    "frag-flip": case_frag_flip,
    "esn-wrap": case_esn_wrap,
    "esn-wrong-hi": case_esn_wrong_hi,
}


def find_case(case):
    """The case's function and its argument, if it takes one."""
    if case in CASES:
        return CASES[case], ()
    prefix, _, arg = case.partition("-")
    if prefix + "-" in CASES and arg:
        return CASES[prefix + "-"], (arg,)
    raise Fail("unknown case " + case)


def command(drv, words):
    verb = words[0]
    if verb == "sa" and len(words) >= 2:
        sa = SA(words[1], words[2:])
        drv.counters.add_sa(sa)
        drv.sas[sa.name] = sa
        return "ok"
    if verb in ("pass", "drop") and len(words) == 3:
        if words[1] not in drv.sas:
            raise Fail("unknown SA " + words[1])
        return "ok " + drv.run(verb, drv.sas[words[1]], words[2])
    if words == ["capture", "off"]:
        drv.capture_off()
        return "ok"
    if verb == "quiet" and len(words) == 2:
        drv.check_nothing_delivered(float(words[1]))
        return "ok"
    raise Fail("bad command: " + " ".join(words))


def serve(rx, tx):
    drv = Driver(rx, tx)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words == ["quit"]:
            break
        if not words:
            continue
        try:
            reply = command(drv, words)
        except (Fail, ValueError, KeyError, OSError) as e:
            reply = "fail: %s" % e
        print(reply, flush=True)


def main(argv):
    if len(argv) == 4 and argv[1] == "serve":
        serve(argv[2], argv[3])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
