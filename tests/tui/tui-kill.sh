#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# k kills the selected process after two questions: the signal (empty: TERM), then
# y/N.  TERM and KILL reach it (verified by its exit status), n and Esc cancel (it
# lives), a bad signal name is asked again, and a process that exits while the
# question is open is reported, with nothing signalled - not even a process that
# took over its pid.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_named_client v1 4
nl_named_client v2 5
nl_named_client v3 6
nl_named_client v4 7
pid() { echo "${NL_PID[$1]}"; }
others_alive() {  # NAME...: all alive
	local n
	for n in "$@"; do alive "$(pid "$n")" || { say "$n ($(pid "$n")) is not alive"; return 1; }; done
}

# open_kill NAME: porttop showing only NAME, k pressed; the signal prompt is up
open_kill() {
	tui_start 200 24 -d 0.3 -p "$(pid "$1")"
	tui_until "the row of $1" col_is COMMAND "$1"
	tui_keys k
	tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
}

# --- TERM (the default) ----------------------------------------------------------
open_kill v1
assert_eq "the context line" "$(tui_line 22)" \
	"PID $(pid v1) v1 (root) holds 4 ephemeral ports: 4 ESTABLISHED, 0 CLOSE_WAIT, 0 other; its 0 closed sockets keep their ports (TIME_WAIT 60 s)"
tui_keys Enter
tui_wait "the question" "^Kill $(pid v1) \(v1\) with TERM\? \[y/N\] ?$"
assert_true "v1 alive while asked" alive "$(pid v1)"
tui_keys y
tui_wait "sent" "^sent TERM to $(pid v1) \(v1\)$"
wait "$(pid v1)" 2>/dev/null
assert_eq "v1 ended by SIGTERM (exit status)" "$?" $((128 + 15))

# --- KILL, typed ---------------------------------------------------------------------
open_kill v2
tui_type KILL
tui_keys Enter
tui_wait "the question" "^Kill $(pid v2) \(v2\) with KILL\? \[y/N\] ?$"
tui_keys y
tui_wait "sent" "^sent KILL to $(pid v2) \(v2\)$"
wait "$(pid v2)" 2>/dev/null
assert_eq "v2 ended by SIGKILL (exit status)" "$?" $((128 + 9))

# --- cancelled: n, Esc at the signal, Esc at the question --------------------------------
open_kill v3
tui_keys Enter
tui_wait "the question" "^Kill $(pid v3) \(v3\) with TERM\? \[y/N\] ?$"
tui_keys n
tui_wait "n cancels" '^kill cancelled$'
tui_keys k
tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
tui_keys Escape
tui_wait "Esc at the signal prompt cancels" '^kill cancelled$'
tui_keys k
tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
tui_keys Enter
tui_wait "the question" "^Kill $(pid v3) \(v3\) with TERM\? \[y/N\] ?$"
tui_keys Escape
tui_wait "Esc at the question cancels" '^kill cancelled$'
# a bad signal is asked again; a number is taken
tui_keys k
tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
tui_type FOO
tui_keys Enter
tui_wait "a bad signal is named" '^unknown signal "FOO": give a name \(TERM, KILL, HUP\) or a number$'
tui_wait "and asked again" '^Signal to send \[TERM\]: ?$'
tui_type 9
tui_keys Enter
tui_wait "signal 9 is KILL" "^Kill $(pid v3) \(v3\) with KILL\? \[y/N\] ?$"
tui_keys N
tui_wait "N cancels" '^kill cancelled$'
sleep 0.3
assert_true "v3 alive after 4 cancels" alive "$(pid v3)"
nl_ok v3 count 6

# --- the process exits between the question and y ---------------------------------------
open_kill v4
tui_keys Enter
tui_wait "the question" "^Kill $(pid v4) \(v4\) with TERM\? \[y/N\] ?$"
victim=$(pid v4)
nl_ok v4 quit bye
wait "$victim"
assert_eq "v4 exited by itself" "$?" 0
# let a new process take v4's pid, when this kernel allows choosing it
decoy=
for ((try = 0; try < 20; try++)); do
	echo $((victim - 1)) 2>/dev/null >/proc/sys/kernel/ns_last_pid || break
	sleep "$NS_DEADLINE" &
	NS_PIDS+=("$!")
	if [ "$!" = "$victim" ]; then decoy=$!; break; fi
	# KILL, not TERM: a child killed before its exec would still run this shell's
	# TERM trap and with it the EXIT trap, which ends the test's tmux server
	kill -KILL "$!"
done
if [ -z "$decoy" ] && [ -e "/proc/$victim" ]; then
	# some other process of this machine took the pid: never risk signalling it
	say "pid $victim was taken by another process: not answering y"
	tui_keys n
	tui_wait "cancelled" '^kill cancelled$'
else
	[ -n "$decoy" ] && say "a decoy (sleep) now has v4's pid $victim"
	tui_keys y
	tui_wait "the exit is reported" "^process $victim \(v4\) has exited; nothing was signalled$"
	sleep 0.3
	[ -n "$decoy" ] && assert_true "the decoy with v4's old pid was not signalled" alive "$decoy"
fi
assert_true "no other process was signalled" others_alive srv v3
tui_done
