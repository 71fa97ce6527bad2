# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Shared helpers of porttop's live-view tests (tests/tui/*.sh), sourced by each test:
#
#   . "$(dirname "$0")/lib.sh"
#   tui_enter 40000 40099          # skip unless root, unshare and tmux; re-run in a new netns
#   nl_named_server srv; nl_named_client c10 10    # from tests/ns/lib.sh
#   tui_start 80 24 -d 0.5         # porttop in a detached tmux pane of that size
#   tui_wait "the client row" '^ +[0-9]+ root .* c10$'
#   tui_keys E; tui_wait_sort EPHEM desc; assert_eq "order" "$(tui_col COMMAND)" "c30 c20 c10"
#   tui_done
#
# Everything runs inside one private network namespace (tests/ns/lib.sh's ns_enter
# re-executes the script under `unshare -n`), the tmux server included, so porttop,
# the shell in its pane and every netload see the same sockets and sysctls.  The tmux
# server is our own (tmux -L porttop-test-PID, no user configuration) and is killed
# at exit, with everything running in it; a watchdog kills it too if the test itself
# is killed.  Waits poll the screen with a timeout: no fixed sleeps decide a result,
# and a wait never gives up before TUI_WAIT seconds, whatever it asks for.
# Exit status: 0 pass, 1 fail, 77 skip (not root, no unshare, no tmux).

TUI_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../ns/lib.sh
. "$TUI_LIB_DIR/../ns/lib.sh"

export LC_ALL=C.UTF-8     # bash counts characters, not bytes, in what we capture
unset TMUX TMUX_PANE
TUI_SOCK=
TUI_SOCK_PATH=
TUI_SESSION=pt
TUI_PID=
TUI_SCREEN=
TUI_ENV=()                # extra VAR=VALUE for the next tui_start / tui_shell
# the least seconds a wait on the screen may take: generous, since a wait costs that
# long only when it fails (see NS_WAIT)
TUI_WAIT=${TUI_WAIT:-20}

tui_cleanup() {
	local rc=$?
	if [ -n "$TUI_SOCK" ]; then
		tmux -L "$TUI_SOCK" kill-server 2>/dev/null
		# tmux leaves its socket file behind
		[ -n "$TUI_SOCK_PATH" ] && rm -f "$TUI_SOCK_PATH"
		tui_reap
	fi
	(exit "$rc")
	ns_cleanup
}

# pid:start-time of each porttop tui_start saw, so that none outlives its test
TUI_STARTED=()
proc_start_time() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ start _ <<<"$stat"
	echo "$start"
}

# tui_reap: every porttop of this test has gone with its terminal; one that is still
# there 10 s later is killed and named, so that it cannot eat a CPU for the rest of
# the suite (the hangup itself is tui-hangup's to test)
tui_reap() {
	local entry pid i
	for entry in "${TUI_STARTED[@]}"; do
		pid=${entry%%:*}
		for ((i = 0; i < 200; i++)); do
			[ "$(proc_start_time "$pid")" = "${entry#*:}" ] || continue 2
			sleep 0.05
		done
		say "porttop $pid still running 10 s after its terminal closed: killed"
		kill -KILL "$pid" 2>/dev/null
	done
}
trap tui_cleanup EXIT

# tui_enter [LOW HIGH]: like ns_enter, and skips when tmux is missing.
tui_enter() {
	if [ "${PORTTOP_NS_INSIDE:-}" != 1 ]; then
		[ "$(id -u)" -eq 0 ] || skip "needs root to create a network namespace"
		command -v tmux >/dev/null || skip "tmux not installed"
	fi
	ns_enter "${1:-40000}" "${2:-40099}"
	TUI_SOCK="porttop-test-$$"
	mkdir -p "$NS_TMP/home" "$NS_TMP/xdg" || fatal "mkdir failed"
	cat >"$NS_TMP/tmux.conf" <<-'EOF'
		set -s exit-empty off
		set -g status off
		set -g remain-on-exit on
		set -g default-terminal screen
		set -g history-limit 100
		set -g default-shell /bin/sh
	EOF
	# if this script is killed outright, its tmux server (and porttop) still go
	(
		for fd in "${NS_FDS[@]}"; do exec {fd}>&-; done
		while kill -0 "$$" 2>/dev/null; do sleep 1; done
		tmux -L "$TUI_SOCK" kill-server
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK"
	) </dev/null >/dev/null 2>&1 &
	NS_PIDS+=("$!")
}

tui_tmux() {
	tmux -L "$TUI_SOCK" -f "$NS_TMP/tmux.conf" "$@"
}

# The environment of whatever runs in the pane: a known terminal and locale, and a
# HOME and XDG_CONFIG_HOME of our own so that no porttoprc of the user is read.
tui_env_cmd() {
	local cmd=(env -i "PATH=$PATH" TERM=screen LANG=C.UTF-8 "HOME=$NS_TMP/home"
		   "XDG_CONFIG_HOME=$NS_TMP/xdg" "${TUI_ENV[@]}" "$@")
	printf ' %q' "${cmd[@]}"
}

# tui_new COLS ROWS SHELL-COMMAND: a fresh session (the last one is closed) running
# SHELL-COMMAND under /bin/sh; the pane's pid is TUI_PANE_PID.
tui_new() {
	tui_tmux kill-session -t "$TUI_SESSION" 2>/dev/null
	tui_tmux new-session -d -s "$TUI_SESSION" -x "$1" -y "$2" "$3" ||
		fatal "cannot start a tmux session"
	[ -n "$TUI_SOCK_PATH" ] || TUI_SOCK_PATH=$(tui_fmt "#{socket_path}")
	TUI_PANE_PID=$(tui_fmt '#{pane_pid}')
	[[ $TUI_PANE_PID =~ ^[0-9]+$ ]] || fatal "no pane pid"
}

# child_of PID: the pid of PID's child (the first one found), or nothing.
child_of() {
	local f stat rest ppid
	for f in /proc/[0-9]*/stat; do
		IFS= read -r stat 2>/dev/null <"$f" || continue
		rest=${stat##*) }
		read -r _ ppid _ <<<"$rest"
		if [ "$ppid" = "$1" ]; then
			f=${f#/proc/}
			echo "${f%/stat}"
			return 0
		fi
	done
	return 1
}

# tui_start COLS ROWS [PORTTOP ARGS...]: porttop in the pane, its pid in TUI_PID.  The
# pane's shell writes porttop's exit status for tui_exit_status (tmux itself is not
# always quick to reap a pane's process and tell its status).
tui_start() {
	local cols=$1 rows=$2 i
	shift 2
	rm -f "$NS_TMP/porttop.rc"
	tui_new "$cols" "$rows" "$(tui_env_cmd "$PORTTOP" "$@"); echo \$? >$(printf %q "$NS_TMP/porttop.rc")"
	TUI_PID=
	for ((i = 0; i < 100; i++)); do
		TUI_PID=$(child_of "$TUI_PANE_PID") && [ "$(cat "/proc/$TUI_PID/comm" 2>/dev/null)" = porttop ] && break
		TUI_PID=
		[ -s "$NS_TMP/porttop.rc" ] && break
		sleep 0.02
	done
	[ -n "$TUI_PID" ] && TUI_STARTED+=("$TUI_PID:$(proc_start_time "$TUI_PID")")
	say "porttop $* (pid ${TUI_PID:-gone already}) in a ${cols}x$rows pane"
}

# tui_shell COLS ROWS: an interactive bash (prompt "tui$ ") to start porttop from.
tui_shell() {
	tui_new "$1" "$2" "exec$(tui_env_cmd PS1='tui$ ' bash --norc --noprofile -i)"
	TUI_PID=$TUI_PANE_PID
	tui_wait "the shell prompt" '^tui\$ ?$'
}

tui_keys() { tui_tmux send-keys -t "$TUI_SESSION" "$@"; }
tui_type() { tui_tmux send-keys -t "$TUI_SESSION" -l "$1"; }
tui_fmt() { tui_tmux display -p -t "$TUI_SESSION" "$1"; }
tui_resize() { tui_tmux resize-window -t "$TUI_SESSION" -x "$1" -y "$2"; }

# tui_capture [-e]: the screen into TUI_SCREEN (-e: with its attributes as escapes).  ncurses writes one update in many small
# writes, so tmux may hold a screen porttop is still drawing; each update ends with
# the cursor on the last line (the status line is drawn last), so a full-screen
# program's screen is taken only with the cursor there, before and after the capture.
# A few tries; then the screen as it is (the "needs 80x24" screen leaves the cursor
# at the top).
tui_capture() {
	local i out rest alt y h y2
	for ((i = 0; i < 20; i++)); do
		out=$(tui_tmux display -p -t "$TUI_SESSION" '#{alternate_on} #{cursor_y} #{pane_height}' \; \
			capture-pane -p "$@" -t "$TUI_SESSION" \; \
			display -p -t "$TUI_SESSION" '#{cursor_y}')
		read -r alt y h <<<"${out%%$'\n'*}"
		rest=${out#*$'\n'}
		y2=${rest##*$'\n'}
		TUI_SCREEN=
		[[ $rest == *$'\n'* ]] && TUI_SCREEN=${rest%$'\n'*}
		while [[ $TUI_SCREEN == *$'\n' ]]; do TUI_SCREEN=${TUI_SCREEN%$'\n'}; done
		# not a full-screen program (a shell), or no pane: the screen as it is
		[[ $alt == 1 && $y =~ ^[0-9]+$ && $h =~ ^[0-9]+$ && $y2 =~ ^[0-9]+$ ]] || return 0
		((y == h - 1 && y2 == h - 1)) && return 0
		sleep 0.02
	done
}

tui_dump() {
	local line
	say "screen (${TUI_WHAT:-last capture}):"
	while IFS= read -r line; do printf '  | %s\n' "$line"; done <<<"$TUI_SCREEN"
}

# The key bar (view/keybar.c) at 80 columns, and any key bar as a regex
TUI_KEYBAR_80='h Help  / Find  \ Filter  < > Sort  Enter Details  k Kill  r Range  q Quit'
TUI_KEYBAR_RE='^h Help  / Find  .*  q Quit$'

# tui_seconds [SECONDS]: SECONDS, or TUI_WAIT when that is longer or none is given.
tui_seconds() {
	local s=${1:-$TUI_WAIT}
	echo $((s > TUI_WAIT ? s : TUI_WAIT))
}

# tui_shows REGEX / tui_lacks REGEX: a fresh capture has a line matching / none (for ns_poll).
tui_shows() { tui_capture; grep -qE -- "$1" <<<"$TUI_SCREEN"; }
tui_lacks() { tui_capture; ! grep -qE -- "$1" <<<"$TUI_SCREEN"; }

# tui_wait DESCRIPTION REGEX [SECONDS]: polls until a line of the screen matches the
# extended REGEX (grep -E); fails the test with the screen shown otherwise.
tui_wait() {
	local what=$1 re=$2 seconds
	seconds=$(tui_seconds "${3:-}")
	ns_poll "$seconds" tui_shows "$re" && return 0
	TUI_WHAT="waiting for $what" tui_dump
	fatal "timed out after ${seconds}s waiting for $what (/$re/)"
}

# tui_wait_gone DESCRIPTION REGEX [SECONDS]: until no line matches.
tui_wait_gone() {
	local what=$1 re=$2 seconds
	seconds=$(tui_seconds "${3:-}")
	ns_poll "$seconds" tui_lacks "$re" && return 0
	TUI_WHAT="waiting for $what" tui_dump
	fatal "timed out after ${seconds}s waiting for $what (/$re/ still on screen)"
}

# tui_never DESCRIPTION REGEX TENTHS: fails if a line matches at any time within TENTHS
# tenths of a second.
tui_never() {
	local what=$1 re=$2 tenths=$3 i
	for ((i = 0; i < tenths; i++)); do
		tui_capture
		if grep -qE -- "$re" <<<"$TUI_SCREEN"; then
			TUI_WHAT="$what" tui_dump
			fatal "$what: /$re/ appeared"
		fi
		sleep 0.1
	done
	say "ok   $what"
}

# tui_until DESCRIPTION CMD...: captures the screen and runs CMD (which reads
# TUI_SCREEN, tui_col...) until it succeeds; fails the test with the screen shown.
tui_until() {
	local what=$1
	shift
	ns_poll "$TUI_WAIT" tui_check "$@" && return 0
	TUI_WHAT="waiting for $what" tui_dump
	fatal "timed out after ${TUI_WAIT}s waiting for $what"
}
tui_check() { tui_capture; "$@" 2>/dev/null; }

# col_is HEADER VALUES: for tui_until.
col_is() { [ "$(tui_col "$1")" = "$2" ]; }

# tui_line N: line N (from 0) of the last capture; tui_status: its last line.
tui_line() { sed -n "$(($1 + 1))p" <<<"$TUI_SCREEN"; }
tui_status() { tail -n 1 <<<"$TUI_SCREEN"; }

# --- the process table --------------------------------------------------------

# tui_table: parses the table of the last capture into TUI_HDR (column headers in
# screen order), TUI_SORT ("EPHEM desc"), TUI_ROWPIDS (pids in screen order) and
# TUI_CELL[pid,HEADER]; COMMAND is the rest of the row.
declare -A TUI_CELL
tui_table() {
	local line in=0 words i
	TUI_HDR=() TUI_ROWPIDS=() TUI_SORT=
	TUI_CELL=()
	while IFS= read -r line; do
		if ((!in)); then
			[[ $line =~ ^\ *.?PID\ .*COMMAND ]] || continue
			[[ $line =~ ([▼▲])([^ ]+) ]] &&
				TUI_SORT="${BASH_REMATCH[2]} $([ "${BASH_REMATCH[1]}" = ▼ ] && echo desc || echo asc)"
			line=${line//▼/ }
			line=${line//▲/ }
			read -r -a TUI_HDR <<<"$line"
			in=1
			continue
		fi
		[[ $line =~ ^\ *[0-9]+\  ]] || continue
		read -r -a words <<<"$line"
		TUI_ROWPIDS+=("${words[0]}")
		for ((i = 0; i < ${#TUI_HDR[@]} - 1; i++)); do
			TUI_CELL[${words[0]},${TUI_HDR[i]}]=${words[i]}
		done
		TUI_CELL[${words[0]},COMMAND]=${words[*]:${#TUI_HDR[@]}-1}
	done <<<"$TUI_SCREEN"
	((in))
}

# tui_col HEADER: that column of every row, in screen order, space-separated.
tui_col() {
	local pid out=()
	tui_table || { echo no-table; return; }
	for pid in "${TUI_ROWPIDS[@]}"; do out+=("${TUI_CELL[$pid,$1]-?}"); done
	echo "${out[*]}"
}

# tui_cell PID HEADER: one cell ("no-row" when PID has no row).
tui_cell() {
	tui_table
	echo "${TUI_CELL[$1,$2]-no-row}"
}

# sgr_reverse SEQUENCES: applies the SGR escapes in SEQUENCES to TUI_REV (reverse on/off).
sgr_reverse() {
	local rest=$1 re=$'\e\\[([0-9;]*)m' p i
	local -a params
	while [[ $rest =~ $re ]]; do
		IFS=';' read -r -a params <<<"${BASH_REMATCH[1]}"
		((${#params[@]})) || params=(0)
		for ((i = 0; i < ${#params[@]}; i++)); do
			p=${params[i]:-0}
			case $p in
			0) TUI_REV=0 ;;
			7) TUI_REV=1 ;;
			27) TUI_REV=0 ;;
			38 | 48 | 58) [ "${params[i + 1]:-}" = 5 ] && i=$((i + 2)) || i=$((i + 4)) ;;
			esac
		done
		rest=${rest#*"${BASH_REMATCH[0]}"}
	done
}

# tui_selected: the pid of the selected (reverse video) row, or "none".  capture-pane -e
# writes attribute changes only, so the state carries over from line to line.
tui_selected() {
	local line pid re=$'^((\e\\[[0-9;]*m)*) *([0-9]+) ' screen=$TUI_SCREEN escaped
	tui_capture -e
	escaped=$TUI_SCREEN
	TUI_SCREEN=$screen
	TUI_REV=0
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			pid=${BASH_REMATCH[3]}
			sgr_reverse "${BASH_REMATCH[1]}"
			if ((TUI_REV)); then
				echo "$pid"
				return
			fi
		fi
		sgr_reverse "$line"
	done <<<"$escaped"
	echo none
}

# tui_wait_selected PID [DESCRIPTION]
tui_wait_selected() {
	if ns_poll "$TUI_WAIT" tui_is_selected "$1"; then
		say "ok   selected: $1${2:+ ($2)}"
		return 0
	fi
	tui_capture
	TUI_WHAT="selection" tui_dump
	fatal "selection is $TUI_SEL, expected $1${2:+ ($2)}"
}
# tui_is_selected PID: the selected row is PID's, before and after the capture that
# TUI_SCREEN then holds.
tui_is_selected() {
	TUI_SEL=$(tui_selected)
	[ "$TUI_SEL" = "$1" ] || return 1
	tui_capture
	TUI_SEL=$(tui_selected)
	[ "$TUI_SEL" = "$1" ]
}

# tui_wait_sort "HEADER desc|asc": until the sort marker is on that column.
tui_wait_sort() {
	ns_poll "$TUI_WAIT" tui_check tui_sorted "$1" && return 0
	TUI_WHAT="sort marker" tui_dump
	fatal "sort marker is '$TUI_SORT', expected '$1'"
}
tui_sorted() { tui_table; [ "$TUI_SORT" = "$1" ]; }

# --- the pane's process ---------------------------------------------------------

# tui_exit_status [SECONDS]: waits for porttop (started by tui_start) to end and prints
# its exit status (128+N after signal N), or "running".
tui_exit_status() {
	local i
	for ((i = 0; i < ${1:-$TUI_WAIT} * 20; i++)); do
		if [ -s "$NS_TMP/porttop.rc" ]; then
			cat "$NS_TMP/porttop.rc"
			return
		fi
		sleep 0.05
	done
	echo running
}

# proc_state PID: the state letter of PID, or "gone".
proc_state() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
	stat=${stat##*) }
	echo "${stat%% *}"
}

# alive PID: running, not a zombie.
alive() {
	local st
	st=$(proc_state "$1")
	[ "$st" != gone ] && [ "$st" != Z ]
}

# tui_done: the verdict (the last screen is shown when something failed).
tui_done() {
	if [ "$NS_FAILS" -gt 0 ] || [ -s "$NS_TMP/pt-errors" ]; then
		[ -n "$TUI_SCREEN" ] && tui_dump
	fi
	PT_OUT='' ns_done
}

# fd_count PID: how many file descriptors PID has open (porttop's HANDLES).
fd_count() {
	local fds=("/proc/$1/fd/"*)
	echo "${#fds[@]}"
}
