#!/bin/bash
# Who may see and change what: unprivileged users get a permission error,
# keys need -s, each namespace has its own databases, and the kernel itself
# refuses malformed requests that ipsecctl would never send.
#
#   +------ a ------+      +------ b ------+
#   | SA, policy    |      | (empty)       |
#   +---------------+      +---------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
ns_add a
ns_add b

ctl() { local ns=$1; shift; "$IPSECCTL" -n "$ns" "$@"; }
key=0x$(printf '%040d' 7)
nobody() { in_ns a setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all "$@"; }

t_check "add SA in a" ctl a sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 4096 \
	enc aes-128-gcm key "$key"
t_check "add policy in a" ctl a policy add dir out action bypass

t_eq "b sees no SA" "$(ctl b -j sa list | jq length)" 0
t_eq "b sees no policy" "$(ctl b -j policy list | jq length)" 0
t_refuse "b cannot get a's SA" 1 '^ipsecctl: sa get: .+' \
	ctl b sa get dst 10.0.0.2 proto esp spi 4096
t_check "same SA in b is independent" ctl b sa add src 10.0.0.1 dst 10.0.0.2 \
	proto esp spi 4096 enc aes-128-gcm key "$key"
t_check "b flush" ctl b sa flush
t_eq "a unaffected by b's flush" "$(ctl a -j sa list | jq length)" 1

t_refuse "unprivileged sa add" 1 '^ipsecctl: sa add: .*(ermission|not permitted)' \
	nobody "$IPSECCTL" sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 4097 \
	enc aes-128-gcm key "$key"
t_refuse "unprivileged sa list" 1 '^ipsecctl: sa list: .*(ermission|not permitted)' \
	nobody "$IPSECCTL" sa list
t_refuse "unprivileged policy flush" 1 \
	'^ipsecctl: policy flush: .*(ermission|not permitted)' \
	nobody "$IPSECCTL" policy flush
t_check "unprivileged version works" nobody "$IPSECCTL" version
t_eq "unprivileged changed nothing" "$(ctl a -j sa list | jq length)" 1

# Raw requests straight to the kernel: each refused with an extack message.
nl=tests/integration/kipsec_nl.py
probes=$(in_ns a python3 "$nl" probe-all)
t_eq "every probe ran" "$(wc -l <<<"$probes")" "$(python3 "$nl" list-probes | wc -l)"
while read -r probe result; do
	if t_has_line '^E[A-Z]+: .+' "$result"; then
		t_pass "kernel refuses $probe ($result)"
	else
		t_fail "kernel refuses $probe: '$result'"
	fi
done <<<"$probes"
t_eq "probes changed nothing" "$(ctl a -j sa list | jq length)" 1
t_eq "probes added no policy" "$(ctl a -j policy list | jq length)" 1

# Per-namespace limits are module parameters.
t_check "reload with small limits" sh -c \
	"rmmod kipsec && insmod '$KIPSEC_KO' max_sas=2 max_policies=1"
for spi in 4096 4097; do
	ctl a sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi "$spi" \
		enc aes-128-gcm key "$key" || t_fail "SA $spi under the limit"
done
t_refuse "SA beyond max_sas" 1 '^ipsecctl: sa add: SA limit .*max_sas' \
	ctl a sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 4098 \
	enc aes-128-gcm key "$key"
t_check "limits are per namespace" ctl b sa add src 10.0.0.1 dst 10.0.0.2 \
	proto esp spi 4098 enc aes-128-gcm key "$key"
t_check "policy under max_policies" ctl a policy add dir out action bypass
t_refuse "policy beyond max_policies" 1 \
	'^ipsecctl: policy add: policy limit .*max_policies' \
	ctl a policy add dir in action bypass
t_check "room again after a delete" sh -c "'$IPSECCTL' -n a sa del dst 10.0.0.2 \
	proto esp spi 4097 && '$IPSECCTL' -n a sa add src 10.0.0.1 dst 10.0.0.2 \
	proto esp spi 4098 enc aes-128-gcm key $key"
t_done
