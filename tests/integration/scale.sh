#!/bin/bash
# 10,000 SAs (and 1,000 policies) dump completely through ipsecctl, across
# many netlink messages; unloading the module with all of them installed
# frees everything (kmemleak checks the debug kernel at the end).
#
#   +----------------------------- a -----------------------------+
#   |  kipsec loaded, 10,000 SAs                                   |
#   +--------------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
ns_add a

t_check "add 10,000 SAs" in_ns a python3 tests/integration/kipsec_nl.py bulk-sa 10000
list=$(in_ns a "$IPSECCTL" -j sa list)
t_eq "dump returns 10,000" "$(jq length <<<"$list")" 10000
t_eq "dump has no duplicates" "$(jq '[.[].spi] | unique | length' <<<"$list")" 10000
t_eq "text list has 10,000 rows" \
	"$(in_ns a "$IPSECCTL" sa list | grep -c '10\.0\.0\.2')" 10000
t_check "add 1,000 policies" in_ns a python3 tests/integration/kipsec_nl.py bulk-policy 1000
t_eq "1,000 policies dump in order" \
	"$(in_ns a "$IPSECCTL" -j policy list | jq -c '[.[].priority] == ([.[].priority] | sort) and length == 1000')" true
t_check "rmmod with everything installed" rmmod kipsec
t_done
