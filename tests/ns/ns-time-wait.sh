#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The client closes 30 of its 60 connections first (active closer): their ports stay
# held in TIME_WAIT, and porttop, having seen them open in its first sample, names
# the client as the owner of those TIME_WAIT sockets in its second.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_client_server 60
client=${NL_PID[client]} server=${NL_PID[server]}

PT_OUT="$NS_TMP/two-samples.json"
ns_bg "$PT_OUT" timeout 30 "$PORTTOP" -b -n 2 -d 2 --format json
porttop_pid=$NS_BG_PID
wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1
nl_ok client "close 30" "ok 30"
# the server closes its ends when it reads EOF, then the client's go to TIME_WAIT
wait_until 5 "30 sockets in TIME_WAIT" ss_is time-wait 30
wait_until 10 "porttop's second sample" has_lines "$PT_OUT" 2
wait "$porttop_pid"
assert_eq "porttop exit status" "$?" 0
assert_eq "porttop printed two lines" "$(wc -l <"$PT_OUT")" 2

assert_eq "sample 1 states.TIME_WAIT" "$(pt .states.TIME_WAIT 1)" 0
assert_eq "sample 1 client row established" "$(pt_row "$client" established 1)" 60
assert_eq "sample 1 client row new_per_sec (no rate yet)" "$(pt_row "$client" new_per_sec 1)" null
assert_eq "client row new_per_sec (nothing opened since)" "$(pt_row "$client" new_per_sec 2)" 0
assert_eq "states.TIME_WAIT" "$(pt .states.TIME_WAIT 2)" 30
assert_eq "states.ESTABLISHED" "$(pt .states.ESTABLISHED 2)" 60
assert_eq "tcp.in_use" "$(pt .tcp.in_use 2)" 60
assert_eq "tcp.established" "$(pt .tcp.established 2)" 30
assert_eq "tcp.time_wait" "$(pt .tcp.time_wait 2)" 30
assert_eq "time_wait" "$(pt .time_wait 2)" 30
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed 2)" 0
assert_eq "client row time_wait" "$(pt_row "$client" time_wait 2)" 30
assert_eq "client row tcp" "$(pt_row "$client" tcp 2)" 30
assert_eq "client row established" "$(pt_row "$client" established 2)" 30
assert_eq "client row ephemeral" "$(pt_row "$client" ephemeral 2)" 60
assert_eq "client row time_wait_percent" "$(pt_row "$client" time_wait_percent 2)" 50
assert_eq "server row time_wait" "$(pt_row "$server" time_wait 2)" 0
assert_eq "server row tcp" "$(pt_row "$server" tcp 2)" 31
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use 2)" 60
assert_eq "destination TIME_WAIT" "$(pt_dest 127.0.0.1 127.0.0.1 8080 states.TIME_WAIT 2)" 30
ns_done
