#!/bin/bash
# Many SAs and policies dump completely through ipsecctl, across many
# netlink messages; unloading the module with all of them installed frees
# everything (kmemleak checks the debug kernel at the end).  10,000 SAs on
# the stock kernel; on the debug kernel, where KASAN and lockdep make every
# crypto transform allocation slow under emulation, 1,000 (still several
# messages).
#
#   +----------------------------- a -----------------------------+
#   |  kipsec loaded, N SAs, N/10 policies                         |
#   +--------------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
ns_add a

n=10000
[ "${KIPSEC_KERNEL:-}" = debug ] && n=1000
np=$((n / 10))
nl=tests/integration/kipsec_nl.py

t_check "add $n SAs" in_ns a python3 "$nl" bulk-sa "$n"
list=$("$IPSECCTL" -n a -j sa list)
t_eq "dump returns $n" "$(jq length <<<"$list")" "$n"
t_eq "dump has no duplicates" "$(jq '[.[].spi] | unique | length' <<<"$list")" "$n"
t_eq "text list has $n rows" \
	"$("$IPSECCTL" -n a sa list | grep -c '10\.0\.0\.2')" "$n"
t_check "add $np policies" in_ns a python3 "$nl" bulk-policy "$np"
t_eq "$np policies dump in priority order" \
	"$("$IPSECCTL" -n a -j policy list |
	   jq -c '[length, [.[].priority] == ([.[].priority] | sort)]')" "[$np,true]"
t_check "rmmod with everything installed" rmmod kipsec
t_done
