#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Real exhaustion: 10 ports, tcp_tw_reuse=0, a client that connects and closes until
# connect() fails.  It fails with EADDRNOTAVAIL once TIME_WAIT holds every port of the
# destination, and porttop shows that destination at 100 %, held by TIME_WAIT.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40009 0

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_ok server "listen 127.0.0.1 8081" "ok 8081"
nl_start client
nl_cmd client "churn 127.0.0.1 8080 1000"
assert_eq "churn ends with EADDRNOTAVAIL after using the 10 ports" "$NL_REPLY" "exhausted EADDRNOTAVAIL after 10"
# the server closes its ends when it reads EOF; the client's then sit in TIME_WAIT
wait_until 5 "10 sockets in TIME_WAIT" ss_is time-wait 10

porttop_json
client=${NL_PID[client]}
assert_eq "range.usable" "$(pt .range.usable)" 10
assert_num "states.TIME_WAIT" "$(pt .states.TIME_WAIT)" -ge 10
assert_eq "tcp.in_use" "$(pt .tcp.in_use)" 10
assert_eq "tcp.percent" "$(pt .tcp.percent)" 100
assert_eq "tcp.time_wait (every port held by TIME_WAIT)" "$(pt .tcp.time_wait)" 10
assert_eq "tcp.established" "$(pt .tcp.established)" 0
assert_eq "tightest destination" "$(pt '.destinations[0] | "\(.local) -> \(.remote):\(.port)"')" \
	"127.0.0.1 -> 127.0.0.1:8080"
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use)" 10
assert_eq "destination capacity" "$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 10
assert_eq "destination percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 percent)" 100
assert_eq "destination reusable (tcp_tw_reuse=0)" "$(pt_dest 127.0.0.1 127.0.0.1 8080 reusable)" 0
assert_eq "destination blocked_percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 blocked_percent)" 100
assert_eq "destination held by TIME_WAIT" "$(pt_dest 127.0.0.1 127.0.0.1 8080 states.TIME_WAIT)" 10
# the churn opened and closed each connection between two refreshes: never seen open
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed)" 10

# what 100 % means: the next connect() to that destination fails, while with
# tcp_tw_reuse=0 another destination can still use the same 10 ports
nl_ok client "connect 127.0.0.1 8080 1" "err EADDRNOTAVAIL after 0"
nl_ok client "connect 127.0.0.1 8081 1" "ok 1"
ns_done
