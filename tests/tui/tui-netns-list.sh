#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The namespace list (N): every network namespace, fullest first.  Two are made here,
#   named (ip netns add)        range 41000-41019, 19 connections: 95 %
#   held  (unshare -n process)  range 42000-42099, 30 connections: 30 %
# beside the test's own (porttop's, range 40000-40099, empty).  The header says how
# many others exist and names the fullest; N lists them with their ranges, the named
# one above the held one; Enter on the top row opens the normal view inside that
# namespace, Esc goes back to the list, and Enter on ours shows its range and sockets.
# Other tests' namespaces may be listed too: only ours are asserted on.
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

name="porttop-tui-$$"
ns_add_named "$name" 41000 41019
nl_start_in named "$name"
nl_self_connect named 19
nl_spawn_held held 42000 42099
nl_self_connect held 30
own=$(stat -L -c %i /proc/self/ns/net)
ino_named=$(stat -L -c %i "/run/netns/$name")
ino_held=$(stat -L -c %i "/proc/${NL_PID[held]}/ns/net")

# ns_selected: the inode on the row the last capture marks as selected (">"), or "none"
ns_selected() {
	local sel
	sel=$(grep -E '^>' <<<"$TUI_SCREEN" | head -n 1 | tr -d '>*' | awk '{ print $1 }')
	echo "${sel:-none}"
}

tui_start 200 40 -d 0.3
# our own namespace is empty: some other one is fuller, at least the named one
tui_wait "the header names the fullest other namespace" \
	"netns $own; [0-9]+ other namespaces, fullest [0-9]+ %: "
tui_keys N
tui_wait "the list" '^Network namespaces \([0-9]+\), fullest first'
tui_wait "the named namespace" "^[ >] $ino_named +$name +41000-41019 +20 +39 +95\\.0 "
tui_wait "the held namespace" "^[ >] $ino_held +- +42000-42099 +100 +61 +30\\.0 "
tui_wait "our own, marked as shown" "^[ >]\\*$own "
tui_capture
row_named=$(grep -nE "^[ >] $ino_named " <<<"$TUI_SCREEN" | cut -d: -f1)
row_held=$(grep -nE "^[ >] $ino_held " <<<"$TUI_SCREEN" | cut -d: -f1)
assert_eq "named above held" "$([ "$row_named" -lt "$row_held" ] && echo yes)" yes

# Enter on the top row (the fullest of all) opens it; the list is read again at each
# refresh and the selection follows its namespace, so it is checked against one screen
top_selected() {
	tui_keys Home
	tui_capture
	sel=$(ns_selected)
	[ "$sel" = "$(tui_line 2 | tr -d '>*' | awk '{ print $1 }')" ]
}
# (another test's namespace may be the fullest, and go away just then: then porttop
# says so and stays in the list, and the next fullest is tried; or it may overtake
# the selected one between the capture and Enter: then Enter rightly opens that one,
# and the test goes back and tries again)
for ((try = 0; try < 5; try++)); do
	tui_until "the fullest selected" top_selected
	tui_keys Enter
	tui_wait "the view inside a namespace, or why not" "netns [0-9]+; |^cannot look into netns [0-9]+: "
	grep -qE "netns $sel; " <<<"$TUI_SCREEN" && break
	if ! grep -qE "^cannot look into netns " <<<"$TUI_SCREEN"; then
		tui_keys Escape
		tui_wait "Esc: back to the list" '^Network namespaces \('
	fi
done
tui_wait "the view inside the fullest" "netns $sel; "
tui_keys Escape
tui_wait "Esc: back to the list" '^Network namespaces \('
# down to ours (the order may change meanwhile: one step at a time), then Enter
# step towards our row, up or down, as the rows stand on the screen each time
selection_moved() { tui_capture; [ "$(ns_selected)" != "$1" ]; }
for ((i = 0; i < 80; i++)); do
	tui_capture
	was=$(ns_selected)
	[ "$was" = "$ino_named" ] && break
	at_ours=$(grep -nE "^[ >][ *]$ino_named " <<<"$TUI_SCREEN" | cut -d: -f1)
	at_sel=$(grep -nE "^>" <<<"$TUI_SCREEN" | head -n 1 | cut -d: -f1)
	if [ -n "$at_sel" ] && [ -n "$at_ours" ] && [ "$at_sel" -gt "$at_ours" ]; then
		tui_keys Up
	else
		tui_keys Down
	fi
	# one step at a time: a key sent before the last one shows would overshoot on a
	# slow machine (no move within 2 s: look again, the list may have changed)
	ns_poll 2 selection_moved "$was" || true
done
tui_capture
assert_eq "ours selected" "$(ns_selected)" "$ino_named"
tui_keys Enter
tui_wait "the view inside $name" "netns $ino_named; "
tui_wait "its range" "^Range 41000.41019  reserved 0  usable 20 "
tui_wait "its destination" '^  127\.0\.0\.1:8080 +19/20 +95 %'
tui_done
