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

nl_named_server srv
nl_named churner
nl_portrange churner 40000 40004
churner=${NL_PID[churner]}
nl_ok churner "churnfail 127.0.0.1 8080 1" "ok 5 failed 1 EADDRNOTAVAIL"

tui_start 100 30 -d 0.5
tui_wait "the table" '^ +[0-9]+ .* srv$'
tui_never "no red line before the failures go on" '^connect\(\) failing' 10

# failures until the test has seen all it looks for: rounds of 20, 0.1 s apart, each
# answered before the next; at most 600 rounds (a minute or more).  ROUNDS counts them.
stop=$NS_TMP/stop-failing
(
	for ((i = 1; i <= 600; i++)); do
		[ -e "$stop" ] && break
		printf 'churnfail 127.0.0.1 8080 20\n' >&"${NL_IN[churner]}"
		IFS= read -r -t 20 reply <&"${NL_OUT[churner]}" || break
		[[ $reply =~ ^ok\ [0-9]+\ failed\ 20\ EADDRNOTAVAIL$ ]] || break
		echo "$i" >"$NS_TMP/rounds"
		sleep 0.1
	done
) &
failer=$!
NS_PIDS+=("$failer")
# its attributes: tmux shows the red (SGR 31 or 91) of ui_percent_attr(100)
red_line() {
	local line
	tui_capture -e
	line=$(sed -n 3p <<<"$TUI_SCREEN")
	[[ $line == *"connect() failing"* && $line =~ $'\e'\[[0-9\;]*(31|91)[0-9\;]*m ]]
}
assert_true "the third header line, in red" ns_poll "$TUI_WAIT" red_line
tui_wait "the red line" "^connect\(\) failing: [0-9]+/s - churner \($churner\) -> 127\.0\.0\.1:8080$"
assert_match "it is the third header line" "$(tui_line 2)" '^connect\(\) failing: '
tui_table
assert_true "a FAIL/s column" eval '[[ " ${TUI_HDR[*]} " == *" FAIL/s "* ]]'
assert_match "the churner's FAIL/s" "$(tui_cell "$churner" FAIL/s)" '^[1-9][0-9]*\.[0-9]$'
assert_match "the destination line counts them" "$(grep -E '^ +127\.0\.0\.1:8080 ' <<<"$TUI_SCREEN")" \
	'connect\(\) failing [0-9]+/s \([0-9]+\)'
tui_keys F
tui_wait_sort "FAIL/s desc"
assert_eq "F puts the churner first" "${TUI_ROWPIDS[0]}" "$churner"

# the failures stop: the next refreshes see no growth, and the red line goes
touch "$stop"
wait "$failer"
rounds=$(cat "$NS_TMP/rounds" 2>/dev/null)
say "the churner failed for $rounds rounds"
tui_wait_gone "the red line after the failures stopped" '^connect\(\) failing'
assert_match "the destination line keeps the count" "$(grep -E '^ +127\.0\.0\.1:8080 ' <<<"$TUI_SCREEN")" \
	"connect\(\) failed $((rounds * 20)) times"
tui_done
