#!/bin/bash
# Namespace counters and ACQUIRE events.  `ipsecctl stats` names every
# counter the kernel sends, in text and JSON, and only CAP_NET_ADMIN may
# read them or hear events.  An outbound packet whose protect policy has no
# SA never reaches the wire: it counts under out-no-sa, and an ACQUIRE on
# the "events" group names the policy, the packet and the template.
# Discard policies, and cleartext where IPsec is required, count each under
# their own reason, only in the namespace that dropped the packet.
#
#   +--------------- a ---------------+      +------------- b -------------+
#   | veth0 10.0.0.1/24, fd00::1/64   |------| veth0 10.0.0.2/24           |
#   | out protect esp, no SA:         |      |       fd00::2/64            |
#   |   udp :9, icmp echo, icmp6 echo |      | no policy; captures what a  |
#   | out discard udp :13             |      | sends on veth0              |
#   | in  discard udp :14             |      |                             |
#   | in  protect esp udp :15         |      |                             |
#   | anything else: bypass           |      |                             |
#   | ACQUIRE listener                |      |                             |
#   +---------------------------------+      +-----------------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
two_hosts

nl=tests/integration/kipsec_nl.py
py=/usr/bin/python3
ctl() { local ns=$1; shift; "$IPSECCTL" -n "$ns" "$@"; }
nobody() { in_ns a setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all "$@"; }

tmp=$(mktemp -d)
bg_pids=()
stats_cleanup() {
	local pid
	for pid in "${bg_pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	rm -rf "$tmp"
	cleanup
}
trap stats_cleanup EXIT

# nap SECONDS and until_true SECONDS CMD...: waits without a process each
# (a read that times out on a FIFO nobody writes).
mkfifo "$tmp/nap"
exec {nap_fd}<>"$tmp/nap"
nap() { read -rt "$1" -u "$nap_fd" || :; }
until_true() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < end)) || return 1
		nap 0.05
	done
}

# nonzero NS: "name=value ..." of the counters that are not 0, in order.
nonzero() {
	local name value out=
	while read -r name value; do
		[ "$value" = 0 ] || out+="$name=$value "
	done <<<"$(ctl "$1" stats)"
	echo "${out% }"
}

# --- the counters of a new namespace: every name, in order, all 0
names=(in-packets in-bytes in-no-sa in-replay in-icv-fail in-bad-padding
	in-bad-length in-policy-mismatch in-cleartext in-policy-discard
	in-sa-unusable out-packets out-bytes out-no-sa out-seq-exhausted
	out-policy-discard out-too-big out-bad-packet no-memory crypto-error
	in-default-discard out-default-discard in-proto-disabled
	out-proto-disabled out-sa-expired)
got_names=() got_sum=0
while read -r name value; do
	got_names+=("$name")
	got_sum=$((got_sum + value))
done <<<"$(ctl a stats)"
t_eq "stats names every counter in order" "${got_names[*]}" "${names[*]}"
t_eq "a new namespace counts nothing" "$got_sum" 0
want_json=()
for name in "${names[@]}"; do
	want_json+=("${name//-/_}=number")
done
t_eq "stats -j: the same counters, '_' in keys, numbers" \
	"$(ctl a -j stats | jq -r '[to_entries[] | "\(.key)=\(.value | type)"] |
		join(" ")')" "${want_json[*]}"

t_refuse "unprivileged stats" 1 '^ipsecctl: stats: .*(ermission|not permitted)' \
	nobody "$IPSECCTL" stats
t_refuse "unprivileged may not hear events" 1 \
	'^listen: join events: Operation not permitted' \
	nobody "$py" "$nl" listen-acquire 1

# --- a's policies; everything they do not name is let through
add() { ctl a -j policy add "$@" | jq -r .id; }
id_udp=$(add dir out dst 10.0.0.2 proto udp dport 9 action protect esp)
id_icmp=$(add dir out dst 10.0.0.2 proto icmp type 8 action protect esp)
id_icmp6=$(add dir out dst fd00::2 proto ipv6-icmp type 128 action protect \
	esp spi 0x3000)
t_check "out discard policy" ctl a policy add dir out dst 10.0.0.2 proto udp \
	dport 13 action discard
t_check "in discard policy" ctl a policy add dir in src 10.0.0.2 proto udp \
	dport 14 action discard
t_check "in protect policy" ctl a policy add dir in src 10.0.0.2 proto udp \
	dport 15 action protect esp
for dir in out in; do
	t_check "$dir bypass for the rest" ctl a policy add dir "$dir" \
		priority 0x100000 action bypass
done

# --- outbound: what a sends, what b sees, what a's key manager hears
ip netns exec b tcpdump -i veth0 -n -U -Z root -w "$tmp/cap" \
	'ip src 10.0.0.1 or ip6 src fd00::1' 2>"$tmp/cap.err" &
bg_pids+=($!)
ip netns exec a "$py" "$nl" listen-acquire 120 "$tmp/ready" \
	>"$tmp/acquire" 2>&1 &
bg_pids+=($!)
cap_ready() { [[ $(<"$tmp/cap.err") == *"listening on"* ]]; }
until_true 60 cap_ready || t_fail "tcpdump did not start: $(<"$tmp/cap.err")"
until_true 120 test -e "$tmp/ready" || t_fail "the listener did not start"

# send NS DST:PORT[,OPTS]: one 2-byte datagram (dropped ones fail: EPERM)
send() { in_ns "$1" socat -u - "UDP4-SENDTO:$2" <<<x 2>/dev/null || :; }
# first what must not cause an ACQUIRE, so that one would come first
send a 10.0.0.2:13
send a 10.0.0.2:7,sourceport=40007
send a 10.0.0.2:9,sourceport=40000
in_ns a ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1
in_ns a ping -c 1 -W 1 fd00::2 >/dev/null 2>&1

acquires() { mapfile -t lines <"$tmp/acquire"; [ "${#lines[@]}" -ge 3 ]; }
until_true 30 acquires
kill "${bg_pids[@]}" 2>/dev/null
wait "${bg_pids[@]}" 2>/dev/null
bg_pids=()
t_eq "one ACQUIRE per dropped packet, none else" "$(<"$tmp/acquire")" \
"policy_id=$id_udp src=10.0.0.1 dst=10.0.0.2 proto=17 sport=40000 dport=9 tmpl_proto=50 tmpl_mode=0
policy_id=$id_icmp src=10.0.0.1 dst=10.0.0.2 proto=1 icmp_type=8 icmp_code=0 tmpl_proto=50 tmpl_mode=0
policy_id=$id_icmp6 src=fd00::1 dst=fd00::2 proto=58 icmp_type=128 icmp_code=0 tmpl_proto=50 tmpl_mode=0 tmpl_spi=12288"
t_eq "only the bypassed packet on the wire" \
	"$(tcpdump -r "$tmp/cap" -n -t 2>/dev/null)" \
	"IP 10.0.0.1.40007 > 10.0.0.2.7: UDP, length 2"
t_eq "a counts its outbound drops by reason" "$(nonzero a)" \
	"out-no-sa=3 out-policy-discard=1"

# --- inbound: b's cleartext to a; 16 is the control that gets through
for port in 14 15 16; do
	send b "10.0.0.1:$port"
done
no_ports=
while read -r proto in_datagrams ports _; do
	# the header line names the fields, the next one holds the values
	[ "$proto" = Udp: ] && [ "$in_datagrams" != InDatagrams ] &&
		no_ports=$ports
done <<<"$(in_ns a cat /proc/net/snmp)"
t_eq "only the control reached a's UDP (NoPorts)" "$no_ports" 1
t_eq "a counts its inbound drops by reason" "$(nonzero a)" \
	"in-cleartext=1 in-policy-discard=1 out-no-sa=3 out-policy-discard=1"
t_eq "b counts nothing" "$(nonzero b)" ""

# --- the same counters three ways: text, JSON, a raw netlink client
text=$(ctl a stats)
t_eq "stats -j says what stats says" \
	"$(ctl a -j stats | jq -r 'to_entries[] | "\(.key | gsub("_"; "-")) \(.value)"')" \
	"$text"
t_eq "ipsecctl names what the kernel sends (uapi names)" \
	"$(in_ns a "$py" "$nl" stats | sort)" "$(sort <<<"$text")"
t_done
