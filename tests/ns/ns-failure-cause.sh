#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Errors name the step that failed, and the batch outputs say why the sockets came
# from /proc/net: netlink forbidden (a seccomp filter makes socket(AF_NETLINK)
# fail with EACCES, as a container profile can), --source=proc asked for, or a
# /proc without the files porttop reads (a private mount namespace with a tmpfs on
# /proc).  Only a netlink failure suggests --source=proc.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099
export LC_ALL=C   # untranslated messages
NONETLINK=${NONETLINK:-./tests/helpers/nonetlink}
[ -x "$NONETLINK" ] || fatal "NONETLINK=$NONETLINK is not an executable"
"$NONETLINK" 13 true || skip "cannot install a seccomp filter here"

nl_client_server 3

# fails WHAT CMD...: runs CMD, which must fail; porttop's lines of its stderr in $ERR
# (a sanitizer build may add its own warnings there)
fails() {
	local what=$1 rc
	shift
	timeout 30 "$@" >"$NS_TMP/out" 2>"$NS_TMP/err"
	rc=$?
	ERR=$(grep '^porttop: ' "$NS_TMP/err")
	assert_eq "$what: exit status" "$rc" 1
}

# netlink used: no reason
porttop_json
assert_eq "netlink: source" "$(pt .source)" netlink
assert_eq "netlink: source_reason" "$(pt .source_reason)" null

# netlink asked for but forbidden: the error says so and what to try
fails "--source netlink, netlink forbidden" "$NONETLINK" 13 "$PORTTOP" -b --source netlink
assert_eq "--source netlink, netlink forbidden: message" "$ERR" \
	"porttop: netlink sock_diag failed: Permission denied (try --source=proc)"

# auto mode falls back, and every output says why
PORTTOP_REAL=$PORTTOP
PORTTOP="$NS_TMP/porttop-nonetlink"
printf '#!/bin/sh\nexec "%s" 13 "%s" "$@"\n' "$NONETLINK" "$PORTTOP_REAL" >"$PORTTOP"
chmod +x "$PORTTOP"
porttop_json
assert_eq "netlink forbidden: source" "$(pt .source)" proc
assert_eq "netlink forbidden: source_reason" "$(pt .source_reason)" EACCES
assert_eq "netlink forbidden: states.ESTABLISHED from /proc/net" "$(pt .states.ESTABLISHED)" 6
timeout 30 "$PORTTOP" -b >"$NS_TMP/text" 2>&1
assert_match "netlink forbidden: text note" "$(grep '^Note: read /proc/net' "$NS_TMP/text")" \
	"^Note: read /proc/net \(netlink sock_diag failed: Permission denied\), which lists"
PORTTOP=$PORTTOP_REAL

# /proc asked for
porttop_json --source proc
assert_eq "--source proc: source_reason" "$(pt .source_reason)" requested
timeout 30 "$PORTTOP" -b --source proc >"$NS_TMP/text" 2>&1
assert_match "--source proc: text note" "$(grep '^Note: read /proc/net' "$NS_TMP/text")" \
	"^Note: read /proc/net \(--source=proc asked for it\), which lists"

# a /proc with the sysctls but no /proc/net: that step is named, and --source=proc
# (already given) is not suggested.  The fake /proc has a self/ so that porttop takes
# it for a /proc missing a part, not for one unmounted (tui-proc-gone tests that)
command -v mount >/dev/null || skip "mount (util-linux) not installed"
# shellcheck disable=SC2016 # expanded by the inner shell
fakeproc='mount -t tmpfs porttop-test /proc || exit 3
	mkdir -p /proc/sys/net/ipv4 /proc/self
	[ "$1" = range ] || echo "40000 40099" >/proc/sys/net/ipv4/ip_local_port_range
	shift
	exec "$@"'
# the sanitizers' leak checker reads /proc itself, and finds the fake one empty
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fails "--source proc, no /proc/net" unshare -m sh -c "$fakeproc" sh net "$PORTTOP" -b --source proc
assert_eq "--source proc, no /proc/net: message" "$ERR" \
	"porttop: cannot read /proc/net/{tcp,udp}{,6}: No such file or directory"
fails "no ip_local_port_range" unshare -m sh -c "$fakeproc" sh range "$PORTTOP" -b --source proc
assert_eq "no ip_local_port_range: message" "$ERR" \
	"porttop: cannot read net.ipv4.ip_local_port_range: No such file or directory"
ns_done
