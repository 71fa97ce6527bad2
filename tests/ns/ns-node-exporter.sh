#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# porttop as the textfile collector's writer, proven with the real node_exporter:
# porttop rewrites its file every 0.1 s (-n 0 --output) while node_exporter, in a
# namespace of its own (its scrapes must not take ports from the load's range), is
# scraped in a tight loop for 30 s.  Every scrape must show porttop's series with
# the figures of the known load (prom-lib.sh) and node_textfile_scrape_error 0: a
# torn file would show as an error.  A control shows a torn file does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/prom-lib.sh"
exporter=$(command -v prometheus-node-exporter || command -v node_exporter) ||
	skip "prometheus-node-exporter not installed"
command -v curl >/dev/null || skip "curl not installed"
NS_DEADLINE=120 ns_enter 40000 40099
export NS_DEADLINE=120  # the load must outlive the 30 s of scraping
fleet_open
evil1=${NL_PID[evil1]} evil2=${NL_PID[evil2]}

dir="$NS_TMP/textfile"
mkdir "$dir"
ns_bg "$NS_TMP/loop.out" "$PORTTOP" -b -f prometheus -n 0 -d 0.1 --output="$dir/porttop.prom"
loop=$NS_BG_PID
# porttop must see evil2's sockets alive to charge their TIME_WAIT to it
wait_until 10 "porttop's file with evil2's 20 ports" \
	grep -qs "^porttop_process_ephemeral_ports{pid=\"$evil2\",.*} 20$" "$dir/porttop.prom"
fleet_close
wait_until 10 "porttop's file with the closed sockets charged to evil2" \
	grep -q "^porttop_process_time_wait_sockets{pid=\"$evil2\",.*} 10$" "$dir/porttop.prom"

# what every scrape must hold, as node_exporter prints it (labels sorted by name)
cat >"$NS_TMP/expected" <<END
node_textfile_scrape_error 0
porttop_up 1
porttop_pool_fullest_ratio 0.6
porttop_ports_in_use{protocol="tcp"} 60
porttop_ports_in_use_ratio{protocol="udp"} 0.05
porttop_destination_ports_in_use{local="127.0.0.1",port="8080",remote="127.0.0.1"} 60
porttop_tcp_sockets{state="TIME_WAIT"} 10
porttop_time_wait_unattributed 0
porttop_process_ephemeral_ports{command="?]0;pwned?",pid="$evil1",user="root"} 40
porttop_process_time_wait_sockets{command="q\\"\\\\\\\\}?,x=\\"?",pid="$evil2",user="root"} 10
END

# node_exporter and the scraper in a fresh network namespace: nothing listens there,
# so 127.0.0.1:9100 is free; node_exporter is killed by its pid when the scraping ends
# shellcheck disable=SC2016 # expanded by the inner shell
timeout 90 unshare -n -- "$BASH" -c '
	exporter=$1 dir=$2 tmp=$3 seconds=$4
	ip link set lo up || exit 1
	[ -z "$(ss -ltnH "sport = :9100")" ] || { echo "port 9100 taken" >"$tmp/scrape.err"; exit 1; }
	"$exporter" --web.listen-address=127.0.0.1:9100 --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$dir" \
		--web.disable-exporter-metrics >"$tmp/exporter.log" 2>&1 &
	pid=$!
	trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null" EXIT
	for ((i = 0; i < 100; i++)); do
		curl -sf -o /dev/null http://127.0.0.1:9100/metrics && break
		sleep 0.05
	done
	want=$(wc -l <"$tmp/expected") good=0 bad=0 errors=0
	end=$((SECONDS + seconds))
	while [ "$SECONDS" -lt "$end" ]; do
		curl -sf -o "$tmp/scrape" http://127.0.0.1:9100/metrics || { bad=$((bad + 1)); continue; }
		if [ "$(grep -cxF -f "$tmp/expected" "$tmp/scrape")" -eq "$want" ]; then
			good=$((good + 1))
		else
			bad=$((bad + 1))
			[ -f "$tmp/first-bad" ] || cp "$tmp/scrape" "$tmp/first-bad"
		fi
		grep -qx "node_textfile_scrape_error 0" "$tmp/scrape" || errors=$((errors + 1))
	done
	# control: a torn file (cut in the middle of a line) is an error node_exporter reports
	printf "porttop_torn 1\nporttop_to" >"$dir/torn.prom"
	curl -sf -o "$tmp/torn-scrape" http://127.0.0.1:9100/metrics
	rm -f "$dir/torn.prom"
	echo "$good $bad $errors" >"$tmp/counts"
	kill -0 $pid || exit 1' _ "$exporter" "$dir" "$NS_TMP" 30
rc=$?
assert_eq "node_exporter and the scrape loop ran (see $NS_TMP/exporter.log)" "$rc" 0
read -r good bad errors <"$NS_TMP/counts"
say "scrapes: $good good, $bad bad, $errors with node_textfile_scrape_error != 0"
# (how many fit in 30 s depends on the machine: ~300 idle, under 100 on a loaded
# 2-core CI; at least one a second, each racing porttop's ten rewrites)
assert_num "scrapes with every figure of the load" "$good" -ge 30
assert_eq "scrapes missing a figure" "$bad" 0
assert_eq "scrapes with node_textfile_scrape_error != 0" "$errors" 0
[ -f "$NS_TMP/first-bad" ] && say "first bad scrape: $(grep -vxF -f "$NS_TMP/expected" "$NS_TMP/first-bad" | grep -c .) other lines; missing: $(grep -vxF -f "$NS_TMP/first-bad" "$NS_TMP/expected" | tr '\n' '|')"
assert_eq "control: a torn file shows as node_textfile_scrape_error 1" \
	"$(grep '^node_textfile_scrape_error ' "$NS_TMP/torn-scrape")" "node_textfile_scrape_error 1"
assert_true "porttop's loop still runs" kill -0 "$loop"
ns_done
