#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The forecast on a load of known rate: 40 connect+close a second to 127.0.0.1:8080 in
# a range of 1000 ports with tcp_tw_reuse=0, so every connection holds its port for the
# 60 s of its TIME_WAIT and the destination fills at exactly 40 ports a second.  While it
# runs, the destination's NEW/s is 40 and "full in" is (1000 - held) / 40 seconds, each
# within 20 %; once it stops, the forecast turns to draining, and the ports it frees in
# the next 60 s are the TIME_WAIT sockets whose timer ss shows under 60 s.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40999

RATE=40
COUNT=480
PT_OUT="$NS_TMP/forecast.json"

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
ns_bg "$PT_OUT" timeout "$NS_DEADLINE" "$PORTTOP" -b --format json --delay 0.5 --iterations 1000
PT_PID=$NS_BG_PID
wait_until 10 "porttop's first samples" has_lines "$PT_OUT" 2
NS_REPLY_TIMEOUT=30 nl_ok client "pace 127.0.0.1 8080 $RATE $COUNT" "ok $COUNT"
LOADED=$(wc -l <"$PT_OUT")

# the last sample of the load with a third of the range or more held
load=$(head -n "$LOADED" "$PT_OUT" | jq -c 'select(.destinations[0].port == 8080
	and .destinations[0].in_use >= 300) | .destinations[0]' | tail -n 1)
[ -n "$load" ] || fatal "no sample during the load held 300 ports: $(tail -n 1 "$PT_OUT" | head -c 400)"
held=$(jq -r '.in_use - .reusable' <<<"$load")
truth=$(awk -v h="$held" -v r="$RATE" 'BEGIN { printf "%.2f", (1000 - h) / r }')
say "during the load: $(jq -c '{in_use, forecast, new_per_sec}' <<<"$load"); true time to full ${truth}s"
assert_num "NEW/s at $RATE/s" "$(jq -r .new_per_sec <<<"$load")" -ge "$((RATE * 8 / 10))"
assert_num "NEW/s at $RATE/s" "$(jq -r .new_per_sec <<<"$load")" -le "$((RATE * 12 / 10))"
assert_eq "trend while filling" "$(jq -r .forecast.trend <<<"$load")" filling
assert_num "seconds_to_full" "$(jq -r .forecast.seconds_to_full <<<"$load")" -ge "$(awk -v t="$truth" 'BEGIN { print t * 0.8 }')"
assert_num "seconds_to_full" "$(jq -r .forecast.seconds_to_full <<<"$load")" -le "$(awk -v t="$truth" 'BEGIN { print t * 1.2 }')"
assert_num "TIME_WAIT created per second" "$(jq -r .time_wait_created_per_sec <<<"$load")" -ge "$((RATE * 8 / 10))"
assert_num "no TIME_WAIT ends in the first minute" "$(jq -r .time_wait_expired_per_sec <<<"$load")" -eq 0

# draining: the sample that says so once the load has settled in TIME_WAIT (the
# server closes its ends as it reads them; on a busy machine an accept queue may
# overflow and the kernel reset a connection, which then leaves no TIME_WAIT)
no_closing() { [ "$(ss -tanH state fin-wait-1 state fin-wait-2 state last-ack state closing | wc -l)" -eq 0 ]; }
wait_until 10 "the load to settle in TIME_WAIT" no_closing
settled=$(ss_count time-wait)
assert_num "the load is in TIME_WAIT" "$settled" -ge "$((COUNT * 95 / 100))"
DRAINED='select(.destinations[0].forecast.trend == "draining" and .destinations[0].states.TIME_WAIT == '$settled') | .destinations[0]'
draining() {
	[ -n "$(tail -n +"$LOADED" "$PT_OUT" | jq -c "$DRAINED" | head -n 1)" ]
}
wait_until 25 "the forecast to turn to draining" draining
drained=$(tail -n +"$LOADED" "$PT_OUT" | jq -c "$DRAINED" | head -n 1)
# ss -o shows each timer as timer:(timewait,59sec,0), or 1min20sec, or 900ms
ss_frees=$(ss -tanoH state time-wait dst 127.0.0.1:8080 | grep -o 'timewait,[^,]*' |
	awk -F, '{ t = $2; s = 0
		if (t ~ /min/) { s += 60 * substr(t, 1, index(t, "min") - 1); t = substr(t, index(t, "min") + 3) }
		if (t ~ /ms$/) s += substr(t, 1, length(t) - 2) / 1000
		else if (t ~ /sec$/) s += substr(t, 1, length(t) - 3)
		if (s <= 60) n++ }
	     END { print n + 0 }')
say "after the load: $(jq -c '{in_use, forecast, new_per_sec}' <<<"$drained")"
assert_eq "ports freed in the next 60 s = TIME_WAIT timers under 60 s (ss)" \
	"$(jq -r .forecast.freeing_next_60s <<<"$drained")" "$ss_frees"
assert_eq "every TIME_WAIT of the load ends within 60 s" "$ss_frees" "$settled"
assert_eq "not filling any more" "$(jq -r .forecast.seconds_to_full <<<"$drained")" null
assert_num "NEW/s after the load" "$(jq -r .new_per_sec <<<"$drained")" -lt "$((RATE / 4))"
kill "$PT_PID" 2>/dev/null
ns_done
