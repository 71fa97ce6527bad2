#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --netns looks into another network namespace: its range and reserved ports, its
# sockets and their owners, never porttop's own.  The target is a named namespace
# (ip netns add) with range 41000-41099 and 10 reserved ports, where a client holds
# 30 connections and has closed 10 of them; porttop runs in the test's namespace
# (range 40000-40099), where another client holds 5 connections.  The same
# namespace is named three ways: by name, by a pid in it, by a path.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

target="porttop-test-$$"
ns_add_named "$target" 41000 41099 41000-41009
target_inode=$(stat -L -c %i "/run/netns/$target")

# in the target namespace
nl_start_in tserver "$target"
nl_ok tserver "listen 127.0.0.1 8080" "ok 8080"
nl_start_in tclient "$target"
nl_ok tclient "connect 127.0.0.1 8080 30" "ok 30"
nl_wait_accepted tserver 30
nl_ok tclient "close 10" "ok 10"
in_target_tw() { [ "$(ip netns exec "$target" ss -tanH state time-wait | wc -l)" -eq 10 ]; }
wait_until 5 "10 sockets in TIME_WAIT in $target" in_target_tw
# in porttop's own namespace
nl_start server
nl_ok server "listen 127.0.0.1 9090" "ok 9090"
nl_start client
nl_ok client "connect 127.0.0.1 9090 5" "ok 5"
nl_wait_accepted server 5
tclient=${NL_PID[tclient]} tserver=${NL_PID[tserver]} client=${NL_PID[client]}

for spec in "$target" "$tclient" "/proc/$tserver/ns/net"; do
	porttop_json --netns "$spec"
	assert_eq "--netns $spec: netns" "$(pt .netns)" "$target_inode"
	assert_eq "--netns $spec: range.low" "$(pt .range.low)" 41000
	assert_eq "--netns $spec: range.reserved" "$(pt .range.reserved)" 10
	assert_eq "--netns $spec: range.usable" "$(pt .range.usable)" 90
	assert_eq "--netns $spec: tcp_tw_reuse" "$(pt .tcp_tw_reuse)" 0
	assert_eq "--netns $spec: tcp.in_use" "$(pt .tcp.in_use)" 30
	assert_eq "--netns $spec: states.ESTABLISHED" "$(pt .states.ESTABLISHED)" 40
	assert_eq "--netns $spec: states.TIME_WAIT" "$(pt .states.TIME_WAIT)" 10
	assert_eq "--netns $spec: destination in_use" "$(pt_dest 127.0.0.1 127.0.0.1 8080 in_use)" 30
	assert_eq "--netns $spec: destination capacity" "$(pt_dest 127.0.0.1 127.0.0.1 8080 capacity)" 90
	assert_eq "--netns $spec: target client row tcp" "$(pt_row "$tclient" tcp)" 20
	assert_eq "--netns $spec: target server row tcp" "$(pt_row "$tserver" tcp)" 21
	assert_eq "--netns $spec: own namespace's client" "$(pt_row "$client" tcp)" no-row
done

# without --netns porttop sees its own namespace, as before
porttop_json
assert_eq "own: range.low" "$(pt .range.low)" 40000
assert_eq "own: netns" "$(pt .netns)" "$(stat -L -c %i /proc/self/ns/net)"
assert_eq "own: client row tcp" "$(pt_row "$client" tcp)" 5
assert_eq "own: target client" "$(pt_row "$tclient" tcp)" no-row

# what cannot be looked into is said, with the reason, and nothing is printed
bad() {
	local out rc
	out=$(LC_ALL=C LANGUAGE= timeout 30 "$PORTTOP" -b --netns "$1" 2>&1 >/dev/null)
	rc=$?
	assert_eq "--netns '$1' exit status" "$rc" "$2"
	assert_match "--netns '$1' message" "$out" "$3"
}
bad "porttop-no-such-$$" 1 "network namespace of --netns: No such file or directory"
bad /etc/hostname 1 "network namespace of --netns: not a network namespace"
bad /proc/self/ns/uts 1 "network namespace of --netns: not a network namespace"
bad .. 1 "network namespace of --netns: not a network namespace"
# a FIFO is refused at once: opening it does not wait for a writer
mkfifo "$NS_TMP/fifo" || fatal "mkfifo failed"
start=$SECONDS
bad "$NS_TMP/fifo" 1 "network namespace of --netns: not a network namespace"
assert_num "--netns FIFO: refused within 10 s, not by the test's timeout" $((SECONDS - start)) -le 10
bad "" 2 "--netns needs a name, a path or a PID"
ns_done
