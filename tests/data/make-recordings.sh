#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes the recordings under tests/data/ that the golden tests (tests/record/) replay
# without root: real sockets in a private network namespace, recorded by porttop.
#
#   PORTTOP=build/porttop NETLOAD=build/tests/helpers/netload tests/data/make-recordings.sh
#
# exhaustion.rec: a range of 100 ports filling up (6 samples, 1 s apart): a web app's
# pool of connections to a database, 30 of them closed into TIME_WAIT, a batch job
# that opens 20 and exits (its TIME_WAIT stays charged to it), a resolver's UDP
# sockets, a listener left in CLOSE_WAIT.  exhaustion.json is what the recording run
# printed; the .txt, .prom and .check files are the other renderers' output of the
# same samples, made by replaying it (the namespace tests prove those equal to a
# recording run's own output).  Times are UTC: the golden tests replay with TZ=UTC.
export TZ=UTC
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
NS_TEST=make-recordings
. "$top_srcdir/tests/ns/lib.sh"
ns_enter 40000 40099

out=$top_srcdir/tests/data
nl_start db dbserver
nl_ok db "name dbserver" ok
nl_ok db "listen 127.0.0.1 5432" "ok 5432"
nl_start cw stuckserver
nl_ok cw "name stuckserver" ok
nl_ok cw "listen 127.0.0.1 6000 closewait" "ok 6000"
nl_start web webapp
nl_ok web "name webapp" ok
nl_ok web "connect 127.0.0.1 5432 40" "ok 40"
nl_ok web "connect 127.0.0.1 6000 5" "ok 5"
nl_start dns resolver
nl_ok dns "name resolver" ok
nl_ok dns "udp 127.0.0.1 6" "ok 6"
nl_start job nightly-job
nl_ok job "name nightly-job" ok
nl_ok job "connect 127.0.0.1 5432 20" "ok 20"
nl_wait_accepted db 60

PT_OUT=$NS_TMP/live.json
rm -f "$out/exhaustion.rec"
ns_bg "$PT_OUT" timeout 60 "$PORTTOP" -b -f json -n 6 -d 1 -w "$out/exhaustion.rec"
pid=$NS_BG_PID
wait_until 10 "the first sample" has_lines "$PT_OUT" 1
nl_ok web "close 30" "ok 30"
nl_ok cw "quit" "bye"         # the peer is gone: webapp's 5 wait in CLOSE_WAIT
wait_until 10 "the third sample" has_lines "$PT_OUT" 3
nl_ok job "quit" "bye"
wait_until 10 "the fourth sample" has_lines "$PT_OUT" 4
nl_ok web "connect 127.0.0.1 5432 25" "ok 25"
wait "$pid" || fatal "the recording run failed: $(cat "$PT_OUT.err")"
cp "$PT_OUT" "$out/exhaustion.json"
"$PORTTOP" -b -f text -r "$out/exhaustion.rec" >"$out/exhaustion.txt"
"$PORTTOP" -b -f prometheus -r "$out/exhaustion.rec" >"$out/exhaustion.prom"
"$PORTTOP" -b -f check -r "$out/exhaustion.rec" >"$out/exhaustion.check"
say "wrote $out/exhaustion.{rec,json,txt,prom,check}: $(wc -c <"$out/exhaustion.rec") bytes"
ns_done
