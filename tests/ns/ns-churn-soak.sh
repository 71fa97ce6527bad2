#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Churn soak: porttop -b -f json -n 500 -d 0.1 while, in a private network namespace,
# tests/helpers/churnload keeps 200 connections to 127.0.0.1:8080 and replaces 1000 of
# them a second (1000 connects and 1000 closes a second, each close leaving a
# TIME_WAIT up to tcp_max_tw_buckets 1200, about 1700 TCP sockets in all), and forks
# 20 processes a second, each holding a connection and a UDP socket for 0.2-2 s.
# Every 10 s of load it pauses 2 s (a quiet point), at most four times, all in its
# first 55 s (before any TIME_WAIT can expire).
#
# Asserted, with these bounds:
#   - porttop exits 0 and prints 500 JSON samples.
#   - States, samples 1-499 (the 500th has no next time to bound it): porttop's dump
#     of sample i lies between its time T(i) (stamped before the dump, source.c) and
#     T(i+1) - 100 ms (batch.c sleeps -d after the refresh).  `churnload sample` dumps
#     sock_diag back to back, 5 ms apart; the dump nearest to that span is the
#     witness.  Each socket operation of the load (a connect, a close, an EOF served,
#     a child up or reaped) moves at most 2 sockets in or out of any one state (a
#     connect: the client and the accepted socket into ESTABLISHED; a close: both out
#     of it), so for every state
#         |porttop - witness| <= 2 * (operations the load logged in the union of the two
#                                     dumps' spans and the 30 ms before: loopback
#                                     delivers in the sender's context, the 30 ms are
#                                     slack for a softirq run late)
#     and TIME_WAIT may also lose the TIME_WAITs that expire meanwhile: at most the
#     closes 59.9-68 s earlier (TCP_TIMEWAIT_LEN, and the timer wheel is late by at
#     most an eighth).  The operations come from churnload's own log (DIR/events,
#     every 10 ms), so the bound follows the load's real rate: about 3000 operations
#     a second, a bound of about 600 for a 65 ms refresh on a loaded machine, where
#     the differences seen are below 40.  That bound is loose by nature (two dumps
#     of a churning table are never the same instant); the exact checks are these:
#   - At each quiet point, every sample whose span lies inside it, after the snapshot
#     the load took there, has exactly the snapshot's state counts; and every such
#     sample whose previous sample was also after the snapshot's start (owners.c: a
#     socket opened in place of another fd is attributed one scan late) has exactly
#     the owner figures (pid, tcp, udp of each process holding sockets) of the full
#     /proc/PID/fd scan of the snapshot, whatever porttop's incremental owner cache
#     kept from the churn before.  At least two quiet points must be sampled.
#   - RSS (VmRSS, sampled every 0.2 s) flat after the warm-up (the first 10 s: the
#     TIME_WAITs reach their cap in 1.2 s, the first full owner scans, buffers grown
#     to the socket count): the largest RSS afterwards is at most 10 % + 2 MiB above
#     the largest during the warm-up (about 9-13 MiB here), so a leak of 10 KiB a
#     refresh fails it; tests/leaks/valgrind-batch.sh finds the smaller ones.  Not
#     under AddressSanitizer (its quarantine grows to 256 MiB by design).
# Wall time: 60-90 s (the 500 refreshes; under the sanitizers 2-3 times that),
# bounded by an 840 s limit (a hang, not a slow machine, should fail it).
. "$(dirname "$0")/lib.sh"
ns_enter 40000 49999
[ -x "${CHURNLOAD:-}" ] || fatal "CHURNLOAD=${CHURNLOAD:-} is not an executable (make check builds it)"
ns_sysctl tcp_max_tw_buckets 1200
dir=$NS_TMP/churn
# porttop's own limit; the load and the witness outlast it (they end when it has)
limit=900
mkdir "$dir" || fatal "mkdir $dir"

ns_bg "$dir/load.out" "$CHURNLOAD" load "$dir" 8080 200 1000 20 "$limit" 10 2
load=$NS_BG_PID
wait_until 60 "the load to be up" grep -qs '^ready$' "$dir/load.out"
ns_bg "$dir/sampler.out" "$CHURNLOAD" sample "$dir/witness" "$limit"
sampler=$NS_BG_PID
wait_until 30 "the witness to dump" has_lines "$dir/witness" 1

export TZ=UTC  # the times in the JSON end in +00:00
delay_ms=100
ns_bg "$dir/porttop.json" "$PORTTOP" -b -f json -n 500 -d "$(printf '0.%03d' "$delay_ms")"
porttop=$NS_BG_PID
started=$(date +%s%N)
: >"$dir/rss"
while kill -0 "$porttop" 2>/dev/null; do
	now=$(date +%s%N)
	if [ $(((now - started) / 1000000000)) -ge $((limit - 60)) ]; then
		kill "$porttop"
		fatal "porttop still running after $((limit - 60)) s"
	fi
	# AddressSanitizer's quarantine and shadow grow by design: no measure of porttop's
	[ -z "${asan:-}" ] && asan=$(grep -c libasan "/proc/$porttop/maps" 2>/dev/null)
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$porttop/status" 2>/dev/null)
	[ -n "$rss" ] && echo "$(((now - started) / 1000000)) $rss" >>"$dir/rss"
	sleep 0.2
done
wait "$porttop"
rc=$?
kill "$load" "$sampler" 2>/dev/null
wait "$load" "$sampler" 2>/dev/null
say "porttop took $(( ($(date +%s%N) - started) / 1000000 )) ms"
assert_eq "porttop exit status" "$rc" 0
[ -s "$dir/porttop.json.err" ] && say "porttop said on stderr: $(head -c 300 "$dir/porttop.json.err")"
assert_eq "samples printed" "$(jq -c . "$dir/porttop.json" 2>/dev/null | wc -l)" 500
PT_OUT=$dir/porttop.json

# the load's real pace
read -r first_ms first_ops first_closes < <(head -n 1 "$dir/events")
read -r last_ms last_ops last_closes < <(tail -n 1 "$dir/events")
closes_per_s=$(( (last_closes - first_closes) * 1000 / (last_ms - first_ms + 1) ))
say "the load: $((last_ops - first_ops)) operations, $((last_closes - first_closes)) closes in $((last_ms - first_ms)) ms"
# a loaded 2-core machine may not keep up with 1000 a second; the churn must still be real
assert_num "connections closed and opened again per second" "$closes_per_s" -ge 300

# porttop's samples: "TIME_MS E SS SR F1 F2 TW CL CW LA LI CG" and "pid:tcp:udp ..."
jq -r '[((.time[0:19] + "Z") | fromdateiso8601) * 1000 + (.time[20:23] | tonumber),
	.states.ESTABLISHED, .states.SYN_SENT, .states.SYN_RECV, .states.FIN_WAIT1,
	.states.FIN_WAIT2, .states.TIME_WAIT, .states.CLOSE + .states.BOUND, .states.CLOSE_WAIT,
	.states.LAST_ACK, .states.LISTEN, .states.CLOSING] | map(tostring) | join(" ")' \
	"$PT_OUT" >"$dir/pt-states" || fatal "cannot read porttop's states"
jq -r '[.processes[] | select(.tcp + .udp > 0) | "\(.pid):\(.tcp):\(.udp)"] | sort | join(" ")' \
	"$PT_OUT" >"$dir/pt-owners" || fatal "cannot read porttop's owners"
read -r last_sample _ < <(tail -n 1 "$dir/pt-states")
assert_num "the load ran until porttop's last sample (ms)" "$last_ms" -ge "$last_sample"

# --- every sample against its witness, within the churn between the two dumps ---
awk -v events="$dir/events" -v witness="$dir/witness" -v delay="$delay_ms" '
function cum(t, col, before,   lo, hi, mid) {
	# col of the last log line at or before t (before), or of the first at or after t
	lo = 1; hi = n_ev
	if (before) {
		if (t < ev_t[1]) return 0
		while (lo < hi) { mid = int((lo + hi + 1) / 2); if (ev_t[mid] <= t) lo = mid; else hi = mid - 1 }
	} else {
		if (t > ev_t[n_ev]) return ev[n_ev, col]
		while (lo < hi) { mid = int((lo + hi) / 2); if (ev_t[mid] >= t) hi = mid; else lo = mid + 1 }
	}
	return ev[lo, col]
}
function first_from(t,   lo, hi, mid) {  # first witness dump starting at or after t
	lo = 1; hi = n_w + 1
	while (lo < hi) { mid = int((lo + hi) / 2); if (w_a[mid] >= t) hi = mid; else lo = mid + 1 }
	return lo
}
BEGIN {
	while ((getline line < events) > 0) { split(line, f, " "); n_ev++; ev_t[n_ev] = f[1]; ev[n_ev, 2] = f[2]; ev[n_ev, 3] = f[3] }
	while ((getline line < witness) > 0) {
		split(line, f, " "); n_w++; w_a[n_w] = f[1]; w_b[n_w] = f[2]
		for (k = 1; k <= 11; k++) w[n_w, k] = f[k + 2]
	}
}
{ n++; t[n] = $1; for (k = 1; k <= 11; k++) c[n, k] = $(k + 1) }
END {
	for (i = 1; i < n; i++) {
		a = t[i]; b = t[i + 1] + 1 - delay; if (b < a) b = a + 1
		best = -1
		for (j = first_from(a) - 1; j <= first_from(a) + 1; j++) {
			if (j < 1 || j > n_w) continue
			u = (w_b[j] > b ? w_b[j] : b) - (w_a[j] < a ? w_a[j] : a)
			if (best < 0 || u < best_u) { best = j; best_u = u }
		}
		if (best < 0) { printf "sample %d: no witness dump\n", i; bad++; continue }
		lo = (w_a[best] < a ? w_a[best] : a); hi = (w_b[best] > b ? w_b[best] : b)
		ops = cum(hi, 2, 0) - cum(lo - 30, 2, 1)
		expired = cum(hi - 59900, 3, 0) - cum(lo - 68000, 3, 1)
		if (expired > max_expired) max_expired = expired
		bound = 2 * ops
		if (bound > max_bound) max_bound = bound
		sum_bound += bound; sum_span += hi - lo; sum_pt += b - a
		for (k = 1; k <= 11; k++) {
			d = c[i, k] - w[best, k]; if (d < 0) d = -d
			if (k == 6 && d > max_diff_tw) max_diff_tw = d
			if (k != 6 && d > max_diff) max_diff = d
			if (d > bound + (k == 6 ? expired : 0)) {
				printf "sample %d state %d: porttop %d, witness %d (dump %.0f-%.0f, porttop %.0f-%.0f), bound %d\n",
					i, k, c[i, k], w[best, k], w_a[best], w_b[best], a, b, bound
				bad++
			}
		}
		checked++
	}
	printf "spans: porttop %.0f ms, with the witness %.0f ms on average\n", sum_pt / checked, sum_span / checked
	printf "checked %d samples: largest bound %d, mean %.0f (TIME_WAIT: + up to %d expiring);", checked, max_bound, checked ? sum_bound / checked : 0, max_expired
	printf " largest difference %d (TIME_WAIT: %d), %d over the bound\n", max_diff, max_diff_tw, bad + 0
	exit bad > 0
}' "$dir/pt-states" >"$dir/bound.txt"
bound_ok=$?
while read -r line; do say "  $line"; done < <(tail -n 20 "$dir/bound.txt")
assert_eq "samples 1-499 within the churn bound of a sock_diag dump" "$bound_ok" 0
assert_eq "samples checked against a witness" "$(sed -n 's/^checked \([0-9]*\) .*/\1/p' "$dir/bound.txt")" 499

# --- quiet points: exact states and owners against the load's own full scan ---
quiet=0 owner_samples=0
for pause in "$dir"/pause.*; do
	[ -f "$pause" ] || continue
	name=$(basename "$pause")
	# "SEEN STATES_WRONG OWNERS_COMPARED OWNERS_WRONG" and a line per mismatch
	paste -d '|' "$dir/pt-states" "$dir/pt-owners" | awk -v pause="$pause" -v delay="$delay_ms" '
	BEGIN {
		while ((getline line < pause) > 0) {
			split(line, f, " ")
			if (f[1] == "snap") { snap_a = f[2]; snap_b = f[3] }
			else if (f[1] == "end") end = f[2]
			else if (f[1] == "states") { sub(/^states /, "", line); want_states = line }
			else if (f[1] == "proc") owners[++n_own] = f[2] ":" f[3] ":" f[4]
		}
		# sorted as the pt-owners lines are (sort(1) in the C locale: as strings)
		for (i = 1; i <= n_own; i++) for (j = i + 1; j <= n_own; j++)
			if (owners[j] < owners[i]) { x = owners[i]; owners[i] = owners[j]; owners[j] = x }
		for (i = 1; i <= n_own; i++) want_owners = want_owners (i > 1 ? " " : "") owners[i]
	}
	{ n++; split($0, part, "|"); st[n] = part[1]; own[n] = part[2]; split(part[1], f, " "); t[n] = f[1] }
	END {
		for (i = 2; i < n; i++) {
			if (t[i] < snap_b || t[i + 1] + 1 - delay > end) continue
			seen++
			states = st[i]; sub(/^[0-9]+ /, "", states)
			if (states != want_states) { bad_states++; printf "sample %d: states %s, the snapshot %s\n", i, states, want_states }
			if (t[i - 1] < snap_a) continue
			compared++
			if (own[i] != want_owners) { bad_owners++; printf "sample %d: owners %s\nthe full scan: %s\n", i, own[i], want_owners }
		}
		printf "%d %d %d %d %d\n", n_own, seen, bad_states, compared, bad_owners
	}' >"$dir/$name.cmp"
	read -r n_own seen bad_states compared bad_owners < <(tail -n 1 "$dir/$name.cmp")
	head -n -1 "$dir/$name.cmp" | head -n 6 | while read -r line; do say "  $line"; done
	say "$name: $n_own owners in the full scan, $seen samples inside, $compared after a whole scan inside"
	assert_eq "$name: samples with other TCP state counts than the snapshot" "$bad_states" 0
	assert_eq "$name: samples with other owner figures than the full scan" "$bad_owners" 0
	[ "$seen" -gt 0 ] && quiet=$((quiet + 1))
	owner_samples=$((owner_samples + compared))
done
assert_num "quiet points porttop sampled" "$quiet" -ge 2
assert_num "samples compared with a full owner scan" "$owner_samples" -ge 2

# --- memory: flat after the warm-up ---
read -r warm later < <(awk '$1 <= 10000 { if ($2 > w) w = $2 } $1 > 10000 { if ($2 > l) l = $2 }
	END { print w + 0, l + 0 }' "$dir/rss")
say "VmRSS: at most $warm KiB in the first 10 s, at most $later KiB after ($(wc -l <"$dir/rss") readings)"
assert_num "RSS samples after the warm-up" "$(awk '$1 > 10000' "$dir/rss" | wc -l)" -ge 50
if [ "${asan:-0}" -gt 0 ]; then
	say "porttop runs under AddressSanitizer: its RSS is not porttop's, not checked"
else
	assert_num "largest RSS after the warm-up (KiB)" "$later" -le $((warm + warm / 10 + 2048))
fi
# SOAK_KEEP=DIR: keep the load's logs, the witness and porttop's output there
[ -n "${SOAK_KEEP:-}" ] && cp -r "$dir" "$SOAK_KEEP"
ns_done
