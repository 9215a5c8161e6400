#!/bin/bash
# demo.sh (make demo): boot Debian's stock kernel under QEMU, make two hosts
# (network namespaces joined by veth), load kipsec and show it working.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   +----------------------------+        +----------------------------+
set -euo pipefail
. "$(dirname "$0")/vm/common.sh"
cd "$KIPSEC_TOP"

if [ "${1:-}" = --guest ]; then
	build=$2
	ipsecctl=$KIPSEC_TOP/tools/ipsecctl/ipsecctl
	say() { printf '\n## %s\n' "$*"; }
	run() { printf '$ %s\n' "$*"; "$@"; }

	say "two hosts, a and b, joined by a veth pair"
	ip netns add a
	ip netns add b
	ip link add veth0 netns a type veth peer name veth0 netns b
	ip -n a addr add 10.0.0.1/24 dev veth0
	ip -n b addr add 10.0.0.2/24 dev veth0
	ip -n a link set veth0 up
	ip -n b link set veth0 up
	run ip -n a -br addr show dev veth0
	run ip -n b -br addr show dev veth0

	say "load the module"
	run insmod "$build/kmod/kipsec.ko"
	run grep kipsec /proc/modules

	say "ipsecctl talks to it from host a"
	run ip netns exec a "$ipsecctl" version

	say "a pings b"
	run ip netns exec a ping -c 2 10.0.0.2

	say "unload"
	ip netns del a
	ip netns del b
	run rmmod kipsec
	exit 0
fi

tests/setup.sh
make -s -C tools/ipsecctl
build=$(tests/build-module.sh stock)
exec tests/vm/run --kernel stock -- tests/demo.sh --guest "$build"
