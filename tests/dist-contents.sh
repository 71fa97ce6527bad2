#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every file of the source tree is in the release tarball.  tests/run-suite's
# `make distcheck-fast` builds the tarball out of tree, installs and uninstalls it,
# but runs only a few of make check's tests from it; this is the exact check that
# nothing make check (or anything else) needs was left out of EXTRA_DIST: each file
# of the checkout (what git tracks and what it would add, tests/tree-lib.sh) must be
# in the tarball, but git's own bookkeeping (.gitignore, .gitkeep).
#
#   tests/dist-contents.sh TARBALL      (from a git checkout; exits 77 elsewhere)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${1:?usage: dist-contents.sh TARBALL}
# shellcheck source=tree-lib.sh
. "$top/tests/tree-lib.sh"
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" != "$(cd "$top" && pwd -P)" ]; then
	# an unpacked tarball is itself the only list of its files
	echo "dist-contents: SKIP: $top is not a git checkout, no list of the tree to compare with"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/porttop-dist.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# the tarball's files, without its top directory (porttop-VERSION/)
tar -tzf "$tarball" >"$work/listing" || { echo "dist-contents: FAIL cannot list $tarball"; exit 1; }
grep -v '/$' "$work/listing" | sed 's|^[^/]*/||' | sort -u >"$work/shipped"
tree_list "$top" | tr '\0' '\n' | grep -Ev '(^|/)\.git(ignore|keep)$' | sort -u >"$work/tree"
[ -s "$work/tree" ] || { echo "dist-contents: FAIL no files listed in $top"; exit 1; }

missing=$(comm -23 "$work/tree" "$work/shipped")
if [ -n "$missing" ]; then
	echo "dist-contents: FAIL in the tree but not in ${tarball##*/} (add them to EXTRA_DIST, or to .gitignore if they are no part of the source):"
	sed 's/^/  /' <<<"$missing"
	exit 1
fi
echo "dist-contents: PASS: all $(wc -l <"$work/tree") files of the tree are in ${tarball##*/}"
