#!/bin/bash
# A protect policy whose SA is missing: at level require every packet is
# dropped and counted, never sent in cleartext; at level use it leaves in
# cleartext, and in ESP again as soon as there is an SA.  IPv4 and IPv6.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec: out policy only    |        | no policy; XFRM SA and in  |
#   |                            |        | policy in the last step    |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
#
# a has no inbound policy, so b's replies come back in cleartext.
# ESP_A=xfrm runs XFRM on a instead (checks the suite itself).
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; cleanup' EXIT

A=${ESP_A:-kipsec}
# shellcheck disable=SC2034 # lib.sh fills them
declare -A ESP_STATS CAP
NETXFER=$(dirname "$0")/netxfer.py
CAPDIR=$(mktemp -d)
SET=aes-128-gcm

# sent X Y: what the capture saw X send to Y, as sorted "KIND:WHAT=COUNT"
# words.
sent() {
	local key out=""
	for key in "${!CAP[@]}"; do
		case "$key" in
		"clear $1>$2 "* | "esp $1>$2 "* | "frag $1>$2 "*)
			out+="${key%% *}:${key##* }=${CAP[$key]}"$'\n' ;;
		esac
	done
	out=$(sort <<<"${out%$'\n'}")
	printf '%s' "${out//$'\n'/ }"
}

# level_use X Y: a's policy for X -> Y at level use instead.
level_use() {
	esp_flush "$A" a policy && esp_policy "$A" a out "$1" "$2" use
}

# sa_up X Y SPI: an SA for X -> Y on both hosts; b requires it.
sa_up() {
	esp_sa "$A" a "$SET" "$1" "$2" "$3" && esp_sa xfrm b "$SET" "$1" "$2" "$3" &&
	esp_policy xfrm b in "$1" "$2" require
}

clean() {
	esp_flush "$A" a policy && esp_flush "$A" a sa &&
	esp_flush xfrm b policy && esp_flush xfrm b sa
}

# level_test X Y SPI: the three steps under one capture, which must show
# exactly the pings of the last two, in cleartext and then in ESP.
level_test() {
	local x=$1 y=$2 spi=$3 since out packets icmp=icmp
	local port=$((40000 + spi % 100))

	[ "$x" = 10.0.0.1 ] || icmp=ipv6-icmp
	t_check "$x -> $y: protect, level require, no SA" \
		esp_policy "$A" a out "$x" "$y" require
	[ "$A" = kipsec ] && since=$(kipsec_counters a)
	cap_start b veth0 "$CAPDIR/level.pcap" || return
	out=$(in_ns a ping -n -q -c 3 -i 0.1 -W 1 "$y" 2>&1)
	t_eq "require: ping $y: nothing came back" \
		"$(t_has_line '^3 packets transmitted, 0 received' "$out" && echo none)" none
	out=$(/usr/bin/python3 "$NETXFER" udp a b "$y" "$port" 100,3000 2>&1)
	t_eq "require: UDP to $y: nothing arrived" "${out%%$'\n'*}" \
		"udp a>b $y sent 2 received 0 exact 0"
	if [ "$A" = kipsec ]; then
		t_eq "require: 3 pings and 2 datagrams dropped as out_no_sa" \
			"$(kipsec_drops a "$since")" "out_no_sa=5"
		packets=$(kipsec_counters a | jq .out_packets)
	fi

	t_check "$x -> $y: level use" level_use "$x" "$y"
	t_check "use: ping $y" ping_all a "$y" 3
	[ "$A" = kipsec ] && t_eq "use: nothing protected" \
		"$(kipsec_counters a | jq ".out_packets - $packets")" 0

	t_check "use: SA $x -> $y on both hosts, b requires it" \
		sa_up "$x" "$y" "$spi"
	t_check "use with an SA: ping $y" ping_all a "$y" 3
	cap_stop
	t_eq "$x sent b only the pings at level use, in cleartext, then in ESP" \
		"$(sent "$x" "$y")" "clear:$icmp=3 esp:$(printf '0x%x' "$spi")=3"
	esp_stats "$A" a
	t_eq "use with an SA: a's SA counted its pings" \
		"$(read -r n _ <<<"${ESP_STATS["a $y $spi"]:-}"; echo "$n")" 3

	t_check "$x -> $y: cleaned up" clean
}

[ "$A" = kipsec ] && load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
level_test 10.0.0.1 10.0.0.2 $((0x3000))
level_test fd00::1 fd00::2 $((0x3001))
[ "$A" = kipsec ] && t_eq "no other kipsec drops" "$(kipsec_drops a "" out_no_sa)" ""
rmdir "$CAPDIR"
t_done
