#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# W writes the settings to $XDG_CONFIG_HOME/porttop/porttoprc; the next porttop starts
# with them.  A bad porttoprc is named in the status line, its good lines still apply,
# and porttop runs; a settings file that cannot be written is an error message.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

nl_named_server srv
for n in ka kb; do
	nl_named "$n" "argv0-$n"
done
nl_start_as 65534 kn
nl_ok kn "name kn" ok
nl_ok ka "connect 127.0.0.1 8080 3" "ok 3"
nl_ok kb "connect 127.0.0.1 8080 6" "ok 6"
nl_ok kn "bind 127.0.0.1 9" "ok 9"
nl_wait_accepted srv 9
rc=$NS_TMP/xdg/porttop/porttoprc

tui_start 160 30 -d 0.3
tui_until "the rows" col_is COMMAND "kn kb ka srv"
tui_keys T I c
tui_wait_sort "TW asc"
tui_keys d C-u
tui_type 1.5
tui_keys Enter
tui_wait "every 1.5 s" ' - every 1\.5s - '
tui_keys '\'
tui_type k
tui_keys Enter u
tui_wait "the user prompt" '^Show user'
tui_type root
tui_keys Enter
tui_until "root's k rows, command lines" col_is COMMAND "argv0-ka --deadline $NS_DEADLINE argv0-kb --deadline $NS_DEADLINE"
tui_keys W
tui_wait "W says where" "^settings written to $rc$"
assert_eq "porttoprc" "$(cat "$rc" 2>&1)" "# porttop settings, written by the W key
delay = 1.5
sort = time_wait
invert = 1
cmdline = 1
secure = 0
color = 1
user = root
filter = k"
tui_keys q
assert_eq "exit status" "$(tui_exit_status)" 0

tui_start 160 30
tui_wait "the settings read back: delay" ' - every 1\.5s - '
tui_until "the settings read back: filter, user, command lines" \
	col_is COMMAND "argv0-ka --deadline $NS_DEADLINE argv0-kb --deadline $NS_DEADLINE"
tui_wait_sort "TW asc"
assert_true "no warning, the key bar" grep -qE "$TUI_KEYBAR_RE" <<<"$(tui_status)"
tui_keys q
assert_eq "exit status" "$(tui_exit_status)" 0

# options given on the command line win over the file
tui_start 160 30 -d 0.4 -u nobody
tui_wait "-d over delay" ' - every 0\.4s - '
tui_until "-u over user" col_is PID "${NL_PID[kn]}"

# bad lines: each is ignored, the first one is named, the good ones apply
printf '%s\n' '# comment' 'bogus line' 'sort = nosuchcolumn' 'delay = 0.7' 'invert = maybe' \
	'' 'sort = sockets' 'nosuchkey = 1' >"$rc"
tui_start 160 30
tui_wait "the warning" "^$rc: 4 bad lines ignored \(first: line 2\)$"
tui_wait "good lines apply" ' - every 0\.7s - '
tui_until "rows, by sockets" col_is COMMAND "srv kn kb ka"
tui_wait_sort "SOCK desc"
tui_keys x
tui_wait "the warning goes with the next key" "^unknown key 'x' - h for help$"
tui_keys q
assert_eq "exit status" "$(tui_exit_status)" 0

# garbage: NUL bytes, control characters, a line longer than any buffer
{ printf 'delay = 0.9\n'; printf 'x\0y\033[2J\n'; head -c 3000 /dev/zero | tr '\0' 'z'; printf '\n= =\n'; } >"$rc"
tui_start 160 30
tui_wait "a warning for the garbage" "^$rc: [0-9]+ bad lines ignored \(first: line 2\)$"
tui_wait "porttop runs on" ' - every 0\.9s - '
tui_until "rows" col_is COMMAND "kn kb ka srv"
tui_keys q
assert_eq "exit status" "$(tui_exit_status)" 0

# colours off for this run only (NO_COLOR, --no-color): W does not save them off
for off in NO_COLOR=1 --no-color; do
	rm -f "$rc"
	if [ "$off" = --no-color ]; then TUI_ENV=(); tui_start 160 30 -d 0.3 --no-color
	else TUI_ENV=("$off"); tui_start 160 30 -d 0.3; fi
	tui_until "rows ($off)" col_is COMMAND "kn kb ka srv"
	tui_keys W
	tui_wait "W says where ($off)" "^settings written to $rc$"
	assert_eq "colours stay on in porttoprc ($off)" "$(grep '^color' "$rc" 2>&1)" "color = 1"
	tui_keys q
	assert_eq "exit status ($off)" "$(tui_exit_status)" 0
done
TUI_ENV=()

# not a file: porttop still runs
rm -f "$rc" && mkdir "$rc"
tui_start 160 30 -d 0.3
tui_until "rows with a directory as porttoprc" col_is COMMAND "kn kb ka srv"
say "status line: $(tui_status)"
tui_keys q
assert_eq "exit status" "$(tui_exit_status)" 0

# W where the file cannot be written: XDG_CONFIG_HOME is a regular file
: >"$NS_TMP/not-a-dir"
TUI_ENV=("XDG_CONFIG_HOME=$NS_TMP/not-a-dir")
tui_start 160 30 -d 0.3
tui_until "rows" col_is COMMAND "kn kb ka srv"
tui_keys W
tui_wait "W fails with a message" '^cannot write settings: Not a directory$'
assert_eq "porttop still runs" "$(tui_exit_status 0)" running
tui_done
