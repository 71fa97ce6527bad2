#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shell completions complete what they say: the bash one is sourced and its
# function called with COMP_WORDS as bash sets them (options, --sort fields with and
# without "=", --format values, --netns names, comma-separated pids, users); the zsh
# one must parse (zsh -n), be a #compdef file for porttop and, in an interactive
# zsh driven through zsh/zpty, complete --sort fields, --format values, options
# and --netns names.  Which options are
# offered at all is tests/tui/tui-interface.sh's part.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
fails=0
ok() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

# shellcheck source=../../completions/porttop.bash
. "$top/completions/porttop.bash"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/netns" && touch "$tmp/netns/blue" "$tmp/netns/green" || exit 99
export PORTTOP_NETNS_DIR=$tmp/netns

# complete WORDS...: the replies for the last word, sorted, on one line
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_porttop porttop "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
check() {  # WHAT EXPECTED WORDS...
	local what=$1 want=$2 got
	shift 2
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then ok "$what: $got"; else fail "$what: got '$got', expected '$want'"; fi
}
check "long options" "--source" porttop --sou
check "--bpf options" "--bpf --bpf-pin --bpf-unpin" porttop --bp
check "--sort fields" "time_wait time_wait_percent" porttop --sort ti
check "--sort=fields" "ephemeral established" porttop --sort = e
check "-o fields" "handles" porttop -o ha
check "--format values" "json" porttop -f j
check "--format=values" "check" porttop --format = ch
check "--source values" "netlink" porttop --source n
check "--netns names" "blue green" porttop --netns ""
check "--netns=names" "green" porttop --netns = g
check "no values after a value-less option" "" porttop -b x
check "nothing to offer for a number" "" porttop -n ""
got=$(complete_words porttop -p "1,$$")
case " $got " in
*" 1,$$ "*) ok "pid lists: the last pid completes after the comma" ;;
*) fail "pid lists: got '$got', expected 1,$$ among them" ;;
esac
got=$(complete_words porttop --user ro)
case " $got " in
*" root "*) ok "users: root" ;;
*) fail "users: got '$got'" ;;
esac
check "control: no such option" "" porttop --no-such

# zsh_complete LINE EXPECTED: what an interactive zsh (through zsh/zpty, with _porttop in its
# fpath) shows after LINE and a Tab, once it shows EXPECTED or after 30 s
zsh_complete() {
	mkdir -p "$tmp/zsh" && cp "$top/completions/_porttop" "$tmp/zsh/" || return 1
	ZDIR=$tmp/zsh LINE=$1 EXPECT=$2 timeout 60 zsh -f -c '
		zmodload zsh/zpty || exit 1
		zpty z "TERM=dumb zsh -f -i"
		zpty -w z "fpath=($ZDIR \$fpath); autoload -Uz compinit; compinit -u -d $ZDIR/dump; unset zle_bracketed_paste; PS1=\"P> \""
		zpty -w -n z "$LINE"$'"'"'\t'"'"'
		out=
		for i in {1..300}; do
			while zpty -r -t z chunk; do out+=$chunk; done
			[[ ${out//$'"'"'\r'"'"'/} == *"P> $EXPECT"* ]] && break
			sleep 0.1
		done
		zpty -d z
		print -r -- "${out//$'"'"'\r'"'"'/}"' 2>/dev/null | tail -n 1
}
zsh_check() {  # WHAT LINE EXPECTED: the prompt line after the Tab ends in EXPECTED
	local got
	got=$(zsh_complete "$2" "$3")
	case $got in
	*"P> $3"*) ok "zsh: $1" ;;
	*) fail "zsh: $1: got '$(printf %s "$got" | tr -cd '[:print:]' | tail -c 80)', expected '$3'" ;;
	esac
}
if command -v zsh >/dev/null; then
	if zsh -n "$top/completions/_porttop"; then ok "zsh -n _porttop"; else fail "zsh -n _porttop"; fi
	# compinit's dump made once, before the first check (slow on a busy machine)
	mkdir -p "$tmp/zsh" && cp "$top/completions/_porttop" "$tmp/zsh/" &&
		ZDIR=$tmp/zsh zsh -f -c 'fpath=($ZDIR $fpath); autoload -Uz compinit; compinit -u -d $ZDIR/dump'
	zsh_check "--sort fields" "porttop --sort time_wait_p" "porttop --sort time_wait_percent "
	zsh_check "--format values" "porttop --format=prom" "porttop --format=prometheus "
	zsh_check "long options" "porttop --top-d" "porttop --top-destinations="
	zsh_check "--netns names" "porttop --netns=gr" "porttop --netns=green "
else
	echo "skip zsh: not installed"
fi
if [ "$(head -n 1 "$top/completions/_porttop")" = "#compdef porttop" ]; then
	ok "_porttop is a #compdef file for porttop"
else
	fail "_porttop: first line is not #compdef porttop"
fi
[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
