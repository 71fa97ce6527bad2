#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An fd table porttop may not read leaves its sockets without an owner, and the text
# says why: an ordinary user is told to run as root (or with the two capabilities);
# root or a user with one of them is told which capability is missing (CAP_SYS_PTRACE,
# CAP_DAC_READ_SEARCH) or that it is root of a user namespace, never to become root;
# only when its credentials lack nothing (a Landlock sandbox here) is a security
# module blamed.  An ordinary user still counts every socket (sock_diag dumps them for
# anyone), and CAP_SYS_PTRACE with CAP_DAC_READ_SEARCH, without root, is enough to
# see every owner.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"

nl_start srv
nl_ok srv "listen 127.0.0.1 8080" "ok 8080"
nl_start rootcli
nl_ok rootcli "connect 127.0.0.1 8080 3" "ok 3"
nl_start_as 65534 nobodycli
nl_ok nobodycli "connect 127.0.0.1 8080 2" "ok 2"
nl_wait_accepted srv 5
cp "$PORTTOP" "$NS_TMP/pub/porttop" && chmod 755 "$NS_TMP/pub/porttop" || fatal "cannot copy porttop"

# text_as NAME PREFIX...: porttop -b as PREFIX runs it; its output file in TEXT
text_as() {
	local name=$1
	shift
	TEXT="$NS_TMP/$name.txt"
	LC_ALL=C timeout 30 "$@" "$NS_TMP/pub/porttop" -b >"$TEXT" 2>"$TEXT.err"
	assert_eq "$name: exit status" "$?" 0
}
note() { grep '^Note: owners' "$TEXT"; }
# the pid namespace is the host's: its other processes add to the counts, not to the reason
counts='Note: owners of [1-9][0-9]* sockets unknown: [1-9][0-9]* processes could not be read'
reason() { note | sed -n "s/^$counts (\(.*\))\$/\1/p"; }

text_as root env
assert_eq "root: every fd table read, no note" "$(note)" ""
porttop_json
assert_eq "root: nobody's client is seen" "$(pt_row "${NL_PID[nobodycli]}" ephemeral)" 2

text_as user setpriv --reuid=65534 --regid=65534 --clear-groups
assert_eq "an ordinary user is told to run as root" "$(reason)" \
	"run as root, or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, to see them"
assert_eq "an ordinary user is told once" "$(note | wc -l)" 1
# sock_diag answers any user: the sockets are all there, only their owners are not
user_json="$NS_TMP/user.json"
setpriv --reuid=65534 --regid=65534 --clear-groups "$NS_TMP/pub/porttop" -b -f json >"$user_json" ||
	fatal "porttop -f json as an ordinary user failed"
root_est=$(pt .states.ESTABLISHED)
assert_eq "an ordinary user counts every ESTABLISHED socket" \
	"$(jq '.states.ESTABLISHED' "$user_json")" "$root_est"
assert_eq "an ordinary user: the same range and TCP pool" \
	"$(jq -c '[.range, .tcp.in_use]' "$user_json")" "$(pt '[.range, .tcp.in_use]|tostring')"
assert_eq "an ordinary user sees its own client's row" \
	"$(jq --argjson p "${NL_PID[nobodycli]}" '[.processes[] | select(.pid == $p) | .ephemeral][0]' "$user_json")" 2
assert_eq "an ordinary user sees no row of root's client" \
	"$(jq --argjson p "${NL_PID[rootcli]}" '[.processes[] | select(.pid == $p)] | length' "$user_json")" 0

# the minimal set for a monitoring user (doc/porttop.1): CAP_SYS_PTRACE opens the fd
# links (proc_fd_access_allowed), CAP_DAC_READ_SEARCH lists the fd directories (mode
# 0500, owned by each process's user)
caps=+sys_ptrace,+dac_read_search
text_as ptrace-user setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps="$caps" --ambient-caps="$caps"
assert_eq "a user with CAP_SYS_PTRACE+CAP_DAC_READ_SEARCH reads every fd table" "$(note)" ""
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$caps" --ambient-caps="$caps" \
	"$NS_TMP/pub/porttop" -b -f json >"$user_json" || fatal "porttop -f json with the two capabilities failed"
assert_eq "with the two capabilities root's client is seen" \
	"$(jq --argjson p "${NL_PID[rootcli]}" '[.processes[] | select(.pid == $p) | .ephemeral][0]' "$user_json")" 3

# one of the two capabilities without the other, as an ordinary user: that one is named
for cap in sys_ptrace dac_read_search; do
	text_as "user+$cap" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps="+$cap" --ambient-caps="+$cap"
	case $cap in
	sys_ptrace) want="porttop runs without CAP_DAC_READ_SEARCH, which listing other users' fd directories takes" ;;
	dac_read_search) want="porttop runs without CAP_SYS_PTRACE, which reading other users' fd tables takes" ;;
	esac
	assert_eq "a user with only CAP_${cap^^} is told what is missing" "$(reason)" "$want"
done

# root without CAP_SYS_PTRACE: other users' processes are closed to it, and so are
# root's own that hold capabilities it lacks (cap_ptrace_access_check)
text_as no-ptrace setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace
assert_eq "root without CAP_SYS_PTRACE is told so" "$(reason)" \
	"porttop runs without CAP_SYS_PTRACE, which reading other users' fd tables takes"

# root without CAP_DAC_READ_SEARCH and CAP_DAC_OVERRIDE: other users' fd directories
# (mode 0500) do not open; root's own do
text_as no-dac setpriv --bounding-set=-dac_read_search,-dac_override --inh-caps=-dac_read_search,-dac_override
assert_eq "root without CAP_DAC_READ_SEARCH is told so" "$(reason)" \
	"porttop runs without CAP_DAC_READ_SEARCH, which listing other users' fd directories takes"

# root with every capability, in a Landlock domain: the security module refuses
# ptrace read access to every process outside the domain, and is named
LANDLOCKED=${LANDLOCKED:-./tests/helpers/landlocked}
if "$LANDLOCKED" true 2>/dev/null; then
	text_as landlock "$LANDLOCKED"
	assert_eq "root refused by Landlock is told a security module denies it" "$(reason)" \
		"refused despite CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH: a security module (AppArmor, SELinux, Landlock) denies it"
	PT_OUT="$NS_TMP/landlock.json"
	"$LANDLOCKED" "$NS_TMP/pub/porttop" -b -f json >"$PT_OUT" || fatal "porttop -f json under Landlock failed"
	assert_eq "under Landlock: the server's sockets have no owner" "$(pt_row "${NL_PID[srv]}" sockets)" no-row
else
	say "no Landlock here: a security module's refusal is not checked"
fi

if unshare -U -r true 2>/dev/null; then
	text_as user-ns unshare -U -r
	assert_eq "root of a user namespace is told so" "$(reason)" \
		"porttop is root of a user namespace, which opens no process outside it"
else
	say "no user namespaces here: that case is not checked"
fi
ns_done
