#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One bind() pool per local address: bind(0) on 127.0.0.1 exhausts a range of 100
# (EADDRINUSE) while 127.0.0.2 still gets its own 100; porttop shows two bind pools,
# each full, and names the first one full as the pool that fails first, with the call.
# The bound ports are taken from every destination too: a plain connect() then finds
# none (EADDRNOTAVAIL), which the destinations' capacity says.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

# bp ADDR FIELD: a field of the TCP bind pool of ADDR, or "no-pool".
bp() {
	pt "[.bind_pools[] | select(.local == \"$1\" and .protocol == \"tcp\")]
	    | if length == 0 then \"no-pool\" else .[0].$2 end"
}

nl_start a
nl_ok a "bind 127.0.0.1 100" "ok 100"
nl_ok a "bind 127.0.0.1 1" "err EADDRINUSE after 0"
porttop_json
assert_eq "127.0.0.1: in_use" "$(bp 127.0.0.1 in_use)" 100
assert_eq "127.0.0.1: capacity" "$(bp 127.0.0.1 capacity)" 100
assert_eq "127.0.0.1: percent" "$(bp 127.0.0.1 percent)" 100
assert_eq "127.0.0.1: forecast" "$(bp 127.0.0.1 forecast.trend)" full
assert_eq "127.0.0.2 has no socket, no pool" "$(bp 127.0.0.2 in_use)" no-pool
assert_eq "first to fail" "$(pt .first_to_fail.pool)" "bind 127.0.0.1"
assert_eq "first to fail: the call" "$(pt .first_to_fail.call)" "bind() EADDRINUSE"
assert_eq "bound ports are taken from every destination" "$(pt .connect_blocked)" 100
text=$(LC_ALL=C timeout 30 "$PORTTOP" -b 2>&1)
assert_true "text: the bind pool line" grep -qE '^  tcp +127\.0\.0\.1 +100 +100 +100\.0; full now$' <<<"$text"
assert_true "text: the pool that fails first" \
	grep -qxF "First to fail: bind 127.0.0.1, 100 % full: bind() EADDRINUSE, full now" <<<"$text"
prom=$(timeout 30 "$PORTTOP" -b --format prometheus 2>&1)
assert_true "prometheus: the bind pool" \
	grep -qxF 'porttop_bind_pool_ports_in_use{protocol="tcp",local="127.0.0.1"} 100' <<<"$prom"
assert_true "prometheus: full now" \
	grep -qxF 'porttop_seconds_to_full{pool="bind",protocol="tcp",local="127.0.0.1"} 0.0' <<<"$prom"

# the other address is unaffected: its own 100, then its own EADDRINUSE
nl_start b
nl_ok b "bind 127.0.0.2 100" "ok 100"
nl_ok b "bind 127.0.0.2 1" "err EADDRINUSE after 0"
porttop_json
assert_eq "two bind pools" "$(pt '[.bind_pools[] | select(.protocol == "tcp")] | length')" 2
assert_eq "127.0.0.1 still full" "$(bp 127.0.0.1 percent)" 100
assert_eq "127.0.0.2 full on its own" "$(bp 127.0.0.2 in_use)" 100
assert_eq "127.0.0.2: percent" "$(bp 127.0.0.2 percent)" 100

# and what a plain connect() has left: nothing, whatever its source
nl_start server
nl_ok server "listen 127.0.0.3 8080" "ok 8080"
nl_start client
nl_ok client "connect 127.0.0.3 8080 1" "err EADDRNOTAVAIL after 0"
porttop_json
assert_eq "every port is bound somewhere" "$(pt .connect_blocked)" 100

# one address freed: its pool empties, the other stays full
nl_ok a quit bye
wait "${NL_PID[a]}"
porttop_json
assert_eq "127.0.0.1 gone with its sockets" "$(bp 127.0.0.1 in_use)" no-pool
assert_eq "127.0.0.2 still full" "$(bp 127.0.0.2 percent)" 100
nl_start c
nl_ok c "bind 127.0.0.1 100" "ok 100"
ns_done
