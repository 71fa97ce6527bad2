#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Sockets that are only bind()-ed hold a port of the range: the kernel reports them
# only when asked for TCP_BOUND_INACTIVE (ss 6.1 misses them).  connect() skips their
# ports for every destination, so they shrink each destination's capacity; so does a
# listener, whatever its address, and connect() runs out exactly there.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start holder
nl_ok holder "bind 127.0.0.1 20" "ok 20"
holder=${NL_PID[holder]}

porttop_json
assert_eq "tcp.in_use" "$(pt .tcp.in_use)" 20
assert_eq "tcp.other" "$(pt .tcp.other)" 20
assert_eq "states.BOUND" "$(pt .states.BOUND)" 20
assert_eq "states.CLOSE" "$(pt .states.CLOSE)" 0
assert_eq "holder row tcp" "$(pt_row "$holder" tcp)" 20
assert_eq "holder row ephemeral" "$(pt_row "$holder" ephemeral)" 20
assert_eq "no destinations yet" "$(pt '.destinations | length')" 0

nl_client_server 1

porttop_json
assert_eq "tcp.in_use with a connection" "$(pt .tcp.in_use)" 21
assert_eq "states.BOUND with a connection" "$(pt .states.BOUND)" 20
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use)" 1
assert_eq "destination capacity (100 - 20 bound)" "$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 80

# a listener on another local address, on a port of the range nothing holds yet: not
# one ss shows, nor one of the holder's (ss 6.1 does not show bound-only sockets)
nl_cmd holder ports
used=" $(ss -tanH | awk '{ sub(/.*:/, "", $4); printf "%s ", $4 }') ${NL_REPLY#* } "
for ((port = 40000; port <= 40099; port++)); do [[ $used == *" $port "* ]] || break; done
nl_ok server "listen 127.0.0.5 $port" "ok $port"
porttop_json
assert_eq "destination capacity (100 - 20 bound - 1 listener on 127.0.0.5:$port)" \
	"$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 79
nl_ok client "connect 127.0.0.1 8080 78" "ok 78"
nl_ok client "connect 127.0.0.1 8080 1" "err EADDRNOTAVAIL after 0"
nl_wait_accepted server 79
porttop_json
assert_eq "connect() ran out at the capacity: in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use)" 79
assert_eq "connect() ran out at the capacity: percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 percent)" 100
ns_done
