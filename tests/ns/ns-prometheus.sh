#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --format=prometheus on a known load with hostile process names (see prom-lib.sh):
# promtool accepts every output (one snapshot, the --output file a service loop
# rewrites, the file of a failed refresh), and the series carry the load's figures.
# A control proves promtool's check can fail here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/prom-lib.sh"
command -v promtool >/dev/null || skip "promtool (Debian package prometheus) not installed"
ns_enter 40000 40099
fleet_load
evil1=${NL_PID[evil1]} evil2=${NL_PID[evil2]}
assert_eq "evil2's name really holds a newline and 0xff (kernel view)" \
	"$(od -An -c "/proc/$evil2/comm" | tr -s ' ' | head -n1)" ' q " \ } \n , x = " 377 \n'

out="$NS_TMP/one.prom"
# --bpf=off: probes pinned by another test would know evil2's closed sockets' births
timeout 30 "$PORTTOP" -b -f prometheus --bpf=off >"$out" 2>"$out.err"
assert_eq "porttop -f prometheus exit status" "$?" 0
assert_true "promtool check metrics accepts the snapshot: $(promtool check metrics <"$out" 2>&1 | head -c 300)" \
	eval 'promtool check metrics <"$out" >/dev/null 2>&1'
assert_eq "porttop_up" "$(prom_value "$out" porttop_up)" 1
assert_eq "tcp ports in use" "$(prom_value "$out" 'porttop_ports_in_use{protocol="tcp"}')" 60
assert_eq "tcp ratio" "$(prom_value "$out" 'porttop_ports_in_use_ratio{protocol="tcp"}')" 0.6000
assert_eq "udp ratio" "$(prom_value "$out" 'porttop_ports_in_use_ratio{protocol="udp"}')" 0.0500
assert_eq "fullest pool" "$(prom_value "$out" porttop_pool_fullest_ratio)" 0.6000
dest='{local="127.0.0.1",remote="127.0.0.1",port="8080"}'
assert_eq "destination in use" "$(prom_value "$out" "porttop_destination_ports_in_use$dest")" 60
assert_eq "destination capacity" "$(prom_value "$out" "porttop_destination_capacity_ports$dest")" 100
assert_eq "destination blocked" "$(prom_value "$out" "porttop_destination_blocked_ratio$dest")" 0.6000
assert_eq "TIME_WAIT sockets" "$(prom_value "$out" 'porttop_tcp_sockets{state="TIME_WAIT"}')" 10
# a single run never saw evil2's closed sockets alive: no owner known for them
assert_eq "TIME_WAIT unattributed" "$(prom_value "$out" porttop_time_wait_unattributed)" 10
assert_num "refresh duration" "$(prom_value "$out" porttop_scrape_duration_seconds)" -gt 0
now=$(date +%s)
assert_num "last refresh is now" "$(prom_value "$out" porttop_last_refresh_timestamp_seconds)" -ge $((now - 30))

# the hostile names as label values: libproc2 shows control bytes and the byte that
# is not UTF-8 as '?', the sanitizer escapes the backslash, and the label escaping
# doubles every backslash and escapes the quotes
assert_eq "evil1's series" "$(grep "^porttop_process_ephemeral_ports{pid=\"$evil1\"," "$out")" \
	"porttop_process_ephemeral_ports{pid=\"$evil1\",user=\"root\",command=\"?]0;pwned?\"} 40"
# 10 TCP connections still open and 5 UDP sockets
assert_eq "evil2's series" "$(grep "^porttop_process_ephemeral_ports{pid=\"$evil2\"," "$out")" \
	"porttop_process_ephemeral_ports{pid=\"$evil2\",user=\"root\",command=\"q\\\"\\\\\\\\}?,x=\\\"?\"} 15"
assert_eq "no raw control byte in the exposition" "$(LC_ALL=C grep -c '[[:cntrl:]]' "$out")" 0

# control: the same file with one label's quote left unescaped is refused
sed '0,/command="q\\"/s//command="q"/' "$out" >"$NS_TMP/broken.prom"
assert_eq "control: the broken copy differs in one line" "$(diff "$out" "$NS_TMP/broken.prom" | grep -c '^>')" 1
assert_true "control: a broken label is refused by promtool" \
	eval '! promtool check metrics <"$NS_TMP/broken.prom" >/dev/null 2>&1'

# bounded cardinality: --top-processes and --top-destinations
timeout 30 "$PORTTOP" -f prometheus --top-processes=1 --top-destinations=0 >"$NS_TMP/top.prom"
assert_eq "--top-processes=1: one process series" "$(prom_series "$NS_TMP/top.prom" porttop_process_ephemeral_ports)" 1
assert_eq "--top-processes=1: the one with most ephemeral ports" \
	"$(grep -o 'pid="[0-9]*"' "$NS_TMP/top.prom" | sort -u)" "pid=\"$evil1\""
assert_eq "--top-destinations=0: no destination series" \
	"$(prom_series "$NS_TMP/top.prom" porttop_destination_ports_in_use)" 0
assert_true "promtool accepts the bounded output" eval 'promtool check metrics <"$NS_TMP/top.prom" >/dev/null 2>&1'

# --output in a service loop: the directory does not exist yet, so the first writes
# fail and are retried; once it exists the file appears, 0644, and is whole
dir="$NS_TMP/textfile"
ns_bg "$NS_TMP/loop.out" "$PORTTOP" -b -f prometheus -n 0 -d 0.1 --output="$dir/porttop.prom"
loop=$NS_BG_PID
wait_until 10 "the write error on stderr" grep -q "cannot write $dir/porttop.prom" "$NS_TMP/loop.out.err"
mkdir "$dir"
wait_until 10 "the file once the directory exists" test -s "$dir/porttop.prom"
assert_true "porttop still runs after the failed writes" kill -0 "$loop"
assert_eq "file mode" "$(stat -c %a "$dir/porttop.prom")" 644
cp "$dir/porttop.prom" "$NS_TMP/copy.prom"
assert_true "promtool accepts the file" eval 'promtool check metrics <"$NS_TMP/copy.prom" >/dev/null 2>&1'
assert_eq "the file's fullest pool" "$(prom_value "$NS_TMP/copy.prom" porttop_pool_fullest_ratio)" 0.6000
kill "$loop"
wait "$loop"
assert_eq "SIGTERM ends the loop cleanly" "$?" 0
assert_eq "nothing but the file in the directory (temporary files renamed)" "$(ls -A "$dir")" porttop.prom

# a refresh that fails in the loop: with the range sysctl hidden (a tmpfs over
# /proc/sys/net/ipv4, in a mount namespace of this test's own) the file says
# porttop_up 0 with the last good refresh's time; once it is back, porttop_up 1
unshare -m true 2>/dev/null || skip "'unshare -m' does not work here"
# shellcheck disable=SC2016 # expanded by the inner shell
timeout 60 unshare -m --propagation private -- "$BASH" -c '
	out=$1 porttop=$2
	"$porttop" -b -f prometheus -n 0 -d 0.1 --output="$out/p.prom" 2>"$out/err" &
	pid=$!
	trap "kill $pid 2>/dev/null; wait $pid" EXIT
	until grep -qx "porttop_up 1" "$out/p.prom" 2>/dev/null; do sleep 0.05; done
	cp "$out/p.prom" "$out/before.prom"
	mount -t tmpfs none /proc/sys/net/ipv4 || exit 1
	until grep -qx "porttop_up 0" "$out/p.prom"; do sleep 0.05; done
	cp "$out/p.prom" "$out/down.prom"
	umount /proc/sys/net/ipv4 || exit 1
	until grep -qx "porttop_up 1" "$out/p.prom"; do sleep 0.05; done
	cp "$out/p.prom" "$out/after.prom"
	kill -0 $pid' _ "$dir" "$PORTTOP"
assert_eq "the loop survived a failing refresh (mount namespace run)" "$?" 0
assert_true "promtool accepts the file of a failed refresh" \
	eval 'promtool check metrics <"$dir/down.prom" >/dev/null 2>&1'
assert_eq "the failed refresh's file: porttop_up 0, and nothing else but its times" \
	"$(grep -v '^#' "$dir/down.prom" | cut -d' ' -f1 | tr '\n' ' ')" \
	"porttop_up porttop_scrape_duration_seconds porttop_last_refresh_timestamp_seconds "
before=$(prom_value "$dir/before.prom" porttop_last_refresh_timestamp_seconds)
assert_num "it keeps the time of the last good refresh" \
	"$(prom_value "$dir/down.prom" porttop_last_refresh_timestamp_seconds)" -ge "$before"
assert_num "after the failure, the time moves on" \
	"$(prom_value "$dir/after.prom" porttop_last_refresh_timestamp_seconds)" -gt \
	"$(prom_value "$dir/down.prom" porttop_last_refresh_timestamp_seconds)"
assert_true "the failure was reported: $(head -n1 "$dir/err")" \
	grep -q "cannot read net.ipv4.ip_local_port_range" "$dir/err"
ns_done
