#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real client runs a destination dry: redis-benchmark -k 0 (a new connection per
# request, closed by the client) against redis-server in a 100-port range with
# tcp_tw_reuse=0.  After 100 connections every port is in TIME_WAIT and
# redis-benchmark stops with "Cannot assign requested address".  porttop in eBPF
# mode, attached before, charges all 100 TIME_WAIT to redis-benchmark (gone by then)
# and counts exactly as many connect() failures for it, to 127.0.0.1:6379, as
# redis-benchmark reported itself.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099 0
bpf_need
command -v redis-server >/dev/null || skip "redis-server not installed"
command -v redis-benchmark >/dev/null || skip "redis-benchmark (redis-tools) not installed"

ns_bg "$NS_TMP/redis.out" redis-server --port 6379 --bind 127.0.0.1 --save "" \
	--appendonly no --protected-mode no
server=$NS_BG_PID
listening() { [ "$(ss -tlnH 'sport = :6379' | wc -l)" -eq 1 ]; }
wait_until 10 "redis-server to listen" listening

PT_OUT="$NS_TMP/live.json"
ns_bg "$PT_OUT" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 1000 -d 0.5 --format json --bpf=on
porttop_pid=$NS_BG_PID
wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1

# at most 300 requests, each on its own connection; it stops at the first failure
# (started directly, not under timeout(1), so that its pid is the one porttop sees;
# the wait for it is bounded instead)
ns_bg "$NS_TMP/bench.out" redis-benchmark -h 127.0.0.1 -p 6379 -k 0 -c 1 -n 300 -t ping -q
bench=$NS_BG_PID
timeout 30 tail --pid="$bench" -f /dev/null || kill "$bench"
wait "$bench"
rc=$?
bench_failed=$(grep -o "Cannot assign requested address" "$NS_TMP/bench.out" "$NS_TMP/bench.out.err" | wc -l)
assert_eq "redis-benchmark exit status (it gave up)" "$rc" 1
assert_num "redis-benchmark's own EADDRNOTAVAIL reports" "$bench_failed" -ge 1
wait_until 5 "100 sockets in TIME_WAIT" ss_is time-wait 100
lines=$(wc -l <"$PT_OUT")
wait_until 10 "two more samples" has_lines "$PT_OUT" $((lines + 2))
kill "$porttop_pid"

assert_eq "time_wait" "$(pt .time_wait)" 100
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed)" 0
assert_eq "redis-benchmark's row: command" "$(pt_row "$bench" command)" redis-benchmark
assert_eq "redis-benchmark's row: time_wait" "$(pt_row "$bench" time_wait)" 100
assert_eq "redis-benchmark's row: exited" "$(pt_row "$bench" exited)" true
assert_eq "redis-server's row: time_wait" "$(pt_row "$server" time_wait)" 0
assert_eq "destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 6379 in_use)" 100
assert_eq "connect_failures.total" "$(pt .connect_failures.total)" "$bench_failed"
assert_eq "failing processes" "$(pt '[.connect_failures.processes[].pid] | tostring')" "[$bench]"
assert_eq "their command" "$(pt '.connect_failures.processes[0].command')" redis-benchmark
assert_eq "its destination" \
	"$(pt '.connect_failures.processes[0].destinations | map("\(.remote):\(.port)=\(.count)") | join(" ")')" \
	"127.0.0.1:6379=$bench_failed"
assert_eq "destination failures" "$(pt_dest 127.0.0.1 127.0.0.1 6379 connect_failures)" "$bench_failed"
ns_done
