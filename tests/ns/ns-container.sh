#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The CONTAINER column: a process in a cgroup named as Docker's systemd driver names
# a container's (docker-<64 hex>.scope) is in "docker <first 12 hex>"; a process
# of the host's (the test's own cgroup) has none, null in JSON.  --container keeps
# the rows of one container, "-" those of the host; -o container sorts by it.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

id=$(printf '%s' "porttop-container-$$" | sha256sum | cut -c1-64)
nl_start server
nl_ok server "listen 127.0.0.1 8080" "ok 8080"
nl_start client
cg_put "${NL_PID[client]}" "docker-$id.scope"
nl_ok client "connect 127.0.0.1 8080 5" "ok 5"
nl_wait_accepted server 5
client=${NL_PID[client]} server=${NL_PID[server]}
assert_match "the client's /proc/PID/cgroup" "$(cat /proc/"$client"/cgroup)" "docker-$id.scope"

porttop_json
assert_eq "client container" "$(pt_row "$client" container)" "docker ${id:0:12}"
assert_eq "client tcp" "$(pt_row "$client" tcp)" 5
assert_eq "server container (host: null)" "$(pt_row "$server" 'container == null')" true

porttop_json --container docker
assert_eq "--container docker: client" "$(pt_row "$client" tcp)" 5
assert_eq "--container docker: server" "$(pt_row "$server" tcp)" no-row
porttop_json --container "${id:0:12}"
assert_eq "--container ID: client" "$(pt_row "$client" tcp)" 5
porttop_json --container -
assert_eq "--container -: client" "$(pt_row "$client" tcp)" no-row
assert_eq "--container -: server" "$(pt_row "$server" tcp)" 6
# control: a name nobody has leaves no row, so the filter can fail
porttop_json --container podman
assert_eq "--container podman: rows" "$(pt '.processes | length')" 0

# -o container: the host's (empty) first in ascending order
porttop_json -o container
assert_eq "-o container: first row" "$(pt '.processes[0].pid')" "$server"
# batch text shows the column
out=$("$PORTTOP" -b 2>&1)
assert_match "text header" "$out" "CONTAINER"
assert_match "text row" "$out" "docker ${id:0:12}"
ns_done
