#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A mixed load (listeners, established, TIME_WAIT, CLOSE_WAIT with its FIN_WAIT2 peer,
# bound-only sockets; IPv4 and IPv6): every TCP state count porttop gives equals what
# ss counts on the same namespace.  ss 6.1 cannot see bound-only sockets, so BOUND is
# checked against ss only where ss knows the bound-inactive state, else against the
# number of sockets the test bound.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_ok server "listen ::1 8080" "ok 8080"
nl_start keeper
nl_ok keeper "listen 127.0.0.1 8081 closewait" "ok 8081"
nl_start client
nl_ok client "connect 127.0.0.1 8080 20" "ok 20"
nl_ok client "connect ::1 8080 5" "ok 5"
nl_ok client "close 10" "ok 10"
nl_start leaver
nl_ok leaver "connect 127.0.0.1 8081 15" "ok 15"
nl_ok leaver "close 6" "ok 6"
nl_start holder
nl_ok holder "bind 127.0.0.1 7" "ok 7"
nl_ok holder "bind ::1 3" "ok 3"
bound=10

nl_wait_accepted server 15
nl_wait_accepted keeper 15
wait_until 5 "10 TIME_WAIT" ss_is time-wait 10
wait_until 5 "6 CLOSE_WAIT" ss_is close-wait 6
wait_until 5 "6 FIN_WAIT2" ss_is fin-wait-2 6

porttop_json
ss -tanH >"$NS_TMP/ss.txt"

# ss's state names -> porttop's
ss_state_counts() {
	awk '{ s = $1; gsub("-", "_", s)
	       if (s == "ESTAB") s = "ESTABLISHED"; else if (s == "UNCONN") s = "CLOSE"
	       else if (s == "BOUND_INACTIVE") s = "BOUND"
	       else if (s ~ /^FIN_WAIT_[12]$/) sub("WAIT_", "WAIT", s)
	       n[s]++ } END { for (s in n) print s, n[s] }' "$NS_TMP/ss.txt"
}
declare -A ss_n
while read -r state n; do ss_n[$state]=$n; done < <(ss_state_counts)

for state in $(pt '.states | keys_unsorted[]'); do
	[ "$state" = BOUND ] && continue
	assert_eq "states.$state = ss" "$(pt ".states.$state")" "${ss_n[$state]:-0}"
done
for state in "${!ss_n[@]}"; do
	[ "$(pt ".states | has(\"$state\")")" = true ] ||
		assert_eq "ss state $state known to porttop" "unknown" "$state"
done

if ss -tanH state bound-inactive >"$NS_TMP/ss-bound.txt" 2>/dev/null; then
	assert_eq "states.BOUND = ss state bound-inactive" "$(pt .states.BOUND)" "$(wc -l <"$NS_TMP/ss-bound.txt")"
else
	say "this ss does not know bound-inactive: BOUND checked against the $bound bound sockets"
	assert_eq "states.BOUND" "$(pt .states.BOUND)" "$bound"
fi
if [ -z "${ss_n[BOUND]:-}" ]; then
	assert_eq "TCP sockets = ss lines + bound" \
		"$(pt '[.states[]] | add')" "$(($(wc -l <"$NS_TMP/ss.txt") + bound))"
fi

# the pool: distinct local ports of the range in ss, plus the ports of the bound-only
# sockets (which ss 6.1 does not list; bound on two addresses, they may share ports;
# a union, so a newer ss that lists them changes nothing)
nl_cmd holder ports
read -r -a bound_ports <<<"$NL_REPLY"
bound_ports=("${bound_ports[@]:1}")   # the first word is the count
in_range() { awk '$1 >= 40000 && $1 <= 40099' | sort -u | wc -l; }
local_port() { awk -v state="$1" 'state == "" || $1 == state { p = $4; sub(/.*:/, "", p); print p }' "$NS_TMP/ss.txt"; }
pool=$( { local_port ""; printf '%s\n' "${bound_ports[@]}"; } | in_range)
assert_eq "tcp.in_use = distinct ports of ss and the bound sockets" "$(pt .tcp.in_use)" "$pool"
blocked=$( { local_port LISTEN; printf '%s\n' "${bound_ports[@]}"; } | in_range)
for dest in "127.0.0.1 127.0.0.1 8080" "::1 ::1 8080" "127.0.0.1 127.0.0.1 8081"; do
	# shellcheck disable=SC2086
	assert_eq "destination $dest capacity = 100 - ports of listeners and bound sockets" \
		"$(pt_dest $dest capacity)" "$((100 - blocked))"
done
# each port counts once, for the state that matters most on it (ESTABLISHED first):
# a TIME_WAIT port reused by an open connection to another destination is ESTABLISHED
assert_eq "tcp pool split adds up to in_use" \
	"$(pt '.tcp.established + .tcp.time_wait + .tcp.close_wait + .tcp.other')" "$(pt .tcp.in_use)"
assert_num "tcp.time_wait (ports held only by TIME_WAIT)" "$(pt .tcp.time_wait)" -le 10
assert_eq "tcp.close_wait (the CLOSE_WAIT ends are on port 8081)" "$(pt .tcp.close_wait)" 0
assert_eq "keeper row close_wait" "$(pt_row "${NL_PID[keeper]}" close_wait)" 6
ns_done
