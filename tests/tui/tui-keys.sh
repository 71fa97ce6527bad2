#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The keys of the main screen: moving the selection (arrows, PgUp/PgDn, Home/End),
# / find and n next, \ filter by command, u filter by user (and -p, -u), Enter for
# the details and Esc back, h ? F1 help, Z freeze, space refresh now, d and s delay,
# c command lines, an unknown key.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40299

# k01..k12 hold 1..12 ephemeral ports (k05 by 5 connections to nob, the others by
# bound sockets); nob, running as nobody, listens: 13 rows, sorted k12 .. k01 nob.
nl_start_as 65534 nob
nl_ok nob "name nob" ok
nl_ok nob "listen 127.0.0.1 9000" "ok 9000"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	nl_named "k$i" "argv0-k$i"
	if [ "$i" = 05 ]; then
		nl_ok k05 "connect 127.0.0.1 9000 5" "ok 5"
	else
		nl_ok "k$i" "bind 127.0.0.1 $((10#$i))" "ok $((10#$i))"
	fi
done
nl_wait_accepted nob 5
pid() { echo "${NL_PID[$1]}"; }

tui_start 80 24 -d 0.3
tui_until "13 rows" col_is COMMAND "k12 k11 k10 k09 k08 k07 k06 k05"   # 8 rows fit at 80x24

# --- moving -------------------------------------------------------------------
tui_wait_selected "$(pid k12)" "first row at start"
tui_keys Down;            tui_wait_selected "$(pid k11)" "Down"
tui_keys Down Down;       tui_wait_selected "$(pid k09)" "Down Down"
tui_keys Up;              tui_wait_selected "$(pid k10)" "Up"
tui_keys NPage;           tui_wait_selected "$(pid k03)" "PgDn: 7 rows further"
assert_eq "the table scrolled with the selection" "$(tui_col COMMAND)" "k10 k09 k08 k07 k06 k05 k04 k03"
tui_keys NPage;           tui_wait_selected "$(pid nob)" "PgDn stops at the last row"
tui_keys PPage;           tui_wait_selected "$(pid k07)" "PgUp"
tui_keys Home;            tui_wait_selected "$(pid k12)" "Home"
tui_keys Up;              tui_wait_selected "$(pid k12)" "Up on the first row"
tui_keys End;             tui_wait_selected "$(pid nob)" "End"
tui_until "the last rows shown" col_is COMMAND "k07 k06 k05 k04 k03 k02 k01 nob"
assert_eq "USER of nob" "$(tui_cell "$(pid nob)" USER)" nobody
tui_keys Down;            tui_wait_selected "$(pid nob)" "Down on the last row"
# the selection follows its process when the order changes
tui_keys Home Down Down Down; tui_wait_selected "$(pid k09)" "k09"
nl_ok k09 "bind 127.0.0.1 10" "ok 10"
tui_until "k09 at the top with 19" col_is EPHEM "19 12 11 10 8 7 6 5"
tui_wait_selected "$(pid k09)" "the selection moved up with k09"

# --- find ---------------------------------------------------------------------
tui_keys End
tui_wait_selected "$(pid nob)" "End"
tui_keys /
tui_wait "the find prompt" '^Find command: ?$'
tui_type k0
tui_keys Enter
tui_wait_selected "$(pid k09)" "/k0: the first match after the selection, wrapping"
tui_keys n;               tui_wait_selected "$(pid k08)" "n: next match"
tui_keys n n n n n n n;   tui_wait_selected "$(pid k01)" "n x7"
tui_keys n;               tui_wait_selected "$(pid k09)" "n wraps"
tui_keys /
tui_wait "the find prompt keeps the last search" '^Find command: k0$'
tui_keys C-u
tui_wait "the find prompt emptied by C-u" '^Find command: ?$'
tui_type k11
tui_keys Enter
tui_wait_selected "$(pid k11)" "/k11"
tui_keys n;               tui_wait_selected "$(pid k11)" "n with a single match"
tui_keys / C-u
tui_type zzz
tui_keys Enter
tui_wait "no match" '^no command contains "zzz"$'
tui_wait_selected "$(pid k11)" "no match: the selection stays"
tui_keys / C-u
tui_type k12
tui_keys Escape
tui_wait "the find prompt gone after Esc" "$TUI_KEYBAR_RE"
tui_wait_selected "$(pid k11)" "Esc cancels the find"

# --- filters ------------------------------------------------------------------
tui_keys '\'
tui_wait "the filter prompt" '^Filter by command: ?$'
tui_type k1
tui_keys Enter
tui_until "only k1*" col_is COMMAND "k12 k11 k10"
tui_keys '\' C-u Enter
tui_until "all rows again" col_is COMMAND "k09 k12 k11 k10 k08 k07 k06 k05"
tui_keys u
tui_wait "the user prompt" '^Show user \(empty: all\): ?$'
tui_type nobody
tui_keys Enter
tui_until "only nobody's process" col_is COMMAND nob
tui_keys u C-u
tui_type root
tui_keys Enter
tui_until "only root's processes" col_is COMMAND "k09 k12 k11 k10 k08 k07 k06 k05"
tui_keys End
tui_until "root's last rows" col_is COMMAND "k08 k07 k06 k05 k04 k03 k02 k01"
tui_keys u C-u Enter
tui_keys '\'
tui_type nosuchcommand
tui_keys Enter
tui_wait "an empty table says why" '^no process holds a socket that porttop can see$'
tui_keys '\' C-u Enter
tui_until "all rows again" eval '[ "$(tui_col COMMAND)" != no-table ] && tui_table && [ ${#TUI_ROWPIDS[@]} = 8 ]'

# --- details ------------------------------------------------------------------
tui_keys / C-u
tui_type k05
tui_keys Enter
tui_wait_selected "$(pid k05)" "/k05"
tui_keys Enter
tui_wait "the details of k05" "^Sockets of PID $(pid k05) k05: 5  \(K close socket, Esc back\)$"
assert_true "details: column header" grep -qE '^ +LOCAL +REMOTE +STATE' <<<"$TUI_SCREEN"
assert_true "details: one group, 5 ESTABLISHED to 127.0.0.1:9000" \
	grep -qE '^TCP to 127\.0\.0\.1:9000: ESTABLISHED 5$' <<<"$TUI_SCREEN"
assert_eq "details: 5 ephemeral ESTABLISHED sockets" \
	"$(grep -cE '^ +127\.0\.0\.1:4[0-9]{4} +127\.0\.0\.1:9000 +ESTABLISHED +ephem' <<<"$TUI_SCREEN")" 5
tui_keys h
tui_wait "help from the details" '^Press any key to return\.$'
tui_keys x
tui_wait "the table after help (help returns to the main screen)" '^ +PID USER'
tui_keys Enter
tui_wait "the details again" "^Sockets of PID $(pid k05) k05: 5 "
tui_keys Escape
tui_wait "the table after Esc" '^ +PID USER'
tui_wait_selected "$(pid k05)" "back on k05"
tui_keys Enter
tui_wait "the details again" "^Sockets of PID $(pid k05) k05: 5 "
tui_keys q
tui_wait "q in the details goes back" '^ +PID USER'
assert_eq "porttop still runs" "$(tui_exit_status 0)" running
# a server's details: its accepted connections in one group, by its local end
tui_keys End
tui_wait_selected "$(pid nob)" "End"
tui_keys Enter
tui_wait "the details of nob" "^Sockets of PID $(pid nob) nob: 6 "
assert_true "details: the accepted connections" grep -qE '^TCP clients of 127\.0\.0\.1:9000: ESTABLISHED 5$' <<<"$TUI_SCREEN"
assert_true "details: the listener" grep -qE '^TCP without a peer: LISTEN 1$' <<<"$TUI_SCREEN"
assert_eq "details: 5 accepted sockets, not ephemeral" \
	"$(grep -cE '^ +127\.0\.0\.1:9000 +127\.0\.0\.1:4[0-9]{4} +ESTABLISHED *$' <<<"$TUI_SCREEN")" 5
tui_keys Escape
tui_wait "the table after Esc" '^ +PID USER'

# --- help -----------------------------------------------------------------------
for key in h '?' F1; do
	tui_keys "$key"
	tui_wait "help ($key)" '^porttop - who holds the ephemeral ports$'
	assert_true "help ($key) lists the keys" grep -qE '^  q F10 +quit' <<<"$TUI_SCREEN"
	# the sort keys' line comes from the column table: each key with its column's header
	assert_true "help ($key) lists the table's sort keys" \
		grep -qE '^  P S E T C F L H +sort by PID, SOCK, EPHEM, TW, CLWAIT, FAIL/s, LEAK, HANDLES$' <<<"$TUI_SCREEN"
	tui_keys Space
	tui_wait "the table after help ($key)" '^ +PID USER'
done

# --- delay, refresh now, freeze -------------------------------------------------------
# each step adds 20 bound ports: the TCP bar's figure, always in sight, tells a refresh.
# An hour's delay: no wait of the test (TUI_WAIT) comes near it, so a refresh seen is
# one that a key or the new delay made.
tui_wait "88 ports in use" '^TCP \[.*\] 88/300 '
tui_keys d
tui_wait "the delay prompt, filled in" '^Delay in seconds: 0\.3$'
tui_keys C-u
tui_type 3600
tui_keys Enter
tui_wait "every hour" ' - every 3600\.0s - '
nl_ok k01 "bind 127.0.0.1 20" "ok 20"
tui_never "no refresh before the delay" '^TCP \[.*\] 108/300 ' 15
tui_keys Space
tui_wait "space refreshes now" '^TCP \[.*\] 108/300 '
tui_keys s
tui_wait "s asks for the delay too" '^Delay in seconds: 3600$'
tui_keys C-u
tui_type abc
tui_keys Enter
tui_wait "a bad delay is refused" '^not a delay: "abc" \(seconds, 0\.1 to 86400\)$'
tui_keys s C-u
tui_type 0.05
tui_keys Enter
tui_wait "too short a delay is refused" '^not a delay: "0\.05" \(seconds, 0\.1 to 86400\)$'
assert_true "the delay is still an hour" grep -q ' - every 3600\.0s - ' <<<"$TUI_SCREEN"
tui_keys s C-u
tui_type 0.2
tui_keys Enter
tui_wait "every 0.2 s" ' - every 0\.2s - '
nl_ok k02 "bind 127.0.0.1 20" "ok 20"
tui_wait "the new delay refreshes" '^TCP \[.*\] 128/300 '
tui_keys Z
tui_wait "frozen" '^FROZEN  Z Resume  h Help  / Find  .*  q Quit$'
nl_ok k03 "bind 127.0.0.1 20" "ok 20"
tui_never "no refresh while frozen" '^TCP \[.*\] 148/300 ' 15
tui_keys Z
tui_wait "resumed" "$TUI_KEYBAR_RE"
tui_wait "a refresh after resuming" '^TCP \[.*\] 148/300 '

# --- command lines, unknown keys ------------------------------------------------------
tui_resize 160 40     # room for every row and whole command lines
tui_keys c
tui_wait "c: full command lines" " argv0-k03 --deadline $NS_DEADLINE$"
assert_eq "k01's command line" "$(tui_cell "$(pid k01)" COMMAND)" "argv0-k01 --deadline $NS_DEADLINE"
tui_keys c
tui_wait "c again: names" ' k03$'
assert_eq "k01's name" "$(tui_cell "$(pid k01)" COMMAND)" k01
tui_keys x
tui_wait "an unknown key is named" "^unknown key 'x' - h for help$"
assert_eq "porttop still runs" "$(tui_exit_status 0)" running

# --- -p and -u ------------------------------------------------------------------------
tui_start 80 24 -d 0.3 -p "$(pid k07)"
tui_until "-p: one row" col_is COMMAND k07
tui_start 80 24 -d 0.3 --pid="$(pid k07),$(pid k04)"
tui_until "-p: two rows" col_is COMMAND "k07 k04"
tui_start 80 24 -d 0.3 -u nobody
tui_until "-u nobody: one row" col_is COMMAND nob
tui_start 80 24 -d 0.3 -o pid -u root
tui_until "-u root: root's rows" col_is COMMAND "k01 k02 k03 k04 k05 k06 k07 k08"
tui_done
