#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A client closes 200 of its 400 connections to a server that never closes its ends:
# the client's 200 closed sockets are orphans in FIN_WAIT2 (inode 0, no owner in the
# kernel) that still hold their ports.  porttop running before the close charges them
# to the client through their cookies (EPHEM 400, TW 0); a porttop started after the
# close never saw them alive and says so: unattributed FIN_WAIT2 200, in JSON and in
# the text note.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40999

nl_client_server 400 closewait
client=${NL_PID[client]} server=${NL_PID[server]}

# --- porttop saw them alive ---------------------------------------------------------
pt_follow -d 1
nl_ok client "close 200" "ok 200"
wait_until 5 "200 FIN_WAIT2" ss_is fin-wait-2 200
wait_until 5 "200 CLOSE_WAIT" ss_is close-wait 200
pt_sample_after
pt_stop
n=$PT_AFTER

assert_eq "sample 1 client row ephemeral" "$(pt_row "$client" ephemeral 1)" 400
assert_eq "states.FIN_WAIT2" "$(pt .states.FIN_WAIT2 "$n")" 200
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use "$n")" 400
assert_eq "destination FIN_WAIT2" "$(pt_dest 127.0.0.1 127.0.0.1 8080 states.FIN_WAIT2 "$n")" 200
assert_eq "destination ESTABLISHED" "$(pt_dest 127.0.0.1 127.0.0.1 8080 states.ESTABLISHED "$n")" 200
assert_eq "client row ephemeral (open + orphans)" "$(pt_row "$client" ephemeral "$n")" 400
assert_eq "client row tcp (open only)" "$(pt_row "$client" tcp "$n")" 200
assert_eq "client row time_wait (TIME_WAIT only)" "$(pt_row "$client" time_wait "$n")" 0
assert_eq "client row orphans" "$(pt_row "$client" orphans "$n")" 200
assert_eq "server row close_wait" "$(pt_row "$server" close_wait "$n")" 200
assert_eq "server row ephemeral" "$(pt_row "$server" ephemeral "$n")" 0
assert_eq "unattributed.FIN_WAIT2" "$(pt .unattributed.FIN_WAIT2 "$n")" 0
assert_eq "unattributed states" "$(pt '.unattributed | keys_unsorted | join(",")' "$n")" \
	"FIN_WAIT1,FIN_WAIT2,TIME_WAIT,LAST_ACK,CLOSING"
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed "$n")" 0

# --- porttop started after the close ---------------------------------------------------
porttop_json
assert_eq "late: states.FIN_WAIT2" "$(pt .states.FIN_WAIT2)" 200
assert_eq "late: client row ephemeral (open only)" "$(pt_row "$client" ephemeral)" 200
assert_eq "late: client row orphans" "$(pt_row "$client" orphans)" 0
assert_eq "late: unattributed.FIN_WAIT2" "$(pt .unattributed.FIN_WAIT2)" 200
assert_eq "late: unattributed.TIME_WAIT" "$(pt .unattributed.TIME_WAIT)" 0
assert_eq "late: time_wait_unattributed" "$(pt .time_wait_unattributed)" 0

text="$NS_TMP/late.txt"
timeout 30 "$PORTTOP" -b >"$text" 2>"$text.err" || fatal "porttop -b failed: $(cat "$text.err")"
assert_eq "late: the text note" "$(grep 'not attributed' "$text")" \
	"TIME_WAIT not attributed to a process: 0 of 0; unattributed FIN_WAIT2 200"
ns_done
