# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Shared helpers of the recording tests (tests/record/*.sh): they replay the
# recordings under tests/data/ (made by tests/data/make-recordings.sh from real
# sockets), so they need neither root nor a namespace.  Exit status: 0 pass, 1 fail.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
REC_TEST=$(basename "$0" .sh)
PORTTOP=${PORTTOP:-./porttop}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=$top_srcdir/tests/data
REC_FAILS=0
# the recordings were made with TZ=UTC: the times print the same here
export TZ=UTC LC_ALL=C
REC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/porttop-rec.XXXXXX") || exit 1
trap 'rm -rf "$REC_TMP"' EXIT

say() { printf '%s: %s\n' "$REC_TEST" "$*"; }
[ -x "$PORTTOP" ] || { say "FAIL: PORTTOP=$PORTTOP is not an executable"; exit 1; }

# ok NAME: a passed check; bad NAME WHY: a failed one.
ok() { say "ok   $1"; }
bad() {
	say "FAIL $1: $2"
	REC_FAILS=$((REC_FAILS + 1))
}
expect_eq() {  # expect_eq NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then ok "$1 = $2"; else bad "$1" "got '$2', expected '$3'"; fi
}
rec_done() {
	if [ "$REC_FAILS" -gt 0 ]; then
		say "$REC_FAILS check(s) failed"
		exit 1
	fi
	say "PASS"
	exit 0
}
