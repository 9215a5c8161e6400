#!/bin/bash
# SAD round trips through ipsecctl: every attribute set by `sa add` or
# `sa update` comes back from `sa get -j` / `sa list -j`; bad requests are
# refused with a message and change nothing.
#
#   +----------------------------- a -----------------------------+
#   |  kipsec loaded, SAs 10.0.0.1 <-> 10.0.0.2, fd00::1 <-> ::2   |
#   +--------------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
t_init
load_kipsec
ns_add a

# ipsecctl enters the namespace itself: one exec less per call.
ctl() { "$IPSECCTL" -n a "$@"; }
hexkey() { printf '0x'; printf "%0$(($1 * 2))d" 0 | tr 0 "$2"; }
count() { ctl -j sa list | jq length; }

gcm=$(hexkey 20 a)
t_check "add ESP aes-128-gcm" ctl sa add src 10.0.0.1 dst 10.0.0.2 proto esp \
	spi 0x1000 enc aes-128-gcm key "$gcm"
sa=$(ctl -j -s sa get dst 10.0.0.2 proto esp spi 4096)
t_eq "get: addresses" "$(jq -r '.src + " " + .dst' <<<"$sa")" "10.0.0.1 10.0.0.2"
t_eq "get: proto/spi/mode" "$(jq -r '"\(.proto) \(.spi) \(.mode)"' <<<"$sa")" \
	"esp 4096 transport"
t_eq "get: enc and key" "$(jq -r '"\(.enc) \(.enc_key)"' <<<"$sa")" "aes-128-gcm $gcm"
t_eq "get: defaults" "$(jq -c '[.replay_window, .esn, .seq, .no_integrity]' <<<"$sa")" \
	'[128,false,0,false]'
t_eq "no key without -s" \
	"$(ctl -j sa get dst 10.0.0.2 proto esp spi 4096 | jq 'has("enc_key")')" false

cbc=$(hexkey 32 b) sha=$(hexkey 32 c)
t_check "add ESP with every option" ctl sa add src 10.0.0.1 dst 10.0.0.2 \
	proto esp spi 4097 mode tunnel enc aes-256-cbc key "$cbc" \
	auth hmac-sha2-256 key "$sha" replay-window 64 esn seq 1000 \
	soft bytes 1000 hard bytes 2000 soft packets 10 hard packets 20 \
	soft add-seconds 30 hard add-seconds 60 soft use-seconds 5 hard use-seconds 9
sa=$(ctl -j -s sa get dst 10.0.0.2 proto esp spi 4097)
t_eq "every option round-trips" "$(jq -c '[.mode, .enc, .enc_key, .auth, .auth_key,
	.replay_window, .esn, .seq]' <<<"$sa")" \
	"[\"tunnel\",\"aes-256-cbc\",\"$cbc\",\"hmac-sha2-256\",\"$sha\",64,true,1000]"
t_eq "lifetimes round-trip" "$(jq -c '.lifetime' <<<"$sa")" \
	'{"soft":{"bytes":1000,"packets":10,"add_seconds":30,"use_seconds":5},"hard":{"bytes":2000,"packets":20,"add_seconds":60,"use_seconds":9}}'
t_eq "counters start at zero" "$(jq -c '[.stats.packets, .stats.bytes,
	.stats.replay_drops, .stats.integrity_failures, .stats.other_drops]' <<<"$sa")" \
	'[0,0,0,0,0]'

chacha=$(hexkey 36 d)
t_check "add IPv6 chacha20-poly1305" ctl sa add src fd00::1 dst fd00::2 proto esp \
	spi 4096 enc chacha20-poly1305 key "$chacha"
t_eq "IPv6 SA round-trips" "$(ctl -j -s sa get dst fd00::2 proto esp spi 4096 |
	jq -r '"\(.src) \(.enc) \(.enc_key)"')" "fd00::1 chacha20-poly1305 $chacha"

sha1=$(hexkey 20 e)
t_check "add AH hmac-sha1" ctl sa add src 10.0.0.1 dst 10.0.0.2 proto ah spi 4096 \
	auth hmac-sha1 key "$sha1"
t_check "same SPI, other protocol is another SA" \
	ctl sa get dst 10.0.0.2 proto ah spi 4096

keyfile=$(mktemp)
printf '%s\n' "$(hexkey 20 f)" >"$keyfile"
chmod 600 "$keyfile"
t_check "keyfile 0600" ctl sa add src 10.0.0.1 dst 10.0.0.3 proto esp spi 4096 \
	enc aes-128-gcm keyfile "$keyfile"
t_eq "keyfile key installed" "$(ctl -j -s sa get dst 10.0.0.3 proto esp spi 4096 |
	jq -r .enc_key)" "$(hexkey 20 f)"
chmod 644 "$keyfile"
t_refuse "keyfile readable by others" 1 '^ipsecctl: sa add: .*keyfile' \
	ctl sa add src 10.0.0.1 dst 10.0.0.3 proto esp spi 4097 \
	enc aes-128-gcm keyfile "$keyfile"
rm -f "$keyfile"

t_eq "list shows all" "$(count)" 5
t_eq "list dst filter" "$(ctl -j sa list dst 10.0.0.2 | jq length)" 3
t_eq "list proto filter" "$(ctl -j sa list proto ah | jq -r '.[].proto')" ah

# Every refusal must leave the database as it was.
before=$(ctl -j -s sa list)
t_refuse "duplicate" 1 '^ipsecctl: sa add: .+' ctl sa add src 10.0.0.1 \
	dst 10.0.0.2 proto esp spi 4096 enc aes-128-gcm key "$gcm"
t_refuse "reserved SPI" 1 '^ipsecctl: sa add: .*reserved' ctl sa add \
	src 10.0.0.1 dst 10.0.0.2 proto esp spi 255 enc aes-128-gcm key "$gcm"
t_refuse "short key" 1 '^ipsecctl: sa add: .*20 bytes' ctl sa add \
	src 10.0.0.1 dst 10.0.0.2 proto esp spi 5000 enc aes-128-gcm key "$(hexkey 16 a)"
t_refuse "unknown algorithm" 1 "^ipsecctl: sa add: .*aes-128-ccm" ctl sa add \
	src 10.0.0.1 dst 10.0.0.2 proto esp spi 5000 enc aes-128-ccm key "$gcm"
t_refuse "mixed families" 1 '^ipsecctl: sa add: .+' ctl sa add \
	src 10.0.0.1 dst fd00::2 proto esp spi 5000 enc aes-128-gcm key "$gcm"
t_refuse "cipher without integrity" 1 '^ipsecctl: sa add: .*integrity' ctl sa add \
	src 10.0.0.1 dst 10.0.0.2 proto esp spi 5000 enc aes-128-cbc key "$(hexkey 16 a)"
t_refuse "AH with a cipher" 1 '^ipsecctl: sa add: .+' ctl sa add src 10.0.0.1 \
	dst 10.0.0.2 proto ah spi 5000 enc aes-128-cbc key "$(hexkey 16 a)" \
	auth hmac-sha1 key "$sha1"
t_refuse "update of a missing SA" 1 '^ipsecctl: sa update: .+' ctl sa update \
	src 10.0.0.1 dst 10.0.0.2 proto esp spi 6000 enc aes-128-gcm key "$gcm"
t_refuse "usage error" 2 '^usage: ipsecctl sa add' ctl sa add src 10.0.0.1 bogus
t_eq "refusals changed nothing" "$(ctl -j -s sa list)" "$before"

out=$(ctl sa add src 10.0.0.1 dst 10.0.0.4 proto esp spi 4096 \
	enc aes-128-cbc key "$(hexkey 16 a)" no-integrity 2>&1)
t_eq "no-integrity accepted" "$?" 0
t_eq "no-integrity warns" "$(grep -c '^ipsecctl: warning: ' <<<"$out")" 1
t_eq "no-integrity flag shown" \
	"$(ctl -j sa get dst 10.0.0.4 proto esp spi 4096 | jq .no_integrity)" true

new=$(hexkey 20 9)
t_check "update" ctl sa update src 10.0.0.1 dst 10.0.0.2 proto esp spi 4096 \
	enc aes-128-gcm key "$new" replay-window 32
t_eq "update replaced key and window" "$(ctl -j -s sa get dst 10.0.0.2 proto esp \
	spi 4096 | jq -r '"\(.enc_key) \(.replay_window)"')" "$new 32"

t_check "del" ctl sa del dst 10.0.0.2 proto esp spi 4096
t_refuse "get after del" 1 '^ipsecctl: sa get: .+' \
	ctl sa get dst 10.0.0.2 proto esp spi 4096
t_refuse "del twice" 1 '^ipsecctl: sa del: .+' \
	ctl sa del dst 10.0.0.2 proto esp spi 4096

t_check "flush ah" ctl sa flush proto ah
t_eq "flush ah left ESP" "$(ctl -j sa list | jq -r '[.[].proto] | unique | join(",")')" esp
t_check "flush" ctl sa flush
t_eq "flush emptied" "$(count)" 0
t_done
