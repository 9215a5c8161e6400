#!/bin/bash
# demo.sh (make demo): boot Debian's stock kernel under QEMU, make two hosts
# (network namespaces joined by veth), load kipsec, protect all traffic
# between them with ESP in transport mode and show it working: a ping, a
# TCP transfer, the packets on the wire and the SA counters.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   +----------------------------+        +----------------------------+
#        SA 0x1001: a -> b, SA 0x1002: b -> a, ESP aes-128-gcm
set -euo pipefail
. "$(dirname "$0")/vm/common.sh"
cd "$KIPSEC_TOP"

if [ "${1:-}" = --guest ]; then
	build=$2
	export PATH=$KIPSEC_TOP/tools/ipsecctl:$PATH
	tmp=$(mktemp -d)
	cd "$tmp"
	say() { printf '\n## %s\n' "$*"; }
	run() { printf '$ %s\n' "$*"; "$@"; }
	# Demo keys (cipher key and salt); real ones belong in a keyfile.
	key_ab=0x0123456789abcdef0123456789abcdef01234567
	key_ba=0x89abcdef0123456789abcdef0123456789abcdef

	say "two hosts, a and b, joined by a veth pair"
	ip netns add a
	ip netns add b
	ip link add veth0 netns a type veth peer name veth0 netns b
	ip -n a addr add 10.0.0.1/24 dev veth0
	ip -n b addr add 10.0.0.2/24 dev veth0
	ip -n a link set veth0 up
	ip -n b link set veth0 up
	until ip -n b -o link show veth0 | grep -q 'state UP'; do
		sleep 0.1
	done
	run ip -n a -br -4 addr show dev veth0
	run ip -n b -br -4 addr show dev veth0

	say "load the module"
	run insmod "$build/kmod/kipsec.ko"
	run ipsecctl version

	say "SAs and policies: everything between a and b is ESP"
	for ns in a b; do
		run ipsecctl -n $ns sa add src 10.0.0.1 dst 10.0.0.2 proto esp \
			spi 0x1001 enc aes-128-gcm key $key_ab
		run ipsecctl -n $ns sa add src 10.0.0.2 dst 10.0.0.1 proto esp \
			spi 0x1002 enc aes-128-gcm key $key_ba
	done
	run ipsecctl -n a policy add dir out src 10.0.0.1 dst 10.0.0.2 \
		action protect esp
	run ipsecctl -n a policy add dir in src 10.0.0.2 dst 10.0.0.1 \
		action protect esp
	run ipsecctl -n b policy add dir out src 10.0.0.2 dst 10.0.0.1 \
		action protect esp
	run ipsecctl -n b policy add dir in src 10.0.0.1 dst 10.0.0.2 \
		action protect esp
	run ipsecctl -n a policy list

	# Everything from here on is captured on b's side of the wire.
	ip netns exec b tcpdump -i veth0 -n -s 128 -U -w wire.pcap \
		2>tcpdump.log &
	tcpdump=$!
	until grep -q 'listening on' tcpdump.log; do sleep 0.1; done

	say "a pings b"
	run ip netns exec a ping -c 3 -i 0.2 10.0.0.2

	say "a sends b 1 MiB over TCP"
	head -c 1048576 /dev/urandom >sent
	ip netns exec b socat -u TCP-LISTEN:5001 OPEN:received,creat &
	receiver=$!
	until ip netns exec b ss -Hltn 'sport = 5001' | grep -q .; do
		sleep 0.1
	done
	run ip netns exec a socat -u OPEN:sent TCP:10.0.0.2:5001
	wait $receiver
	run sha256sum sent received
	if ! cmp -s sent received; then
		echo "demo: b received other data" >&2
		exit 1
	fi

	say "on the wire (tcpdump on b's veth0)"
	kill -INT $tcpdump
	wait $tcpdump || true
	tcpdump -n -r wire.pcap ip 2>/dev/null >wire.txt
	printf '$ tcpdump -n -r wire.pcap ip\n'
	head -n 4 wire.txt
	echo "..."
	total=$(wc -l <wire.txt)
	esp=$(grep -c ' ESP(spi=' wire.txt || true)
	echo "$total IPv4 packets between a and b, $esp of them ESP"
	if [ "$esp" = 0 ] || [ "$esp" != "$total" ]; then
		echo "demo: cleartext on the wire" >&2
		exit 1
	fi

	say "counters"
	run ipsecctl -n a sa list
	run ipsecctl -n b sa list
	run ipsecctl -n b stats

	say "unload"
	ip netns del a
	ip netns del b
	run rmmod kipsec
	cd /
	rm -rf "$tmp"
	exit 0
fi

tests/setup.sh
make -s -C tools/ipsecctl
build=$(tests/build-module.sh stock)
exec tests/vm/run --kernel stock -- tests/demo.sh --guest "$build"
