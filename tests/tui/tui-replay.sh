#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live view of a recording (-r): the header says replay, the recorded time and
# the position; space pauses; at 200 columns the key bar offers no N, k or r, which a
# replay refuses, and the help says why; N says there is no namespace list (and porttop lives
# on); T and t step one sample forward and back (the clock goes back one interval);
# b jumps to a time; the details view opens; q quits.  At 80x24 an exited process
# whose name fills its row keeps " (exited)" off the next row, and at 91x17 and 40x10
# the header lines are cut at a blank, not inside a figure, and drop a label whose
# figure does not fit and the separator before it ("- netns", "usable").  Then a recording still
# being written: the replay follows it to the newest sample, with the recorder's owners.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099
rec=$top_srcdir/tests/data/exhaustion.rec
TUI_ENV=(TZ=UTC)
times=($(jq -r '.time | .[11:19]' "$top_srcdir/tests/data/exhaustion.json"))

# -d 100: 100 s a recorded second, so the first sample is still on screen however
# slowly the test gets to read it (at the recorded pace it lasts 1 s)
tui_start 120 30 -r "$rec" -d 100
tui_wait "the replay header" "^porttop - vm - replay 2026-12-01 ${times[0]} - sample 1/6 "
tui_keys Space
tui_wait "paused" "sample [0-9]/6 - paused"
tui_wait "the pause hint" "^PAUSED  space Play  t T Step  b Jump  h Help  "
# wide enough for every key: only those that do something in a replay (no N, k, r)
tui_resize 200 30
tui_wait "200 columns: the key bar of a replay" \
	'^PAUSED  space Play  t T Step  b Jump  h Help  / Find  \\ Filter  < > Sort  Enter Details  Z Freeze  K Counters  q Quit$'
for key in "N Namespaces" "k Kill" "r Range"; do
	assert_eq "200 columns: no \"$key\" in a replay" "$(tui_status | grep -c "$key")" 0
done
tui_keys h
tui_wait "help: secure mode's refusals" '^Secure mode: kill, socket close and range change are disabled\.$'
tui_wait "help: N's" '^Replay: no namespace list \(N\); a recording holds only its own namespace\.$'
assert_true "help still lists k" grep -q '^  k F9  ' <<<"$TUI_SCREEN"
tui_keys x
tui_wait "back from the help" '^ +PID USER'
tui_resize 120 30
tui_keys N
tui_wait "N: a recording has no namespace list" "^a recording holds only the namespace it was made in"
assert_true "porttop still runs after N" alive "$TUI_PID"
tui_keys t t t t t t
tui_wait "back at the first sample" "replay 2026-12-01 ${times[0]} - sample 1/6 - paused"
tui_keys T
tui_wait "one sample forward" "replay 2026-12-01 ${times[1]} - sample 2/6 - paused"
tui_keys T
tui_wait "two samples forward" "replay 2026-12-01 ${times[2]} - sample 3/6 - paused"
tui_keys t
tui_wait "t: the clock goes back one interval" "replay 2026-12-01 ${times[1]} - sample 2/6 - paused"
tui_keys b
tui_wait "b asks for a time" "Jump to time"
tui_type "${times[4]}"
tui_keys Enter
tui_wait "b ${times[4]}: sample 5" "replay 2026-12-01 ${times[4]} - sample 5/6 - paused"
tui_wait "the recorded job's row, exited" ' nightly-job \(exited\)$'
tui_keys T
tui_wait "the last sample" "sample 6/6 - paused"
tui_keys T
tui_wait "T past the end says so" "the last sample of the recording"
tui_keys k
tui_wait "a replay cannot kill" "secure"
tui_keys Escape
# the details view of the selected process
tui_keys Enter
tui_wait "the details view" "^Sockets of PID [0-9]+ "
tui_keys Escape
tui_wait "back to the table" '^ +PID USER'
tui_keys q
assert_eq "q quits: exit status" "$(tui_exit_status)" 0

# at 80 columns the exited job's name fills its row: " (exited)" must not wrap onto
# the next one; cut lines end at a blank, never inside a figure
tui_start 80 24 -r "$rec" -d 100
tui_wait "the replay at 80x24" "sample 1/6 "
tui_keys Space b
tui_wait "b asks for a time" "Jump to time"
tui_type "${times[4]}"
tui_keys Enter
tui_wait "sample 5 at 80x24" "sample 5/6 - paused"
tui_wait "the exited job, its name cut at the edge" ' nightly-$'
assert_eq "80x24: no \" (exited)\" wrapped onto a line of its own" "$(grep -c '^ (exited)' <<<"$TUI_SCREEN")" 0
tui_resize 91 17
tui_wait "91x17: the header cut before the netns label whose inode does not fit, not inside it" \
	"^porttop - vm - replay 2026-12-01 ${times[4]} - sample 5/6 - paused - netlink\$"
tui_resize 40 10
tui_wait "40x10: the range line cut before \"usable 100\", not to \"usable 10\" nor \"usable\"" \
	'^Range 40000–40099  reserved 0$'
assert_eq "40x10: the header line cut before the time" "$(tui_line 0)" "porttop - vm - replay 2026-12-01"
tui_keys q
assert_eq "q quits at 40x10" "$(tui_exit_status)" 0

# a recorder writing now, and a replay following it
nl_named_server app
nl_ok app "connect 127.0.0.1 8080 7" "ok 7"
live=$NS_TMP/live.rec
ns_bg "$NS_TMP/recorder.out" "$PORTTOP" -w "$live" -d 0.5 -n 0
recorder=$NS_BG_PID
wait_until 10 "the recorder's first samples" test -s "$live"
sleep 1
TUI_ENV=(TZ=UTC)
tui_start 120 30 -r "$live" -d 0.2
tui_wait "the replay of the live file" "^porttop - .* - replay .* - sample [0-9]+/[0-9]+ "
first=$(grep -oE 'sample [0-9]+/[0-9]+' <<<"$TUI_SCREEN" | head -n 1)
tui_wait "it follows the file to a later sample" "sample ([2-9][0-9]|1[0-9])/" 30
tui_wait "the recorder's owner rows" ' app *$'
kill -TERM "$recorder"
wait "$recorder"
assert_eq "the recorder ends cleanly on SIGTERM" "$?" 0
assert_eq "the recorder printed nothing" "$(cat "$NS_TMP/recorder.out")" ""
say "followed from $first"
tui_keys q
assert_eq "q quits the follower" "$(tui_exit_status)" 0
tui_done
