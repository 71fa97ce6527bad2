#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live view's stderr is the terminal: level changes --alert-command left out (16
# commands at once at most) are told on the status line.  As in ns-alert-drops.sh, 20
# destinations at 1 % and the TCP pool with --warning=0 raise 21 alerts at the first
# refresh; the command sleeps, so 5 are left out.  The line is for that refresh: once a
# key has cleared it, the refreshes that follow (no change, nothing left out) leave
# the key bar.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_destinations 20

run="$NS_TMP/run"
mkdir "$run" || fatal "cannot make $run"
pids="$run/pids"
cmd="echo \$\$ >>$(printf %q "$pids"); exec sleep 60"
tui_start 120 30 -d 0.3 --bpf=off --warning=0 --alert-command "$cmd"
sleepers_wrote() { [ -f "$pids" ] && [ "$(wc -l <"$pids")" -ge 16 ]; }
wait_until 30 "16 commands started" sleepers_wrote
while read -r pid; do NS_PIDS+=("$pid"); done <"$pids"
tui_until "the status line: 5 left out" eval \
	'[ "$(tui_status)" = "--alert-command not run for 5 level changes: 16 commands still running" ]'
assert_eq "commands started: 16, no more" "$(wc -l <"$pids")" 16
tui_keys Down
tui_wait "the key bar after a key" "$TUI_KEYBAR_RE"
# 1 s, some refreshes at -d 0.3, with nothing new to say
tui_never "the message again" '^--alert-command not run' 10
while read -r pid; do kill "$pid" 2>/dev/null; done <"$pids"
tui_keys q
assert_eq "porttop's exit status" "$(tui_exit_status)" 0
tui_done
