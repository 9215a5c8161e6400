#!/bin/bash
# Configuration files: `ipsecctl -f` applies a file whole or not at all,
# `-c -f` only checks, `show` writes a file that `-f` loads back to the
# same state, `sync -f` changes only what differs and keeps the counters,
# sequence numbers and replay windows of what it leaves alone.  Reloads of
# 10,000 SAs (300 on the debug kernel) under ping floods show no cleartext
# and no lost ping; a tool killed in the middle of a transfer changes
# nothing.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   | N SAs, policies for b      |        | N SAs, policies for a      |
#   +----------------------------+        +----------------------------+
#   +------------- c ------------+
#   | empty: show -> -f lands    |
#   | on a fresh namespace       |
#   +----------------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
two_hosts
pin_neighbours || t_fail "pin neighbours"
ns_add c

# The debug kernel (KASAN, lockdep) pays for every process and every
# crypto transform: smaller files and fewer malformed ones there.
debug=false
[ "${KIPSEC_KERNEL:-}" = debug ] && debug=true
dir=$(mktemp -d)
trap 'cap_kill; rm -rf "$dir"; cleanup' EXIT
ctl() { local ns=$1; shift; "$IPSECCTL" -n "$ns" "$@"; }
# key N BYTES: a key of BYTES bytes made from N, in hex.
key() { printf '0x%0*x' $(($2 * 2)) "$1"; }

# ---- a file with every kind of line ------------------------------------

keyfile=$dir/sha256.key
key 77 32 >"$keyfile"
chmod 600 "$keyfile"
cat >"$dir/inc.conf" <<EOF
# included: the IPv6 SAs
sa add src fd00::1 dst fd00::2 proto esp spi 0x2000 \\
	enc chacha20-poly1305 key $(key 5 36)
sa add src fd00::2 dst fd00::1 proto esp spi 0x2001 \\
	enc chacha20-poly1305 key $(key 6 36)
EOF
# host_conf ME PEER ME6 PEER6: a host's file.  An SA is known by its
# destination, so both hosts install the same SAs; the policies differ.
host_conf() {
	local me=$1 peer=$2 me6=$3 peer6=$4 spi=$5
	cat <<EOF
# kipsec.conf of $me ($me6)
policy flush
sa flush
config default-in bypass default-out bypass esp on ah on

sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 enc aes-128-gcm key $(key 1 20)
sa add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1001 enc aes-128-gcm key $(key 2 20) \\
	replay-window 256
sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1100 enc aes-256-cbc key $(key 3 32) \\
	auth hmac-sha2-256 keyfile $keyfile esn soft packets 1000000 hard add-seconds 86400
sa add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x1200 auth hmac-sha1 key $(key 4 20)
include inc.conf

policy add dir out dst $peer proto icmp action protect esp spi $spi
policy add dir in src $peer proto icmp action protect esp
policy add dir out dst $peer6 action protect esp
policy add dir in src $peer6 action protect esp
policy add dir out dst $peer proto tcp dport 5001-5009 priority 100 action protect esp spi 0x1100 ah
policy add dir out dst $peer proto udp dport 53 action bypass
EOF
}
host_conf 10.0.0.1 10.0.0.2 fd00::1 fd00::2 0x1000 >"$dir/a.conf"
host_conf 10.0.0.2 10.0.0.1 fd00::2 fd00::1 0x1001 >"$dir/b.conf"

t_check "a: -c -f checks a good file" ctl a -c -f "$dir/a.conf"
t_eq "a: -c changed nothing" "$(ctl a -j sa list | jq length)" 0
t_check "a: -f applies the file" ctl a -f "$dir/a.conf"
t_check "b: -f applies the file" ctl b -f "$dir/b.conf"
t_eq "a: 6 SAs" "$(ctl a -j sa list | jq length)" 6
t_eq "a: 6 policies" "$(ctl a -j policy list | jq length)" 6
t_eq "a: the key file's key" \
	"$(ctl a -s -j sa get dst 10.0.0.2 proto esp spi 0x1100 | jq -r .auth_key)" \
	"$(key 77 32)"
t_check "a -> b ping over ESP (IPv4)" ping_all a 10.0.0.2 3
t_check "a -> b ping over ESP (IPv6)" ping_all a fd00::2 3

# ---- show -> -f -> show --------------------------------------------------

ctl a -s show >"$dir/show1"
t_check "show writes the SAs with keys (-s)" grep -q "key $(key 1 20)" "$dir/show1"
t_eq "show leaves the keys out without -s" "$(ctl a show | grep -c 'key 0x')" 0
t_check "c: -f loads a's show output" ctl c -f "$dir/show1"
t_eq "c: show -> -f -> show is identical" "$(ctl c -s show)" "$(<"$dir/show1")"
t_check "a: -f of its own show output" ctl a -f "$dir/show1"
t_eq "a: show unchanged after loading it" "$(ctl a -s show)" "$(<"$dir/show1")"

# ---- sync keeps the state of what it leaves alone -------------------------

sa_state() {
	ctl "$1" -j sa get dst "$2" proto esp spi "$3" |
		jq -c '[.seq, .stats.packets]'
}
t_check "a -> b: 5 more pings" ping_all a 10.0.0.2 5
before_out=$(sa_state a 10.0.0.2 0x1000)
before_in=$(sa_state a 10.0.0.1 0x1001)
t_eq "a's outbound SA has counted 8 packets" "$before_out" "[8,8]"
# one SA added, one SA's limit changed, one SA's key changed, rest as is
{
	sed -e 's/hard add-seconds 86400/hard add-seconds 172800/' \
	    -e "s/spi 0x1200 auth hmac-sha1 key $(key 4 20)/spi 0x1200 auth hmac-sha1 key $(key 44 20)/" \
	    "$dir/a.conf" | grep -v '^policy flush\|^sa flush'
	echo "sa add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x3000 enc aes-256-gcm key $(key 9 36)"
} >"$dir/a2.conf"
"$IPSECCTL" -n a monitor -j >"$dir/events" &
mon=$!
sleep 1
t_check "a: sync -f" ctl a sync -f "$dir/a2.conf"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null
t_eq "sync: fewest changes (1 add, 2 updates, nothing else)" \
	"$(jq -r '.event' "$dir/events" | sort | uniq -c | tr -s ' ' | paste -sd,)" \
	" 1 sa-add, 2 sa-update"
t_eq "sync: the unchanged outbound SA kept seq and counters" \
	"$(sa_state a 10.0.0.2 0x1000)" "$before_out"
t_eq "sync: the unchanged inbound SA kept its counters" \
	"$(sa_state a 10.0.0.1 0x1001)" "$before_in"
t_check "a -> b: 2 more pings after sync" ping_all a 10.0.0.2 2
t_eq "sync: the outbound SA goes on from 8 (replay window of b intact)" \
	"$(sa_state a 10.0.0.2 0x1000)" "[10,10]"
t_eq "sync: the limit changed, the state kept" \
	"$(ctl a -j sa get dst 10.0.0.2 proto esp spi 0x1100 |
	   jq -c '[.lifetime.hard.add_seconds, .lifetime.soft.packets]')" "[172800,1000000]"
t_eq "sync: the new key took" \
	"$(ctl a -s -j sa get dst 10.0.0.2 proto ah spi 0x1200 | jq -r .auth_key)" \
	"$(key 44 20)"
t_check "sync: a file equal to the running state changes nothing" \
	ctl a sync -f "$dir/a2.conf"
grep -v '^sa add .*spi 0x3000' "$dir/a2.conf" >"$dir/a3.conf"
t_check "sync: removes what the file lacks" ctl a sync -f "$dir/a3.conf"
t_refuse "sync: SA 0x3000 is gone" 1 "no such SA" \
	ctl a sa get dst 10.0.0.3 proto esp spi 0x3000
t_eq "sync: the others stay" "$(ctl a -j sa list | jq length)" 6

# ---- malformed files: file:line, exit 1, nothing changed ------------------

ctl a -s show >"$dir/before"
bad() {
	local name=$1 want=$2 text=$3 out rc
	$debug && [[ " unknown running include " != *" $name "* ]] && return
	printf '%s\n' "$text" >"$dir/$name.conf"
	out=$(ctl a -f "$dir/$name.conf" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ]; then
		t_fail "bad $name: exit $rc, not 1"
	elif [ "$(wc -l <<<"$out")" -ne 1 ] || [[ $out != "ipsecctl: $dir/$want"* ]]; then
		t_fail "bad $name: '$out' is not one line naming $want"
	elif [ "$(ctl a -s show)" != "$(<"$dir/before")" ]; then
		t_fail "bad $name: the configuration changed"
	elif [[ $out == *"$(key 1 20)"* || $out == *0x0000* ]]; then
		t_fail "bad $name: the message shows key material: $out"
	else
		t_pass "bad $name refused: $out"
	fi
}
good="sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x5000 enc aes-128-gcm key $(key 1 20)"
bad unknown "unknown.conf:4: frobnicate all:" "$good
# a comment

frobnicate all"
bad readonly "readonly.conf:2: sa list:" "$good
sa list"
bad keylen "keylen.conf:2: sa add:" "policy flush
sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x5001 enc aes-128-gcm key 0x0102"
bad badalg "badalg.conf:1: sa add:" "sa add src 10.0.0.1 dst 10.0.0.2 proto esp \\
	spi 0x5001 enc rot13 key 0x0102"
bad exists "exists.conf:2: sa add: SA already exists" "$good
$good"
bad running "running.conf:1: sa add: SA already exists" \
	"sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 enc aes-128-gcm key $(key 1 20)"
bad nosa "nosa.conf:2: sa del: no such SA" "$good
sa del dst 10.0.0.2 proto esp spi 0x7777"
bad twin "twin.conf:3: policy add:" "policy flush
policy add dir out dst 10.0.0.9 action discard
policy add dir out dst 10.0.0.9 action bypass"
bad nopolicy "nopolicy.conf:1: policy del: no such policy" "policy del id 999999"
bad include "include.conf:2: include" "$good
include does-not-exist.conf"
bad loop "loop.conf:1: include" "include loop.conf"
bad backslash "backslash.conf:2:" "$good
sa flush \\"
printf 'sa flush\n' >"$dir/world.key"
chmod 644 "$dir/world.key"
bad keyperm "keyperm.conf:1: sa add:" \
	"sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x5002 enc aes-128-gcm keyfile $dir/world.key"
t_check "-c -f refuses a conflict too" \
	bash -c "! '$IPSECCTL' -n a -c -f '$dir/running.conf' 2>/dev/null"

# ---- the tool dies in the middle of a transfer: nothing changes ----------

big=300 die=200
$debug && big=60 die=40
{
	echo "sa flush"
	for ((i = 0; i < big; i++)); do
		printf 'sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi %d enc aes-128-gcm key %s\n' \
			$((0x10000 + i)) "$(key $((i + 100)) 20)"
	done
} >"$dir/big.conf"
KIPSEC_TEST_DIE_AFTER=$die ctl a -f "$dir/big.conf" 2>/dev/null
t_eq "killed after $die of $((big + 6)) changes: exit 1" "$?" 1
t_eq "killed mid-transfer: nothing changed" "$(ctl a -s show)" "$(<"$dir/before")"
t_check "the next -f works (no transaction left behind)" ctl a -f "$dir/big.conf"
t_eq "big.conf applied: $big SAs" "$(ctl a -j sa list | jq length)" "$big"
t_check "back to a.conf" ctl a -f "$dir/a.conf"
# big.conf deleted SA 0x1000 on a, so a starts it afresh: b's must too, or
# its replay window refuses a's first sequence numbers.
{ echo "sa flush"; cat "$dir/b.conf"; } >"$dir/b-fresh.conf"
ctl b sa flush
t_check "b starts afresh" ctl b -f "$dir/b-fresh.conf"

# ---- reloading 10,000 SAs under a ping flood -----------------------------

n=10000
$debug && n=300
# big HOST: a.conf or b.conf with n - 6 more SAs, keyed by SEED.
big_conf() {
	local base=$1 seed=$2 src=$3 dst=$4 i
	cat "$base"
	for ((i = 0; i < n - 6; i++)); do
		printf 'sa add src %s dst %s proto esp spi %d enc aes-128-gcm key 0x%08x%032x\n' \
			"$src" "$dst" $((0x100000 + i)) "$seed" "$i"
	done
}
big_conf "$dir/a.conf" 1 10.0.0.1 10.0.0.2 >"$dir/a-big1.conf"
big_conf "$dir/a.conf" 2 10.0.0.1 10.0.0.2 >"$dir/a-big2.conf"
big_conf "$dir/b.conf" 1 10.0.0.1 10.0.0.2 >"$dir/b-big1.conf"
big_conf "$dir/b.conf" 2 10.0.0.1 10.0.0.2 >"$dir/b-big2.conf"
t_check "a: $n SAs from one file" ctl a -f "$dir/a-big1.conf"
t_check "b: $n SAs from one file" ctl b -f "$dir/b-big1.conf"
t_eq "a: $n SAs" "$(ctl a -j sa list | jq length)" "$n"

# Floods of 100 pings, one after the other, until told to stop: each must
# get all its replies.
flood() {
	local out
	while [ ! -e "$dir/stop" ]; do
		out=$(in_ns a ping -n -q -f -c 100 -W 2 10.0.0.2 2>&1)
		t_has_line '^100 packets transmitted, 100 received' "$out" ||
			{ echo "during reload $(<"$dir/step"):"; echo "$out"; } \
				>>"$dir/flood.bad"
		echo >>"$dir/flood.runs"
	done
}
since_a=$(kipsec_counters a) since_b=$(kipsec_counters b)
cap_start b veth0 "$dir/flood.pcap" || exit 1
echo "the same file" >"$dir/step"
# Floods run back to back from before the first reload to after the last.
flood &
flood_pid=$!
t_check "reload: the same file again (flush + $n adds)" ctl a -f "$dir/a-big1.conf"
echo "rekey" >"$dir/step"
t_check "reload: all but the flow's SAs rekeyed" ctl a -f "$dir/a-big2.conf"
echo "sync back" >"$dir/step"
t_check "reload: sync back" ctl a sync -f "$dir/a-big1.conf"
echo "peer rekey" >"$dir/step"
t_check "reload: b rekeys too" ctl b -f "$dir/b-big2.conf"
touch "$dir/stop"
wait "$flood_pid"
cap_stop
runs=$(wc -l <"$dir/flood.runs")
t_check "floods ran during the reloads ($runs of 100 pings)" test "$runs" -ge 2
t_check "every flood got all its replies" test ! -e "$dir/flood.bad"
[ -e "$dir/flood.bad" ] && head -20 "$dir/flood.bad"
t_eq "no cleartext between a and b during the reloads" \
	"$(cap_clear 10.0.0.1 10.0.0.2)" ""
t_check "ESP seen: a's SA 0x1000" test "$(cap_n 'esp 10.0.0.1>10.0.0.2 0x1000')" -ge 100
t_eq "a: no drops during the reloads" "$(kipsec_drops a "$since_a")" ""
t_eq "b: no drops during the reloads" "$(kipsec_drops b "$since_b")" ""
t_eq "a: synced back to the first keys" \
	"$(ctl a -s -j sa get dst 10.0.0.2 proto esp spi $((0x100000 + 5)) | jq -r .enc_key)" \
	"$(printf '0x%08x%032x' 1 5)"
t_eq "b: rekeyed" \
	"$(ctl b -s -j sa get dst 10.0.0.2 proto esp spi $((0x100000 + 5)) | jq -r .enc_key)" \
	"$(printf '0x%08x%032x' 2 5)"
t_done
