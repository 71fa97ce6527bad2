#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Alerts with hysteresis, and --alert-command.  The TCP pool of a 100-port range sits
# at 78 % (bound sockets of `base`) and a short-lived netload adds 4 more, three
# times, each time until porttop has seen it come and go: the pool oscillates 78 82
# 78 82 ... around the default warning at 80 %.  The level goes to WARNING once and
# stays (leaving it needs 75 %, 5 points below), until every netload lets go and the
# pool falls to 0 %.  The test waits for what porttop printed, never for a clock, so
# a slow machine only makes it take longer.  Each change runs the command
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
printf "%s\n" "$PORTTOP_ALERT_TOP_COMMAND" >>names.log
printf "%s\n" "$PORTTOP_ALERT_NETNS" >>netns.log
printf "%s\n" "$PORTTOP_ALERT_SINCE" >>since.log'
PT_OUT="$NS_TMP/alerts.json"
(cd "$run" && for fd in "${NS_FDS[@]}"; do exec {fd}>&-; done &&
	exec "$PORTTOP" -b -n 0 -d 0.5 --format json --alert-command "$cmd") \
	>"$PT_OUT" 2>"$PT_OUT.err" &
porttop_pid=$!
NS_PIDS+=("$porttop_pid")

# every complete line porttop wrote, one figure of each (a line cut by the kill is skipped)
each() { jq -R -r "fromjson? | $1" "$PT_OUT"; }
last_percent_is() { [ "$(each .tcp.percent | tail -n 1)" = "$1" ]; }
wait_until 60 "porttop's first sample at 78 %" last_percent_is 78
for n in 1 2 3; do
	nl_start "osc$n"
	nl_ok "osc$n" "bind 127.0.0.1 4" "ok 4"
	wait_until 60 "porttop at 82 % ($n)" last_percent_is 82
	if [ "$n" = 1 ]; then
		timeout 30 "$PORTTOP" -b -f prometheus --bpf=off >"$NS_TMP/alert.prom" 2>&1
		timeout 30 "$PORTTOP" -b --bpf=off >"$NS_TMP/alert.txt" 2>&1
	fi
	nl_ok "osc$n" quit bye
	wait_until 60 "porttop at 78 % again ($n)" last_percent_is 78
done
nl_ok base quit bye
wait_until 60 "porttop at 0 %" last_percent_is 0
wait_until 60 "the command ran twice" has_lines "$run/changes.log" 2
kill "$porttop_pid"
wait "$porttop_pid"

# the percentages as seen, in classes (a sample taken mid-bind may read 79 or 81),
# repeats merged: 78 82 78 82 78 82 78 0; the levels, repeats merged: one change up,
# one down
classes=$(each '.tcp.percent | if . == 0 then "zero" elif . >= 80 then "high" else "low" end' | uniq | tr '\n' ' ')
assert_eq "the pool oscillates around 80 %" "$classes" "low high low high low high low zero "
levels=$(each '[.alerts[] | select(.pool == "tcp") | .level][0] // "OK"' | uniq | tr '\n' ' ')
assert_eq "one level change up, one down" "$levels" "OK WARNING OK "
assert_eq "the alert keeps the since of its first sample" \
	"$(each '.alerts[] | select(.pool == "tcp") | .since' | sort -u | wc -l)" 1
assert_eq "no alert for UDP" "$(each '.alerts[] | select(.pool == "udp") | .level' | wc -l)" 0

# one refresh at 82 % (--alert-after 0: the level at once), as text and as a scrape
assert_eq "text: the alert under the header, before the pools" \
	"$(sed -n '/^TCP  \[/q; /^WARNING /p' "$NS_TMP/alert.txt")" "WARNING TCP 82 % for 0 s"
assert_eq "Prometheus: the TCP pool at WARNING" \
	"$(grep -c '^porttop_alert_level{pool="tcp",name="TCP"} 1$' "$NS_TMP/alert.prom")" 1
if command -v promtool >/dev/null; then
	assert_true "promtool accepts the alert series: $(promtool check metrics <"$NS_TMP/alert.prom" 2>&1 | head -c 300)" \
		eval 'promtool check metrics <"$NS_TMP/alert.prom" >/dev/null 2>&1'
fi

assert_eq "the command ran at each change, once" "$(cat "$run/changes.log")" "OK WARNING tcp
WARNING OK tcp"
assert_eq "the command is told the namespace, as JSON's netns" \
	"$(sort -u "$run/netns.log")" "$(stat -L -c %i /proc/self/ns/net)"
assert_eq "the command's SINCE of the WARNING is JSON's since (RFC 3339, +hh:mm)" \
	"$(head -n 1 "$run/since.log")" "$(each '.alerts[] | select(.pool == "tcp") | .since' | head -n 1)"
assert_match "SINCE to the millisecond, its zone with a colon" "$(head -n 1 "$run/since.log")" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}$'
assert_eq "the name reached the command intact" "$(head -n 1 "$run/names.log")" "$hostile"
assert_eq "the name never ran as shell code" "$(find "$NS_TMP" -name pwn | wc -l)" 0
assert_eq "nothing on porttop's error output" "$(cat "$PT_OUT.err")" ""
ns_done
