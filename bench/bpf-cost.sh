#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/bpf-cost.sh: what porttop's eBPF probes cost a busy client.  In a private
# network namespace, bench/connect_rate makes loopback connect()+close() pairs paced
# at BENCH_RATE (default 20000/s) for BENCH_SECONDS (default 3), BENCH_ROUNDS times
# (default 5) in each of two conditions, alternating so the machine's drift hits
# both alike: porttop -b --bpf=off running beside it, and porttop -b --bpf=on (the
# probes attached).  Prints the medians side by side: connects per second reached
# and CPU time per connect of the client (user + system, where the probes run),
# each with its range over the rounds: on a busy machine the rounds spread more
# than the probes cost, and the range says so.
#
#   bench/bpf-cost.sh BUILDDIR        (root; `make bench` runs it)
set -u
export LC_ALL=C
build=${1:-.}
rate=${BENCH_RATE:-20000} seconds=${BENCH_SECONDS:-3} rounds=${BENCH_ROUNDS:-5}

if [ "${BPF_COST_INSIDE:-}" != 1 ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bpf-cost: needs root (eBPF and a namespace)"; exit 0; }
	[ -x "$build/porttop" ] && [ -x "$build/bench/connect_rate" ] ||
		{ echo "bpf-cost: build porttop and bench/connect_rate first"; exit 1; }
	BPF_COST_INSIDE=1 exec unshare -n -- "$BASH" "$0" "$@"
fi
ip link set lo up
echo "1024 65535" >/proc/sys/net/ipv4/ip_local_port_range

# one round: porttop with --bpf=$1 sampling every second beside a paced client
round() {
	local pt out
	timeout 60 "$build/porttop" -b -n 1000 -d 1 -f json --bpf="$1" >/dev/null 2>&1 &
	pt=$!
	sleep 0.5  # loaded and attached
	out=$("$build/bench/connect_rate" "$seconds" "$rate")
	kill "$pt" 2>/dev/null
	wait "$pt" 2>/dev/null
	echo "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

if ! timeout 30 "$build/porttop" -b -f json --bpf=on >/dev/null 2>&1; then
	echo "bpf-cost: porttop --bpf=on cannot load its probes here; skipped"
	exit 0
fi
off= on=
for ((i = 0; i < rounds; i++)); do
	off+="$(round off)"$'\n'
	on+="$(round on)"$'\n'
done
range() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f-%.0f", lo, hi }'; }
range2() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f", lo, hi }'; }
off_rate=$(field rate <<<"$off" | median) on_rate=$(field rate <<<"$on" | median)
off_cpu=$(field cpu_us_per_connect <<<"$off" | median) on_cpu=$(field cpu_us_per_connect <<<"$on" | median)
echo
echo "eBPF probes: connect()+close() on loopback paced at $rate/s, $rounds rounds of ${seconds}s each"
printf '  %-26s %12s %13s %14s %13s\n' "" "connects/s" "(range)" "CPU us/connect" "(range)"
printf '  %-26s %12.0f %13s %14.2f %13s\n' "porttop --bpf=off beside" "$off_rate" \
	"$(field rate <<<"$off" | range)" "$off_cpu" "$(field cpu_us_per_connect <<<"$off" | range2)"
printf '  %-26s %12.0f %13s %14.2f %13s\n' "porttop --bpf=on beside" "$on_rate" \
	"$(field rate <<<"$on" | range)" "$on_cpu" "$(field cpu_us_per_connect <<<"$on" | range2)"
awk -v a="$off_rate" -v b="$on_rate" -v c="$off_cpu" -v d="$on_cpu" 'BEGIN {
	printf "  medians: %+.1f %% connects/s, %+.1f %% CPU per connect with the probes (goal: under 3 %% slower)\n",
		100 * (b - a) / a, 100 * (d - c) / c }'
