#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped systemd unit (contrib/systemd/porttop.service) gives porttop only the
# capabilities of its CapabilityBoundingSet=: run with exactly those (setpriv, as
# root), porttop names the owner of every socket, another user's included, writes
# its file, and its eBPF probes run (--bpf=auto); with none of them (the control) it
# cannot read the other user's fd table and says so, and with all but CAP_BPF or
# CAP_PERFMON the probes do not load.  systemd-analyze verifies the unit and that its
# system call filter lets bpf(2) through, when it is installed.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
unit=$top_srcdir/contrib/systemd/porttop.service

if command -v systemd-analyze >/dev/null; then
	sed "s|^ExecStart=[^ ]*|ExecStart=$PORTTOP|" "$unit" >"$NS_TMP/porttop.service"
	assert_true "systemd-analyze verify accepts the unit: $(systemd-analyze verify --man=no "$NS_TMP/porttop.service" 2>&1 | head -c 300)" \
		eval 'systemd-analyze verify --man=no "$NS_TMP/porttop.service" >/dev/null 2>&1'
	# the filter's system calls, its @groups expanded (they nest)
	syscalls() {
		local item
		for item in "$@"; do
			case $item in
			# shellcheck disable=SC2046 # one system call or group a line
			@*) syscalls $(systemd-analyze syscall-filter --no-pager "$item" |
				sed -n 's/^    \([^# ][^ ]*\)$/\1/p') ;;
			*) printf '%s\n' "$item" ;;
			esac
		done
	}
	# shellcheck disable=SC2046 # the filter is a list of words
	filter=$(syscalls $(sed -n 's/^SystemCallFilter=//p' "$unit") | sort -u)
	assert_true "the unit's system call filter allows bpf" grep -qx bpf <<<"$filter"
	assert_true "control: the filter's expansion is real (it allows read)" grep -qx read <<<"$filter"
	assert_true "control: @system-service alone does not allow bpf" \
		eval '! syscalls @system-service | grep -qx bpf'
else
	say "systemd-analyze not installed: the unit's syntax is not verified"
fi
assert_match "the unit runs the documented command" "$(grep '^ExecStart=' "$unit")" \
	'^ExecStart=[^ ]*/porttop -b -f prometheus -n 0 -d 15 --output=/var/lib/prometheus/node-exporter/porttop\.prom$'
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
assert_eq "the unit's capabilities" "$caps" "CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_BPF CAP_PERFMON"
# "CAP_DAC_READ_SEARCH CAP_SYS_PTRACE ..." -> "-all,+dac_read_search,+sys_ptrace,..."
bounding_of() {
	local c
	printf -- '-all'
	for c in "$@"; do printf ',+%s' "$(tr 'A-Z' 'a-z' <<<"${c#CAP_}")"; done
}
# shellcheck disable=SC2086 # a list of words
bounding=$(bounding_of $caps)

nl_start srv
nl_ok srv "listen 127.0.0.1 8080" "ok 8080"
nl_start_as 65534 nobodycli
nl_ok nobodycli "connect 127.0.0.1 8080 7" "ok 7"
nl_wait_accepted srv 7
nobody=${NL_PID[nobodycli]}
mkdir -m 755 "$NS_TMP/textfile"

# with_caps BOUNDING OUT ARGS...: porttop as root with only the BOUNDING capabilities
with_caps() {
	local bset=$1 out=$2
	shift 2
	timeout 30 setpriv --bounding-set="$bset" --inh-caps=-all -- "$PORTTOP" "$@" >"$out" 2>"$out.err"
}
with_caps "$bounding" "$NS_TMP/caps.json" -b -f json
assert_eq "with the unit's capabilities: exit status" "$?" 0
PT_OUT="$NS_TMP/caps.json"
assert_eq "the capabilities porttop ran with" \
	"$(setpriv --bounding-set="$bounding" --inh-caps=-all -- grep '^CapEff' /proc/self/status)" \
	"CapEff:	000000c000080004"
assert_eq "with the unit's capabilities: nobody's client is named" "$(pt_row "$nobody" ephemeral)" 7
# (processes of the host's other user namespaces may stay closed: the pid namespace is shared)
assert_eq "with the unit's capabilities: every socket of the namespace has its owner" "$(pt .sockets_unowned)" 0
with_caps "$bounding" "$NS_TMP/caps.out" -b -f prometheus --output="$NS_TMP/textfile/porttop.prom"
assert_eq "with the unit's capabilities: --output exit status" "$?" 0
assert_eq "nobody's client in the file" \
	"$(grep -c "^porttop_process_ephemeral_ports{pid=\"$nobody\",user=\"nobody\",.*} 7$" "$NS_TMP/textfile/porttop.prom")" 1

# the probes, where this porttop has them and the kernel loads them for full root:
# they load with the unit's capabilities, and not without CAP_BPF or CAP_PERFMON
timeout 30 "$PORTTOP" -b -f json --bpf=auto >"$NS_TMP/root.json" 2>/dev/null
if [ "$(PT_OUT=$NS_TMP/root.json pt .bpf)" != true ]; then
	say "eBPF probes unavailable here ($(PT_OUT=$NS_TMP/root.json pt .bpf_reason)): not checked"
else
	assert_eq "with the unit's capabilities: the eBPF probes run" "$(PT_OUT=$NS_TMP/caps.json pt .bpf)" true
	for without in CAP_BPF CAP_PERFMON; do
		# shellcheck disable=SC2046,SC2086
		with_caps "$(bounding_of $(tr ' ' '\n' <<<"$caps" | grep -vx "$without"))" \
			"$NS_TMP/no-bpf.json" -b -f json --bpf=auto
		assert_eq "control: without $without: exit status" "$?" 0
		assert_match "control: without $without the probes do not load" \
			"$(PT_OUT=$NS_TMP/no-bpf.json pt .bpf_reason)" "did not load"
	done
fi

# control: without them, nobody's fd table is closed to porttop
with_caps -all "$NS_TMP/nocaps.json" -b -f json
assert_eq "control: without capabilities: exit status" "$?" 0
PT_OUT="$NS_TMP/nocaps.json"
assert_eq "control: without capabilities nobody's client has no row" "$(pt_row "$nobody" ephemeral)" no-row
assert_num "control: without capabilities fd tables are closed" "$(pt .processes_unreadable)" -ge 1
# nor are root's processes that hold more capabilities (cap_ptrace_access_check): the
# server's 8 sockets and the client's 7 all lose their owner
assert_eq "control: without capabilities no socket has an owner" "$(pt .sockets_unowned)" 15
ns_done
