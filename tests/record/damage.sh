#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A damaged recording: the reader never crashes (the suite runs this under ASan too),
# says what it found, and replays every sample it can.
#   - cut at 100 offsets: the replay is the first samples of the whole one, all whose
#     records end before the cut, and a cut inside a record is named as the end
#   - a byte flipped at 40 offsets: every sample before the damaged record is still
#     replayed (at least as many as a cut there gives), each as it was, and the
#     damage is reported
. "$(dirname "$0")/lib.sh"
rec=$DATA/exhaustion.rec
size=$(wc -c <"$rec")
"$PORTTOP" -b -f json -r "$rec" >"$REC_TMP/full.json" || bad "whole replay" "failed"
full_lines=$(wc -l <"$REC_TMP/full.json")
expect_eq "whole replay: every sample" "$full_lines" "$(wc -l <"$DATA/exhaustion.json")"

offsets() {  # offsets N SEED: N offsets in [12, size), the same on every run
	awk -v n="$1" -v seed="$2" -v size="$size" 'BEGIN {
		srand(seed)
		for (i = 0; i < n; i++) print 12 + int(rand() * (size - 12))
	}'
}

lines_at_cut() {  # lines_at_cut OFFSET: samples a file cut there replays
	head -c "$1" "$rec" >"$REC_TMP/cut.rec"
	"$PORTTOP" -b -f json -r "$REC_TMP/cut.rec" >"$REC_TMP/cut.json" 2>"$REC_TMP/cut.err"
	CUT_RC=$?
	wc -l <"$REC_TMP/cut.json"
}

cuts_bad=0 torn_named=0 last_lines=0
for off in $(offsets 100 13 | sort -n); do
	n=$(lines_at_cut "$off")
	if [ "$CUT_RC" -ne 0 ] || ! cmp -s "$REC_TMP/cut.json" <(head -n "$n" "$REC_TMP/full.json") ||
	   [ "$n" -lt "$last_lines" ]; then
		bad "cut at $off" "exit $CUT_RC, $n samples, not the first of the whole replay"
		cuts_bad=$((cuts_bad + 1))
	fi
	grep -q "incomplete" "$REC_TMP/cut.err" && torn_named=$((torn_named + 1))
	last_lines=$n
done
expect_eq "100 cuts: each replays the first samples, in order" "$cuts_bad" 0
[ "$torn_named" -ge 90 ] && ok "a cut inside a record is named as the end ($torn_named of 100)" ||
	bad "torn records named" "only $torn_named of 100"

flips_bad=0 reported=0
for off in $(offsets 40 29); do
	cp "$rec" "$REC_TMP/flip.rec"
	byte=$(od -An -tu1 -j "$off" -N1 "$rec" | tr -d ' ')
	printf "$(printf '\\%03o' $(((byte ^ 0x5a) & 255)))" |
		dd of="$REC_TMP/flip.rec" bs=1 seek="$off" conv=notrunc status=none
	"$PORTTOP" -b -f json -r "$REC_TMP/flip.rec" >"$REC_TMP/flip.json" 2>"$REC_TMP/flip.err"
	rc=$?
	n=$(wc -l <"$REC_TMP/flip.json")
	before=$(lines_at_cut "$off")
	if [ "$rc" -ne 0 ] || [ "$n" -lt "$before" ] ||
	   [ -n "$(grep -Fxv -f "$REC_TMP/full.json" "$REC_TMP/flip.json")" ]; then
		bad "byte flipped at $off" "exit $rc, $n samples (a cut there keeps $before), or one unlike the original"
		flips_bad=$((flips_bad + 1))
	fi
	[ -s "$REC_TMP/flip.err" ] && reported=$((reported + 1))
done
expect_eq "40 flipped bytes: every sample before the damage replayed as it was" "$flips_bad" 0
expect_eq "40 flipped bytes: each reported" "$reported" 40
rec_done
