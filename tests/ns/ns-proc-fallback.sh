#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --source proc reads /proc/net/tcp{,6} instead of netlink: it says so, and counts
# the same connections.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_client_server 10

porttop_json --source netlink
assert_eq "netlink: source" "$(pt .source)" netlink
netlink_estab=$(pt .states.ESTABLISHED)
assert_eq "netlink: states.ESTABLISHED" "$netlink_estab" 20
netlink_in_use=$(pt .tcp.in_use)

porttop_json --source proc
assert_eq "proc: source" "$(pt .source)" proc
assert_eq "proc: states.ESTABLISHED = netlink's" "$(pt .states.ESTABLISHED)" "$netlink_estab"
assert_eq "proc: states.LISTEN" "$(pt .states.LISTEN)" 1
assert_eq "proc: tcp.in_use = netlink's" "$(pt .tcp.in_use)" "$netlink_in_use"
assert_eq "proc: client row established" "$(pt_row "${NL_PID[client]}" established)" 10
assert_eq "proc: server row tcp" "$(pt_row "${NL_PID[server]}" tcp)" 11
ns_done
