#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# UDP sockets draw from the same range but are a separate pool from TCP.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_client_server 5
porttop_json
tcp_before=$(pt .tcp.in_use)
states_before=$(pt '.states | tostring')
assert_eq "tcp.in_use before" "$tcp_before" 5
assert_eq "udp.in_use before" "$(pt .udp.in_use)" 0

nl_start udp
nl_ok udp "udp 127.0.0.1 20" "ok 20"
udp=${NL_PID[udp]}

porttop_json
assert_eq "udp.in_use" "$(pt .udp.in_use)" 20
assert_eq "udp.percent" "$(pt .udp.percent)" 20
assert_eq "tcp.in_use unchanged" "$(pt .tcp.in_use)" "$tcp_before"
assert_eq "TCP states unchanged" "$(pt '.states | tostring')" "$states_before"
assert_eq "udp row udp" "$(pt_row "$udp" udp)" 20
assert_eq "udp row tcp" "$(pt_row "$udp" tcp)" 0
assert_eq "udp row ephemeral" "$(pt_row "$udp" ephemeral)" 20

# UDP ports are per local address: sockets on ::1 may reuse the port numbers of those
# on 127.0.0.1, and in_use counts distinct ports, as ss lists them
nl_ok udp "udp ::1 10" "ok 10"
porttop_json
distinct=$(ss -uanH | awk '{ sub(/.*:/, "", $4); print $4 }' | sort -u | wc -l)
assert_eq "udp.in_use = distinct local ports in ss -uan" "$(pt .udp.in_use)" "$distinct"
assert_num "udp.in_use with IPv6" "$(pt .udp.in_use)" -ge 20
assert_eq "udp row udp with IPv6" "$(pt_row "$udp" udp)" 30
assert_eq "tcp.in_use still unchanged" "$(pt .tcp.in_use)" "$tcp_before"
ns_done
