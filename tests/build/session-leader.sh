#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# porttop as the leader of a session with a terminal (a tmux pane's command, ssh -t,
# script -c) exits with its own status.  The sanitizer build leaves its session at
# exit, before LeakSanitizer's check (src/main.c); setsid() fails for a leader, and
# its TIOCNOTTY would hang up the terminal's foreground group: porttop itself, which
# then died of that SIGHUP (status 129) after --version.
# Control: the same harness makes a shell the leader of a session with a terminal,
# so a harness that does not cannot pass for one.
set -u
porttop=${PORTTOP:?}
command -v script >/dev/null || { echo "session-leader: needs script (util-linux)"; exit 77; }

# leader CMD: CMD exec'd as the leader of a new session on a new terminal; its status
leader() {
	script -qec "exec $1" /dev/null </dev/null >"$out" 2>&1
}
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
fail=0

# shellcheck disable=SC2016 # for the inner shell
leader 'sh -c '\''read -r pid comm state ppid pgrp sid tty rest </proc/self/stat
	[ "$sid" = "$pid" ] && [ "$tty" != 0 ] && echo leader'\'''
if [ "$(tr -d '\r' <"$out")" != leader ]; then
	echo "FAIL: control: the shell was not a session leader with a terminal: $(cat "$out")"
	fail=1
fi

for args in --version --help "--bogus-flag"; do
	want=0
	[ "$args" = --bogus-flag ] && want=2
	leader "$porttop $args"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL: porttop $args as a session leader: exit status $rc, not $want"
		fail=1
	fi
done
exit $fail
