#!/bin/bash
# ESP transport mode against the kernel's own IPsec (XFRM) and against
# kipsec itself: for every algorithm, ping, TCP (sha256 of every byte) and
# UDP (every datagram byte-exact, fragmented ones too) both ways over IPv4
# and IPv6, while a capture on b shows only ESP between the hosts, with the
# SPIs and packet counts both ends' SAs report.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec (ipsecctl)          |        | XFRM (ip xfrm), then       |
#   |                            |        | kipsec for kipsec-kipsec   |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |  ESP   |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
#
# Neighbours are pinned: no neighbour discovery comes between the packets
# counted.  ESP_A=xfrm runs XFRM on a as well (checks the suite itself).
# KIPSEC_KERNEL=debug (about ten times slower) runs a smaller matrix with
# smaller transfers.  ESP_BYTES and ESP_BULK_BYTES override the transfer
# sizes, ESP_SETS and ESP_PEERS the SA sets (space-separated).
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; cleanup' EXIT

A=${ESP_A:-kipsec}
# shellcheck disable=SC2034 # lib.sh fills them
declare -A ESP_STATS CAP
NETXFER=$(dirname "$0")/netxfer.py
CAPDIR=$(mktemp -d)
UDP_SIZES=1,100,1000,1400,1452,3000,8000

# TCP transfers of BYTES, of BULK_BYTES for the BULK sets against XFRM
# (an AEAD and a cipher with an HMAC): emulated crypto moves a few MB/s.
if [ "${KIPSEC_KERNEL:-stock}" = debug ]; then
	# A cipher with an HMAC and ESN against XFRM, an AEAD between
	# kipsec and kipsec: both transforms, both ways, in about 3 minutes.
	BYTES=${ESP_BYTES:-131072}
	INTEROP=(aes-256-cbc+hmac-sha2-384+esn)
	PEERS=(aes-128-gcm)
	BULK=()
else
	BYTES=${ESP_BYTES:-1048576}
	# Every algorithm once; each cipher with another HMAC; ESN for an
	# AEAD and for a cipher with an HMAC.
	INTEROP=(aes-128-gcm aes-192-gcm aes-256-gcm+esn chacha20-poly1305
		aes-128-gmac aes-256-gmac aes-128-cbc+hmac-sha1
		aes-192-cbc+hmac-sha2-256 aes-256-cbc+hmac-sha2-384+esn
		3des-cbc+hmac-sha2-512 null+hmac-md5)
	PEERS=(aes-128-gcm aes-256-cbc+hmac-sha2-256 chacha20-poly1305)
	BULK=(aes-256-gcm+esn aes-256-cbc+hmac-sha2-384+esn)
fi
BULK_BYTES=${ESP_BULK_BYTES:-10485760}
[ -n "${ESP_SETS+set}" ] && read -ra INTEROP <<<"$ESP_SETS"
[ -n "${ESP_PEERS+set}" ] && read -ra PEERS <<<"$ESP_PEERS"

# An ESN SA from a starts 16 packets before its sequence number's low 32
# bits wrap, so the high bits change during the test; b's window is placed
# there.  (kipsec's inbound window cannot be placed: b -> a starts at 0.)
ESN_OSEQ=$((0xfffffff0))
ESN_ISEQ=$((0xffffffe0))

# sa_pair IMPL_A IMPL_B SET SPI_AB SPI_BA ADDR_A ADDR_B: the two SAs of
# one family on both hosts.
sa_pair() {
	local ia=$1 ib=$2 set=$3 ab=$4 ba=$5 x=$6 y=$7 oseq=0 iseq=0
	if [[ $set == *+esn && $ib == xfrm ]]; then
		oseq=$ESN_OSEQ iseq=$ESN_ISEQ
	fi
	esp_sa "$ia" a "$set" "$x" "$y" "$ab" "$oseq" &&
	esp_sa "$ia" a "$set" "$y" "$x" "$ba" &&
	esp_sa "$ib" b "$set" "$x" "$y" "$ab" 0 "$iseq" &&
	esp_sa "$ib" b "$set" "$y" "$x" "$ba"
}

# sa_field NS DST SPI N: field N (0 packets, 1 bytes, 2 errors, 3 oseq)
# of an SA in ESP_STATS.
sa_field() {
	local -a f
	read -ra f <<<"${ESP_STATS["$1 $2 $3"]:-- - - -}"
	printf '%s' "${f[$4]}"
}

# check_xfer SET LINE: one netxfer.py result.
check_xfer() {
	local set=$1 line=$2 what sent
	what=${line%% sent *}
	sent=${line#* sent }
	sent=${sent%% received *}
	case "$line" in
	tcp*)
		t_eq "$set: $what: every byte arrived (length, sha256)" \
			"${line#* received }" "$sent" ;;
	udp*" sent "*)
		local n=${line#* sent }
		n=${n%% *}
		t_eq "$set: $what: $n datagrams (sizes $UDP_SIZES) byte-exact" \
			"${line#* sent }" "$n received $n exact $n" ;;
	*)
		t_fail "$set: $line" ;;
	esac
}

# flow WHAT FROM TO DST SPI WIRE: every packet FROM sent on the SA
# crossed the wire and TO accepted it; neither end dropped any.
flow() {
	local what=$1 from=$2 to=$3 dst=$4 spi=$5 wire=$6
	t_eq "$what: $from sent, the wire carried, $to accepted" \
		"$(sa_field "$from" "$dst" "$spi" 0) $wire $(sa_field "$to" "$dst" "$spi" 0)" \
		"$wire $wire $wire"
	t_eq "$what: SA drops (replay/integrity/other) at $from and $to" \
		"$(sa_field "$from" "$dst" "$spi" 2) $(sa_field "$to" "$dst" "$spi" 2)" \
		"0/0/0 0/0/0"
}

# sas_up IMPL_A IMPL_B SET SPI: the SAs of both families on both hosts,
# SPIs SPI, SPI+1 (IPv4 a -> b, b -> a), SPI+2, SPI+3 (IPv6).
sas_up() {
	sa_pair "$1" "$2" "$3" "$4" $(($4 + 1)) 10.0.0.1 10.0.0.2 &&
	sa_pair "$1" "$2" "$3" $(($4 + 2)) $(($4 + 3)) fd00::1 fd00::2
}

# sas_down IMPL_A IMPL_B
sas_down() {
	esp_flush "$1" a sa && esp_flush "$2" b sa
}

# run_set IMPL_A IMPL_B SET IDX BYTES: the whole exchange for one SA set.
run_set() {
	local ia=$1 ib=$2 set=$3 spi=$((0x1000 + $4 * 16)) fam line out
	local -a addrs spis
	local x y ab ba wire_ab wire_ba port=$((20000 + $4 * 10)) since_a since_b
	local tag="$set ($ia-$ib)" bytes=$5

	addrs=(10.0.0.1 10.0.0.2 fd00::1 fd00::2)
	spis=("$spi" $((spi + 1)) $((spi + 2)) $((spi + 3)))
	t_check "$tag: SAs installed" sas_up "$ia" "$ib" "$set" "$spi"
	[ "$ia" = kipsec ] && since_a=$(kipsec_counters a)
	[ "$ib" = kipsec ] && since_b=$(kipsec_counters b)

	cap_start b veth0 "$CAPDIR/esp.pcap" || return
	for fam in 0 2; do
		t_check "$tag: ping a -> ${addrs[fam + 1]}" ping_all a "${addrs[fam + 1]}" 3
		t_check "$tag: ping b -> ${addrs[fam]}" ping_all b "${addrs[fam]}" 3
	done

	# Each ping crossed every SA once per echo: 3 requests and 3
	# replies each way.
	ESP_STATS=()
	esp_stats "$ia" a
	esp_stats "$ib" b
	line=""
	for fam in 0 2; do
		x=${addrs[fam]} y=${addrs[fam + 1]} ab=${spis[fam]} ba=${spis[fam + 1]}
		line+="$(sa_field a "$y" "$ab" 0) $(sa_field a "$x" "$ba" 0) "
		line+="$(sa_field b "$y" "$ab" 0) $(sa_field b "$x" "$ba" 0) "
	done
	t_eq "$tag: ping: packets of the 8 SAs (a out, a in, b in, b out)" \
		"$line" "6 6 6 6 6 6 6 6 "

	out=$(/usr/bin/python3 "$NETXFER" \
		tcp a b 10.0.0.2 "$port" "$bytes" tcp b a 10.0.0.1 "$port" "$bytes" \
		tcp a b fd00::2 "$port" "$bytes" tcp b a fd00::1 "$port" "$bytes" \
		udp a b 10.0.0.2 $((port + 1)) "$UDP_SIZES" \
		udp b a 10.0.0.1 $((port + 1)) "$UDP_SIZES" \
		udp a b fd00::2 $((port + 1)) "$UDP_SIZES" \
		udp b a fd00::1 $((port + 1)) "$UDP_SIZES" 2>&1)
	while IFS= read -r line; do
		check_xfer "$tag" "$line"
	done <<<"$out"
	cap_stop
	t_eq "$tag: tcpdump saw every packet" "$(cap_n dropped)" 0
	t_eq "$tag: no cleartext between the hosts" "$(cap_clear "${addrs[@]}")" ""

	ESP_STATS=()
	esp_stats "$ia" a
	esp_stats "$ib" b
	for fam in 0 2; do
		x=${addrs[fam]} y=${addrs[fam + 1]} ab=${spis[fam]} ba=${spis[fam + 1]}
		wire_ab=$(cap_n "esp $x>$y $(printf '0x%x' "$ab")")
		wire_ba=$(cap_n "esp $y>$x $(printf '0x%x' "$ba")")
		t_eq "$tag: $x <-> $y: the transfers crossed the SAs" \
			"$(((wire_ab > bytes / 1500) && (wire_ba > bytes / 1500)))" 1
		flow "$tag: $x -> $y" a b "$y" "$ab" "$wire_ab"
		flow "$tag: $y -> $x" b a "$x" "$ba" "$wire_ba"
		if [[ $set == *+esn && $ib == xfrm ]]; then
			t_eq "$tag: $x -> $y: the ESN high bits moved" \
				"$(($(sa_field a "$y" "$ab" 3) > 0xffffffff))" 1
		fi
	done
	[ "$ia" = kipsec ] && t_eq "$tag: no kipsec drops in a" "$(kipsec_drops a "$since_a")" ""
	[ "$ib" = kipsec ] && t_eq "$tag: no kipsec drops in b" "$(kipsec_drops b "$since_b")" ""

	t_check "$tag: SAs removed" sas_down "$ia" "$ib"
}

# hosts_a IMPL, hosts_b IMPL: the host talks to the other only over ESP.
hosts_a() {
	esp_host "$1" a 10.0.0.1 10.0.0.2 && esp_host "$1" a fd00::1 fd00::2
}

hosts_b() {
	esp_host "$1" b 10.0.0.2 10.0.0.1 && esp_host "$1" b fd00::2 fd00::1
}

[ "$A" = kipsec ] && load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
t_log "a: $A, b: xfrm; ${#INTEROP[@]} SA sets; TCP: $BYTES bytes each way, $BULK_BYTES for ${BULK[*]:-none}"
t_check "policies a ($A)" hosts_a "$A"
t_check "policies b (xfrm)" hosts_b xfrm
idx=0
for set in "${INTEROP[@]}"; do
	SECONDS=0
	bytes=$BYTES
	[[ " ${BULK[*]} " == *" $set "* ]] && bytes=$BULK_BYTES
	run_set "$A" xfrm "$set" $((idx++)) "$bytes"
	t_log "$set: ${SECONDS}s"
done

# kipsec on both hosts: one module serves every namespace.
t_check "b's XFRM policies removed" esp_flush xfrm b policy
t_check "policies b ($A)" hosts_b "$A"
for set in "${PEERS[@]}"; do
	SECONDS=0
	run_set "$A" "$A" "$set" $((idx++)) "$BYTES"
	t_log "$set: ${SECONDS}s"
done
rmdir "$CAPDIR"
t_done
