#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bind() to port 0 draws from the range per local address, and needs a port that no
# conflicting socket holds: 100 binds on 127.0.0.1 exhaust a range of 100 (EADDRINUSE),
# 127.0.0.2 still gets its own 100, the IPv6 wildcard shares the IPv4 tables and
# fails, ::1 binds from the same IPv4 range; ports held by plain connects from an
# address are taken for bind(0) on that address.  porttop's TCP pool counts distinct
# ports, so it is exact for wildcard binds and a worst case for the others.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

# in_range PORTS...: every port in 40000-40099
in_range() {
	local p
	for p in "$@"; do ((p >= 40000 && p <= 40099)) || return 1; done
}

nl_start a
nl_ok a "bind 127.0.0.1 100" "ok 100"
nl_ok a "bind 127.0.0.1 1" "err EADDRINUSE after 0"
porttop_json
assert_eq "127.0.0.1 exhausted: tcp.in_use" "$(pt .tcp.in_use)" 100
assert_eq "127.0.0.1 exhausted: tcp.percent" "$(pt .tcp.percent)" 100
assert_eq "127.0.0.1 exhausted: states.BOUND" "$(pt .states.BOUND)" 100

nl_start b
nl_ok b "bind 127.0.0.2 100" "ok 100"
nl_ok b "bind 127.0.0.2 1" "err EADDRINUSE after 0"
nl_start v6
nl_ok v6 "bind :: 1" "err EADDRINUSE after 0"
nl_ok v6 "bind ::1 1" "ok 1"
nl_cmd v6 ports
read -r -a v6ports <<<"$NL_REPLY"
assert_eq "::1 got one port" "${v6ports[0]}" 1
assert_true "the ::1 port (${v6ports[1]:-none}) comes from net.ipv4.ip_local_port_range" in_range "${v6ports[1]:-0}"
porttop_json
assert_eq "two addresses, IPv6 too: states.BOUND" "$(pt .states.BOUND)" 201
assert_eq "tcp.in_use counts distinct ports" "$(pt .tcp.in_use)" 100

for name in a b v6; do
	nl_ok "$name" quit bye
	wait "${NL_PID[$name]}"
done

nl_client_server 60
nl_start c
nl_ok c "bind 127.0.0.1 100" "err EADDRINUSE after 40"
nl_ok c "bind 127.0.0.2 100" "ok 100"
porttop_json
assert_eq "after the connects: states.BOUND" "$(pt .states.BOUND)" 140
assert_eq "after the connects: tcp.in_use" "$(pt .tcp.in_use)" 100
ns_done
