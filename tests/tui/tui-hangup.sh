#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The terminal goes away under porttop (an ssh connection dropped, the tmux pane or
# server killed: the pty's master is closed) while porttop ignores SIGHUP, as under
# nohup or `trap '' HUP`, so that only the dead terminal can tell it to stop.  In
# the main view, in the range prompt and in the kill question, porttop ends within
# a few seconds with status 129 (as for SIGHUP), uses next to no CPU time between
# the hangup and its end (no loop on a terminal that reads end of file at once),
# and the question it was asking sends nothing; batch output to the terminal ends
# at its next write, with status 1 as into a closed pipe.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
nl_named_client victim 5
T=$NS_TMP
TICKS=$(getconf CLK_TCK)

# The pane runs this bash, which ignores SIGHUP (and so does porttop, which inherits
# it), outlives the terminal, and writes porttop's pid, CPU seconds and status.
cat >"$T/nohup.sh" <<EOF
trap '' HUP
TIMEFORMAT='%3U %3S'
{ time sh -c 'echo \$\$ >"$T/pid"; exec "\$0" "\$@"' "\$@" 2>"$T/err"; } 2>"$T/cpu"
echo \$? >"$T/rc"
EOF

# cpu_ticks PID: user + system time of PID so far, in clock ticks
cpu_ticks() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	read -r -a f <<<"$stat"
	echo $((f[11] + f[12]))  # fields 14 and 15 of proc(5), counted from field 3
}

# hangup LABEL HOW [STATUS]: porttop (already started and in the state LABEL names)
# loses its terminal: HOW is session (the pane's session killed) or server (tmux
# killed); it must end with STATUS (default 129)
hangup() {
	local label=$1 how=$2 want=${3:-129} pid before started ms cpu_after i
	pid=$(cat "$T/pid")
	before=$(cpu_ticks "$pid") || fatal "$label: porttop is gone before the hangup"
	started=${EPOCHREALTIME/[.,]/}
	case $how in
	session) tui_tmux kill-session -t "$TUI_SESSION" ;;
	server) tui_tmux kill-server ;;
	esac
	# generous on a loaded machine; a porttop that spins or waits for ever fails here,
	# and is killed then (it is no job of this script's, so ns_cleanup would not)
	for ((i = 0; i < 400; i++)); do
		[ -s "$T/rc" ] && break
		sleep 0.05
	done
	if [ ! -s "$T/rc" ]; then
		say "$label: CPU time after the hangup: $(($(cpu_ticks "$pid") - before)) ticks"
		kill -KILL "$pid"
		fatal "$label: porttop still runs 20 s after its terminal went away"
	fi
	ms=$(((${EPOCHREALTIME/[.,]/} - started) / 1000))
	say "$label: porttop ended $ms ms after the hangup"
	assert_eq "$label: exit status" "$(cat "$T/rc")" "$want"
	assert_eq "$label: nothing on standard error" "$(cat "$T/err")" ""
	# the CPU time of porttop's whole life (bash's `time`), less what it had used
	# before the hangup: a loop on the dead terminal burns ~1 s of CPU per second
	cpu_after=$(awk -v b="$before" -v hz="$TICKS" '{ printf "%d", ($1 + $2) * 1000 - b * 1000 / hz }' "$T/cpu")
	assert_num "$label: CPU time between the hangup and the end (ms)" "$cpu_after" -lt 300
	rm -f "$T/rc" "$T/pid" "$T/cpu" "$T/err"
}

# start LABEL ARGS...: porttop -d 60 ARGS in a fresh 80x24 pane, under the bash
# that ignores SIGHUP.  No refresh after the first: whatever CPU time porttop uses
# between the hangup and its end, on however loaded a machine, is the hangup's.
start() {
	local label=$1 ignored
	shift
	tui_new 80 24 "$(tui_env_cmd bash --norc --noprofile "$T/nohup.sh" "$PORTTOP" -d 60 "$@")"
	wait_until 10 "$label: porttop's pid" test -s "$T/pid"
	tui_wait "$label: porttop's screen" '^ +PID USER'
	ignored=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$(cat "$T/pid")/status")
	assert_eq "$label: porttop ignores SIGHUP (bit 0 of SigIgn)" "$((0x$ignored & 1))" 1
}

start main
hangup "the main view, the pane killed" session

start prompt
tui_keys r
tui_wait "the range prompt" '^New ip_local_port_range'
hangup "the range prompt, the tmux server killed" server

start question -p "${NL_PID[victim]}"
tui_wait "the victim's row" ' victim$'
tui_keys k
tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
tui_keys Enter
tui_wait "the kill question" "^Kill ${NL_PID[victim]} \(victim\) with TERM\? \[y/N\] ?$"
hangup "the kill question, the pane killed" session
assert_true "the question asked when the terminal went sends nothing" alive "${NL_PID[victim]}"

# batch output to the terminal: the next write after the hangup fails (EIO), and
# porttop ends as in a closed pipe, status 1 (-d 1 here, the later -d wins)
start batch -b -n 0 -d 1
hangup "batch output, the pane killed" session 1
tui_done
