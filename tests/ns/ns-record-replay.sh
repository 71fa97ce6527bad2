#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Record and replay (-w, -r): connections open, close into TIME_WAIT, and a process
# exits while porttop records 10 samples and prints them as JSON.  The replay of the
# recording prints the same JSON line for line: the TIME_WAIT the exited process left
# is still named after it, and the rates come out the same.  Then the same for text,
# Prometheus and check output, and --begin/--end pick samples by their time.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40999

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
nl_ok client "connect 127.0.0.1 8080 40" "ok 40"
nl_start leaver
nl_ok leaver "connect 127.0.0.1 8080 10" "ok 10"
nl_wait_accepted server 50
leaver=${NL_PID[leaver]}

REC="$NS_TMP/ten.rec"
PT_OUT="$NS_TMP/live.json"
ns_bg "$PT_OUT" timeout 60 "$PORTTOP" -b -f json -n 10 -d 1 -w "$REC"
porttop_pid=$NS_BG_PID
wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1
nl_ok client "close 15" "ok 15"                 # active closer: TIME_WAIT, owner known
wait_until 10 "porttop's third sample" has_lines "$PT_OUT" 3
nl_ok leaver "quit" "bye"                        # exits: its ports stay in TIME_WAIT
wait_until 10 "porttop's fifth sample" has_lines "$PT_OUT" 5
nl_ok client "connect 127.0.0.1 8080 20" "ok 20" # new sockets: a rate
wait_until 10 "porttop's seventh sample" has_lines "$PT_OUT" 7
nl_ok client "close 5" "ok 5"
wait "$porttop_pid"
assert_eq "recording run exit status" "$?" 0
assert_eq "recording run printed 10 lines" "$(wc -l <"$PT_OUT")" 10

# the scenario did what it is for: TIME_WAIT of a live and of an exited owner, a rate
assert_num "last sample: TIME_WAIT" "$(pt .states.TIME_WAIT 10)" -ge 20
assert_eq "last sample: leaver row exited" "$(pt_row "$leaver" exited 10)" true
assert_num "last sample: leaver row time_wait" "$(pt_row "$leaver" time_wait 10)" -ge 1
assert_num "a sample where the client opened 20: new_per_sec" \
	"$(jq -s '[.[].processes[] | select(.command == "netload") | .new_per_sec // 0] | max' "$PT_OUT")" -gt 0

"$PORTTOP" -b -f json -r "$REC" >"$NS_TMP/replay.json" 2>"$NS_TMP/replay.err"
assert_eq "replay exit status" "$?" 0
assert_eq "replay says nothing on stderr" "$(cat "$NS_TMP/replay.err")" ""
assert_eq "replay printed 10 lines" "$(wc -l <"$NS_TMP/replay.json")" 10
for i in $(seq 10); do
	assert_eq "replay line $i equals the recording run's" \
		"$([ "$(sed -n "${i}p" "$NS_TMP/replay.json")" = "$(sed -n "${i}p" "$PT_OUT")" ] && echo same)" same
done
assert_eq "replay -n 3 prints the first 3" "$("$PORTTOP" -b -f json -n 3 -r "$REC" | cmp - <(head -n 3 "$PT_OUT") && echo same)" same

# --begin and --end: whole seconds, each sample more than a second after the one before
t4=$(jq -r .time "$NS_TMP/replay.json" | sed -n 4p | sed 's/\.[0-9]*//')
t6=$(jq -r .time "$NS_TMP/replay.json" | sed -n 6p | sed 's/\.[0-9]*//')
"$PORTTOP" -b -f json -r "$REC" --begin="$t4" --end="$t6" >"$NS_TMP/window.json"
assert_eq "--begin=$t4 --end=$t6: samples 4 to 6" "$(cmp "$NS_TMP/window.json" <(sed -n 4,6p "$PT_OUT") && echo same)" same
hhmmss=$(date -d "$(jq -r .time "$NS_TMP/replay.json" | sed -n 8p)" +%H:%M:%S)
assert_eq "--begin=$hhmmss (HH:MM:SS): samples 8 to 10" \
	"$("$PORTTOP" -b -f json -r "$REC" --begin="$hhmmss" | wc -l)" 3
"$PORTTOP" -b -r "$REC" --begin=yesterday >/dev/null 2>"$NS_TMP/bad.err"
assert_eq "--begin=yesterday: exit status" "$?" 1
assert_match "--begin=yesterday: says why" "$(cat "$NS_TMP/bad.err")" "invalid time for --begin"

# the other renderers: each recording run's output, replayed
for fmt in text prometheus check; do
	"$PORTTOP" -b -f "$fmt" -n 3 -d 0.5 -w "$NS_TMP/$fmt.rec" >"$NS_TMP/live.$fmt"
	live_rc=$?
	"$PORTTOP" -b -f "$fmt" -r "$NS_TMP/$fmt.rec" >"$NS_TMP/replay.$fmt"
	assert_eq "$fmt: replay exit status equals the recording run's" "$?" "$live_rc"
	# but for how long each refresh took, which a recording does not keep
	grep -v 'porttop_scrape_duration_seconds' "$NS_TMP/live.$fmt" >"$NS_TMP/live-kept.$fmt"
	assert_eq "$fmt: replay output equals the recording run's" \
		"$(cmp "$NS_TMP/live-kept.$fmt" "$NS_TMP/replay.$fmt" && echo same)" same
done

# a file that is not a recording is neither replayed nor overwritten
echo "precious" >"$NS_TMP/notes.txt"
"$PORTTOP" -b -r "$NS_TMP/notes.txt" >/dev/null 2>"$NS_TMP/bad.err"
assert_eq "-r on a text file: exit status" "$?" 1
assert_match "-r on a text file: says so" "$(cat "$NS_TMP/bad.err")" "is not a porttop recording"
"$PORTTOP" -b -w "$NS_TMP/notes.txt" >/dev/null 2>"$NS_TMP/bad.err"
assert_eq "-w on a text file: exit status" "$?" 1
assert_eq "-w on a text file: left as it was" "$(cat "$NS_TMP/notes.txt")" precious
ns_done
