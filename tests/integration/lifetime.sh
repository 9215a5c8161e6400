#!/bin/bash
# SA lifetimes (RFC 4301 4.4.2.1): every kind of limit, soft and hard, seen
# by `ipsecctl -j monitor` as exact events: a soft limit sends one soft
# EXPIRE; a hard one ends the SA's use at once (the packet that reaches
# it is the last: outbound then falls back per the policy's level, inbound
# packets for it are dropped and counted), sends one hard EXPIRE naming the
# limit and deletes the SA (no SA_DEL event).  Count limits are exact
# (bytes of the inner packets); time limits fire neither early nor much
# late, also for staggered SAs while a ping flood loads the guest.  The
# sequence number of an SA without ESN running out is a hard expiry.
#
#   +------------- a ------------+        +------------- b ------------+
#   | kipsec, ipsecctl -j monitor|        | kipsec, ipsecctl -j monitor|
#   | out 10.0.0.2: ESP require  |        | out a: ESP; in 10.0.0.1:   |
#   | out fd00::2: ESP level use |        | ESP require, fd00::1: use  |
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24  tcpdump |
#   |       fd00::1/64           |  ESP   |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
#
# b -> a uses SAs without limits; each case adds its a -> b SA on both
# hosts, the limits on one of them.  KIPSEC_KERNEL=debug (every process
# costs about half a second) runs fewer cases with wider time tolerances.
. "$(dirname "$0")/lib.sh"
t_init
trap 'cap_kill; mon_kill; cleanup' EXIT

# shellcheck disable=SC2034 # lib.sh fills it
declare -A CAP MON_PID
PY=/usr/bin/python3
EVU=$(dirname "$0")/events_util.py
DIR=$(mktemp -d)
KEY=0x$(printf '5a%.0s' {1..20})
# How late (microseconds) a time limit may fire: the worker runs on a
# 2-core emulated guest, under a ping flood in the drift case.
if [ "${KIPSEC_KERNEL:-stock}" = debug ]; then
	LATE=10000000
	CASES=${LIFETIME_CASES:-"packets_out seq"}
else
	LATE=5000000
	CASES=${LIFETIME_CASES:-"packets_out packets_in bytes_use add_seconds
		use_seconds seq drift"}
fi

# ---- the monitors (events_util.py) --------------------------------------

# mon_start NS: `ipsecctl -j monitor` of NS writes to $DIR/NS.ev.
mon_start() {
	MON_PID[$1]=$(in_ns "$1" "$PY" "$EVU" start "$1" "$DIR/$1.ev") ||
		{ t_fail "monitor of $1 did not start"; return 1; }
}

mon_kill() {
	local ns
	for ns in "${!MON_PID[@]}"; do
		kill -TERM "${MON_PID[$ns]}" 2>/dev/null
	done
	MON_PID=()
}

# ev_reset NS: every event so far of NS forgotten.
ev_reset() {
	in_ns "$1" "$PY" "$EVU" mark "$DIR/$1.ev" && : >"$DIR/$1.ev"
}

# ev_show NS FIELDS MATCH...: FIELDS of NS's matching events, a line each.
ev_show() {
	local ns=$1
	shift
	in_ns "$ns" "$PY" "$EVU" mark "$DIR/$ns.ev" &&
		"$PY" "$EVU" show "$DIR/$ns.ev" "$@"
}

# ev_wait NS SECONDS COUNT FIELDS MATCH...: EV_LINES=("USEC FIELDS"...) of
# the first COUNT matching events of NS; fails if they did not come.
ev_wait() {
	local ns=$1 out
	shift
	out=$("$PY" "$EVU" wait "$DIR/$ns.ev" "$@")
	local rc=$?
	mapfile -t EV_LINES <<<"$out"
	return $rc
}

# ev_watch NS SECONDS COUNT FIELDS MATCH...: ev_wait in the background,
# started before the events can come, so that it sees each as it comes;
# ev_watched waits for it.
ev_watch() {
	local ns=$1
	shift
	rm -f "$DIR/watch.ready"
	"$PY" "$EVU" wait --ready "$DIR/watch.ready" "$DIR/$ns.ev" "$@" \
		>"$DIR/watch" &
	EV_WATCH=$!
	while [ ! -e "$DIR/watch.ready" ] && kill -0 "$EV_WATCH" 2>/dev/null; do
		sleep 0.05
	done
}

ev_watched() {
	wait "$EV_WATCH"
	local rc=$?
	mapfile -t EV_LINES <"$DIR/watch"
	return $rc
}

# ---- SAs and traffic ----------------------------------------------------

# sa_add NS SRC DST SPI [LIFETIME WORDS...]
sa_add() {
	local ns=$1 src=$2 dst=$3 spi=$4
	shift 4
	"$IPSECCTL" -n "$ns" sa add src "$src" dst "$dst" proto esp spi "$spi" \
		enc aes-128-gcm key "$KEY" "$@"
}

sa_gone() {
	local err
	err=$("$IPSECCTL" -n "$1" sa get dst "$2" proto esp spi "$3" 2>&1)
	[ $? = 1 ] && [ "$err" = "ipsecctl: sa get: no such SA" ]
}

# sa_stat NS DST SPI JQ: a field of the SA, as `ipsecctl -j sa get` says.
sa_stat() {
	"$IPSECCTL" -n "$1" -j sa get dst "$2" proto esp spi "$3" | jq -r "$4"
}

# pings NS ADDR COUNT WANT [ARGS...]: COUNT echo requests, WANT answered;
# 0.3 s apart, so that the worker sends a soft EXPIRE before the hard one.
pings() {
	local ns=$1 addr=$2 count=$3 want=$4 out
	shift 4
	out=$(in_ns "$ns" ping -n -q -c "$count" -i 0.3 -W 1 "$@" "$addr" 2>&1)
	t_has_line "^$count packets transmitted, $want received" "$out" && return 0
	echo "$out"
	return 1
}

# in_window WHAT USEC FROM LIMIT_S: an event seen USEC (epoch) came LIMIT_S
# seconds after FROM, not earlier, at most LATE later.
in_window() {
	local what=$1 dt=$(($2 - $3)) min=$(($4 * 1000000))
	if ((dt >= min && dt <= min + LATE)); then
		t_pass "$what: after $((dt / 1000)) ms"
	else
		t_fail "$what: after $((dt / 1000)) ms, want $((min / 1000))..$(((min + LATE) / 1000))"
	fi
}

# drops_split DROPS NAME...: of kipsec_drops' words, DROPS_SUM (the sum of
# the NAMEs' growths) and DROPS_OTHER (the words of other names).
drops_split() {
	local w names=" ${*:2} "
	DROPS_SUM=0 DROPS_OTHER=""
	for w in $1; do
		if [[ $names == *" ${w%=*} "* ]]; then
			DROPS_SUM=$((DROPS_SUM + ${w#*=}))
		else
			DROPS_OTHER+="$w "
		fi
	done
}

# ---- the cases ----------------------------------------------------------

# 8 pings over an SA with soft packets 3 hard packets 5 on a: 5 go out in
# ESP, the other 3 find no SA (level require): dropped, ACQUIRE.
case_packets_out() {
	local since
	since=$(kipsec_counters a)
	t_check "packets: SA 0x1001 with soft packets 3 hard packets 5" \
		sa_add a 10.0.0.1 10.0.0.2 0x1001 soft packets 3 hard packets 5
	t_check "packets: its peer on b" sa_add b 10.0.0.1 10.0.0.2 0x1001
	cap_start b veth0 "$DIR/p.pcap" || return
	t_check "packets: 8 pings, 5 answered" pings a 10.0.0.2 8 5
	cap_stop
	t_eq "packets: b saw 5 ESP packets of 0x1001" \
		"$(cap_n 'esp 10.0.0.1>10.0.0.2 0x1001')" 5
	t_eq "packets: nothing in cleartext" "$(cap_clear 10.0.0.1 10.0.0.2)" ""
	ev_wait a 10 2 hard,limit,sa.stats.packets,sa.seq event=sa-expire sa.spi=4097
	t_eq "packets: one soft then one hard EXPIRE" \
		"$(ev_show a hard,limit event=sa-expire sa.spi=4097)" \
		$'false packets\ntrue packets'
	t_eq "packets: the hard EXPIRE shows 5 packets, seq 5" \
		"${EV_LINES[1]#* }" "true packets 5 5"
	local soft=${EV_LINES[0]#* }
	[[ $soft == "false packets "[34]" "[34] ]] && t_pass "packets: soft EXPIRE after 3" ||
		t_fail "packets: soft EXPIRE: $soft"
	t_eq "packets: no SA_DEL event" "$(ev_show a sa.spi event=sa-del)" ""
	t_check "packets: the SA is gone" sa_gone a 10.0.0.2 0x1001
	t_eq "packets: 3 pings dropped as out_no_sa" \
		"$(kipsec_drops a "$since")" "out_no_sa=3"
	t_eq "packets: an ACQUIRE for each of them" \
		"$(ev_show a policy_id,src,dst,proto,icmp_type,template.proto event=acquire)" \
		"$(printf "$POL_A4 10.0.0.1 10.0.0.2 1 8 esp\n%.0s" 1 2 3)"
	t_eq "packets: b's SA accepted 5" \
		"$(sa_stat b 10.0.0.2 0x1001 .stats.packets)" 5
	"$IPSECCTL" -n b sa del dst 10.0.0.2 proto esp spi 0x1001
}

# The limits on b's inbound SA: b accepts 5 of 8, drops the rest.
case_packets_in() {
	local since
	since=$(kipsec_counters b)
	t_check "inbound: SA 0x1002 on a" sa_add a fd00::1 fd00::2 0x1002
	t_check "inbound: on b with soft packets 2 hard packets 5" \
		sa_add b fd00::1 fd00::2 0x1002 soft packets 2 hard packets 5
	cap_start b veth0 "$DIR/i.pcap" || return
	t_check "inbound: 8 pings, 5 answered" pings a fd00::2 8 5
	cap_stop
	t_eq "inbound: a sent 8 in ESP" "$(cap_n 'esp fd00::1>fd00::2 0x1002')" 8
	t_eq "inbound: b answered 5" "$(cap_n 'esp fd00::2>fd00::1 0x201')" 5
	ev_wait b 10 2 hard,limit,sa.stats.packets event=sa-expire sa.spi=4098
	t_eq "inbound: b's EXPIREs, the hard one after 5 packets" \
		"$(ev_show b hard,limit,sa.stats.packets event=sa-expire sa.spi=4098)" \
		$'false packets 2\ntrue packets 5'
	t_check "inbound: b's SA is gone" sa_gone b fd00::2 0x1002
	drops_split "$(kipsec_drops b "$since")" in_sa_unusable in_no_sa
	t_eq "inbound: b dropped 3, SA unusable or unknown" "$DROPS_SUM" 3
	t_eq "inbound: no other drops on b" "$DROPS_OTHER" ""
	"$IPSECCTL" -n a sa del dst fd00::2 proto esp spi 0x1002
}

# Bytes of the inner packets: an IPv6 echo request of 56 bytes is 104;
# hard bytes 520 lets exactly 5 through.  Level use: the rest in cleartext.
case_bytes_use() {
	local since
	since=$(kipsec_counters a)
	t_check "bytes: SA 0x1003 with soft bytes 312 hard bytes 520" \
		sa_add a fd00::1 fd00::2 0x1003 soft bytes 312 hard bytes 520
	t_check "bytes: its peer on b" sa_add b fd00::1 fd00::2 0x1003
	cap_start b veth0 "$DIR/b.pcap" || return
	t_check "bytes: 8 pings, all answered" pings a fd00::2 8 8 -s 56
	cap_stop
	t_eq "bytes: 5 in ESP, then 3 in cleartext (level use)" \
		"$(cap_n 'esp fd00::1>fd00::2 0x1003') $(cap_clear fd00::1 fd00::2)" \
		"5 fd00::1>fd00::2 ipv6-icmp=3"
	ev_wait a 10 2 hard event=sa-expire sa.spi=4099
	local ev
	ev=$(ev_show a hard,limit,sa.stats.bytes,sa.stats.packets event=sa-expire sa.spi=4099)
	[[ $ev == "false bytes "@(312 3|416 4)$'\n'"true bytes 520 5" ]] &&
		t_pass "bytes: soft after 312, hard at 520 bytes" ||
		t_fail "bytes: EXPIRE events: $ev"
	t_check "bytes: the SA is gone" sa_gone a fd00::2 0x1003
	t_eq "bytes: no drops on a" "$(kipsec_drops a "$since")" ""
	"$IPSECCTL" -n b sa del dst fd00::2 proto esp spi 0x1003
}

# soft add-seconds 1 hard add-seconds 2, counted from the add, used or not.
case_add_seconds() {
	local since t0
	since=$(kipsec_counters a)
	t_check "add-seconds: its peer on b" sa_add b 10.0.0.1 10.0.0.2 0x1004
	ev_watch a $((2 + LATE / 1000000 + 2)) 2 hard,limit event=sa-expire sa.spi=4100
	t0=${EPOCHREALTIME/./}
	t_check "add-seconds: SA 0x1004 soft 1 hard 2" \
		sa_add a 10.0.0.1 10.0.0.2 0x1004 soft add-seconds 1 hard add-seconds 2
	if ev_watched; then
		t_eq "add-seconds: soft, then hard" \
			"${EV_LINES[0]#* }/${EV_LINES[1]#* }" \
			"false add_seconds/true add_seconds"
		in_window "add-seconds: soft" "${EV_LINES[0]%% *}" "$t0" 1
		in_window "add-seconds: hard" "${EV_LINES[1]%% *}" "$t0" 2
	else
		t_fail "add-seconds: EXPIREs did not come: ${EV_LINES[*]}"
	fi
	t_check "add-seconds: the SA is gone" sa_gone a 10.0.0.2 0x1004
	t_check "add-seconds: pings no longer answered" pings a 10.0.0.2 2 0
	t_eq "add-seconds: dropped as out_no_sa" \
		"$(kipsec_drops a "$since")" "out_no_sa=2"
	"$IPSECCTL" -n b sa del dst 10.0.0.2 proto esp spi 0x1004
}

# use-seconds count from the first packet: an unused SA never expires.
case_use_seconds() {
	local t1
	t_check "use-seconds: SA 0x1005 soft 1 hard 2" \
		sa_add a fd00::1 fd00::2 0x1005 soft use-seconds 1 hard use-seconds 2
	t_check "use-seconds: its peer on b" sa_add b fd00::1 fd00::2 0x1005
	# Meanwhile an SA deleted before its limits: its timer goes with it.
	t_check "deleted: SA 0x1008 with hard add-seconds 1" \
		sa_add a 10.0.0.1 10.0.0.9 0x1008 soft add-seconds 1 hard add-seconds 1
	t_check "deleted: at once" "$IPSECCTL" -n a sa del dst 10.0.0.9 proto esp \
		spi 0x1008
	sleep 2.5
	t_eq "use-seconds: unused for 2.5 s: no EXPIRE (nor of the deleted SA)" \
		"$(ev_show a hard event=sa-expire)" ""
	t_eq "use-seconds: unused for 2.5 s: still there" \
		"$(sa_stat a fd00::2 0x1005 .stats.use_time)" 0
	ev_watch a $((2 + LATE / 1000000 + 2)) 2 hard,limit event=sa-expire sa.spi=4101
	t1=${EPOCHREALTIME/./}
	t_check "use-seconds: a ping over it" pings a fd00::2 1 1
	if ev_watched; then
		t_eq "use-seconds: soft, then hard" \
			"${EV_LINES[0]#* }/${EV_LINES[1]#* }" \
			"false use_seconds/true use_seconds"
		in_window "use-seconds: soft" "${EV_LINES[0]%% *}" "$t1" 1
		in_window "use-seconds: hard" "${EV_LINES[1]%% *}" "$t1" 2
	else
		t_fail "use-seconds: EXPIREs did not come: ${EV_LINES[*]}"
	fi
	t_check "use-seconds: the SA is gone" sa_gone a fd00::2 0x1005
	"$IPSECCTL" -n b sa del dst fd00::2 proto esp spi 0x1005
}

# No ESN, seq 4294967293: packets 4294967294 and 4294967295 leave, then
# the SA expires hard ("seq") and the next packets find no SA.
case_seq() {
	local since
	since=$(kipsec_counters a)
	t_check "seq: SA 0x1006 at seq 4294967293" \
		sa_add a 10.0.0.1 10.0.0.2 0x1006 seq 4294967293
	t_check "seq: its peer on b" sa_add b 10.0.0.1 10.0.0.2 0x1006
	cap_start b veth0 "$DIR/s.pcap" || return
	t_check "seq: 4 pings, 2 answered" pings a 10.0.0.2 4 2
	cap_stop
	t_eq "seq: b saw 2 ESP packets of 0x1006" \
		"$(cap_n 'esp 10.0.0.1>10.0.0.2 0x1006')" 2
	ev_wait a 10 1 hard event=sa-expire sa.spi=4102
	t_eq "seq: one hard EXPIRE, limit seq, at seq 2^32 - 1 after 2 packets" \
		"$(ev_show a hard,limit,sa.seq,sa.stats.packets event=sa-expire sa.spi=4102)" \
		"true seq 4294967295 2"
	t_check "seq: the SA is gone" sa_gone a 10.0.0.2 0x1006
	t_eq "seq: 2 pings dropped as out_no_sa" \
		"$(kipsec_drops a "$since")" "out_no_sa=2"
	"$IPSECCTL" -n b sa del dst 10.0.0.2 proto esp spi 0x1006
}

# Five SAs with hard add-seconds 2..6 (soft one less), added one after
# the other while a ping flood runs over a sixth: each EXPIRE comes in its
# window, counted from its own add.
case_drift() {
	local k spi flood line t hard s
	local -A added
	t_check "drift: SA 0x1007 for the flood" sa_add a 10.0.0.1 10.0.0.2 0x1007
	t_check "drift: its peer on b" sa_add b 10.0.0.1 10.0.0.2 0x1007
	in_ns a ping -f -q -w 12 10.0.0.2 >/dev/null 2>&1 &
	flood=$!
	sleep 1
	ev_watch a $((6 + LATE / 1000000 + 2)) 10 hard,sa.spi event=sa-expire
	for k in 2 3 4 5 6; do
		spi=$((0x2000 + k))
		added[$spi]=${EPOCHREALTIME/./}
		sa_add a 10.0.0.1 10.0.0.9 "$spi" soft add-seconds $((k - 1)) \
			hard add-seconds "$k" ||
			t_fail "drift: SA $spi"
	done
	if ! ev_watched; then
		t_fail "drift: only ${#EV_LINES[@]} EXPIREs came"
	fi
	for line in "${EV_LINES[@]}"; do
		read -r t hard spi <<<"$line"
		[ -n "${added[$spi]:-}" ] || { t_fail "drift: EXPIRE of $spi"; continue; }
		k=$((spi - 0x2000))
		[ "$hard" = true ] || k=$((k - 1))
		in_window "drift: $hard EXPIRE of $spi ($k s)" "$t" "${added[$spi]}" "$k"
	done
	wait "$flood"
	t_eq "drift: hard EXPIREs in the order of their limits" \
		"$(ev_show a sa.spi event=sa-expire hard=true)" \
		$'8194\n8195\n8196\n8197\n8198'
	s=$(sa_stat a 10.0.0.2 0x1007 .stats.packets)
	((s > 500)) && t_pass "drift: the flood sent $s packets" ||
		t_fail "drift: the flood sent only $s packets"
	"$IPSECCTL" -n a sa del dst 10.0.0.2 proto esp spi 0x1007
	"$IPSECCTL" -n b sa del dst 10.0.0.2 proto esp spi 0x1007
}

load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours
POL_A4=$("$IPSECCTL" -n a -j policy add dir out dst 10.0.0.2 action protect esp | jq -r .id)
t_check "a: protect fd00::2 at level use" "$IPSECCTL" -n a policy add dir out \
	dst fd00::2 action protect esp level use
t_check "a: require ESP from b" ipsec_policy kipsec a in 10.0.0.2 10.0.0.1 esp
t_check "a: require ESP from b (IPv6)" ipsec_policy kipsec a in fd00::2 fd00::1 esp
t_check "b: protect to a" ipsec_policy kipsec b out 10.0.0.2 10.0.0.1 esp
t_check "b: protect to a (IPv6)" ipsec_policy kipsec b out fd00::2 fd00::1 esp
t_check "b: require ESP from a" ipsec_policy kipsec b in 10.0.0.1 10.0.0.2 esp
t_check "b: ESP from a if any (IPv6)" ipsec_policy kipsec b in fd00::1 fd00::2 esp use
for ns in a b; do
	t_check "$ns: SA b -> a" sa_add "$ns" 10.0.0.2 10.0.0.1 0x200
	t_check "$ns: SA b -> a (IPv6)" sa_add "$ns" fd00::2 fd00::1 0x201
	mon_start "$ns" && t_pass "$ns: monitor started"
done

for c in $CASES; do
	ev_reset a && ev_reset b
	"case_$c"
done

mon_kill
rm -rf "$DIR"
t_done
