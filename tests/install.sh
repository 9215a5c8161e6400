#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh: kipsec's packaging, on the host (no guest).  Builds a copy of
# the sources and runs `make install DESTDIR=$tmp/root` against KDIR (the
# stock kernel's headers), then checks that every file landed where it
# should with the right mode, that the systemd unit parses, that the bash
# completion completes the tool's own grammar, that the man pages render
# without a warning and cover the tool's grammar, that an existing
# kipsec.conf survives a second install, and that dkms.conf names the
# module where the build leaves it (and, with dkms installed, that `dkms
# build` builds it).  A check whose tool is missing is skipped with a
# message.  Last line: "N passed, N failed, N skipped"; exit non-zero on
# any failure.
#
#   KDIR=/usr/src/linux-headers-... tests/install.sh
#
# It builds in a copy so the work tree gets no build products and a
# module build of the lead's cannot race with it.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
KDIR=${KDIR:-/usr/src/linux-headers-6.1.0-56-amd64}
PREFIX=/usr/local

passed=0 failed=0 skipped=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }
# check DESCRIPTION COMMAND...: passes if COMMAND succeeds.
check() {
	local what=$1

	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }
done_() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
	exit
}

tmp=$(mktemp -d /tmp/kipsec-install.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src root=$tmp/root log=$tmp/log
mkdir -p "$src" "$root" "$log"

krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	"$KDIR/include/generated/utsrelease.h" 2>/dev/null)
if [ -z "$krel" ]; then
	fail "kernel headers in KDIR=$KDIR"
	done_
fi
version=$(sed -n 's/.*KIPSEC_VERSION "\(.*\)"/\1/p' "$top/kmod/version.h")

# --- install -------------------------------------------------------------

tar -C "$top" --exclude='*.o' --exclude='*.ko' --exclude='*.d' \
	--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='tools/ipsecctl/ipsecctl' --exclude='tools/ipsecctl/tests/unit' \
	-cf - Makefile Kbuild dkms.conf kmod uapi tools Documentation packaging |
	tar -C "$src" -xf -

if make -C "$src" install DESTDIR="$root" KDIR="$KDIR" PREFIX="$PREFIX" \
	>"$log/install" 2>&1; then
	pass "make install DESTDIR KDIR=$KDIR"
else
	tail -n 30 "$log/install"
	fail "make install DESTDIR KDIR=$KDIR"
	done_
fi

# mode_is FILE MODE: FILE exists with permission bits MODE.
mode_is() {
	[ -e "$1" ] || { echo "  missing: ${1#"$root"}"; return 1; }
	[ "$(stat -c %a "$1")" = "$2" ] ||
		{ echo "  ${1#"$root"}: mode $(stat -c %a "$1"), want $2"; return 1; }
}

sbin=$root$PREFIX/sbin/ipsecctl
man8=$root$PREFIX/share/man/man8/ipsecctl.8
man5=$root$PREFIX/share/man/man5/kipsec.conf.5
bashcomp=$root$PREFIX/share/bash-completion/completions/ipsecctl
unit=$root/lib/systemd/system/kipsec.service
conf=$root/etc/kipsec/kipsec.conf

ko=$(find "$root/lib/modules/$krel" -name kipsec.ko 2>/dev/null | head -n 1)
check "module installed under /lib/modules/$krel" test -n "$ko"
if [ -n "$ko" ]; then
	check "installed module is kipsec for $krel" \
		test "$(modinfo -F name "$ko")" = kipsec -a \
		"$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$krel"
	check "depmod indexed the module" \
		grep -q "kipsec\.ko:" "$root/lib/modules/$krel/modules.dep"
fi
check "ipsecctl in $PREFIX/sbin, 755" mode_is "$sbin" 755
check "installed ipsecctl runs (--help)" \
	sh -c '"$1" --help | grep -q "^usage: ipsecctl"' sh "$sbin"
check "man page ipsecctl(8), 644" mode_is "$man8" 644
check "man page kipsec.conf(5), 644" mode_is "$man5" 644
check "bash completion, 644" mode_is "$bashcomp" 644
check "kipsec.service in /lib/systemd/system, 644" mode_is "$unit" 644
check "/etc/kipsec, 700" mode_is "$root/etc/kipsec" 700
check "sample /etc/kipsec/kipsec.conf, 600" mode_is "$conf" 600
check "sample kipsec.conf is the example" \
	cmp -s "$conf" "$src/packaging/kipsec.conf.example"
# As installed it must change nothing when the unit applies it with -f.
check "sample kipsec.conf holds only comments" \
	sh -c '! grep -qv "^[[:space:]]*\(#.*\)\?$" "$1"' sh "$conf"
# Uncommented as it says (its sed line), it is a host-to-host example:
# two SAs keyed from key files, two policies.  (That it loads with -f is
# checked in a guest: it needs the module.)
uncommented=$(sed -n 's/^#   sed -i \(.*\) \/etc\/kipsec\/kipsec.conf$/sed \1/p' "$conf")
sample_uncommented() {
	local text

	[ -n "$uncommented" ] || { echo "  no sed line in the sample"; return 1; }
	text=$(sh -c "$uncommented" <"$conf" | grep -v '^[[:space:]]*\(#.*\)\?$')
	[ "$(grep -c '^sa add ' <<<"$text")" = 2 ] &&
		[ "$(grep -c '^policy add ' <<<"$text")" = 2 ] &&
		[ "$(grep -c 'keyfile /etc/kipsec/keys/' <<<"$text")" = 2 ] &&
		! grep -q ' key ' <<<"$text" ||
		{ echo "$text"; return 1; }
}
check "sample kipsec.conf uncommented: 2 SAs from key files, 2 policies" \
	sample_uncommented

# A second install keeps the administrator's kipsec.conf.
echo "sa flush # mine" >"$conf"
if make -C "$src" install-files DESTDIR="$root" PREFIX="$PREFIX" \
	>"$log/install2" 2>&1; then
	check "second install keeps an existing kipsec.conf" \
		test "$(cat "$conf")" = "sa flush # mine"
else
	tail -n 20 "$log/install2"
	fail "second install (install-files)"
fi

# --- systemd unit --------------------------------------------------------

check "unit: every @VAR@ substituted" sh -c '! grep -q "@[A-Z]*@" "$1"' sh "$unit"
# unit_has KEY VALUE: the unit has the line KEY=VALUE.
unit_has() { grep -qxF "$1=$2" "$unit"; }
check "unit: loads the module" unit_has ExecStartPre "/sbin/modprobe kipsec"
check "unit: applies /etc/kipsec/kipsec.conf (ipsecctl -f)" \
	unit_has ExecStart "$PREFIX/sbin/ipsecctl -f /etc/kipsec/kipsec.conf"
check "unit: reload is ipsecctl sync -f" \
	unit_has ExecReload "$PREFIX/sbin/ipsecctl sync -f /etc/kipsec/kipsec.conf"
check "unit: flushes policies and SAs on stop" \
	sh -c 'grep -qxF "ExecStop=$2 policy flush" "$1" &&
	       grep -qxF "ExecStop=$2 sa flush" "$1"' sh "$unit" "$PREFIX/sbin/ipsecctl"
check "unit: oneshot that stays active (so stop runs)" \
	sh -c 'grep -qx "Type=oneshot" "$1" && grep -qx "RemainAfterExit=yes" "$1"' \
	sh "$unit"
check "unit: before the network" unit_has Before "network-pre.target shutdown.target"

# Without systemd-analyze: sections known, every other line KEY=VALUE
# with a key of its section.
unit_syntax() {
	awk '
	BEGIN {
		k["Unit"] = " Description Documentation DefaultDependencies After Before Wants Requires Conflicts ConditionPathExists "
		k["Service"] = " Type RemainAfterExit ExecStartPre ExecStart ExecReload ExecStop "
		k["Install"] = " WantedBy "
	}
	/^[[:space:]]*([#;].*)?$/ { next }
	/^\[[A-Za-z]+\]$/ { s = substr($0, 2, length($0) - 2)
		if (!(s in k)) { print "  unknown section " $0; bad = 1 }
		next }
	/^[A-Za-z]+=/ { key = substr($0, 1, index($0, "=") - 1)
		if (s == "" || index(k[s], " " key " ") == 0) {
			print "  line " NR ": " key " not known in [" s "]"; bad = 1 }
		next }
	{ print "  line " NR ": not KEY=VALUE: " $0; bad = 1 }
	END { exit bad }' "$1"
}
check "unit: syntax (own check)" unit_syntax "$unit"
if have systemd-analyze; then
	# --root resolves the unit's commands in the DESTDIR tree, where
	# /sbin/modprobe is not: give it a stand-in.  Documentation= runs
	# man(1), which finds the installed pages through MANPATH.
	mkdir -p "$root/sbin"
	printf '#!/bin/sh\n' >"$root/sbin/modprobe"
	chmod 755 "$root/sbin/modprobe"
	if MANPATH=$root$PREFIX/share/man systemd-analyze verify --root="$root" \
		/lib/systemd/system/kipsec.service >"$log/verify" 2>&1 &&
		! grep -q . "$log/verify"; then
		pass "unit: systemd-analyze verify"
	else
		cat "$log/verify"
		fail "unit: systemd-analyze verify"
	fi
	rm -f "$root/sbin/modprobe"
	rmdir "$root/sbin" 2>/dev/null
else
	skip "unit: systemd-analyze verify (systemd-analyze not installed)"
fi

# --- bash completion -----------------------------------------------------

# The tool's grammar, from its usage: "OBJECT" and "OBJECT COMMAND" words
# ("ipsecctl [-s] show": options in brackets may come first).
usage=$("$sbin" --help)
objects=$(sed -n 's/^ *\(usage: \)\?ipsecctl \(\[[^]]*\] \)*\([a-z]\+\).*/\3/p' <<<"$usage" |
	sort -u | tr '\n' ' ')
sa_cmds=$(sed -n 's/^ *ipsecctl sa \([a-z]\+\).*/\1/p' <<<"$usage" |
	sort -u | tr '\n' ' ')
policy_cmds=$(sed -n 's/^ *ipsecctl policy \([a-z]\+\).*/\1/p' <<<"$usage" |
	sort -u | tr '\n' ' ')

# The algorithms, from the tool's table: ESP's enc takes AEADs and
# ciphers, auth takes HMACs and GMAC.
algs_of() {
	sed -n "s/^[[:space:]]*{ \"\([a-z0-9-]*\)\", KIPSEC_ALG_TYPE_\($1\),.*/\1/p" \
		"$src/tools/ipsecctl/algs.c" | sort -u | tr '\n' ' '
}
enc_algs=$(algs_of 'AEAD\|CIPHER')
auth_algs=$(algs_of 'AUTH\|AEAD_AUTH')

keydir=$tmp/keys
mkdir -p "$keydir" && : >"$keydir/peer.key"

# complete WORD...: the completions (sorted, one line) for the command
# line WORD..., the last word being the one under the cursor, as bash
# would call the function: no interactive shell, no bash-completion.
complete_words() {
	bash --norc --noprofile -c '
		f=$1; shift
		. "$f" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ipsecctl ipsecctl "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}" || exit 1
		((${#COMPREPLY[@]})) || exit 0
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "
	' bash "$bashcomp" "$@"
}

# comp_is "WANT" WORD...: the completions of WORD... are exactly WANT.
comp_is() {
	local want=$1 got

	shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then
		pass "completion: ${*@Q} -> ${want:-nothing}"
	else
		fail "completion: ${*@Q} -> '$got', want '$want'"
	fi
}

# comp_has "WANT..." WORD...: the completions include each of WANT and
# none of the words after "!" in it.
comp_has() {
	local want=$1 got w ok=1 neg=

	shift
	got=" $(complete_words "$@")"
	for w in $want; do
		if [ "$w" = "!" ]; then neg=1; continue; fi
		if [ -z "$neg" ] && [[ $got != *" $w "* ]]; then ok=; fi
		if [ -n "$neg" ] && [[ $got == *" $w "* ]]; then ok=; fi
	done
	if [ -n "$ok" ]; then
		pass "completion: ${*@Q} offers $want"
	else
		fail "completion: ${*@Q} -> '$got', want $want"
	fi
}

check "completion: registered for ipsecctl" \
	bash --norc --noprofile -c '. "$1" && complete -p ipsecctl |
		grep -q -- "-F _ipsecctl ipsecctl$"' bash "$bashcomp"
check "grammar: usage lists objects and commands ($objects)" \
	test -n "$objects" -a -n "$sa_cmds" -a -n "$policy_cmds"
comp_is "$objects" ipsecctl ''
comp_is "$objects" ipsecctl -j -s ''
comp_is "$objects" ipsecctl -n blue ''
comp_is "sa show stats sync " ipsecctl s
comp_has "-j --json -s --show-keys -n --netns -f --file -c --check" ipsecctl -
comp_is "$sa_cmds" ipsecctl sa ''
comp_is "$sa_cmds" ipsecctl -j sa ''
comp_is "$policy_cmds" ipsecctl policy ''
comp_is "ah esp " ipsecctl sa add src 10.0.0.1 dst 10.0.0.2 proto ''
comp_has "spi enc auth mode replay-window esn seq soft hard ! src dst proto" \
	ipsecctl sa add src 10.0.0.1 dst 10.0.0.2 proto esp ''
check "grammar: algs.c lists enc ($enc_algs) and auth ($auth_algs) algorithms" \
	test -n "$enc_algs" -a -n "$auth_algs"
comp_is "$enc_algs" \
	ipsecctl sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001 enc ''
comp_is "$auth_algs" \
	ipsecctl sa add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x1001 auth ''
comp_is "key keyfile " ipsecctl sa add proto esp enc aes-128-gcm ''
comp_is "$keydir/peer.key " ipsecctl sa add proto esp enc aes-128-gcm \
	keyfile "$keydir/p"
comp_is "add-seconds bytes packets use-seconds " ipsecctl sa add hard ''
comp_is "transport tunnel " ipsecctl sa update mode ''
comp_is "dst proto spi " ipsecctl sa del ''
comp_is "ah esp " ipsecctl sa flush proto ''
comp_has "dir src dst proto sport dport priority action" ipsecctl policy add ''
comp_is "in out " ipsecctl policy add dir ''
comp_is "bypass discard protect " ipsecctl policy add dir out action ''
comp_has "esp ah spi mode level" ipsecctl policy add dir out action protect ''
comp_is "require use " ipsecctl policy add dir out action protect esp level ''
comp_is "id " ipsecctl policy update ''
comp_has "dir action" ipsecctl policy update id 3 ''
comp_is "in out " ipsecctl policy list dir ''
comp_is "in out " ipsecctl policy default ''
comp_is "bypass discard " ipsecctl policy default in ''
comp_is "ah default-in default-out esp " ipsecctl config ''
comp_is "off on " ipsecctl config esp ''
comp_is "ah default-in default-out " ipsecctl config esp off ''
comp_is "" ipsecctl sa add src ''
: >"$keydir/kipsec.conf"
comp_is "$keydir/kipsec.conf " ipsecctl -f "$keydir/kip"
comp_is "$keydir/kipsec.conf " ipsecctl --file "$keydir/kip"
comp_is "$keydir/kipsec.conf " ipsecctl -n blue -c -f "$keydir/kip"
comp_is "" ipsecctl -f "$keydir/kipsec.conf" ''
comp_has "-f --file ! sa show" ipsecctl -c ''
comp_is "" ipsecctl -s show ''
comp_is "-f " ipsecctl sync ''
comp_is "$keydir/kipsec.conf " ipsecctl sync -f "$keydir/kip"
comp_is "openbsd setkey " ipsecctl import ''
comp_is "$keydir/kipsec.conf " ipsecctl import setkey "$keydir/kip"
comp_is "$keydir/kipsec.conf " ipsecctl import openbsd "$keydir/kip"
comp_is "wireshark " ipsecctl export ''
comp_is "" ipsecctl export wireshark ''

# --- man pages -----------------------------------------------------------

# man_clean PAGE: groff and man render it without a warning, no line
# over 80 columns, no word hyphenated, and its NAME line is what whatis(1)
# will show.
man_clean() {
	local page=$1 out

	out=$(groff -man -ww -z "$page" 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
	if have man; then
		out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$out" ] || { echo "$out"; return 1; }
		out=$(MANWIDTH=80 man -l "$page" 2>/dev/null | awk 'length > 80')
		[ -z "$out" ] || { echo "  over 80 columns:"; echo "$out"; return 1; }
		# a keyword split at a line end cannot be copied back
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null |
			grep $'\u2010')
		[ -z "$out" ] || { echo "  hyphenated:"; echo "$out"; return 1; }
	fi
	if have lexgrog; then
		lexgrog "$page" | grep -q ' - ' || { lexgrog "$page"; return 1; }
	fi
}
# documented PAGE REGEX...: the page, rendered without line breaks in
# paragraphs and blanks squeezed, has a line matching each extended REGEX,
# and nowhere says a feature is planned.
documented() {
	local text re

	text=$(MANWIDTH=1000 man -l "$1" 2>/dev/null | tr -s ' ')
	shift
	if grep -qiw planned <<<"$text"; then
		echo "  still says planned:"
		grep -iw planned <<<"$text"
		return 1
	fi
	for re; do
		grep -qE -- "$re" <<<"$text" || { echo "  not documented: $re"; return 1; }
	done
}
if have groff; then
	check "man: ipsecctl(8) renders clean" man_clean "$man8"
	check "man: kipsec.conf(5) renders clean" man_clean "$man5"
	# Every command of the tool's usage is in the synopsis.
	text=$(MANWIDTH=200 man -l "$man8" 2>/dev/null |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | tr -s ' ')
	missing=
	while read -r obj cmd _; do
		case $cmd in ''|\[*|-*|*\|*) cmd= ;; esac
		# "sa get|del" names both get and del; "[-s] show" is "show"
		grep -qE "ipsecctl (\[[^]]*\] )*$obj${cmd:+ ([a-z]+\|)*$cmd([| ]|\$)}" <<<"$text" ||
			missing+=" '$obj${cmd:+ $cmd}'"
	done < <(sed -n 's/^ *\(usage: \)\?ipsecctl \(\[[^]]*\] \)*\([a-z].*\)/\3/p' <<<"$usage")
	check "man: ipsecctl(8) synopsis has every command of the usage${missing:+ (missing:$missing)}" \
		test -z "$missing"
	missing=
	for a in $enc_algs $auth_algs; do
		grep -qw -- "$a" <<<"$(MANWIDTH=200 man -l "$man8" 2>/dev/null)" ||
			missing+=" $a"
	done
	check "man: ipsecctl(8) lists every algorithm${missing:+ (missing:$missing)}" \
		test -z "$missing"
	# -f, -c, show, sync, import and export are documented, none planned.
	check "man: ipsecctl(8) documents -f, -c, show, sync, import, export, not as planned" \
		documented "$man8" '^ -f, --file FILE' '^ -c, --check' \
		'^ show Print the running configuration' '^ sync -f FILE' \
		'^ import setkey FILE' '^ import openbsd FILE' \
		'^ export wireshark' '^CONFIGURATION FILES' \
		'^ ipsecctl: FILE:LINE: sa add: REASON' \
		'ipsecctl -c -f /etc/kipsec/kipsec.conf' \
		'ipsecctl sync -f /etc/kipsec/kipsec.conf' \
		'ipsecctl -s show >'
	check "man: kipsec.conf(5) documents -f, -c -f, sync -f, show, not as planned" \
		documented "$man5" 'ipsecctl -f FILE applies such a file as a whole' \
		'ipsecctl -c -f FILE does everything -f does' \
		'ipsecctl sync -f FILE makes the running configuration exactly' \
		'ipsecctl show prints the running configuration' \
		'^ include PATH' 'keyfile PATH' \
		'^ ipsecctl: /etc/kipsec/kipsec.conf:42: sa add: SA already exists'
else
	skip "man pages (groff not installed)"
fi

# --- DKMS ----------------------------------------------------------------

# What dkms.conf says, read as dkms reads it (it is sourced by bash).
dkms_vars=$(bash --norc --noprofile -c '
	kernel_source_dir=KSRC dkms_tree=TREE kernelver=KVER
	. "$1" || exit 1
	printf "%s\n" "$PACKAGE_NAME" "$PACKAGE_VERSION" "${BUILT_MODULE_NAME[0]}" \
		"${BUILT_MODULE_LOCATION[0]}" "${MAKE[0]}" "$CLEAN" "$AUTOINSTALL" \
		"${#BUILT_MODULE_NAME[@]}"' bash "$src/dkms.conf")
{ read -r d_name; read -r d_version; read -r d_module; read -r d_loc
  read -r d_make; read -r d_clean; read -r d_auto; read -r d_count; } <<<"$dkms_vars"
check "dkms.conf: package kipsec, version $version (kmod/version.h)" \
	test "$d_name" = kipsec -a "$d_version" = "$version"
check "dkms.conf: one module, kipsec, autoinstalled" \
	test "$d_module" = kipsec -a "$d_count" = 1 -a "$d_auto" = yes
check "dkms.conf: module where the build leaves it ($d_loc$d_module.ko)" \
	test -f "$src/$d_loc$d_module.ko"
check "dkms.conf: builds and cleans M=the dkms build dir with KDIR" \
	test "$d_make" = "make -C KSRC M=TREE/kipsec/$version/build modules" -a \
	"$d_clean" = "make -C KSRC M=TREE/kipsec/$version/build clean"

# The DKMS source tree: sources only, enough to build.
dsrc=$tmp/dkmsroot/usr/src/kipsec-$version
if make -C "$src" dkms-source DESTDIR="$tmp/dkmsroot" >"$log/dkms-source" 2>&1; then
	check "dkms-source: dkms.conf, Kbuild, kmod/, uapi/ in /usr/src/kipsec-$version" \
		test -f "$dsrc/dkms.conf" -a -f "$dsrc/Kbuild" -a \
		-f "$dsrc/kmod/Kbuild" -a -f "$dsrc/kmod/main.c" -a \
		-f "$dsrc/uapi/linux/kipsec.h"
	check "dkms-source: no build products" \
		test -z "$(find "$dsrc" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) | head -n 1)"
else
	cat "$log/dkms-source"
	fail "make dkms-source"
fi

# A real `dkms build` in a private mount namespace: dkms generates its
# signing key under /var/lib/dkms, which must not touch the host.
if ! have dkms; then
	skip "dkms build (dkms not installed: apt-get install dkms)"
elif ! unshare -m true 2>/dev/null; then
	skip "dkms build (needs root for a private /var/lib/dkms)"
elif [ ! -f "$dsrc/dkms.conf" ]; then
	fail "dkms build (no DKMS source tree)"
else
	mkdir -p "$tmp/dkmstree"
	if unshare -m sh -c '
		mount -t tmpfs dkms /var/lib/dkms &&
		dkms add -m kipsec -v "$1" --sourcetree "$2" --dkmstree "$3" &&
		dkms build -m kipsec -v "$1" -k "$4" --kernelsourcedir "$5" \
			--sourcetree "$2" --dkmstree "$3"' sh \
		"$version" "$tmp/dkmsroot/usr/src" "$tmp/dkmstree" "$krel" "$KDIR" \
		>"$log/dkms" 2>&1; then
		dko=$(find "$tmp/dkmstree/kipsec/$version/$krel" -name kipsec.ko 2>/dev/null | head -n 1)
		check "dkms build: kipsec.ko for $krel" \
			test -n "$dko" -a "$(modinfo -F name "$dko" 2>/dev/null)" = kipsec
	else
		tail -n 30 "$log/dkms"
		find "$tmp/dkmstree" -name make.log -exec tail -n 30 {} \;
		fail "dkms build"
	fi
fi

done_
