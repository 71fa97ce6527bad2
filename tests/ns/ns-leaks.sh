#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Leak detection on real sockets.  `leaker` never closes the connections its clients
# close (they stay in CLOSE_WAIT until close(): tcp_close), `tidy` closes each one
# when it reads EOF.  Both get the same clients doing the same thing.
# 1. 3 more closes, three times, each once porttop has seen the last: the leaker's
#    CLOSE_WAIT grows 0 3 6 9 and it is flagged with its growth; tidy holds no
#    CLOSE_WAIT and is never flagged.  The test waits for what porttop printed, so a
#    slow machine makes it slower, not wrong.
# 2. No growth at all, but --leak-age=1 and CLOSE_WAIT seen for 2 s: flagged by age;
#    with the default age (60 s) the same sockets flag nothing.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start leaker
nl_ok leaker "listen 127.0.0.1 8080 closewait" "ok 8080"
nl_start tidy
nl_ok tidy "listen 127.0.0.1 8081" "ok 8081"
nl_start c1
nl_start c2
nl_ok c1 "connect 127.0.0.1 8080 9" "ok 9"
nl_ok c2 "connect 127.0.0.1 8081 9" "ok 9"
nl_wait_accepted leaker 9
nl_wait_accepted tidy 9
leaker=${NL_PID[leaker]} tidy=${NL_PID[tidy]}

# --- 1. growth ------------------------------------------------------------------
PT_OUT="$NS_TMP/growth.json"
ns_bg "$PT_OUT" "$PORTTOP" -b -n 0 -d 1 --format json
porttop_pid=$NS_BG_PID
# every complete line porttop wrote, one figure of each
each() { jq -R -r "fromjson? | $1" "$PT_OUT"; }
leaker_cw() { each "[.processes[] | select(.pid == $leaker)][0].close_wait"; }
last_leaker_cw_is() { [ "$(leaker_cw | tail -n 1)" = "$1" ]; }
# the first line where the leaker is flagged with its 9 CLOSE_WAIT
flagged_line() {
	FLAGGED=$(each "[.processes[] | select(.pid == $leaker)][0] | .close_wait == 9 and .leak.kind == \"close_wait\"" |
		grep -n -m 1 true | cut -d: -f1)
	[ -n "$FLAGGED" ]
}
wait_until 60 "porttop's first sample" last_leaker_cw_is 0
for n in 1 2 3; do
	nl_ok c1 "close 3" "ok 3"
	nl_ok c2 "close 3" "ok 3"
	wait_until 60 "porttop sees $((3 * n)) CLOSE_WAIT" last_leaker_cw_is $((3 * n))
done
wait_until 60 "the leaker flagged" flagged_line
kill "$porttop_pid"
wait "$porttop_pid"
# (a sample taken while a client closes may read 4 or 5: no exact sequence)
assert_eq "leaker's CLOSE_WAIT as porttop saw it only rose, from 0 to 9" \
	"$(leaker_cw | awk 'NR > 1 && $1 < p { fell = 1 } NR == 1 { first = $1 } { p = $1 } END { print (fell ? "fell" : "rose"), first, p }')" "rose 0 9"
assert_eq "leaker not flagged at the first sample" "$(pt_row "$leaker" leak 1)" null
assert_eq "leaker flagged" "$(pt_row "$leaker" leak.kind "$FLAGGED")" close_wait
# 9 from the first sample to that line: its growth per minute is 9 over the time
# between them (the sum of the intervals), however slow the machine was
growth=$(pt_row "$leaker" leak.growth_per_min "$FLAGGED")
elapsed=$(head -n "$FLAGGED" "$PT_OUT" | tail -n +2 | jq -s 'map(.interval) | add')
assert_true "leaker growth per minute $growth = 9 in $elapsed s, within 5 %" \
	awk -v g="$growth" -v e="$elapsed" 'BEGIN { w = 540 / e; exit !(g >= 0.95 * w && g <= 1.05 * w) }'
assert_eq "tidy close_wait" "$(pt_row "$tidy" close_wait "$FLAGGED")" 0
assert_eq "tidy never flagged" "$(each "[.processes[] | select(.pid == $tidy)][0].leak" | sort -u)" null
assert_eq "the clients never flagged" \
	"$(each "[.processes[] | select(.pid == ${NL_PID[c1]} or .pid == ${NL_PID[c2]})][].leak" | sort -u)" null

# --- 2. age -----------------------------------------------------------------------
PT_OUT="$NS_TMP/age.json"
timeout 30 "$PORTTOP" -b -n 2 -d 2 --leak-age 1 --format json >"$PT_OUT" ||
	fatal "porttop --leak-age 1 failed"
assert_eq "not old enough at the first sample" "$(pt_row "$leaker" leak 1)" null
assert_eq "flagged by age" "$(pt_row "$leaker" leak.kind 2)" close_wait
# first seen in CLOSE_WAIT at sample 1: as old as the interval between the samples
age=$(pt_row "$leaker" leak.oldest_seconds 2) interval=$(pt .interval 2)
assert_true "oldest CLOSE_WAIT $age s, the interval $interval s" \
	awk -v a="$age" -v i="$interval" 'BEGIN { exit !(a >= i - 0.1 && a <= i + 0.1 && i >= 2) }'
assert_eq "no growth" "$(pt_row "$leaker" leak.growth_per_min 2)" 0
assert_eq "tidy still not flagged" "$(pt_row "$tidy" leak 2)" null
# two refreshes, two expositions: the first (nothing old yet) has no leak series
prom=$(timeout 30 "$PORTTOP" -b -n 2 -d 1.5 --leak-age 1 --format prometheus)
assert_eq "Prometheus: the leaker, once" "$(grep -c "^porttop_leak{pid=\"$leaker\",.*,kind=\"close_wait\"} 1\$" <<<"$prom")" 1
assert_eq "Prometheus: no other" "$(grep -c '^porttop_leak{' <<<"$prom")" 1
if command -v promtool >/dev/null; then
	# the second exposition, the one with the leak: from its porttop_up on
	second=$(awk '/^# HELP porttop_up / { n++ } n == 2' <<<"$prom")
	assert_true "promtool accepts the leak series: $(promtool check metrics <<<"$second" 2>&1 | head -c 300)" \
		eval 'grep -q "^porttop_leak{" <<<"$second" && promtool check metrics <<<"$second" >/dev/null 2>&1'
fi
porttop_json -n 2 -d 1
assert_eq "the default age: not yet a leak" "$(pt_row "$leaker" leak)" null
ns_done
