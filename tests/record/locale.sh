#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Under a comma locale (de_DE.UTF-8) the machine formats are byte for byte the goldens
# golden.sh checks in the C locale: JSON, Prometheus and the check plugin's line keep
# their '.', even with German words around them.  The text output follows the locale
# as top -b does: the same text with "60,0 %" where the C locale prints "60.0 %".
# Messages stay English (LC_MESSAGES=C) where the goldens are compared whole.
. "$(dirname "$0")/lib.sh"
rec=$DATA/exhaustion.rec
de=de_DE.UTF-8
locale -a 2>/dev/null | grep -qx de_DE.utf8 || {
	say "skip: locale $de not generated (localedef -i de_DE -f UTF-8 $de)"
	exit 77
}

render() {  # render FORMAT LOCALE-VARIABLES...: the output on stdout, stderr kept
	local fmt=$1
	shift
	env -u LC_ALL "$@" "$PORTTOP" -b -f "$fmt" -r "$rec" 2>"$REC_TMP/err"
}

for fmt in json:json prometheus:prom check:check; do
	want=$DATA/exhaustion.${fmt#*:}
	fmt=${fmt%:*}
	render "$fmt" LANG=C.UTF-8 LC_NUMERIC="$de" >"$REC_TMP/out"
	if cmp -s "$REC_TMP/out" "$want"; then
		ok "$fmt under LC_NUMERIC=$de equals $(basename "$want")"
	else
		bad "$fmt under LC_NUMERIC=$de" "differs: $(diff "$want" "$REC_TMP/out" | head -n 5)"
	fi
	expect_eq "$fmt: nothing on stderr" "$(cat "$REC_TMP/err")" ""
done

# all of it German (LANG=de, LANGUAGE=de): the figures machines read keep their '.'
for fmt in json:json prometheus:prom; do
	want=$DATA/exhaustion.${fmt#*:}
	fmt=${fmt%:*}
	render "$fmt" LANG="$de" LANGUAGE=de >"$REC_TMP/out"
	if cmp -s "$REC_TMP/out" "$want"; then
		ok "$fmt under LANG=$de equals $(basename "$want")"
	else
		bad "$fmt under LANG=$de" "differs: $(diff "$want" "$REC_TMP/out" | head -n 5)"
	fi
done
expect_eq "check under LANG=$de: the perfdata of every line" \
	"$(render check LANG="$de" LANGUAGE=de | sed 's/^.* | //')" "$(sed 's/^.* | //' "$DATA/exhaustion.check")"

# the text output: commas where the golden has points, and nowhere else
render text LANG=C.UTF-8 LC_NUMERIC="$de" >"$REC_TMP/out"
expect_eq "text under LC_NUMERIC=$de: the TCP line of the first sample" \
	"$(grep -m 1 '^TCP ' "$REC_TMP/out" | sed 's/.*\]  //')" \
	"60/100  60,0 %  ESTABLISHED 60  TIME_WAIT 0  CLOSE_WAIT 0  other 0"
expect_eq "text under LC_NUMERIC=$de: a percentage with a '.'" "$(grep -c '[0-9]\.[0-9] %' "$REC_TMP/out")" 0
if cmp -s <(tr , . <"$REC_TMP/out") <(tr , . <"$DATA/exhaustion.txt"); then
	ok "text under LC_NUMERIC=$de is exhaustion.txt with decimal commas"
else
	bad "text under LC_NUMERIC=$de" "differs beyond the separators: $(diff <(tr , . <"$DATA/exhaustion.txt") <(tr , . <"$REC_TMP/out") | head -n 5)"
fi
rec_done
