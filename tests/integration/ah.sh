#!/bin/bash
# AH transport mode, and ESP+AH bundles, against the kernel's own IPsec
# (XFRM) and against kipsec itself: ping, TCP (sha256 of every byte) and
# UDP (every datagram byte-exact, fragmented ones too) both ways over IPv4
# and IPv6, while a capture on b shows only AH between the hosts (for a
# bundle: AH whose next header is ESP, with the bundle's ESP SPI), with the
# SPIs and packet counts both ends' SAs report.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec (ipsecctl)          |        | XFRM (ip xfrm), then       |
#   |                            |        | kipsec for kipsec-kipsec   |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           | AH or  |       fd00::2/64           |
#   |                            | AH+ESP |                            |
#   +----------------------------+        +----------------------------+
#
# A set is an AH algorithm ("hmac-sha2-256", "+esn" for extended sequence
# numbers), or a bundle "ESP_SET/AH_SET" ("aes-128-gcm/hmac-sha1"): the
# policies then require ESP inside AH.  XFRM has no AH with GMAC: GMAC is
# kipsec-kipsec only.  Neighbours are pinned.  AH_A=xfrm runs XFRM on a as
# well (checks the suite itself).  KIPSEC_KERNEL=debug runs a smaller
# matrix with smaller transfers.  AH_BYTES and AH_PEER_BYTES override the
# TCP transfer sizes (against XFRM, between kipsec and kipsec), AH_SETS,
# AH_PEERS, AH_BUNDLES, AH_PEER_BUNDLES the sets (space-separated).
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; cleanup' EXIT

A=${AH_A:-kipsec}
# shellcheck disable=SC2034 # lib.sh fills them, cap_stop reads it
declare -A ESP_STATS CAP
CAP_SUMMARY="ah_craft.py pcapsum"
NETXFER=$(dirname "$0")/netxfer.py
CAPDIR=$(mktemp -d)
UDP_SIZES=1,100,1000,1400,1452,3000,8000

if [ "${KIPSEC_KERNEL:-stock}" = debug ]; then
	# A bundle against XFRM (its AH an HMAC), a bundle with GMAC
	# between kipsec and kipsec: about two minutes each.
	BYTES=${AH_BYTES:-131072}
	PEER_BYTES=${AH_PEER_BYTES:-131072}
	INTEROP=()
	BUNDLES=(aes-128-gcm/hmac-sha2-256)
	PEERS=()
	PEER_BUNDLES=(aes-256-cbc+hmac-sha1/aes-256-gmac)
else
	# Every set costs a minute with 1 MB each way: the bulk goes
	# against XFRM, kipsec-kipsec moves enough for many full segments.
	BYTES=${AH_BYTES:-524288}
	PEER_BYTES=${AH_PEER_BYTES:-262144}
	# Every HMAC against XFRM, one with ESN across 2^32; every one of
	# the 7 AH algorithms between kipsec and kipsec, GMAC with ESN.
	INTEROP=(hmac-sha1 hmac-sha2-256 hmac-sha2-384+esn hmac-sha2-512
		hmac-md5)
	BUNDLES=(aes-128-gcm/hmac-sha2-256
		aes-256-cbc+hmac-sha2-512+esn/hmac-sha1+esn)
	PEERS=(hmac-sha1 hmac-sha2-256 hmac-sha2-384 hmac-sha2-512 hmac-md5
		aes-128-gmac aes-256-gmac+esn)
	PEER_BUNDLES=(aes-128-gcm/aes-128-gmac chacha20-poly1305/hmac-sha2-384)
fi
[ -n "${AH_SETS+set}" ] && read -ra INTEROP <<<"$AH_SETS"
[ -n "${AH_BUNDLES+set}" ] && read -ra BUNDLES <<<"$AH_BUNDLES"
[ -n "${AH_PEERS+set}" ] && read -ra PEERS <<<"$AH_PEERS"
[ -n "${AH_PEER_BUNDLES+set}" ] && read -ra PEER_BUNDLES <<<"$AH_PEER_BUNDLES"

# An ESN SA from a starts 16 packets before its sequence number's low 32
# bits wrap; b's (XFRM) window is placed there (as in esp.sh).
ESN_OSEQ=$((0xfffffff0))
ESN_ISEQ=$((0xffffffe0))

# An SA set's SPIs: SPI for AH, SPI + 8 for a bundle's ESP.
ESP_SPI_OFF=8

# sa_one IMPL NS SET SRC DST SPI OSEQ ISEQ: the set's SAs SRC -> DST.
sa_one() {
	local set=$3
	if [[ $set == */* ]]; then
		esp_sa "$1" "$2" "${set%/*}" "$4" "$5" $(($6 + ESP_SPI_OFF)) "$7" "$8" &&
		ah_sa "$1" "$2" "${set#*/}" "$4" "$5" "$6" "$7" "$8"
	else
		ah_sa "$1" "$2" "$set" "$4" "$5" "$6" "$7" "$8"
	fi
}

# sa_pair IMPL_A IMPL_B SET SPI_AB SPI_BA ADDR_A ADDR_B: the SAs of one
# family on both hosts.
sa_pair() {
	local ia=$1 ib=$2 set=$3 ab=$4 ba=$5 x=$6 y=$7 oseq=0 iseq=0
	if [[ $set == *+esn && $ib == xfrm ]]; then
		oseq=$ESN_OSEQ iseq=$ESN_ISEQ
	fi
	sa_one "$ia" a "$set" "$x" "$y" "$ab" "$oseq" 0 &&
	sa_one "$ia" a "$set" "$y" "$x" "$ba" 0 0 &&
	sa_one "$ib" b "$set" "$x" "$y" "$ab" 0 "$iseq" &&
	sa_one "$ib" b "$set" "$y" "$x" "$ba" 0 0
}

# sas_up IMPL_A IMPL_B SET SPI: both families, SPIs SPI, SPI+1 (IPv4
# a -> b, b -> a), SPI+2, SPI+3 (IPv6).
sas_up() {
	sa_pair "$1" "$2" "$3" "$4" $(($4 + 1)) 10.0.0.1 10.0.0.2 &&
	sa_pair "$1" "$2" "$3" $(($4 + 2)) $(($4 + 3)) fd00::1 fd00::2
}

sas_down() {
	esp_flush "$1" a sa && esp_flush "$2" b sa
}

# hosts NS IMPL PROTOS: NS talks to the other host only over PROTOS (ah
# or esp+ah), in both families.
hosts() {
	local ns=$1 x=10.0.0.1 y=10.0.0.2 x6=fd00::1 y6=fd00::2
	[ "$ns" = b ] && x=10.0.0.2 y=10.0.0.1 x6=fd00::2 y6=fd00::1
	esp_flush "$2" "$ns" policy &&
	ipsec_host "$2" "$ns" "$x" "$y" "$3" &&
	ipsec_host "$2" "$ns" "$x6" "$y6" "$3"
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
	local set=$1 line=$2 what sent n
	what=${line%% sent *}
	sent=${line#* sent }
	sent=${sent%% received *}
	case "$line" in
	tcp*)
		t_eq "$set: $what: every byte arrived (length, sha256)" \
			"${line#* received }" "$sent" ;;
	udp*" sent "*)
		n=${line#* sent }
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

# cap_other: the capture's keys of a kind the set must not show: bare
# ESP, and for AH alone (BUNDLE empty) AH carrying ESP.
cap_other() {
	local key out=""
	for key in "${!CAP[@]}"; do
		[[ $key == "esp "* || ( -z $1 && $key == "ahesp "* ) ]] &&
			out+="$key=${CAP[$key]} "
	done
	printf '%s' "${out% }"
}

# wire_check TAG SET X Y AB BA: the capture and the SAs of one family
# agree, for AH and (bundles) the ESP inside it.
wire_check() {
	local tag=$1 set=$2 x=$3 y=$4 ab=$5 ba=$6 wire_ab wire_ba eab eba
	wire_ab=$(cap_n "ah $x>$y $(printf '0x%x' "$ab")")
	wire_ba=$(cap_n "ah $y>$x $(printf '0x%x' "$ba")")
	t_eq "$tag: $x <-> $y: the transfers crossed the SAs" \
		"$(((wire_ab > XFER / 1500) && (wire_ba > XFER / 1500)))" 1
	flow "$tag: $x -> $y AH" a b "$y" "$ab" "$wire_ab"
	flow "$tag: $y -> $x AH" b a "$x" "$ba" "$wire_ba"
	if [[ $set == */* ]]; then
		eab=$((ab + ESP_SPI_OFF)) eba=$((ba + ESP_SPI_OFF))
		t_eq "$tag: $x <-> $y: every AH packet carries ESP of the bundle" \
			"$(cap_n "ahesp $x>$y $(printf '0x%x 0x%x' "$ab" "$eab")") $(cap_n "ahesp $y>$x $(printf '0x%x 0x%x' "$ba" "$eba")")" \
			"$wire_ab $wire_ba"
		flow "$tag: $x -> $y ESP" a b "$y" "$eab" "$wire_ab"
		flow "$tag: $y -> $x ESP" b a "$x" "$eba" "$wire_ba"
	fi
	if [[ $set == *+esn && $IB == xfrm ]]; then
		t_eq "$tag: $x -> $y: the ESN high bits moved" \
			"$(($(sa_field a "$y" "$ab" 3) > 0xffffffff))" 1
	fi
}

# run_set IMPL_A IMPL_B SET IDX BYTES: the whole exchange for one set.
run_set() {
	local ia=$1 ib=$2 set=$3 spi=$((0x1000 + $4 * 16)) fam line out
	local -a addrs spis
	local x y port=$((20000 + $4 * 10)) since_a since_b bundle=
	local tag="$set ($ia-$ib)" want
	IB=$ib XFER=$5
	[[ $set == */* ]] && bundle=1

	addrs=(10.0.0.1 10.0.0.2 fd00::1 fd00::2)
	spis=("$spi" $((spi + 1)) $((spi + 2)) $((spi + 3)))
	t_check "$tag: SAs installed" sas_up "$ia" "$ib" "$set" "$spi"
	[ "$ia" = kipsec ] && since_a=$(kipsec_counters a)
	[ "$ib" = kipsec ] && since_b=$(kipsec_counters b)

	cap_start b veth0 "$CAPDIR/ah.pcap" || return
	for fam in 0 2; do
		t_check "$tag: ping a -> ${addrs[fam + 1]}" ping_all a "${addrs[fam + 1]}" 3
		t_check "$tag: ping b -> ${addrs[fam]}" ping_all b "${addrs[fam]}" 3
	done

	# Each ping crossed every SA once per echo: 3 requests and 3
	# replies each way, through a bundle's ESP SAs as well.
	ESP_STATS=()
	esp_stats "$ia" a
	esp_stats "$ib" b
	line="" want=""
	for spi in "${spis[@]}"; do
		[ -n "$bundle" ] && spis+=($((spi + ESP_SPI_OFF)))
	done
	for spi in "${spis[@]}"; do
		fam=$(((spi & 3) >> 1 << 1))
		x=${addrs[fam]} y=${addrs[fam + 1]}
		[ $((spi & 1)) = 1 ] && x=${addrs[fam + 1]} y=${addrs[fam]}
		line+="$(sa_field a "$y" "$spi" 0) $(sa_field b "$y" "$spi" 0) "
		want+="6 6 "
	done
	t_eq "$tag: ping: packets of the ${#spis[@]} SAs at both ends" \
		"$line" "$want"
	spis=("${spis[@]:0:4}")

	out=$(/usr/bin/python3 "$NETXFER" \
		tcp a b 10.0.0.2 "$port" "$XFER" tcp b a 10.0.0.1 "$port" "$XFER" \
		tcp a b fd00::2 "$port" "$XFER" tcp b a fd00::1 "$port" "$XFER" \
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
	t_eq "$tag: no $([ -n "$bundle" ] && echo "bare ESP" ||
		echo "ESP, bare or in AH")" "$(cap_other "$bundle")" ""

	ESP_STATS=()
	esp_stats "$ia" a
	esp_stats "$ib" b
	for fam in 0 2; do
		wire_check "$tag" "$set" "${addrs[fam]}" "${addrs[fam + 1]}" \
			"${spis[fam]}" "${spis[fam + 1]}"
	done
	[ "$ia" = kipsec ] && t_eq "$tag: no kipsec drops in a" "$(kipsec_drops a "$since_a")" ""
	[ "$ib" = kipsec ] && t_eq "$tag: no kipsec drops in b" "$(kipsec_drops b "$since_b")" ""

	t_check "$tag: SAs removed" sas_down "$ia" "$ib"
}

# phase IMPL_B BYTES PROTOS SET...: policies for PROTOS on both hosts,
# then each set.
phase() {
	local ib=$1 bytes=$2 protos=$3 set
	shift 3
	[ $# -gt 0 ] || return 0
	t_check "policies a ($A): $protos" hosts a "$A" "$protos"
	t_check "policies b ($ib): $protos" hosts b "$ib" "$protos"
	for set in "$@"; do
		SECONDS=0
		run_set "$A" "$ib" "$set" $((IDX++)) "$bytes"
		t_log "$set: ${SECONDS}s"
	done
	t_check "b's $ib policies removed" esp_flush "$ib" b policy
}

[ "$A" = kipsec ] && load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
t_log "a: $A; b: xfrm for ${#INTEROP[@]} AH sets and ${#BUNDLES[@]} bundles ($BYTES TCP bytes each way), $A for ${#PEERS[@]} and ${#PEER_BUNDLES[@]} ($PEER_BYTES)"
IDX=0
phase xfrm "$BYTES" ah "${INTEROP[@]}"
phase xfrm "$BYTES" esp+ah "${BUNDLES[@]}"
# kipsec on both hosts: one module serves every namespace.
[ "$A" = xfrm ] && PEERS=("${PEERS[@]/*gmac*/}") PEER_BUNDLES=("${PEER_BUNDLES[@]/*gmac*/}")
read -ra PEERS <<<"${PEERS[*]}"
read -ra PEER_BUNDLES <<<"${PEER_BUNDLES[*]}"
phase "$A" "$PEER_BYTES" ah "${PEERS[@]}"
phase "$A" "$PEER_BYTES" esp+ah "${PEER_BUNDLES[@]}"
rmdir "$CAPDIR"
t_done
