#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make deb`: builds the Debian package from a scratch copy of the tree (so
# dpkg-buildpackage's output in the parent directory never lands next to the
# checkout), checks it with lintian (no error, no warning), unpacks it into a
# throwaway root and checks that everything is in its place and that the binary
# from there runs a batch snapshot.  The .deb is left in OUTDIR (default: the
# current directory).
#
#   tests/deb.sh [OUTDIR]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd) || exit 1
for tool in dpkg-buildpackage dh lintian fakeroot; do
	command -v "$tool" >/dev/null || { echo "deb: $tool is missing (apt-get install dpkg-dev debhelper lintian fakeroot)" >&2; exit 1; }
done
# shellcheck source=tree-lib.sh
. "$top/tests/tree-lib.sh"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/porttop-deb.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
fails=0
ok() { echo "deb: ok   $1"; }
fail() { echo "deb: FAIL $1"; fails=$((fails + 1)); }

mkdir "$scratch/porttop" &&
	tree_list "$top" | tar -C "$top" --null -T - -cf - | tar -C "$scratch/porttop" -xf - || exit 1
# a tree that was configured in place would be refused by dh_auto_configure's VPATH
# build; clean the copy, not the checkout
if [ -f "$scratch/porttop/Makefile" ]; then
	make -s -C "$scratch/porttop" distclean >/dev/null 2>&1
fi
echo "deb: dpkg-buildpackage -us -uc -b in $scratch/porttop"
# make check has run the unit tests already: the package build skips them unless
# DEB_BUILD_OPTIONS says otherwise
(cd "$scratch/porttop" && DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS-nocheck} dpkg-buildpackage -us -uc -b -j"$(nproc)") >"$scratch/build.log" 2>&1 || {
	tail -n 40 "$scratch/build.log"
	echo "deb: FAIL dpkg-buildpackage (log above)"
	exit 1
}
deb=$(ls "$scratch"/porttop_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "deb: FAIL no .deb built"; exit 1; }
ok "built ${deb##*/}"

# lintian: nothing of warning level or worse (info and pedantic tags are advice)
lint=$(lintian --fail-on error,warning "$scratch"/porttop_*.changes 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && ! grep -qE '^[EW]: ' <<<"$lint"; then
	ok "lintian: no error, no warning"
else
	fail "lintian:"$'\n'"$lint"
fi

root=$scratch/root
dpkg -x "$deb" "$root" || exit 1
for f in usr/bin/porttop usr/share/man/man1/porttop.1.gz \
	usr/share/locale/de/LC_MESSAGES/porttop.mo usr/share/locale/fr/LC_MESSAGES/porttop.mo \
	usr/share/bash-completion/completions/porttop usr/share/zsh/vendor-completions/_porttop \
	lib/systemd/system/porttop-record.service usr/share/doc/porttop/examples/porttop-bpf.service \
	usr/share/doc/porttop/copyright; do
	if [ -e "$root/$f" ]; then ok "/$f"; else fail "/$f is not in the package"; fi
done
if grep -q '^ExecStart=/usr/bin/porttop ' "$root/lib/systemd/system/porttop-record.service"; then
	ok "the recorder unit runs /usr/bin/porttop"
else
	fail "the recorder unit does not run /usr/bin/porttop"
fi
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libmnl0 libproc2 libncursesw6 libzstd1; do
	case $deps in *"$lib"*) ok "Depends: $lib" ;; *) fail "Depends lacks $lib: $deps" ;; esac
done
version=$(dpkg-deb -f "$deb" Version)
got=$("$root/usr/bin/porttop" --version 2>&1 | head -n 1)
case $got in *" $version"*) ok "porttop --version: $got" ;; *) fail "porttop --version: '$got', package $version" ;; esac
if snap=$("$root/usr/bin/porttop" -b -n 1 --bpf=off 2>&1) && grep -q 'Range ' <<<"$snap"; then
	ok "porttop -b -n 1 from the package runs"
else
	fail "porttop -b -n 1 from the package:"$'\n'"$snap"
fi
cp "$deb" "$out/" && ok "left ${deb##*/} in $out"
[ "$fails" -eq 0 ]
