#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One interface, five descriptions that cannot drift: every option of the getopt
# table (src/settings.c) is in --help, in the man page's OPTIONS and in both shell
# completions; every --sort field of --help is in both completions; every key the
# code handles (the case labels of the live view's key handlers, the column table's
# sort keys, the key bar) is in the man page's Keys sections and on the help screen
# (captured under tmux), and the man page documents no key the code lacks.
# Controls: a made-up option and a made-up key must be reported missing, so a broken
# extraction cannot pass.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099
src=$top_srcdir
man=$src/doc/porttop.1
bash_comp=$src/completions/porttop.bash
zsh_comp=$src/completions/_porttop

# The getopt table: "--name" for each long option, "-x" for each short one.
long_opts=$(sed -n 's/^[[:space:]]*{ "\([a-z][a-z-]*\)", [a-z_]*_argument,.*/--\1/p' "$src/src/settings.c")
short_opts=$(sed -n "s/^[[:space:]]*{ \"[a-z-]*\", [a-z_]*_argument, NULL, '\\(.\\)' },.*/-\\1/p" "$src/src/settings.c")
assert_true "the getopt table has options" [ "$(wc -w <<<"$long_opts")" -ge 20 ]
assert_true "the getopt table has short options" [ "$(wc -w <<<"$short_opts")" -ge 10 ]

help_text=$(LC_ALL=C LANGUAGE= "$PORTTOP" --help)
# the OPTIONS section of the man page, with groff's \- as plain -
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" | sed 's/\\-/-/g; s/\\f[BIRP]//g')
words() { tr -c 'A-Za-z0-9_-' '\n' | grep -E '^-' | sort -u; }
help_words=$(words <<<"$help_text")
man_words=$(words <<<"$man_opts")
bash_words=$(words <"$bash_comp")
zsh_words=$(sed 's/[{},+=]/ /g' "$zsh_comp" | words)

# has LIST WORD: WORD is a line of LIST
has() { grep -qxF -- "$2" <<<"$1"; }
missing_in() {  # WHAT LIST WORDS...: the words not in LIST
	local what=$1 list=$2 w out=()
	shift 2
	for w in "$@"; do has "$list" "$w" || out+=("$w"); done
	echo "${out[*]}"
}
for where in help man bash zsh; do
	list_var=${where}_words
	assert_eq "every option in $where" "$(missing_in "$where" "${!list_var}" $long_opts $short_opts)" ""
done
assert_eq "control: a made-up option is missing from --help" "$(missing_in help "$help_words" --no-such-option)" "--no-such-option"
assert_eq "--help shows no option the table lacks" \
	"$(missing_in table "$(printf '%s\n' $long_opts $short_opts)" $(grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' <<<"$help_text" | words))" ""

fields=$(sed -n 's/^FIELD is one of: //p' <<<"$help_text")
assert_true "--help lists the sort fields" [ "$(wc -w <<<"$fields")" -ge 10 ]
for f in $fields; do
	assert_true "bash completes --sort $f" grep -qw -- "$f" "$bash_comp"
	assert_true "zsh completes --sort $f" grep -qw -- "$f" "$zsh_comp"
done

# The keys the code handles, by name as the man page and the help screen spell them.
key_name() {
	case $1 in
	"'\\\\'") echo '\' ;;
	"' '") echo space ;;
	"'\\n'" | "'\\r'" | KEY_ENTER) echo Enter ;;
	27) echo Esc ;;
	127 | KEY_BACKSPACE) echo Backspace ;;
	KEY_UP) echo Up ;; KEY_DOWN) echo Down ;; KEY_LEFT) echo Left ;;
	KEY_PPAGE) echo PgUp ;; KEY_NPAGE) echo PgDn ;;
	KEY_HOME) echo Home ;; KEY_END) echo End ;;
	KEY_F\(*\)) n=${1#KEY_F(}; echo "F${n%)}" ;;
	KEY_RESIZE) ;;
	"'"?"'") echo "${1:1:1}" ;;
	*) echo "unknown-key-$1" ;;
	esac
}
code_keys=$(
	{
		# (prompt.c reads answers, not keys)
		ls "$src"/src/view/*.c | grep -v '/prompt\.c$' | xargs grep -ohE "(case|key ==) ('[^']+'|KEY_[A-Z]+(\([0-9]+\))?|[0-9]+)" |
			sed -E 's/^(case|key ==) //'
		sed -n "s/.*, '\\([A-Z]\\)', .*/'\\1'/p" "$src/src/model/columns.c"
	} | while IFS= read -r k; do key_name "$k"; done | sort -u
)
bar_keys=$(sed -n 's/^[[:space:]]*{ "\([^"]*\)", N_(.*/\1/p' "$src/src/view/keybar.c" | sed 's/\\\\/\\/g' | tr ' ' '\n' | sort -u)
assert_true "the code handles keys" [ "$(wc -w <<<"$code_keys")" -ge 30 ]
assert_eq "the key bar shows keys the code handles" "$(missing_in code "$code_keys" $bar_keys)" ""

# the tags of the Keys sections (.SS Keys, .SS Replaying): "q, F10", "S E T C H P"...
man_keys=$(sed -n '/^\.SS Keys/,/^\.SH /p' "$man" | awk 'p { print; p = 0 } /^\.TP/ { p = 1 }' |
	sed -E 's/^\.[A-Z]+ //; s/\\e/\\/g; s/"//g; s/,/ /g' | tr ' ' '\n' | grep -v '^$' | sort -u)
assert_eq "every key in the man page" "$(missing_in man "$man_keys" $code_keys)" ""
assert_eq "the man page documents no key the code lacks" "$(missing_in code "$code_keys" $man_keys)" ""
assert_eq "control: a made-up key is missing from the man page" "$(missing_in man "$man_keys" F12)" "F12"

tui_start 200 60 -d 5
tui_wait "the live view" "$TUI_KEYBAR_RE"
tui_keys h
tui_wait "the help screen" '^Press any key to return\.$'
help_keys=$(sed -E 's/[,;:()]/ /g' <<<"$TUI_SCREEN" | tr ' ' '\n' | grep -v '^$' | sort -u)
assert_eq "every key on the help screen" "$(missing_in screen "$help_keys" $code_keys)" ""
assert_eq "control: a made-up key is missing from the help screen" "$(missing_in screen "$help_keys" F12)" "F12"
tui_keys q
tui_done
