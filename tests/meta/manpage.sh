#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man page renders without a single warning: `groff -ww -man -z` prints nothing,
# and `mandoc -T lint -W warning` finds nothing of warning level or worse (mandoc's
# STYLE notes, such as source lines over 80 bytes, do not change the page).
# Control: a page with an unknown macro must make both complain.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
page=$top/doc/porttop.1
for tool in groff mandoc; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
fails=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

out=$(groff -ww -man -z "$page" 2>&1)
if [ -z "$out" ]; then echo "ok   groff -ww: no warning"; else echo "FAIL groff -ww: $out"; fails=$((fails + 1)); fi
out=$(mandoc -T lint -W warning "$page" 2>&1)
if [ -z "$out" ]; then echo "ok   mandoc -T lint: clean"; else echo "FAIL mandoc -T lint: $out"; fails=$((fails + 1)); fi

{ cat "$page"; echo ".NOSUCHMACRO x"; } >"$tmp/bad.1"
[ -n "$(groff -ww -man -z "$tmp/bad.1" 2>&1)" ] && [ -n "$(mandoc -T lint -W warning "$tmp/bad.1" 2>&1)" ] &&
	echo "ok   control: an unknown macro is reported" ||
	{ echo "FAIL control: an unknown macro went unreported"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ]
