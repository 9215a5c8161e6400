# Helpers for the netns integration suites (sourced by each suite).
# shellcheck shell=bash
#
# A suite is a bash script run as root inside a test guest (tests/vm/run)
# with KIPSEC_KO (the module to load) and IPSECCTL (the tool) set.  It
# draws its topology in a comment, calls `trap cleanup EXIT` through
# t_init, makes checks with the t_* helpers and ends with t_done.  Exit
# status: 0 pass, 77 skip, anything else fail.

set -u

T_NAME=$(basename "$0" .sh)
T_CHECKS=0
T_FAILED=0
T_NETNS=()

t_log() { printf '%s: %s\n' "$T_NAME" "$*"; }

t_fail() {
	T_FAILED=$((T_FAILED + 1))
	printf '%s: FAIL: %s\n' "$T_NAME" "$*"
}

t_pass() {
	T_CHECKS=$((T_CHECKS + 1))
	printf '%s: ok: %s\n' "$T_NAME" "$*"
}

t_skip() {
	printf '%s: SKIP: %s\n' "$T_NAME" "$*"
	exit 77
}

cleanup() {
	local ns
	for ns in "${T_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if grep -q '^kipsec ' /proc/modules; then
		rmmod kipsec || t_fail "rmmod kipsec failed"
	fi
}

t_init() {
	trap cleanup EXIT
	[ -n "${KIPSEC_KO:-}" ] || { echo "KIPSEC_KO unset" >&2; exit 1; }
	[ -n "${IPSECCTL:-}" ] || { echo "IPSECCTL unset" >&2; exit 1; }
}

# t_check DESCRIPTION CMD...: CMD must succeed.
t_check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_pass "$what"
	else
		t_fail "$what: '$*' exited $?: $out"
	fi
}

# t_refuse DESCRIPTION EXPECTED_RC MESSAGE_ERE CMD...: CMD must fail with
# that exit status and a stderr line matching MESSAGE_ERE.
t_refuse() {
	local what=$1 want_rc=$2 want_msg=$3 rc err
	shift 3
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		t_fail "$what: '$*' exited $rc, want $want_rc ($err)"
	elif ! t_has_line "$want_msg" "$err"; then
		t_fail "$what: message '$err' does not match /$want_msg/"
	else
		t_pass "$what"
	fi
}

# t_has_line ERE TEXT: a line of TEXT matches ERE (no exec: guests with
# KASAN and lockdep pay dearly for every process).
t_has_line() {
	local line
	while IFS= read -r line; do
		[[ $line =~ $1 ]] && return 0
	done <<<"$2"
	return 1
}

# t_eq DESCRIPTION GOT WANT
t_eq() {
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1: got '$2', want '$3'"
	fi
}

t_done() {
	t_log "$T_CHECKS checks passed, $T_FAILED failed"
	[ "$T_FAILED" = 0 ] && [ "$T_CHECKS" -gt 0 ]
	exit $?
}

load_kipsec() {
	insmod "$KIPSEC_KO" || { t_fail "insmod $KIPSEC_KO"; exit 1; }
}

# ns_add NAME: a new network namespace with loopback up, removed on exit.
ns_add() {
	ip netns add "$1"
	T_NETNS+=("$1")
	ip -n "$1" link set lo up
}

# in_ns NAME CMD...: run CMD in namespace NAME.
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# two_hosts: hosts "a" and "b" joined by a veth pair.
#
#   +------------- a ------------+        +------------- b ------------+
#   | veth0 10.0.0.1/24          |--------| veth0 10.0.0.2/24          |
#   |       fd00::1/64           |        |       fd00::2/64           |
#   +----------------------------+        +----------------------------+
two_hosts() {
	ns_add a
	ns_add b
	ip link add veth0 netns a type veth peer name veth0 netns b
	ip -n a addr add 10.0.0.1/24 dev veth0
	ip -n b addr add 10.0.0.2/24 dev veth0
	ip -n a addr add fd00::1/64 dev veth0 nodad
	ip -n b addr add fd00::2/64 dev veth0 nodad
	ip -n a link set veth0 up
	ip -n b link set veth0 up
}
