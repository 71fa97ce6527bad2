#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Leak detection on real sockets.  `leaker` never closes the connections its clients
# close (they stay in CLOSE_WAIT until close(): tcp_close), `tidy` closes each one
# when it reads EOF.  Both get the same clients doing the same thing.
# 1. 3 more closes before each of 3 refreshes: the leaker's CLOSE_WAIT grows 0 3 6 9
#    and it is flagged with its growth; tidy holds no CLOSE_WAIT and is not.
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
ns_bg "$PT_OUT" timeout 30 "$PORTTOP" -b -n 4 -d 1.5 --format json
porttop_pid=$NS_BG_PID
for n in 1 2 3; do
	wait_until 10 "porttop's sample $n" has_lines "$PT_OUT" "$n"
	nl_ok c1 "close 3" "ok 3"
	nl_ok c2 "close 3" "ok 3"
	wait_until 5 "$((3 * n)) CLOSE_WAIT" ss_is close-wait $((3 * n))
done
wait_until 10 "porttop's sample 4" has_lines "$PT_OUT" 4
wait "$porttop_pid"
assert_eq "porttop exit status" "$?" 0
assert_eq "leaker close_wait" "$(pt_row "$leaker" close_wait 4)" 9
assert_eq "leaker not flagged at the first sample" "$(pt_row "$leaker" leak 1)" null
assert_eq "leaker flagged" "$(pt_row "$leaker" leak.kind 4)" close_wait
# 9 in about 4.5 s: about 120 a minute (the refreshes' timing varies)
growth=$(pt_row "$leaker" leak.growth_per_min 4)
assert_true "leaker growth per minute $growth in 60..240" \
	awk -v g="$growth" 'BEGIN { exit !(g >= 60 && g <= 240) }'
assert_eq "tidy close_wait" "$(pt_row "$tidy" close_wait 4)" 0
assert_eq "tidy not flagged" "$(pt_row "$tidy" leak 4)" null
assert_eq "the clients not flagged" "$(pt_row "${NL_PID[c1]}" leak 4)" null

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
porttop_json -n 2 -d 1
assert_eq "the default age: not yet a leak" "$(pt_row "$leaker" leak)" null
ns_done
