#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Secure mode (-s, or "secure = 1" in porttoprc) refuses k (and F9), r, U and K with
# "... is disabled in secure mode", asks nothing and changes nothing; a porttoprc
# cannot turn it off; help says so, on a short screen too; the key bar (at 200
# columns) offers k and r only outside secure mode.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_named_client cli 4
cli=${NL_PID[cli]}
SYSCTL=/proc/sys/net/ipv4/ip_local_port_range
rc=$NS_TMP/xdg/porttop/porttoprc
mkdir -p "${rc%/*}"

refusals() {  # WHAT: every remedy refused, nothing asked, nothing changed
	tui_until "$1: cli's row" col_is COMMAND "cli srv"
	for key in k F9; do
		tui_keys "$key"
		tui_wait "$1: $key refused" '^kill is disabled in secure mode$'
		tui_keys x
		tui_wait "$1: status cleared" "^unknown key 'x'"
	done
	tui_keys r
	tui_wait "$1: r refused" '^range change is disabled in secure mode$'
	tui_keys x
	tui_wait "$1: status cleared" "^unknown key 'x'"
	tui_keys U
	tui_wait "$1: U refused" '^range change is disabled in secure mode$'
	tui_keys Enter
	tui_wait "$1: details" "^Sockets of PID $cli cli: 4 "
	tui_keys K
	tui_wait "$1: K refused" '^socket close is disabled in secure mode$'
	tui_never "$1: no question asked" 'Signal to send|\[y/N\]|New ip_local_port_range' 5
	tui_keys Escape
	tui_wait "$1: the table" '^ +PID USER'
	tui_keys h
	tui_wait "$1: help says so" '^Secure mode: kill, socket close and range change are disabled\.$'
	tui_keys x
	tui_wait "$1: the table" '^ +PID USER'
	assert_true "$1: cli alive" alive "$cli"
	assert_eq "$1: the range unchanged" "$(tr -s '\t ' ' ' <"$SYSCTL")" "40000 40099"
	assert_eq "$1: cli's 4 connections all there" "$(ss -tanH state established | wc -l)" 8
}

tui_start 120 24 -d 0.3 -s
refusals "-s"
# wide enough for every key: k and r, which secure mode refuses, are not offered
tui_resize 200 24
tui_wait "-s at 200 columns: the key bar without k and r" \
	'^h Help  / Find  \\ Filter  < > Sort  Enter Details  Z Freeze  N Namespaces  K Counters  q Quit$'
tui_keys W
tui_wait "W" '^settings written to '
assert_true "-s: W writes secure = 1" grep -qx 'secure = 1' "$rc"
tui_keys q
assert_eq "-s: exit status" "$(tui_exit_status)" 0

# the file written above, without -s
tui_start 120 24 -d 0.3
refusals "porttoprc secure = 1"
tui_keys q

printf 'secure = 1\n' >"$rc"
tui_start 120 24 -d 0.3
refusals "a porttoprc with only secure = 1"
tui_keys q

# a file cannot lower -s
printf 'secure = 0\n' >"$rc"
tui_start 120 24 -d 0.3 --secure
refusals "--secure with secure = 0 in porttoprc"
tui_keys q

# on a screen shorter than the help, the secure line takes the row above the key
# bar alone: no longer help line under it sticks out past its end
tui_start 91 17 -d 0.3 -s
tui_until "91x17: cli's row" col_is COMMAND "cli srv"
tui_keys h
tui_wait "91x17: the help" '^porttop - who holds the ephemeral ports$'
assert_eq "91x17: the secure line whole and alone" "$(tui_line 15)" \
	"Secure mode: kill, socket close and range change are disabled."
tui_keys q q

# and without either, the key bar offers k, r and N, and k asks (secure mode is what
# refused above)
tui_start 200 24 -d 0.3
tui_until "cli's row" col_is COMMAND "cli srv"
tui_wait "not secure, 200 columns: the key bar with k, r and N" \
	'^h Help  / Find  \\ Filter  < > Sort  Enter Details  k Kill  r Range  Z Freeze  N Namespaces  K Counters  q Quit$'
tui_keys k
tui_wait "not secure: k asks" '^Signal to send \[TERM\]: ?$'
tui_keys Escape
tui_wait "cancelled" '^kill cancelled$'
tui_done
