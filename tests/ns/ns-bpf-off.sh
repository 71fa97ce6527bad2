#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Without eBPF every other figure stays as it was: --bpf=off and an unprivileged run
# say "bpf": false with the reason, and --bpf=off prints exactly what the probes'
# run prints once their own keys are left out.  --bpf=on without root fails clearly.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099 0
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"

nl_client_server 30

porttop_json --bpf=off
off=$PT_OUT
assert_eq "--bpf=off: bpf" "$(pt .bpf)" false
assert_eq "--bpf=off: bpf_reason" "$(pt .bpf_reason)" "turned off with --bpf=off"
assert_eq "--bpf=off: connect_failures" "$(pt .connect_failures)" null
assert_eq "--bpf=off: nothing on stderr" "$(cat "$PT_OUT.err")" ""
assert_eq "--bpf=off: client row fail_per_sec" "$(pt_row "${NL_PID[client]}" fail_per_sec)" null
porttop_json
if [ "$(pt .bpf_reason)" = "built without eBPF" ]; then  # ./configure --disable-bpf
	assert_eq "without eBPF built in: bpf" "$(pt .bpf)" false
	assert_eq "said once on stderr" "$(cat "$PT_OUT.err")" "porttop: eBPF off: built without eBPF"
	ns_done
fi
bpf_need
porttop_json --bpf=on
on=$PT_OUT
assert_eq "--bpf=on: bpf" "$(pt .bpf)" true
strip='del(.time, .bpf, .bpf_reason, .bpf_pinned, .connect_failures)
	| .processes |= map(del(.connect_failures, .fail_per_sec))
	| .destinations |= map(del(.connect_failures, .fail_per_sec))'
assert_eq "every other figure as with the probes" "$(jq -cS "$strip" "$off")" "$(jq -cS "$strip" "$on")"
assert_eq "tcp.in_use with the probes" "$(jq .tcp.in_use "$on")" 30

# nobody: no eBPF, and no fd tables of others either
PT_OUT="$NS_TMP/nobody.json"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent XDG_CONFIG_HOME= "$@"; }
nobody "$PORTTOP" -b -f json >"$PT_OUT" 2>"$PT_OUT.err"
assert_eq "unprivileged: exit status" "$?" 0
assert_eq "unprivileged: bpf" "$(pt .bpf)" false
assert_eq "unprivileged: bpf_reason" "$(pt .bpf_reason)" "not root"
assert_eq "unprivileged: said once on stderr" "$(cat "$PT_OUT.err")" "porttop: eBPF off: not root"
assert_eq "unprivileged: tcp.in_use as before" "$(pt .tcp.in_use)" 30
nobody "$PORTTOP" -b -f json --bpf=on \
	>"$NS_TMP/on.out" 2>"$NS_TMP/on.err"
assert_eq "unprivileged --bpf=on: exit status" "$?" 1
assert_match "unprivileged --bpf=on: the reason" "$(cat "$NS_TMP/on.err")" "eBPF off: not root"
ns_done
