#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Sort keys, checked on the rows captured from the screen: S E T C H P sort by a
# column (largest first, PID smallest first), I inverts, < and > move the sort
# column (wrapping), -o FIELD sets the first one.  Ties are broken by pid.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

# A load where every sort key gives another order:
#          SOCK EPHEM   TW CLWAIT ESTAB  UDP
#   srv      30     0    0     12    16    0   (listens on 8080 keeping its ends, and 8081)
#   c1        5    25   20      0     5    0   (closed 20 of 25 to 8081: TIME_WAIT)
#   c2        3    15    0      0     3    0   (closed 12 of 15 to 8080: CLOSE_WAIT at srv,
#                                               its 12 ends orphaned in FIN_WAIT2, still its ports)
#   c3        8     8    0      0     8    0
#   u        40    40    0      0     0   40   (UDP)
nl_named_server srv 8080 closewait
nl_ok srv "listen 127.0.0.1 8081" "ok 8081"
nl_named_client c1 25 8081
nl_named_client c2 15
nl_named_client c3 8
nl_named u
nl_ok u "udp 127.0.0.1 40" "ok 40"

tui_start 80 24 -d 0.3
# porttop must see c1's connections open to name it as the owner of their TIME_WAIT
tui_until "c1's 25 connections" eval '[ "$(tui_cell "${NL_PID[c1]}" EPHEM)" = 25 ]'
# frozen while they close, so that no sample catches them half-closed (orphaned in
# FIN_WAIT2): this test is about sorting, not about following owners through that
tui_keys Z
tui_wait "frozen" '^FROZEN'
nl_ok c1 "close 20" "ok 20"
nl_ok c2 "close 12" "ok 12"
wait_until 5 "12 CLOSE_WAIT" ss_is close-wait 12
# c1's 20 closes end in TIME_WAIT once srv has closed its ends.  In about one full
# suite run in ten the kernel keeps only 19 (one connection gone in no state at
# all, seen in the state list printed at a timeout), so the test waits for the
# closes to settle and then expects what the kernel holds: this test is about sorting.
settled() { [ "$(ss -tanH state fin-wait-1 state fin-wait-2 state last-ack state closing \
	'( dport = :8081 or sport = :8081 )' | wc -l)" -eq 0 ]; }
wait_until 5 "c1's closes to settle" settled
TW=$(ss_count time-wait)
[ "$TW" -ge 18 ] || fatal "only $TW of c1's 20 closed connections reached TIME_WAIT"
[ "$TW" = 20 ] || say "the kernel holds $TW TIME_WAIT sockets of c1's 20 closes"
tui_keys Z
tui_until "c1's TIME_WAIT and srv's CLOSE_WAIT" \
	eval '[ "$(tui_cell "${NL_PID[c1]}" TW)" = "$TW" ] && [ "$(tui_cell "${NL_PID[srv]}" CLWAIT)" = 12 ]'

declare -A V
set_vals() {  # HEADER srv c1 c2 c3 u
	local h=$1 n
	shift
	for n in srv c1 c2 c3 u; do V[$n,$h]=$1; shift; done
}
set_vals SOCK 30 5 3 8 40
set_vals EPHEM 0 $((5 + TW)) 15 8 40
set_vals TW 0 "$TW" 0 0 0
set_vals CLWAIT 12 0 0 0 0
set_vals ESTAB 16 5 3 8 0
set_vals UDP 0 0 0 0 40
for n in srv c1 c2 c3 u; do
	V[$n,PID]=${NL_PID[$n]}
	V[$n,COMMAND]=$n
	V[$n,HANDLES]=$(fd_count "${NL_PID[$n]}")
done

# expected_order HEADER asc|desc: the names in the order porttop must show them.
expected_order() {
	local n flag=n
	[ "$1" = COMMAND ] && flag=
	[ "$2" = desc ] && flag+=r
	for n in srv c1 c2 c3 u; do printf '%s %s %s\n' "${V[$n,$1]}" "${V[$n,PID]}" "$n"; done |
		LC_ALL=C sort -k1,1"$flag" -k2,2n | cut -d' ' -f3 | tr '\n' ' ' | sed 's/ $//'
}

# check KEYS "HEADER asc|desc": after KEYS the marker is on HEADER and the rows are
# in that order, with the figures of the load in that column.
check() {
	local keys=$1 header=${2% *} dir=${2#* } n vals=()
	[ -n "$keys" ] && tui_keys "$keys"
	tui_wait_sort "$2"
	for n in $(expected_order "$header" "$dir"); do vals+=("${V[$n,$header]}"); done
	tui_until "rows sorted by $2" col_is COMMAND "$(expected_order "$header" "$dir")"
	assert_eq "key '$keys': $2: rows" "$(tui_col COMMAND)" "$(expected_order "$header" "$dir")"
	assert_eq "key '$keys': $2: $header column" "$(tui_col "$header")" "${vals[*]}"
}

check "" "EPHEM desc"
check S "SOCK desc"
check T "TW desc"
check C "CLWAIT desc"
check H "HANDLES desc"
check P "PID asc"
check I "PID desc"
check I "PID asc"
check E "EPHEM desc"
check I "EPHEM asc"
check '>' "ESTAB asc"      # the sort column moves; the inversion stays
check '<' "EPHEM asc"
check '<' "UDP asc"
check S "SOCK desc"        # a sort key starts uninverted
check P "PID asc"
check '<' "COMMAND asc"    # from the first column to the last
check '>' "PID asc"        # and back
tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] || { tui_capture; tui_dump; }
assert_eq "exit status after q" "$st" 0

# -o FIELD: the first sort column, by key or by header (TIME_WAIT is not used
# here: a new porttop has not seen those sockets open and cannot name their owner)
tui_start 80 24 -d 0.3 -o sockets
check "" "SOCK desc"
tui_start 80 24 -d 0.3 --sort=CLWAIT
check "" "CLWAIT desc"
tui_start 80 24 -d 0.3 -o pid
check "" "PID asc"
tui_done
