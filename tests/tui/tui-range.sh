#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# r changes net.ipv4.ip_local_port_range of porttop's network namespace after asking
# (the prompt filled in with the current range), U undoes the last change.  Each
# invalid input (a low port below ip_unprivileged_port_start too) is explained and
# changes nothing; each warning (same parity, listeners inside, smaller) needs a y
# before the final y/N.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_start srv
nl_ok srv "listen 127.0.0.1 8080" "ok 8080"
nl_ok srv "listen 127.0.0.1 40150" "ok 40150"   # outside the range, for now
nl_start cli
nl_ok cli "connect 127.0.0.1 8080 60" "ok 60"
nl_wait_accepted srv 60
SYSCTL=/proc/sys/net/ipv4/ip_local_port_range
range_now() { tr -s '\t ' ' ' <"$SYSCTL"; }
range_is() { assert_eq "$1: the range in the namespace" "$(range_now)" "$2"; }

tui_start 200 24 -d 0.3
tui_wait "the table" '^ +PID USER'
tui_wait "the range in the header" '^Range 40000–40099  reserved 0  usable 100 '

# ask TEXT: r, clear the filled-in range, type TEXT, Enter
ask() {
	tui_keys r
	tui_wait "the range prompt" '^New ip_local_port_range \(low high\): '
	tui_keys C-u
	tui_wait "the range prompt emptied" '^New ip_local_port_range \(low high\): ?$'
	tui_type "$1"
	tui_keys Enter
}

tui_keys r
tui_wait "the prompt, filled in with the current range" '^New ip_local_port_range \(low high\): 40000 40099$'
tui_keys Escape
tui_wait "Esc closes the prompt" '^h help   q quit$'
range_is "Esc" "40000 40099"

# --- refused ----------------------------------------------------------------------
refused() {  # INPUT MESSAGE
	ask "$1"
	tui_wait "'$1' refused" "^$2\$"
	range_is "'$1'" "40000 40099"
}
refused abc 'not a range: "abc" \(give: low high, or low-high\)'
refused "70000 80000" 'ports must be integers from 1 to 65535: "70000 80000"'
refused "50000 40000" 'the low port 50000 is above the high port 40000'
# the kernel answers EINVAL to it (ipv4_local_port_range): refused, never asked about
refused "1001 40200" 'the low port 1001 is below ip_unprivileged_port_start 1024: the kernel refuses such a range'
refused "40000 40009" '40000-40009 leaves 10 usable ports, fewer than the 60 in use now'
refused "40000 40099" 'the range is 40000-40099 already'
refused "40000-40099" 'the range is 40000-40099 already'

# --- a change without warnings: n, then y; U: n, then y ----------------------------------
ask "40000 40119"
tui_wait "the question" '^Set ip_local_port_range to 40000 40119 \(was 40000 40099\)\? \[y/N\] ?$'
tui_keys n
tui_wait "n cancels" '^range change cancelled$'
range_is "n" "40000 40099"
ask "40000 40119"
tui_wait "the question" '^Set ip_local_port_range to 40000 40119 \(was 40000 40099\)\? \[y/N\] ?$'
tui_keys y
tui_wait "done, with how to keep it" "^range set to 40000 40119 \(U undoes\)\. To keep it after a reboot: echo 'net\.ipv4\.ip_local_port_range = 40000 40119' > /etc/sysctl\.d/90-porttop\.conf$"
range_is "y" "40000 40119"
tui_wait "the header follows" '^Range 40000–40119  reserved 0  usable 120 '
tui_keys U
tui_wait "the undo question" '^Set ip_local_port_range back to 40000 40099 \(now 40000 40119\)\? \[y/N\] ?$'
tui_keys n
tui_wait "undo cancelled" '^undo cancelled$'
range_is "U n" "40000 40119"
tui_keys U
tui_wait "the undo question" '^Set ip_local_port_range back to 40000 40099 \(now 40000 40119\)\? \[y/N\] ?$'
tui_keys y
tui_wait "undone" '^range set to 40000 40099 '
range_is "U y" "40000 40099"
tui_keys U
tui_wait "one step back only" '^no range change to undo$'
range_is "U again" "40000 40099"

# --- warnings: a first y to go on, then the question ------------------------------------
warned() {  # INPUT WARNING_REGEX
	ask "$1"
	tui_wait "the warning for '$1'" '^Go on despite the warning\? \[y/N\] ?$'
	local re="^$2\$"
	assert_true "'$1': the warning: $(tui_line 22)" eval '[[ $(tui_line 22) =~ $re ]]'
}
warned "40000 40120" 'Warning: start and end have the same parity \(connect\(\) prefers even ports, bind\(\) odd\);'
tui_keys n
tui_wait "n at the warning cancels" '^range change cancelled$'
range_is "parity, n" "40000 40099"
warned "40000 40120" 'Warning: start and end have the same parity \(connect\(\) prefers even ports, bind\(\) odd\);'
tui_keys y
tui_wait "the question after the warning" '^Set ip_local_port_range to 40000 40120 \(was 40000 40099\)\? \[y/N\] ?$'
range_is "parity, first y" "40000 40099"
tui_keys y
tui_wait "set" '^range set to 40000 40120 '
range_is "parity, second y" "40000 40120"
tui_keys U
tui_wait "the undo question" '^Set ip_local_port_range back to 40000 40099 '
tui_keys y
tui_wait "undone" '^range set to 40000 40099 '
range_is "undo" "40000 40099"

warned "40000 40199" 'Warning: listening ports inside: 40150;'
tui_keys y
tui_wait "the question after the warning" '^Set ip_local_port_range to 40000 40199 \(was 40000 40099\)\? \[y/N\] ?$'
range_is "listeners, first y" "40000 40099"
tui_keys Escape
tui_wait "Esc at the question cancels" '^range change cancelled$'
range_is "listeners, Esc" "40000 40099"

warned "40000 40079" 'Warning: smaller than the current 100 ports;'
tui_keys y
tui_wait "the question after the warning" '^Set ip_local_port_range to 40000 40079 \(was 40000 40099\)\? \[y/N\] ?$'
range_is "smaller, first y" "40000 40099"
tui_keys y
tui_wait "set" '^range set to 40000 40079 '
range_is "smaller, second y" "40000 40079"
tui_wait "the header follows" '^Range 40000–40079  reserved 0  usable 80 '

tui_keys U
tui_wait "the undo question" '^Set ip_local_port_range back to 40000 40099 \(now 40000 40079\)\? \[y/N\] ?$'
tui_keys y
tui_wait "undone" '^range set to 40000 40099 '
range_is "last undo" "40000 40099"
tui_done
