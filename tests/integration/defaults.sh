#!/bin/bash
# The default policy per direction (`ipsecctl policy default in|out
# bypass|discard`, bypass at first): with discard, a packet no policy
# matches neither leaves (out_default_discard) nor is accepted
# (in_default_discard), IPv4 and IPv6, as the counters and a capture on b
# show; bypass and protect policies still work under it; bypass again
# restores the traffic.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec: defaults; bypass   |        | XFRM: ESP with a in the    |
#   | ff00::/8 (neighbour and    |        | protect step               |
#   | listener discovery)        |        |                            |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
#
# Neighbours are pinned, and IPv6 multicast is bypassed both ways, so that
# only the test's own packets meet the defaults.  KIPSEC_KERNEL=debug
# tests IPv4 only.
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; cleanup' EXIT

# shellcheck disable=SC2034 # lib.sh fills it
declare -A CAP
DIR=$(mktemp -d)
PAIRS=("10.0.0.1 10.0.0.2 icmp" "fd00::1 fd00::2 ipv6-icmp")
[ "${KIPSEC_KERNEL:-stock}" = debug ] && PAIRS=("${PAIRS[0]}")

ctl() {
	"$IPSECCTL" -n a "$@"
}

# pings NS ADDR COUNT WANT: COUNT echo requests from NS, WANT answered.
pings() {
	local out
	out=$(in_ns "$1" ping -n -q -c "$3" -i 0.1 -W 1 "$2" 2>&1)
	t_has_line "^$3 packets transmitted, $4 received" "$out" && return 0
	echo "$out"
	return 1
}

# udp NS DST PORT: one datagram from NS (bash's own /dev/udp: no process).
udp() {
	in_ns "$1" bash -c "echo default >/dev/udp/$2/$3" 2>/dev/null
	return 0
}

# clear_list X Y: cap_clear X Y sorted, "SRC>DST PROTO=COUNT, ...".
clear_list() {
	local -a w
	local i out=""
	read -ra w <<<"$(cap_clear "$@")"
	for ((i = 0; i < ${#w[@]}; i += 2)); do
		out+="${w[i]} ${w[i + 1]}"$'\n'
	done
	out=$(sort <<<"${out%$'\n'}")
	printf '%s' "${out//$'\n'/, }"
}

# defaults IN OUT: sets both and checks what `policy default` says.
defaults() {
	ctl policy default in "$1" && ctl policy default out "$2" &&
	[ "$(ctl policy default)" = "in $1"$'\n'"out $2" ] &&
	[ "$(ctl -j policy default)" = "{\"in\":\"$1\",\"out\":\"$2\"}" ]
}

# out_discard X Y P: a sends nothing to Y, b's echo requests to X go
# unanswered (a has no outbound policy for its replies either).
out_discard() {
	local x=$1 y=$2 p=$3 since
	since=$(kipsec_counters a)
	cap_start b veth0 "$DIR/o.pcap" || return
	t_check "out discard: $x -> $y: 3 pings, none answered" pings a "$y" 3 0
	udp a "$y" 7000
	t_check "out discard: $y -> $x: 2 pings, none answered" pings b "$x" 2 0
	cap_stop
	t_eq "out discard: $x sent b nothing" "$(cap_clear "$x" "$y")" \
		"$y>$x $p=2"
	t_eq "out discard: counted: 3 pings, 1 datagram, 2 replies" \
		"$(kipsec_drops a "$since")" "out_default_discard=6"
}

# in_discard X Y P: a's echo requests leave, b's replies and requests
# are dropped in a.
in_discard() {
	local x=$1 y=$2 p=$3 since
	since=$(kipsec_counters a)
	cap_start b veth0 "$DIR/i.pcap" || return
	t_check "in discard: $x -> $y: 3 pings, none answered" pings a "$y" 3 0
	t_check "in discard: $y -> $x: 2 pings, none answered" pings b "$x" 2 0
	udp b "$x" 7000
	cap_stop
	t_eq "in discard: the requests left a, b's came, nothing else" \
		"$(clear_list "$x" "$y")" "$x>$y $p=3, $y>$x $p=5, $y>$x udp=1"
	t_eq "in discard: counted: 3 replies, 2 pings, 1 datagram" \
		"$(kipsec_drops a "$since")" "in_default_discard=6"
}

# policies_work X Y P: discard both ways; ICMP bypass policies let pings
# through, UDP still dropped both ways; then a protect policy for all of
# X <-> Y (ESP with b's XFRM) carries UDP and ICMP.
policies_work() {
	local x=$1 y=$2 p=$3 since id_out id_in
	since=$(kipsec_counters a)
	id_out=$(ctl -j policy add dir out src "$x" dst "$y" proto "$p" \
		action bypass | jq -r .id)
	id_in=$(ctl -j policy add dir in src "$y" dst "$x" proto "$p" \
		action bypass | jq -r .id)
	cap_start b veth0 "$DIR/p.pcap" || return
	t_check "discard both, $p bypassed: $x -> $y pings" pings a "$y" 3 3
	t_check "discard both, $p bypassed: $y -> $x pings" pings b "$x" 2 2
	udp a "$y" 7000
	udp b "$x" 7000
	cap_stop
	t_eq "discard both, $p bypassed: only the pings on the wire" \
		"$(clear_list "$x" "$y")" "$x>$y $p=5, $y>$x $p=5, $y>$x udp=1"
	t_eq "discard both, $p bypassed: the datagrams counted" \
		"$(kipsec_drops a "$since")" \
		"in_default_discard=1 out_default_discard=1"
	ctl policy del id "$id_out" && ctl policy del id "$id_in"

	since=$(kipsec_counters a)
	t_check "discard both: protect $x <-> $y" \
		esp_host kipsec a "$x" "$y"
	t_check "discard both: the SAs" sa_both "$x" "$y"
	t_check "discard both: XFRM on b" esp_host xfrm b "$y" "$x"
	cap_start b veth0 "$DIR/e.pcap" || return
	t_check "discard both, protected: $x -> $y pings" pings a "$y" 3 3
	t_check "discard both, protected: $y -> $x pings" pings b "$x" 2 2
	cap_stop
	t_eq "discard both, protected: nothing in cleartext" \
		"$(cap_clear "$x" "$y")" ""
	t_eq "discard both, protected: in ESP" \
		"$(cap_n "esp $x>$y 0x5001") $(cap_n "esp $y>$x 0x5002")" "5 5"
	t_eq "discard both, protected: no drops" "$(kipsec_drops a "$since")" ""
	esp_flush kipsec a policy && esp_flush kipsec a sa &&
	esp_flush xfrm b policy && esp_flush xfrm b sa
	# ff00::/8 again, for the next family
	bypass_multicast
}

sa_both() {
	local impl
	for impl in kipsec xfrm; do
		local ns=a
		[ "$impl" = xfrm ] && ns=b
		esp_sa "$impl" "$ns" aes-128-gcm "$1" "$2" 0x5001 &&
		esp_sa "$impl" "$ns" aes-128-gcm "$2" "$1" 0x5002 || return 1
	done
}

bypass_multicast() {
	ctl policy add dir out dst ff00::/8 action bypass >/dev/null &&
	ctl policy add dir in dst ff00::/8 action bypass >/dev/null
}

load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
t_check "a: IPv6 multicast bypassed" bypass_multicast
t_eq "bypass both at first" "$(ctl policy default)" $'in bypass\nout bypass'

for pair in "${PAIRS[@]}"; do
	read -r x y p <<<"$pair"
	t_check "$x -> $y: pings with the first defaults" pings a "$y" 3 3
	t_check "default in bypass, out discard" defaults bypass discard
	out_discard "$x" "$y" "$p"
	t_check "default in discard, out bypass" defaults discard bypass
	in_discard "$x" "$y" "$p"
	t_check "default discard both ways" defaults discard discard
	policies_work "$x" "$y" "$p"
	t_check "default bypass both ways again" defaults bypass bypass
	since=$(kipsec_counters a)
	t_check "bypass again: $x -> $y pings" pings a "$y" 3 3
	t_check "bypass again: $y -> $x pings" pings b "$x" 3 3
	t_eq "bypass again: no drops" "$(kipsec_drops a "$since")" ""
done
rm -rf "$DIR"
t_done
