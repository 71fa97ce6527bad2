#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live view of an ordinary user: root's sockets are counted without an owner
# (the header says how many), and the status line says once why, in the words of
# the batch text (after the note on eBPF, which comes first); after a key it gives way
# to the key bar and does not come back.  A monitoring user with the two capabilities
# of porttop(1) sees root's processes, and a kill of one says it takes CAP_KILL.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"

nl_named_server srv
nl_ok srv "connect 127.0.0.1 8080 4" "ok 4"
nl_start_as 65534 mine
nl_ok mine "name mine" ok
nl_ok mine "connect 127.0.0.1 8080 2" "ok 2"
nl_wait_accepted srv 6
cp "$PORTTOP" "$NS_TMP/pub/porttop" && chmod 755 "$NS_TMP/pub/porttop" || fatal "cannot copy porttop"

why='owners unseen: run as root, or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, to see them'
tui_new 200 24 "$(tui_env_cmd setpriv --reuid=65534 --regid=65534 --clear-groups "$NS_TMP/pub/porttop" -d 0.3)"
tui_wait "the user's own row" ' mine$'
assert_true "the header counts the sockets without an owner" \
	grep -qE '^Range 40000.40099 .*\(owners of [1-9][0-9]* sockets unseen: [1-9][0-9]* processes unreadable\)$' <<<"$TUI_SCREEN"
# the first status line says why eBPF is off; once a key has cleared it, the next
# refresh says why owners are unseen
tui_until "the status line: eBPF off" eval '[ "$(tui_status)" = "eBPF off: not root" ]'
tui_keys Down
tui_until "the status line says why owners are unseen" eval '[ "$(tui_status)" = "$why" ]'
assert_true "root's processes have no row" eval '! grep -qE " srv$" <<<"$TUI_SCREEN"'
tui_keys Down
tui_wait "the key bar after a key" "$TUI_KEYBAR_RE"
# ten refreshes at -d 0.3: the reason is not said again
tui_never "the reason said a second time" '^owners unseen: ' 30
tui_keys q

# a monitoring user (CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH) sees root's server, but
# may not signal it: the kill says which capability that takes, and nothing is sent
caps=+sys_ptrace,+dac_read_search
tui_new 200 24 "$(tui_env_cmd setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$caps" \
	--ambient-caps="$caps" "$NS_TMP/pub/porttop" -d 0.3 -p "${NL_PID[srv]}")"
tui_wait "root's server, seen by the monitoring user" ' srv$'
tui_keys k
tui_wait "the signal prompt" '^Signal to send \[TERM\]: ?$'
tui_keys Enter
tui_wait "the kill question" "^Kill ${NL_PID[srv]} \(srv\) with TERM\? \[y/N\] ?$"
tui_keys y
tui_wait "the kill refused, with the capability it takes" \
	"^cannot kill ${NL_PID[srv]} \(srv\): signalling another user's process needs CAP_KILL \(run as root\)$"
assert_true "the server lives" alive "${NL_PID[srv]}"
tui_keys q
tui_done
