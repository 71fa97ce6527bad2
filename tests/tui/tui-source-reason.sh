#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live header says where the sockets come from and, for /proc/net, why: netlink
# forbidden (a seccomp filter makes socket(AF_NETLINK) fail with EACCES) or
# --source=proc asked for.  With netlink it says just "netlink" (tui-panels.sh).
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099
NONETLINK=${NONETLINK:-./tests/helpers/nonetlink}
[ -x "$NONETLINK" ] || fatal "NONETLINK=$NONETLINK is not an executable"
"$NONETLINK" 13 true || skip "cannot install a seccomp filter here"

nl_named_server srv
netns=$(readlink /proc/self/ns/net)
netns=${netns//[^0-9]/}

porttop_real=$PORTTOP
PORTTOP=$NONETLINK
tui_start 120 24 13 "$porttop_real" -d 0.5
tui_wait "the table with the listener" '^ +[0-9]+ .* srv$'
assert_true "netlink forbidden: the header names /proc/net and the error" \
	eval '[[ $(tui_line 0) =~ \ -\ every\ 0\.5s\ -\ /proc/net\ \(sock_diag:\ Permission\ denied\)\ -\ netns\ $netns(\;\ .*)?$ ]]'
tui_keys q
assert_eq "q ends porttop" "$(tui_exit_status)" 0

PORTTOP=$porttop_real
tui_start 120 24 -d 0.5 --source proc
tui_wait "the table with the listener" '^ +[0-9]+ .* srv$'
assert_true "--source proc: the header says it was asked for" \
	eval '[[ $(tui_line 0) =~ \ -\ every\ 0\.5s\ -\ /proc/net\ \(--source=proc\)\ -\ netns\ $netns(\;\ .*)?$ ]]'
tui_keys q
assert_eq "q ends porttop" "$(tui_exit_status)" 0
tui_done
