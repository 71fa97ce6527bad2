# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Shared helpers of porttop's namespace tests (tests/ns/*.sh), sourced by each test:
#
#   . "$(dirname "$0")/lib.sh"
#   ns_enter 40000 40099 [TW_REUSE]   # re-runs the script in a fresh network namespace
#   nl_start srv; nl_ok srv "listen 127.0.0.1 8080" "ok 8080"   # a step at a time, or
#   nl_named_server srv; nl_named_client cli 20                 # named, all 20 accepted
#   porttop_json; assert_eq "tcp.in_use" "$(pt .tcp.in_use)" 60
#   ns_done
#
# Real sockets, but only in a private network namespace (unshare -n): the host's
# sockets and sysctls are never touched, and tests may run in parallel.  Every
# process a test starts is recorded and killed by its pid on exit.  Exit status:
# 0 pass, 1 fail, 77 skip (automake's convention).
# Environment: PORTTOP, NETLOAD (paths of the binaries under test), top_srcdir.

# make check runs tests with $(SHELL), which may be a POSIX sh: these need bash
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi

NS_TEST=$(basename "$0" .sh)
PORTTOP=${PORTTOP:-./porttop}
NETLOAD=${NETLOAD:-./tests/helpers/netload}
NS_FAILS=0
# Every wait gives its condition at least NS_WAIT seconds: the SECONDS a test passes
# is what the step takes on an idle machine, and a loaded 2-core CI machine takes
# several times that.  A wait costs that time only when it fails, and a hang still fails.
NS_WAIT=${NS_WAIT:-30}
# netload's --deadline: it ends at EOF on its fifo when the test ends; the deadline only
# keeps a test that lost track of it from leaving it behind, so it must outlast the
# slowest run of the longest test.
NS_DEADLINE=${NS_DEADLINE:-300}
NS_PIDS=()        # every process this test started, killed by pid on exit
NS_FDS=()         # our ends of netload's fifos, closed in every child we start
NS_CGROUPS=()     # cgroup directories this test made, removed on exit
NS_NAMED=()       # named network namespaces this test made (ns_add_named), deleted on exit
NS_TMP=
declare -A NL_PID NL_IN NL_OUT
# nl_named_server's netload, its port, and how many connections nl_named_client made to it
NL_SERVER=''
NL_SERVER_PORT=''
NL_SERVER_CONNECTS=0

say() { printf '%s: %s\n' "$NS_TEST" "$*"; }
skip() { say "SKIP: $*"; exit 77; }
fatal() { say "FAIL: $*"; exit 1; }

# --- processes and cleanup -------------------------------------------------

# Kills only what this test started, and only while bash still knows it as a running
# job (a pid bash has reaped could belong to someone else by now).
ns_cleanup() {
	local rc=$? pid running name
	running=" $(jobs -p | tr '\n' ' ') "
	for pid in "${NS_PIDS[@]}"; do
		[[ $running == *" $pid "* ]] && kill "$pid" 2>/dev/null
	done
	for pid in "${NS_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	for name in "${NS_NAMED[@]}"; do
		ip netns del "$name" 2>/dev/null
	done
	cg_cleanup
	[ -n "$NS_TMP" ] && rm -rf "$NS_TMP"
	exit "$rc"
}
trap ns_cleanup EXIT
trap 'exit 1' INT TERM HUP

NS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/porttop-ns.XXXXXX") || fatal "mktemp failed"

# ns_bg STDOUT_FILE CMD...: runs CMD in the background without our fifo ends (so a
# netload still sees EOF when the test dies); its pid is in NS_BG_PID.
ns_bg() {
	local out=$1
	shift
	(
		for fd in "${NS_FDS[@]}"; do exec {fd}>&-; done
		exec "$@" </dev/null >"$out" 2>"$out.err"
	) &
	NS_BG_PID=$!
	NS_PIDS+=("$NS_BG_PID")
}

# ns_poll SECONDS CMD...: runs CMD every 50 ms until it succeeds (status 0) or SECONDS
# have passed (status 1); CMD runs at least once, and once more at the end.
ns_poll() {
	local end=$((SECONDS + $1 + 1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# ns_seconds SECONDS: SECONDS, or NS_WAIT when that is longer.
ns_seconds() {
	echo $(($1 > NS_WAIT ? $1 : NS_WAIT))
}

# wait_until SECONDS DESCRIPTION CMD...: polls CMD every 50 ms; fatal after SECONDS
# (NS_WAIT at least).
wait_until() {
	local seconds what=$2
	seconds=$(ns_seconds "$1")
	shift 2
	ns_poll "$seconds" "$@" && return 0
	# what the namespace held then, so a timeout can be told from a wrong count
	say "TCP sockets by state at the timeout:"
	ss -tanH 2>/dev/null | awk '{ print "  " $1 }' | sort | uniq -c
	fatal "timed out after ${seconds}s waiting for $what"
}

# --- cgroups named like a container runtime's ----------------------------------

# cg_root: where cgroup v2 is mounted (/sys/fs/cgroup, or .../unified on a hybrid host).
cg_root() {
	findmnt -n -t cgroup2 -o TARGET 2>/dev/null | head -n 1
}

# cg_put PID NAME: moves PID into a new cgroup v2 directory NAME (e.g.
# docker-<64 hex>.scope) under the cgroup2 root; it is removed on exit, its
# processes moved back to the root first.  Skips when cgroup v2 is not writable.
cg_put() {
	local root dir
	root=$(cg_root)
	[ -n "$root" ] || skip "no cgroup2 mount"
	dir="$root/$2"
	mkdir "$dir" 2>/dev/null || skip "cannot create a cgroup under $root"
	NS_CGROUPS+=("$dir")
	printf '%s\n' "$1" >"$dir/cgroup.procs" || fatal "cannot move pid $1 into $dir"
}

cg_cleanup() {
	local dir root pid
	root=$(cg_root)
	for dir in "${NS_CGROUPS[@]}"; do
		while read -r pid; do
			printf '%s\n' "$pid" >"$root/cgroup.procs" 2>/dev/null
		done <"$dir/cgroup.procs"
		rmdir "$dir" 2>/dev/null || say "could not remove $dir"
	done
	NS_CGROUPS=()
}

# --- the namespace ---------------------------------------------------------

ns_need_binaries() {
	[ -x "$PORTTOP" ] || fatal "PORTTOP=$PORTTOP is not an executable (build porttop first)"
	[ -x "$NETLOAD" ] || fatal "NETLOAD=$NETLOAD is not an executable (make check builds it)"
}

ns_sysctl() {
	printf '%s\n' "$2" >"/proc/sys/net/ipv4/$1" 2>/dev/null ||
		fatal "cannot set net.ipv4.$1 to '$2' inside the namespace"
}

# ns_enter LOW HIGH [TW_REUSE]: re-runs this script inside a fresh network namespace
# with lo up, ip_local_port_range LOW HIGH, tcp_tw_reuse TW_REUSE (default 0) and
# tcp_rfc1337 1, so TIME_WAIT counts are deterministic.  Skips when that cannot be done
# here.
ns_enter() {
	local low=${1:-40000} high=${2:-40099} reuse=${3:-0}

	if [ "${PORTTOP_NS_INSIDE:-}" != 1 ]; then
		[ "$(id -u)" -eq 0 ] || skip "needs root to create a network namespace"
		command -v unshare >/dev/null || skip "unshare (util-linux) not installed"
		command -v ip >/dev/null || skip "ip (iproute2) not installed"
		command -v jq >/dev/null || skip "jq not installed"
		unshare -n true 2>/dev/null || skip "'unshare -n' does not work here"
		ns_need_binaries
		rm -rf "$NS_TMP"  # exec skips the EXIT trap; the inner run makes its own
		# shellcheck disable=SC2093 # the line after runs only if exec failed
		# NS_MOUNT=1: a private mount namespace too (a bpffs of the test's own)
		PORTTOP_NS_INSIDE=1 PORTTOP_NS_OUTER=$(readlink /proc/self/ns/net) \
			exec unshare -n ${NS_MOUNT:+-m --propagation private} -- "$BASH" "$0"
		fatal "cannot exec unshare"
	fi
	# never write sysctls of the namespace we were started in
	[ "$(readlink /proc/self/ns/net)" != "${PORTTOP_NS_OUTER:-}" ] ||
		fatal "still in the original network namespace"
	ip link set lo up || fatal "cannot bring lo up"
	ns_sysctl ip_local_port_range "$low $high"
	ns_sysctl tcp_tw_reuse "$reuse"
	# a stray RST closes a TIME_WAIT socket at once and frees its port unless
	# tcp_rfc1337 is 1; on loopback the kernel sends one now and then (a churn of 100
	# connections to a 100-port range then sees 101 succeed, in 11 runs of 120)
	ns_sysctl tcp_rfc1337 1
	say "in netns $(readlink /proc/self/ns/net): range $low-$high, tcp_tw_reuse $reuse"
}

# ns_add_named NAME LOW HIGH [RESERVED]: a named network namespace (ip netns add, so
# /run/netns/NAME), deleted on exit, with lo up, ip_local_port_range LOW HIGH,
# tcp_tw_reuse 0, tcp_rfc1337 1 (as ns_enter) and, when given, ip_local_reserved_ports RESERVED.  Skips when
# ip netns add does not work here.
ns_add_named() {
	local name=$1 low=$2 high=$3 reserved=${4:-}

	ip netns add "$name" 2>/dev/null || skip "ip netns add does not work here"
	NS_NAMED+=("$name")
	# shellcheck disable=SC2016 # expanded by the inner sh, from its arguments
	ip netns exec "$name" sh -c '
		ip link set lo up &&
		echo "$1 $2" >/proc/sys/net/ipv4/ip_local_port_range &&
		{ [ -z "$3" ] || echo "$3" >/proc/sys/net/ipv4/ip_local_reserved_ports; } &&
		echo 0 >/proc/sys/net/ipv4/tcp_tw_reuse &&
		echo 1 >/proc/sys/net/ipv4/tcp_rfc1337' sh "$low" "$high" "$reserved" ||
		fatal "cannot set up namespace $name"
}

# --- netload: one process per name, driven through two fifos ----------------

# nl_spawn NAME ARGV0 CMD...: runs CMD (a netload command line) with argv[0] ARGV0 as
# the netload called NAME, driven through two fifos, and checks it answers.
nl_spawn() {
	local name=$1 argv0=$2 dir="$NS_TMP/nl-$1" in out
	shift 2
	if ! mkdir "$dir" || ! mkfifo "$dir/in" "$dir/out"; then
		fatal "cannot make fifos for $name"
	fi
	# read-write opens never block, and keep the fifos open whatever netload does
	exec {in}<>"$dir/in" {out}<>"$dir/out"
	(
		for fd in "${NS_FDS[@]}" "$in" "$out"; do exec {fd}>&-; done
		exec -a "$argv0" "$@" <"$dir/in" >"$dir/out" 2>"$dir/err"
	) &
	NL_PID[$name]=$!
	NS_PIDS+=("$!")
	NL_IN[$name]=$in
	NL_OUT[$name]=$out
	NS_FDS+=("$in" "$out")
	nl_ok "$name" pid "${NL_PID[$name]}"
}

# nl_start NAME [ARGV0]: starts a netload (with that argv[0]) and checks it answers.
nl_start() {
	nl_spawn "$1" "${2:-$NETLOAD}" "$NETLOAD" --deadline "$NS_DEADLINE"
}

# nl_start_as UID NAME: like nl_start, but the netload runs as UID (and gid UID; setpriv).
nl_start_as() {
	local user=$1 name=$2
	command -v setpriv >/dev/null || fatal "setpriv (util-linux) not installed"
	# a copy that UID can run wherever the build tree is (under /root, say)
	if [ ! -x "$NS_TMP/pub/netload" ]; then
		mkdir -p "$NS_TMP/pub" && cp "$NETLOAD" "$NS_TMP/pub/netload" &&
			chmod 711 "$NS_TMP" && chmod 755 "$NS_TMP/pub" "$NS_TMP/pub/netload" ||
			fatal "cannot copy netload for uid $user"
	fi
	nl_spawn "$name" setpriv setpriv --reuid="$user" --regid="$user" --clear-groups \
		"$NS_TMP/pub/netload" --deadline "$NS_DEADLINE"
}

# nl_spawn_held NAME LOW HIGH: a netload that is its own network namespace's only
# holder (unshare -n, no name in /run/netns), with lo up, ip_local_port_range LOW HIGH
# tcp_tw_reuse 0 and tcp_rfc1337 1; the namespace goes when the netload exits.
nl_spawn_held() {
	nl_spawn "$1" "$NETLOAD" unshare -n -- sh -c "ip link set lo up &&
		echo '$2 $3' >/proc/sys/net/ipv4/ip_local_port_range &&
		echo 0 >/proc/sys/net/ipv4/tcp_tw_reuse && echo 1 >/proc/sys/net/ipv4/tcp_rfc1337 &&
		exec '$NETLOAD' --deadline $NS_DEADLINE"
}

# nl_start_in NAME NETNS: like nl_start, in the named namespace NETNS (ns_add_named).
nl_start_in() {
	nl_spawn "$1" "$NETLOAD" ip netns exec "$2" "$NETLOAD" --deadline "$NS_DEADLINE"
}

# nl_named NAME [ARGV0]: nl_start, and the netload names itself NAME (its comm, the
# command porttop shows), so that a row can be told from the others by its name.
nl_named() {
	nl_start "$@"
	nl_ok "$1" "name $1" ok
}

# nl_named_server NAME [PORT] [LISTEN_FLAGS]: netload NAME (nl_named) listening on
# 127.0.0.1:PORT (default 8080) with LISTEN_FLAGS, such as closewait; from now on the
# server of nl_named_client.
nl_named_server() {
	local port=${2:-8080}
	nl_named "$1"
	nl_ok "$1" "listen 127.0.0.1 $port${3:+ $3}" "ok $port"
	NL_SERVER=$1 NL_SERVER_PORT=$port NL_SERVER_CONNECTS=0
}

# nl_named_client NAME N [PORT]: netload NAME (nl_named) holding N connections to
# 127.0.0.1:PORT (default: the port of nl_named_server); returns once the server has
# accepted these and all that nl_named_client made to it before, so that every one
# has an owner at both ends.
nl_named_client() {
	local name=$1 n=$2 port=${3:-$NL_SERVER_PORT}
	[ -n "$NL_SERVER" ] || fatal "nl_named_client $name: no nl_named_server before it"
	nl_named "$name"
	nl_ok "$name" "connect 127.0.0.1 $port $n" "ok $n"
	NL_SERVER_CONNECTS=$((NL_SERVER_CONNECTS + n))
	nl_wait_accepted "$NL_SERVER" "$NL_SERVER_CONNECTS"
}

# nl_client_server N [LISTEN_FLAGS]: netload "server" listening on 127.0.0.1:8080 (with
# LISTEN_FLAGS, such as closewait) and netload "client" holding N connections to it,
# every one accepted; each is named so.
nl_client_server() {
	nl_named_server server 8080 "${2:-}"
	nl_named_client client "$1"
}

# nl_destinations N: netload "server" listening on 127.0.0.1:8080 to 8080+N-1 and
# netload "client" holding one connection to each, every one accepted: N destinations
# of one connection each.
nl_destinations() {
	local p
	nl_start server
	nl_start client
	for ((p = 8080; p < 8080 + $1; p++)); do
		nl_ok server "listen 127.0.0.1 $p" "ok $p"
		nl_ok client "connect 127.0.0.1 $p 1" "ok 1"
	done
	nl_wait_accepted server "$1"
}

# nl_self_connect NAME N: netload NAME listens on 127.0.0.1:8080 and holds N
# connections to itself, every one accepted.
nl_self_connect() {
	nl_ok "$1" "listen 127.0.0.1 8080" "ok 8080"
	nl_ok "$1" "connect 127.0.0.1 8080 $2" "ok $2"
	nl_wait_accepted "$1" "$2"
}

# nl_portrange NAME LO HI: netload NAME's later connect()s take their ports from LO-HI
# only (IP_LOCAL_PORT_RANGE, within the namespace's range).  Skips when the kernel
# lacks the option (before Linux 6.3: ENOPROTOOPT).
nl_portrange() {
	nl_cmd "$1" "portrange $2 $3"
	case $NL_REPLY in
	"ok $2 $3") ;;
	"err ENOPROTOOPT") skip "IP_LOCAL_PORT_RANGE unsupported here ($NL_REPLY)" ;;
	*) fatal "netload $1: 'portrange $2 $3' answered '$NL_REPLY', expected 'ok $2 $3'" ;;
	esac
}

# nl_cmd NAME COMMAND...: sends one command; the reply line is in NL_REPLY.
nl_cmd() {
	local name=$1
	shift
	[ -n "${NL_IN[$name]:-}" ] || fatal "no netload named $name"
	printf '%s\n' "$*" >&"${NL_IN[$name]}" || fatal "netload $name: cannot send '$*'"
	IFS= read -r -t "${NS_REPLY_TIMEOUT:-20}" NL_REPLY <&"${NL_OUT[$name]}" ||
		fatal "netload $name: no answer to '$*' ($(cat "$NS_TMP/nl-$name/err" 2>/dev/null))"
}

# nl_ok NAME COMMAND EXPECTED_REPLY: a step that must succeed exactly.
nl_ok() {
	nl_cmd "$1" "$2"
	[ "$NL_REPLY" = "$3" ] || fatal "netload $1: '$2' answered '$NL_REPLY', expected '$3'"
}

# nl_is NAME COMMAND REPLY: true when COMMAND answers REPLY (for wait_until).
nl_is() {
	nl_cmd "$1" "$2"
	[ "$NL_REPLY" = "$3" ]
}

# nl_wait_accepted NAME N: the server has accept()ed N sockets (so they have an owner).
nl_wait_accepted() {
	wait_until 10 "$1 to accept $2 connections" nl_is "$1" accepted "$2"
}

# has_lines FILE N: FILE has at least N lines (for wait_until).
has_lines() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# --- sockets as the kernel sees them -----------------------------------------

# ss_count STATE: TCP sockets in STATE per ss (ss state names: established, time-wait...).
ss_count() {
	ss -tanH state "$1" | wc -l
}

# ss_is STATE N: for wait_until.
ss_is() {
	[ "$(ss_count "$1")" -eq "$2" ]
}

# --- porttop -----------------------------------------------------------------

# porttop_json [ARGS...]: one batch run in JSON; the output file is PT_OUT.
porttop_json() {
	local rc
	PT_RUN=$((${PT_RUN:-0} + 1))
	PT_OUT="$NS_TMP/porttop.$PT_RUN.json"
	timeout 30 "$PORTTOP" -b --format json "$@" >"$PT_OUT" 2>"$PT_OUT.err"
	rc=$?
	[ "$rc" -eq 0 ] || fatal "porttop -b --format json $* exited $rc: $(head -c 500 "$PT_OUT.err")"
	jq -e . "$PT_OUT" >/dev/null || fatal "porttop printed something that is not JSON Lines"
}

# pt_follow [ARGS...]: porttop -b --format json ARGS in the background until pt_stop,
# into PT_OUT (its pid in PT_PID); returns once the first sample is written.
pt_follow() {
	PT_OUT="$NS_TMP/follow.json"
	ns_bg "$PT_OUT" timeout "$NS_DEADLINE" "$PORTTOP" -b --format json -n 100000 "$@"
	PT_PID=$NS_BG_PID
	wait_until 10 "porttop's first sample" has_lines "$PT_OUT" 1
}

# pt_sample_after: waits for a sample of pt_follow's porttop that began after this
# call, and puts its line number in PT_AFTER.  The line after the last one written
# may be a sample already under way, so it is the one after that: a test that waits
# for what it set up to show (in ss), then for pt_sample_after, reads a sample of it
# however slowly the machine ran, where "the next sample" after a fixed delay may
# come too early.
pt_sample_after() {
	local lines
	lines=$(wc -l <"$PT_OUT")
	wait_until 10 "two more samples" has_lines "$PT_OUT" $((lines + 2))
	PT_AFTER=$((lines + 2))
}

# pt_stop: ends pt_follow's porttop.
pt_stop() {
	kill "$PT_PID" 2>/dev/null
	wait "$PT_PID" 2>/dev/null
}

# pt FILTER [LINE]: jq -r FILTER on line LINE (default: the last) of PT_OUT.  It runs
# in $(...), so a bad filter or a missing line is recorded in a file for ns_done: two
# broken lookups must never compare equal and pass.
pt() {
	local line
	if [[ ${2:-} =~ ^[0-9]+$ ]]; then line=$(sed -n "${2}p" "$PT_OUT"); else line=$(tail -n 1 "$PT_OUT"); fi
	if [ -z "$line" ] || [[ -n ${2:-} && ! ${2:-} =~ ^[0-9]+$ ]]; then
		echo "pt '$1' '${2:-}': no such line of $PT_OUT" >>"$NS_TMP/pt-errors"
		echo "no-line-${2:-last}"
		return
	fi
	printf '%s\n' "$line" | jq -r "$1" 2>>"$NS_TMP/pt-errors" ||
		{ echo "pt: jq failed on '$1'" >>"$NS_TMP/pt-errors"; echo "jq-error"; }
}

# pt_row PID FIELD [LINE]: a field of that process's row, or "no-row".
pt_row() {
	pt "[.processes[] | select(.pid == $1)] | if length == 0 then \"no-row\" else .[0].$2 end" "${3:-}"
}

# pt_dest LOCAL REMOTE PORT FIELD [LINE]: a field of that destination, or "no-destination".
pt_dest() {
	pt "[.destinations[] | select(.local == \"$1\" and .remote == \"$2\" and .port == $3)]
	    | if length == 0 then \"no-destination\" else .[0].$4 end" "${5:-}"
}

# pt_summary: the figures of the last line worth seeing when an assertion failed.
pt_summary() {
	pt '{range, tcp, udp, states, destinations: [.destinations[] | {local, remote, port, in_use, capacity, percent}],
	     processes: [.processes[] | {pid, command, tcp, udp, ephemeral, established, time_wait, close_wait}],
	     time_wait, time_wait_unattributed} | tostring'
}

# --- assertions: each failure is reported, and the test goes on to show the rest --

# assert_eq NAME ACTUAL EXPECTED
assert_eq() {
	if [ "$2" = "$3" ]; then
		say "ok   $1 = $2"
	else
		say "FAIL $1: got '$2', expected '$3'"
		NS_FAILS=$((NS_FAILS + 1))
	fi
}

# assert_num NAME ACTUAL OP EXPECTED, OP one of -eq -ne -lt -le -gt -ge (decimals too)
assert_num() {
	if [[ $2 =~ ^-?[0-9]+(\.[0-9]+)?$ ]] && awk -v a="$2" -v op="$3" -v b="$4" 'BEGIN {
		a += 0; b += 0; r = 0
		if (op == "-eq") r = a == b; else if (op == "-ne") r = a != b
		else if (op == "-lt") r = a < b; else if (op == "-le") r = a <= b
		else if (op == "-gt") r = a > b; else if (op == "-ge") r = a >= b
		exit !r }'; then
		say "ok   $1 = $2 ($3 $4)"
	else
		say "FAIL $1: got '$2', expected $3 $4"
		NS_FAILS=$((NS_FAILS + 1))
	fi
}

# assert_match NAME ACTUAL REGEX: ACTUAL matches the extended regular expression.
assert_match() {
	if [[ $2 =~ $3 ]]; then
		say "ok   $1 ($2)"
	else
		say "FAIL $1: '$2' does not match /$3/"
		NS_FAILS=$((NS_FAILS + 1))
	fi
}

# assert_no_control NAME ACTUAL: no control character (ESC, BEL, ...) in ACTUAL.
assert_no_control() {
	if [[ $2 =~ [[:cntrl:]] ]]; then
		say "FAIL $1: control character in '$(printf '%q' "$2")'"
		NS_FAILS=$((NS_FAILS + 1))
	else
		say "ok   $1"
	fi
}

# assert_true NAME CMD...: CMD must succeed.
assert_true() {
	local name=$1
	shift
	if "$@"; then
		say "ok   $name"
	else
		say "FAIL $name"
		NS_FAILS=$((NS_FAILS + 1))
	fi
}

# ns_done: the verdict.  On failure, the last porttop output, to see why.
ns_done() {
	if [ -s "$NS_TMP/pt-errors" ]; then
		say "FAIL reading porttop's output: $(cat "$NS_TMP/pt-errors")"
		NS_FAILS=$((NS_FAILS + 1))
	fi
	if [ "$NS_FAILS" -gt 0 ]; then
		[ -n "${PT_OUT:-}" ] && [ -s "$PT_OUT" ] && say "porttop said: $(pt_summary)"
		say "$NS_FAILS assertion(s) failed"
		exit 1
	fi
	say "PASS"
	exit 0
}

# --- eBPF ----------------------------------------------------------------------

# bpf_need: skips unless this porttop has eBPF and can load its probes here.
bpf_need() {
	local out="$NS_TMP/bpf-need.json"
	timeout 30 "$PORTTOP" -b -f json --bpf=auto >"$out" 2>/dev/null || fatal "porttop -b failed"
	case $(jq -r '.bpf_reason // ""' "$out") in
	"") ;;
	"built without eBPF") skip "porttop was built with --disable-bpf" ;;
	*) skip "eBPF probes unavailable here: $(jq -r .bpf_reason "$out")" ;;
	esac
}


# bpf_fd_progs PID: ids of the BPF programs behind PID's open links (its fdinfo).
bpf_fd_progs() {
	grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u | tr '\n' ' '
}

# bpf_progs_gone ID...: none of these program ids is loaded any more (for wait_until).
bpf_progs_gone() {
	local loaded id
	loaded=" $(bpftool prog list -j 2>/dev/null | jq -r '.[].id' | tr '\n' ' ') "
	for id in "$@"; do
		[[ $loaded == *" $id "* ]] && return 1
	done
	return 0
}
