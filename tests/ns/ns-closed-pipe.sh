#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Batch output into a pipe whose reader goes away (porttop -b ... | head -c 1): porttop
# is not killed by SIGPIPE and does not go on sampling; it ends at once with status 1
# and no message, in every format, as a command in a shell pipeline should.
. "$(dirname "$0")/lib.sh"
ns_enter 40000 40099

nl_start srv
nl_ok srv "listen 127.0.0.1 8080" "ok 8080"
nl_ok srv "connect 127.0.0.1 8080 20" "ok 20"
for format in text json prometheus; do
	err="$NS_TMP/$format.err"
	# 600 samples 0.1 s apart would take a minute: the reader is gone after one byte,
	# and the first write after that ends porttop
	{ "$PORTTOP" -b -n 600 -d 0.1 -f "$format" 2>"$err"; echo $? >"$NS_TMP/$format.rc"; } | head -c 1 >/dev/null
	assert_eq "$format: exit status into a closed pipe" "$(cat "$NS_TMP/$format.rc")" 1
	assert_eq "$format: nothing on standard error" "$(cat "$err")" ""
done
ns_done
