#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The same exhaustion with tcp_tw_reuse=2 (the kernel default: loopback only): the
# destination is 100 % used, but once its TIME_WAIT sockets are older than 1 s
# connect() takes them again (tcp_twsk_unique).  porttop reports them as reusable and
# the destination as no longer blocked, and a real connect() proves it.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40009 2

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
# reuse only applies after 1-2 s, so a fast churn still runs out
nl_cmd client "churn 127.0.0.1 8080 1000"
assert_match "churn ends with EADDRNOTAVAIL" "$NL_REPLY" '^exhausted EADDRNOTAVAIL after '
wait_until 5 "10 sockets in TIME_WAIT" ss_is time-wait 10

sleep 2.5  # "more than 1 s" in whole seconds: up to 2 s
porttop_json
assert_eq "destination percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 percent)" 100
assert_eq "destination reusable" "$(pt_dest 127.0.0.1 127.0.0.1 8080 reusable)" 10
assert_eq "destination blocked_percent" "$(pt_dest 127.0.0.1 127.0.0.1 8080 blocked_percent)" 0
nl_ok client "connect 127.0.0.1 8080 1" "ok 1"
ns_done
