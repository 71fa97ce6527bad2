#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel's own counters, per namespace (they start at 0 in a new one):
# 1. tcp_max_tw_buckets=10 and 40 connections the client closes first: the kernel
#    keeps 10 TIME_WAIT sockets and counts the 30 it refused in TCPTimeWaitOverflow
#    (inet_twsk_alloc).  A porttop running through it shows the counter red
#    (CRITICAL) in the sample that saw it move and yellow (WARNING) once it stopped;
#    a single batch sample afterwards, without a rate, shows it yellow.
# 2. With every port of the range in TIME_WAIT and tcp_tw_reuse=1, each connect()
#    takes a TIME_WAIT port over (tcp_twsk_unique): 50 connects between two samples
#    move TWRecycled by exactly 50.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client

# --- 1. TIME_WAIT overflow ------------------------------------------------------
ns_sysctl tcp_max_tw_buckets 10
PT_OUT="$NS_TMP/overflow.json"
ns_bg "$PT_OUT" "$PORTTOP" -b -n 0 -d 0.5 --format json
porttop_pid=$NS_BG_PID
each() { jq -R -r "fromjson? | $1" "$PT_OUT"; }  # every complete line porttop wrote
wait_until 60 "porttop's first sample" has_lines "$PT_OUT" 1
nl_ok client "churn 127.0.0.1 8080 40" "ok 40"
wait_until 30 "10 sockets in TIME_WAIT" ss_is time-wait 10
overflow_stopped() {
	[ "$(each 'select(.counters.TCPTimeWaitOverflow.total == 30 and
		.counters.TCPTimeWaitOverflow.per_sec == 0) | 1' | wc -l)" -ge 1 ]
}
wait_until 60 "a sample after the overflow stopped" overflow_stopped
kill "$porttop_pid"
wait "$porttop_pid"
# each sample's level by what the counter did since the one before (a churn slowed
# down on a loaded machine may move it in several samples, with a pause between)
levels=$(each '.counters.TCPTimeWaitOverflow | if .total == 0 then "OK" elif .per_sec > 0 then
	"moving-\(.level)" elif .per_sec == 0 then "stopped-\(.level)" else "?" end')
assert_eq "TCPTimeWaitOverflow: OK at 0, CRITICAL while moving, WARNING after it stopped" \
	"$(sort -u <<<"$levels" | tr '\n' ' ')" "OK moving-CRITICAL stopped-WARNING "
assert_eq "the last sample: stopped, WARNING" "$(tail -n 1 <<<"$levels")" stopped-WARNING
porttop_json
assert_eq "TIME_WAIT sockets" "$(pt .states.TIME_WAIT)" 10
assert_eq "TCPTimeWaitOverflow" "$(pt .counters.TCPTimeWaitOverflow.total)" 30
assert_eq "TCPTimeWaitOverflow level in one sample (no rate): WARNING" \
	"$(pt .counters.TCPTimeWaitOverflow.level)" WARNING
assert_eq "tcp_max_tw_buckets" "$(pt .counters.tcp_max_tw_buckets.max)" 10
assert_eq "TIME_WAIT against the cap" "$(pt .counters.tcp_max_tw_buckets.count)" 10
assert_eq "the cap is full" "$(pt .counters.tcp_max_tw_buckets.level)" CRITICAL
assert_eq "ActiveOpens" "$(pt .counters.ActiveOpens.total)" 40
assert_eq "PassiveOpens" "$(pt .counters.PassiveOpens.total)" 40
assert_eq "TWRecycled before reuse" "$(pt .counters.TWRecycled.total)" 0
assert_eq "no rate from one sample" "$(pt .counters.ActiveOpens.per_sec)" null
# the counters of the namespace watched, not porttop's own: from a fresh namespace
# (its counters all 0) with --netns pointing at this one
PT_OUT="$NS_TMP/netns.json"
unshare -n -- timeout 30 "$PORTTOP" -b --format json --netns "$$" >"$PT_OUT" ||
	fatal "porttop --netns $$ from a fresh namespace failed"
assert_eq "--netns: TCPTimeWaitOverflow of the namespace watched" \
	"$(pt .counters.TCPTimeWaitOverflow.total)" 30
assert_eq "--netns: its tcp_max_tw_buckets" "$(pt .counters.tcp_max_tw_buckets.max)" 10
assert_eq "--netns: its ActiveOpens" "$(pt .counters.ActiveOpens.total)" 40
prom=$(timeout 30 "$PORTTOP" -b --format prometheus)
assert_eq "Prometheus: TCPTimeWaitOverflow" \
	"$(grep -c '^porttop_kernel_events_total{name="TCPTimeWaitOverflow"} 30$' <<<"$prom")" 1
assert_eq "Prometheus: tcp_max_tw_buckets" "$(grep -c '^porttop_tcp_max_tw_buckets 10$' <<<"$prom")" 1

# --- 2. TIME_WAIT reuse ---------------------------------------------------------
ns_sysctl tcp_max_tw_buckets 1000
# tcp_tw_reuse is 0: the churn stops when every port of the range is in TIME_WAIT.
# On a loaded machine a connection can be reset on its way there (an accept queue that
# overflowed), which frees its port at once: then the churn runs again for the ports
# such resets left, once every socket but the listener is in TIME_WAIT
ss_settled() { [ "$(ss -tanH | grep -cvE '^(LISTEN|TIME-WAIT) ')" -eq 0 ]; }
for ((try = 0; try < 5; try++)); do
	nl_cmd client "churn 127.0.0.1 8080 200"
	assert_match "the range runs out" "$NL_REPLY" '^exhausted EADDRNOTAVAIL after '
	wait_until 30 "only TIME_WAIT and the listener" ss_settled
	ss_is time-wait 100 && break
	say "$(ss_count time-wait) of 100 ports in TIME_WAIT after a reset: churning again"
done
wait_until 30 "100 sockets in TIME_WAIT" ss_is time-wait 100
ns_sysctl tcp_tw_reuse 1
# a TIME_WAIT port is reused 1 s after its last timestamp (tcp_tw_reuse_delay): a
# kernel delay to let pass, not a wait for a result
sleep 1.5

PT_OUT="$NS_TMP/reuse.json"
ns_bg "$PT_OUT" "$PORTTOP" -b -n 0 -d 0.5 --format json
porttop_pid=$NS_BG_PID
each() { jq -R -r "fromjson? | $1" "$PT_OUT"; }  # every complete line porttop wrote
wait_until 60 "porttop's first sample" has_lines "$PT_OUT" 1
before=$(pt .counters.TWRecycled.total 1)
nl_ok client "churn 127.0.0.1 8080 50" "ok 50"
# the second line from now is a sample taken after the churn ended
lines=$(wc -l <"$PT_OUT")
wait_until 60 "a sample after the churn" has_lines "$PT_OUT" $((lines + 2))
kill "$porttop_pid"
wait "$porttop_pid"
after=$(pt .counters.TWRecycled.total $((lines + 2)))
assert_eq "TWRecycled moved by the 50 connects" "$((after - before))" 50
# the first sample that saw it move has a rate
rate=$(each "select(.counters.TWRecycled.total > $before) | .counters.TWRecycled.per_sec" | head -n 1)
assert_true "TWRecycled per_sec $rate > 0 where it moved" awk -v r="$rate" 'BEGIN { exit !(r > 0) }'
assert_eq "TWRecycled is normal work" "$(pt .counters.TWRecycled.level $((lines + 2)))" OK
assert_eq "still 100 TIME_WAIT" "$(pt .states.TIME_WAIT $((lines + 2)))" 100
ns_done
