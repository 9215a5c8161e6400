#!/bin/bash
# Build (once) the debug kernel from Debian's linux-source-6.1 with
# tests/vm/debug.config on top of tinyconfig, and cache it under
# ~/.cache/kipsec/debug-<hash>/.  Prints the cache directory.
#
# The cache holds: bzImage, the build tree (for building modules with M=),
# modules/ (INSTALL_MOD_PATH, for modules.builtin) and kunit/ (kunit.py).
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=$(debug_dir)
mkdir -p "$KIPSEC_CACHE"
# Two test runs may ask for the kernel at once: one builds, the other waits.
exec 9>"$KIPSEC_CACHE/.debug-kernel.lock"
flock 9
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.1)"

log "building debug kernel into $dir (first run only, several minutes)"
rm -rf "$dir"
mkdir -p "$dir"
tar -C "$dir" -xf "$tarball"
src="$dir/linux-source-6.1"
frag="$KIPSEC_TOP/tests/vm/debug.config"

make -C "$src" -s ARCH=x86_64 tinyconfig >/dev/null
(cd "$src" && ./scripts/kconfig/merge_config.sh -m .config "$frag") >/dev/null
make -C "$src" -s ARCH=x86_64 olddefconfig >/dev/null

# A dependency we missed makes olddefconfig drop an option silently.
missing=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	if ! grep -qx -- "$line" "$src/.config"; then
		echo "debug.config: '$line' did not take effect" >&2
		missing=1
	fi
done <"$frag"
[ "$missing" = 0 ] || die "debug kernel config is incomplete"

make -C "$src" -s ARCH=x86_64 -j"$(nproc)" bzImage modules >"$dir/build.log" 2>&1 ||
	{ tail -n 40 "$dir/build.log" >&2; die "debug kernel build failed"; }
make -C "$src" -s ARCH=x86_64 INSTALL_MOD_PATH="$dir/modules" modules_install >/dev/null
cp "$src/arch/x86/boot/bzImage" "$dir/bzImage"
make -C "$src" -s kernelrelease >"$dir/kernelrelease"
touch "$dir/.done"
log "debug kernel $(cat "$dir/kernelrelease") ready"
echo "$dir"
