#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package says what the tree says: debian/changelog's version is
# AC_INIT's (and the man page's), and Build-Depends names exactly the build
# packages of tests/run-suite (build-essential aside, which dpkg-buildpackage
# implies), plus debhelper-compat 13.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
fails=0
check() {  # WHAT GOT WANT
	if [ "$2" = "$3" ]; then echo "ok   $1: $2"; else echo "FAIL $1: got '$2', expected '$3'"; fails=$((fails + 1)); fi
}

ac_version=$(sed -n 's/^AC_INIT(\[porttop\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
deb_version=$(sed -n '1s/^porttop (\([^)]*\)).*/\1/p' "$top/debian/changelog")
man_version=$(sed -n 's/^\.TH PORTTOP 1 "[^"]*" "porttop \([^"]*\)".*/\1/p' "$top/doc/porttop.1")
check "debian/changelog version is AC_INIT's" "${deb_version%-*}" "$ac_version"
check "the man page's version is AC_INIT's" "$man_version" "$ac_version"

# Build-Depends, one package a line, without versions and architecture lists
build_depends() {
	sed -n '/^Build-Depends:/,/^[A-Z][A-Za-z-]*:/p' "$top/debian/control" | sed '$d' |
		sed 's/^Build-Depends://' | tr ',' '\n' | sed 's/[[(].*//; s/[[:space:]]//g' | grep -v '^$' | sort
}
suite_build_deps() {
	sed -n '/^build_deps="/,/"$/p' "$top/tests/run-suite" | sed 's/^build_deps="//; s/"$//' |
		tr ' \t' '\n\n' | grep -v -e '^$' -e '^build-essential$' | sort
}
want=$( { suite_build_deps; echo debhelper-compat; } | sort | tr '\n' ' ')
got=$(build_depends | tr '\n' ' ')
check "Build-Depends are the suite's build_deps" "$got" "$want"
grep -q 'debhelper-compat (= 13)' "$top/debian/control" && echo "ok   debhelper compat 13" ||
	{ echo "FAIL debhelper-compat (= 13) missing"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ]
