#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# RLIMIT_NOFILE 64 (prlimit --nofile=64:64), batch and live: porttop needs a few
# descriptors of its own (netlink, the eBPF probes' maps and links, one /proc
# directory at a time), never one per socket or per process.  The load: a server
# with 150 connections from one client (300 sockets in two processes) and 80 more
# processes each holding a UDP socket, so sockets and owners both outnumber the
# limit.  Asserted: the batch JSON under the limit has the same figures (TCP and UDP
# in use, states, every process's pid:tcp:udp) as a run without it, with nothing on
# stderr, in every mode that opens more (--all-netns: a descriptor per namespace;
# -w: the recording); the live view shows every owner, the figures in its header,
# and quits with status 0.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40999
command -v prlimit >/dev/null || skip "prlimit (util-linux) not installed"

nl_named_server srv
nl_named_client cli 150
for ((i = 0; i < 80; i++)); do
	# the UDP socket is fd 3 of the sleep
	ns_bg "$NS_TMP/udp.$i" bash -c 'exec 3<>/dev/udp/127.0.0.1/9 && exec sleep 120'
done
udp_up() { [ "$(ss -uanH | wc -l)" -eq 80 ]; }
wait_until 30 "80 UDP sockets" udp_up

# figures FILE: what must not depend on the limit
figures() {
	jq -c '{tcp: .tcp.in_use, udp: .udp.in_use, states,
	        owners: ([.processes[] | select(.tcp + .udp > 0) | "\(.pid):\(.tcp):\(.udp)"] | sort)}' "$1"
}

# same_figures NAME JSON_LINE: the figures of the unlimited run (both shown when not)
same_figures() {
	local got
	got=$(figures /dev/stdin <<<"$2")
	if [ "$got" = "$want" ]; then
		say "ok   $1: the figures of an unlimited run"
	else
		say "FAIL $1: got $got"
		say "     expected $want"
		NS_FAILS=$((NS_FAILS + 1))
	fi
}

porttop_json
want=$(figures "$PT_OUT")
assert_eq "without a limit: processes holding sockets" "$(jq '[.processes[] | select(.tcp + .udp > 0)] | length' "$PT_OUT")" 82
assert_eq "without a limit: UDP in use" "$(pt .udp.in_use)" 80

# limited RUN_NAME ARGS...: porttop -b -f json under the limit; its output in PT_OUT
limited() {
	local name=$1 rc
	shift
	PT_OUT="$NS_TMP/limited.$name.json"
	timeout 60 prlimit --nofile=64:64 "$PORTTOP" -b -f json "$@" >"$PT_OUT" 2>"$PT_OUT.err"
	rc=$?
	assert_eq "$name: exit status under RLIMIT_NOFILE 64" "$rc" 0
	assert_eq "$name: nothing on stderr" "$(head -c 300 "$PT_OUT.err")" ""
}

limited batch -n 3 -d 0.2
assert_eq "batch: 3 samples" "$(wc -l <"$PT_OUT")" 3
same_figures batch "$(tail -n 1 "$PT_OUT")"
limited bpf-off -n 2 -d 0.2 --bpf=off
same_figures --bpf=off "$(tail -n 1 "$PT_OUT")"
limited record -n 3 -d 0.2 -w "$NS_TMP/rec"
same_figures -w "$(tail -n 1 "$PT_OUT")"
timeout 60 "$PORTTOP" -b -f json -r "$NS_TMP/rec" >"$NS_TMP/replayed.json" 2>&1
same_figures "-r of that recording" "$(tail -n 1 "$NS_TMP/replayed.json")"
limited all-netns -n 2 -d 0.2 --all-netns
here=$(stat -L -c %i /proc/self/ns/net)
same_figures "--all-netns, this namespace" "$(jq -c "select(.netns == $here)" "$PT_OUT" | tail -n 1)"

# live: the limit applies to porttop itself (prlimit execs it, same pid)
real=$PORTTOP
PORTTOP=prlimit
tui_start 100 120 --nofile=64:64 "$real" -d 0.5
PORTTOP=$real
assert_eq "live: porttop's own RLIMIT_NOFILE" \
	"$(awk '/^Max open files/ { print $4 " " $5 }' "/proc/$TUI_PID/limits" 2>/dev/null)" "64 64"
tui_wait "the table with the server" '^ +[0-9]+ .* srv$'
owners_on_screen() { [ "$(grep -cE '^ +[0-9]+ .* (srv|cli|sleep)$' <<<"$TUI_SCREEN")" -eq 82 ]; }
tui_until "all 82 owners on screen" owners_on_screen
assert_true "live: the TCP bar counts the 150 client connections" \
	eval '[[ $(tui_line 2) == *" 150/1000 (15 %)" ]]'
assert_true "live: the UDP bar counts the 80 UDP sockets" eval '[[ $(tui_line 3) == *" 80/1000 (8 %)" ]]'
tui_keys q
assert_eq "live: q quits with status 0" "$(tui_exit_status 10)" 0
tui_done
