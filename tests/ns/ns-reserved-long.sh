#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Very long ip_local_reserved_ports lists, per namespace.  The kernel takes a write of
# at most PAGE_SIZE - 1 bytes a call, up to its last whole number, and adds later
# calls to the set, but ends a number where a write ends (a shell's printf flushes
# in pieces and turns 40683 into 40 and 683: the lists are written with dd
# iflag=fullblock, one write() resumed where the kernel stopped); it answers a read
# at a nonzero offset with EOF, so the list is whole only to a reader that takes it
# in one read() (proc_do_large_bitmap; doc/kernel.md).  Asserted:
#   - every other port of a 1000-port range reserved (500 numbers): porttop counts
#     500 reserved and 500 usable, and the kernel agrees: the 501st connect() fails,
#     and porttop then shows the destination full, 500 of 500;
#   - the longest list the kernel keeps, every odd port from 1 to 65535 (32 768
#     numbers, 191 KiB as the kernel prints it back): in a range of 10000-60999,
#     25 500 reserved and 25 500 usable, in JSON and in the text output;
#   - another namespace's own list, read through --netns.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40999
command -v nsenter >/dev/null || skip "nsenter (util-linux) not installed"

# reserve FIRST STEP LAST: those ports reserved, the list in one write (see above)
reserve() {
	seq -s, "$1" "$2" "$3" | dd of=/proc/sys/net/ipv4/ip_local_reserved_ports bs=1M \
		iflag=fullblock status=none || fatal "cannot write ip_local_reserved_ports"
}
# the list as the kernel has it: one read() of all of it
reserved_list() {
	dd if=/proc/sys/net/ipv4/ip_local_reserved_ports bs=1M count=1 status=none
}

# every other port of the range, one number each
reserve 40001 2 40999
porttop_json
assert_eq "every other port: range.reserved" "$(pt .range.reserved)" 500
assert_eq "every other port: range.usable" "$(pt .range.usable)" 500
nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
nl_ok client "connect 127.0.0.1 8080 501" "err EADDRNOTAVAIL after 500"
nl_wait_accepted server 500
porttop_json
assert_eq "every other port: tcp.in_use" "$(pt .tcp.in_use)" 500
assert_eq "every other port: destination capacity" "$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 500
assert_eq "every other port: destination percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 percent)" 100
assert_eq "no connection on a reserved port" \
	"$(ss -tanH state established "( sport >= :40000 and sport <= :40999 )" |
	   awk '{ n = split($3, a, ":"); if (a[n] % 2) odd++ } END { print odd + 0 }')" 0
nl_ok client closeall "ok 500"

# the longest list: every odd port
ns_sysctl ip_local_port_range "10000 60999"
reserve 1 2 65535
back=$(reserved_list)
assert_eq "the kernel kept every odd port" "$(tr , '\n' <<<"$back" | grep -c .)" 32768
assert_num "the kernel prints the list back in bytes" "${#back}" -ge 191000
porttop_json
assert_eq "every odd port: range.size" "$(pt .range.size)" 51000
assert_eq "every odd port: range.reserved" "$(pt .range.reserved)" 25500
assert_eq "every odd port: range.usable" "$(pt .range.usable)" 25500
text=$(timeout 30 "$PORTTOP" -b 2>&1)
assert_match "every odd port: the text output's range line" "$(grep -m1 'Range' <<<"$text")" \
	'reserved 25500, usable 25500'

# another namespace, its own list
ns_bg "$NS_TMP/other" unshare -n sleep 60
other=$NS_BG_PID
other_is_netns() { [ "$(readlink "/proc/$other/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }
wait_until 10 "the other namespace" other_is_netns
nsenter -t "$other" -n sh -c 'echo "50000 50999" >/proc/sys/net/ipv4/ip_local_port_range &&
	seq -s, 50000 2 50998 | dd of=/proc/sys/net/ipv4/ip_local_reserved_ports bs=1M \
		iflag=fullblock status=none' || fatal "cannot set the other namespace's sysctls"
porttop_json --netns="$other"
assert_eq "--netns: the other namespace's range.reserved" "$(pt .range.reserved)" 500
assert_eq "--netns: the other namespace's range.usable" "$(pt .range.usable)" 500
porttop_json
assert_eq "ours unchanged: range.reserved" "$(pt .range.reserved)" 25500
ns_done
