#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live view at 80x24 with a known load: three clients with 10, 20 and 30
# connections to one server, and 5 UDP sockets.  Every panel shows the figures the
# load makes: the header, the TCP and UDP bars, the destination, the state
# histogram and the table rows.  Where the kernel counters (K) do not fit (80x12,
# 40x24) the status line says the height they need, which is exact.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
for n in 10 20 30; do
	nl_named_client "c$n" "$n"
done
nl_named u5
nl_ok u5 "udp 127.0.0.1 5" "ok 5"
srv=${NL_PID[srv]} u5=${NL_PID[u5]}

tui_start 80 24 -d 0.5
tui_wait "the table with every process" '^ +[0-9]+ .* srv$'
tui_until "all 60 connections counted" col_is EPHEM "30 20 10 5 0"

netns=$(readlink /proc/self/ns/net)
netns=${netns//[^0-9]/}
assert_true "header line 1: name, delay, source, netns" \
	eval '[[ $(tui_line 0) =~ ^porttop\ -\ .+\ -\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ -\ every\ 0\.5s\ -\ netlink\ -\ netns\ $netns(\;\ .*)?$ ]]'
assert_eq "header line 2: the range" "$(tui_line 1)" \
	"Range 40000–40099  reserved 0  usable 100  tcp_tw_reuse 0"

# 59 cells of bar: 60 % of them (35) are ESTABLISHED, the rest free
bar="$(printf '█%.0s' {1..35})$(printf '·%.0s' {1..24})"
assert_eq "TCP bar" "$(tui_line 2)" "TCP [$bar] 60/100 (60 %)"
udpbar="$(printf '░%.0s' {1..3})$(printf '·%.0s' {1..58})"
assert_eq "UDP bar: 5 of 100 held by \"other\" (bound UDP)" "$(tui_line 3)" "UDP [$udpbar] 5/100 (5 %)"
assert_true "destinations legend" eval '[[ $(tui_line 4) == "Tightest destinations "*ESTAB*TW*CLWAIT*other* ]]'
assert_true "destination 127.0.0.1:8080 is 60 % full" \
	eval '[[ $(tui_line 5) =~ ^\ +127\.0\.0\.1:8080\ +60/100\ +60\ %\ +ESTABLISHED\ 60(\ \ stable)?$ ]]'
assert_true "histogram: ESTABLISHED 120 with a full bar" grep -qE '^ESTABLISHED +120 █{10}' <<<"$TUI_SCREEN"
assert_true "histogram: LISTEN 1" grep -qE '(^| )LISTEN +1 ' <<<"$TUI_SCREEN"
assert_true "histogram: TIME_WAIT 0" grep -qE '(^| )TIME_WAIT +0( |$)' <<<"$TUI_SCREEN"
assert_true "histogram: CLOSE_WAIT 0" grep -qE '(^| )CLOSE_WAIT +0( |$)' <<<"$TUI_SCREEN"
assert_true "histogram: SYN_SENT 0" grep -qE '(^| )SYN_SENT +0( |$)' <<<"$TUI_SCREEN"

tui_table
assert_eq "table columns at 80" "${TUI_HDR[*]}" "PID USER SOCK TCP UDP EPHEM ESTAB TW TW% CLWAIT HANDLES COMMAND"
assert_eq "sorted by EPHEM, descending (the default)" "$TUI_SORT" "EPHEM desc"
assert_eq "rows" "$(tui_col COMMAND)" "c30 c20 c10 u5 srv"
assert_eq "PID column" "$(tui_col PID)" "${NL_PID[c30]} ${NL_PID[c20]} ${NL_PID[c10]} $u5 $srv"
assert_eq "USER column" "$(tui_col USER)" "root root root root root"
assert_eq "EPHEM column" "$(tui_col EPHEM)" "30 20 10 5 0"
assert_eq "SOCK column" "$(tui_col SOCK)" "30 20 10 5 61"
assert_eq "TCP column" "$(tui_col TCP)" "30 20 10 0 61"
assert_eq "UDP column" "$(tui_col UDP)" "0 0 0 5 0"
assert_eq "ESTAB column" "$(tui_col ESTAB)" "30 20 10 0 60"
assert_eq "TW column" "$(tui_col TW)" "0 0 0 0 0"
assert_eq "CLWAIT column" "$(tui_col CLWAIT)" "0 0 0 0 0"
handles=$(fd_count "$srv")
assert_eq "HANDLES of the server (its open fds)" "$(tui_cell "$srv" HANDLES)" "$handles"
assert_eq "the line under the table" "$(tui_line 22)" "TIME_WAIT not attributed to a process: 0 of 0"
assert_eq "status line" "$(tui_status)" "$TUI_KEYBAR_80"
assert_eq "the top row is selected" "$(tui_selected)" "${NL_PID[c30]}"
too_wide=0
while IFS= read -r line; do ((${#line} > 80)) && too_wide=$((too_wide + 1)); done <<<"$TUI_SCREEN"
assert_eq "lines wider than 80" "$too_wide" 0
assert_eq "screen lines" "$(wc -l <<<"$TUI_SCREEN")" 24

# the figures follow the load: 25 more connections show up at the next refresh
nl_ok c10 "connect 127.0.0.1 8080 25" "ok 25"
tui_until "c10 at 35 ephemeral ports" col_is EPHEM "35 30 20 5 0"
# 85 % is above --warning (80 by default): the alert's line comes first, then the bars
assert_true "the alert at 85 %" eval '[[ $(tui_line 2) =~ ^WARNING\ (TCP|127\.0\.0\.1:8080)\ 85\ % ]]'
assert_true "TCP bar at 85 %" eval '[[ $(tui_line 3) =~ ^TCP\ \[.*\]\ 85/100\ \(85\ %\)$ ]]'
assert_eq "EPHEM after 25 more" "$(tui_col EPHEM)" "35 30 20 5 0"
assert_eq "rows after 25 more" "$(tui_col COMMAND)" "c10 c30 c20 u5 srv"

# counters_room COLS ROWS: K's panel does not fit COLSxROWS, and the status line says
# the height it needs, CR_NEED: there it is drawn and the note goes, a line less it is not
counters_room() {
	local cols=$1 rows=$2
	tui_resize "$cols" "$rows"
	tui_wait "${cols}x$rows: the counters' note" "^the counters need [0-9]+ lines; $rows here\$"
	CR_NEED=$(tui_status | grep -oE '[0-9]+' | head -n 1)
	assert_num "${cols}x$rows: the counters need more lines than $rows" "$CR_NEED" -gt "$rows"
	assert_eq "${cols}x$rows: no counters drawn" "$(grep -c '^Kernel counters (K)' <<<"$TUI_SCREEN")" 0
	tui_resize "$cols" "$CR_NEED"
	tui_wait "${cols}x$CR_NEED: the counters" '^Kernel counters \(K\)'
	assert_eq "${cols}x$CR_NEED: the note gone" "$(tui_status | grep -c 'the counters need')" 0
	tui_resize "$cols" $((CR_NEED - 1))
	tui_wait "${cols}x$((CR_NEED - 1)): the note again" "^the counters need $CR_NEED lines; $((CR_NEED - 1)) here\$"
	assert_eq "${cols}x$((CR_NEED - 1)): no counters drawn" "$(grep -c '^Kernel counters (K)' <<<"$TUI_SCREEN")" 0
}
tui_keys K
tui_wait "80x24: the counters" '^Kernel counters \(K\)'
counters_room 80 12
counters_room 40 24
# where the counters do not fit, the histogram keeps its place
assert_true "40x$((CR_NEED - 1)): the histogram instead" grep -qE '^ESTABLISHED +[0-9]+' <<<"$TUI_SCREEN"
tui_keys K
tui_wait_gone "K again: no note" '^the counters need '
tui_keys K
tui_wait "K at a height too small: the note at once" '^the counters need [0-9]+ lines; [0-9]+ here$'
tui_done
