#!/bin/bash
# ipsecctl export wireshark: tshark decrypts a capture of kipsec ESP with
# nothing but what the export printed.  Every algorithm Wireshark 4.0 can
# decrypt (with and without ESN) gets an SA per family a -> b, and one UDP
# datagram with a unique marker crosses each SA; with the export as its
# esp_sa table tshark must show each marker byte-exact as the UDP payload
# of that SA's packet, with a correct ICV (incorrect with ESN, as the
# export warns), and without it, none.  SAs Wireshark cannot decrypt
# (chacha20-poly1305, GMAC, AH) are comments that carry no key.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec: one SA a -> b per  |        | kipsec: the same SAs, one  |
#   | set and family, a policy   |        | inbound policy per port,   |
#   | per UDP port selecting it  |        | a UDP socket per port      |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |  ESP   |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; cleanup' EXIT

# What this suite checks is the export and Wireshark's reading of it; the
# kernel paths it uses (SA add, ESP output and input) run under KASAN and
# lockdep in esp.sh and conf.sh.  The debug kernel's time goes there.
[ "${KIPSEC_KERNEL:-stock}" = debug ] &&
	t_skip "export and tshark checks run on the stock kernel"
DECRYPT=(aes-128-gcm aes-192-gcm aes-256-gcm aes-128-cbc+hmac-sha2-256
	aes-192-cbc+hmac-sha1 aes-256-cbc+hmac-sha2-384
	3des-cbc+hmac-sha2-512 null+hmac-md5 aes-128-gcm+esn
	aes-256-cbc+hmac-sha2-256+esn)
OPAQUE=(chacha20-poly1305 aes-128-gmac)
SETS=("${DECRYPT[@]}" "${OPAQUE[@]}")
ADDRS=(10.0.0.1 10.0.0.2 fd00::1 fd00::2)
AH_SPI=$((0x3000))
WORK=$(mktemp -d)
# tshark reads its esp_sa table from here, and nothing of root's profile
export WIRESHARK_CONFIG_DIR=$WORK/profile HOME=$WORK
mkdir "$WIRESHARK_CONFIG_DIR"

# case I FAM: SPI, PORT and MARKER of set I in family FAM (0 IPv4, 2 IPv6).
# No dissector of Wireshark 4.0 claims UDP ports 40000..40100 (30030 is
# jmirror's), so the payload stays data.
case_of() {
	SPI=$((0x1000 + $1 * 4 + $2)) PORT=$((40000 + $1 * 4 + $2))
	MARKER=kipsec-wireshark-${SETS[$1]}-$2-$MARK_SALT
}
MARK_SALT=$RANDOM$RANDOM
# shellcheck disable=SC2034 # esp_stats fills it
declare -A ESP_STATS

# to_hex STRING: REPLY=its bytes in hex, as tshark prints data.data.
to_hex() {
	local i
	REPLY=
	for ((i = 0; i < ${#1}; i++)); do
		printf -v REPLY '%s%02x' "$REPLY" "'${1:i:1}"
	done
}

# sa_case I FAM: the SA of case I on both hosts, a's outbound and b's
# inbound policy for its port.
sa_case() {
	local x=${ADDRS[$2]} y=${ADDRS[$2 + 1]}
	case_of "$1" "$2"
	esp_sa kipsec a "${SETS[$1]}" "$x" "$y" "$SPI" &&
	esp_sa kipsec b "${SETS[$1]}" "$x" "$y" "$SPI" &&
	"$IPSECCTL" -n a policy add dir out src "$x" dst "$y" proto udp \
		dport "$PORT" action protect esp spi "$SPI" >/dev/null &&
	"$IPSECCTL" -n b policy add dir in src "$x" dst "$y" proto udp \
		dport "$PORT" action protect esp spi "$SPI" >/dev/null
}

# ws_cap_start: records b's veth0 whole (tshark needs the ICV) into
# $WORK/esp.pcap; returns once tcpdump listens.
ws_cap_start() {
	local i log
	: >"$WORK/tcpdump.log"
	ip netns exec b tcpdump -i veth0 -n -s 0 --immediate-mode -U \
		-w "$WORK/esp.pcap" 2>"$WORK/tcpdump.log" &
	CAP_PID=$!
	for ((i = 0; i < 200; i++)); do
		log=$(<"$WORK/tcpdump.log")
		t_has_line 'listening on' "$log" && return 0
		sleep 0.1
	done
	echo "tcpdump did not start: $log"
	return 1
}

ws_cap_stop() {
	sleep 1
	kill -TERM "$CAP_PID"
	wait "$CAP_PID"
	CAP_PID=
}

# send_markers < "ADDR PORT MARKER" lines: each marker in one datagram from
# a to b, received by a socket of b (so b sends no ICMP error quoting it);
# prints "PORT exact" or what arrived.  One process for all.
send_markers() {
	/usr/bin/python3 -c '
import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
def enter(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, 0x40000000):
        sys.exit("setns " + ns)
    os.close(fd)
def fam(a):
    return socket.AF_INET6 if ":" in a else socket.AF_INET
jobs = [l.split() for l in sys.stdin if l.strip()]
enter("b")
rx = []
for addr, port, m in jobs:
    s = socket.socket(fam(addr), socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(5)
    rx.append(s)
enter("a")
for (addr, port, m), r in zip(jobs, rx):
    t = socket.socket(fam(addr), socket.SOCK_DGRAM)
    t.sendto(m.encode(), (addr, int(port)))
    try:
        got = r.recv(4096)
    except socket.timeout:
        got = b""
    print(port, "exact" if got == m.encode() else "got %r" % got)
'
}

# tshark_fields: "SPI,ICV_GOOD,ICV_BAD,DATA" per ESP packet of the capture,
# with the esp_sa table of $WIRESHARK_CONFIG_DIR.
tshark_fields() {
	tshark -r "$WORK/esp.pcap" -Y esp -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE -T fields -E separator=, \
		-e esp.spi -e esp.icv_good -e esp.icv_bad -e data.data \
		2>"$WORK/tshark.err"
}

command -v tshark >/dev/null || t_skip "no tshark (tests/setup.sh installs it)"
load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours

ok=1
for i in "${!SETS[@]}"; do
	for fam in 0 2; do
		sa_case "$i" "$fam" || { ok=0; t_fail "SAs of ${SETS[i]} ($fam)"; }
	done
done
[ "$ok" = 1 ] && t_pass "SAs and policies of ${#SETS[@]} sets, IPv4 and IPv6"
ah_key=""
esp_key 32 $((AH_SPI * 4)) ah_key
t_check "an AH SA" "$IPSECCTL" -n a sa add src 10.0.0.1 dst 10.0.0.2 \
	proto ah spi "$AH_SPI" auth hmac-sha2-256 key "$ah_key"

# ---- the export ----------------------------------------------------------
export_a=$("$IPSECCTL" -n a export wireshark 2>&1)
t_eq "export wireshark -n a: exit status" "$?" 0
export_b=$("$IPSECCTL" -n b export wireshark 2>&1)
t_eq "export wireshark -n b: exit status" "$?" 0
# b has the same ESP SAs in the same order, and no AH SA
t_eq "-n b exports b's SAs: a's but the AH one" "$export_b" \
	"$(grep -v "proto ah spi" <<<"$export_a")"
t_eq "export with -s: the same" "$("$IPSECCTL" -s -n a export wireshark)" \
	"$export_a"
printf '%s\n' "$export_a" >"$WIRESHARK_CONFIG_DIR/esp_sa"

lines=0 comments=()
while IFS= read -r line; do
	case "$line" in
	'#'*) comments+=("$line") ;;
	*) lines=$((lines + 1)) ;;
	esac
done <<<"$export_a"
t_eq "one esp_sa line per decryptable SA" "$lines" $((${#DECRYPT[@]} * 2))
for i in "${!SETS[@]}"; do
	for fam in 0 2; do
		case_of "$i" "$fam"
		x=${ADDRS[fam]} y=${ADDRS[fam + 1]}
		id="src $x dst $y proto esp spi $(printf '0x%08x' "$SPI")"
		case "${SETS[i]}" in
		*+esn) want="# $id has esn: Wireshark decrypts it but reports its ICV as incorrect" ;;
		chacha20-poly1305 | aes-128-gmac)
			want="# skipped $id: Wireshark 4.0 cannot decode ESP with ${SETS[i]}" ;;
		*) continue ;;
		esac
		[[ " ${comments[*]} " == *" $want "* ]] && found=yes || found=no
		t_eq "comment: $want" "$found" yes
	done
done
want="# skipped src 10.0.0.1 dst 10.0.0.2 proto ah spi $(printf '0x%08x' "$AH_SPI"): AH does not encrypt: Wireshark shows it without keys"
[[ " ${comments[*]} " == *" $want "* ]] && found=yes || found=no
t_eq "comment: $want" "$found" yes

# the keys of what is skipped are nowhere (lib.sh derives them from SPIs)
leak=""
for i in "${!OPAQUE[@]}"; do
	for fam in 0 2; do
		case_of $((${#DECRYPT[@]} + i)) "$fam"
		esp_alg "${OPAQUE[i]}"
		esp_key "$ESP_ALG_KEYLEN" $((SPI * 4)) key
		[[ $export_a == *"${key#0x}"* ]] && leak+=" $SPI"
	done
done
[[ $export_a == *"${ah_key#0x}"* ]] && leak+=" ah"
t_eq "no key of a skipped SA in the export" "$leak" ""

# ---- traffic and capture -------------------------------------------------
jobs=""
for i in "${!SETS[@]}"; do
	for fam in 0 2; do
		case_of "$i" "$fam"
		jobs+="${ADDRS[fam + 1]} $PORT $MARKER"$'\n'
	done
done
if ws_cap_start; then
	out=$(send_markers <<<"$jobs" 2>&1)
	ws_cap_stop
	t_pass "capture on b"
else
	t_fail "capture on b"
	exit 1
fi
exact=0
while read -r _ verdict; do
	[ "$verdict" = exact ] && exact=$((exact + 1))
done <<<"$out"
t_eq "every datagram arrived byte-exact through kipsec" "$exact" \
	$((${#SETS[@]} * 2))
esp_stats kipsec b
got="" want=""
for i in "${!SETS[@]}"; do
	for fam in 0 2; do
		case_of "$i" "$fam"
		v=${ESP_STATS["b ${ADDRS[fam + 1]} $SPI"]:--}
		got+="${v%% *} "
		want+="1 "
	done
done
t_eq "b accepted one packet on each SA" "$got" "$want"

# on the wire the markers are in clear only without encryption
markers=() want=""
for i in "${!SETS[@]}"; do
	for fam in 0 2; do
		case_of "$i" "$fam"
		markers+=(-e "$MARKER")
		case "${SETS[i]}" in
		null+* | *-gmac) want+="$MARKER " ;;
		esac
	done
done
clear=$(grep -aoF "${markers[@]}" "$WORK/esp.pcap" | tr '\n' ' ')
t_eq "markers in clear on the wire: null's and GMAC's only" "$clear" "$want"

# ---- tshark --------------------------------------------------------------
declare -A SEEN
# parse_fields TEXT: SEEN[SPI]="GOOD BAD DATA" (0x-less lowercase SPI).
parse_fields() {
	local spi good bad data
	SEEN=()
	while IFS=, read -r spi good bad data; do
		[ -n "$spi" ] && SEEN[$((spi))]="${good:--} ${bad:--} ${data:--}"
	done <<<"$1"
}

mv "$WIRESHARK_CONFIG_DIR/esp_sa" "$WORK/esp_sa"
fields=$(tshark_fields)
t_eq "tshark without the export: exit status" "$?" 0
parse_fields "$fields"
got=0 plain=0
for v in "${SEEN[@]}"; do
	got=$((got + 1))
	[[ $v == *" -" ]] || plain=$((plain + 1))
done
t_eq "tshark without the export: every ESP packet, none decrypted" \
	"$got $plain" "$((${#SETS[@]} * 2)) 0"

mv "$WORK/esp_sa" "$WIRESHARK_CONFIG_DIR/esp_sa"
fields=$(tshark_fields)
t_eq "tshark with the export: exit status" "$?" 0
t_eq "tshark with the export: no complaint" \
	"$(grep -v 'Running as user' "$WORK/tshark.err")" ""
parse_fields "$fields"
for i in "${!SETS[@]}"; do
	for fam in 0 2; do
		case_of "$i" "$fam"
		to_hex "$MARKER"
		case "${SETS[i]}" in
		*+esn) want="0 1 $REPLY" ;;
		chacha20-poly1305 | aes-128-gmac) want="- - -" ;;
		*) want="1 0 $REPLY" ;;
		esac
		t_eq "tshark: ${SETS[i]} ${ADDRS[fam]} spi $SPI: ICV good, bad, UDP payload" \
			"${SEEN[$SPI]:-no packet}" "$want"
	done
done

rm -rf "$WORK"
t_done
