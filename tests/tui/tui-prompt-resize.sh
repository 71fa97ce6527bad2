#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A resize while a question is open: the question stays on the (new) last line, once,
# the screen behind it is laid out again for the new size, and the answer still works;
# at 40 columns a line prompt still shows what is being typed.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named srv
nl_self_connect srv 5
srv=${NL_PID[srv]}

# after_resize COLS ROWS PROMPT_REGEX: the prompt on the last line and nowhere else,
# the TCP bar as wide as the new screen (re is seen by the eval: dynamic scope)
after_resize() {
	local cols=$1 rows=$2 re=$3
	tui_resize "$cols" "$rows"
	tui_until "${cols}x$rows: the question on the last line, the screen laid out again" eval '
		[ "$(wc -l <<<"$TUI_SCREEN")" -eq '"$rows"' ] && [[ $(tui_status) =~ $re ]] &&
		[ "$(grep -cE "$re" <<<"$TUI_SCREEN")" -eq 1 ] &&
		tcp=$(grep -E "^TCP \[" <<<"$TUI_SCREEN") && [ "${#tcp}" -eq '"$((cols - 1))"' ]'
	say "ok   ${cols}x$rows: $(tui_status)"
}

tui_start 80 24 -d 0.3
tui_until "srv's row" col_is COMMAND srv

# a line prompt
tui_keys /
tui_wait "the find prompt" '^Find command: ?$'
tui_type sr
after_resize 100 30 '^Find command: sr$'
tui_type v
tui_keys Enter
tui_wait "the find went through" "$TUI_KEYBAR_RE"

# the range prompt at 40 columns: its label gives way, down to half the line, so that
# the range being edited stays in sight (it showed "400" of it, in French nothing)
tui_keys r
tui_wait "the range prompt" '^New ip_local_port_range \(low high\): 40000 40099$'
after_resize 40 10 '^New ip_local_port_range 40000 40099$'
tui_keys Escape
tui_resize 80 24
tui_wait "Esc closed it" "$TUI_KEYBAR_RE"

# a y/N question, with its context line
tui_keys k
tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
tui_keys Enter
tui_wait "the kill question" "^Kill $srv \(srv\) with TERM\? \[y/N\] ?$"
after_resize 70 20 "^Kill $srv \(srv\) with TERM\? \[y/N\] ?$"
tui_keys n
tui_wait "n still cancels" '^kill cancelled$'
assert_true "srv alive" alive "$srv"
tui_done
