#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# eBPF mode names the client that exhausts a destination, however short its
# connections: a client connects and closes until every one of the 100 ports is in
# TIME_WAIT (tcp_tw_reuse=0), then goes on trying until connect() has failed 37 times
# with EADDRNOTAVAIL.  porttop, attached before, reports exactly those 37 failures for
# that pid and destination, and charges all 100 TIME_WAIT to it.  The same client in a
# second namespace at the same time leaves no trace.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099 0
bpf_need
command -v nsenter >/dev/null || skip "nsenter (util-linux) not installed"

# the second namespace: held open by a sleep, entered with nsenter (which execs)
ns_bg /dev/null unshare -n sleep "$NS_DEADLINE"
other=$NS_BG_PID
in_other_ns() { [ "$(readlink "/proc/$other/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }
wait_until 5 "the second namespace" in_other_ns
nsenter -t "$other" -n ip link set lo up || fatal "cannot bring lo up in the second namespace"
nsenter -t "$other" -n sh -c 'echo "40000 40099" >/proc/sys/net/ipv4/ip_local_port_range &&
	echo 0 >/proc/sys/net/ipv4/tcp_tw_reuse && echo 1 >/proc/sys/net/ipv4/tcp_rfc1337' ||
	fatal "cannot set the second namespace's sysctls"

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
nl_spawn oserver "$NETLOAD" nsenter -t "$other" -n -- "$NETLOAD" --deadline "$NS_DEADLINE"
nl_ok oserver "listen 127.0.0.1 8080" "ok 8080"
nl_spawn oclient "$NETLOAD" nsenter -t "$other" -n -- "$NETLOAD" --deadline "$NS_DEADLINE"
client=${NL_PID[client]} oclient=${NL_PID[oclient]}

PT_OUT="$NS_TMP/live.json"
ns_bg "$PT_OUT" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 1000 -d 0.5 --format json
porttop_pid=$NS_BG_PID
wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1
assert_eq "sample 1: bpf" "$(pt .bpf 1)" true

# both clients at once: send both commands, then read both answers
printf 'churnfail 127.0.0.1 8080 37\n' >&"${NL_IN[client]}"
printf 'churnfail 127.0.0.1 8080 50\n' >&"${NL_IN[oclient]}"
read -r -t 30 reply <&"${NL_OUT[client]}" || fatal "the client did not answer"
read -r -t 30 oreply <&"${NL_OUT[oclient]}" || fatal "the other namespace's client did not answer"
# (at least 100 succeed: on a loaded machine an RST may end a TIME_WAIT early, RFC 1337)
assert_match "the client's own count" "$reply" "^ok (1[0-9][0-9]) failed 37 EADDRNOTAVAIL$"
made=$(awk '{ print $2 }' <<<"$reply")
assert_match "the other namespace's client" "$oreply" "^ok (1[0-9][0-9]) failed 50 EADDRNOTAVAIL$"
wait_until 5 "100 sockets in TIME_WAIT" ss_is time-wait 100
lines=$(wc -l <"$PT_OUT")
wait_until 10 "two more samples" has_lines "$PT_OUT" $((lines + 2))
kill "$porttop_pid"

assert_eq "bpf" "$(pt .bpf)" true
assert_eq "connect_failures.total" "$(pt .connect_failures.total)" 37
assert_eq "failing processes" "$(pt '[.connect_failures.processes[].pid] | tostring')" "[$client]"
assert_eq "the client's failures" "$(pt ".connect_failures.processes[0].count")" 37
assert_eq "its destination" \
	"$(pt '.connect_failures.processes[0].destinations | map("\(.remote):\(.port)=\(.count)") | join(" ")')" \
	"127.0.0.1:8080=37"
assert_eq "per_sec once the failures stopped" "$(pt .connect_failures.per_sec)" 0
assert_eq "client row connect_failures" "$(pt_row "$client" connect_failures)" 37
assert_eq "client row time_wait (every TIME_WAIT is its)" "$(pt_row "$client" time_wait)" 100
assert_eq "client row exited (it holds nothing, but runs)" "$(pt_row "$client" exited)" false
assert_eq "time_wait" "$(pt .time_wait)" 100
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed)" 0
assert_eq "the other namespace's client has no row" "$(pt_row "$oclient" pid)" no-row
assert_eq "destination failures" "$(pt_dest 127.0.0.1 127.0.0.1 8080 connect_failures)" 37
# NEW/s is exact: over the samples, rate x interval adds up to the connections made
assert_eq "the client's NEW/s x interval, summed" \
	"$(jq -s --argjson c "$client" 'map(([.processes[] | select(.pid == $c) | .new_per_sec // 0] | add // 0)
	   * .interval) | add | round' "$PT_OUT")" "$made"
# while it failed, some sample saw a rate: the failures counted per second
assert_num "highest connect_failures.per_sec seen" \
	"$(jq -s '[.[].connect_failures.per_sec // 0] | max' "$PT_OUT")" -gt 0
ns_done
