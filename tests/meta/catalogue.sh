#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every user-visible string is in every catalogue, translated: each source file
# under src/ that marks strings (_( or N_() is listed in po/POTFILES.in; xgettext
# over POTFILES.in (with po/Makevars' keywords) finds no message that de.po or
# fr.po lacks or leaves untranslated or fuzzy (msgcmp); msgfmt --check accepts
# both.  `make update-po` (in the build's po/) brings the catalogues up to date.
# Control: a catalogue missing one message must fail msgcmp.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
for tool in xgettext msgcmp msgfmt msggrep; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
fails=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

listed=$(grep -v -e '^#' -e '^[[:space:]]*$' "$top/po/POTFILES.in" | sort)
marking=$(cd "$top" && grep -rlE '(^|[^A-Za-z0-9_])N?_\("' src --include='*.c' | sort)
unlisted=$(comm -13 <(echo "$listed") <(echo "$marking"))
[ -z "$unlisted" ] && echo "ok   every src/ file with translatable strings is in POTFILES.in" ||
	fail "not in po/POTFILES.in: $(echo $unlisted)"
for f in $listed; do
	[ -f "$top/$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done

keywords=$(sed -n 's/^XGETTEXT_OPTIONS = //p' "$top/po/Makevars")
# shellcheck disable=SC2086
(cd "$top" && xgettext $keywords -o "$tmp/now.pot" $listed) ||
	{ echo "FAIL xgettext"; exit 1; }
n=$(grep -c '^msgid ' "$tmp/now.pot")
echo "ok   xgettext: $((n - 1)) messages"
for lang in $(cat "$top/po/LINGUAS"); do
	po=$top/po/$lang.po
	if out=$(msgcmp "$po" "$tmp/now.pot" 2>&1); then
		echo "ok   $lang.po has every message, translated"
	else
		fail "$lang.po lacks messages or leaves them untranslated or fuzzy (make update-po, then translate):"$'\n'"$out"
	fi
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
	case $stats in
	*untranslated* | *fuzzy*) fail "$lang.po: $stats" ;;
	*) echo "ok   msgfmt --check $lang.po: $stats" ;;
	esac
done
for lang in de fr; do
	grep -qx "$lang" <(tr ' ' '\n' <"$top/po/LINGUAS") || fail "po/LINGUAS lacks $lang"
done

# control: drop one message from a copy of fr.po
msggrep --invert-match -K -e '^Press any key to return\.$' -o "$tmp/short.po" "$top/po/fr.po"
if msgcmp "$tmp/short.po" "$tmp/now.pot" >/dev/null 2>&1; then
	fail "control: a catalogue without one message passed msgcmp"
else
	echo "ok   control: a catalogue without one message fails"
fi
[ "$fails" -eq 0 ]
