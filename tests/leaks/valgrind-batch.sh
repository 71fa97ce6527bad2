#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# porttop in batch mode under valgrind memcheck for 200 refreshes while the sockets
# and the processes around it churn: zero memory errors, zero definite leaks.  No time
# limit but loadgen's 900 s: memcheck is slow on a loaded machine, and no figure here
# depends on speed.
#   tests/leaks/valgrind-batch.sh BUILDDIR      (root; BUILDDIR has porttop and bench/loadgen)
# bench/loadgen makes a private network namespace with 1000 sockets in 8 processes
# and replaces 1000 of them a second; inside it, short-lived processes each open a
# UDP socket and exits (20 a second), so owners appear and vanish mid-scan.  The only
# suppressions (valgrind.supp) are of valgrind's model of the bpf() system call.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --inside ]; then
	log=$2 out=$3
	shift 3
	# owners that start and exit: each holds a connected UDP socket (not a connection to
	# a loadgen listener: loadgen accepts only its own).  The
	# loop ends when the stop file appears (no signal: the command inherits loadgen's
	# signal state), or when this script is gone
	stop=$log.stop
	( while [ ! -e "$stop" ] && kill -0 $$ 2>/dev/null; do
		( exec 3<>/dev/udp/127.0.0.1/9 && sleep 0.05 ) 2>/dev/null &
		sleep 0.05
	done ) &
	churn=$!
	valgrind -q --log-file="$log" --suppressions="$here/valgrind.supp" --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
		"$@" >"$out"
	status=$?
	touch "$stop"
	wait "$churn" 2>/dev/null
	exit $status
fi
build=${1:?usage: valgrind-batch.sh BUILDDIR}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for the network namespace"; exit 77; }
command -v valgrind >/dev/null || { echo "FAIL: valgrind not installed"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
refreshes=200
"$build/bench/loadgen" -n 1000 -p 8 -r 1000 -d 900 -- \
	bash "$0" --inside "$tmp/valgrind.log" "$tmp/out.json" \
	"$build/porttop" -b -n "$refreshes" -d 0.1 -f json
status=$?
cat "$tmp/valgrind.log"
lines=$(wc -l <"$tmp/out.json")
echo "valgrind-batch: porttop exit status $status, $lines of $refreshes samples"
[ "$status" -eq 0 ] || { echo "FAIL: memcheck errors or definite leaks (status $status)"; exit 1; }
[ "$lines" -eq "$refreshes" ] || { echo "FAIL: $lines samples, not $refreshes"; exit 1; }
# every sample saw the load: loadgen holds about 800 TCP sockets
low=$(jq -s "[.[] | (.states | add)] | min" "$tmp/out.json")
[ "$low" -ge 500 ] || { echo "FAIL: a sample with only $low TCP sockets"; exit 1; }
echo "valgrind-batch: PASS (fewest TCP sockets in a sample: $low)"
