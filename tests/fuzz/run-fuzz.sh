#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs each libFuzzer target for a bounded time from its seed corpus, JOBS at a time.
#   run-fuzz.sh BINDIR CORPUS WORK SECONDS JOBS TARGET...
# BINDIR holds fuzz_TARGET; CORPUS/TARGET is the seed corpus (read only); new inputs
# go to WORK/corpus/TARGET, a crash to WORK/TARGET-crash-*, the log to WORK/TARGET.log.
# Prints "PASS: fuzz_TARGET" or "FAIL: fuzz_TARGET (...)" per target; exits 1 if any failed.
set -u
bindir=$1 corpus=$2 work=$3 seconds=$4 jobs=$5
shift 5
mkdir -p "$work" || exit 1

# One target: libFuzzer exits non-zero on a crash, a sanitizer report, a leak, a
# timeout (one input over 10 s) or running out of the memory limit.
run_one() {
	t=$1
	mkdir -p "$work/corpus/$t" "$corpus/$t"
	if "$bindir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=8192 -print_final_stats=1 -artifact_prefix="$work/$t-" \
		"$work/corpus/$t" "$corpus/$t" >"$work/$t.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
		echo "PASS: fuzz_$t (${runs:-?} inputs in ${seconds} s)"
	else
		echo "FAIL: fuzz_$t (see $work/$t.log; input in $work/$t-*)"
		tail -n 40 "$work/$t.log"
		return 1
	fi
}

status=0
pids=""
running=0
for t in "$@"; do
	run_one "$t" &
	pids="$pids $!"
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		for p in $pids; do wait "$p" || status=1; done
		pids="" running=0
	fi
done
for p in $pids; do wait "$p" || status=1; done
exit $status
