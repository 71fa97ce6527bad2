#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The owner scan's helper thread (src/sample/fdread.c) under ThreadSanitizer: porttop
# built with -fsanitize=thread runs 100 batch refreshes while bench/loadgen churns
# 2000 sockets in 8 processes (1000 changes a second) in a private network namespace,
# so the scan and the helper race for the same fd tables.  Any data race report ends
# porttop with status 66.  No time limit but loadgen's 900 s, as for valgrind-batch.sh:
# ThreadSanitizer is slow on a loaded machine, and no figure here depends on speed.
#   tests/leaks/tsan-batch.sh SRCDIR BUILDDIR    (root; BUILDDIR is made and configured here)
set -u
src=${1:?usage: tsan-batch.sh SRCDIR BUILDDIR} build=${2:?usage: tsan-batch.sh SRCDIR BUILDDIR}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for the network namespace"; exit 77; }
mkdir -p "$build" || exit 1
cd "$build" || exit 1
# the eBPF probes are not the subject here and clang's BPF build does not take TSan flags
"$src/configure" -q --disable-bpf CFLAGS="-g -O1 -fsanitize=thread" LDFLAGS="-fsanitize=thread" ||
	{ echo "FAIL: configure"; exit 1; }
make -s -j"$(nproc)" porttop bench/loadgen >make.log 2>&1 || { cat make.log; echo "FAIL: build"; exit 1; }
refreshes=100
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
	./bench/loadgen -n 2000 -p 8 -r 1000 -d 900 -- \
	./porttop -b -n "$refreshes" -d 0.1 -f json >out.json 2>tsan.log
status=$?
cat tsan.log
lines=$(wc -l <out.json)
echo "tsan-batch: porttop exit status $status, $lines of $refreshes samples"
[ "$status" -eq 0 ] || { echo "FAIL: ThreadSanitizer report or error (status $status)"; exit 1; }
[ "$lines" -eq "$refreshes" ] || { echo "FAIL: $lines samples, not $refreshes"; exit 1; }
# the helper only starts when there are fd tables to share: the load must be seen
owned=$(jq -s '[.[] | .processes | length] | min' out.json)
[ "$owned" -ge 8 ] || { echo "FAIL: a sample with only $owned owner rows"; exit 1; }
echo "tsan-batch: PASS (fewest owner rows in a sample: $owned)"
