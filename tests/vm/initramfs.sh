#!/bin/bash
# initramfs.sh MODROOT KVER OUT: build the guest's initramfs (busybox, the
# modules needed to reach the 9p root and their dependencies, in load
# order) into OUT.  MODROOT is a directory holding lib/modules/KVER.
set -euo pipefail
. "$(dirname "$0")/common.sh"

modroot=$1 kver=$2 out=$3
busybox=/bin/busybox
[ -x "$busybox" ] || die "busybox missing (apt-get install busybox-static)"

work=$(mktemp -d)
trap 'rm -rf "$work" "$out.$$.tmp"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,modules}
cp "$busybox" "$work/bin/busybox"
cp "$KIPSEC_TOP/tests/vm/initramfs-init" "$work/init"

# Built-in drivers (the debug kernel) make modprobe print "builtin": skip.
modprobe -a -d "$modroot" -S "$kver" --show-depends \
	virtio_pci virtio_rng 9pnet_virtio 9p overlay 2>/dev/null |
	sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++' |
	while read -r ko; do
		cp "$ko" "$work/modules/"
		basename "$ko" >>"$work/modules/order"
	done
touch "$work/modules/order"

# Renamed into place in its own directory, so no reader sees half a file.
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.$$.tmp"
mv "$out.$$.tmp" "$out"
