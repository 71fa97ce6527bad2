#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every renderer against a recording made from real sockets (tests/data/exhaustion.rec,
# a 100-port range filling up): the JSON is what the recording run printed, the text,
# Prometheus and check output what they printed for the same samples when the file
# was made.  A change to the model or a renderer shows up here as a diff, without
# root or a namespace.  The check plugin's thresholds and exit codes are checked on
# the last sample, whose fullest pool the JSON gives.
. "$(dirname "$0")/lib.sh"
rec=$DATA/exhaustion.rec

golden() {  # golden FORMAT FILE [FLAGS...]
	local fmt=$1 want=$2 rc
	shift 2
	"$PORTTOP" -b -f "$fmt" -r "$rec" "$@" >"$REC_TMP/out" 2>"$REC_TMP/err"
	rc=$?
	if cmp -s "$REC_TMP/out" "$want"; then
		ok "$fmt output equals $(basename "$want")"
	else
		bad "$fmt output" "differs from $(basename "$want"): $(diff "$want" "$REC_TMP/out" | head -n 5)"
	fi
	expect_eq "$fmt: nothing on stderr" "$(cat "$REC_TMP/err")" ""
	GOLDEN_RC=$rc
}

golden json "$DATA/exhaustion.json"
expect_eq "json exit status" "$GOLDEN_RC" 0
golden text "$DATA/exhaustion.txt"
expect_eq "text exit status" "$GOLDEN_RC" 0
golden prometheus "$DATA/exhaustion.prom"
expect_eq "prometheus exit status" "$GOLDEN_RC" 0
golden check "$DATA/exhaustion.check"
last=$(tail -n 1 "$DATA/exhaustion.check" | awk '{ print $2 }')
case $last in OK) want=0 ;; WARNING) want=1 ;; CRITICAL) want=2 ;; *) want=3 ;; esac
expect_eq "check exit status follows its last line ($last)" "$GOLDEN_RC" "$want"

# the scenario is what the goldens are about: TIME_WAIT charged to an exited job
expect_eq "last sample: the nightly job exited" \
	"$(tail -n 1 "$DATA/exhaustion.json" | jq -r '[.processes[] | select(.command == "nightly-job")][0].exited')" true
expect_eq "last sample: its TIME_WAIT is charged to it" \
	"$(tail -n 1 "$DATA/exhaustion.json" | jq -r '[.processes[] | select(.command == "nightly-job")][0].time_wait')" 20

# thresholds: below, between and above the last sample's fullest figure
pct=$(tail -n 1 "$DATA/exhaustion.json" |
	jq '[.tcp.percent, .udp.percent, (.destinations[] | .blocked_percent)] | max')
lo=$(awk -v p="$pct" 'BEGIN { printf "%d", p / 2 }')
hi=$(awk -v p="$pct" 'BEGIN { printf "%d", p + 1 }')
check_at() {  # check_at WARNING CRITICAL -> "STATUS rc"
	"$PORTTOP" -b -f check -r "$rec" --warning="$1" --critical="$2" | tail -n 1 | awk '{ printf "%s ", $2 }'
	"$PORTTOP" -b -f check -r "$rec" --warning="$1" --critical="$2" >/dev/null
	echo $?
}
expect_eq "check at $pct % with --warning=$hi --critical=$hi" "$(check_at "$hi" "$hi")" "OK 0"
expect_eq "check at $pct % with --warning=$lo --critical=$hi" "$(check_at "$lo" "$hi")" "WARNING 1"
expect_eq "check at $pct % with --warning=$lo --critical=$lo" "$(check_at "$lo" "$lo")" "CRITICAL 2"

# the rows follow the same flags as on live samples
"$PORTTOP" -b -f json -r "$rec" -o time_wait -n 1 --begin="$(jq -r .time "$DATA/exhaustion.json" |
	tail -n 1 | sed 's/\.[0-9]*//')" >"$REC_TMP/sorted"
expect_eq "-o time_wait on the last sample: webapp (30), then the job (20)" \
	"$(jq -r '[.processes[0,1] | "\(.command) \(.time_wait)"] | join(", ")' "$REC_TMP/sorted")" \
	"webapp 30, nightly-job 20"
expect_eq "-u nobody: no rows" \
	"$("$PORTTOP" -b -f json -r "$rec" -u nobody | jq -s '[.[].processes | length] | add')" 0
rec_done
