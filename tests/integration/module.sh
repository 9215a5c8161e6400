#!/bin/bash
# The module loads, registers its family in every namespace, answers
# `ipsecctl version` and unloads cleanly; without it the tool says so.
#
#   +------ a ------+          +------ b ------+
#   | 10.0.0.1/24   |--veth----| 10.0.0.2/24   |
#   | fd00::1/64    |          | fd00::2/64    |
#   +---------------+          +---------------+
. "$(dirname "$0")/lib.sh"
t_init

t_refuse "tool without module" 1 \
	'^ipsecctl: kipsec module not loaded \(modprobe kipsec\)$' \
	"$IPSECCTL" sa list

load_kipsec
two_hosts
t_check "module listed" grep -q '^kipsec ' /proc/modules

want=$(sed -n 's/^#define KIPSEC_VERSION "\(.*\)"/\1/p' kmod/version.h)
out=$("$IPSECCTL" version 2>&1)
t_eq "version names the module" \
	"$(grep -c "^kipsec module $want\$" <<<"$out")" 1
t_eq "version names the tool" "$(grep -c "^ipsecctl $want\$" <<<"$out")" 1

for ns in a b; do
	out=$(in_ns "$ns" "$IPSECCTL" -j version)
	t_eq "family answers in netns $ns" \
		"$(jq -r .module <<<"$out")" "$want"
	t_eq "aes-128-gcm reported in netns $ns" \
		"$(jq -r '.algorithms[] | select(.name == "aes-128-gcm") | .key_len' <<<"$out")" 20
done

t_check "hosts reach each other (IPv4)" in_ns a ping -c 1 -W 2 10.0.0.2
t_check "hosts reach each other (IPv6)" in_ns a ping -c 1 -W 2 fd00::2

t_check "rmmod" rmmod kipsec
t_refuse "tool after rmmod" 1 'kipsec module not loaded' "$IPSECCTL" version
t_check "reload" insmod "$KIPSEC_KO"
t_done
