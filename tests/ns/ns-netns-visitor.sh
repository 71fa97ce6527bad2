#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --all-netns opens an unnamed namespace through /proc/PID/ns/net of a process seen
# in it, but that is where the process is now: one that only visits (setns() into it
# and back, as another porttop reading every namespace does) may have gone home by
# then.  With such a visitor (the lower pid, so the first seen) going in and out of a
# namespace a sleep holds, every --all-netns run lists that namespace once, with its
# own range, and no namespace twice.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099
NSVISIT=${NSVISIT:-$(dirname "$NETLOAD")/nsvisit}
[ -x "$NSVISIT" ] || fatal "NSVISIT=$NSVISIT is not an executable (make check builds it)"

# the visitor first, so that its pid is the lower; it learns the holder's pid after
# shellcheck disable=SC2016 # expanded by the inner sh
ns_bg "$NS_TMP/visitor.out" sh -c 'while [ ! -s "$1" ]; do sleep 0.01; done
	exec "$0" "$(cat "$1")" 60' "$NSVISIT" "$NS_TMP/held.pid"
visitor=$NS_BG_PID
nl_spawn_held held 42000 42099
held=${NL_PID[held]}
[ "$visitor" -lt "$held" ] || skip "pids wrapped: the visitor's $visitor is not below $held"
ino_held=$(stat -L -c %i "/proc/$held/ns/net")
echo "$held" >"$NS_TMP/held.pid"
wait_until 10 "the visitor going in and out" has_lines "$NS_TMP/visitor.out" 1
assert_eq "the visitor" "$(head -n 1 "$NS_TMP/visitor.out")" ok

runs=30 once=0 twice=0 range=0
for ((i = 0; i < runs; i++)); do
	out=$("$PORTTOP" -b --all-netns -f json 2>>"$NS_TMP/pt-errors") || fatal "porttop --all-netns failed"
	[ "$(jq -s "[.[] | select(.netns == $ino_held)] | length" <<<"$out")" = 1 ] && once=$((once + 1))
	[ -z "$(jq -r .netns <<<"$out" | sort | uniq -d)" ] || twice=$((twice + 1))
	[ "$(jq -rs "[.[] | select(.netns == $ino_held)][0] | \"\(.range.low)-\(.range.high)\"" <<<"$out")" = 42000-42099 ] &&
		range=$((range + 1))
done
assert_eq "runs listing the visited namespace once" "$once" "$runs"
assert_eq "runs listing a namespace twice" "$twice" 0
assert_eq "runs giving the visited namespace its own range" "$range" "$runs"
assert_true "the visitor was still at it" kill -0 "$visitor"
ns_done
