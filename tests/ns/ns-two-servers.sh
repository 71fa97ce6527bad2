#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 90 connections to each of two servers in a range of 100 ports: a plain connect()
# reuses a local port for another destination, so 180 connections fit on at most
# 100 distinct ports, and each destination is 90 % full (not the pool at 180 %).
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_ok server "listen 127.0.0.1 8081" "ok 8081"
nl_start client
nl_ok client "connect 127.0.0.1 8080 90" "ok 90"
nl_ok client "connect 127.0.0.1 8081 90" "ok 90"
nl_wait_accepted server 180

porttop_json
client=${NL_PID[client]}
assert_num "tcp.in_use" "$(pt .tcp.in_use)" -gt 90
assert_num "tcp.in_use" "$(pt .tcp.in_use)" -le 100
assert_eq "states.ESTABLISHED" "$(pt .states.ESTABLISHED)" 360
assert_eq "number of destinations" "$(pt '.destinations | length')" 2
for port in 8080 8081; do
	assert_eq "destination :$port in_use" "$(pt_dest 127.0.0.1 127.0.0.1 $port in_use)" 90
	assert_eq "destination :$port capacity" "$(pt_dest 127.0.0.1 127.0.0.1 $port capacity)" 100
	assert_eq "destination :$port percent" "$(pt_dest 127.0.0.1 127.0.0.1 $port percent)" 90
done
assert_eq "client row tcp" "$(pt_row "$client" tcp)" 180
assert_eq "client row ephemeral" "$(pt_row "$client" ephemeral)" 180
ns_done
