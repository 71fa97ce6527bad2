#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --record-size: a tiny cap makes several numbered files, FILE.000001 on, each
# starting with a key sample; the oldest go once the newest fill the cap.  The
# replay of the directory, of FILE (the numbered files still there) and of the
# newest file alone each give the last samples the recording run printed.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40999

nl_client_server 30

dir=$NS_TMP/rec
mkdir "$dir"
PT_OUT=$NS_TMP/live.json
cap=4096
"$PORTTOP" -b -f json -n 40 -d 0.1 -w "$dir/ports.rec" --record-size=4K >"$PT_OUT" 2>"$NS_TMP/err"
assert_eq "recording run exit status" "$?" 0
assert_eq "recording run printed 40 lines" "$(wc -l <"$PT_OUT")" 40
files=$(ls "$dir")
say "files: $(printf '%s ' $files)"
assert_num "numbered files" "$(ls "$dir" | grep -cE '^ports\.rec\.[0-9]{6}$')" -ge 2
assert_eq "only numbered files" "$(ls "$dir" | grep -cvE '^ports\.rec\.[0-9]{6}$')" 0
assert_eq "the oldest were removed" "$(test -e "$dir/ports.rec.000001" && echo kept || echo removed)" removed
total=$(cat "$dir"/* | wc -c)
assert_num "the files keep to the cap (plus a record)" "$total" -le $((cap + 2048))

# replays: each gives the last samples, as they were printed
# The forecast and the rates over the last minute read the samples of the minute
# before; a replay that starts after the removed files has none of those, so they
# are left out of the comparison.
without_window() {
	jq -c 'walk(if type == "object" then del(.forecast, .time_wait_created_per_sec,
		.time_wait_expired_per_sec) else . end)
	    | del(.first_to_fail) | .tcp |= del(.new_per_sec) | .udp |= del(.new_per_sec)
	    | .destinations |= map(del(.new_per_sec))'
}
suffix_of_live() {  # suffix_of_live FILE: FILE's lines are the last lines of the live run
	local n
	n=$(wc -l <"$1")
	[ "$n" -gt 0 ] && cmp -s <(without_window <"$1") <(tail -n "$n" "$PT_OUT" | without_window)
}
"$PORTTOP" -b -f json -r "$dir" >"$NS_TMP/dir.json" 2>"$NS_TMP/dir.err"
assert_eq "replay of the directory: exit status" "$?" 0
assert_true "replay of the directory: the last samples as printed" suffix_of_live "$NS_TMP/dir.json"
assert_eq "replay of the directory: nothing on stderr" "$(cat "$NS_TMP/dir.err")" ""
"$PORTTOP" -b -f json -r "$dir/ports.rec" >"$NS_TMP/base.json"
assert_eq "replay of FILE: the same as the directory's" "$(cmp "$NS_TMP/base.json" "$NS_TMP/dir.json" && echo same)" same
newest=$(ls "$dir" | sort | tail -n 1)
"$PORTTOP" -b -f json -r "$dir/$newest" >"$NS_TMP/newest.json"
assert_true "replay of the newest file alone: the last samples as printed" suffix_of_live "$NS_TMP/newest.json"
assert_num "the newest file holds fewer samples than the directory" \
	"$(wc -l <"$NS_TMP/newest.json")" -lt "$(wc -l <"$NS_TMP/dir.json")"

# a second recorder on the same FILE goes on numbering, never overwrites
last=$(ls "$dir" | sort | tail -n 1)
"$PORTTOP" -b -f json -n 2 -d 0.1 -w "$dir/ports.rec" --record-size=4K >/dev/null
assert_eq "a new run starts a new file" \
	"$(ls "$dir" | sort | tail -n 1 | sed 's/.*\.//' | awk '{ print $1 + 0 }')" \
	"$(( $(sed 's/.*\.//' <<<"$last" | awk '{ print $1 + 0 }') + 1 ))"
ns_done
