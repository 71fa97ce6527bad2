# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Helpers of the Prometheus tests, sourced after lib.sh:
#
#   prom_value FILE 'porttop_ports_in_use{protocol="tcp"}'   # the sample's value, or "no-series"
#   prom_series FILE NAME                                     # how many samples NAME has
#   fleet_load                                                # the known load below
#   fleet_open; ...; fleet_close                              # the same in two steps
#
# The known load, in a namespace with range 40000-40099 and tcp_tw_reuse 0: a server
# on 127.0.0.1:8080; "evil1" (named with ESC and BEL) holds 40 connections to it;
# "evil2" (named with a quote, a backslash, a brace, a newline and a byte that is not
# UTF-8) opened 20 and closed 10 (TIME_WAIT, charged to it through the cookies) and
# binds 5 UDP sockets.  So TCP holds 60 of 100 ports, the destination is 60 % full,
# UDP 5 %.

prom_value() {
	awk -v s="$2" '$1 == s { print $2; found = 1; exit } END { if (!found) print "no-series" }' "$1"
}

prom_series() {
	grep -c "^$2[{ ]" "$1"
}

fleet_load() {
	fleet_open
	fleet_close
}

# the connections, all established
fleet_open() {
	nl_start server
	nl_ok server "listen 127.0.0.1 8080" "ok 8080"
	nl_start evil1
	nl_ok evil1 'name \033]0;pwned\007' ok
	nl_ok evil1 "connect 127.0.0.1 8080 40" "ok 40"
	nl_start evil2
	nl_ok evil2 'name q"\\}\n,x="\xff' ok
	nl_ok evil2 "connect 127.0.0.1 8080 20" "ok 20"
	nl_wait_accepted server 60
}

# evil2 closes 10 of them (TIME_WAIT) and binds its UDP sockets
fleet_close() {
	nl_ok evil2 "close 10" "ok 10"
	wait_until 10 "10 TIME_WAIT sockets" ss_is time-wait 10
	nl_ok evil2 "udp 127.0.0.1 5" "ok 5"
}
