#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bytes porttop writes to the terminal per refresh, side by side with `top -d 2`,
# at 80x24 and 200x50: what a slow SSH link has to carry.  Runs both under tmux and
# records the pane's output stream (pipe-pane).  The load (a listener and 200
# connections) lives in a private network namespace created here and ends with it.
#   usage: bench/termbytes.sh   (PORTTOP, NETLOAD: binaries; BENCH_SECONDS: 20)
set -u
PORTTOP=${PORTTOP:-./porttop}
NETLOAD=${NETLOAD:-./tests/helpers/netload}
seconds=${BENCH_SECONDS:-20}

if [ -z "${TERMBYTES_IN_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "termbytes: needs root (unshare -n)" >&2; exit 77; }
	command -v tmux >/dev/null || { echo "termbytes: needs tmux" >&2; exit 77; }
	exec unshare -n env TERMBYTES_IN_NS=1 bash "$0" "$@"
fi

tmp=$(mktemp -d /tmp/porttop-termbytes.XXXXXX)
sock="porttop-termbytes-$$"
load_pid=
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	[ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip link set lo up
echo "40000 40999" >/proc/sys/net/ipv4/ip_local_port_range
mkfifo "$tmp/in"
"$NETLOAD" --deadline $((seconds * 6 + 60)) <"$tmp/in" >"$tmp/load.out" &
load_pid=$!
exec 3>"$tmp/in"
printf 'listen 127.0.0.1 8080\nconnect 127.0.0.1 8080 200\n' >&3
sleep 1

# measure SIZE CMD: prints "first-screen-bytes steady-bytes-per-refresh"
measure() {
	local cols=${1%x*} lines=${1#*x} cmd=$2 first total
	: >"$tmp/out"
	tmux -L "$sock" -f /dev/null new-session -d -x "$cols" -y "$lines" \
		"sleep 1; TERM=xterm-256color LANG=C.UTF-8 exec $cmd"
	tmux -L "$sock" pipe-pane -o "cat >>$tmp/out"
	sleep 4   # the first screen and the first refresh after it
	first=$(wc -c <"$tmp/out")
	sleep "$seconds"
	total=$(wc -c <"$tmp/out")
	tmux -L "$sock" kill-server 2>/dev/null
	echo "$first $(((total - first) / (seconds / 2)))"
}

printf '%-8s %-10s %14s %20s\n' "size" "program" "first screen" "bytes per refresh"
for size in 80x24 200x50; do
	for prog in porttop top; do
		case $prog in
		porttop) cmd="$PORTTOP -d 2" ;;
		top) cmd="top -d 2" ;;
		esac
		read -r first steady < <(measure "$size" "$cmd")
		printf '%-8s %-10s %14s %20s\n' "$size" "$prog" "$first" "$steady"
	done
done
echo "(refresh every 2 s for ${seconds} s; 200 ESTABLISHED connections in a private namespace)"
