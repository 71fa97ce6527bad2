#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The client closes 30 of its 60 connections first (active closer): their ports stay
# held in TIME_WAIT, and porttop, having seen them open in its first sample, names
# the client as the owner of those TIME_WAIT sockets in a sample taken after.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_client_server 60
client=${NL_PID[client]} server=${NL_PID[server]}

pt_follow -d 1
nl_ok client "close 30" "ok 30"
# the server closes its ends when it reads EOF, then the client's go to TIME_WAIT
wait_until 5 "30 sockets in TIME_WAIT" ss_is time-wait 30
pt_sample_after
pt_stop
n=$PT_AFTER

assert_eq "sample 1 states.TIME_WAIT" "$(pt .states.TIME_WAIT 1)" 0
assert_eq "sample 1 client row established" "$(pt_row "$client" established 1)" 60
assert_eq "sample 1 client row new_per_sec (no rate yet)" "$(pt_row "$client" new_per_sec 1)" null
assert_eq "client row new_per_sec (nothing opened since)" "$(pt_row "$client" new_per_sec "$n")" 0
assert_eq "states.TIME_WAIT" "$(pt .states.TIME_WAIT "$n")" 30
assert_eq "states.ESTABLISHED" "$(pt .states.ESTABLISHED "$n")" 60
assert_eq "tcp.in_use" "$(pt .tcp.in_use "$n")" 60
assert_eq "tcp.established" "$(pt .tcp.established "$n")" 30
assert_eq "tcp.time_wait" "$(pt .tcp.time_wait "$n")" 30
assert_eq "time_wait" "$(pt .time_wait "$n")" 30
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed "$n")" 0
assert_eq "client row time_wait" "$(pt_row "$client" time_wait "$n")" 30
assert_eq "client row tcp" "$(pt_row "$client" tcp "$n")" 30
assert_eq "client row established" "$(pt_row "$client" established "$n")" 30
assert_eq "client row ephemeral" "$(pt_row "$client" ephemeral "$n")" 60
assert_eq "client row time_wait_percent" "$(pt_row "$client" time_wait_percent "$n")" 50
assert_eq "server row time_wait" "$(pt_row "$server" time_wait "$n")" 0
assert_eq "server row tcp" "$(pt_row "$server" tcp "$n")" 31
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use "$n")" 60
assert_eq "destination TIME_WAIT" "$(pt_dest 127.0.0.1 127.0.0.1 8080 states.TIME_WAIT "$n")" 30
ns_done
