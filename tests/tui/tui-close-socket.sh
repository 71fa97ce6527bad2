#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# K in the details of a process (Enter on its row) closes the selected socket after a
# y/N: an ESTABLISHED connection is gone from ss afterwards; n and Esc keep it; the
# selection in the details (Down, End) picks which socket.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_named_client cli 3
cli=${NL_PID[cli]}
# ss_port PORT: the TCP sockets (any state) with PORT at either end
ss_port() { ss -tanH | grep -cE "127\.0\.0\.1:$1( |$)"; }
QUESTION='^Close TCP 127\.0\.0\.1:(4[0-9]{4}) -> 127\.0\.0\.1:8080 \(ESTABLISHED\)\? \[y/N\] ?$'
# ask_close: K; the port of the socket asked about is in PORT
ask_close() {
	tui_keys K
	tui_wait "the close question" "$QUESTION"
	[[ $(tui_status) =~ $QUESTION ]] && PORT=${BASH_REMATCH[1]}
}

tui_start 200 24 -d 0.3 -p "$cli"
tui_until "cli's row" col_is COMMAND cli
tui_keys Enter
tui_wait "cli's details" "^Sockets of PID $cli cli: 3  \(K close socket, Esc back\)$"

ask_close
first=$PORT
tui_keys n
tui_wait "n cancels" '^close cancelled$'
assert_eq "n: the connection from :$first is still there" "$(ss_port "$first")" 2
ask_close
assert_eq "the same socket is asked about" "$PORT" "$first"
tui_keys Escape
tui_wait "Esc cancels" '^close cancelled$'
assert_eq "Esc: the connection from :$first is still there" "$(ss_port "$first")" 2

tui_keys Down
ask_close
second=$PORT
assert_true "Down selects another socket ($first, then $second)" test "$second" != "$first"
tui_keys y
tui_wait "closed" "^closed TCP 127\.0\.0\.1:$second -> 127\.0\.0\.1:8080 \(ESTABLISHED\)$"
wait_until 5 "the connection from :$second to be gone from ss" eval '[ "$(ss_port "$second")" = 0 ]'
say "ok   the connection from :$second is gone from ss"
assert_eq "the others stay" "$(ss -tanH state established | wc -l)" 4
tui_wait "the details count 2 sockets" "^Sockets of PID $cli cli: 2 "

tui_keys End
ask_close
last=$PORT
assert_true "End selects the last socket, not the first" test "$last" != "$first"
tui_keys y
tui_wait "closed" "^closed TCP 127\.0\.0\.1:$last -> 127\.0\.0\.1:8080 \(ESTABLISHED\)$"
wait_until 5 "the connection from :$last to be gone from ss" eval '[ "$(ss_port "$last")" = 0 ]'
tui_wait "the details count 1 socket" "^Sockets of PID $cli cli: 1 "
assert_eq "the first connection stays" "$(ss_port "$first")" 2
assert_true "cli lives on" alive "$cli"
tui_keys Escape
tui_until "back to the table, cli with 1 connection" eval '[ "$(tui_cell "$cli" ESTAB)" = 1 ]'
tui_done
