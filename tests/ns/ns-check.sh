#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --format=check as a Monitoring Plugins plugin: exit 0/1/2 at loads below, between
# and above the thresholds (plain and @ ranges), 3 when the system cannot be read,
# when -t expires and on a bad threshold; the perfdata parses with the guidelines'
# grammar 'label'=value[UOM];[warn];[crit];[min];[max].
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

# check OUT ARGS...: one check run; its exit status in CHECK_RC, its output in OUT
check() {
	local out=$1
	shift
	timeout 30 "$PORTTOP" -f check "$@" >"$out" 2>"$out.err"
	CHECK_RC=$?
}

# The guidelines' perfdata grammar, item by item (a space separates items).
N='-?[0-9]+(\.[0-9]+)?'
RANGE="(@?((~|$N):)?($N)?)?"
ITEM="^('[^'=]+'|[^' =]+)=$N(s|ms|us|%|B|KB|MB|TB|c)?(;$RANGE(;$RANGE(;($N)?(;($N)?)?)?)?)?$"
TOKEN="^ *(('[^'=]+'|[^' =]+)=[^ ]*)(.*)$"
perfdata_ok() {  # perfdata_ok LINE: after '|', one or more valid items and nothing else
	local perf=${1#*|} item n=0
	[[ $1 == *"|"* ]] || return 1
	while [[ $perf =~ $TOKEN ]]; do
		item=${BASH_REMATCH[1]} perf=${BASH_REMATCH[3]}
		[[ $item =~ $ITEM ]] || { say "bad perfdata item '$item'"; return 1; }
		n=$((n + 1))
	done
	[[ $perf =~ ^\ *$ ]] || { say "perfdata left unparsed: '$perf'"; return 1; }
	[ "$n" -gt 0 ]
}
assert_true "control: the grammar refuses a bad item" eval '! perfdata_ok "PORTTOP OK - x | tcp=40%%;70" 2>/dev/null'
assert_true "control: the grammar takes the guidelines' example" perfdata_ok "X | 'time used'=1.5s;@1:2;~:3;0; b=5"

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
client=${NL_PID[client]}
# at_load N: the client holds N connections to the server (N of the range's 100 ports)
at_load() {
	nl_ok client "connect 127.0.0.1 8080 $(($1 - ${LOAD:-0}))" "ok $(($1 - ${LOAD:-0}))"
	LOAD=$1
	nl_wait_accepted server "$1"
}

out="$NS_TMP/check"
for load in 40 75 95; do
	at_load $load
	case $load in 40) want=0 word=OK ;; 75) want=1 word=WARNING ;; 95) want=2 word=CRITICAL ;; esac
	check "$out" --warning=70 --critical=90
	assert_eq "$load %, thresholds 70 and 90: exit status" "$CHECK_RC" $want
	line=$(head -n1 "$out")
	assert_match "$load %: the status line" "$line" \
		"^PORTTOP $word - destination 127\.0\.0\.1 -> 127\.0\.0\.1:8080 at $load\.0 % \($load/100 ports, mostly ESTABLISHED\) \| "
	assert_match "$load %: fullest perfdata with its thresholds" "$line" "\| fullest=$load\.00%;70;90;0;100 "
	assert_true "$load %: the perfdata parses" perfdata_ok "$line"
	assert_eq "$load %: one line without -v" "$(wc -l <"$out")" 1
	check "$out" --warning=@70:90 --critical=@90:100
	assert_eq "$load %, ranges @70:90 and @90:100: exit status" "$CHECK_RC" $want
	assert_match "$load %: ranges in the perfdata" "$(head -n1 "$out")" "fullest=$load\.00%;@70:90;@90:100;0;100 "
	assert_true "$load %: the perfdata with ranges parses" perfdata_ok "$(head -n1 "$out")"
done
# more of the syntax at 95 %: "N:" alerts below N, "~:N" above N
check "$out" --warning=96: --critical=~:99
assert_eq "95 %, --warning=96: (below 96) and --critical=~:99: WARNING" "$CHECK_RC" 1
check "$out" --warning=10:20 --critical=@0:94.5
assert_eq "95 %, outside 10:20 but not inside @0:94.5: WARNING" "$CHECK_RC" 1
check "$out" --critical=@94.5:95
assert_eq "95 %, inside @94.5:95 (ends included): CRITICAL" "$CHECK_RC" 2

# the defaults, --warning=80 --critical=95: 95 % is above 80 but not above 95
check "$out" -v
assert_eq "-v, default thresholds: 95 % is WARNING" "$CHECK_RC" 1
assert_match "-v: the default thresholds in the perfdata" "$(head -n1 "$out")" "\| fullest=95\.00%;80;95;0;100 "
assert_eq "-v: the destination in the long output" "$(sed -n 3p "$out")" \
	"  destination 127.0.0.1 -> 127.0.0.1:8080 at 95.0 % (95/100 ports, mostly ESTABLISHED)"
assert_match "-v: the client in the long output" "$(grep "pid $client " "$out")" \
	"^  pid $client [^ ]+ \(root\): 95 ephemeral ports, 0 TIME_WAIT, 0 CLOSE_WAIT$"
assert_true "-v: the first line is still the status with its perfdata" perfdata_ok "$(head -n1 "$out")"

# UNKNOWN: a namespace that cannot be opened, a sysctl that cannot be read
check "$out" --netns="$NS_TMP/no-such-namespace"
assert_eq "unreadable namespace: UNKNOWN" "$CHECK_RC" 3
assert_match "unreadable namespace: the status line" "$(cat "$out")" '^PORTTOP UNKNOWN - '
unshare -m true 2>/dev/null || skip "'unshare -m' does not work here"
timeout 30 unshare -m --propagation private -- "$BASH" -c \
	'mount -t tmpfs none /proc/sys/net/ipv4 && exec "$0" -f check' "$PORTTOP" >"$out" 2>"$out.err"
assert_eq "hidden range sysctl: UNKNOWN" "$?" 3
assert_match "hidden range sysctl: the reason on stderr" "$(cat "$out.err")" 'ip_local_port_range'

# -t: a sysctl read that never ends (the range is a FIFO nobody writes: its open()
# waits for a writer) is cut by the timeout, not by the test's
start=$SECONDS
timeout 30 unshare -m --propagation private -- "$BASH" -c \
	'mount -t tmpfs none /proc/sys/net/ipv4 && mkfifo /proc/sys/net/ipv4/ip_local_port_range &&
	exec "$0" -f check -t 1' "$PORTTOP" >"$out" 2>"$out.err"
CHECK_RC=$?
assert_eq "-t 1 on a hanging read: UNKNOWN" "$CHECK_RC" 3
assert_eq "-t 1: the status line" "$(cat "$out")" "PORTTOP UNKNOWN - timed out after 1 s"
assert_num "-t 1: ended well within the test's timeout (30 s)" $((SECONDS - start)) -le 15

# bad thresholds: usage errors, UNKNOWN for a check
for bad in --warning=abc --critical=20:10 --warning=@ "--warning=95 --critical=90" --timeout=0; do
	# shellcheck disable=SC2086 # two flags in one case
	check "$out" $bad
	assert_eq "$bad: UNKNOWN" "$CHECK_RC" 3
	assert_eq "$bad: the status line" "$(cat "$out")" "PORTTOP UNKNOWN - invalid command line (see porttop --help)"
	assert_match "$bad: the reason on stderr" "$(head -n1 "$out.err")" '^porttop: '
done
timeout 30 "$PORTTOP" -b --warning=abc >"$out" 2>&1
assert_eq "without --format=check a bad threshold exits 2" "$?" 2
ns_done
