#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A client closes 10 of its 20 connections to a server that never closes its ends:
# its closed sockets sit in FIN_WAIT2 with no owner in the kernel, still holding their
# ports.  The live view that saw them alive charges them to the client (EPHEM 20, and
# its details list them); a view started after the close cannot, and says so under
# the table: "unattributed FIN_WAIT2 10".
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv 8080 closewait
nl_named_client cli 20
cli=${NL_PID[cli]}

# --- the view saw them alive ----------------------------------------------------------
tui_start 200 24 -d 0.3
tui_until "cli at 20 ephemeral ports" eval '[ "$(tui_cell "$cli" EPHEM)" = 20 ]'
nl_ok cli "close 10" "ok 10"
wait_until 5 "10 FIN_WAIT2" ss_is fin-wait-2 10
tui_wait "the histogram with FIN_WAIT2 10" '(^| )FIN_WAIT2 +10( |$)'
tui_until "cli with 10 TCP sockets open" eval '[ "$(tui_cell "$cli" TCP)" = 10 ]'
assert_eq "cli's EPHEM: 10 open and 10 orphans" "$(tui_cell "$cli" EPHEM)" 20
assert_eq "cli's TW: no TIME_WAIT" "$(tui_cell "$cli" TW)" 0
assert_eq "the line under the table" "$(tui_line 22)" "TIME_WAIT not attributed to a process: 0 of 0"
tui_wait "cli on the top row" "^ +$cli root "
# a wide screen names the pool that fails first after the legend
tui_wait "the pool to fail first" \
	'^Tightest destinations .*  First to fail: destination 127\.0\.0\.1 -> 127\.0\.0\.1:8080, 20 % full: connect\(\) EADDRNOTAVAIL, stable$'
tui_wait_selected "$cli"
tui_keys Enter
tui_wait "cli's details with its orphans" "^Sockets of PID $cli cli: 20  "
tui_wait "one destination, both states" '^TCP to 127\.0\.0\.1:8080: ESTABLISHED 10 FIN_WAIT2 10$'
# seen since the view's first sample, nothing new since, the destination steady at 20
tui_wait "the destination's breakdown" \
	'^    20 ports, oldest [0-9]+ s or more, new 0\.0/s; destination 20/100 \(20 %\), stable, new 0\.0/s from everyone$'

# --- a view started after the close ---------------------------------------------------
tui_start 200 24 -d 0.3
tui_until "cli at 10 ephemeral ports" eval '[ "$(tui_cell "$cli" EPHEM)" = 10 ]'
assert_eq "the line under the table" "$(tui_line 22)" \
	"TIME_WAIT not attributed to a process: 0 of 0; unattributed FIN_WAIT2 10"
tui_done
