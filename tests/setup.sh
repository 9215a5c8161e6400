#!/bin/bash
# setup.sh: install the Debian packages that building and testing kipsec
# need, if missing.  Safe to run again; a fresh Debian 12 machine as root
# is enough.
set -euo pipefail

pkgs=(
	build-essential pkg-config libmnl-dev	# ipsecctl
	bc bison flex libelf-dev libssl-dev cpio kmod rsync xz-utils python3
	linux-source-6.1			# the debug kernel
	qemu-system-x86 busybox-static		# the test guests
	iproute2 iputils-ping tcpdump jq socat iperf3 util-linux procps
	dkms groff-base man-db			# tests/install.sh
	tshark					# tests/integration/wireshark.sh
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# Resolving the stock kernel needs package lists even if nothing is missing.
if [ ${#missing[@]} -gt 0 ] || ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || { echo "setup.sh: run as root to install: ${missing[*]}" >&2; exit 1; }
	apt-get update -q >/dev/null
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup.sh: installing ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
