#!/bin/bash
# Fetch (once) Debian's stock kernel, the one users run, and cache it
# unpacked under ~/.cache/kipsec/stock/<version>/root.  It is never
# installed into the host's /boot.  Its matching headers are installed with
# apt so the module can be built against them.  Prints the cache directory.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kver=$(stock_kver)
[ -n "$kver" ] || die "cannot resolve linux-image-amd64 (apt-get update?)"
dir=$(stock_dir "$kver")

if [ ! -d "/usr/src/linux-headers-$kver" ]; then
	log "installing linux-headers-$kver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "linux-headers-$kver" >/dev/null
fi

if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

log "fetching linux-image-$kver"
rm -rf "$dir"
mkdir -p "$dir/deb"
(cd "$dir/deb" && apt-get download -q "linux-image-$kver" >&2) ||
	die "apt-get download linux-image-$kver failed"
dpkg-deb -x "$dir"/deb/linux-image-*.deb "$dir/root"
rm -rf "$dir/deb"
depmod -b "$dir/root" "$kver"
echo "$kver" >"$dir/kernelrelease"
cp "$dir/root/boot/vmlinuz-$kver" "$dir/bzImage"
touch "$dir/.done"
echo "$dir"
