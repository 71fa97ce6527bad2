#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Signals in batch mode, as porttop(1) EXIT STATUS says: a loop printing to standard
# output dies of SIGTERM, SIGINT and SIGHUP like any filter (status 128+N); a service
# loop (--output) and a quiet recording (-w FILE -n 0) finish the file and exit 0.
# A signal ignored when porttop started stays ignored (nohup, `trap '' HUP`): the
# recording outlives the hangup of the login that started it, and SIGTERM still ends it.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start srv
nl_ok srv "listen 127.0.0.1 8080" "ok 8080"
nl_ok srv "connect 127.0.0.1 8080 3" "ok 3"

# ended_by LABEL PID SIGNAL STATUS: SIGNAL sent to PID, which ends with STATUS
ended_by() {
	local label=$1 pid=$2 sig=$3 want=$4 i
	kill -s "$sig" "$pid"
	for ((i = 0; i < 400; i++)); do  # 20 s: generous on a loaded machine
		alive_pid "$pid" || break
		sleep 0.05
	done
	alive_pid "$pid" && fatal "$label: porttop still runs 20 s after SIG$sig"
	wait "$pid"
	assert_eq "$label: SIG$sig gives exit status $want" "$?" "$want"
}
alive_pid() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}
# lines FILE: how many whole lines FILE has
lines() { wc -l <"$1"; }

for sig in TERM INT HUP; do
	out="$NS_TMP/stdout.$sig"
	ns_bg "$out" "$PORTTOP" -b -f json -n 0 -d 0.1
	pid=$NS_BG_PID
	wait_until 20 "stdout loop: two samples before SIG$sig" eval '[ "$(lines "$out")" -ge 2 ]'
	case $sig in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; esac
	ended_by "stdout loop" "$pid" "$sig" $((128 + n))
done

for sig in TERM INT HUP; do
	prom="$NS_TMP/p.$sig.prom"
	ns_bg "$NS_TMP/service.$sig" "$PORTTOP" -b -f prometheus -n 0 -d 0.1 --output="$prom"
	pid=$NS_BG_PID
	wait_until 20 "--output loop: the file before SIG$sig" test -s "$prom"
	ended_by "--output loop" "$pid" "$sig" 0
	assert_eq "--output loop, SIG$sig: the file is whole" "$(grep -c '^porttop_up 1$' "$prom")" 1
	assert_eq "--output loop, SIG$sig: no temporary file left" "$(ls -A "$NS_TMP" | grep -c '^\.p\.')" 0
	assert_eq "--output loop, SIG$sig: nothing on standard error" "$(cat "$NS_TMP/service.$sig.err")" ""
done

# a recording started with SIGHUP ignored, as nohup does
rec="$NS_TMP/rec"
ns_bg "$NS_TMP/rec.out" bash -c 'trap "" HUP; exec "$0" "$@"' "$PORTTOP" -w "$rec" -n 0 -d 0.1
pid=$NS_BG_PID
wait_until 20 "the recording" test -s "$rec"
kill -s HUP "$pid"
size=$(stat -c %s "$rec")
# it goes on: the file grows after the hangup
wait_until 20 "the recording to grow after SIGHUP" eval '[ "$(stat -c %s "$rec")" -gt "$size" ]'
assert_true "a recording with SIGHUP ignored outlives SIGHUP" alive_pid "$pid"
ended_by "recording with SIGHUP ignored" "$pid" TERM 0
assert_eq "the recording replays" "$("$PORTTOP" -b -f json -r "$rec" -n 1 | jq '.tcp.in_use')" 3
assert_eq "the recording: nothing on standard error" "$(cat "$NS_TMP/rec.out.err")" ""

# the same recording without nohup: SIGHUP ends it like SIGTERM
ns_bg "$NS_TMP/rec2.out" "$PORTTOP" -w "$rec.2" -n 0 -d 0.1
pid=$NS_BG_PID
wait_until 20 "the second recording" test -s "$rec.2"
ended_by "recording" "$pid" HUP 0
ns_done
