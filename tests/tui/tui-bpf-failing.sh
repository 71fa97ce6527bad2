#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# eBPF in the live view: while a client's connect() fails for want of a port, a red
# header line names it, its rate and its destination; the FAIL/s column appears (and
# F sorts by it); the destination line says how often connect() failed there.  When
# the failures stop, the red line goes.  The client holds 5 ports of its own
# (IP_LOCAL_PORT_RANGE), so nothing else on screen is near full.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099
bpf_need

nl_start srv
nl_ok srv "name srv" ok
nl_ok srv "listen 127.0.0.1 8080" "ok 8080"
nl_start churner
nl_ok churner "name churner" ok
nl_cmd churner "portrange 40000 40004"
[ "$NL_REPLY" = "ok 40000 40004" ] || skip "IP_LOCAL_PORT_RANGE unsupported here ($NL_REPLY)"
churner=${NL_PID[churner]}
nl_ok churner "churnfail 127.0.0.1 8080 1" "ok 5 failed 1 EADDRNOTAVAIL"

tui_start 100 30 -d 0.5
tui_wait "the table" '^ +[0-9]+ .* srv$'
tui_never "no red line before the failures go on" '^connect\(\) failing' 10

# failures for some 4 s: 40 rounds of 20, 0.1 s apart, answered into the fifo unread
(
	for _ in $(seq 40); do
		printf 'churnfail 127.0.0.1 8080 20\n' >&"${NL_IN[churner]}"
		sleep 0.1
	done
) &
NS_PIDS+=("$!")
tui_wait "the red line" "^connect\(\) failing: [0-9]+/s - churner \($churner\) -> 127\.0\.0\.1:8080$"
assert_match "it is the third header line" "$(tui_line 2)" '^connect\(\) failing: '
# its attributes: tmux shows the red (SGR 31 or 91) of ui_percent_attr(100)
red=$(tui_tmux capture-pane -p -e -t "$TUI_SESSION" | sed -n 3p)
assert_match "the line is red" "$red" $'\e\\[[0-9;]*(31|91)[0-9;]*m'
tui_table
assert_true "a FAIL/s column" eval '[[ " ${TUI_HDR[*]} " == *" FAIL/s "* ]]'
assert_match "the churner's FAIL/s" "$(tui_cell "$churner" FAIL/s)" '^[1-9][0-9]*\.[0-9]$'
assert_match "the destination line counts them" "$(grep -E '^ +127\.0\.0\.1:8080 ' <<<"$TUI_SCREEN")" \
	'connect\(\) failing [0-9]+/s \([0-9]+\)'
tui_keys F
tui_wait_sort "FAIL/s desc"
assert_eq "F puts the churner first" "${TUI_ROWPIDS[0]}" "$churner"

# the failures stop: the next refreshes see no growth, and the red line goes
wait "${NS_PIDS[-1]}"
tui_wait_gone "the red line after the failures stopped" '^connect\(\) failing' 10
assert_match "the destination line keeps the count" "$(grep -E '^ +127\.0\.0\.1:8080 ' <<<"$TUI_SCREEN")" \
	'connect\(\) failed 800 times'
tui_done
