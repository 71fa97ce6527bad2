#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clang-tidy over every C source of porttop but the BPF program, with the check set
# of the top directory's .clang-tidy (the reasons for what it leaves out are there).
# Any finding fails (the check set's WarningsAsErrors makes each an error).  The files
# are checked CLANG_TIDY_JOBS (default 2) at a time.
#   tests/static/clang-tidy.sh SRCDIR BUILDDIR      (BUILDDIR: a configured, built tree)
set -u
src=${1:?usage: clang-tidy.sh SRCDIR BUILDDIR} build=${2:?usage: clang-tidy.sh SRCDIR BUILDDIR}
command -v clang-tidy >/dev/null || { echo "FAIL: clang-tidy not installed"; exit 1; }
[ -f "$build/config.h" ] || { echo "FAIL: $build is not a configured build tree"; exit 1; }
flags="-std=c11 -D_GNU_SOURCE -DLOCALEDIR=\"/usr/share/locale\" -include $build/config.h -I$src/src -I$build -I$build/src/bpf
	-I$src/src/bpf $(pkg-config --cflags libmnl libproc2 ncursesw libbpf libzstd 2>/dev/null)"
export src flags

# one_file FILE (run by xargs): its findings, less those inside the eBPF skeleton
# bpftool generates (its inline loader code is libbpf's, not porttop's; the analyser
# follows probes.c into it); exits 1 when there are any
# shellcheck disable=SC2016 # expanded by the shell xargs starts
one_file='
	# shellcheck disable=SC2086 # flags are words
	found=$(clang-tidy --quiet --config-file="$src/.clang-tidy" "$1" -- $flags 2>/dev/null |
		grep -E "(error|warning): " | grep -v "/porttop\.skel\.h:")
	[ -z "$found" ] && exit 0
	printf "%s\n" "$found"
	echo "clang-tidy: FAIL: $1"
	exit 1'

files=$(
	for f in "$src"/src/*.c "$src"/src/*/*.c; do
		[ -f "$f" ] || continue
		case $f in */porttop.bpf.c) continue ;; esac
		# without BPF the skeleton is not generated: the probes are not built then either
		case $f in */bpf/probes.c | */bpf/probes-read.c)
			[ -f "$build/src/bpf/porttop.skel.h" ] || continue ;;
		esac
		printf '%s\n' "$f"
	done
)
count=$(printf '%s\n' "$files" | wc -l)
if printf '%s\n' "$files" | xargs -d '\n' -n 1 -P "${CLANG_TIDY_JOBS:-2}" sh -c "$one_file" one_file; then
	echo "clang-tidy: all $count sources clean"
	exit 0
fi
exit 1
