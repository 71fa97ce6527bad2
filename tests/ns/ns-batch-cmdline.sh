#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -c/--cmdline: "Show full command lines instead of process names" (porttop(1)), in
# batch text output too; a hostile argv[0] is shown escaped, never raw.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start evil $'\e]0;pwned\a'
nl_ok evil "name netload-name" ok
nl_ok evil "bind 127.0.0.1 1" "ok 1"
evil=${NL_PID[evil]}
text="$NS_TMP/text.out"

timeout 30 "$PORTTOP" -b >"$text" 2>"$text.err"
assert_eq "porttop -b exit status" "$?" 0
row=$(awk -v pid="$evil" '$1 == pid' "$text")
assert_match "without -c the row shows the process name" "$row" ' netload-name$'

timeout 30 "$PORTTOP" -b -c >"$text" 2>"$text.err"
assert_eq "porttop -b -c exit status" "$?" 0
row=$(awk -v pid="$evil" '$1 == pid' "$text")
assert_match "with -c the row shows the command line" "$row" ' --deadline [0-9]+$'
assert_eq "no raw ESC or BEL" "$(LC_ALL=C grep -c $'[\033\007]' "$text")" 0
assert_true "argv[0] shown with the ESC escaped" grep -qE '(\\x1b|\\033|\\e|\^\[)\]0;pwned' "$text"
ns_done
