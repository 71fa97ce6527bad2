#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What fills tcp_max_tw_buckets (10 here): every timewait socket, TIME_WAIT and the
# orphans in FIN_WAIT2 that tcp_time_wait took over (tcp_fin_timeout <= 60 s), as
# inet_twsk_alloc counts them.
# 1. 5 connections closed to a server that keeps its ends (closewait): 5 FIN_WAIT2
#    orphans on the timewait timer, 5 buckets.  3 more closed under tcp_fin_timeout
#    120 stay full sockets (keepalive timer, inode 0 as well) and take none.
#    4 more connections that their process shut down (shutdown(SHUT_WR)) but holds,
#    FIN_WAIT2 for good with an inode and no timer, take none either, there and in
#    what follows: a full socket is no timewait socket.
# 2. Connect-and-close to a second server: the 4th TIME_WAIT makes 9 of 10 (WARNING),
#    the 5th 10 of 10 (CRITICAL) with TCPTimeWaitOverflow still 0; the 3 after are
#    refused (TCPTimeWaitOverflow 3) while only 5 TIME_WAIT exist.
# 3. A FIN_WAIT2 orphan is refused the same way once the buckets are full: it is closed
#    at once and TCPTimeWaitOverflow counts it.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

ns_sysctl tcp_max_tw_buckets 10
nl_start hold
nl_ok hold "listen 127.0.0.1 8080 closewait" "ok 8080"
nl_start server
nl_ok server "listen 127.0.0.1 8081" "ok 8081"
nl_start client
nl_start keeper

# ss's "timer:(timewait" is the timewait socket's timer (inet_twsk_diag_fill)
timewait_fin_wait2() { ss -tanoH state fin-wait-2 | grep -c 'timer:(timewait,'; }
timewait_fin_wait2_is() { [ "$(timewait_fin_wait2)" -eq "$1" ]; }
overflow() { pt .counters.TCPTimeWaitOverflow.total; }
# the kernel's own figure, to wait for
kernel_overflow_is() {
	[ "$(awk '$1 == "TcpExt:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == "TCPTimeWaitOverflow") n = i }
		else print $n }' /proc/net/netstat)" = "$1" ]
}

# --- 1. FIN_WAIT2 orphans ------------------------------------------------------------
nl_ok client "connect 127.0.0.1 8080 5" "ok 5"
nl_wait_accepted hold 5
nl_ok client "close 5" "ok 5"
wait_until 10 "5 FIN_WAIT2 timewait sockets" timewait_fin_wait2_is 5
ns_sysctl tcp_fin_timeout 120
nl_ok client "connect 127.0.0.1 8080 3" "ok 3"
nl_wait_accepted hold 8
nl_ok client "close 3" "ok 3"
wait_until 10 "8 FIN_WAIT2 sockets" ss_is fin-wait-2 8
assert_eq "ss: 3 FIN_WAIT2 orphans on the keepalive timer" \
	"$(ss -tanoH state fin-wait-2 | grep -c 'timer:(keepalive,')" 3
porttop_json
assert_eq "states.FIN_WAIT2: every one" "$(pt .states.FIN_WAIT2)" 8
assert_eq "states.TIME_WAIT" "$(pt .states.TIME_WAIT)" 0
assert_eq "tcp_max_tw_buckets count: the 5 timewait FIN_WAIT2" \
	"$(pt .counters.tcp_max_tw_buckets.count)" 5
assert_eq "tcp_max_tw_buckets percent" "$(pt .counters.tcp_max_tw_buckets.percent)" 50
assert_eq "tcp_max_tw_buckets level" "$(pt .counters.tcp_max_tw_buckets.level)" OK
ns_sysctl tcp_fin_timeout 60

# --- 1b. FIN_WAIT2 sockets a process holds ------------------------------------------
nl_ok keeper "connect 127.0.0.1 8080 4" "ok 4"
nl_wait_accepted hold 12
nl_ok keeper "shutdown 4" "ok 4"
wait_until 10 "12 FIN_WAIT2 sockets" ss_is fin-wait-2 12
# held: the keeper's fd, a real inode, and no timer of an orphan
held_fin_wait2() {
	ss -tanepoH state fin-wait-2 |
		grep "pid=${NL_PID[keeper]}," | grep ' ino:[1-9]' | grep -vc 'timer:('
}
assert_eq "ss: 4 FIN_WAIT2 the keeper holds, with an inode" "$(held_fin_wait2)" 4
assert_eq "ss: still 5 timewait FIN_WAIT2" "$(timewait_fin_wait2)" 5
porttop_json
assert_eq "states.FIN_WAIT2: 8 orphans + 4 held" "$(pt .states.FIN_WAIT2)" 12
assert_eq "tcp_max_tw_buckets count: the held ones take none" \
	"$(pt .counters.tcp_max_tw_buckets.count)" 5
assert_eq "tcp_max_tw_buckets percent: still 50" "$(pt .counters.tcp_max_tw_buckets.percent)" 50
prom=$(timeout 30 "$PORTTOP" -b --format prometheus)
assert_eq "Prometheus: porttop_tw_buckets_used 5" "$(grep -c '^porttop_tw_buckets_used 5$' <<<"$prom")" 1

# --- 2. TIME_WAIT on top: full at 10, refused after ------------------------------------
nl_ok client "churn 127.0.0.1 8081 4" "ok 4"
wait_until 10 "4 TIME_WAIT" ss_is time-wait 4
porttop_json
assert_eq "9 buckets: 4 TIME_WAIT + 5 FIN_WAIT2" "$(pt .counters.tcp_max_tw_buckets.count)" 9
assert_eq "90 %" "$(pt .counters.tcp_max_tw_buckets.percent)" 90
assert_eq "WARNING from 80 %" "$(pt .counters.tcp_max_tw_buckets.level)" WARNING
assert_eq "nothing refused yet" "$(overflow)" 0
prom=$(timeout 30 "$PORTTOP" -b --format prometheus)
assert_eq "Prometheus: porttop_tw_buckets_used" "$(grep -c '^porttop_tw_buckets_used 9$' <<<"$prom")" 1

nl_ok client "churn 127.0.0.1 8081 1" "ok 1"
wait_until 10 "5 TIME_WAIT" ss_is time-wait 5
porttop_json
assert_eq "10 buckets: 5 TIME_WAIT + 5 FIN_WAIT2" "$(pt .counters.tcp_max_tw_buckets.count)" 10
assert_eq "100 %" "$(pt .counters.tcp_max_tw_buckets.percent)" 100
assert_eq "full: CRITICAL" "$(pt .counters.tcp_max_tw_buckets.level)" CRITICAL
assert_eq "the 10th was not refused" "$(overflow)" 0
# /proc/net/tcp's "tr" is 3 for a timewait socket too (get_timewait4_sock)
porttop_json --source=proc
assert_eq "--source=proc: 10 buckets" "$(pt .counters.tcp_max_tw_buckets.count)" 10

nl_ok client "churn 127.0.0.1 8081 3" "ok 3"
wait_until 10 "TCPTimeWaitOverflow 3" kernel_overflow_is 3
porttop_json
assert_eq "the next 3 refused" "$(overflow)" 3
assert_eq "TIME_WAIT: still 5 of 10 buckets" "$(pt .states.TIME_WAIT)" 5
assert_eq "still 10 buckets" "$(pt .counters.tcp_max_tw_buckets.count)" 10

# --- 3. a FIN_WAIT2 orphan refused too ----------------------------------------------
nl_ok client "connect 127.0.0.1 8080 1" "ok 1"
nl_wait_accepted hold 13
nl_ok client "close 1" "ok 1"
wait_until 10 "TCPTimeWaitOverflow 4" kernel_overflow_is 4
porttop_json
assert_eq "TCPTimeWaitOverflow: the orphan refused" "$(overflow)" 4
assert_eq "the orphan closed at once: FIN_WAIT2 still 12" "$(pt .states.FIN_WAIT2)" 12
assert_eq "ss: the keeper's 4 still held" "$(held_fin_wait2)" 4
assert_eq "still 10 buckets" "$(pt .counters.tcp_max_tw_buckets.count)" 10
ns_done
