#!/bin/bash
# ESP and the 1500-byte MTU: a ping with DF that just fits after ESP goes
# through and one byte more fails with an error naming that MTU; TCP bulk
# transfers use full-size packets that are never IP-fragmented; datagrams
# too big for one packet leave as IP fragments of ESP packets (never
# cleartext) and are reassembled before ESP on the way in, both ways.
# Then each way with SAs of its own overhead (a -> b AES-256-CBC with
# HMAC-SHA-512, b -> a AES-128-GCM), b on XFRM and then on kipsec: TCP
# both ways byte-exact, each way in the largest packets that fit its own
# SAs, no drop; and with a route MTU of 1400 from a to b, below the
# link's, TCP on a learns the MSS that fits from the drops and goes on.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec (ipsecctl)          |        | XFRM (ip xfrm), last kipsec|
#   | veth0 10.0.0.1/24  mtu 1500|--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |  ESP   |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
#
# ESP_A=xfrm runs XFRM on a as well (and b on XFRM only); KIPSEC_KERNEL=debug
# tests one SA set with 1 MB transfers and two overheads against XFRM only
# with 128 KiB, stock two sets with 4 MB and two overheads against XFRM
# and kipsec with 384 KiB; ESP_BYTES overrides the size, ESP_ASYM_BYTES
# that of the cases with two overheads.
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; cleanup' EXIT

A=${ESP_A:-kipsec}
# shellcheck disable=SC2034 # lib.sh fills them
declare -A ESP_STATS CAP
NETXFER=$(dirname "$0")/netxfer.py
CAPDIR=$(mktemp -d)

if [ "${KIPSEC_KERNEL:-stock}" = debug ]; then
	BYTES=${ESP_BYTES:-1048576}
	SETS=(aes-128-gcm)
	ASYM_BYTES=${ESP_ASYM_BYTES:-131072}
else
	BYTES=${ESP_BYTES:-4194304}
	# Different overheads: 4-byte alignment and an 8-byte IV against a
	# 16-byte block and IV.
	SETS=(aes-128-gcm aes-256-cbc+hmac-sha2-256)
fi
ASYM_BYTES=${ASYM_BYTES:-${ESP_ASYM_BYTES:-393216}}
# a -> b and b -> a: 8 bytes more header, 16 more ICV, 16-byte blocks.
ASYM_AB=aes-256-cbc+hmac-sha2-512
ASYM_BA=aes-128-gcm
# A transfer that stalls fails in a minute, not five.
export NETXFER_TIMEOUT=${NETXFER_TIMEOUT:-60}

# esp_geometry SET 4|6: IV, block size, ICV and IP header length.
esp_geometry() {
	IV=16 BLK=16 ICV=16 NET=20
	case "$1" in
	*gcm* | *gmac* | chacha20-poly1305) IV=8 BLK=4 ;;
	3des-cbc+*) IV=8 BLK=8 ;;
	null+*) IV=0 BLK=4 ;;
	esac
	case "$1" in
	*+hmac-sha1* | *+hmac-md5*) ICV=12 ;;
	*+hmac-sha2-384*) ICV=24 ;;
	*+hmac-sha2-512*) ICV=32 ;;
	esac
	[ "$2" = 6 ] && NET=40
}

# inner_mtu SET 4|6 [MTU]: the largest IP packet that ESP in transport
# mode still fits into MTU (1500) bytes: header (SPI, sequence number,
# IV), payload and its 2-byte trailer padded to the block size, ICV.
inner_mtu() {
	esp_geometry "$1" "$2"
	printf '%s' $(((("${3:-1500}" - 8 - IV - ICV - NET) & ~(BLK - 1)) + NET - 2))
}

# outer_len SET 4|6 LEN: the size of an IP packet of LEN bytes after ESP.
outer_len() {
	esp_geometry "$1" "$2"
	printf '%s' $((NET + 8 + IV + ((($3 - NET + 2) + BLK - 1) & ~(BLK - 1)) + ICV))
}

# stat NAME: one of a's kipsec namespace counters.
stat() {
	"$IPSECCTL" -n a -j stats | jq ".$1"
}

# no_fragments WHAT ADDR...: the capture has no IP fragment and no packet
# over 1500 bytes between any two of ADDRs, and no cleartext.
no_fragments() {
	local what=$1 key pair frags="" big="" addrs
	shift
	addrs=" $* "
	for key in "${!CAP[@]}"; do
		pair=${key#* }
		pair=${pair%% *}
		[[ $addrs == *" ${pair%>*} "* && $addrs == *" ${pair#*>} "* ]] || continue
		case "$key" in
		"frag "*) frags+="${key#frag }=${CAP[$key]} " ;;
		"maxlen "*) [ "${CAP[$key]}" -gt 1500 ] && big+="$pair=${CAP[$key]} " ;;
		esac
	done
	t_eq "$what: no IP fragments" "$frags" ""
	t_eq "$what: no packet over 1500 bytes" "$big" ""
	t_eq "$what: no cleartext" "$(cap_clear "$@")" ""
}

# df_pings SET X Y FAM: DF pings from a at the MTU and one byte over it.
df_pings() {
	local set=$1 x=$2 y=$3 fam=$4 mtu hdr=28 out before
	mtu=$(inner_mtu "$set" "$fam")
	[ "$fam" = 6 ] && hdr=48
	t_check "$set: a -> $y: DF ping of $mtu bytes (the MTU)" \
		ping_all a "$y" 1 -M "do" -s $((mtu - hdr))
	[ "$A" = kipsec ] && before=$(stat out_too_big)
	out=$(in_ns a ping -n -c 1 -W 2 -M "do" -s $((mtu - hdr + 1)) "$y" 2>&1)
	t_eq "$set: a -> $y: DF ping of $((mtu + 1)) bytes fails" \
		"$(t_has_line '^1 packets transmitted, 0 received' "$out" && echo lost)" lost
	# IPv4 ping says "mtu=N", IPv6 ping "mtu: N".
	if t_has_line "mtu[=:] ?$mtu([^0-9]|\$)" "$out"; then
		t_pass "$set: a -> $y: the error names mtu $mtu"
	elif [ "$A" = xfrm ] && [ "$fam" = 6 ]; then
		# Linux 6.1's XFRM checks no MTU in IPv6 transport mode.
		t_log "$set: a -> $y: XFRM gave no error: $out"
	else
		t_fail "$set: a -> $y: ping's error does not name mtu $mtu: $out"
	fi
	if [ "$A" = kipsec ]; then
		t_eq "$set: a -> $y: the packet over the MTU counted (out_too_big)" \
			$(($(stat out_too_big) - before)) 1
	fi
	t_check "$set: b -> $x: DF ping of $mtu bytes (the MTU)" \
		ping_all b "$x" 1 -M "do" -s $((mtu - hdr))
}

# esp_fragments WHAT SRC DST: the capture shows SRC -> DST as IP fragments
# of ESP packets (counted per fragment), at least two per datagram.
esp_fragments() {
	local n
	n=$(cap_n "frag $2>$3 esp")
	t_eq "$1: $2 -> $3 left as fragments of ESP ($n)" $((n >= 2 * $4)) 1
}

# sas_up SET SPI: SAs SPI, SPI+1 (IPv4 a -> b, b -> a), SPI+2, SPI+3 (IPv6)
# on both hosts.
sas_up() {
	local ns impl
	for ns in a b; do
		impl=$A
		[ "$ns" = b ] && impl=xfrm
		esp_sa "$impl" "$ns" "$1" 10.0.0.1 10.0.0.2 "$2" &&
		esp_sa "$impl" "$ns" "$1" 10.0.0.2 10.0.0.1 $(($2 + 1)) &&
		esp_sa "$impl" "$ns" "$1" fd00::1 fd00::2 $(($2 + 2)) &&
		esp_sa "$impl" "$ns" "$1" fd00::2 fd00::1 $(($2 + 3)) || return 1
	done
}

sas_down() {
	esp_flush "$A" a sa && esp_flush xfrm b sa
}

# hosts: a and b talk to each other only over ESP.
hosts() {
	esp_host "$A" a 10.0.0.1 10.0.0.2 && esp_host "$A" a fd00::1 fd00::2 &&
	esp_host xfrm b 10.0.0.2 10.0.0.1 && esp_host xfrm b fd00::2 fd00::1
}

# tcp_both_ways TAG PORT BYTES AB BA [MTU]: BYTES over TCP a -> b and
# b -> a, IPv4 and IPv6 at once, byte-exact, captured on b: nothing
# fragmented or in the clear, and each way's largest packets the largest
# that fit, a -> b protected with set AB under a route MTU of MTU (1500),
# b -> a with BA under 1500.
tcp_both_ways() {
	local tag=$1 port=$2 bytes=$3 ab=$4 ba=$5 mtu=${6:-1500}
	local -a addrs=(10.0.0.1 10.0.0.2 fd00::1 fd00::2)
	local out line sent n=0 fam x y ba_max t0

	# TCP starts without the path MTU earlier packets taught a.
	in_ns a ip route flush cache
	in_ns a ip -6 route flush cache
	cap_start b veth0 "$CAPDIR/tcp.pcap" || return
	t0=${EPOCHREALTIME/./}
	out=$(/usr/bin/python3 "$NETXFER" \
		tcp a b 10.0.0.2 "$port" "$bytes" tcp b a 10.0.0.1 "$port" "$bytes" \
		tcp a b fd00::2 "$port" "$bytes" tcp b a fd00::1 "$port" "$bytes" 2>&1)
	t_log "$tag: TCP took $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
	cap_stop
	while IFS= read -r line; do
		case "$line" in
		tcp*" sent "*" received "*)
			sent=${line#* sent }
			t_eq "$tag: ${line%% sent *}: every byte arrived (length, sha256)" \
				"${line#* received }" "${sent%% received *}"
			n=$((n + 1)) ;;
		*) t_fail "$tag: $line" ;;
		esac
	done <<<"$out"
	t_eq "$tag: TCP: four transfers" "$n" 4
	t_eq "$tag: tcpdump saw every packet" "$(cap_n dropped)" 0
	no_fragments "$tag: TCP" "${addrs[@]}"
	# Bulk TCP fills its segments up to the MTU: the largest packets are
	# the largest that fit; b's also fit the MSS a took from its route.
	for fam in 4 6; do
		x=${addrs[fam - 4]} y=${addrs[fam - 3]}
		ba_max=$(inner_mtu "$ba" $fam)
		[ "$ba_max" -gt "$mtu" ] && ba_max=$mtu
		t_eq "$tag: TCP $x -> $y, $y -> $x: largest ESP packets" \
			"$(cap_n "maxlen $x>$y") $(cap_n "maxlen $y>$x")" \
			"$(outer_len "$ab" $fam "$(inner_mtu "$ab" $fam "$mtu")") $(outer_len "$ba" $fam "$ba_max")"
	done
}

# run_set SET IDX
run_set() {
	local set=$1 idx=$2 spi=$((0x2000 + $2 * 16)) out line port=$((30000 + $2 * 10))
	local -a addrs=(10.0.0.1 10.0.0.2 fd00::1 fd00::2)
	local fam x y since

	t_check "$set: SAs installed" sas_up "$set" "$spi"
	[ "$A" = kipsec ] && since=$(kipsec_counters a)
	# Path MTUs learnt with the previous set's overhead go.
	in_ns a ip route flush cache
	in_ns a ip -6 route flush cache

	cap_start b veth0 "$CAPDIR/df.pcap" || return
	df_pings "$set" 10.0.0.1 10.0.0.2 4
	df_pings "$set" fd00::1 fd00::2 6
	cap_stop
	no_fragments "$set: DF pings" "${addrs[@]}"

	tcp_both_ways "$set" "$port" "$BYTES" "$set" "$set"

	cap_start b veth0 "$CAPDIR/frag.pcap" || return
	for fam in 0 2; do
		x=${addrs[fam]} y=${addrs[fam + 1]}
		t_check "$set: ping a -> $y, 3000 bytes" ping_all a "$y" 1 -M dont -s 3000
		t_check "$set: ping b -> $x, 3000 bytes" ping_all b "$x" 1 -M dont -s 3000
	done
	out=$(/usr/bin/python3 "$NETXFER" \
		udp a b 10.0.0.2 $((port + 1)) 3000,8000,30000 \
		udp b a 10.0.0.1 $((port + 1)) 3000,8000,30000 \
		udp a b fd00::2 $((port + 1)) 3000,8000,30000 \
		udp b a fd00::1 $((port + 1)) 3000,8000,30000 2>&1)
	cap_stop
	while IFS= read -r line; do
		case "$line" in
		*" sent 3 "*) t_eq "$set: ${line%% sent *}: 3000, 8000, 30000 bytes arrived exactly" \
			"${line#* sent }" "3 received 3 exact 3" ;;
		*) t_fail "$set: $line" ;;
		esac
	done <<<"$out"
	t_eq "$set: no cleartext among the fragments" "$(cap_clear "${addrs[@]}")" ""
	for fam in 0 2; do
		x=${addrs[fam]} y=${addrs[fam + 1]}
		esp_fragments "$set" "$x" "$y" 4
		esp_fragments "$set" "$y" "$x" 4
	done
	# Packets over the MTU may be dropped (and counted) to teach TCP the
	# path MTU; nothing else.
	[ "$A" = kipsec ] && t_eq "$set: no kipsec drops but out_too_big" \
		"$(kipsec_drops a "$since" out_too_big)" ""

	t_check "$set: SAs removed" sas_down
}

# asym_sas B SPI: set ASYM_AB a -> b (SPIs SPI for IPv4, SPI+2 for IPv6),
# ASYM_BA b -> a (SPI+1, SPI+3) on both hosts, a on $A, b on B.
asym_sas() {
	local ns impl
	for ns in a b; do
		impl=$A
		[ "$ns" = b ] && impl=$1
		esp_sa "$impl" "$ns" "$ASYM_AB" 10.0.0.1 10.0.0.2 "$2" &&
		esp_sa "$impl" "$ns" "$ASYM_BA" 10.0.0.2 10.0.0.1 $(($2 + 1)) &&
		esp_sa "$impl" "$ns" "$ASYM_AB" fd00::1 fd00::2 $(($2 + 2)) &&
		esp_sa "$impl" "$ns" "$ASYM_BA" fd00::2 fd00::1 $(($2 + 3)) || return 1
	done
}

# b_on B: b's policies on B (hosts() put them on XFRM).
b_on() {
	[ "$1" = xfrm ] && return 0
	esp_flush xfrm b policy && esp_host "$1" b 10.0.0.2 10.0.0.1 &&
	esp_host "$1" b fd00::2 fd00::1
}

# run_asym B IDX: each way its own overhead, a on $A, b on B.  The MSS a
# SYN announces bounds what its receiver sends back under its own SAs: a
# wrong one makes a sender's segments too big (drops, a stall) or smaller
# than the largest that fit.
run_asym() {
	local b=$1 idx=$2 spi=$((0x2000 + $2 * 16)) port=$((30000 + $2 * 10))
	local tag="two overheads, a $A, b $1" since_a since_b

	t_check "$tag: policies b ($b)" b_on "$b"
	t_check "$tag: SAs installed" asym_sas "$b" "$spi"
	[ "$A" = kipsec ] && since_a=$(kipsec_counters a)
	[ "$b" = kipsec ] && since_b=$(kipsec_counters b)
	tcp_both_ways "$tag" "$port" "$ASYM_BYTES" "$ASYM_AB" "$ASYM_BA"
	[ "$A" = kipsec ] && t_eq "$tag: no kipsec drops in a" \
		"$(kipsec_drops a "$since_a")" ""
	[ "$b" = kipsec ] && t_eq "$tag: no kipsec drops in b" \
		"$(kipsec_drops b "$since_b")" ""

	# Below the link's MTU, the route's is one the MSS option cannot
	# know of: TCP on a learns it from the segments kipsec drops.
	if [ "$b" = xfrm ]; then
		[ "$A" = kipsec ] && since_a=$(kipsec_counters a)
		t_check "$tag: a's routes to b: MTU 1400" \
			in_ns a ip route add 10.0.0.2/32 dev veth0 mtu 1400
		t_check "$tag: a's routes to b: MTU 1400 (IPv6)" \
			in_ns a ip -6 route add fd00::2/128 dev veth0 mtu 1400
		tcp_both_ways "$tag, route MTU 1400" $((port + 1)) "$ASYM_BYTES" \
			"$ASYM_AB" "$ASYM_BA" 1400
		if [ "$A" = kipsec ]; then
			t_eq "$tag, route MTU 1400: segments over it dropped (out_too_big)" \
				"$(($(stat out_too_big) > $(jq .out_too_big <<<"$since_a")))" 1
			t_eq "$tag, route MTU 1400: no other kipsec drops in a" \
				"$(kipsec_drops a "$since_a" out_too_big)" ""
		fi
		in_ns a ip route del 10.0.0.2/32
		in_ns a ip -6 route del fd00::2/128
	fi
	t_check "$tag: SAs removed" esp_flush "$A" a sa
	t_check "$tag: SAs removed (b)" esp_flush "$b" b sa
}

[ "$A" = kipsec ] && load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
t_check "policies a ($A), b (xfrm)" hosts
idx=0
for set in "${SETS[@]}"; do
	SECONDS=0
	run_set "$set" $((idx++))
	t_log "$set: ${SECONDS}s"
done
# b on XFRM runs both clamps and the route MTU below the link's on
# kipsec's side (a); b on kipsec too on the stock kernel.
B_IMPLS=(xfrm)
[ "$A" = kipsec ] && [ "${KIPSEC_KERNEL:-stock}" != debug ] &&
	B_IMPLS+=(kipsec)
for b in "${B_IMPLS[@]}"; do
	SECONDS=0
	run_asym "$b" $((idx++))
	t_log "two overheads, b $b: ${SECONDS}s"
done
rmdir "$CAPDIR"
t_done
