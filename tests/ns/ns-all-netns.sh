#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --all-netns reads every network namespace: three made here with different ranges,
#   named  (ip netns add)        range 41000-41019, 19 connections: 95 %, nearly dry
#   held   (unshare -n process)  range 42000-42099, 30 connections: 30 %
#   docker (unshare -n process in a cgroup named docker-<64 hex>.scope)
#                                range 43000-43199, 10 connections: 5 %
# are each listed once per refresh with their range, ports in use and name, the
# nearly dry one first among them; --netns by name, pid and path gives the figures
# porttop gives run inside; a namespace that goes away between two refreshes leaves
# the list; an unprivileged user sees the namespaces it cannot enter as unreadable.
# Other tests' namespaces come and go meanwhile: only ours are asserted on.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

name="porttop-allns-$$"
ns_add_named "$name" 41000 41019
nl_start_in named "$name"
nl_self_connect named 19

# a namespace only a process holds: its netload is the unshare'd process itself
nl_spawn_held held 42000 42099
nl_self_connect held 30
nl_spawn_held docker 43000 43199
id=$(printf '%s' "porttop-allns-$$" | sha256sum | cut -c1-64)
cg_put "${NL_PID[docker]}" "docker-$id.scope"
nl_self_connect docker 10
held=${NL_PID[held]} docker=${NL_PID[docker]}
ino_named=$(stat -L -c %i "/run/netns/$name")
ino_held=$(stat -L -c %i "/proc/$held/ns/net")
ino_docker=$(stat -L -c %i "/proc/$docker/ns/net")

# pn INODE FILTER [N]: FILTER on the Nth (default 1st) line of PT_OUT for that namespace
pn() {
	jq -rs --argjson ino "$1" "[.[] | select(.netns == \$ino)] | if length < ${3:-1} then \"no-line\"
	    else .[${3:-1} - 1] | $2 end" "$PT_OUT" 2>>"$NS_TMP/pt-errors" || echo jq-error
}
porttop_json --all-netns
assert_eq "named: netns_name" "$(pn "$ino_named" .netns_name)" "$name"
assert_eq "named: range" "$(pn "$ino_named" '"\(.range.low)-\(.range.high)"')" 41000-41019
assert_eq "named: tcp.in_use" "$(pn "$ino_named" .tcp.in_use)" 19
assert_eq "named: destination percent" "$(pn "$ino_named" '.destinations[0].percent')" 95
assert_eq "held: netns_name (none)" "$(pn "$ino_held" .netns_name)" null
assert_eq "held: range" "$(pn "$ino_held" '"\(.range.low)-\(.range.high)"')" 42000-42099
assert_eq "held: tcp.in_use" "$(pn "$ino_held" .tcp.in_use)" 30
assert_eq "held: its process" "$(pn "$ino_held" "[.processes[] | select(.pid == $held)][0].tcp")" 61
assert_eq "docker: netns_name" "$(pn "$ino_docker" .netns_name)" "docker ${id:0:12}"
assert_eq "docker: range" "$(pn "$ino_docker" '"\(.range.low)-\(.range.high)"')" 43000-43199
assert_eq "docker: tcp.in_use" "$(pn "$ino_docker" .tcp.in_use)" 10
assert_eq "docker: process container" \
	"$(pn "$ino_docker" "[.processes[] | select(.pid == $docker)][0].container")" "docker ${id:0:12}"
assert_eq "each namespace once per refresh" \
	"$(jq -s "[.[] | select(.netns == $ino_named or .netns == $ino_held or .netns == $ino_docker)] | length" "$PT_OUT")" 3
order=$(jq -rs "[.[] | select(.netns == $ino_named or .netns == $ino_held or .netns == $ino_docker)
	| .netns_name // \"held\"] | join(\",\")" "$PT_OUT")
assert_eq "fullest first (among ours)" "$order" "$name,held,docker ${id:0:12}"

# --netns by name, pid and path gives what porttop gives run inside
figures='{range, tcp, udp, states, d: [.destinations[] | {local, remote, port, in_use, capacity}]} | tostring'
same_as_inside() {  # LABEL SPEC RUN-INSIDE...
	local label=$1 spec=$2 inside
	shift 2
	inside=$("$@" "$PORTTOP" -b -f json | jq -r "$figures")
	porttop_json --netns "$spec"
	assert_eq "--netns $label = inside" "$(pt "$figures")" "$inside"
}
same_as_inside name "$name" ip netns exec "$name"
same_as_inside pid "$held" nsenter --net="/proc/$held/ns/net"
same_as_inside path "/proc/$docker/ns/net" nsenter --net="/proc/$docker/ns/net"

# text: one line per namespace, named
out=$("$PORTTOP" -b --all-netns)
assert_match "text: named line" "$out" "$ino_named +$name +41000-41019 +20 +"
assert_match "text: docker line" "$out" "$ino_docker +docker ${id:0:12} +43000-43199"
# check: 95 % somewhere is CRITICAL above --critical=90, whatever the others hold (under
# the default 95 it is only WARNING, and another namespace of the machine may be fuller)
"$PORTTOP" -b --all-netns -f check --critical=90 >"$NS_TMP/check" 2>&1
assert_eq "check exit status" "$?" 2
assert_match "check line" "$(cat "$NS_TMP/check")" "^PORTTOP CRITICAL - netns [0-9]+ "
# prometheus: every series labelled; --netns-top bounds the namespaces
prom=$("$PORTTOP" -b --all-netns -f prometheus --netns-top 100000)
assert_match "prometheus named" "$prom" "porttop_range_low\\{netns=\"$ino_named\",netns_name=\"$name\"\\} 41000"
assert_match "prometheus docker" "$prom" \
	"porttop_ports_in_use\\{netns=\"$ino_docker\",netns_name=\"docker ${id:0:12}\",protocol=\"tcp\"\\} 10"
top1=$("$PORTTOP" -b --all-netns -f prometheus --netns-top 1 | grep -c '^porttop_range_low{')
assert_eq "--netns-top 1: one namespace" "$top1" 1

# a namespace that goes away between two refreshes leaves the list, no error
PT_OUT="$NS_TMP/two.json"
"$PORTTOP" -b --all-netns -f json -n 2 -d 1.5 >"$PT_OUT" 2>"$PT_OUT.err" &
pt_pid=$!
NS_PIDS+=("$pt_pid")
wait_until 10 "the first refresh" grep -q "\"netns\":$ino_held," "$PT_OUT"
nl_cmd held quit >/dev/null 2>&1 || true
kill "$held" 2>/dev/null
wait "$held" 2>/dev/null
wait "$pt_pid"
assert_eq "porttop -n 2 exit status" "$?" 0
assert_eq "no error output" "$(cat "$PT_OUT.err")" ""
assert_eq "held: in the first refresh only" "$(grep -c "\"netns\":$ino_held," "$PT_OUT")" 1
assert_eq "named: in both" "$(grep -c "\"netns\":$ino_named," "$PT_OUT")" 2

# an unprivileged user lists what it cannot enter as unreadable, and goes on
if command -v setpriv >/dev/null; then
	mkdir -p "$NS_TMP/pub" && cp "$PORTTOP" "$NS_TMP/pub/porttop" &&
		chmod 711 "$NS_TMP" && chmod 755 "$NS_TMP/pub" "$NS_TMP/pub/porttop" ||
		fatal "cannot copy porttop for nobody"
	PT_OUT="$NS_TMP/nobody.json"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NS_TMP/pub/porttop" -b --all-netns \
		-f json >"$PT_OUT" 2>"$PT_OUT.err"
	nobody_rc=$?; [ "$nobody_rc" = 0 ] || cat "$PT_OUT.err" >&2
	assert_eq "nobody: exit status" "$nobody_rc" 0
	assert_match "nobody: named is unreadable" "$(pn "$ino_named" .unreadable)" "^(EPERM|EACCES)$"
	assert_eq "nobody: named keeps its name" "$(pn "$ino_named" .netns_name)" "$name"
	assert_eq "nobody: own namespace read" "$(pn "$(stat -L -c %i /proc/self/ns/net)" .range.low)" 40000
fi
# usage errors
msg=$(LC_ALL=C "$PORTTOP" -b --all-netns --netns "$name" 2>&1)
assert_eq "--all-netns --netns: exit status" "$?" 2
assert_match "--all-netns --netns: message" "$msg" "--all-netns and --netns exclude each other"
msg=$(LC_ALL=C "$PORTTOP" -b --all-netns --netns-top 0 2>&1)
assert_eq "--netns-top 0: exit status" "$?" 2
assert_match "--netns-top 0: message" "$msg" "invalid --netns-top '0'"
ns_done
