#!/bin/bash
# The runtime switches (`ipsecctl config esp|ah on|off`, OpenBSD's
# net.inet.esp.enable and net.inet.ah.enable): a protocol switched off is
# neither produced nor accepted.  Outbound at level require the packet is
# dropped as out_proto_disabled, without ACQUIRE; at level use it leaves
# in cleartext; inbound packets of that protocol are dropped as
# in_proto_disabled.  The other protocol goes on; switched on again,
# everything works.  ESP and AH, IPv4 and IPv6, counters and a capture.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec: ESP or AH with b,  |        | XFRM: the same SAs and     |
#   | switched off and on        |        | policies (level required)  |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |ESP, AH | fd00::2/64                 |
#   +----------------------------+        +----------------------------+
#
# KIPSEC_KERNEL=debug tests IPv4 only.
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; mon_kill; cleanup' EXIT

# shellcheck disable=SC2034 # lib.sh fills it
declare -A CAP
# shellcheck disable=SC2034 # cap_stop reads it: AH SPIs too
CAP_SUMMARY="ah_craft.py pcapsum"
PY=/usr/bin/python3
EVU=$(dirname "$0")/events_util.py
DIR=$(mktemp -d)
MON=
PAIRS=("10.0.0.1 10.0.0.2 icmp" "fd00::1 fd00::2 ipv6-icmp")
[ "${KIPSEC_KERNEL:-stock}" = debug ] && PAIRS=("${PAIRS[0]}")

mon_kill() {
	[ -n "$MON" ] && kill -TERM "$MON" 2>/dev/null
	MON=
}

# pings NS ADDR COUNT WANT: COUNT echo requests from NS, WANT answered.
pings() {
	local out
	out=$(in_ns "$1" ping -n -q -c "$3" -i 0.1 -W 1 "$2" 2>&1)
	t_has_line "^$3 packets transmitted, $4 received" "$out" && return 0
	echo "$out"
	return 1
}

# sa PROTO IMPL NS SRC DST SPI: the SA SRC -> DST of PROTO.
sa() {
	case "$1" in
	esp) esp_sa "$2" "$3" aes-128-gcm "${@:4}" ;;
	ah) ah_sa "$2" "$3" hmac-sha2-256 "${@:4}" ;;
	esac
}

# setup PROTO X Y SPI [LEVEL]: both hosts talk PROTO only, SPI X -> Y,
# SPI + 1 back; a's outbound policy at LEVEL.
setup() {
	local proto=$1 x=$2 y=$3 spi=$4 level=${5:-require}
	sa "$proto" kipsec a "$x" "$y" "$spi" &&
	sa "$proto" kipsec a "$y" "$x" $((spi + 1)) &&
	sa "$proto" xfrm b "$x" "$y" "$spi" &&
	sa "$proto" xfrm b "$y" "$x" $((spi + 1)) &&
	ipsec_host kipsec a "$x" "$y" "$proto" "$level" &&
	ipsec_host xfrm b "$y" "$x" "$proto"
}

level_use() {
	esp_flush kipsec a policy && ipsec_host kipsec a "$2" "$3" "$1" use
}

teardown() {
	esp_flush kipsec a policy && esp_flush kipsec a sa &&
	esp_flush xfrm b policy && esp_flush xfrm b sa
}

# switches ESP AH: sets both, checks what `config` says.
switches() {
	"$IPSECCTL" -n a config esp "$1" ah "$2" &&
	[ "$("$IPSECCTL" -n a -j config)" = \
	  "{\"default_in\":\"bypass\",\"default_out\":\"bypass\",\"esp\":$3,\"ah\":$4}" ]
}

# off_test PROTO X Y P SPI: PROTO switched off on a, the other on.
off_test() {
	local proto=$1 x=$2 y=$3 p=$4 spi=$5 since other=ah hex
	[ "$proto" = ah ] && other=esp
	hex=$(printf '0x%x' "$spi")
	t_check "$proto $x <-> $y: set up" setup "$proto" "$x" "$y" "$spi"
	t_check "$proto on: pings both ways" pings a "$y" 2 2
	if [ "$proto" = esp ]; then
		t_check "esp off, ah on" switches off on false true
	else
		t_check "ah off, esp on" switches on off true false
	fi
	since=$(kipsec_counters a)
	: >"$DIR/a.ev"
	cap_start b veth0 "$DIR/s.pcap" || return
	t_check "$proto off: $x -> $y: 3 pings, none answered" pings a "$y" 3 0
	t_check "$proto off: $y -> $x: 2 pings, none answered" pings b "$x" 2 0
	cap_stop
	t_eq "$proto off: a sent nothing, b sent 2 in $proto" \
		"$(cap_clear "$x" "$y")/$(cap_n "$proto $x>$y $hex")/$(cap_n "$proto $y>$x $(printf '0x%x' $((spi + 1)))")" \
		"/0/2"
	t_eq "$proto off: counted both ways" "$(kipsec_drops a "$since")" \
		"in_proto_disabled=2 out_proto_disabled=3"
	in_ns a "$PY" "$EVU" mark "$DIR/a.ev"
	t_eq "$proto off: no ACQUIRE" \
		"$("$PY" "$EVU" show "$DIR/a.ev" event event=acquire)" ""

	t_check "$proto off: level use instead" level_use "$proto" "$x" "$y"
	since=$(kipsec_counters a)
	cap_start b veth0 "$DIR/u.pcap" || return
	# b requires $proto: it drops the cleartext requests.
	t_check "$proto off, level use: 3 pings, none answered" pings a "$y" 3 0
	cap_stop
	t_eq "$proto off, level use: the requests left in cleartext" \
		"$(cap_clear "$x" "$y")/$(cap_n "$proto $x>$y $hex")" "$x>$y $p=3/0"
	t_eq "$proto off, level use: no drops on a" \
		"$(kipsec_drops a "$since")" ""
	t_check "$proto off, level use: cleaned up" teardown

	t_check "$other on: $other $x <-> $y set up" \
		setup "$other" "$x" "$y" $((spi + 0x100))
	t_check "$other on: pings both ways" pings a "$y" 2 2
	t_check "$other on: b's pings both ways" pings b "$x" 2 2
	t_check "$proto and $other: cleaned up" teardown

	t_check "$proto $x <-> $y: set up again" setup "$proto" "$x" "$y" "$spi"
	t_check "$proto on again" switches on on true true
	since=$(kipsec_counters a)
	cap_start b veth0 "$DIR/o.pcap" || return
	t_check "$proto on again: $x -> $y: pings" pings a "$y" 3 3
	t_check "$proto on again: $y -> $x: pings" pings b "$x" 2 2
	cap_stop
	t_eq "$proto on again: all in $proto" \
		"$(cap_clear "$x" "$y")/$(cap_n "$proto $x>$y $hex")" "/5"
	t_eq "$proto on again: no drops" "$(kipsec_drops a "$since")" ""
	t_check "$proto $x <-> $y: cleaned up" teardown
}

load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
t_eq "ESP and AH on at first" "$("$IPSECCTL" -n a config)" \
	$'default-in bypass\ndefault-out bypass\nesp on\nah on'
MON=$(in_ns a "$PY" "$EVU" start a "$DIR/a.ev") || t_fail "monitor did not start"
spi=$((0x6000))
for pair in "${PAIRS[@]}"; do
	read -r x y p <<<"$pair"
	for proto in esp ah; do
		off_test "$proto" "$x" "$y" "$p" "$spi"
		spi=$((spi + 0x10))
	done
done
mon_kill
rm -rf "$DIR"
t_done
