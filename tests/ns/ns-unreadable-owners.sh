#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An fd table porttop may not read leaves its sockets without an owner, and the text
# says why: an ordinary user is told to run as root; root is told what in its own
# credentials closed it (no CAP_SYS_PTRACE, a user namespace), never to become root.
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
assert_eq "an ordinary user is told to run as root" "$(reason)" "run as root to see them"

# root without CAP_SYS_PTRACE: other users' processes are closed to it, and so are
# root's own that hold capabilities it lacks (cap_ptrace_access_check)
text_as no-ptrace setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace
assert_eq "root without CAP_SYS_PTRACE is told so" "$(reason)" \
	"porttop runs without CAP_SYS_PTRACE, which reading other users' fd tables takes"

if unshare -U -r true 2>/dev/null; then
	text_as user-ns unshare -U -r
	assert_eq "root of a user namespace is told so" "$(reason)" \
		"porttop is root of a user namespace, which opens no process outside it"
else
	say "no user namespaces here: that case is not checked"
fi
ns_done
