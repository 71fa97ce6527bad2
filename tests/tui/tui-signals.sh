#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Signal storms and job control in the live view: 250 resizes, each with a SIGWINCH,
# in a burst, then a burst of the signals porttop must live through (SIGWINCH,
# SIGCONT, SIGPIPE, SIGCHLD, SIGURG), then a hundred SIGTSTP/SIGCONT pairs: porttop
# lives, uses the last size for its layout and still answers keys.  Started from a
# shell, SIGTSTP sent from outside gives the terminal back like C-z, and after
# SIGSTOP (which porttop cannot catch, so the shell prints over its screen) `fg`
# brings a screen drawn again from its first line.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_named_client cli 30
T=$NS_TMP

# layout_ok: the 80x24 screen as porttop lays it out, with the figures of the sockets
# above; a layout left from another size or a screen not repainted fails
layout_ok() {
	local bar
	bar=$(tui_line 2)
	[ "$(wc -l <<<"$TUI_SCREEN")" -eq 24 ] &&
		[[ $(tui_line 0) == "porttop - "* ]] && [[ $(tui_line 1) == "Range 40000–40099 "* ]] &&
		[[ $bar =~ ^TCP\ \[[█·]+\]\ 30/100\ \(30\ %\)$ ]] && [ "${#bar}" -eq 79 ] &&
		[[ $(tui_line 4) == "Tightest destinations"* ]] &&
		[[ $(tui_line 13) =~ ^\ +PID\ USER ]] && [ "$(tui_status)" = "$TUI_KEYBAR_80" ] &&
		[ "$(tui_col COMMAND)" = "cli srv" ]
}
# answers: porttop takes a key after the storm (help and back)
answers() {
	tui_keys h
	tui_wait "$1: the help screen" '^porttop - who holds the ephemeral ports$'
	tui_keys Escape
	tui_until "$1: the main view again" layout_ok
	say "ok   $1: porttop answers keys, layout right"
}

tui_start 80 24 -d 0.3
pid=$TUI_PID
tui_until "the first layout" layout_ok

# 1. resizes: 250 window sizes in a burst, each with a SIGWINCH of our own on top,
# ending at 80x24 (each tmux call waits for the server, so the burst is bounded)
sizes=("60 20" "200 60" "39 9" "120 40" "40 10")
for ((i = 0; i < 250; i++)); do
	tui_resize ${sizes[i % ${#sizes[@]}]} || break
	kill -s WINCH "$pid" 2>/dev/null || break
done
tui_resize 80 24
assert_true "a resize storm: porttop lives" alive "$pid"
tui_until "80x24 after the resize storm" layout_ok
say "ok   the resize storm ended in the 80x24 layout"

# 2. a burst of the signals whose default is to be ignored or that porttop catches
# without ending: 200 of each, as fast as bash sends them
for sig in WINCH CONT PIPE CHLD URG; do
	for ((i = 0; i < 200; i++)); do
		kill -s "$sig" "$pid" 2>/dev/null || break 2
	done
done
assert_true "a signal storm: porttop lives" alive "$pid"
assert_eq "a signal storm: porttop still runs" "$(tui_exit_status 1)" running
answers "after the signal storm"

# 3. SIGTSTP/SIGCONT pairs: each stop gives the terminal back and each continue
# takes it again (porttop leads its own session here: the kernel does not stop an
# orphaned process group, so ncurses' handler runs and returns)
for ((i = 0; i < 100; i++)); do
	kill -s TSTP "$pid" 2>/dev/null && kill -s CONT "$pid" 2>/dev/null || break
done
assert_true "100 SIGTSTP/SIGCONT pairs: porttop lives" alive "$pid"
wait_until 10 "porttop running again" eval '[ "$(proc_state "$pid")" != T ]'
tui_until "after SIGTSTP/SIGCONT: the alternate screen again" eval '[ "$(tui_fmt "#{alternate_on}")" = 1 ]'
answers "after SIGTSTP/SIGCONT"
tui_keys q
assert_eq "q after the storms" "$(tui_exit_status)" 0

# 4. from a shell: SIGTSTP from outside stops porttop with the terminal restored, as C-z
tui_shell 80 24
tui_type "PT=$PORTTOP; echo porttop-set"
tui_keys Enter
tui_wait "the shell knows porttop" '^porttop-set$'
tui_type "clear; stty -g >$T/stty.before"
tui_keys Enter
tui_wait "the prompt" '^tui\$ ?$'
flags_before=$(tui_fmt 'alternate=#{alternate_on} cursor=#{cursor_flag}')
# (no "; echo rc=$?" here: a list goes on when its job stops, the status asked at the end)
tui_type "sh -c 'echo \$\$ >$T/pid; exec \"\$0\" \"\$@\"' \"\$PT\" -d 0.3"
tui_keys Enter
tui_until "porttop's screen from the shell" layout_ok
pid=$(cat "$T/pid")
kill -s TSTP "$pid"
tui_wait "the shell says porttop stopped (SIGTSTP)" '^\[1\]\+ +Stopped +'
assert_eq "SIGTSTP: terminal modes (tmux's view)" "$(tui_fmt 'alternate=#{alternate_on} cursor=#{cursor_flag}')" "$flags_before"
tui_type "stty -g | cmp -s - $T/stty.before && echo stty-same || echo stty-changed"
tui_keys Enter
tui_wait "stty compared" "^stty-(same|changed)$"
assert_true "SIGTSTP: stty settings as before porttop" grep -q "^stty-same$" <<<"$TUI_SCREEN"
tui_type "fg"
tui_keys Enter
tui_until "fg after SIGTSTP: porttop's screen again" layout_ok
say "ok   fg after SIGTSTP: the whole screen drawn again"

# 5. SIGSTOP cannot be caught: the shell prints over porttop's screen; fg (SIGCONT)
# must bring all of it back, not only the cells porttop changes next
kill -s STOP "$pid"
tui_wait "the shell says porttop stopped (SIGSTOP)" '^\[1\]\+ +Stopped +'
tui_type "fg; echo rc=\$?"
tui_keys Enter
tui_until "fg after SIGSTOP: porttop's screen drawn again" layout_ok
say "ok   fg after SIGSTOP: the whole screen drawn again"
tui_keys q
tui_wait "porttop's status" '^rc=[0-9]+$'
assert_true "q after fg: exit status 0" grep -q '^rc=0$' <<<"$TUI_SCREEN"
tui_done
