#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CPU of the live view: porttop at the default delay (2 s), drawing in a real
# terminal (tmux) for BENCH_CPU_SECONDS (60) in a namespace that bench/loadgen fills
# with BENCH_CPU_SOCKETS (10 000) sockets of BENCH_CPU_PROCS (10 and 500) processes,
# 1 % of them replaced every second.  Prints utime+stime from /proc/PID/stat and the
# share of one core.
#   usage: bench/cpu-live.sh [BUILDDIR]
set -u
export LC_ALL=C

if [ "${1:-}" = "--inner" ]; then
	porttop=$2 seconds=$3
	sock="porttop-cpu-$$"
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"TERM=xterm-256color LANG=C.UTF-8 exec $porttop"
	trap 'tmux -L "$sock" kill-server 2>/dev/null' EXIT
	sleep 1
	pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
	read -r -a a </proc/"$pid"/stat
	t0=$((a[13] + a[14]))
	sleep "$seconds"
	read -r -a a </proc/"$pid"/stat
	t1=$((a[13] + a[14]))
	hz=$(getconf CLK_TCK)
	awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$seconds" \
		'BEGIN { printf "ticks=%d cpu_percent=%.2f\n", t, t / hz / s * 100 }'
	exit 0
fi

build=${1:-.}
porttop=${PORTTOP:-$build/porttop}
loadgen=$build/bench/loadgen
seconds=${BENCH_CPU_SECONDS:-60}
sockets=${BENCH_CPU_SOCKETS:-10000}
[ -x "$porttop" ] && [ -x "$loadgen" ] || { echo "cpu-live: build porttop and bench/loadgen first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "cpu-live: needs tmux" >&2; exit 1; }
porttop=$(cd "$(dirname "$porttop")" && pwd)/$(basename "$porttop")

printf '%-28s %8s %10s\n' "live view, -d 2, 80x24" "ticks" "% of core"
for procs in ${BENCH_CPU_PROCS:-10 500}; do
	out=$("$loadgen" -n "$sockets" -p "$procs" -r $((sockets / 100)) -d $((seconds + 60)) -- \
		bash "$0" --inner "$porttop" "$seconds" 2>/dev/null | tail -n 1)
	ticks=$(sed -n 's/.*ticks=\([0-9]*\).*/\1/p' <<<"$out")
	pct=$(sed -n 's/.*cpu_percent=\([0-9.]*\).*/\1/p' <<<"$out")
	printf '%-28s %8s %10s\n' "$sockets sockets, $procs procs" "${ticks:-?}" "${pct:-?}"
done
echo "(utime+stime of porttop over ${seconds} s; goal: under 2 % of one core)"
