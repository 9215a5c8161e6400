#!/bin/bash
# Bad ESP on kipsec's transport-mode receive path: truncated packets, wrong
# ICVs, a bit flipped in each part, bad padding, a lying next header,
# replayed and too old sequence numbers, unknown SPIs, an AH SA's and a
# tunnel SA's SPI, an empty payload, cleartext where a policy wants ESP,
# decrypted packets no policy lets through this SA, and packets over the
# MTU (as fragments).  Host b runs no IPsec: esp_craft.py writes every frame
# itself with the SAs' keys (checked byte for byte against XFRM when it was
# written).  Each bad packet goes between two valid ones through the same
# SA: the valid ones are delivered byte-exact to a UDP listener, the bad
# one is captured on a's veth0 but never delivered, its reason goes up by
# one and no other counter moves but in-packets and in-bytes for the valid
# ones.  IPv4 and IPv6 alike; at the end `ipsecctl stats` and `sa list`
# agree with the sum of every step's netlink reading, and late deliveries
# are looked for.
#
#   +------------------- a --------------------+     +---------- b ----------+
#   | kipsec, inbound ESP SAs from b:          |     | no IPsec              |
#   |   0x2000 aes-128-gcm (gcm)               |     |                       |
#   |   0x2001 null + hmac-sha2-256 (null)     |     | esp_craft.py writes   |
#   |   0x2002 aes-128-gcm, esn (esn)          |     | Ethernet frames on    |
#   |   0x2003 null + hmac-sha2-256, esn (esnn)|     | veth0 (AF_PACKET)     |
#   |   0x2004 aes-128-gcm, tunnel mode        |     |                       |
#   |   AH 0x3000                              |     |                       |
#   | in: udp dport 5000: protect esp          |     |                       |
#   |     udp dport 5001: protect esp,         |     |                       |
#   |                     spi 0x2000 only      |     |                       |
#   |     6000, 7000: no policy                |     |                       |
#   | esp_craft.py: UDP listeners on 5000,     |     |                       |
#   | 5001, 6000, 7000, capture of veth0,      |     |                       |
#   | counters over netlink                    |     |                       |
#   | veth0 10.0.0.1, fd00::1                  |-----| veth0 10.0.0.2, ::2   |
#   +------------------------------------------+     +-----------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
two_hosts

ctl() { "$IPSECCTL" -n a "$@"; }
GCM_KEY=0x6b69707365632d6573702d6261642d67636d2121
HMAC_KEY=0x6b69707365632d6573702d6261642d686d61632d7368612d3235362d6b657921

# add_sas FAMILY SRC DST: the SAs and policies of the drawing in a.
add_sas() {
	local f=$1 src=$2 dst=$3 ok=1
	ctl sa add src "$src" dst "$dst" proto esp spi 0x2000 \
		enc aes-128-gcm key "$GCM_KEY" || ok=
	ctl sa add src "$src" dst "$dst" proto esp spi 0x2001 \
		enc null key 0x auth hmac-sha2-256 key "$HMAC_KEY" || ok=
	ctl sa add src "$src" dst "$dst" proto esp spi 0x2002 \
		enc aes-128-gcm key "$GCM_KEY" esn || ok=
	ctl sa add src "$src" dst "$dst" proto esp spi 0x2003 \
		enc null key 0x auth hmac-sha2-256 key "$HMAC_KEY" esn || ok=
	ctl sa add src "$src" dst "$dst" proto esp spi 0x2004 mode tunnel \
		enc aes-128-gcm key "$GCM_KEY" || ok=
	ctl sa add src "$src" dst "$dst" proto ah spi 0x3000 \
		auth hmac-sha2-256 key "$HMAC_KEY" || ok=
	ctl policy add dir in src "$src" dst "$dst" proto udp dport 5000 \
		action protect esp >/dev/null || ok=
	ctl policy add dir in src "$src" dst "$dst" proto udp dport 5001 \
		action protect esp spi 0x2000 >/dev/null || ok=
	t_eq "IPv$f SAs and policies installed" "$ok" 1
}

# copy_sas FAMILY SRC DST: esp_craft.py's copies of the ESP SAs of a that
# it uses, named by kind and family: gcm4, null4, esn4, esnn4, gcm6...
copy_sas() {
	local f=$1 src=$2 dst=$3
	drv sa "gcm$f" src="$src" dst="$dst" spi=0x2000 enc=aes-128-gcm \
		key="$GCM_KEY"
	t_eq "IPv$f: esp_craft.py knows gcm$f" "$REPLY" ok
	drv sa "null$f" src="$src" dst="$dst" spi=0x2001 enc=null \
		auth=hmac-sha2-256 akey="$HMAC_KEY"
	t_eq "IPv$f: esp_craft.py knows null$f" "$REPLY" ok
	drv sa "esn$f" src="$src" dst="$dst" spi=0x2002 enc=aes-128-gcm \
		key="$GCM_KEY" esn
	t_eq "IPv$f: esp_craft.py knows esn$f" "$REPLY" ok
	drv sa "esnn$f" src="$src" dst="$dst" spi=0x2003 enc=null \
		auth=hmac-sha2-256 akey="$HMAC_KEY" esn
	t_eq "IPv$f: esp_craft.py knows esnn$f" "$REPLY" ok
}

# The counters a case may move, in the order esp_craft.py lists them.
NS_NAMES=(in-bad-length in-bad-padding in-bytes in-cleartext in-icv-fail
	in-no-sa in-packets in-policy-discard in-policy-mismatch in-replay
	in-sa-unusable)
SA_NAMES=(integrity_failures other_drops packets replay_drops)
declare -A NS_TOTAL=() SA_TOTAL=() WANT=()

# listing PREFIX NAMES...: "name+n,..." of the nonzero WANT[PREFIX.name]
# in that order ("-" if none) in LISTING.
listing() {
	local prefix=$1 name
	shift
	LISTING=
	for name in "$@"; do
		[ "${WANT[$prefix.$name]:-0}" = 0 ] && continue
		LISTING+=${LISTING:+,}$name+${WANT[$prefix.$name]}
	done
	LISTING=${LISTING:--}
}

# add_up PREFIX LISTING: adds a "name+n,..." listing into the totals.
add_up() {
	local prefix=$1 item key
	[ "$2" = - ] && return
	for item in ${2//,/ }; do
		key=${item%+*}
		if [ "$prefix" = ns ]; then
			NS_TOTAL[$key]=$((${NS_TOTAL[$key]:-0} + ${item##*+}))
		else
			key=$prefix.$key
			SA_TOTAL[$key]=$((${SA_TOTAL[$key]:-0} + ${item##*+}))
		fi
	done
}

# judge WHAT SA REASON HOW: checks esp_craft.py's answer in REPLY, "ok N
# BYTES NS SA": N valid ESP packets of BYTES inner bytes were delivered;
# the namespace must have counted exactly them and one drop for REASON
# ("-": none), the SA its traffic and the drop (see drop_case).
judge() {
	local what=$1 sa=$2 reason=$3 how=$4 ok n bytes ns sad field
	read -r ok n bytes ns sad <<<"$REPLY"
	if [ "$ok" != ok ] || [ -z "$sad" ]; then
		t_fail "$what: $REPLY"
		return
	fi
	t_pass "$what: delivered only the $n valid ESP packet(s), byte-exact"
	WANT=([ns.in-packets]=$n [ns.in-bytes]=$bytes [sa.packets]=$n)
	[ "$reason" != - ] && WANT[ns.$reason]=1
	[ "$how" = auth ] && WANT[sa.packets]=$((n + 1))
	case "$reason" in
	in-replay) field=replay_drops ;;
	in-icv-fail) field=integrity_failures ;;
	*) field=other_drops ;;
	esac
	[ "$reason" != - ] && [ "$how" != nosa ] && WANT[sa.$field]=1
	listing ns "${NS_NAMES[@]}"
	local want_ns=$LISTING
	listing sa "${SA_NAMES[@]}"
	t_eq "$what: counters (namespace, SA)" "$ns $sad" "$want_ns $LISTING"
	add_up ns "$ns"
	add_up "$sa" "$sad"
}

# drop_case SA CASE REASON [nosa|auth]: CASE's packet, sent with SA's keys
# between two valid packets through SA, is not delivered and counts once
# under REASON ("-": under no counter).  The SA counts it as a replay,
# integrity or other drop, unless "nosa": the packet never got to it;
# "auth": it passed its ICV, so the SA counts it as traffic as well.
drop_case() {
	local as="as $3"
	[ "$3" = - ] && as="uncounted"
	drv drop "$1" "$2"
	judge "${1%[46]} IPv${1: -1} $2: dropped $as" "$1" "$3" "${4:-}"
}

# pass_case SA CASE: CASE's packet is delivered and counted as traffic.
pass_case() {
	drv pass "$1" "$2"
	judge "${1%[46]} IPv${1: -1} $2: delivered" "$1" - ""
}

# Python takes most of a minute to start in the debug guest: meanwhile
# ipsecctl installs the SAs.
trap 'stop_drv; cleanup' EXIT
coproc DRV { exec /usr/bin/python3 "$(dirname "$0")/esp_craft.py" serve a b; }
add_sas 4 10.0.0.2 10.0.0.1
add_sas 6 fd00::2 fd00::1
read -r -t 600 line <&"${DRV[0]}"
t_eq "esp_craft.py ready" "${line:-}" ready
[ "${line:-}" = ready ] || exit 1
copy_sas 4 10.0.0.2 10.0.0.1
copy_sas 6 fd00::2 fd00::1

for f in 4 6; do
	if [ "$f" = 4 ]; then spoof=10.0.0.3; else spoof=fd00::3; fi
	for sa in "gcm$f" "null$f"; do
		pass_case "$sa" good
		# Over the MTU: as IP fragments, reassembled before ESP
		pass_case "$sa" frag
		pass_case "$sa" frag-rev
		drop_case "$sa" frag-flip in-icv-fail
		# Truncated: too short to find the SA, cut in the header, in
		# the IV, short of an ICV; cut by 4 (the ICV read is wrong)
		# and by 1 (not a multiple of 4)
		drop_case "$sa" trunc-2 in-bad-length nosa
		drop_case "$sa" trunc-spi in-bad-length
		drop_case "$sa" trunc-hdr in-bad-length
		[ "$sa" = "gcm$f" ] && drop_case "$sa" trunc-iv in-bad-length
		drop_case "$sa" trunc-icv in-bad-length
		drop_case "$sa" cut-icv in-icv-fail
		drop_case "$sa" cut-1 in-bad-length
		# Forged (another key), then one bit flipped in each part
		drop_case "$sa" icv in-icv-fail
		drop_case "$sa" flip-spi in-no-sa nosa
		drop_case "$sa" flip-seq in-icv-fail
		[ "$sa" = "gcm$f" ] && drop_case "$sa" flip-iv in-icv-fail
		drop_case "$sa" flip-ct in-icv-fail
		drop_case "$sa" flip-trailer in-icv-fail
		drop_case "$sa" flip-icv in-icv-fail
		# Authentic but malformed inside
		drop_case "$sa" padlen in-bad-padding auth
		drop_case "$sa" padbytes in-bad-padding auth
		drop_case "$sa" empty in-bad-length auth
		# Next header TCP over a UDP datagram: no TCP policy
		drop_case "$sa" nh-tcp in-policy-mismatch auth
		# Next header 59, RFC 4303's dummy packet: silently discarded
		drop_case "$sa" dummy - auth
		# Sequence numbers: 0, seen, left behind by the window
		drop_case "$sa" seq0 in-replay
		drop_case "$sa" replay in-replay
		drop_case "$sa" too-old in-replay
		# SPIs: unknown, an AH SA's, a tunnel-mode SA's
		drop_case "$sa" spi-0x9999 in-no-sa nosa
		drop_case "$sa" spi-0x3000 in-no-sa nosa
		drop_case "$sa" spi-0x2004 in-sa-unusable nosa
		# Policies: cleartext where ESP is required, and where not;
		# decrypted packets that no policy lets in through this SA
		drop_case "$sa" clear-5000 in-cleartext nosa
		pass_case "$sa" clear-7000
		drop_case "$sa" to-6000 in-policy-mismatch auth
		drop_case "$sa" "src-$spoof" in-policy-mismatch auth
	done
	pass_case "gcm$f" to-5001
	drop_case "null$f" to-5001 in-policy-mismatch auth
	for sa in "esn$f" "esnn$f"; do
		pass_case "$sa" good
		pass_case "$sa" esn-wrap
		drop_case "$sa" esn-wrong-hi in-icv-fail
		drop_case "$sa" replay in-replay
		drop_case "$sa" padbytes in-bad-padding auth
	done
done

# Without a capture the packets are not clones: ESP decrypts in place.
drv capture off
t_eq "capture closed" "$REPLY" ok
for f in 4 6; do
	pass_case "gcm$f" good
	pass_case "gcm$f" frag
	drop_case "gcm$f" icv in-icv-fail
	drop_case "gcm$f" frag-flip in-icv-fail
	drop_case "null$f" padbytes in-bad-padding auth
	drop_case "null$f" flip-ct in-icv-fail
done

drv quiet 1
t_eq "nothing delivered late" "$REPLY" ok
stop_drv

# The tool reports what netlink said step by step.
craft_totals a in-bad-length in-bad-padding in-cleartext in-icv-fail \
	in-no-sa in-policy-mismatch in-replay in-sa-unusable
craft_sa_counts a
for f in 4 6; do
	if [ "$f" = 4 ]; then dst=10.0.0.1; else dst=fd00::1; fi
	spi=$((0x2000))
	for sa in "gcm$f" "null$f" "esn$f" "esnn$f"; do
		want=
		for name in packets replay_drops integrity_failures other_drops
		do
			want+=${want:+ }${SA_TOTAL[$sa.$name]:-0}
		done
		t_eq "ipsecctl sa list: $sa: packets and drops" \
			"${SA_COUNTS[$dst esp $spi]:-none}" "$want"
		spi=$((spi + 1))
	done
	t_eq "IPv$f tunnel-mode SA: 2 packets for it, both other drops" \
		"${SA_COUNTS[$dst esp $((0x2004))]:-none}" "0 0 0 2"
	t_eq "IPv$f AH SA untouched by ESP with its SPI" \
		"${SA_COUNTS[$dst ah $((0x3000))]:-none}" "0 0 0 0"
done

t_done
