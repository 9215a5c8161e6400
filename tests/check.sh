#!/bin/bash
# check.sh (make check): set up, then run every test: ipsecctl's unit tests
# on the host, the KUnit suites in the debug kernel, and the netns
# integration suites on the stock and the debug kernel.  The last line is
# "N passed, N failed, N skipped"; the exit status is non-zero on any
# failure.
set -uo pipefail
. "$(dirname "$0")/vm/common.sh"
cd "$KIPSEC_TOP" || exit 1

passed=0 failed=0 skipped=0
logdir=$KIPSEC_BUILD/logs
mkdir -p "$logdir"

fail_step() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# count_line LINE: add a "N passed, N failed[, N skipped]" summary.
count_line() {
	local p f s
	p=$(sed -n 's/.*\b\([0-9]\+\) passed.*/\1/p' <<<"$1")
	f=$(sed -n 's/.*\b\([0-9]\+\) failed.*/\1/p' <<<"$1")
	s=$(sed -n 's/.*\b\([0-9]\+\) skipped.*/\1/p' <<<"$1")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
}

step() { echo; echo "==== $*"; }

step "setup"
tests/setup.sh || { fail_step "setup"; echo "$passed passed, $failed failed, $skipped skipped"; exit 1; }

step "ipsecctl: build and unit tests (host)"
if make -s -C tools/ipsecctl >"$logdir/tool-build.log" 2>&1; then
	make -s -C tools/ipsecctl test 2>&1 | tee "$logdir/tool-test.log"
	rc=${PIPESTATUS[0]}
	line=$(tail -n 1 "$logdir/tool-test.log")
	if grep -Eq '^[0-9]+ passed, [0-9]+ failed' <<<"$line"; then
		count_line "$line"
		if [ "$rc" != 0 ] && grep -q ' 0 failed' <<<"$line"; then
			fail_step "ipsecctl unit tests exited $rc"
		fi
	else
		fail_step "ipsecctl unit tests printed no summary (exit $rc)"
	fi
else
	cat "$logdir/tool-build.log"
	fail_step "ipsecctl build"
fi

step "kernels and module builds"
for k in stock debug; do
	if ! tests/build-module.sh "$k" >/dev/null; then
		fail_step "module build ($k kernel)"
	fi
done

step "KUnit (debug kernel)"
tests/kunit.sh 2>&1 | tee "$logdir/kunit.log"
rc=${PIPESTATUS[0]}
summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$logdir/kunit.log" | tail -n 1)
if [ -n "$summary" ]; then
	p=$(sed -n 's/.*passed: \([0-9]\+\).*/\1/p' <<<"$summary")
	f=$(sed -n 's/.*failed: \([0-9]\+\).*/\1/p' <<<"$summary")
	s=$(sed -n 's/.*skipped: \([0-9]\+\).*/\1/p' <<<"$summary")
	e=$(sed -n 's/.*errors: \([0-9]\+\).*/\1/p' <<<"$summary")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${e:-0}))
	skipped=$((skipped + ${s:-0}))
	if [ "$rc" != 0 ] && [ $((${f:-0} + ${e:-0})) = 0 ]; then
		fail_step "KUnit run (exit $rc: crash, timeout or kernel report)"
	fi
else
	fail_step "KUnit produced no results"
fi

for k in stock debug; do
	step "integration suites ($k kernel)"
	log=$logdir/integration-$k.log
	tests/vm/run --kernel "$k" --timeout 2400 -- \
		tests/integration/run.sh "$k" "$KIPSEC_BUILD/$k" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^kipsec-result: PASS' "$log")
	f=$(grep -c '^kipsec-result: FAIL' "$log")
	s=$(grep -c '^kipsec-result: SKIP' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$p" -gt 0 ] || fail_step "no integration suite passed on the $k kernel"
	[ "$rc" = 0 ] || fail_step "the $k guest (exit $rc: crashed, timed out or kernel report)"
done

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
