#!/bin/bash
# build-module.sh stock|debug: build kipsec.ko (and, for the debug kernel,
# the KUnit module) into build/<kernel>/ against that kernel, W=1, failing
# on any compiler warning.  Prints the build directory.
set -euo pipefail
. "$(dirname "$0")/vm/common.sh"

kernel=${1:?usage: build-module.sh stock|debug}
case "$kernel" in
stock)
	kver=$(stock_kver)
	"$KIPSEC_TOP/tests/vm/stock-kernel.sh" >/dev/null
	kdir=/usr/src/linux-headers-$kver
	;;
debug)
	kdir=$("$KIPSEC_TOP/tests/vm/debug-kernel.sh")/linux-source-6.1
	;;
*) die "unknown kernel '$kernel'" ;;
esac

dest=$KIPSEC_BUILD/$kernel
mkdir -p "$dest"
# Sources are copied so each kernel gets its own objects; build products
# are excluded from --delete so rebuilds stay incremental.
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod' --exclude='*.mod.c' --exclude='modules.order' \
	--exclude='Module.symvers' \
	"$KIPSEC_TOP/Kbuild" "$KIPSEC_TOP/kmod" "$KIPSEC_TOP/uapi" "$dest/"

log="$dest/build.log"
if ! make -C "$kdir" M="$dest" W=1 modules >"$log" 2>&1; then
	cat "$log" >&2
	die "module build for the $kernel kernel failed"
fi
if grep -q 'warning:' "$log"; then
	grep -B2 -A6 'warning:' "$log" >&2
	die "module build for the $kernel kernel has warnings (W=1)"
fi
echo "$dest"
