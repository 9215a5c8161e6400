#!/bin/bash
# Bad AH on kipsec's transport-mode receive path, and what a host that
# requires ESP then AH must refuse: immutable header fields changed after
# the ICV (source address, identification, AH next header, reserved, a
# payload byte), forged ICVs, a bit flipped in each AH field, truncated AH,
# AH payload lengths off, replayed and too old sequence numbers, unknown
# SPIs, cleartext where a policy wants AH, authentic packets no policy lets
# through their SA; mutable fields (TTL, DSCP and ECN, IPv6 flow label,
# DF) changed after the ICV must still verify, and AH over fragments must
# verify once reassembled.  Bundles: AH over ESP is delivered; ESP alone,
# AH alone, cleartext, ESP outside AH and a forged inner ESP are not.
# Host b runs no IPsec: ah_craft.py writes every frame itself with the SAs'
# keys (HMAC through Python's hmac, GMAC through libcrypto).  Each bad
# packet goes between two valid ones through the same SA: the valid ones
# are delivered byte-exact to a UDP listener, the bad one is captured on
# a's veth0 but never delivered, its reason goes up by one and no other
# counter moves but in-packets and in-bytes for the valid ones.  IPv4 and
# IPv6 alike; at the end `ipsecctl stats` and `sa list` agree with the sum
# of every step's netlink reading.
#
#   +------------------- a --------------------+     +---------- b ----------+
#   | kipsec, inbound SAs from b:              |     | no IPsec              |
#   |   AH 0x3000 hmac-sha2-256 (sha256)       |     |                       |
#   |   AH 0x3001 hmac-sha1 (sha1)             |     | ah_craft.py writes    |
#   |   AH 0x3002 aes-128-gmac (gmac)          |     | Ethernet frames on    |
#   |   AH 0x3003 hmac-sha2-512, esn (esn)     |     | veth0 (AF_PACKET)     |
#   |   AH 0x3004 aes-256-gmac, esn (gesn)     |     |                       |
#   |   ESP 0x2000 aes-128-gcm (no policy)     |     |                       |
#   |   bundle: ESP 0x2100 aes-128-gcm inside, |     |                       |
#   |           AH 0x3100 hmac-sha2-256 (bun)  |     |                       |
#   | in: udp dport 5000: protect ah           |     |                       |
#   |     udp dport 5001: protect ah,          |     |                       |
#   |                     spi 0x3000 only      |     |                       |
#   |     udp dport 5002: protect esp, ah      |     |                       |
#   |     6000, 7000: no policy                |     |                       |
#   | ah_craft.py: UDP listeners on 5000-5002, |     |                       |
#   | 6000, 7000, capture of veth0, counters   |     |                       |
#   | veth0 10.0.0.1, fd00::1                  |-----| veth0 10.0.0.2, ::2   |
#   +------------------------------------------+     +-----------------------+
#
# AH_RX=xfrm puts XFRM on a instead (no GMAC there): the crafter's valid
# packets must be accepted and its bad ones refused by the kernel's own AH,
# which checks the crafter; no counters are compared then.
# KIPSEC_KERNEL=debug runs the cases on fewer SAs.
. "$(dirname "$0")/lib.sh"
t_init
RX=${AH_RX:-kipsec}
[ "$RX" = kipsec ] && load_kipsec
two_hosts

HMAC256_KEY=0x6b69707365632d61682d6261642d686d61632d7368612d3235362d6b65792121
HMAC1_KEY=0x6b69707365632d61682d6261642d736861312121
HMAC512_KEY=0x$(printf '6b69707365632d61682d6261642d3531%.0s' 1 2 3 4)
GMAC128_KEY=0x6b69707365632d61682d676d61632d3132382121
GMAC256_KEY=0x6b69707365632d61682d676d61632d3235362d6b65792d6b69707365632d616821212121
GCM_KEY=0x6b69707365632d61682d6275676c652d67636d21

# SA table: NAME SPI ALG KEY [esn]
AH_SAS=("sha256 0x3000 hmac-sha2-256 $HMAC256_KEY"
	"sha1 0x3001 hmac-sha1 $HMAC1_KEY"
	"gmac 0x3002 aes-128-gmac $GMAC128_KEY"
	"esn 0x3003 hmac-sha2-512 $HMAC512_KEY esn"
	"gesn 0x3004 aes-256-gmac $GMAC256_KEY esn"
	"bunah 0x3100 hmac-sha2-256 $HMAC256_KEY")

ctl() { "$IPSECCTL" -n a "$@"; }

# gmac_sa NAME: GMAC SAs exist only with kipsec on a.
gmac_sa() {
	[ "$RX" = xfrm ] && [[ $1 == gmac* || $1 == gesn* ]]
}

# add_sas FAMILY SRC DST: the SAs and policies of the drawing in a.
add_sas() {
	local f=$1 src=$2 dst=$3 ok=1 name spi alg key esn
	for line in "${AH_SAS[@]}"; do
		read -r name spi alg key esn <<<"$line"
		gmac_sa "$name" && continue
		if [ "$RX" = kipsec ]; then
			ctl sa add src "$src" dst "$dst" proto ah spi "$spi" \
				auth "$alg" key "$key" ${esn:+"$esn"} || ok=
		else
			esp_alg "$alg"
			# shellcheck disable=SC2086 # words of esp_alg
			ip -n a xfrm state add src "$src" dst "$dst" proto ah \
				spi "$spi" mode transport $ESP_ALG_XFRM "$key" \
				$ESP_ALG_BITS replay-window 128 \
				${esn:+flag esn} || ok=
		fi
	done
	if [ "$RX" = kipsec ]; then
		ctl sa add src "$src" dst "$dst" proto esp spi 0x2000 \
			enc aes-128-gcm key "$GCM_KEY" || ok=
		ctl sa add src "$src" dst "$dst" proto esp spi 0x2100 \
			enc aes-128-gcm key "$GCM_KEY" || ok=
		ctl policy add dir in src "$src" dst "$dst" proto udp \
			dport 5000 action protect ah >/dev/null || ok=
		ctl policy add dir in src "$src" dst "$dst" proto udp \
			dport 5001 action protect ah spi 0x3000 >/dev/null || ok=
		ctl policy add dir in src "$src" dst "$dst" proto udp \
			dport 5002 action protect esp ah >/dev/null || ok=
	else
		ip -n a xfrm state add src "$src" dst "$dst" proto esp \
			spi 0x2100 mode transport aead 'rfc4106(gcm(aes))' \
			"$GCM_KEY" 128 replay-window 128 || ok=
		ip -n a xfrm policy add dir in src "$src" dst "$dst" proto udp \
			dport 5000 tmpl proto ah mode transport || ok=
		ip -n a xfrm policy add dir in src "$src" dst "$dst" proto udp \
			dport 5001 tmpl proto ah spi 0x3000 mode transport || ok=
		ip -n a xfrm policy add dir in src "$src" dst "$dst" proto udp \
			dport 5002 tmpl proto esp mode transport \
			tmpl proto ah mode transport || ok=
	fi
	t_eq "IPv$f SAs and policies installed ($RX)" "$ok" 1
}

# copy_sas FAMILY SRC DST: ah_craft.py's copies, named NAME and FAMILY
# (sha2564, ..., bun4: the bundle).
copy_sas() {
	local f=$1 src=$2 dst=$3 name spi alg key esn
	for line in "${AH_SAS[@]}"; do
		read -r name spi alg key esn <<<"$line"
		gmac_sa "$name" && continue
		drv ah "$name$f" src="$src" dst="$dst" spi="$spi" auth="$alg" \
			key="$key" ${esn:+"$esn"}
		t_eq "IPv$f: ah_craft.py knows $name$f" "$REPLY" ok
	done
	drv esp "bunesp$f" src="$src" dst="$dst" spi=0x2100 enc=aes-128-gcm \
		key="$GCM_KEY"
	t_eq "IPv$f: ah_craft.py knows bunesp$f" "$REPLY" ok
	drv bundle "bun$f" esp="bunesp$f" ah="bunah$f" port=5002
	t_eq "IPv$f: ah_craft.py knows bun$f" "$REPLY" ok
}

declare -A NS_TOTAL=() SA_TOTAL=()

# sa_moves PACKETS REASON: the "name+n,..." an SA's counters show after
# accepting PACKETS packets and dropping one for REASON ("-": none, "nosa":
# the drop never reached the SA).
sa_moves() {
	local n=$1 out="" field=
	case "$2" in
	in-replay) field=replay_drops ;;
	in-icv-fail) field=integrity_failures ;;
	-|nosa) ;;
	*) field=other_drops ;;
	esac
	[ "$field" = integrity_failures ] && out+=integrity_failures+1,
	[ "$field" = other_drops ] && out+=other_drops+1,
	[ "$n" != 0 ] && out+=packets+$n,
	[ "$field" = replay_drops ] && out+=replay_drops+1,
	out=${out%,}
	printf '%s' "${out:--}"
}

# ns_moves N BYTES REASON: the namespace's, sorted by name as ah_craft.py
# sorts them.
ns_moves() {
	local -A m=()
	local name out=""
	[ "$1" != 0 ] && m[in-packets]=$1 m[in-bytes]=$2
	[ "$3" != - ] && m[$3]=$((${m[$3]:-0} + 1))
	for name in $(printf '%s\n' "${!m[@]}" | sort); do
		out+=$name+${m[$name]},
	done
	out=${out%,}
	printf '%s' "${out:--}"
}

# add_up KEY LISTING: adds a "name+n,..." listing into NS_TOTAL (KEY ns)
# or SA_TOTAL[KEY.name].
add_up() {
	local item name
	[ "$2" = - ] && return
	for item in ${2//,/ }; do
		name=${item%+*}
		if [ "$1" = ns ]; then
			NS_TOTAL[$name]=$((${NS_TOTAL[$name]:-0} + ${item##*+}))
		else
			SA_TOTAL[$1.$name]=$((${SA_TOTAL[$1.$name]:-0} + ${item##*+}))
		fi
	done
}

# judge WHAT REASON SA_WANT... : checks ah_craft.py's answer in REPLY, "ok
# N BYTES NS SA...": N valid packets of BYTES inner bytes were delivered;
# the namespace counted exactly them and one drop for REASON ("-": none);
# each SA of the case moved as its SA_WANT says (sa_moves, with N for the
# number of valid packets).
judge() {
	local what=$1 reason=$2 ok n bytes ns got want="" w i=0
	shift 2
	read -r ok n bytes ns got <<<"$REPLY"
	if [ "$ok" != ok ] || [ -z "$got" ]; then
		t_fail "$what: $REPLY"
		return 1
	fi
	t_pass "$what: delivered only the $n valid packet(s), byte-exact"
	[ "$RX" = kipsec ] || return 0
	for w in "$@"; do
		read -r -a parts <<<"$w"
		want+=" $(sa_moves $((n + parts[1])) "${parts[2]}")"
	done
	t_eq "$what: counters (namespace, SAs)" "$ns $got" \
		"$(ns_moves "$n" "$bytes" "$reason")$want"
	add_up ns "$ns"
	read -r -a got <<<"$got"
	for w in "$@"; do
		read -r -a parts <<<"$w"
		add_up "${parts[0]}" "${got[i++]}"
	done
	return 0
}

# drop_case SA CASE REASON [nosa|auth]: CASE's packet, sent with SA's keys
# between two valid packets through SA, is not delivered and counts once
# under REASON; the SA counts it as a replay, integrity or other drop,
# unless "nosa": the packet never got to it; "auth": it passed its ICV,
# so the SA counts it as traffic as well (and as an other drop, as ESP
# does).
drop_case() {
	local sa=$1 how=${4:-} extra=0 sareason=$3
	[ "$how" = auth ] && extra=1
	[ "$how" = nosa ] && sareason=nosa
	drv drop "$sa" "$2"
	judge "${sa%[46]} IPv${sa: -1} $2: dropped as $3" "$3" \
		"$sa $extra $sareason"
}

# pass_case SA CASE: CASE's packet is delivered and counted as traffic.
pass_case() {
	drv pass "$1" "$2"
	judge "${1%[46]} IPv${1: -1} $2: delivered" - "$1 0 -"
}

# bundle_case FAMILY CASE REASON AH_WANT ESP_WANT: a bundle case (pass if REASON
# is "-"); AH_WANT and ESP_WANT: "EXTRA SA_REASON" for sa_moves.
bundle_case() {
	local f=$1 case=$2 reason=$3 verb=drop
	[ "$reason" = - ] && verb=pass
	drv "$verb" "bun$f" "$case"
	judge "bundle IPv$f $case: $([ "$verb" = pass ] && echo delivered ||
		echo "dropped as $reason")" "$reason" "bunah$f $4" "bunesp$f $5"
}

trap 'stop_drv; cleanup' EXIT
coproc DRV { exec /usr/bin/python3 "$(dirname "$0")/ah_craft.py" serve a b; }
add_sas 4 10.0.0.2 10.0.0.1
add_sas 6 fd00::2 fd00::1
read -r -t 600 line <&"${DRV[0]}"
t_eq "ah_craft.py ready" "${line:-}" ready
[ "${line:-}" = ready ] || exit 1
copy_sas 4 10.0.0.2 10.0.0.1
copy_sas 6 fd00::2 fd00::1

if [ "${KIPSEC_KERNEL:-stock}" = debug ]; then
	FULL=(gmac)
	SOME=(sha256)
	ESN=(gesn)
else
	FULL=(sha256 gmac)
	SOME=(sha1 esn gesn)
	ESN=(esn gesn)
fi

for f in 4 6; do
	if [ "$f" = 4 ]; then spoof=10.0.0.3; else spoof=fd00::3; fi
	for name in "${FULL[@]}" "${SOME[@]}"; do
		gmac_sa "$name" && continue
		sa=$name$f
		# Nothing else of an SA whose valid packets do not get in
		pass_case "$sa" good || continue
		# Mutable fields changed in transit: still authentic
		pass_case "$sa" ttl
		pass_case "$sa" dscp
		[ "$f" = 4 ] && pass_case "$sa" df
		[ "$f" = 4 ] && [ "$RX" = kipsec ] && pass_case "$sa" align4
		# Immutable fields: the ICV fails
		drop_case "$sa" flip-payload in-icv-fail
		drop_case "$sa" flip-icv in-icv-fail
		drop_case "$sa" icv in-icv-fail
		[[ " ${SOME[*]} " == *" $name "* ]] && continue
		pass_case "$sa" frag
		pass_case "$sa" frag-rev
		drop_case "$sa" frag-flip in-icv-fail
		drop_case "$sa" flip-src in-icv-fail
		[ "$f" = 4 ] && drop_case "$sa" flip-ident in-icv-fail
		drop_case "$sa" flip-nh in-icv-fail
		drop_case "$sa" flip-res in-icv-fail
		drop_case "$sa" flip-seq in-icv-fail
		drop_case "$sa" flip-last in-icv-fail
		[[ $name == gmac* ]] && drop_case "$sa" flip-iv in-icv-fail
		drop_case "$sa" flip-spi in-no-sa nosa
		# Truncated: too short for the SPI, no ICV, half an ICV
		drop_case "$sa" trunc-2 in-bad-length nosa
		drop_case "$sa" trunc-spi in-bad-length
		drop_case "$sa" trunc-hdr in-bad-length
		drop_case "$sa" trunc-icv in-bad-length
		# AH payload length: not the algorithm's, 0, beyond the packet
		drop_case "$sa" len-short in-bad-length
		drop_case "$sa" len-long in-bad-length
		drop_case "$sa" len-zero in-bad-length
		drop_case "$sa" len-255 in-bad-length
		# Sequence numbers: 0, seen, left behind by the window
		drop_case "$sa" seq0 in-replay
		drop_case "$sa" replay in-replay
		drop_case "$sa" too-old in-replay
		# SPIs: unknown, an ESP SA's
		drop_case "$sa" spi-0x9999 in-no-sa nosa
		drop_case "$sa" spi-0x2000 in-no-sa nosa
		[ "$RX" = kipsec ] || continue
		# Policies: cleartext where AH is required, and where not;
		# authentic packets that no policy lets in through this SA
		drop_case "$sa" clear-5000 in-cleartext nosa
		pass_case "$sa" clear-7000
		drop_case "$sa" to-6000 in-policy-mismatch auth
		drop_case "$sa" "src-$spoof" in-policy-mismatch auth
		drop_case "$sa" nh-tcp in-policy-mismatch auth
	done
	pass_case "sha256$f" to-5001
	[ "$RX" = kipsec ] && drop_case "sha1$f" to-5001 in-policy-mismatch auth
	for name in "${ESN[@]}"; do
		gmac_sa "$name" && continue
		sa=$name$f
		pass_case "$sa" good || continue
		pass_case "$sa" esn-wrap
		pass_case "$sa" ttl
		drop_case "$sa" esn-wrong-hi in-icv-fail
		drop_case "$sa" replay in-replay
	done
	# ESP then AH required: both, in that order, or nothing
	bundle_case "$f" good - "0 -" "0 -" || continue
	bundle_case "$f" ttl - "0 -" "0 -"
	bundle_case "$f" frag - "0 -" "0 -"
	[ "$RX" = kipsec ] || continue
	# The drop counts on the last SA the packet went through.
	bundle_case "$f" esp-only in-policy-mismatch "0 -" "1 in-policy-mismatch"
	bundle_case "$f" ah-only in-policy-mismatch "1 in-policy-mismatch" "0 -"
	bundle_case "$f" clear-5002 in-cleartext "0 -" "0 -"
	bundle_case "$f" esp-over-ah in-policy-mismatch "1 in-policy-mismatch" "1 -"
	bundle_case "$f" bad-inner in-icv-fail "1 -" "0 in-icv-fail"
	bundle_case "$f" flip-payload in-icv-fail "0 in-icv-fail" "0 -"
done

drv quiet 1
t_eq "nothing delivered late" "$REPLY" ok
stop_drv
[ "$RX" = kipsec ] || t_done

# The tool reports what netlink said step by step.
craft_totals a in-bad-length in-cleartext in-icv-fail in-no-sa \
	in-policy-mismatch in-replay
craft_sa_counts a
for f in 4 6; do
	if [ "$f" = 4 ]; then dst=10.0.0.1; else dst=fd00::1; fi
	for line in "${AH_SAS[@]}" "bunesp 0x2100"; do
		read -r name spi _ <<<"$line"
		proto=ah
		[ "$name" = bunesp ] && proto=esp
		want=
		for field in packets replay_drops integrity_failures other_drops
		do
			want+=${want:+ }${SA_TOTAL[$name$f.$field]:-0}
		done
		t_eq "ipsecctl sa list: $name IPv$f: packets and drops" \
			"${SA_COUNTS[$dst $proto $((spi))]:-none}" "$want"
	done
	t_eq "IPv$f ESP SA untouched by AH with its SPI" \
		"${SA_COUNTS[$dst esp $((0x2000))]:-none}" "0 0 0 0"
done

t_done
