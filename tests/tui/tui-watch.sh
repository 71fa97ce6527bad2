#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live view's watch: the alert in the header and the kernel's counters (key K).
# 40 connections the client closes first with tcp_max_tw_buckets=10: 10 TIME_WAIT
# and 30 refused, so TCPTimeWaitOverflow reads 30 in the panel, yellow (a warning: it
# stopped moving before the view started, so it is not red); then 81 connections
# to another server put that destination and the TCP pool (the TIME_WAIT ports are
# among the same 81 port numbers) at 81 %: WARNING in the header, for both (80 %
# itself is not above the default --warning=80, as the check says).
# Last, with the cap raised, the client churns to 8080 until all 100 ports are in
# TIME_WAIT there; with tcp_tw_reuse=1, 50 more connects take TIME_WAIT ports over
# (tcp_twsk_unique) and the panel's TWRecycled reads 50.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

ns_sysctl tcp_max_tw_buckets 10
nl_named_server srv
nl_start cli
nl_ok cli "churn 127.0.0.1 8080 40" "ok 40"
wait_until 30 "10 TIME_WAIT" ss_is time-wait 10
nl_start srv2
nl_ok srv2 "listen 127.0.0.1 8081" "ok 8081"
nl_ok cli "connect 127.0.0.1 8081 81" "ok 81"
nl_wait_accepted srv2 81

tui_start 100 30 -d 0.3
tui_wait "the alert in the header" '^WARNING (TCP|127\.0\.0\.1:8081) 81 % for [0-9]+ s  \(\+1 more\)$'
tui_keys K
tui_wait "the counters panel" '^Kernel counters \(K\) +total +per second'
tui_wait "TCPTimeWaitOverflow 30" '(^| )TCPTimeWaitOverflow +30 '
# fg_before WORD: the SGR foreground (30-37, or 39 the default) in force where WORD
# first appears on the screen; capture -e writes attribute changes only, from the top
fg_before() {
	local screen=$TUI_SCREEN rest re=$'\e\\[([0-9;]*)m' fg=39 p i
	local -a params
	tui_capture -e
	rest=${TUI_SCREEN%%"$1"*}
	TUI_SCREEN=$screen
	while [[ $rest =~ $re ]]; do
		IFS=';' read -r -a params <<<"${BASH_REMATCH[1]}"
		((${#params[@]})) || params=(0)
		for ((i = 0; i < ${#params[@]}; i++)); do
			p=${params[i]:-0}
			case $p in
			0 | 39) fg=39 ;;
			3[0-7]) fg=$p ;;
			38 | 48 | 58) [ "${params[i + 1]:-}" = 5 ] && i=$((i + 2)) || i=$((i + 4)) ;;
			esac
		done
		rest=${rest#*"${BASH_REMATCH[0]}"}
	done
	echo "$fg"
}
fg_is() { [ "$(fg_before "$1")" = "$2" ]; }
tui_until "TCPTimeWaitOverflow in yellow (33), a warning once it stopped" fg_is TCPTimeWaitOverflow 33
assert_eq "the full TIME_WAIT cap in red (31)" "$(fg_before TIME_WAIT/max_tw_buckets)" 31
tui_wait "the TIME_WAIT cap, full" '(^| )TIME_WAIT/max_tw_buckets +10/10 \(100 %\)'
assert_true "no state histogram meanwhile" eval '! grep -qE "^ESTABLISHED +[0-9]+" <<<"$TUI_SCREEN"'
tui_wait "TWRecycled 0 before any reuse" '(^| )TWRecycled +0 '

ns_sysctl tcp_max_tw_buckets 1000
nl_cmd cli "churn 127.0.0.1 8080 200"
assert_match "the destination 8080 runs out" "$NL_REPLY" '^exhausted EADDRNOTAVAIL after '
wait_until 30 "100 TIME_WAIT" ss_is time-wait 100
ns_sysctl tcp_tw_reuse 1
# a TIME_WAIT port is reused 1 s after its last timestamp (tcp_tw_reuse_delay): a
# kernel delay to let pass, not a wait for a result
sleep 1.5
nl_ok cli "churn 127.0.0.1 8080 50" "ok 50"
tui_wait "TWRecycled 50 in the panel" '(^| )TWRecycled +50 '
tui_keys K
tui_wait "the histogram again" '^ESTABLISHED +162 '
tui_done
