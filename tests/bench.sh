#!/bin/bash
# bench.sh (make bench): boot Debian's stock kernel under QEMU and measure
# TCP and UDP throughput from host a to host b through ESP in transport
# mode, with kipsec and with the kernel's XFRM, for the same algorithms and
# keys.  kipsec and XFRM alternate, round after round, and are never
# configured at the same time (kipsec is unloaded while XFRM is measured).
# Prints the medians of the rounds and of the rounds' kipsec/XFRM ratios.
# Every run must show in the receiving SA's counters, so cleartext cannot
# be timed.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   | iperf3 client              |        | iperf3 server              |
#   +----------------------------+        +----------------------------+
#        SA 0x1001: a -> b, SA 0x1002: b -> a
#
# KIPSEC_BENCH_ROUNDS (3) and KIPSEC_BENCH_SECONDS (3; TCP runs one more
# second, left out for slow start) set the length of the run,
# KIPSEC_BENCH_ALGS the SA sets, comma-separated and named as in
# tests/integration/lib.sh: an AEAD, or a cipher and an HMAC joined by '+'.
set -euo pipefail
. "$(dirname "$0")/vm/common.sh"
cd "$KIPSEC_TOP"

if [ "${1:-}" = --guest ]; then
	build=$2 rounds=$3 secs=$4
	IFS=, read -ra sets <<<"$5"
	tmp=$(mktemp -d -p /dev/shm)
	# Loaded for every kipsec run: from memory, not over 9p.
	cp "$build/kmod/kipsec.ko" "$tmp/"
	export KIPSEC_KO=$tmp/kipsec.ko
	export IPSECCTL=$KIPSEC_TOP/tools/ipsecctl/ipsecctl
	. tests/integration/lib.sh
	# shellcheck disable=SC2317 # run by the EXIT trap
	bench_cleanup() {
		[ -s "$tmp/iperf3.pid" ] && kill "$(cat "$tmp/iperf3.pid")" 2>/dev/null
		cleanup
		rm -rf "$tmp"
	}
	trap bench_cleanup EXIT
	# "SET PROTO IMPL" (RATIOS: "SET PROTO"): one word per round.
	declare -A MBPS LOSSES RATIOS

	# stack_up IMPL SET: a and b talk over ESP only, through IMPL.
	stack_up() {
		local ns
		[ "$1" = kipsec ] && insmod "$KIPSEC_KO"
		for ns in a b; do
			esp_sa "$1" $ns "$2" 10.0.0.1 10.0.0.2 0x1001
			esp_sa "$1" $ns "$2" 10.0.0.2 10.0.0.1 0x1002
		done
		esp_host "$1" a 10.0.0.1 10.0.0.2
		esp_host "$1" b 10.0.0.2 10.0.0.1
	}

	# stack_down IMPL: no trace of IMPL is left, nor any path MTU it
	# taught the routes.
	stack_down() {
		local ns
		for ns in a b; do
			esp_flush "$1" $ns policy
			esp_flush "$1" $ns sa
			ip -n $ns route flush cache
		done
		[ "$1" = kipsec ] && rmmod kipsec
		return 0
	}

	# sa_in IMPL: "PACKETS BYTES DROPS" of b's inbound SA: what it has
	# decrypted, and what it refused (replayed, forged, malformed).
	sa_in() {
		local pk by er _
		esp_stats "$1" b
		read -r pk by er _ <<<"${ESP_STATS["b 10.0.0.2 4097"]:-0 0 0}"
		echo "$pk $by $((${er//\//+}))"
	}

	# iperf PROTO: one iperf3 run from a to b; sets BPS (Mbit/s), BYTES
	# and LOSS (%, UDP) as b received them, and RETR (TCP retransmits).
	iperf() {
		local -a args=(-O 1)
		[ "$1" = udp ] && args=(-u -b 0 -l 1400)
		if ! in_ns a iperf3 -c 10.0.0.2 -t "$secs" -J "${args[@]}" \
			>"$tmp/run.json"; then
			echo "bench: iperf3: $(jq -r .error "$tmp/run.json")" >&2
			exit 1
		fi
		read -r BPS BYTES LOSS RETR <<<"$(jq -r '.end | [
			.sum_received.bits_per_second / 1e6, .sum_received.bytes,
			.sum_received.lost_percent // 0, .sum_sent.retransmits // 0
			] | map(tostring) | join(" ")' "$tmp/run.json")"
		if ! ((BYTES > 0)); then
			echo "bench: b received nothing from a" >&2
			exit 1
		fi
		printf -v BPS '%.1f' "$BPS"
		printf -v LOSS '%.1f' "$LOSS"
	}

	# measure SET IMPL PROTO: one iperf3 run through IMPL; the bytes b
	# received must all have come through its ESP SA.
	measure() {
		local set=$1 impl=$2 proto=$3 pk0 by0 er0 pk1 by1 er1
		read -r pk0 by0 er0 <<<"$(sa_in "$impl")"
		iperf "$proto"
		read -r pk1 by1 er1 <<<"$(sa_in "$impl")"
		if ((pk1 == pk0 || by1 - by0 < BYTES)); then
			echo "bench: $impl $set $proto: b received $BYTES bytes," \
				"its SA decrypted $((by1 - by0))" >&2
			exit 1
		fi
		MBPS["$set $proto $impl"]+="$BPS "
		LOSSES["$set $proto $impl"]+="$LOSS "
		printf '  %-26s %-6s %s %8s Mbit/s' "$set" "$impl" "$proto" \
			"$BPS"
		if [ "$proto" = udp ]; then
			printf '  loss %5s%%' "$LOSS"
		else
			printf '  %5s retr.' "$RETR"
		fi
		printf '  (%d ESP packets, %d bytes each' $((pk1 - pk0)) \
			$(((by1 - by0) / (pk1 - pk0)))
		((er1 == er0)) || printf ', %d dropped by the SA' $((er1 - er0))
		echo ")"
	}

	# show_drops: kipsec's drop counters that are not 0, if any.
	show_drops() {
		local ns drops
		for ns in a b; do
			drops=$(kipsec_drops $ns)
			[ -z "$drops" ] || echo "    kipsec drops in $ns: $drops"
		done
	}

	# median N...: the middle value (the lower one of the two middle ones).
	median() {
		printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"
	}

	# range N...: "MIN-MAX".
	range() {
		printf '%s\n' "$@" | sort -g | sed -n '1h; $ { H; x; s/\n/-/; p }'
	}

	# last WORDS: the last word.
	last() {
		local -a w
		read -ra w <<<"$1"
		echo "${w[-1]}"
	}

	# ratio K X: K / X with two decimals.
	ratio() {
		awk -v k="$1" -v x="$2" \
			'BEGIN { if (x > 0) printf "%.2f", k / x; else printf "-" }'
	}

	two_hosts
	for ns in a b; do
		# A run must not start from what the one before learnt.
		ip netns exec $ns sysctl -q -w net.ipv4.tcp_no_metrics_save=1
	done
	in_ns b iperf3 -s -D -I "$tmp/iperf3.pid"
	until in_ns b ss -Hltn 'sport = 5201' | grep -q .; do sleep 0.1; done

	echo "kipsec vs XFRM: ESP transport mode, iperf3 from a to b over veth."
	echo "QEMU TCG emulation (no KVM), $(nproc) vCPUs: absolute numbers"
	echo "mean little, and other load on the host adds noise; compare"
	echo "kipsec with XFRM.  $rounds rounds of $secs s per measurement (TCP:"
	echo "after 1 s left out); UDP: 1400-byte datagrams at unlimited rate,"
	echo "throughput and loss as received."
	iperf tcp
	printf 'cleartext, no IPsec: tcp %s Mbit/s, ' "$BPS"
	iperf udp
	printf 'udp %s Mbit/s (loss %s%%)\n' "$BPS" "$LOSS"
	for ((r = 1; r <= rounds; r++)); do
		echo "round $r/$rounds"
		order=(kipsec xfrm)
		((r % 2)) || order=(xfrm kipsec)
		for set in "${sets[@]}"; do
			for impl in "${order[@]}"; do
				stack_up "$impl" "$set"
				measure "$set" "$impl" tcp
				measure "$set" "$impl" udp
				[ "$impl" = kipsec ] && show_drops
				stack_down "$impl"
			done
			# Minutes apart, other load on the host differs; a
			# round's kipsec and XFRM runs are seconds apart.
			for proto in tcp udp; do
				RATIOS["$set $proto"]+="$(ratio \
					"$(last "${MBPS["$set $proto kipsec"]}")" \
					"$(last "${MBPS["$set $proto xfrm"]}")") "
			done
		done
	done

	echo
	echo "medians of $rounds rounds (TCG emulation); ratio: kipsec/XFRM, the"
	echo "median of the rounds' ratios and their range"
	printf '%-26s %-5s %8s %8s %6s %-13s %s\n' algorithm proto kipsec XFRM \
		ratio "" "UDP loss kipsec/XFRM"
	printf '%-26s %-5s %8s %8s\n' "" "" Mbit/s Mbit/s
	for set in "${sets[@]}"; do
		for proto in tcp udp; do
			# shellcheck disable=SC2086 # one word per round
			printf '%-26s %-5s %8s %8s %6s %-13s' "$set" $proto \
				"$(median ${MBPS["$set $proto kipsec"]})" \
				"$(median ${MBPS["$set $proto xfrm"]})" \
				"$(median ${RATIOS["$set $proto"]})" \
				"($(range ${RATIOS["$set $proto"]}))"
			# shellcheck disable=SC2086
			[ $proto = udp ] && printf ' %s%% / %s%%' \
				"$(median ${LOSSES["$set $proto kipsec"]})" \
				"$(median ${LOSSES["$set $proto xfrm"]})"
			echo
		done
	done
	for proto in tcp udp; do
		[ -n "${RATIOS["aes-128-gcm $proto"]:-}" ] || continue
		# shellcheck disable=SC2086
		r=$(median ${RATIOS["aes-128-gcm $proto"]})
		printf 'target kipsec/XFRM >= 1.00 for aes-128-gcm %s: %s\n' \
			$proto "$(awk -v r="$r" 'BEGIN { print (r >= 1 ? "met" : "NOT met") }')"
	done
	exit 0
fi

tests/setup.sh
make -s -C tools/ipsecctl
build=$(tests/build-module.sh stock)
exec tests/vm/run --kernel stock --timeout 1500 -- \
	tests/bench.sh --guest "$build" \
	"${KIPSEC_BENCH_ROUNDS:-3}" "${KIPSEC_BENCH_SECONDS:-3}" \
	"${KIPSEC_BENCH_ALGS:-aes-128-gcm,aes-256-gcm,chacha20-poly1305,aes-128-cbc+hmac-sha2-256}"
