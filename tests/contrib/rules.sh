#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped Prometheus rules (contrib/prometheus/porttop-rules.yml) pass
# `promtool check rules`, and `promtool test rules` runs their unit tests: series
# that cross each alert's threshold and series that stay just below.  Control: the
# same tests on rules with one threshold moved must fail, so the tests can fail.
# Exit status: 0 pass, 1 fail, 77 skip (automake's convention).
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
say() { printf 'rules: %s\n' "$*"; }
command -v promtool >/dev/null || { say "SKIP: promtool (Debian package prometheus) not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/porttop-rules.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
run() {  # run NAME CMD...: CMD must succeed
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		say "ok   $name"
	else
		say "FAIL $name:"
		sed 's/^/    /' "$tmp/out"
		fails=$((fails + 1))
	fi
}
dir=$top/contrib/prometheus
run "promtool check rules" promtool check rules "$dir/porttop-rules.yml"
# promtool reads rule_files relative to the test file: run where both are
cp "$dir/porttop-rules.yml" "$dir/porttop-rules.test.yml" "$tmp/"
run "promtool test rules" promtool test rules "$tmp/porttop-rules.test.yml"

sed 's/porttop_pool_fullest_ratio > 0.9$/porttop_pool_fullest_ratio > 0.96/' "$dir/porttop-rules.yml" \
	>"$tmp/porttop-rules.yml"
run "control: the threshold was moved" eval '! cmp -s "$dir/porttop-rules.yml" "$tmp/porttop-rules.yml"'
run "control: the tests fail on rules with a moved threshold" \
	eval '! promtool test rules "$tmp/porttop-rules.test.yml"'
[ "$fails" -eq 0 ] || { say "$fails check(s) failed"; exit 1; }
say PASS
