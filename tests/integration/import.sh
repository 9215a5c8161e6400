#!/bin/bash
# ipsecctl import: the sample configurations of tests/import/, a KAME
# setkey.conf and an OpenBSD ipsec.conf written for host a, translated for
# both hosts (host b's file is a's with the addresses of the policy lines,
# spdadd and flow, swapped: the SAs are the same at both ends), applied
# with `ipsecctl -f` and used: ping and a byte-exact TCP transfer both
# ways in IPv4 and IPv6.  The wire carries only ESP/AH with the imported
# SPIs (ESP inside AH where the sample bundles them), and each imported
# SA counted at the sender, the receiver and on the wire the same packets.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   | import FORMAT a.in > a.conf|        | import FORMAT b.in > b.conf|
#   | ipsecctl -f a.conf         |        | ipsecctl -f b.conf         |
#   +----------------------------+        +----------------------------+
#                                  tcpdump on b's veth0
. "$(dirname "$0")/lib.sh"
t_init
# The translation is what this suite checks; the kernel paths it uses (SA
# add in a transaction, ESP and AH both ways) run under KASAN and lockdep
# in conf.sh, esp.sh and ah.sh.  The debug kernel's time goes there.
[ "${KIPSEC_KERNEL:-stock}" = debug ] &&
	t_skip "translation checks run on the stock kernel"
load_kipsec
two_hosts
t_check "neighbours pinned" pin_neighbours

NETXFER=$(dirname "$0")/netxfer.py
SAMPLES=$(dirname "$0")/../import
CAP_SUMMARY="ah_craft.py pcapsum"
BYTES=200000
DIR=$(mktemp -d)
trap 'cap_kill; rm -rf "$DIR"; cleanup' EXIT
ctl() { local ns=$1; shift; "$IPSECCTL" -n "$ns" "$@"; }

# mirror FILE: host b's copy of host a's FILE.
mirror() {
	sed -E '/^(spdadd|flow) / {
		s/10\.0\.0\.1/@4@/g; s/10\.0\.0\.2/10.0.0.1/g; s/@4@/10.0.0.2/g
		s/fd00::1/@6@/g; s/fd00::2/fd00::1/g; s/@6@/fd00::2/g
	}' "$1"
}

# sa_packets NS DST SPI PROTO: the packets the SA counted in NS.
sa_packets() {
	ctl "$1" -j sa get dst "$2" proto "$4" spi "$3" | jq -r '.stats.packets'
}

# check_sa TAG DST SPI PROTO WIREKEY...: the SA to DST counted at its
# sender, at its receiver and on the wire (capture key WIREKEY) the same
# packets.
check_sa() {
	local tag=$1 dst=$2 spi=$3 proto=$4 key from=a to=b wire
	shift 4
	key=$*
	case "$dst" in 10.0.0.1|fd00::1) from=b to=a ;; esac
	wire=$(cap_n "$key")
	t_eq "$tag: $proto $spi to $dst: packets at $from, at $to, on the wire" \
		"$(sa_packets "$from" "$dst" "$spi" "$proto") $(sa_packets "$to" "$dst" "$spi" "$proto") $((wire > 0))" \
		"$wire $wire 1"
}

# run_format FORMAT SAMPLE PORT N_SA N_POL SA...: import SAMPLE for both
# hosts, apply it, send traffic (TCP to PORT: a port of its own, so that
# no straggler of another run counts); each SA is "DST SPI PROTO WIREKEY".
run_format() {
	local format=$1 sample=$2 port=$3 n_sa=$4 n_pol=$5 h out line since_a since_b
	shift 5
	cp "$SAMPLES/$sample" "$DIR/a.in"
	mirror "$SAMPLES/$sample" >"$DIR/b.in"
	for h in a b; do
		(umask 077; ctl "$h" import "$format" "$DIR/$h.in" \
			>"$DIR/$h.conf" 2>"$DIR/$h.err")
		t_eq "$format: $h: import exits 0, nothing on stderr" \
			"$? $(<"$DIR/$h.err")" "0 "
		t_eq "$format: $h: $n_sa SAs and $n_pol policies translated" \
			"$(grep -c '^sa add ' "$DIR/$h.conf") $(grep -c '^policy add ' "$DIR/$h.conf")" \
			"$n_sa $n_pol"
		t_check "$format: $h: ipsecctl -f" ctl "$h" -f "$DIR/$h.conf"
		t_eq "$format: $h: SAs and policies installed" \
			"$(ctl "$h" -j sa list | jq length) $(ctl "$h" -j policy list | jq length)" \
			"$n_sa $n_pol"
	done
	since_a=$(kipsec_counters a)
	since_b=$(kipsec_counters b)

	cap_start b veth0 "$DIR/import.pcap" || return
	t_check "$format: ping a -> 10.0.0.2" ping_all a 10.0.0.2 3
	t_check "$format: ping b -> 10.0.0.1" ping_all b 10.0.0.1 3
	t_check "$format: ping a -> fd00::2" ping_all a fd00::2 3
	t_check "$format: ping b -> fd00::1" ping_all b fd00::1 3
	out=$(/usr/bin/python3 "$NETXFER" \
		tcp a b 10.0.0.2 "$port" "$BYTES" tcp b a 10.0.0.1 "$port" "$BYTES" \
		tcp a b fd00::2 "$port" "$BYTES" tcp b a fd00::1 "$port" "$BYTES" 2>&1)
	while IFS= read -r line; do
		case "$line" in
		tcp*" sent "*" received "*)
			t_eq "$format: ${line%% sent *}: every byte arrived (length, sha256)" \
				"${line#* received }" "$(sed 's/ received .*//; s/.* sent //' <<<"$line")" ;;
		*) t_fail "$format: $line" ;;
		esac
	done <<<"$out"
	cap_stop
	t_eq "$format: tcpdump saw every packet" "$(cap_n dropped)" 0
	t_eq "$format: no cleartext between the hosts" \
		"$(cap_clear 10.0.0.1 10.0.0.2 fd00::1 fd00::2)" ""
	for line in "$@"; do
		# shellcheck disable=SC2086 # four words
		check_sa "$format" $line
	done
	t_eq "$format: no kipsec drops in a" "$(kipsec_drops a "$since_a")" ""
	t_eq "$format: no kipsec drops in b" "$(kipsec_drops b "$since_b")" ""
	for h in a b; do
		t_check "$format: $h: flushed" ctl "$h" policy flush
		t_check "$format: $h: SAs flushed" ctl "$h" sa flush
	done
}

# setkey.conf: IPv4 ESP (AES-128-CBC + HMAC-SHA-256 one way, AES-256-CBC
# + HMAC-SHA-512 the other: TCP over SAs of unequal overhead), IPv6 ESP
# (AES-128-GCM / AES-256-GCM) inside AH (HMAC-SHA-1).
run_format setkey setkey.conf 5001 6 4 \
	"10.0.0.2 0x1001 esp esp 10.0.0.1>10.0.0.2 0x1001" \
	"10.0.0.1 0x1002 esp esp 10.0.0.2>10.0.0.1 0x1002" \
	"fd00::2 0x2001 esp ahesp fd00::1>fd00::2 0x3001 0x2001" \
	"fd00::1 0x2002 esp ahesp fd00::2>fd00::1 0x3002 0x2002" \
	"fd00::2 0x3001 ah ahesp fd00::1>fd00::2 0x3001 0x2001" \
	"fd00::1 0x3002 ah ahesp fd00::2>fd00::1 0x3002 0x2002"

# ipsec.conf: IPv4 ESP (aes = AES-128-CBC, HMAC-SHA-256), IPv6 ESP
# (AES-256-GCM) for ping, AH (HMAC-SHA-512) for TCP.
run_format openbsd ipsec.conf 5002 6 6 \
	"10.0.0.2 0x1001 esp esp 10.0.0.1>10.0.0.2 0x1001" \
	"10.0.0.1 0x1002 esp esp 10.0.0.2>10.0.0.1 0x1002" \
	"fd00::2 0x2001 esp esp fd00::1>fd00::2 0x2001" \
	"fd00::1 0x2002 esp esp fd00::2>fd00::1 0x2002" \
	"fd00::2 0x3001 ah ah fd00::1>fd00::2 0x3001" \
	"fd00::1 0x3002 ah ah fd00::2>fd00::1 0x3002"
t_done
