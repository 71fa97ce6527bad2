#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --alert-command runs at most 16 commands at once (ALERTCMD_MAX_CHILDREN): a level
# change beyond that is not run, and porttop says so on stderr, once for all of them.
# 20 listeners and one connection to each: 20 destinations at 1 % blocked and the TCP
# pool above 0 %, so with --warning=0 one refresh raises 21 alerts from OK at once.
# The command records its pid and sleeps, so none of the 16 started has ended when
# porttop looks: 5 changes are left out, in one line.  The sleepers are killed by the
# pids they wrote.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_destinations 20

run="$NS_TMP/run"
mkdir "$run" || fatal "cannot make $run"
# shellcheck disable=SC2016 # the variables are for the command's shell
cmd='echo $$ >>pids; exec sleep 60'
PT_OUT="$NS_TMP/drops.json"
(cd "$run" && for fd in "${NS_FDS[@]}"; do exec {fd}>&-; done &&
	exec timeout 60 "$PORTTOP" -b -n 1 --format json --warning=0 --alert-command "$cmd") \
	>"$PT_OUT" 2>"$PT_OUT.err" </dev/null
rc=$?
sleepers_wrote() { [ -f "$run/pids" ] && [ "$(wc -l <"$run/pids")" -ge "$1" ]; }
wait_until 30 "16 commands started" sleepers_wrote 16
while read -r pid; do NS_PIDS+=("$pid"); done <"$run/pids"

assert_eq "porttop's exit status" "$rc" 0
assert_eq "alerts raised at once: 20 destinations and the TCP pool" \
	"$(pt '[.alerts[] | select(.level == "WARNING")] | length')" 21
assert_eq "of which destinations" "$(pt '[.alerts[] | select(.pool == "destination")] | length')" 20
assert_eq "commands started: 16, no more" "$(wc -l <"$run/pids")" 16
assert_eq "every one still running" \
	"$(while read -r pid; do [ -d "/proc/$pid" ] && echo "$pid"; done <"$run/pids" | wc -l)" 16
assert_eq "the 5 left out, said once" "$(cat "$PT_OUT.err")" \
	"porttop: --alert-command not run for 5 level changes: 16 commands still running"
while read -r pid; do kill "$pid" 2>/dev/null; done <"$run/pids"
ns_done
