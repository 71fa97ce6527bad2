#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The failures reach every batch output.  A client whose sockets may use only 5 ports
# (IP_LOCAL_PORT_RANGE) exhausts them while the namespace's 100-port range stays at
# 5 %: the check is OK by the percentages, and only the failures that grow while it
# samples make it CRITICAL, naming the client and its destination.  Text and
# Prometheus carry the same counts.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099 0
bpf_need

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
client=${NL_PID[client]}
nl_portrange client 40000 40004

# quiet: a check without failures is OK
out=$(timeout 30 "$PORTTOP" -b -n 2 -d 0.3 --format check)
assert_eq "check exit status without failures" "$?" 0
assert_match "check without failures" "$(tail -n 1 <<<"$out")" '^PORTTOP OK - .*connect_failures=0c$'

# three batch runs record while the client fails, and go on sampling after it stopped:
# 30 samples (15 s), of which the failures take about 2 s here, so that the last samples
# come after them on a machine several times slower too (and the check's own timeout,
# 10 s by default, set well beyond the run)
ns_bg "$NS_TMP/check.out" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 30 -d 0.5 --format check --warning 50 --critical 60 -t 120
check=$NS_BG_PID
ns_bg "$NS_TMP/text.out" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 30 -d 0.5
text=$NS_BG_PID
ns_bg "$NS_TMP/prom.out" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 30 -d 0.5 --format prometheus
prom=$NS_BG_PID
wait_until 10 "the check's first sample" has_lines "$NS_TMP/check.out" 1
wait_until 10 "the text's first sample" grep -q '^TIME_WAIT not attributed' "$NS_TMP/text.out"
wait_until 10 "prometheus' first sample" grep -q '^porttop_bpf 1' "$NS_TMP/prom.out"
nl_ok client "churnfail 127.0.0.1 8080 10" "ok 5 failed 10 EADDRNOTAVAIL"
for _ in 1 2 3 4 5 6; do
	nl_ok client "churnfail 127.0.0.1 8080 10" "ok 0 failed 10 EADDRNOTAVAIL"
	sleep 0.25
done
failures_done=$(wc -l <"$NS_TMP/check.out")
wait "$check"
assert_eq "check exit status: CRITICAL while connect() failed" "$?" 2
assert_match "the check names the failing client" "$(grep CRITICAL "$NS_TMP/check.out" | head -n 1)" \
	"^PORTTOP CRITICAL - connect\(\) failing: [0-9.]+/s - netload \($client\) -> 127\.0\.0\.1:8080 \|.* connect_failures=[0-9]+c$"
# its last sample came after the failures stopped: OK by the percentages, the count kept
assert_num "check samples written before the failures stopped" "$failures_done" -le 28
assert_match "the check's last sample" "$(tail -n 1 "$NS_TMP/check.out")" \
	'^PORTTOP OK - .* tcp_ports=5\.00%;.* connect_failures=70c$'

wait "$text"
out=$(awk '/^porttop - / { block = "" } { block = block $0 "\n" } END { printf "%s", block }' "$NS_TMP/text.out")
assert_match "text: the failures" "$out" "connect\(\) failures for want of a port \(eBPF\): 70, 0\.0/s"
assert_match "text: the client's line" "$out" "$client netload +70  127\.0\.0\.1:8080 70"
assert_match "text: the destination" "$out" "127\.0\.0\.1:8080 .*\(connect\(\) failed 70 times\)"
assert_match "text: a FAIL/s column" "$out" "NEW/s FAIL/s HANDLES COMMAND"

wait "$prom"
out=$(awk '/^# HELP porttop_range_low / { block = "" } { block = block $0 "\n" } END { printf "%s", block }' "$NS_TMP/prom.out")
assert_match "prometheus: porttop_bpf" "$out" $'\nporttop_bpf 1\n'
assert_match "prometheus: total" "$out" $'\nporttop_connect_failures_total 70\n'
assert_match "prometheus: per process and destination" "$out" \
	"porttop_process_connect_failures_total\{pid=\"$client\",user=\"root\",command=\"netload\",remote=\"127.0.0.1\",port=\"8080\"\} 70"
ns_done
