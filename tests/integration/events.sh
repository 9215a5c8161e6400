#!/bin/bash
# The "events" multicast group through `ipsecctl monitor`: every kind of
# event once, in the order of the changes, with exact contents (JSON), the
# same events as text lines; events are per namespace; ACQUIRE names the
# packet's selector, the policy and the template, at most 10 a second per
# policy, each policy with its own budget; a monitor stopped through a
# burst says "events lost" and goes on, one that keeps reading loses
# nothing; deleting a namespace and unloading the module with lifetime
# timers pending leave the kernel log clean (run.sh checks it).
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec; ipsecctl monitor,  |        | kipsec; ipsecctl -j monitor|
#   | -j and text, and a third   |        |                            |
#   | one stopped for the burst  |        |                            |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
#   c: a namespace deleted with lifetime timers pending
#
# KIPSEC_KERNEL=debug (every process costs about half a second) leaves out
# namespace isolation, the rate limit and the burst.
. "$(dirname "$0")/lib.sh"
t_init
trap 'mon_kill; cleanup' EXIT

declare -A MON_PID
PY=/usr/bin/python3
EVU=$(dirname "$0")/events_util.py
NL=$(dirname "$0")/kipsec_nl.py
DIR=$(mktemp -d)
KEY=0x$(printf '5a%.0s' {1..20})
AHKEY=0x$(printf '6b%.0s' {1..32})
DEBUG=0
[ "${KIPSEC_KERNEL:-stock}" = debug ] && DEBUG=1

# ---- the monitors (events_util.py) --------------------------------------

# mon_start NAME NS [text]: `ipsecctl [-j] monitor` of NS writes to
# $DIR/NAME.ev.
mon_start() {
	MON_PID[$1]=$(in_ns "$2" "$PY" "$EVU" start "$2" "$DIR/$1.ev" \
		"${3:-json}") ||
		{ t_fail "monitor $1 of $2 did not start"; return 1; }
}

mon_kill() {
	local name
	for name in "${!MON_PID[@]}"; do
		kill -TERM "${MON_PID[$name]}" 2>/dev/null
	done
	MON_PID=()
}

# mark NS NAME...: every event of NS so far is in the files of the NAMEd
# monitors (and a config event after them).
mark() {
	local ns=$1 name
	local -a files=()
	shift
	for name in "$@"; do
		files+=("$DIR/$name.ev")
	done
	in_ns "$ns" "$PY" "$EVU" mark "${files[@]}"
}

# ev NAME FIELDS MATCH...: FIELDS of the NAMEd monitor's matching events.
ev() {
	"$PY" "$EVU" show "$DIR/$1.ev" "${@:2}"
}

# sock_drops PID: how many messages the netlink socket of process PID
# (ipsecctl monitor has one) lost, from /proc/net/netlink of its namespace.
sock_drops() {
	local inode line
	local -a f
	inode=$(readlink "/proc/$1/fd/"* | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
	while read -ra f; do
		for line in $inode; do
			[ "${f[9]:-}" = "$line" ] && [ "${f[1]}" = 16 ] && echo "${f[8]}"
		done
	done <"/proc/$1/net/netlink"
}

# ---- every kind of event ------------------------------------------------

EXPECT=()

# did NAME... : the events a change must cause, in order.
did() {
	EXPECT+=("$@")
}

make_events() {
	local p1 p2 p3 out
	sa_add 10.0.0.1 10.0.0.2 0x3001 hard packets 100 && did sa-add
	"$IPSECCTL" -n a sa update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x3001 \
		enc aes-128-gcm key "$KEY" soft packets 50 hard packets 100 &&
		did sa-update
	"$IPSECCTL" -n a sa del dst 10.0.0.2 proto esp spi 0x3001 && did sa-del
	sa_add fd00::1 fd00::9 0x3002 soft add-seconds 1 hard add-seconds 2 &&
		did sa-add sa-expire sa-expire
	"$PY" "$EVU" wait "$DIR/a.ev" 20 2 hard event=sa-expire >/dev/null ||
		t_fail "the EXPIREs of 0x3002 did not come"
	for spi in 0x3003 0x3004; do
		"$IPSECCTL" -n a sa add src 10.0.0.1 dst 10.0.0.2 proto ah spi $spi \
			auth hmac-sha2-256 key "$AHKEY" && did sa-add
	done
	sa_add 10.0.0.1 10.0.0.2 0x3005 && did sa-add
	"$IPSECCTL" -n a sa flush proto ah && did sa-flush
	"$IPSECCTL" -n a sa flush && did sa-flush

	p1=$("$IPSECCTL" -n a -j policy add dir out dst 10.0.0.2 proto icmp \
		action protect esp spi 0x3006 | jq -r .id) && did policy-add
	"$IPSECCTL" -n a policy update id "$p1" dir out dst 10.0.0.2 proto icmp \
		priority 7 action protect esp spi 0x3006 level use &&
		did policy-update
	"$IPSECCTL" -n a policy del id "$p1" && did policy-del
	P1=$p1
	"$IPSECCTL" -n a policy add dir in src 10.0.0.2 action bypass >/dev/null &&
		did policy-add
	"$IPSECCTL" -n a policy add dir out dst 10.0.0.3 action bypass >/dev/null &&
		did policy-add
	"$IPSECCTL" -n a policy flush dir in && did policy-flush
	"$IPSECCTL" -n a policy flush && did policy-flush

	"$IPSECCTL" -n a policy default out discard && did config
	"$IPSECCTL" -n a policy default out bypass && did config
	"$IPSECCTL" -n a config esp off ah off default-in discard && did config
	"$IPSECCTL" -n a config esp on ah on default-in bypass && did config

	p2=$("$IPSECCTL" -n a -j policy add dir out dst 10.0.0.2 proto icmp \
		type 8 action protect esp | jq -r .id) && did policy-add
	p3=$("$IPSECCTL" -n a -j policy add dir out dst fd00::2 proto udp \
		dport 4500 action protect esp spi 0x3100 | jq -r .id) && did policy-add
	out=$(in_ns a ping -n -c 1 -W 1 10.0.0.2 2>&1)
	t_has_line '^1 packets transmitted, 0 received' "$out" && did acquire
	out=$(in_ns a "$PY" "$EVU" send-udp fd00::1 40000 fd00::2 4500 0.0005)
	[[ $out == "1 "* ]] && did acquire
	"$IPSECCTL" -n a policy flush && did policy-flush
	P2=$p2 P3=$p3
}

sa_add() {
	local src=$1 dst=$2 spi=$3
	shift 3
	"$IPSECCTL" -n a sa add src "$src" dst "$dst" proto esp spi "$spi" \
		enc aes-128-gcm key "$KEY" "$@"
}

check_events() {
	local want got
	want=$(printf '%s\n' "${EXPECT[@]}" config)
	t_eq "JSON: every event, in order (then the marker)" \
		"$(ev a event)" "$want"
	# The text lines start with the object and the verb.
	got=$(while read -r w1 w2 _; do
		case "$w1" in sa | policy) echo "$w1-$w2" ;; *) echo "$w1" ;; esac
	done <"$DIR/t.ev")
	t_eq "text: the same events, one line each" "$got" "$want"
	t_eq "text: an SA line" "$(sed -n 1p "$DIR/t.ev")" \
		"sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00003001 mode transport enc aes-128-gcm replay-window 128 seq 0 hard packets 100 stats packets 0 bytes 0"

	t_eq "sa-add, sa-update, sa-del: the SA, no key" \
		"$(ev a event,sa.src,sa.dst,sa.proto,sa.spi,sa.enc,sa.enc_key,sa.lifetime.soft.packets,sa.lifetime.hard.packets,sa.stats.packets sa.spi=12289)" \
		"sa-add 10.0.0.1 10.0.0.2 esp 12289 aes-128-gcm - 0 100 0
sa-update 10.0.0.1 10.0.0.2 esp 12289 aes-128-gcm - 50 100 0
sa-del 10.0.0.1 10.0.0.2 esp 12289 aes-128-gcm - 50 100 0"
	t_eq "sa-expire: soft then hard, the limit, the SA; no sa-del" \
		"$(ev a event,hard,limit,sa.src,sa.dst,sa.spi,sa.lifetime.hard.add_seconds sa.spi=12290 event!=sa-add)" \
		"sa-expire false add_seconds fd00::1 fd00::9 12290 2
sa-expire true add_seconds fd00::1 fd00::9 12290 2"
	t_eq "sa-flush: the protocol, how many" \
		"$(ev a proto,count event=sa-flush)" $'ah 2\n- 1'
	t_eq "policy-add, -update, -del: the policy" \
		"$(ev a event,policy.id,policy.dir,policy.priority,policy.dst,policy.proto,policy.action,policy.templates policy.id="$P1")" \
		"policy-add $P1 out 65536 10.0.0.2/32 1 protect [{\"proto\": \"esp\", \"spi\": 12294, \"mode\": \"transport\", \"level\": \"require\"}]
policy-update $P1 out 7 10.0.0.2/32 1 protect [{\"proto\": \"esp\", \"spi\": 12294, \"mode\": \"transport\", \"level\": \"use\"}]
policy-del $P1 out 7 10.0.0.2/32 1 protect [{\"proto\": \"esp\", \"spi\": 12294, \"mode\": \"transport\", \"level\": \"use\"}]"
	t_eq "policy-flush: the direction, how many" \
		"$(ev a dir,count event=policy-flush)" $'in 1\n- 1\n- 2'
	t_eq "config: every setting each time" \
		"$(ev a default_in,default_out,esp,ah event=config)" \
		"bypass discard true true
bypass bypass true true
discard bypass false false
bypass bypass true true
bypass bypass true true"
	t_eq "acquire: ICMP echo request, policy, template" \
		"$(ev a policy_id,src,dst,proto,sport,icmp_type,icmp_code,template.proto,template.spi,template.mode event=acquire proto=1)" \
		"$P2 10.0.0.1 10.0.0.2 1 - 8 0 esp - transport"
	t_eq "acquire: UDP over IPv6 with its ports, the template's SPI" \
		"$(ev a policy_id,src,dst,proto,sport,dport,icmp_type,template.proto,template.spi,template.mode event=acquire proto=17)" \
		"$P3 fd00::1 fd00::2 17 40000 4500 - esp 12544 transport"
}

# ---- per namespace ------------------------------------------------------

check_isolation() {
	mark b b
	t_eq "b's monitor saw nothing of a" "$(ev b event event!=config)" ""
	t_check "b: an SA" "$IPSECCTL" -n b sa add src 10.0.0.2 dst 10.0.0.1 \
		proto esp spi 0x3999 enc aes-128-gcm key "$KEY"
	mark b b && mark a a
	t_eq "b's monitor saw b's SA" "$(ev b event,sa.spi event!=config)" \
		"sa-add 14745"
	t_eq "a's monitor did not" "$(ev a event sa.spi=14745)" ""
}

# ---- ACQUIRE rate limit -------------------------------------------------

# Two require policies without SA, datagrams to both for 3 s: each policy
# sends at most 10 ACQUIREs a second, and more than half of 3 s worth of
# a shared budget (so the budget is its own).
check_rate_limit() {
	local q1 q2 out sent secs n1 n2 max since
	q1=$("$IPSECCTL" -n a -j policy add dir out dst 10.0.0.2 proto udp \
		dport 5001 action protect esp | jq -r .id)
	q2=$("$IPSECCTL" -n a -j policy add dir out dst 10.0.0.2 proto udp \
		dport 5002 action protect esp | jq -r .id)
	mark a a && : >"$DIR/a.ev"
	since=$(kipsec_counters a)
	out=$(in_ns a "$PY" "$EVU" send-udp 10.0.0.1 40001 10.0.0.2 5001,5002 3)
	read -r sent secs <<<"$out"
	mark a a
	n1=$(ev a dport event=acquire policy_id="$q1" | grep -c '^5001$')
	n2=$(ev a dport event=acquire policy_id="$q2" | grep -c '^5002$')
	max=$((10 * (${secs%.*} + 2)))
	t_log "rate limit: $sent datagrams in $secs s, ACQUIREs: $n1 and $n2"
	((n1 > 20 && n1 <= max)) && t_pass "rate limit: policy 1: $n1 ACQUIREs" ||
		t_fail "rate limit: policy 1: $n1 ACQUIREs in $secs s, want 21..$max"
	((n2 > 20 && n2 <= max)) && t_pass "rate limit: policy 2: $n2 ACQUIREs" ||
		t_fail "rate limit: policy 2: $n2 ACQUIREs in $secs s, want 21..$max"
	t_eq "rate limit: every datagram dropped as out_no_sa" \
		"$(kipsec_drops a "$since")" "out_no_sa=$sent"
	"$IPSECCTL" -n a policy flush
}

# ---- burst --------------------------------------------------------------

# A monitor stopped (SIGSTOP) while SAs are added 2000 at a time until its
# socket overflows; once it goes on (SIGCONT) it says "events lost" and
# prints later events.  The JSON monitor kept reading: it has every
# sa-add, or says it lost some.
check_burst() {
	local i added=0 drops=0 pid
	mon_start burst a text || return
	mark a a && : >"$DIR/a.ev"
	pid=${MON_PID[burst]}
	kill -STOP "$pid"
	for ((i = 0; i < 20 && drops == 0; i++)); do
		in_ns a "$PY" "$NL" bulk-sa 2000 $((0x100000 + added)) ||
			{ t_fail "burst: bulk-sa"; break; }
		added=$((added + 2000))
		drops=$(sock_drops "$pid")
		[ -n "$drops" ] || { t_fail "burst: no socket of $pid"; break; }
	done
	t_log "burst: $added SAs added, the stopped monitor lost $drops"
	((drops > 0)) && t_pass "burst: the stopped monitor's socket overflowed" ||
		t_fail "burst: no overflow after $added events"
	kill -CONT "$pid"
	t_check "burst: later events still come" mark a burst a
	t_check "burst: \"events lost\" reported" \
		grep -qx 'events lost' "$DIR/burst.ev"
	drops=$(sock_drops "${MON_PID[a]}")
	if [ "$drops" = 0 ]; then
		t_eq "burst: the reading monitor has every sa-add" \
			"$(ev a event event=sa-add | wc -l)" "$added"
	else
		t_eq "burst: the reading monitor lost $drops, and says so" \
			"$(ev a event event=lost)" lost
	fi
	t_check "burst: SAs flushed" "$IPSECCTL" -n a sa flush
}

# ---- teardown with timers pending ---------------------------------------

# timer_sas NS: SAs whose time limits are all pending, one due in 1 s.
timer_sas() {
	local ns=$1
	"$IPSECCTL" -n "$ns" sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x4001 \
		enc aes-128-gcm key "$KEY" soft add-seconds 1 hard add-seconds 3600 &&
	"$IPSECCTL" -n "$ns" sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x4002 \
		enc aes-128-gcm key "$KEY" hard add-seconds 2 &&
	"$IPSECCTL" -n "$ns" sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x4003 \
		enc aes-128-gcm key "$KEY" soft use-seconds 1 hard use-seconds 60
}

check_teardown() {
	ns_add c
	t_check "c: SAs with lifetime timers" timer_sas c
	t_check "c: deleted with them pending" ip netns del c
	mon_kill
	t_check "a: SAs with lifetime timers" timer_sas a
	t_check "a: used, so that a use-time timer runs too" \
		"$IPSECCTL" -n a policy add dir out dst 10.0.0.2 action protect esp
	in_ns a ping -n -c 1 -W 1 10.0.0.2 >/dev/null
	t_check "rmmod with timers pending" rmmod kipsec
	# Time for a timer left behind to fire (and be reported).
	sleep 3
	t_check "insmod again" insmod "$KIPSEC_KO"
	t_check "rmmod again" rmmod kipsec
}

load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
mon_start a a && mon_start t a text && mon_start b b &&
	t_pass "monitors started"
mark a a t && : >"$DIR/a.ev" && : >"$DIR/t.ev"
make_events
mark a a t
check_events
if [ "$DEBUG" = 0 ]; then
	check_isolation
	check_rate_limit
	check_burst
fi
check_teardown
rm -rf "$DIR"
t_done
