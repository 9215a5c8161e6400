#!/bin/bash
# PID 1 in the test guest after switch_root: set up a minimal system, run
# the command the host put in /kipsec-out/cmd with its output on the second
# serial port, then save its status and kmemleak's findings for the host
# (which reads the kernel log from the first serial port) and power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
out=/kipsec-out

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# bash's process substitution, <(...), needs /dev/fd.
ln -sfn /proc/self/fd /dev/fd
# The host's /run (its netns names, sockets, locks) must not show through
# the overlay.  /tmp stays: the source tree may live there (CI clones), and
# the overlay already makes it writable without touching the host.
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# Timestamps in the kernel log; a builtin, since every process is costly in
# the debug guest.
mark() {
	local up _
	read -r up _ </proc/uptime
	echo "kipsec-vm: $* (uptime $up)" >/dev/kmsg
}
mark "init mounts done"
hostname kipsec-vm
ip link set lo up

leaks=/sys/kernel/debug/kmemleak
# A scan takes tens of seconds under emulation: no periodic scans while the
# test runs, one at its end.
[ -w "$leaks" ] && echo scan=off >"$leaks"
mark "running the test"

stty -F /dev/ttyS1 raw -echo 2>/dev/null
# PID 1 must not exit: a failure still reaches the end and powers off.
if cd "$kipsecvm_top"; then
	bash "$out/cmd" </dev/null >/dev/ttyS1 2>&1
	rc=$?
else
	rc=1
fi

mark "test done"
# Objects younger than 5 s are not reported yet.
if [ -w "$leaks" ]; then
	sleep 5
	echo scan >"$leaks"
	cat "$leaks" >"$out/kmemleak"
fi
echo "$rc" >"$out/rc"
sync
echo b >/proc/sysrq-trigger
