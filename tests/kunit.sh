#!/bin/bash
# kunit.sh: build the KUnit suites (kmod/tests/) as a module against the
# debug kernel, run them in its guest and parse their KTAP output with the
# kernel's own tools/testing/kunit/kunit.py.  Exits non-zero on any failure
# or kernel report.
#
# kunit.sh --guest BUILDDIR runs inside the guest: loads kipsec.ko and
# kipsec_test.ko and prints the suites' KTAP.
set -euo pipefail
. "$(dirname "$0")/vm/common.sh"

if [ "${1:-}" = --guest ]; then
	build=$2
	dmesg -C
	insmod "$build/kmod/kipsec.ko"
	insmod "$build/kmod/tests/kipsec_test.ko"
	rmmod kipsec_test
	rmmod kipsec
	# Module suites print no top-level KTAP header: add it, and drop the
	# timestamps so kunit.py sees plain KTAP.
	log=$(dmesg --notime)
	n=$(grep -c '^    # Subtest:' <<<"$log" || true)
	echo "KTAP version 1"
	echo "1..$n"
	sed -n '/^    KTAP version/,$p' <<<"$log" |
		grep -E '^(    |ok |not ok |# )' || true
	exit 0
fi

# make check has built the modules already and runs guests beside this one.
build=${KIPSEC_PREBUILT:-$("$KIPSEC_TOP/tests/build-module.sh" debug)}
kunit_py=$(debug_dir)/linux-source-6.1/tools/testing/kunit/kunit.py
ktap=$build/kunit.ktap

"$KIPSEC_TOP/tests/vm/run" --kernel debug --timeout 2400 -- \
	tests/kunit.sh --guest "$build" >"$ktap"
python3 "$kunit_py" parse "$ktap"
