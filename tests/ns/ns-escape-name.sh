#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A process may name itself with terminal escapes (prctl PR_SET_NAME), and root of a
# UTS namespace may name the host so: porttop must neither break its JSON nor pass
# the raw bytes to a terminal.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

# argv[0] carries the same bytes, for the command line (-c, "cmdline")
nl_start evil $'\e]0;pwned\a'
nl_ok evil 'name \033]0;pwned\007' ok
nl_ok evil "bind 127.0.0.1 1" "ok 1"
evil=${NL_PID[evil]}
assert_eq "the name really holds ESC (kernel view)" \
	"$(od -An -c "/proc/$evil/comm" | tr -s ' ' | head -n1)" " 033 ] 0 ; p w n e d \\a \\n"

porttop_json   # fails if any line is not valid JSON
command=$(pt_row "$evil" command)
assert_eq "JSON line has no raw ESC or BEL" "$(LC_ALL=C grep -c $'[\033\007]' "$PT_OUT")" 0
assert_no_control "decoded command has no control character" "$command"
assert_match "decoded command still shows the name" "$command" ']0;pwned'
cmdline=$(pt_row "$evil" cmdline)
assert_no_control "decoded cmdline has no control character" "$cmdline"
assert_match "decoded cmdline shows the ESC escaped" "$cmdline" '(\\x1b|\\033|\\e|\^\[)\]0;pwned'

text="$NS_TMP/text.out"
timeout 30 "$PORTTOP" -b >"$text" 2>"$text.err"
assert_eq "porttop -b exit status" "$?" 0
assert_eq "text output has no raw ESC or BEL" "$(LC_ALL=C grep -c $'[\033\007]' "$text")" 0
# shown escaped (\x1b, ^[ ...) or replaced by a visible placeholder: libproc2's
# process name already turns control characters into '?'
assert_true "text output shows the name with the ESC made visible" \
	grep -qE '(\\x1b|\\033|\\e|\\u001b|\^\[|\?)\]0;pwned' "$text"

# the host name, in a UTS namespace of its own (the host's name is never touched)
unshare -u true 2>/dev/null || skip "'unshare -u' does not work here"
evil_host=$'evil\e[2J\a'
in_uts() {  # in_uts OUT ARGS...: porttop ARGS in a UTS namespace named $evil_host
	local out=$1
	shift
	timeout 30 unshare -u -- "$BASH" -c \
		'printf "%s" "$1" >/proc/sys/kernel/hostname && od -An -c /proc/sys/kernel/hostname >"$2.kernel" &&
		 shift 2 && exec "$@"' _ "$evil_host" "$out" "$PORTTOP" -b "$@" >"$out" 2>"$out.err"
}
host="$NS_TMP/host.out"
in_uts "$host"
assert_eq "porttop -b in the UTS namespace: exit status" "$?" 0
assert_eq "the host name really holds ESC and BEL (kernel view)" "$(tr -s ' ' <"$host.kernel" | head -n1)" \
	" e v i l 033 [ 2 J \\a \\n"
assert_eq "text output has no raw ESC or BEL" "$(LC_ALL=C grep -c $'[\033\007]' "$host")" 0
assert_eq "the text header shows the host name escaped" "$(head -n1 "$host" | cut -d' ' -f1-3)" \
	'porttop - evil\x1b[2J\x07'
in_uts "$host.json" --format json
assert_eq "porttop -b -f json in the UTS namespace: exit status" "$?" 0
assert_eq "JSON host is the escaped name" "$(jq -r .host "$host.json")" 'evil\x1b[2J\x07'
ns_done
