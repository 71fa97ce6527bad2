#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man page renders without a single warning: `groff -ww -man -z` prints nothing,
# and `mandoc -T lint -W style` finds nothing, down to its style notes (such as a text
# line over 80 bytes), so the source stays as readable as the page.
# Controls: a page with an unknown macro must make both complain, and one with a long
# text line must make mandoc's style level complain.
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
out=$(mandoc -T lint -W style "$page" 2>&1)
if [ -z "$out" ]; then echo "ok   mandoc -T lint -W style: clean"; else echo "FAIL mandoc -T lint -W style: $out"; fails=$((fails + 1)); fi

{ cat "$page"; echo ".NOSUCHMACRO x"; } >"$tmp/bad.1"
[ -n "$(groff -ww -man -z "$tmp/bad.1" 2>&1)" ] && [ -n "$(mandoc -T lint -W warning "$tmp/bad.1" 2>&1)" ] &&
	echo "ok   control: an unknown macro is reported" ||
	{ echo "FAIL control: an unknown macro went unreported"; fails=$((fails + 1)); }
{ cat "$page"; printf '%s\n' "$(printf 'word %.0s' $(seq 20))"; } >"$tmp/long.1"
case $(mandoc -T lint -W style "$tmp/long.1" 2>&1) in
*"STYLE: input text line longer than 80 bytes"*) echo "ok   control: a text line of 100 bytes is a style note" ;;
*) echo "FAIL control: mandoc -W style let a text line of 100 bytes pass"; fails=$((fails + 1)) ;;
esac
[ "$fails" -eq 0 ]
