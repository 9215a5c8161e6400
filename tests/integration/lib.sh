# Helpers for the netns integration suites (sourced by each suite).
# shellcheck shell=bash
#
# A suite is a bash script run as root inside a test guest (tests/vm/run)
# with KIPSEC_KO (the module to load) and IPSECCTL (the tool) set.  It
# draws its topology in a comment, calls `trap cleanup EXIT` through
# t_init, makes checks with the t_* helpers and ends with t_done.  Exit
# status: 0 pass, 77 skip, anything else fail.

set -u

T_NAME=$(basename "$0" .sh)
T_CHECKS=0
T_FAILED=0
T_NETNS=()

t_log() { printf '%s: %s\n' "$T_NAME" "$*"; }

t_fail() {
	T_FAILED=$((T_FAILED + 1))
	printf '%s: FAIL: %s\n' "$T_NAME" "$*"
}

t_pass() {
	T_CHECKS=$((T_CHECKS + 1))
	printf '%s: ok: %s\n' "$T_NAME" "$*"
}

t_skip() {
	printf '%s: SKIP: %s\n' "$T_NAME" "$*"
	exit 77
}

cleanup() {
	local ns
	for ns in "${T_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if grep -q '^kipsec ' /proc/modules; then
		rmmod kipsec || t_fail "rmmod kipsec failed"
	fi
}

t_init() {
	trap cleanup EXIT
	[ -n "${KIPSEC_KO:-}" ] || { echo "KIPSEC_KO unset" >&2; exit 1; }
	[ -n "${IPSECCTL:-}" ] || { echo "IPSECCTL unset" >&2; exit 1; }
}

# t_check DESCRIPTION CMD...: CMD must succeed.
t_check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_pass "$what"
	else
		t_fail "$what: '$*' exited $?: $out"
	fi
}

# t_refuse DESCRIPTION EXPECTED_RC MESSAGE_ERE CMD...: CMD must fail with
# that exit status and a stderr line matching MESSAGE_ERE.
t_refuse() {
	local what=$1 want_rc=$2 want_msg=$3 rc err
	shift 3
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		t_fail "$what: '$*' exited $rc, want $want_rc ($err)"
	elif ! t_has_line "$want_msg" "$err"; then
		t_fail "$what: message '$err' does not match /$want_msg/"
	else
		t_pass "$what"
	fi
}

# t_has_line ERE TEXT: a line of TEXT matches ERE (no exec: guests with
# KASAN and lockdep pay dearly for every process).
t_has_line() {
	local line
	while IFS= read -r line; do
		[[ $line =~ $1 ]] && return 0
	done <<<"$2"
	return 1
}

# t_eq DESCRIPTION GOT WANT
t_eq() {
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1: got '$2', want '$3'"
	fi
}

t_done() {
	t_log "$T_CHECKS checks passed, $T_FAILED failed"
	[ "$T_FAILED" = 0 ] && [ "$T_CHECKS" -gt 0 ]
	exit $?
}

load_kipsec() {
	insmod "$KIPSEC_KO" || { t_fail "insmod $KIPSEC_KO"; exit 1; }
}

# ns_add NAME: a new network namespace with loopback up, removed on exit.
ns_add() {
	ip netns add "$1"
	T_NETNS+=("$1")
	ip -n "$1" link set lo up
}

# in_ns NAME CMD...: run CMD in namespace NAME.
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# two_hosts: hosts "a" and "b" joined by a veth pair.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
two_hosts() {
	ns_add a
	ns_add b
	ip link add veth0 netns a type veth peer name veth0 netns b
	ip -n a addr add 10.0.0.1/24 dev veth0
	ip -n b addr add 10.0.0.2/24 dev veth0
	ip -n a addr add fd00::1/64 dev veth0 nodad
	ip -n b addr add fd00::2/64 dev veth0 nodad
	ip -n a link set veth0 up
	ip -n b link set veth0 up
}

# ---- ESP data path (esp*.sh) -------------------------------------------
#
# An "SA set" names the algorithms of an SA as ipsecctl does, joined by
# '+': an AEAD ("aes-128-gcm"), a GMAC ("aes-128-gmac"), or a cipher and an
# HMAC ("aes-256-cbc+hmac-sha2-256"); "+esn" asks for extended sequence
# numbers.  Each end of a test is "kipsec" (ipsecctl) or "xfrm" (the
# kernel's own IPsec, `ip xfrm`), configured from the same set, SPI and
# keys, so that either can talk to the other.

# pin_neighbours: hosts a and b of two_hosts know each other's MAC address
# for good, so that no neighbour discovery (which ESP policies would
# protect too) comes between the packets a test counts.
pin_neighbours() {
	local ns mac_a mac_b line
	for ns in a b; do
		line=$(ip -n "$ns" -o link show veth0)
		[[ $line =~ link/ether\ ([0-9a-f:]+) ]] || return 1
		printf -v "mac_$ns" '%s' "${BASH_REMATCH[1]}"
	done
	ip -n a neigh replace 10.0.0.2 lladdr "$mac_b" dev veth0 nud permanent &&
	ip -n a neigh replace fd00::2 lladdr "$mac_b" dev veth0 nud permanent &&
	ip -n b neigh replace 10.0.0.1 lladdr "$mac_a" dev veth0 nud permanent &&
	ip -n b neigh replace fd00::1 lladdr "$mac_a" dev veth0 nud permanent
}

# ping_all NS ADDR COUNT [PING_ARGS...]: COUNT echo requests from NS, every
# one answered.
ping_all() {
	local ns=$1 addr=$2 count=$3 out
	shift 3
	out=$(in_ns "$ns" ping -n -q -c "$count" -i 0.1 -W 3 "$@" "$addr" 2>&1)
	t_has_line "^$count packets transmitted, $count received" "$out" && return 0
	echo "$out"
	return 1
}

# esp_alg NAME: what one algorithm is for ipsecctl (ESP_ALG_WORD: enc or
# auth) and for ip xfrm (ESP_ALG_XFRM: the words before the key,
# ESP_ALG_BITS: ICV or truncation bits after it, if any), and its key
# length in bytes (ESP_ALG_KEYLEN; AEAD and GMAC keys end with the salt).
esp_alg() {
	ESP_ALG_BITS=
	case "$1" in
	aes-128-gcm | aes-192-gcm | aes-256-gcm)
		ESP_ALG_WORD=enc ESP_ALG_XFRM="aead rfc4106(gcm(aes))"
		ESP_ALG_BITS=128 ESP_ALG_KEYLEN=$((${1:4:3} / 8 + 4)) ;;
	chacha20-poly1305)
		ESP_ALG_WORD=enc ESP_ALG_XFRM="aead rfc7539esp(chacha20,poly1305)"
		ESP_ALG_BITS=128 ESP_ALG_KEYLEN=36 ;;
	aes-128-gmac | aes-256-gmac)
		ESP_ALG_WORD=auth ESP_ALG_XFRM="aead rfc4543(gcm(aes))"
		ESP_ALG_BITS=128 ESP_ALG_KEYLEN=$((${1:4:3} / 8 + 4)) ;;
	aes-128-cbc | aes-192-cbc | aes-256-cbc)
		ESP_ALG_WORD=enc ESP_ALG_XFRM="enc cbc(aes)"
		ESP_ALG_KEYLEN=$((${1:4:3} / 8)) ;;
	3des-cbc)
		ESP_ALG_WORD=enc ESP_ALG_XFRM="enc cbc(des3_ede)" ESP_ALG_KEYLEN=24 ;;
	null)
		ESP_ALG_WORD=enc ESP_ALG_XFRM="enc ecb(cipher_null)" ESP_ALG_KEYLEN=0 ;;
	hmac-sha1)
		ESP_ALG_WORD=auth ESP_ALG_XFRM="auth-trunc hmac(sha1)"
		ESP_ALG_BITS=96 ESP_ALG_KEYLEN=20 ;;
	hmac-md5)
		ESP_ALG_WORD=auth ESP_ALG_XFRM="auth-trunc hmac(md5)"
		ESP_ALG_BITS=96 ESP_ALG_KEYLEN=16 ;;
	hmac-sha2-256 | hmac-sha2-384 | hmac-sha2-512)
		ESP_ALG_WORD=auth ESP_ALG_XFRM="auth-trunc hmac(sha${1#hmac-sha2-})"
		ESP_ALG_BITS=$((${1#hmac-sha2-} / 2)) ESP_ALG_KEYLEN=$((${1#hmac-sha2-} / 8)) ;;
	*)
		echo "esp_alg: unknown algorithm '$1'" >&2
		return 1 ;;
	esac
}

# esp_key BYTES SEED VAR: VAR=0x<BYTES random bytes>, the same for the
# same SEED, so that both ends derive an SA's keys from its SPI.
esp_key() {
	local i hex=0x
	RANDOM=$2
	for ((i = 0; i < $1; i++)); do
		printf -v hex '%s%02x' "$hex" $((RANDOM & 255))
	done
	printf -v "$3" '%s' "$hex"
}

# esp_sa IMPL NS SET SRC DST SPI [OSEQ [ISEQ]]: the transport-mode ESP SA
# SRC -> DST in NS; OSEQ is the last sequence number sent (the next packet
# carries OSEQ + 1), ISEQ the highest one already received (xfrm only:
# kipsec's inbound window always starts at 0).
esp_sa() {
	local impl=$1 ns=$2 set=$3 src=$4 dst=$5 spi=$6 oseq=${7:-0} iseq=${8:-0}
	local alg key seed=$(($6 * 4)) esn=0
	local -a algs kw=() xw=()
	IFS=+ read -ra algs <<<"$set"
	for alg in "${algs[@]}"; do
		if [ "$alg" = esn ]; then
			esn=1
			continue
		fi
		esp_alg "$alg" || return 1
		esp_key "$ESP_ALG_KEYLEN" $((seed++)) key
		kw+=("$ESP_ALG_WORD" "$alg" key "$key")
		[ "$key" = 0x ] && key=""
		# shellcheck disable=SC2206 # two words: the kind and the name
		xw+=($ESP_ALG_XFRM "$key" $ESP_ALG_BITS)
	done
	case "$impl" in
	kipsec)
		[ "$esn" = 1 ] && kw+=(esn)
		[ "$iseq" = 0 ] || { echo "esp_sa: kipsec has no ISEQ" >&2; return 1; }
		"$IPSECCTL" -n "$ns" sa add src "$src" dst "$dst" proto esp \
			spi "$spi" mode transport "${kw[@]}" seq "$oseq" ;;
	xfrm)
		[ "$esn" = 1 ] && xw+=(flag esn)
		ip -n "$ns" xfrm state add src "$src" dst "$dst" proto esp \
			spi "$spi" mode transport "${xw[@]}" replay-window 128 \
			replay-oseq $((oseq & 0xffffffff)) replay-oseq-hi $((oseq >> 32)) \
			replay-seq $((iseq & 0xffffffff)) replay-seq-hi $((iseq >> 32)) ;;
	*)
		echo "esp_sa: unknown implementation '$impl'" >&2
		return 1 ;;
	esac
}

# esp_policy IMPL NS DIR SRC DST [LEVEL]: traffic SRC -> DST (every
# protocol) in direction DIR of NS needs ESP in transport mode; LEVEL is
# require (the default) or use.
esp_policy() {
	local impl=$1 ns=$2 dir=$3 src=$4 dst=$5 level=${6:-require}
	case "$impl" in
	kipsec)
		"$IPSECCTL" -n "$ns" policy add dir "$dir" src "$src" dst "$dst" \
			action protect esp mode transport level "$level" >/dev/null ;;
	xfrm)
		[ "$level" = require ] && level=required
		ip -n "$ns" xfrm policy add dir "$dir" src "$src" dst "$dst" \
			tmpl proto esp mode transport level "$level" ;;
	*)
		echo "esp_policy: unknown implementation '$impl'" >&2
		return 1 ;;
	esac
}

# esp_host IMPL NS LOCAL REMOTE [LEVEL]: NS talks to REMOTE only over ESP.
esp_host() {
	esp_policy "$1" "$2" out "$3" "$4" "${5:-require}" &&
	esp_policy "$1" "$2" in "$4" "$3" "${5:-require}"
}

# esp_flush IMPL NS sa|policy: empties NS's SAD or SPD.
esp_flush() {
	case "$1/$3" in
	kipsec/sa) "$IPSECCTL" -n "$2" sa flush ;;
	kipsec/policy) "$IPSECCTL" -n "$2" policy flush ;;
	xfrm/sa) ip -n "$2" xfrm state flush ;;
	xfrm/policy) ip -n "$2" xfrm policy flush ;;
	*) echo "esp_flush: '$1' '$3'?" >&2; return 1 ;;
	esac
}

# esp_stats IMPL NS: ESP_STATS["NS DST SPI"]="PACKETS BYTES ERRORS OSEQ"
# for every SA of NS (SPI in decimal; ERRORS: its drops as
# REPLAY/INTEGRITY/OTHER, where REPLAY counts both replays and packets too
# old for the window, and XFRM has no OTHER; OSEQ: the last sequence number
# sent, 64 bits).
# shellcheck disable=SC2034 # ESP_STATS is what it returns
esp_stats() {
	local impl=$1 ns=$2 text line dst="" spi="" pk=0 by=0 er=0 hi=0 lo=0 cur=0
	local re_src='^src [^ ]+ dst ([^ ]+)' re_spi='spi 0x[0-9a-f]+\(([0-9]+)\)'
	local re_esn='oseq-hi (0x[0-9a-f]+), oseq (0x[0-9a-f]+)'
	local re_oseq='oseq (0x[0-9a-f]+),' re_cur='([0-9]+)\(bytes\), ([0-9]+)\(packets\)'
	local re_err='replay-window ([0-9]+) replay ([0-9]+) failed ([0-9]+)'
	declare -gA ESP_STATS
	case "$impl" in
	kipsec)
		text=$("$IPSECCTL" -n "$ns" -j sa list | jq -r '.[] | [.dst, .spi,
			.stats.packets, .stats.bytes, "\(.stats.replay_drops)/\(
			.stats.integrity_failures)/\(.stats.other_drops)", .seq] |
			map(tostring) | join(" ")')
		while read -r dst spi pk by er lo; do
			[ -n "$spi" ] && ESP_STATS["$ns $dst $spi"]="$pk $by $er $lo"
		done <<<"$text"
		;;
	xfrm)
		# `ip -s xfrm state` has no JSON: its text, state by state.
		text=$(ip -n "$ns" -s xfrm state)
		while IFS= read -r line; do
			if [[ $line =~ $re_src ]]; then
				[ -n "$spi" ] && ESP_STATS["$ns $dst $spi"]="$pk $by $er $(((hi << 32) | lo))"
				dst=${BASH_REMATCH[1]} spi="" cur=0 hi=0 lo=0 pk=- by=- er=-
			elif [[ $line =~ $re_spi ]]; then
				spi=${BASH_REMATCH[1]}
			elif [[ $line =~ $re_esn ]]; then
				hi=$((BASH_REMATCH[1])) lo=$((BASH_REMATCH[2]))
			elif [[ $line =~ $re_oseq ]]; then
				lo=$((BASH_REMATCH[1]))
			elif [[ $line == *"lifetime current:"* ]]; then
				cur=1
			elif [ "$cur" = 1 ] && [[ $line =~ $re_cur ]]; then
				by=${BASH_REMATCH[1]} pk=${BASH_REMATCH[2]} cur=0
			elif [[ $line =~ $re_err ]]; then
				er=$((BASH_REMATCH[1] + BASH_REMATCH[2]))/${BASH_REMATCH[3]}/0
			fi
		done <<<"$text"
		[ -n "$spi" ] && ESP_STATS["$ns $dst $spi"]="$pk $by $er $(((hi << 32) | lo))"
		;;
	esac
	return 0
}

# kipsec_counters NS: the namespace's counters, one JSON object.
kipsec_counters() {
	"$IPSECCTL" -n "$1" -j stats
}

# kipsec_drops NS [SINCE [NAME]]: the drop counters of NS that grew since
# SINCE (what kipsec_counters said then; default: since the start), but
# NAME, as "name=growth" words ("" if none).
kipsec_drops() {
	local since=${2:-}
	[ -n "$since" ] || since='{}'
	kipsec_counters "$1" | jq -r --argjson since "$since" --arg skip "${3:-}" \
		'[to_entries[] | select((.key | test("_(packets|bytes)$") | not) and
		.key != $skip) | .value -= ($since[.key] // 0) |
		select(.value != 0) | "\(.key)=\(.value)"] | join(" ")'
}

# cap_start NS DEV FILE: records the headers of DEV's packets into FILE
# until cap_stop; returns once tcpdump listens.
cap_start() {
	local i log
	: >"$3.log"
	# Not through in_ns: $! must be tcpdump itself (ip execs it).
	ip netns exec "$1" tcpdump -i "$2" -n -s 128 -B 16384 --immediate-mode \
		-U -w "$3" 2>"$3.log" &
	CAP_PID=$! CAP_FILE=$3
	for ((i = 0; i < 200; i++)); do
		log=$(<"$3.log")
		t_has_line 'listening on' "$log" && return 0
		sleep 0.1
	done
	t_fail "tcpdump -i $2 in $1 did not start: $log"
	return 1
}

# cap_stop: ends the capture and sums it up: CAP["KEY"]=COUNT with the
# keys of pcapsum.py, and CAP[dropped], the packets tcpdump missed.
# CAP_SUMMARY may name another summary of this directory, with its
# arguments before the file ("ah_craft.py pcapsum").
cap_stop() {
	local line sum
	declare -gA CAP
	CAP=()
	# Time to write down the last packets; SIGTERM: background jobs of a
	# script ignore SIGINT.
	sleep 1
	kill -TERM "$CAP_PID"
	wait "$CAP_PID"
	CAP_PID=
	local -a summary
	read -ra summary <<<"${CAP_SUMMARY:-pcapsum.py}"
	summary[0]=$(dirname "${BASH_SOURCE[0]}")/${summary[0]}
	sum=$(/usr/bin/python3 "${summary[@]}" "$CAP_FILE")
	while read -r line; do
		CAP["${line% *}"]=${line##* }
	done <<<"$sum"
	while read -r line; do
		[[ $line =~ ^([0-9]+)\ packets?\ dropped\ by\ kernel ]] &&
			CAP[dropped]=${BASH_REMATCH[1]}
	done <"$CAP_FILE.log"
	rm -f "$CAP_FILE" "$CAP_FILE.log"
}

# cap_kill: ends a capture left running (for the EXIT trap).
cap_kill() {
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	CAP_PID=
}

# cap_n KEY: the count for KEY in the last capture (0 if never seen).
cap_n() {
	printf '%s' "${CAP[$1]:-0}"
}

# cap_clear ADDR...: the cleartext packets of the last capture between any
# two of ADDRs, as "SRC>DST PROTO COUNT" words ("" if none).
cap_clear() {
	local key pair out="" addrs=" $* "
	for key in "${!CAP[@]}"; do
		[[ $key == "clear "* ]] || continue
		pair=${key#clear }
		pair=${pair% *}
		[[ $addrs == *" ${pair%>*} "* && $addrs == *" ${pair#*>} "* ]] &&
			out+="${key#clear }=${CAP[$key]} "
	done
	printf '%s' "${out% }"
}

# ---- AH and ESP+AH bundles (ah*.sh) ------------------------------------
#
# An AH set is one integrity algorithm of esp_alg, "+esn" optional
# ("hmac-sha2-256", "aes-128-gmac+esn").  XFRM has no AH with GMAC.

# ah_sa IMPL NS SET SRC DST SPI [OSEQ [ISEQ]]: the transport-mode AH SA
# SRC -> DST in NS, keyed from its SPI as esp_sa does; OSEQ and ISEQ as
# for esp_sa.
ah_sa() {
	local impl=$1 ns=$2 set=$3 src=$4 dst=$5 spi=$6 oseq=${7:-0} iseq=${8:-0}
	local alg=${3%+esn} key esn=0
	[ "$alg" != "$set" ] && esn=1
	esp_alg "$alg" || return 1
	if [ "$ESP_ALG_WORD" != auth ]; then
		echo "ah_sa: $alg is no integrity algorithm" >&2
		return 1
	fi
	esp_key "$ESP_ALG_KEYLEN" $((spi * 4)) key
	case "$impl" in
	kipsec)
		[ "$iseq" = 0 ] || { echo "ah_sa: kipsec has no ISEQ" >&2; return 1; }
		local -a kw=(auth "$alg" key "$key" seq "$oseq")
		[ "$esn" = 1 ] && kw+=(esn)
		"$IPSECCTL" -n "$ns" sa add src "$src" dst "$dst" proto ah \
			spi "$spi" mode transport "${kw[@]}" ;;
	xfrm)
		if [[ $alg == *gmac ]]; then
			echo "ah_sa: XFRM has no AH with $alg" >&2
			return 1
		fi
		local -a xw
		# shellcheck disable=SC2206 # two words: the kind and the name
		xw=($ESP_ALG_XFRM "$key" $ESP_ALG_BITS)
		[ "$esn" = 1 ] && xw+=(flag esn)
		ip -n "$ns" xfrm state add src "$src" dst "$dst" proto ah \
			spi "$spi" mode transport "${xw[@]}" replay-window 128 \
			replay-oseq $((oseq & 0xffffffff)) replay-oseq-hi $((oseq >> 32)) \
			replay-seq $((iseq & 0xffffffff)) replay-seq-hi $((iseq >> 32)) ;;
	*)
		echo "ah_sa: unknown implementation '$impl'" >&2
		return 1 ;;
	esac
}

# ipsec_policy IMPL NS DIR SRC DST PROTOS [LEVEL]: traffic SRC -> DST
# (every protocol) in direction DIR of NS needs PROTOS in transport mode:
# esp, ah, or esp+ah (a bundle: ESP inside, AH outside); LEVEL as for
# esp_policy.
ipsec_policy() {
	local impl=$1 ns=$2 dir=$3 src=$4 dst=$5 protos=$6 level=${7:-require}
	local p
	local -a words=()
	[ "$impl" = xfrm ] && [ "$level" = require ] && level=required
	for p in ${protos//+/ }; do
		case "$impl" in
		kipsec) words+=("$p" mode transport level "$level") ;;
		xfrm) words+=(tmpl proto "$p" mode transport level "$level") ;;
		esac
	done
	case "$impl" in
	kipsec)
		"$IPSECCTL" -n "$ns" policy add dir "$dir" src "$src" dst "$dst" \
			action protect "${words[@]}" >/dev/null ;;
	xfrm)
		ip -n "$ns" xfrm policy add dir "$dir" src "$src" dst "$dst" \
			"${words[@]}" ;;
	*)
		echo "ipsec_policy: unknown implementation '$impl'" >&2
		return 1 ;;
	esac
}

# ipsec_host IMPL NS LOCAL REMOTE PROTOS [LEVEL]: NS talks to REMOTE only
# over PROTOS.
ipsec_host() {
	ipsec_policy "$1" "$2" out "$3" "$4" "$5" "${6:-require}" &&
	ipsec_policy "$1" "$2" in "$4" "$3" "$5" "${6:-require}"
}

# ---- crafted packets (esp-bad.sh, ah-bad.sh) ---------------------------
#
# A suite runs its crafter (esp_craft.py, ah_craft.py `serve`) as the
# coprocess DRV and sums what each step's netlink reading says into
# NS_TOTAL[counter] and its own per-SA totals.

# drv COMMAND...: one command to the crafter; its one-line answer in REPLY.
drv() {
	REPLY=
	if ! { echo "$*" >&"${DRV[1]}"; } 2>/dev/null ||
	   ! read -r -t 600 REPLY <&"${DRV[0]}"; then
		REPLY="fail: the crafter did not answer"
	fi
}

stop_drv() {
	if [ -n "${DRV_PID:-}" ]; then
		{ echo quit >&"${DRV[1]}"; } 2>/dev/null
		wait "$DRV_PID"
		DRV_PID=
	fi
}

# craft_totals NS REASON...: `ipsecctl stats` of NS says what NS_TOTAL
# sums up, and every REASON was counted.
craft_totals() {
	local ns=$1 out name value bad="" missing=""
	local -A seen=()
	shift
	out=$("$IPSECCTL" -n "$ns" stats)
	t_eq "ipsecctl stats answers" "$?" 0
	while read -r name value; do
		[ -n "$name" ] || continue
		seen[$name]=1
		[ "$value" = "${NS_TOTAL[$name]:-0}" ] ||
			bad+=" $name=$value (want ${NS_TOTAL[$name]:-0})"
	done <<<"$out"
	for name in "${!NS_TOTAL[@]}"; do
		[ -n "${seen[$name]:-}" ] || bad+=" $name missing"
	done
	t_eq "ipsecctl stats: the sum of every step" "${bad:-none}" none
	for name in "$@"; do
		[ "${NS_TOTAL[$name]:-0}" -gt 0 ] || missing+=" $name"
	done
	t_eq "ipsecctl stats: every reason tested counted" "${missing:-none}" none
}

# craft_sa_counts NS: SA_COUNTS["DST PROTO SPI"]="PACKETS REPLAY INTEGRITY
# OTHER" for every SA of NS (SPI in decimal), one process for all.
# shellcheck disable=SC2034 # SA_COUNTS is what it returns
craft_sa_counts() {
	local out key value
	declare -gA SA_COUNTS=()
	out=$("$IPSECCTL" -n "$1" -j sa list | jq -r '.[] |
		"\(.dst) \(.proto) \(.spi)=" + (.stats | "\(.packets) " +
		"\(.replay_drops) \(.integrity_failures) \(.other_drops)")')
	t_eq "ipsecctl sa list answers" "$?" 0
	while IFS='=' read -r key value; do
		SA_COUNTS[$key]=$value
	done <<<"$out"
}
