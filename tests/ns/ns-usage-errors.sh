#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage errors: exit status 2 and a message on stderr that names the problem (one
# line, optionally followed by the usual "Try '... --help'" hint); nothing on stdout.
# Needs no namespace and no root.
. "$(dirname "$0")/lib.sh"
[ -x "$PORTTOP" ] || fatal "PORTTOP=$PORTTOP is not an executable (build porttop first)"
export LC_ALL=C   # untranslated messages

# The message, and at most the usual hint after it.
# shellcheck disable=SC2317 # called through assert_true
one_line_message() {
	local lines
	lines=$(wc -l <"$1")
	[ "$lines" -eq 1 ] || { [ "$lines" -eq 2 ] && tail -n 1 "$1" | grep -q -- --help; }
}

# usage_error WHAT EXPECTED_WORD ARGS...
usage_error() {
	local what=$1 word=$2 out="$NS_TMP/out" err="$NS_TMP/err" rc first
	shift 2
	timeout 10 "$PORTTOP" "$@" </dev/null >"$out" 2>"$err"
	rc=$?
	first=$(head -n 1 "$err")
	assert_eq "$what: exit status" "$rc" 2
	assert_eq "$what: nothing on stdout" "$(wc -c <"$out")" 0
	assert_match "$what: message names '$word'" "$first" "^porttop: .*$word"
	assert_true "$what: one line (plus a --help hint)" one_line_message "$err"
}

usage_error "-d abc" abc -d abc
usage_error "-n -1" -1 -n -1
usage_error "--bogus" --bogus --bogus
usage_error "--format xml" xml --format xml

timeout 10 "$PORTTOP" --help </dev/null >"$NS_TMP/help" 2>"$NS_TMP/help.err"
assert_eq "--help: exit status" "$?" 0
assert_true "--help: prints the usage on stdout" grep -q -- '--batch' "$NS_TMP/help"
assert_eq "--help: nothing on stderr" "$(wc -c <"$NS_TMP/help.err")" 0

# where to report bugs: configure.ac's address, the same in --help, --version and the man page
bugs=$(sed -n 's/^AC_INIT(\[porttop\], \[[^]]*\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
assert_match "configure.ac has a bug-report address" "$bugs" '^[^@ ]+@[^@ ]+$'
assert_eq "--help ends with the bug address" "$(tail -n 1 "$NS_TMP/help")" "Report bugs to <$bugs>."
timeout 10 "$PORTTOP" --version </dev/null >"$NS_TMP/version" 2>&1
assert_eq "--version: exit status" "$?" 0
assert_eq "--version names the bug address" "$(sed -n 2p "$NS_TMP/version")" "Report bugs to <$bugs>."
assert_true "the man page names the bug address" grep -qF "Report bugs to <$bugs>." "$top_srcdir/doc/porttop.1"
ns_done
