#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The namespace list reads every namespace with an engine of its own, which runs
# --alert-command too: the level changes it leaves out (16 commands at once at most,
# per namespace) are told on the status line with the namespace's name, in the list
# (--all-netns) and from the main view's header, which reads 4 other namespaces per
# refresh in turn.  Two named namespaces are made here, each with 20 destinations:
#   A  range 41000-41096 (97 ports): 31 connections to the first (32 %), one to each
#      of the 19 others (1.031 % blocked each); its TCP pool at 32 % at least
#   B  range 41000-41097 (98 ports): one connection to each (1.020 %); its TCP pool
#      at 20.4 % at most (connections to different destinations may share a port)
# --warning=@1.02:1.04 raises 19 alerts in A and 20 in B at their first reading,
# none in their TCP pools, nor in any other namespace of this host but by a
# coincidence of range and count; the command sleeps in A and B only and ends at once
# elsewhere.  16 run in each, 3 are left out in A and 4 in B: the line names A, the
# fuller, and counts B.  Then the main view with --warning=@1.03:1.04, which only
# A's destinations reach.  12 held namespaces of ours, empty, make sure that some
# refreshes of the main view do not read A: what was said of an older turn must not
# come back.  The sleepers are killed by the pids they wrote.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

# named_with_destinations NAME HIGH FIRST: a named namespace, range 41000-HIGH, 20
# destinations, FIRST connections to the first, one to each other
named_with_destinations() {
	local n=$3
	ns_add_named "$1" 41000 "$2"
	nl_start_in "server-$1" "$1"
	nl_start_in "client-$1" "$1"
	for ((p = 8080; p < 8100; p++)); do
		nl_ok "server-$1" "listen 127.0.0.1 $p" "ok $p"
		nl_ok "client-$1" "connect 127.0.0.1 $p $n" "ok $n"
		n=1
	done
	nl_wait_accepted "server-$1" $(($3 + 19))
}
a="porttop-tui-alerts-a-$$"
b="porttop-tui-alerts-b-$$"
named_with_destinations "$a" 41096 31
named_with_destinations "$b" 41097 1
ino_a=$(stat -L -c %i "/run/netns/$a")
ino_b=$(stat -L -c %i "/run/netns/$b")
for ((i = 0; i < 12; i++)); do
	nl_spawn_held "held$i" 42000 42099
done

run="$NS_TMP/run"
mkdir "$run" || fatal "cannot make $run"
pids="$run/pids"
# each sleeper writes its namespace's inode and its pid
cmd="case \$PORTTOP_ALERT_NETNS in $ino_a|$ino_b) ;; *) exit 0;; esac;"
cmd+=" echo \"\$PORTTOP_ALERT_NETNS \$\$\" >>$(printf %q "$pids"); exec sleep 60"
dropped_a="--alert-command not run for 3 level changes: 16 commands still running"
status_is() { [ "$(tui_status)" = "$1" ]; }
sleepers_wrote() { [ -f "$pids" ] && [ "$(wc -l <"$pids")" -ge "$1" ]; }
sleepers_in() { awk -v ino="$1" '$1 == ino' "$pids" | wc -l; }
sleepers_gone() {
	while read -r _ pid; do [ -d "/proc/$pid" ] && return 1; done <"$pids"
	return 0
}
kill_sleepers() {
	while read -r _ pid; do kill "$pid" 2>/dev/null; done <"$pids"
	wait_until 10 "the sleepers to end" sleepers_gone
	rm -f "$pids"
}
# drops_said WHERE SLEEPERS STATUS: the status line says STATUS, SLEEPERS commands
# run in all; a key clears the line for good
drops_said() {
	wait_until 30 "$2 commands started" sleepers_wrote "$2"
	tui_until "$1: the status line: $3" status_is "$3"
	assert_eq "$1: commands started in $a: 16, no more" "$(sleepers_in "$ino_a")" 16
	assert_eq "$1: commands started in all" "$(wc -l <"$pids")" "$2"
	tui_keys Down
	tui_wait "$1: the key bar after a key" "$TUI_KEYBAR_RE"
	# 3 s, several refreshes, with nothing new to say
	tui_never "$1: the message again" 'not run for [0-9]+ level change' 30
	kill_sleepers
}

tui_start 200 40 -d 0.3 --bpf=off --all-netns --warning=@1.02:1.04 --alert-command "$cmd"
tui_wait "the list" '^Network namespaces \([0-9]+\), fullest first'
drops_said "the list" 32 "netns $a: $dropped_a (and 1 other namespace)"
tui_keys q
assert_eq "porttop's exit status" "$(tui_exit_status)" 0

# the main view: A is read in its turn, from the second refresh on
tui_start 200 40 -d 0.3 --bpf=off --warning=@1.03:1.04 --alert-command "$cmd"
drops_said "the main view" 16 "netns $a: $dropped_a"
tui_keys q
assert_eq "porttop's exit status" "$(tui_exit_status)" 0
tui_done
