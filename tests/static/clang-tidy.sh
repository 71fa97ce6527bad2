#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clang-tidy over every C source of porttop but the BPF program, with the check set
# of the top directory's .clang-tidy (the reasons for what it leaves out are there).
# Any finding fails (the check set's WarningsAsErrors makes each an error).
#   tests/static/clang-tidy.sh SRCDIR BUILDDIR      (BUILDDIR: a configured, built tree)
set -u
src=${1:?usage: clang-tidy.sh SRCDIR BUILDDIR} build=${2:?usage: clang-tidy.sh SRCDIR BUILDDIR}
command -v clang-tidy >/dev/null || { echo "FAIL: clang-tidy not installed"; exit 1; }
flags="-std=c11 -D_GNU_SOURCE -DLOCALEDIR=\"/usr/share/locale\" -include $build/config.h -I$src/src -I$build -I$build/src/bpf
	-I$src/src/bpf $(pkg-config --cflags libmnl libproc2 ncursesw libbpf libzstd 2>/dev/null)"
status=0
for f in "$src"/src/*.c "$src"/src/*/*.c; do
	case $f in */porttop.bpf.c) continue ;; esac
	# without BPF the skeleton is not generated: the probes are not built then either
	case $f in */bpf/probes.c | */bpf/probes-read.c)
		[ -f "$build/src/bpf/porttop.skel.h" ] || continue ;;
	esac
	# the findings, less those inside the eBPF skeleton bpftool generates (its inline
	# loader code is libbpf's, not porttop's; the analyser follows probes.c into it)
	# shellcheck disable=SC2086 # flags are words
	found=$(clang-tidy --quiet --config-file="$src/.clang-tidy" "$f" -- $flags 2>/dev/null |
		grep -E '(error|warning): ' | grep -v '/porttop\.skel\.h:')
	if [ -n "$found" ]; then
		printf '%s\n' "$found"
		echo "clang-tidy: FAIL: $f"
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "clang-tidy: every source clean"
exit $status
