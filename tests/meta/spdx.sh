#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source file of porttop carries its licence, GPL-2.0-or-later (COPYING), as an
# SPDX line near its top: the C sources and headers (eBPF ones too), the scripts, the
# Makefile.am, configure.ac, the man page and the systemd unit, so a new file cannot
# forget it.  Fails naming each
# file without the line.
#
#   tests/meta/spdx.sh [--add]
# --add writes the line into the files that lack it (after a shebang, in the comment
# syntax of the file) and is how the headers were added in the first place.
# Control: a file written without the line must be found, so a broken file list or
# pattern cannot pass.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=../tree-lib.sh
. "$top/tests/tree-lib.sh"
LINE='SPDX-License-Identifier: GPL-2.0-or-later'

# is_source PATH: a file that must carry the line (relative to $top)
is_source() {
	case $1 in
	*/vmlinux.h | *.skel.h) return 1 ;;  # generated at build time from the kernel's BTF
	Makefile.am | configure.ac | doc/porttop.1 | .ci/run | contrib/*.service) return 0 ;;
	src/* | tests/* | bench/*) ;;
	*) return 1 ;;
	esac
	case $1 in
	*.c | *.h | *.sh | */Makefile.am) return 0 ;;
	esac
	# a script without an extension (tests/run-suite, bench/run)
	[ "$(head -c 2 "$top/$1" 2>/dev/null)" = '#!' ]
}

has_line() {
	head -n 3 "$1" | grep -q "$LINE"
}

# add_line FILE: the line in FILE's comment syntax, after a shebang or a roff
# preprocessor line
add_line() {
	local f=$1 first comment tmp
	first=$(head -n 1 "$f")
	case $f in
	*.c | *.h) comment="/* $LINE */" ;;
	*.ac) comment="dnl $LINE" ;;
	*.1) comment=".\\\" $LINE" ;;
	*) comment="# $LINE" ;;
	esac
	tmp=$(mktemp "$f.XXXXXX") || return 1
	if [[ $first == '#!'* || $first == "'\\\""* ]]; then
		{ printf '%s\n' "$first" "$comment"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s\n' "$comment"; cat "$f"; } >"$tmp"
	fi
	chmod --reference="$f" "$tmp" && mv "$tmp" "$f"
}

missing=()
while IFS= read -r -d '' f; do
	f=${f#./}
	is_source "$f" || continue
	has_line "$top/$f" || missing+=("$f")
done < <(tree_list "$top")

if [ "${1:-}" = --add ]; then
	for f in "${missing[@]}"; do add_line "$top/$f" && echo "spdx: added to $f"; done
	exit 0
fi

# the control: the check finds a file without the line
control=$(mktemp -d) || exit 1
trap 'rm -rf "$control"' EXIT
printf 'int main(void) { return 0; }\n' >"$control/x.c"
if has_line "$control/x.c"; then
	echo "spdx: FAIL: the check does not tell a file without the line"
	exit 1
fi
checked=$(tree_list "$top" | tr '\0' '\n' | while IFS= read -r f; do
	is_source "${f#./}" && echo "$f"; done | wc -l)
if [ "$checked" -lt 50 ]; then
	echo "spdx: FAIL: only $checked source files found under $top"
	exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "spdx: FAIL: these files have no '$LINE' line in their first three lines"
	echo "(tests/meta/spdx.sh --add writes it):"
	printf '  %s\n' "${missing[@]}"
	exit 1
fi
echo "spdx: ok, $checked source files carry $LINE"
