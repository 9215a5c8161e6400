# Shared settings for the VM harness scripts (sourced, not run).
# shellcheck shell=bash

KIPSEC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIPSEC_CACHE=${KIPSEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kipsec}
KIPSEC_BUILD=${KIPSEC_BUILD:-$KIPSEC_TOP/build}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Debian kernel ABI that linux-image-amd64 currently points at, e.g.
# "6.1.0-56-amd64".  Resolved from apt so a new stable update is picked up.
stock_kver() {
	if [ -n "${KIPSEC_STOCK_KVER:-}" ]; then
		echo "$KIPSEC_STOCK_KVER"
		return
	fi
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*\)$/\1/p' | head -n 1
}

stock_dir() { echo "$KIPSEC_CACHE/stock/$1"; }

# Bump when debug-kernel.sh changes what it builds (not how it locks or logs).
KIPSEC_DEBUG_RECIPE=1

# The debug kernel is cached by what determines it: the config fragment,
# the build recipe and the kernel source it is built from.
debug_hash() {
	{
		cat "$KIPSEC_TOP/tests/vm/debug.config"
		echo "recipe $KIPSEC_DEBUG_RECIPE"
		dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null
	} | sha256sum | cut -c1-16
}

debug_dir() { echo "$KIPSEC_CACHE/debug-$(debug_hash)"; }
