#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A process named with a terminal escape (printf '\033]0;pwned\007': "set the window
# title to pwned") is shown escaped in every view that names it (table, command line,
# details, kill prompt): the pane's title never changes and no raw ESC reaches it.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_start evil $'\e]0;pwned\a'
nl_ok evil 'name \033]0;pwned\007' ok
nl_ok evil "connect 127.0.0.1 8080 7" "ok 7"
nl_wait_accepted srv 7
evil=${NL_PID[evil]}
assert_eq "the name really holds ESC and BEL" "$(od -An -c "/proc/$evil/comm" | tr -s ' ' | head -n1)" \
	" 033 ] 0 ; p w n e d \\a \\n"

# the probe works: the same bytes printed raw do set the pane's title
tui_shell 80 24
tui_tmux select-pane -t "$TUI_SESSION" -T clean-title
tui_type "cat /proc/$evil/comm"
tui_keys Enter
title_is() { [ "$(tui_fmt '#{pane_title}')" = "$1" ]; }
ns_poll "$TUI_WAIT" title_is pwned
assert_eq "raw bytes retitle the pane (the probe works)" "$(tui_fmt '#{pane_title}')" pwned

# shown: the ESC made visible (\x1b, \033, \e, ^[ or ?), then "]0;pwned", then the BEL too
ESCAPED='(\\x1b|\\033|\\e|\^\[|\?)\]0;pwned(\\x07|\\007|\\a|\^G|\?)'
title_clean() { [ "$(tui_fmt '#{pane_title}')" = clean-title ]; }

tui_start 120 24 -d 0.3
tui_tmux select-pane -t "$TUI_SESSION" -T clean-title
tui_until "the row of evil" eval '[[ $(tui_cell "$evil" COMMAND) =~ ^${ESCAPED}$ ]]'
say "ok   table shows: $(tui_cell "$evil" COMMAND)"
assert_eq "its EPHEM" "$(tui_cell "$evil" EPHEM)" 7
assert_true "table: the pane's title is unchanged" title_clean

tui_keys c
tui_until "the command line of evil" eval '[[ $(tui_cell "$evil" COMMAND) =~ ^${ESCAPED}\ --deadline\ [0-9]+$ ]]'
say "ok   command line shows: $(tui_cell "$evil" COMMAND)"
assert_true "command line: the pane's title is unchanged" title_clean
tui_keys c

tui_keys Home
tui_wait_selected "$evil" "evil, the most ephemeral ports"
tui_keys Enter
tui_wait "the details of evil" "^Sockets of PID $evil ${ESCAPED}: 7 "
assert_true "details: the pane's title is unchanged" title_clean
tui_keys Escape
tui_wait "the table" '^ +PID USER'

tui_keys k
tui_wait "the kill prompt" '^Signal to send \[TERM\]: ?$'
assert_true "kill context names it escaped" grep -qE "^PID $evil ${ESCAPED} \(root\) holds 7 ephemeral ports" <<<"$TUI_SCREEN"
tui_keys Enter
tui_wait "the kill question" "^Kill $evil \(${ESCAPED}\) with TERM\? \[y/N\] ?$"
assert_true "kill prompt: the pane's title is unchanged" title_clean
tui_keys n
tui_wait "kill cancelled" '^kill cancelled$'
assert_true "evil is still alive" alive "$evil"
tui_done
