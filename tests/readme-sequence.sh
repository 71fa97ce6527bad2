#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's two commands, in order, in one clone: the first builds porttop in
# place (autoreconf -fi && ./configure && make), and the second, tests/run-suite,
# must still build on top of that.  Run on a scratch git copy of this tree with one
# uncommitted change, which the suite's build must contain (it tests the tree, not
# only what is committed).  The apt-get part is not run here: run-suite installs the
# same packages, and this test checks that the two lists agree.
#
#   tests/readme-sequence.sh        (run by tests/run-suite; needs what the build needs)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/tree-lib.sh"
name=readme-sequence
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/porttop-readme.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
clone="$work/porttop"

say() { printf '%s: %s\n' "$name" "$*"; }
fail() { say "FAIL: $*"; fails=$((fails + 1)); }
fatal() { say "FAIL: $*"; exit 1; }

# The README's first command, as a user copies it.
first=$(sed -n 's/^    \(apt-get update && apt-get install .*\)$/\1/p' "$top/README")
[ -n "$first" ] || fatal "no first command (apt-get update && apt-get install ...) in README"
[ "$(printf '%s\n' "$first" | wc -l)" -eq 1 ] || fatal "README has more than one first command"
case "$first" in
*" && autoreconf -fi && ./configure && make && ./porttop") ;;
*) fatal "README's first command does not end in the build and start: $first" ;;
esac
build="autoreconf -fi && ./configure && make"

# Every package it installs is one run-suite installs, and the other way round for
# the build dependencies: the two lists cannot drift apart.
readme_pkgs=$(printf '%s\n' "$first" | sed 's/.*apt-get install -y //; s/ && .*//' | tr ' ' '\n' |
	grep -v '^-' | sort -u)
suite_pkgs=$(sed -n '/^build_deps="/,/"$/p' "$top/tests/run-suite" | sed 's/build_deps=//' |
	tr -d '"' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
[ -n "$readme_pkgs" ] || fatal "no packages in README's first command"
[ "$readme_pkgs" = "$suite_pkgs" ] ||
	fail "README installs [$(echo $readme_pkgs)], run-suite's build_deps are [$(echo $suite_pkgs)]"

# A fresh clone, with one local change on top.
mkdir -p "$clone" || exit 1
tree_list "$top" | tar -C "$top" --null -T - -cf - | tar -C "$clone" -xf - || fatal "cannot copy the tree"
(cd "$clone" && git init -q && git add -A &&
	git -c user.name=test -c user.email=test@localhost commit -qm snapshot) ||
	fatal "git init of the copy failed"
sed -i 's/^AC_INIT(\[porttop\], \[\([^]]*\)\]/AC_INIT([porttop], [\1-uncommitted]/' "$clone/configure.ac"
grep -q -- '-uncommitted\]' "$clone/configure.ac" || fatal "could not change AC_INIT's version"

# The first command's build part, word for word, in the clone.
say "first command: $build"
(cd "$clone" && bash -c "$build") >"$work/first.log" 2>&1 || {
	tail -n 30 "$work/first.log"
	fatal "the README's build failed"
}
# Without a terminal porttop refuses the live view with the message the README quotes.
msg=$(cd "$clone" && LC_ALL=C LANGUAGE= ./porttop </dev/null 2>&1 >/dev/null)
[ "$msg" = "porttop: the live view needs a terminal; use -b for batch output" ] ||
	fail "./porttop without a terminal said: $msg"
grep -qF "$msg" "$top/README" || fail "README does not quote porttop's answer without a terminal"

before=$(cd "$clone" && stat -c '%n %Y' configure config.status porttop)

# The second command, twice (an earlier run's scratch must not get in the way).
for round in 1 2; do
	say "second command, round $round: tests/run-suite --build-only"
	(cd "$clone" && tests/run-suite --build-only) >"$work/second-$round.log" 2>&1
	rc=$?
	last=$(tail -n 1 "$work/second-$round.log")
	if [ "$rc" -ne 0 ] || [ "$last" != "1 passed, 0 failed" ]; then
		tail -n 30 "$work/second-$round.log"
		fail "run-suite round $round exited $rc, last line: $last"
	fi
done

# The suite built what is in the tree, uncommitted change included.
v=$("$clone/build-suite/build-plain/porttop" --version 2>&1 | head -n 1)
case "$v" in
*-uncommitted*) ;;
*) fail "the suite's build says \"$v\", not the uncommitted version" ;;
esac
# The user's own build is still there and up to date, and the suite left no file
# behind that git would show.
after=$(cd "$clone" && stat -c '%n %Y' configure config.status porttop)
[ "$before" = "$after" ] || fail "run-suite touched the in-place build: [$before] -> [$after]"
(cd "$clone" && make >"$work/again.log" 2>&1) || fail "make in place fails after run-suite"
(cd "$clone" && ./porttop --version >/dev/null) || fail "./porttop no longer runs"
left=$(cd "$clone" && git status --porcelain)
[ "$left" = " M configure.ac" ] || fail "git status after the suite: $left"

if [ "$fails" -eq 0 ]; then
	say "PASS"
	exit 0
fi
exit 1
