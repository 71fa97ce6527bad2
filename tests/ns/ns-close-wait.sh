#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A server that never closes its ends: when the client closes, they sit in CLOSE_WAIT,
# counted in the server's row (the leak porttop is there to point at).
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_client_server 15 closewait
nl_ok client "closeall" "ok 15"
wait_until 5 "15 CLOSE_WAIT" ss_is close-wait 15
wait_until 5 "15 FIN_WAIT2" ss_is fin-wait-2 15

porttop_json
server=${NL_PID[server]}
assert_eq "server row close_wait" "$(pt_row "$server" close_wait)" 15
assert_eq "server row tcp" "$(pt_row "$server" tcp)" 16
assert_eq "server row established" "$(pt_row "$server" established)" 0
assert_eq "states.CLOSE_WAIT" "$(pt .states.CLOSE_WAIT)" 15
assert_eq "states.FIN_WAIT2" "$(pt .states.FIN_WAIT2)" 15
assert_eq "states.ESTABLISHED" "$(pt .states.ESTABLISHED)" 0
# the client's closed ends still hold their ports (orphaned FIN_WAIT2, no owner)
assert_eq "tcp.in_use" "$(pt .tcp.in_use)" 15
assert_eq "tcp.other (FIN_WAIT2)" "$(pt .tcp.other)" 15
assert_eq "client has no row any more" "$(pt_row "${NL_PID[client]}" tcp)" no-row
ns_done
