#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Leaving porttop, started from a shell: q, F10, C-c, SIGTERM, SIGHUP, SIGINT and -n N all
# exit (0, or 128+signal) and, like C-z, leave the terminal as it was: the shell's lines back on
# screen (no porttop text), normal screen, cursor shown, keypad mode and stty settings
# unchanged.  Without a usable terminal (unknown TERM, stdin not a tty) it says so and
# leaves the terminal alone; when its terminal goes away (the pane closed), it ends.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_ok srv "connect 127.0.0.1 8080 5" "ok 5"
T=$NS_TMP
flags() { tui_fmt 'alternate=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} keypad_cursor=#{keypad_cursor_flag}'; }

tui_shell 80 24
# the command lines below stay one line whatever the build path (distcheck's is long)
tui_type "PT=$PORTTOP; echo porttop-set"
tui_keys Enter
tui_wait "the shell knows porttop" '^porttop-set$'
# quit_with WAY EXPECTED_STATUS [PORTTOP ARGS]: runs porttop from the shell, leaves it WAY
quit_with() {
	local way=$1 want=$2 before flags_before pid lines started
	shift 2
	tui_type "clear; echo marker-$way; stty -g >$T/stty.$way.before"
	tui_keys Enter
	tui_wait "the marker" "^marker-$way$"
	tui_type "sh -c 'echo \$\$ >$T/pid.$way; exec \"\$0\" \"\$@\"' \"\$PT\" $*; echo rc=\$?"
	tui_wait "the command typed" "echo rc=\\\$\?$"
	tui_capture
	before=$TUI_SCREEN
	flags_before=$(flags)
	started=${EPOCHREALTIME/[.,]/}
	tui_keys Enter
	tui_wait "porttop's screen ($way)" '^ +PID USER'
	assert_eq "$way: porttop uses the alternate screen, cursor hidden" \
		"$(tui_fmt 'alternate=#{alternate_on} cursor=#{cursor_flag}')" "alternate=1 cursor=0"
	pid=$(cat "$T/pid.$way")
	case $way in
	q | F10 | C-c) tui_keys "$way" ;;
	n3) ;;
	TERM | HUP | INT) kill -s "$way" "$pid" ;;
	TERM-in-prompt)
		tui_keys r
		tui_wait "the range prompt" '^New ip_local_port_range'
		kill -s TERM "$pid" ;;
	esac
	tui_wait "the shell after porttop ($way)" '^rc=[0-9]+$' 8
	RAN_MS=$(((${EPOCHREALTIME/[.,]/} - started) / 1000))
	tui_wait "the prompt after rc" '^rc=[0-9]+$' 1
	assert_eq "$way: exit status" "$(grep -E '^rc=' <<<"$TUI_SCREEN")" "rc=$want"
	wait_until 5 "porttop ($way) to be gone" eval '! alive "$pid"'
	lines=$(wc -l <<<"$before")
	assert_true "$way: the shell's lines are back as they were" test "$(head -n "$lines" <<<"$TUI_SCREEN")" = "$before"
	assert_true "$way: no porttop text left" eval '! grep -qE "^porttop - | PID USER|^h Help  / Find|not attributed" <<<"$TUI_SCREEN"'
	assert_true "$way: the prompt follows" eval '[[ $(grep -A1 -E "^rc=" <<<"$TUI_SCREEN" | tail -n 1) =~ ^tui\$\ ?$ ]]'
	assert_eq "$way: terminal modes (tmux's view)" "$(flags)" "$flags_before"
	tui_type "stty -g | cmp -s - $T/stty.$way.before && echo stty-same-$way || echo stty-changed-$way"
	tui_keys Enter
	tui_wait "stty compared ($way)" "^stty-(same|changed)-$way$"
	assert_true "$way: stty settings unchanged" grep -q "^stty-same-$way$" <<<"$TUI_SCREEN"
}

quit_with q 0 -d 0.3
quit_with F10 0 -d 0.3
quit_with C-c 130 -d 0.3
quit_with TERM 143 -d 0.3
quit_with HUP 129 -d 0.3
quit_with INT 130 -d 0.3
quit_with TERM-in-prompt 143 -d 0.3
# -n 3 -d 1: three refreshes (the first at start), then porttop leaves by itself: two
# delays at least; at most, what a loaded machine adds to its 2 s (starting, three
# refreshes, the test's polls) is not known, so the bound only catches a porttop that
# goes on well past its three refreshes.
quit_with n3 0 -n 3 -d 1
assert_num "-n 3 -d 1 ran 2 s or more (ms)" "$RAN_MS" -ge 1800
assert_num "-n 3 -d 1 ran far less than 10 refreshes (ms)" "$RAN_MS" -lt 9000

# C-z stops porttop with the terminal given back to the shell; fg draws it again
tui_type "clear; stty -g >$T/stty.tstp.before"
tui_keys Enter
tui_wait "the prompt" '^tui\$ ?$'
flags_before=$(flags)
tui_type "\"\$PT\" -d 0.3"
tui_keys Enter
tui_wait "porttop's screen" '^ +PID USER'
tui_keys C-z
# the job line wraps when the build path is long (distcheck): match its start only
tui_wait "the shell says porttop stopped" '^\[1\]\+ +Stopped +'
assert_eq "C-z: terminal modes (tmux's view)" "$(flags)" "$flags_before"
assert_true "C-z: no porttop text left" eval '! grep -qE "^porttop - | PID USER|^h Help  / Find" <<<"$TUI_SCREEN"'
tui_type "stty -g | cmp -s - $T/stty.tstp.before && echo stty-same-tstp || echo stty-changed-tstp"
tui_keys Enter
tui_wait "stty compared (C-z)" "^stty-(same|changed)-tstp$"
assert_true "C-z: stty settings unchanged" grep -q "^stty-same-tstp$" <<<"$TUI_SCREEN"
tui_type "fg; echo rc=\$?"
tui_keys Enter
tui_wait "fg: porttop's screen again" '^ +PID USER'
tui_wait "fg: the header again" '^porttop - '
tui_keys q
tui_wait "q after fg" '^rc=0$'
assert_eq "after fg and q: terminal modes" "$(flags)" "$flags_before"

# no live view without a usable terminal: a message, status 1, the terminal untouched
refused_start() {  # LABEL COMMAND MESSAGE_REGEX
	local flags_before
	tui_type "clear; stty -g >$T/stty.$1.before"
	tui_keys Enter
	tui_wait "the prompt" '^tui\$ ?$'
	flags_before=$(flags)
	tui_type "$2; echo rc=\$?"
	tui_keys Enter
	tui_wait "$1: the shell after porttop" '^rc=[0-9]+$'
	assert_true "$1: the message" grep -qE "$3" <<<"$TUI_SCREEN"
	assert_eq "$1: exit status" "$(grep -E '^rc=' <<<"$TUI_SCREEN")" rc=1
	assert_eq "$1: terminal modes (tmux's view)" "$(flags)" "$flags_before"
	tui_type "stty -g | cmp -s - $T/stty.$1.before && echo stty-same-$1 || echo stty-changed-$1"
	tui_keys Enter
	tui_wait "stty compared ($1)" "^stty-(same|changed)-$1$"
	assert_true "$1: stty settings unchanged" grep -q "^stty-same-$1$" <<<"$TUI_SCREEN"
}
refused_start badterm "TERM=nosuchterm \"\$PT\"" \
	'^porttop: cannot use terminal type "nosuchterm"; try TERM=vt100 or -b$'
refused_start notty "\"\$PT\" </dev/null" '^porttop: the live view needs a terminal; use -b for batch output$'

# a real hangup: the terminal goes away under porttop, which must end, not spin
tui_start 80 24 -d 0.3
tui_wait "porttop in its own pane" "^ +PID USER"
pid=$TUI_PID
tui_tmux kill-session -t "$TUI_SESSION"
wait_until 5 "porttop to end when its terminal is gone" eval "! alive $pid"
say "ok   porttop ended with its terminal"
tui_done
