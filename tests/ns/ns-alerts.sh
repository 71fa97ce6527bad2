#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Alerts with hysteresis, and --alert-command.  The TCP pool of a 100-port range sits
# at 78 % (bound sockets of `base`) and a short-lived netload adds 4 more before
# every other refresh: the pool oscillates 78 82 78 82 ... around a warning at 80 %
# (--warning=80; the default is 70).
# The level goes to WARNING once and stays (leaving it needs 75 %, 5 points below),
# until every netload lets go and the pool falls to 0 %.  Each change runs the command
# once, with the name of the process holding the most ports -- `base`, which named
# itself like a shell command -- in the environment only: no file "pwn" appears.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

hostile='$(touch pwn)'"'"'`touch pwn`'
hostile=${hostile:0:15}    # the kernel keeps 15 bytes of a task name
nl_start base
nl_ok base "name \$(touch\\x20pwn)'\`touch\\x20pwn\`" ok
nl_ok base "bind 127.0.0.1 78" "ok 78"
assert_eq "the hostile name (kernel view)" "$(cat "/proc/${NL_PID[base]}/comm")" "$hostile"

run="$NS_TMP/run"
mkdir "$run" || fatal "cannot make $run"
# shellcheck disable=SC2016 # the variables are for the command's shell
cmd='printf "%s %s %s\n" "$PORTTOP_ALERT_PREVIOUS" "$PORTTOP_ALERT_LEVEL" "$PORTTOP_ALERT_POOL" >>changes.log
printf "%s\n" "$PORTTOP_ALERT_TOP_COMMAND" >>names.log'
PT_OUT="$NS_TMP/alerts.json"
(cd "$run" && exec timeout 60 "$PORTTOP" -b -n 7 -d 1 --format json --warning=80 --critical=95 \
	--alert-command "$cmd") \
	>"$PT_OUT" 2>"$PT_OUT.err" &
porttop_pid=$!
NS_PIDS+=("$porttop_pid")

# samples 2, 4, 6 at 82 %, 1, 3, 5 at 78 %, 7 at 0 % (everything let go)
for n in 1 3 5; do
	wait_until 10 "porttop's sample $n" has_lines "$PT_OUT" "$n"
	nl_start "osc$n"
	nl_ok "osc$n" "bind 127.0.0.1 4" "ok 4"
	wait_until 10 "porttop's sample $((n + 1))" has_lines "$PT_OUT" $((n + 1))
	nl_ok "osc$n" quit bye
	[ "$n" = 5 ] && nl_ok base quit bye
done
wait "$porttop_pid"
assert_eq "porttop exit status" "$?" 0

for n in 1 2 3 4 5 6 7; do
	percents+="$(pt .tcp.percent "$n") " levels+="$(pt '[.alerts[] | select(.pool == "tcp") | .level][0] // "OK"' "$n") "
done
assert_eq "the pool oscillates" "$percents" "78 82 78 82 78 82 0 "
assert_eq "one level change up, one down" "$levels" "OK WARNING WARNING WARNING WARNING WARNING OK "
assert_eq "the alert's since stays that of sample 2" "$(pt '.alerts[0].since' 6)" "$(pt '.alerts[0].since' 2)"
assert_eq "no alert for UDP" "$(pt '[.alerts[] | select(.pool == "udp")] | length' 4)" 0

wait_until 5 "the command ran twice" has_lines "$run/changes.log" 2
assert_eq "the command ran at each change, once" "$(cat "$run/changes.log")" "OK WARNING tcp
WARNING OK tcp"
assert_eq "the name reached the command intact" "$(head -n 1 "$run/names.log")" "$hostile"
assert_eq "the name never ran as shell code" "$(find "$NS_TMP" -name pwn | wc -l)" 0
assert_eq "nothing on porttop's error output" "$(cat "$PT_OUT.err")" ""
ns_done
