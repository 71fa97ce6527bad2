#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# connect() tries the ports of the range start's parity first and bind(0) the other
# parity, so the two rarely compete until the range is half full.  porttop's range
# prompt warns about a range whose ends have the same parity: then the two halves
# are no longer the same size.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

# parities PORTS...: "even", "odd" or "mixed"
parities() {
	local p even=0 odd=0
	for p in "$@"; do if ((p % 2)); then odd=$((odd + 1)); else even=$((even + 1)); fi; done
	if ((odd == 0 && even > 0)); then echo even; elif ((even == 0 && odd > 0)); then echo odd; else echo mixed; fi
}
# client_ports PORT: the local ports of the connections to 127.0.0.1:PORT
client_ports() {
	ss -tanH state established "( dport = :$1 )" | awk '{ sub(/.*:/, "", $3); print $3 }'
}

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_ok server "listen 127.0.0.1 8081" "ok 8081"
nl_start client
nl_ok client "connect 127.0.0.1 8080 20" "ok 20"
nl_ok client "bind 127.0.0.2 20" "ok 20"
nl_wait_accepted server 20
mapfile -t ports < <(client_ports 8080)
assert_eq "connect()ed sockets" "${#ports[@]}" 20
assert_eq "range 40000-40099: connect() takes even ports" "$(parities "${ports[@]}")" even
nl_cmd client ports
read -r -a bound <<<"$NL_REPLY"
assert_eq "bound sockets" "${bound[0]}" 20
assert_eq "range 40000-40099: bind(0) takes odd ports" "$(parities "${bound[@]:1}")" odd

ns_sysctl ip_local_port_range "40001 40100"
nl_ok client "connect 127.0.0.1 8081 20" "ok 20"
nl_wait_accepted server 40
mapfile -t ports < <(client_ports 8081)
assert_eq "range 40001-40100: connect() takes odd ports" "$(parities "${ports[@]}")" odd
ns_done
