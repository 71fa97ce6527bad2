#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Resizing relayouts: 80x24 -> 60x20 (fewer columns, shorter bars, 4 rows) -> 200x60
# (three histogram columns, NEW/s, more destinations) -> below 40x10 one line that
# says so -> 40x10 the smallest full layout -> 80x24 again; q quits even when too small.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
for n in 10 20 30; do
	nl_named_client "c$n" "$n"
done

# bar_ok COLS: the TCP and UDP lines fill the width but one column, figures at the end
bar_ok() {
	local tcp udp
	tcp=$(tui_line 2) udp=$(tui_line 3)
	[[ $tcp =~ ^TCP\ \[[█·]+\]\ 60/100\ \(60\ %\)$ ]] && [ "${#tcp}" -eq $(($1 - 1)) ] &&
		[[ $udp =~ ^UDP\ \[·+\]\ 0/100\ \(0\ %\)$ ]] && [ "${#udp}" -eq $(($1 - 1)) ]
}
# keybar_at COLS: the keys that fit, lowest rank first (help and quit always)
keybar_at() {
	case $1 in
	40) echo 'h Help  / Find  < > Sort  q Quit' ;;
	60) echo 'h Help  / Find  \ Filter  < > Sort  Enter Details  q Quit' ;;
	80) echo "$TUI_KEYBAR_80" ;;
	*) echo 'h Help  / Find  \ Filter  < > Sort  Enter Details  k Kill  r Range  Z Freeze  N Namespaces  K Counters  q Quit' ;;
	esac
}
# layout_ok COLS ROWS: header, bars, legend, table header and status where they belong
layout_ok() {
	[ "$(wc -l <<<"$TUI_SCREEN")" -eq "$2" ] && bar_ok "$1" &&
		[[ $(tui_line 0) == "porttop - "* ]] && [[ $(tui_line 1) == "Range 40000–40099 "* ]] &&
		[[ $(tui_line 4) == "Tightest destinations"* ]] && [ "$(tui_status)" = "$(keybar_at "$1")" ]
}
max_width() {
	local line max=0
	while IFS= read -r line; do ((${#line} > max)) && max=${#line}; done <<<"$TUI_SCREEN"
	echo "$max"
}

tui_start 80 24 -d 0.3
tui_until "80x24 layout" layout_ok 80 24
tui_until "all rows" col_is COMMAND "c30 c20 c10 srv"
tui_table
assert_eq "80x24: columns" "${TUI_HDR[*]}" "PID USER SOCK TCP UDP EPHEM ESTAB TW TW% CLWAIT HANDLES COMMAND"
assert_true "80x24: histogram in two columns" grep -qE '^ESTABLISHED +120 .* CLOSE +0$' <<<"$TUI_SCREEN"
assert_eq "80x24: table header line" "$(grep -n ' PID USER' <<<"$TUI_SCREEN" | cut -d: -f1)" 14
assert_eq "80x24: widest line" "$(max_width)" 79

tui_resize 60 20
tui_until "60x20 layout" layout_ok 60 20
tui_until "60x20: four rows fit" col_is COMMAND "c30 c20 c10 srv"
tui_table
assert_eq "60x20: fewer columns" "${TUI_HDR[*]}" "PID USER SOCK EPHEM TW CLWAIT HANDLES COMMAND"
assert_eq "60x20: EPHEM" "$(tui_col EPHEM)" "30 20 10 0"
assert_true "60x20: histogram in two columns" grep -qE '^ESTABLISHED +120 .* CLOSE +0$' <<<"$TUI_SCREEN"
assert_true "60x20: the destination" eval '[[ $(tui_line 5) =~ ^\ +127\.0\.0\.1:8080\ +60/100\ +60\ % ]] && [ -z "$(tui_line 6)" ]'
assert_eq "60x20: table header line" "$(grep -n ' PID USER' <<<"$TUI_SCREEN" | cut -d: -f1)" 14
assert_eq "60x20: the line under the table" "$(tui_line 18)" "TIME_WAIT not attributed to a process: 0 of 0"
assert_num "60x20: widest line" "$(max_width)" -le 60

tui_resize 200 60
tui_until "200x60 layout" layout_ok 200 60
tui_until "200x60: rows" col_is COMMAND "c30 c20 c10 srv"
tui_table
assert_eq "200x60: every column" "${TUI_HDR[*]}" "PID USER SOCK TCP UDP EPHEM ESTAB TW TW% CLWAIT NEW/s HANDLES COMMAND"
assert_eq "200x60: NEW/s" "$(tui_col NEW/s)" "0.0 0.0 0.0 0.0"
assert_true "200x60: histogram in three columns" \
	grep -qE '^ESTABLISHED +120 █+ +FIN_WAIT2 +0 +LAST_ACK +0$' <<<"$TUI_SCREEN"
assert_true "200x60: 107 of 179 TCP cells are ESTABLISHED" \
	eval '[[ $(tui_line 2) == "TCP [$(printf "█%.0s" {1..107})$(printf "·%.0s" {1..72})] 60/100 (60 %)" ]]'
assert_true "200x60: room for 5 destinations (1 used, 4 empty lines), then the pool to fail first" \
	eval '[[ $(tui_line 5) =~ 127\.0\.0\.1:8080 ]] && [ -z "$(tui_line 6)$(tui_line 7)$(tui_line 8)$(tui_line 9)" ] && [[ $(tui_line 10) =~ ^First\ to\ fail:\ destination\ 127\.0\.0\.1\ -\>\ 127\.0\.0\.1:8080,\ 60\ %\ full:\ connect\(\)\ EADDRNOTAVAIL ]] && [[ $(tui_line 11) =~ ^ESTABLISHED ]]'

# each size changes the text (a stale screen never passes): the message is cut at 30
msg="porttop needs 40x10; q quits"
for size in "39 24:$msg" "30 8:${msg:0:29}" "80 9:$msg"; do
	tui_resize ${size%%:*}
	tui_until "${size%%:*}: one line" eval '[ "$(tui_line 0)" = "${size#*:}" ] && [ -z "$(sed 1d <<<"$TUI_SCREEN" | tr -d " \n")" ]'
	say "ok   ${size%%:*}: $(tui_line 0)"
done

tui_resize 40 10
tui_until "40x10: the smallest layout" eval '[ "$(wc -l <<<"$TUI_SCREEN")" -eq 10 ] && bar_ok 40 &&
	[[ $(tui_line 0) == "porttop - "* ]] && [[ $(tui_line 4) =~ ^\ +PID\ +SOCK\ *.EPHEM\ +TW\ COMMAND$ ]] && [ "$(tui_status)" = "$(keybar_at 40)" ]'
tui_until "40x10: rows" col_is COMMAND "c30 c20 c10"

tui_resize 80 24
tui_until "80x24 again" layout_ok 80 24
tui_until "80x24 again: rows" col_is COMMAND "c30 c20 c10 srv"

tui_resize 30 8
tui_wait "30x8" '^porttop needs 40x10; q quits$'
tui_keys q
assert_eq "q quits at 30x8" "$(tui_exit_status)" 0
tui_done
