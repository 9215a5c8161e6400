#!/bin/bash
# SPD round trips through ipsecctl: selectors, actions and templates come
# back exactly; ordering is by priority then insertion; bad policies are
# refused with a message and change nothing.
#
#   +----------------------------- a -----------------------------+
#   |  kipsec loaded, policies only (no traffic)                   |
#   +--------------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
ns_add a

# ipsecctl enters the namespace itself: one exec less per call.
ctl() { "$IPSECCTL" -n a "$@"; }
add_id() { ctl -j policy add "$@" | jq -r .id; }

id1=$(add_id dir out src 10.0.0.0/24 dst 10.0.1.0/24 proto tcp sport 1000-2000 \
	dport 443 priority 100 action protect esp spi 0x2000 mode transport level use)
t_eq "add returns an id" "$([ -n "$id1" ] && [ "$id1" -gt 0 ] && echo yes)" yes
p=$(ctl -j policy get id "$id1")
t_eq "selector round-trips" "$(jq -c '[.dir, .src, .dst, .proto, .sport, .dport,
	.priority, .action]' <<<"$p")" \
	'["out","10.0.0.0/24","10.0.1.0/24",6,[1000,2000],[443,443],100,"protect"]'
t_eq "template round-trips" "$(jq -c .templates <<<"$p")" \
	'[{"proto":"esp","spi":8192,"mode":"transport","level":"use"}]'

id2=$(add_id dir out dst fd00::/64 proto ipv6-icmp type 128 code 0 priority 50 \
	action discard)
p=$(ctl -j policy get id "$id2")
t_eq "IPv6 ICMP selector" "$(jq -c '[.dst, .proto, .icmp_type, .icmp_code,
	.action, has("templates"), has("src")]' <<<"$p")" \
	'["fd00::/64",58,128,0,"discard",false,false]'

id3=$(add_id dir out dst 10.0.2.0/24 priority 100 action protect ah)
t_eq "template defaults" "$(ctl -j policy get id "$id3" | jq -c .templates)" \
	'[{"proto":"ah","mode":"transport","level":"require"}]'
id4=$(add_id dir in action bypass)
t_eq "no selector means any" "$(ctl -j policy get id "$id4" |
	jq -c '[has("src"), has("dst"), has("proto")]')" '[false,false,false]'

t_eq "order: priority, then insertion" \
	"$(ctl -j policy list dir out | jq -c '[.[].id]')" "[$id2,$id1,$id3]"
t_eq "dir filter" "$(ctl -j policy list dir in | jq -c '[.[].id]')" "[$id4]"

before=$(ctl -j policy list)
t_refuse "host bits set" 1 '^ipsecctl: policy add: .+' \
	ctl policy add dir out dst 10.0.0.1/24 action bypass
# Values that do not parse are usage errors (2), with the usage line.
t_refuse "prefix too long" 2 '^ipsecctl: policy add: dst: .*out of range' \
	ctl policy add dir out dst 10.0.0.0/33 action bypass
t_refuse "bad address" 2 '^usage: ipsecctl policy add' \
	ctl policy add dir out dst 10.0.0.256/24 action bypass
t_refuse "mixed families" 1 '^ipsecctl: policy add: .+' \
	ctl policy add dir out src 10.0.0.0/8 dst fd00::/8 action bypass
t_refuse "ports without a port protocol" 1 '^ipsecctl: policy add: .+' \
	ctl policy add dir out proto icmp dport 80 action bypass
t_refuse "reversed port range" 2 '^ipsecctl: policy add: dport: .+' \
	ctl policy add dir out proto tcp dport 90-80 action bypass
t_refuse "ICMP type with TCP" 1 '^ipsecctl: policy add: .+' \
	ctl policy add dir out proto tcp type 8 action bypass
t_refuse "reserved template SPI" 1 '^ipsecctl: policy add: .+' \
	ctl policy add dir out action protect esp spi 17
t_refuse "missing action" 2 '^usage: ipsecctl policy add' \
	ctl policy add dir out dst 10.0.0.0/8
t_refuse "duplicate policy" 1 '^ipsecctl: policy add: .+' \
	ctl policy add dir in action bypass
t_refuse "get unknown id" 1 '^ipsecctl: policy get: .+' ctl policy get id 99999
t_eq "refusals changed nothing" "$(ctl -j policy list)" "$before"

t_check "update" ctl policy update id "$id3" dir out dst 10.0.3.0/24 priority 10 \
	action bypass
t_eq "update replaced selector, kept id, re-sorted" \
	"$(ctl -j policy list dir out | jq -c '[.[0].id, .[0].dst, .[0].action]')" \
	"[$id3,\"10.0.3.0/24\",\"bypass\"]"

t_check "del" ctl policy del id "$id1"
t_refuse "del twice" 1 '^ipsecctl: policy del: .+' ctl policy del id "$id1"
t_check "flush dir out" ctl policy flush dir out
t_eq "flush out kept in" "$(ctl -j policy list | jq -c '[.[].dir]')" '["in"]'
t_check "flush" ctl policy flush
t_eq "flush emptied" "$(ctl -j policy list | jq length)" 0
t_done
