# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for porttop(1): options, --sort fields, --format values,
# --netns names (/run/netns), pids and users.

_porttop_netns()
{
	local names=() f
	for f in "${PORTTOP_NETNS_DIR:-/run/netns}"/*; do
		[[ -e $f ]] && names+=("${f##*/}")
	done
	COMPREPLY=($(compgen -W "${names[*]}" -- "$1"))
}

_porttop_pids()
{
	local cur=$1 prefix="" pids=() d
	# --pid takes a comma-separated list: complete the last element
	if [[ $cur == *,* ]]; then
		prefix=${cur%,*},
		cur=${cur##*,}
	fi
	for d in /proc/[0-9]*; do
		pids+=("${d#/proc/}")
	done
	COMPREPLY=($(compgen -P "$prefix" -W "${pids[*]}" -- "$cur"))
}

_porttop()
{
	local cur prev split=false
	local opts="-b --batch -n --iterations -d --delay -f --format -o --sort -p --pid
		-u --user --container -c --cmdline -s --secure --source --netns --all-netns
		--netns-top --bpf --bpf-pin --bpf-unpin
		--no-color -w --record --record-size -r --replay --begin --end --output
		--top-destinations --top-processes --warning --critical -t --timeout
		-v --verbose --alert-after --alert-command --leak-age -h --help -V --version"
	local fields="pid user sockets tcp udp ephemeral established time_wait
		time_wait_percent close_wait new_per_sec fail_per_sec leak handles container command"

	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value arrives as "--opt" "=" "value" (COMP_WORDBREAKS has =)
	if [[ $cur == = ]]; then
		cur=""
		split=true
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
		split=true
	fi
	[[ $split == true && $prev != --* ]] && split=false

	case $prev in
	-o | --sort) COMPREPLY=($(compgen -W "$fields" -- "$cur")); return ;;
	-f | --format) COMPREPLY=($(compgen -W "text json prometheus check" -- "$cur")); return ;;
	--source) COMPREPLY=($(compgen -W "auto netlink proc" -- "$cur")); return ;;
	--bpf) COMPREPLY=($(compgen -W "auto on off" -- "$cur")); return ;;
	--netns) _porttop_netns "$cur"; return ;;
	-p | --pid) _porttop_pids "$cur"; return ;;
	-u | --user) COMPREPLY=($(compgen -u -- "$cur")); return ;;
	-w | --record | -r | --replay | --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--alert-command) COMPREPLY=($(compgen -c -- "$cur")); return ;;
	-n | --iterations | -d | --delay | --record-size | --begin | --end | --warning | --critical | \
		--top-destinations | --top-processes | -t | --timeout | --container | --netns-top | \
		--alert-after | --leak-age)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _porttop porttop
