#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reserved ports are cut out of the usable range, and connect() never gets one.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099
ns_sysctl ip_local_reserved_ports 40000-40009

porttop_json
assert_eq "range.low" "$(pt .range.low)" 40000
assert_eq "range.high" "$(pt .range.high)" 40099
assert_eq "range.size" "$(pt .range.size)" 100
assert_eq "range.reserved" "$(pt .range.reserved)" 10
assert_eq "range.usable" "$(pt .range.usable)" 90

# 90 connections fill the usable ports exactly; the kernel refuses the 91st
nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
nl_ok client "connect 127.0.0.1 8080 91" "err EADDRNOTAVAIL after 90"
nl_wait_accepted server 90

porttop_json
assert_eq "tcp.in_use" "$(pt .tcp.in_use)" 90
assert_eq "tcp.percent" "$(pt .tcp.percent)" 100
assert_eq "destination capacity" "$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 90
assert_eq "destination percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 percent)" 100
ns_done
