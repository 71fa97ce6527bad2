#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/netns.sh: the namespace list's cost (issue 14's goal: with 50 namespaces of
# 1 000 sockets each, a refresh of the list under 2x the time of their dumps).
# Starts BENCH_NETNS (50) processes, each alone in a new network namespace
# (unshare -n) holding a listener and 500 connections to it (1 001 sockets), then
# runs bench_netns, which times the list's refresh next to one bare dump per
# namespace.  Root only; `make bench` runs it.  Every process started here is ended
# by its pid, and its namespace goes with it.
#
#   bench/netns.sh BUILDDIR
set -u
export LC_ALL=C
builddir=$(cd "${1:-.}" && pwd)
netload=${NETLOAD:-$builddir/tests/helpers/netload}
bench=$builddir/bench/bench_netns
count=${BENCH_NETNS:-50}
conns=${BENCH_NETNS_CONNS:-500}

[ "$(id -u)" -eq 0 ] || { echo "bench/netns.sh: needs root (skipped)"; exit 0; }
for p in "$netload" "$bench"; do
	[ -x "$p" ] || { echo "bench/netns.sh: $p is missing (make bench builds it)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/porttop-bench-netns.XXXXXX") || exit 1
pids=() fds=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for ((i = 0; i < count; i++)); do
	mkfifo "$tmp/in.$i" || exit 1
	exec {fd}<>"$tmp/in.$i"
	fds+=("$fd")
	unshare -n -- sh -c "ip link set lo up && exec '$netload' --deadline 300" \
		<"$tmp/in.$i" >"$tmp/out.$i" 2>&1 &
	pids+=("$!")
	printf 'listen 127.0.0.1 8080\nconnect 127.0.0.1 8080 %s\n' "$conns" >&"$fd"
done
for ((i = 0; i < count; i++)); do  # both answers: the connections are made
	for ((t = 0; t < 600; t++)); do
		[ "$(wc -l <"$tmp/out.$i")" -ge 2 ] && break
		sleep 0.05
	done
	grep -q "^ok $conns\$" "$tmp/out.$i" || { echo "bench/netns.sh: namespace $i: $(cat "$tmp/out.$i")" >&2; exit 1; }
done
sleep 1  # the accepts
out=$("$bench" -r "${BENCH_NETNS_ROUNDS:-9}") || exit 1
get() { printf '%s\n' "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
echo
echo "namespace list: $count namespaces made here of $((conns * 2 + 1)) sockets each" \
	"($(get namespaces) listed, $(get readable) read, $(get sockets) sockets in all)"
printf '    %-28s %8s ms\n' "dumps (one per namespace)" "$(get dumps_ms)" \
	"list refresh" "$(get list_ms)" "first list refresh (cold)" "$(get cold_ms)"
verdict=$(awk -v r="$(get ratio)" 'BEGIN { print (r < 2) ? "met" : "NOT met" }')
echo "    goal list refresh < 2 x dumps: $(get ratio)x $verdict"
