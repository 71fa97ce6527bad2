#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/record-size.sh: what porttop -w costs on disk (issue 13's goal: on average at
# most 1 byte per socket per sample at 10 000 sockets, 1 % churn per second and a
# 10 s interval).  Records BENCH_RECORD_SAMPLES (default 13) samples at -d 10 on a
# loadgen load in a private network namespace, then measures the file record by
# record (bench_record): the key sample, the deltas, and what a day settles at with
# one key sample every 120.  About 2.5 minutes; `make bench` runs it.
#
#   bench/record-size.sh BUILDDIR
set -u
export LC_ALL=C
builddir=$(cd "${1:-.}" && pwd)
loadgen=$builddir/bench/loadgen bench_record=$builddir/bench/bench_record
porttop=${PORTTOP:-$builddir/porttop}
samples=${BENCH_RECORD_SAMPLES:-13}
sockets=${BENCH_RECORD_SOCKETS:-10000}
for p in "$loadgen" "$bench_record" "$porttop"; do
	[ -x "$p" ] || { echo "record-size: $p is missing (make bench builds it)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/porttop-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

get() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1; }

"$loadgen" -n "$sockets" -p 10 -r $((sockets / 100)) -d $((samples * 10 + 60)) -- \
	"$porttop" -b -f json -n "$samples" -d 10 -w "$tmp/bench.rec" >/dev/null 2>"$tmp/err" ||
	{ echo "record-size: the recording run failed: $(cat "$tmp/err")" >&2; exit 1; }
out=$("$bench_record" "$tmp/bench.rec") || { echo "record-size: cannot measure the recording" >&2; exit 1; }
echo "record: $(get sockets "$out") sockets, 1 % churn/s, every $(get interval_s "$out") s," \
     "$(get samples "$out") samples: key sample $(get key_bytes "$out") bytes, deltas" \
     "$(get delta_bytes "$out") bytes on average"
awk -v b="$(get bytes_per_socket_sample "$out")" -v s="$(get avg_bytes_per_sample "$out")" \
    -v d="$(get bytes_per_day "$out")" 'BEGIN {
	printf "record: with a key sample every 120: %.0f bytes per sample, %.1f MiB per day," \
	       " %.3f bytes per socket per sample (goal <= 1: %s)\n", s, d / 1048576, b,
	       b <= 1 ? "met" : "MISSED"
}'
