#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 60 established connections from one client to one server: the pool, the state
# histogram and both processes' rows count them exactly.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_client_server 60

porttop_json
client=${NL_PID[client]} server=${NL_PID[server]}
assert_eq "tcp.in_use" "$(pt .tcp.in_use)" 60
assert_eq "tcp.established" "$(pt .tcp.established)" 60
assert_eq "states.ESTABLISHED" "$(pt .states.ESTABLISHED)" 120
assert_eq "states.LISTEN" "$(pt .states.LISTEN)" 1
assert_eq "client row ephemeral" "$(pt_row "$client" ephemeral)" 60
assert_eq "client row tcp" "$(pt_row "$client" tcp)" 60
assert_eq "client row established" "$(pt_row "$client" established)" 60
assert_eq "server row tcp" "$(pt_row "$server" tcp)" 61
assert_eq "server row ephemeral" "$(pt_row "$server" ephemeral)" 0
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use)" 60
assert_eq "destination capacity" "$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 100
assert_eq "range.usable" "$(pt .range.usable)" 100
assert_eq "sockets_unowned" "$(pt .sockets_unowned)" 0
ns_done
