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

step "make install, dkms, man pages, completion (host)"
KDIR=/usr/src/linux-headers-$(stock_kver) tests/install.sh \
	>"$logdir/install.log" 2>&1
rc=$?
line=$(tail -n 1 "$logdir/install.log")
grep -Ev '^PASS' "$logdir/install.log" | tail -n 20
if grep -Eq '^[0-9]+ passed, [0-9]+ failed' <<<"$line"; then
	count_line "$line"
	[ "$rc" = 0 ] || grep -qv ' 0 failed' <<<"$line" ||
		fail_step "tests/install.sh exited $rc"
else
	fail_step "tests/install.sh printed no summary (exit $rc)"
fi

# The three guests (stock suites, KUnit, debug suites) run at once: each is
# mostly one busy vCPU, and the debug kernel is several times slower than
# the stock one, so this keeps both host cores busy.
run_kunit() {
	KIPSEC_PREBUILT=$KIPSEC_BUILD/debug tests/kunit.sh >"$logdir/kunit.log" 2>&1
	echo $? >"$logdir/kunit.rc"
}

# The debug kernel runs every suite too, ten times slower per process.
run_suites() {
	local limit=3600

	[ "$1" = debug ] && limit=5100
	tests/vm/run --kernel "$1" --timeout "$limit" -- \
		tests/integration/run.sh "$1" "$KIPSEC_BUILD/$1" \
		>"$logdir/integration-$1.log" 2>&1
	echo $? >"$logdir/integration-$1.rc"
}

count_kunit() {
	local rc summary p f s e
	rc=$(cat "$logdir/kunit.rc" 2>/dev/null || echo 1)
	summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$logdir/kunit.log" | tail -n 1)
	if [ -z "$summary" ]; then
		fail_step "KUnit produced no results"
		return
	fi
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
}

count_suites() {
	local log=$logdir/integration-$1.log rc p f s
	rc=$(cat "$logdir/integration-$1.rc" 2>/dev/null || echo 1)
	p=$(grep -c '^kipsec-result: PASS' "$log")
	f=$(grep -c '^kipsec-result: FAIL' "$log")
	s=$(grep -c '^kipsec-result: SKIP' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$p" -gt 0 ] || fail_step "no integration suite passed on the $1 kernel"
	[ "$rc" = 0 ] || fail_step "the $1 guest (exit $rc: crashed, timed out or kernel report)"
}

step "KUnit and integration suites on the debug kernel (in the background)"
echo "logs: $logdir/kunit.log, $logdir/integration-debug.log"
rm -f "$logdir"/*.rc
run_kunit &
kunit_pid=$!
run_suites debug &
debug_pid=$!

step "integration suites (stock kernel)"
run_suites stock
cat "$logdir/integration-stock.log"
count_suites stock

step "KUnit (debug kernel)"
wait "$kunit_pid"
cat "$logdir/kunit.log"
count_kunit

step "integration suites (debug kernel)"
wait "$debug_pid"
cat "$logdir/integration-debug.log"
count_suites debug

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
