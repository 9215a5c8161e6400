#!/bin/bash
# run.sh KERNEL BUILDDIR [SUITE...]: runs inside the test guest.  Runs each
# suite (default: every tests/integration/*.sh but lib.sh and run.sh) and
# prints one `kipsec-result: PASS|FAIL|SKIP <suite> <kernel>` line each.  A
# suite whose run leaves a kernel report (KASAN, lockdep, WARNING, ...) in
# the log fails, whatever its exit status.
set -u
kernel=$1 build=$2
shift 2
top=$(pwd)
export KIPSEC_KERNEL=$kernel
export KIPSEC_KO=$build/kmod/kipsec.ko
export IPSECCTL=$top/tools/ipsecctl/ipsecctl
export PATH=$top/tools/ipsecctl:$PATH

if [ $# -eq 0 ]; then
	for s in tests/integration/*.sh; do
		case "$s" in */lib.sh|*/run.sh) continue ;; esac
		set -- "$@" "$s"
	done
fi

for s in "$@"; do
	name=$(basename "$s" .sh)
	before=$(dmesg | wc -l)
	echo "=== $name ($kernel)"
	timeout 900 bash "$s"
	rc=$?
	report=$(dmesg | tail -n +"$((before + 1))" | grep -E -A 20 -f tests/vm/bad-patterns)
	if [ -n "$report" ]; then
		echo "$name: the kernel log has a report:"
		echo "$report"
		rc=1
	fi
	case "$rc" in
	0) echo "kipsec-result: PASS $name $kernel" ;;
	77) echo "kipsec-result: SKIP $name $kernel" ;;
	*) echo "kipsec-result: FAIL $name $kernel" ;;
	esac
done
exit 0
