#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# eBPF mode over IPv6: births are filed under the IPv6 4-tuple the sampler reports,
# so the TIME_WAIT a client leaves towards [::1]:8080 is charged to it, and a
# failing connect() names the IPv6 destination it asked for.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099 0
bpf_need

nl_start server
nl_ok server "listen ::1 8080" "ok 8080"
nl_start client
client=${NL_PID[client]}
nl_portrange client 40000 40004

PT_OUT="$NS_TMP/live.json"
ns_bg "$PT_OUT" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 1000 -d 0.3 --format json
porttop_pid=$NS_BG_PID
wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1
nl_ok client "churnfail ::1 8080 3" "ok 5 failed 3 EADDRNOTAVAIL"
wait_until 5 "5 sockets in TIME_WAIT" ss_is time-wait 5
lines=$(wc -l <"$PT_OUT")
wait_until 10 "two more samples" has_lines "$PT_OUT" $((lines + 2))
kill "$porttop_pid"

assert_eq "time_wait" "$(pt .time_wait)" 5
assert_eq "client row time_wait" "$(pt_row "$client" time_wait)" 5
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed)" 0
assert_eq "its failures" "$(pt ".connect_failures.processes[] | select(.pid == $client) | .count")" 3
assert_eq "the IPv6 destination" \
	"$(pt '.connect_failures.processes[0].destinations | map("\(.remote) \(.port) \(.count)") | join(",")')" \
	"::1 8080 3"
ns_done
