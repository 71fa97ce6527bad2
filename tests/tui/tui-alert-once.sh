#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --alert-command runs once per level change of a namespace, whichever engine reads
# it: the main view's, or the namespace list's (N).  Two namespaces of the test's own
# are at CRITICAL, each with 97 TCP sockets bound to a port of a 100-port range:
#   own  the test's (porttop's), range 40000-40099
#   B    a named one, range 41000-41099
# The command appends "NETNS POOL PREVIOUS LEVEL" for these two only (other
# namespaces of the host are other tests').  Each is raised once, by the main view or
# by the list's engine, and neither N, Esc, N, Esc ... nor Enter into B and back
# raises it again: the list shows the main view's namespace from the main view's own
# engine, and an engine opened for a namespace goes on from the levels known there.
# Then each pool is emptied, B while the list is shown and the main view looks into
# B, own while the main view looks into own: one change down each, once.  What is
# asserted is the log, after each step and a quiet second and a half.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

b="porttop-tui-once-$$"
ns_add_named "$b" 41000 41099
nl_start mine
nl_ok mine "bind 127.0.0.1 97" "ok 97"
nl_start_in theirs "$b"
nl_ok theirs "bind 127.0.0.1 97" "ok 97"
own=$(stat -L -c %i /proc/self/ns/net)
ino_b=$(stat -L -c %i "/run/netns/$b")

log="$NS_TMP/changes.log"
cmd="case \$PORTTOP_ALERT_NETNS in $own|$ino_b) ;; *) exit 0;; esac;"
cmd+=" echo \"\$PORTTOP_ALERT_NETNS \$PORTTOP_ALERT_POOL \$PORTTOP_ALERT_PREVIOUS"
cmd+=" \$PORTTOP_ALERT_LEVEL\" >>$(printf %q "$log")"

# changes_of INODE: the changes the command was run for in that namespace, one a line
changes_of() { [ -f "$log" ] && awk -v ino="$1" '$1 == ino { print $2, $3, $4 }' "$log"; }
changes_are() { [ "$(changes_of "$1")" = "$2" ]; }
# changes_reach INODE CHANGES: the log holds as many changes of INODE as CHANGES, or more
changes_reach() { [ "$(changes_of "$1" | wc -l)" -ge "$(wc -l <<<"$2")" ]; }
raised="tcp OK CRITICAL"
lowered="tcp OK CRITICAL
tcp CRITICAL OK"
# settled WHAT OWN B: the log reaches OWN and B, and holds them for 1.5 s (15
# refreshes at -d 0.1): a command run once more would show by then
settled() {
	local i
	wait_until 30 "$1: own's changes" changes_reach "$own" "$2"
	wait_until 30 "$1: B's changes" changes_reach "$ino_b" "$3"
	for ((i = 0; i < 15; i++)); do
		sleep 0.1
		changes_are "$own" "$2" && changes_are "$ino_b" "$3" && continue
		assert_eq "$1: own's changes" "$(changes_of "$own")" "$2"
		assert_eq "$1: B's changes" "$(changes_of "$ino_b")" "$3"
		fatal "$1: the command ran again"
	done
	say "ok   $1: own's and B's changes, each once"
}
list_shown() { tui_wait "$1: the list" '^Network namespaces \([0-9]+\), fullest first'; }
# n_esc WHAT TIMES: N, then Esc, TIMES times, each screen waited for
n_esc() {
	local i
	for ((i = 1; i <= $2; i++)); do
		tui_keys N
		list_shown "$1, N $i"
		tui_keys Escape
		tui_wait_gone "$1, Esc $i" '^Network namespaces \('
	done
}
# ns_selected: the inode on the row the last capture marks as selected (">")
ns_selected() {
	local sel
	sel=$(grep -E '^>' <<<"$TUI_SCREEN" | head -n 1 | tr -d '>*' | awk '{ print $1 }')
	echo "${sel:-none}"
}
selection_moved() { tui_capture; [ "$(ns_selected)" != "$1" ]; }
# select_ns INODE: in the list, moves the selection to that namespace's row, one step
# at a time (other tests' namespaces may come, go and reorder the list meanwhile)
select_ns() {
	local i was at_row at_sel
	for ((i = 0; i < 80; i++)); do
		tui_capture
		was=$(ns_selected)
		[ "$was" = "$1" ] && return 0
		at_row=$(grep -nE "^[ >][ *]$1 " <<<"$TUI_SCREEN" | cut -d: -f1)
		at_sel=$(grep -nE "^>" <<<"$TUI_SCREEN" | head -n 1 | cut -d: -f1)
		if [ -n "$at_sel" ] && [ -n "$at_row" ] && [ "$at_sel" -gt "$at_row" ]; then
			tui_keys Up
		else
			tui_keys Down
		fi
		ns_poll 2 selection_moved "$was" || true
	done
	fatal "cannot select netns $1"
}
# enter_ns INODE: from the list, the main view inside that namespace; a row that
# moved between the look and Enter opens another: back to the list, and again
enter_ns() {
	local try
	for ((try = 0; try < 5; try++)); do
		select_ns "$1"
		tui_keys Enter
		tui_wait "the view inside a namespace" "netns [0-9]+; "
		grep -qE "netns $1; " <<<"$TUI_SCREEN" && return 0
		tui_keys Escape
		list_shown "back from the wrong one"
	done
	fatal "cannot look into netns $1"
}

tui_start 200 40 -d 0.1 --bpf=off --alert-command "$cmd"
tui_wait "the main view in own" "netns $own; "
settled "started" "$raised" "$raised"
n_esc "the main view in own" 3
settled "N and Esc three times" "$raised" "$raised"

tui_keys N
list_shown "before Enter"
enter_ns "$ino_b"
settled "the main view in B" "$raised" "$raised"
n_esc "the main view in B" 2
settled "N and Esc twice, in B" "$raised" "$raised"

# B empties while the list is shown: the main engine, in B, tells it once
tui_keys N
list_shown "before B empties"
nl_ok theirs quit bye
settled "B empty, the list shown" "$raised" "$lowered"
enter_ns "$own"
settled "back in own" "$raised" "$lowered"
nl_ok mine quit bye
settled "own empty, the main view in own" "$lowered" "$lowered"
n_esc "both empty" 2
settled "at the end" "$lowered" "$lowered"
tui_keys q
assert_eq "porttop's exit status" "$(tui_exit_status)" 0
tui_done
