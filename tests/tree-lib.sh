# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# tree_list DIR: the files of the source tree at DIR, NUL-separated and relative to it.
# In a git checkout, what git tracks plus what it does not ignore (so local changes
# count and build output does not); elsewhere (an unpacked tarball) every file but
# the suite's own scratch directory.  Used by tests/run-suite and the README test.
tree_list() {
	local dir=$1 f
	if [ "$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$dir" && pwd -P)" ]; then
		(cd "$dir" && git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do
				# a tracked file deleted in the work tree is not part of it
				if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
			done)
	else
		(cd "$dir" && find . -path ./build-suite -prune -o \( -type f -o -type l \) -print0)
	fi
}
