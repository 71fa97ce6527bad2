#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cppcheck over porttop's C sources (not the BPF program, which is clang's BPF target
# and vmlinux.h): warning, style, performance and portability checks, failing on any
# finding but the few kinds listed in cppcheck.supp, each with its reason there.
#   tests/static/cppcheck.sh SRCDIR BUILDDIR      (BUILDDIR: a configured build, for config.h)
set -u
src=${1:?usage: cppcheck.sh SRCDIR BUILDDIR} build=${2:?usage: cppcheck.sh SRCDIR BUILDDIR}
command -v cppcheck >/dev/null || { echo "FAIL: cppcheck not installed"; exit 1; }
cppcheck --version
exec cppcheck -q --std=c11 --enable=warning,style,performance,portability \
	--inline-suppr --suppressions-list="$src/tests/static/cppcheck.supp" --error-exitcode=1 \
	-I "$src/src" -I "$build" --include="$build/config.h" \
	-i "$src/src/bpf/porttop.bpf.c" "$src/src" "$src/tests/unit" "$src/tests/fuzz"
