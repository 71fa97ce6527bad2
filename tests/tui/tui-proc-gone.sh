#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A /proc that disappears under porttop, as in a container's teardown: porttop runs
# in a mount namespace of its own (unshare -m, private propagation: nothing reaches
# the test's or the host's mounts), and once it has shown real figures its /proc is
# lazily unmounted (nsenter -m umount -l /proc).  Batch, a --output service and the
# live view each end within 20 s with exit status 1 and "porttop: /proc is not
# mounted (any more): ..." on stderr; none crashes, hangs or prints a sample made
# without /proc (every JSON sample shows the 5 connections and their owner).  The
# Prometheus file of the service says porttop_up 0 before it ends.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099
command -v nsenter >/dev/null || skip "nsenter (util-linux) not installed"
unshare -m --propagation private true 2>/dev/null || skip "'unshare -m' does not work here"

nl_named srv
nl_self_connect srv 5
srv=${NL_PID[srv]}
gone_msg='^porttop: /proc is not mounted \(any more\): '
# LeakSanitizer (a sanitizer build) reads /proc at exit to find the threads it stops:
# without /proc it can only fail, and with the suite's abort_on_error it would turn
# porttop's exit status 1 into an abort
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# unmount_proc_of PID: its mount namespace loses /proc (not ours: checked first)
unmount_proc_of() {
	[ "$(readlink "/proc/$1/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] ||
		fatal "porttop shares our mount namespace: not unmounting /proc"
	nsenter -t "$1" -m umount -l /proc || fatal "cannot unmount /proc in porttop's mount namespace"
	say "unmounted /proc under porttop (pid $1)"
}

# ends_with_1 PID OUT: PID ends within 20 s; its status must be 1
ends_with_1() {
	local pid=$1 i rc
	for ((i = 0; i < 400; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		fatal "porttop still running 20 s after its /proc went away"
	fi
	wait "$pid"
	rc=$?
	assert_eq "$2: exit status" "$rc" 1
}

# --- batch ---
out=$NS_TMP/batch.json
ns_bg "$out" unshare -m --propagation private "$PORTTOP" -b -f json -n 0 -d 0.2
pid=$NS_BG_PID
wait_until 20 "three samples" has_lines "$out" 3
unmount_proc_of "$pid"
ends_with_1 "$pid" batch
assert_match "batch: says /proc is gone" "$(head -n 1 "$out.err")" "$gone_msg"
# (LeakSanitizer, in a sanitizer build, cannot run without /proc and says so: "==PID==")
assert_eq "batch: nothing else on stderr" "$(grep -vc '^==[0-9]*==' "$out.err")" 1
assert_eq "batch: every sample printed is JSON with the 5 connections" \
	"$(jq -c '[.tcp.in_use, (.processes[] | select(.pid == '"$srv"') | .tcp)]' "$out" | sort -u)" "[5,11]"

# --- a --output service: retries errors, but not this one ---
prom=$NS_TMP/porttop.prom
ns_bg "$NS_TMP/service.out" unshare -m --propagation private "$PORTTOP" -b -f prometheus -n 0 -d 0.2 \
	--output "$prom"
pid=$NS_BG_PID
up_is() { grep -qx "porttop_up $1" "$prom" 2>/dev/null; }
wait_until 20 "the service's first file" up_is 1
unmount_proc_of "$pid"
ends_with_1 "$pid" "--output service"
assert_match "--output service: says /proc is gone" "$(head -n 1 "$NS_TMP/service.out.err")" "$gone_msg"
assert_true "--output service: its last file says porttop_up 0" up_is 0

# --- the live view ---
real=$PORTTOP
PORTTOP=unshare
TUI_ENV=()
rm -f "$NS_TMP/live.err"
tui_new 100 30 "$(tui_env_cmd unshare -m --propagation private "$real" -d 0.3) 2>$(printf %q "$NS_TMP/live.err"); echo rc=\$? >$(printf %q "$NS_TMP/live.rc")"
PORTTOP=$real
tui_wait "the table with the server" '^ +[0-9]+ .* srv$'
pid=$(child_of "$TUI_PANE_PID")
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = porttop ] || fatal "no porttop in the pane"
unmount_proc_of "$pid"
rc_written() { [ -s "$NS_TMP/live.rc" ]; }
wait_until 20 "the live view to end" rc_written
assert_eq "live: exit status" "$(cat "$NS_TMP/live.rc")" "rc=1"
assert_match "live: says /proc is gone once the terminal is back" "$(head -n 1 "$NS_TMP/live.err")" "$gone_msg"
tui_capture
assert_eq "live: the terminal left the alternate screen" "$(tui_fmt '#{alternate_on}')" 0
tui_done
