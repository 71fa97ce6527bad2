#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pinned probes record before porttop starts: --bpf-pin loads them and exits, a client
# makes 100 short connections to a 100-port range, fails 5 times and exits, and only
# then a fresh `porttop -b` runs: it charges all 100 TIME_WAIT and the 5 failures to
# the exited client.  --bpf-unpin then leaves none of the pinned programs loaded.
# Unpinned probes go with the porttop that loaded them, even after kill -KILL.
# The bpffs is the test's own (a private mount namespace); a lock keeps two runs of
# this test (plain and sanitizer builds run by two developers) one after the other.
NS_MOUNT=1
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099 0
bpf_need
command -v bpftool >/dev/null || skip "bpftool not installed"
command -v flock >/dev/null || skip "flock (util-linux) not installed"
exec {lock}>"${TMPDIR:-/tmp}/porttop-bpf-pin.lock"
flock -w 120 "$lock" || fatal "another ns-bpf-pin run held the lock for 2 minutes"
NS_FDS+=("$lock")  # the processes this test starts do not hold the lock
mount -t bpf bpf /sys/fs/bpf || skip "cannot mount a bpffs in a private mount namespace"

pin=/sys/fs/bpf/porttop
"$PORTTOP" --bpf-pin 2>"$NS_TMP/pin.err"
assert_eq "--bpf-pin exit status" "$?" 0
assert_eq "pinned objects" "$(ls "$pin" 2>/dev/null | sort | tr '\n' ' ')" \
	"births connects fail_dests fail_procs link_set_state link_sys_exit netns_watch pending prog_set_state prog_sys_exit "
progs=$(for p in prog_sys_exit prog_set_state; do bpftool prog show pinned "$pin/$p" -j | jq -r .id; done | tr '\n' ' ')
assert_match "pinned program ids" "$progs" '^[0-9]+ [0-9]+ $'
"$PORTTOP" --bpf-pin 2>"$NS_TMP/pin2.err"
assert_eq "a second --bpf-pin: exit status" "$?" 0
assert_match "a second --bpf-pin says so" "$(cat "$NS_TMP/pin2.err")" "already pinned"

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
client=${NL_PID[client]}
nl_ok client "churnfail 127.0.0.1 8080 5" "ok 100 failed 5 EADDRNOTAVAIL"
nl_ok client quit bye
wait "$client"
wait_until 5 "100 sockets in TIME_WAIT" ss_is time-wait 100

porttop_json
assert_eq "bpf" "$(pt .bpf)" true
assert_eq "bpf_pinned" "$(pt .bpf_pinned)" true
assert_eq "exited client row time_wait" "$(pt_row "$client" time_wait)" 100
assert_eq "exited client row exited" "$(pt_row "$client" exited)" true
assert_eq "exited client row connect_failures" "$(pt_row "$client" connect_failures)" 5
assert_eq "time_wait_unattributed" "$(pt .time_wait_unattributed)" 0
assert_eq "connect_failures.total (from before porttop started)" "$(pt .connect_failures.total)" 5
assert_eq "failing pid" "$(pt '.connect_failures.processes[0].pid')" "$client"
"$PORTTOP" --bpf-unpin
assert_eq "--bpf-unpin exit status" "$?" 0
assert_true "nothing left under $pin" test ! -e "$pin"
# shellcheck disable=SC2086 # two ids
wait_until 10 "the pinned programs to be freed" bpf_progs_gone $progs
"$PORTTOP" --bpf-unpin 2>"$NS_TMP/unpin2.err"
assert_eq "a second --bpf-unpin: exit status" "$?" 0
assert_match "a second --bpf-unpin says so" "$(cat "$NS_TMP/unpin2.err")" "nothing pinned"

# a private copy: its programs live exactly as long as the porttop holding their links
PT_OUT="$NS_TMP/private.json"
ns_bg "$PT_OUT" timeout "$NS_DEADLINE" "$PORTTOP" -b -n 1000 -d 0.5 --format json
wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1
private=$(ps -o pid= --ppid "$NS_BG_PID" | tr -d ' ')  # timeout's child
assert_eq "private copy: bpf_pinned" "$(pt .bpf_pinned 1)" false
own=$(bpf_fd_progs "$private")
assert_match "the private porttop's program ids" "$own" '^[0-9]+ [0-9]+ $'
kill -KILL "$private"
wait "$NS_BG_PID" 2>/dev/null
# shellcheck disable=SC2086 # two ids
wait_until 10 "the killed porttop's programs to be freed" bpf_progs_gone $own
ns_done
