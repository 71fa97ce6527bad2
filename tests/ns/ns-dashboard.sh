#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped Grafana dashboard (contrib/grafana/porttop-fleet.json) parses as JSON,
# has a query in every panel, and names only metrics porttop emits: every metric
# name of every PromQL expression (and of the host variable's query) must be a series
# of porttop's Prometheus output on the known load (prom-lib.sh), where destination
# and process series exist.  Control: a dashboard with one misspelt metric fails.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/prom-lib.sh"
ns_enter 40000 40099
dash=$top_srcdir/contrib/grafana/porttop-fleet.json
fleet_load
prom="$NS_TMP/porttop.prom"
timeout 30 "$PORTTOP" -f prometheus >"$prom" || fatal "porttop -f prometheus failed"

assert_true "the dashboard parses as JSON" eval 'jq -e . "$dash" >/dev/null'
assert_eq "its uid" "$(jq -r .uid "$dash")" porttop-fleet
assert_eq "panels without a query (rows aside)" \
	"$(jq '[.panels[] | select(.type != "row") | select((.targets // []) | map(.expr // "") | map(select(. != "")) | length == 0)] | length' "$dash")" 0

# metric_names FILE: the metric names of every expression of the dashboard FILE
metric_names() {
	jq -r '(.. | objects | .expr? // empty),
	       (.templating.list[] | select(.type == "query") | .query | if type == "object" then .query else . end)' "$1" |
		sed -E 's/label_values\(([^,]*),[^)]*\)/\1/g;   # the variable query: its metric
		        s/"[^"]*"//g; s/\{[^}]*\}//g; s/\[[^]]*\]//g;   # strings, selectors, ranges
		        s/\<(by|without|on|ignoring|group_left|group_right) *\([^)]*\)//g' |
		grep -oE '[A-Za-z_:][A-Za-z0-9_:]*[[:space:]]*\(?' | grep -v '($' | sed -E 's/[[:space:]]+//g' |
		grep -vxE 'and|or|unless|bool|offset' | sort -u
}
names=$(metric_names "$dash")
n=$(printf '%s\n' "$names" | grep -c .)
assert_num "metric names found in the dashboard" "$n" -ge 10
missing=
for name in $names; do
	grep -q "^$name[{ ]" "$prom" || missing+=" $name"
done
assert_eq "metrics the dashboard names but porttop does not emit" "${missing:-none}" none
for want in porttop_pool_fullest_ratio porttop_destination_blocked_ratio porttop_process_ephemeral_ports; do
	assert_true "the dashboard shows $want" eval 'printf "%s\n" "$names" | grep -qx "$want"'
done

# control: one misspelt name is found
sed 's/porttop_destination_blocked_ratio/porttop_destination_blocked_ratios/' "$dash" >"$NS_TMP/typo.json"
typo=
for name in $(metric_names "$NS_TMP/typo.json"); do
	grep -q "^$name[{ ]" "$prom" || typo+=" $name"
done
assert_eq "control: the misspelt metric is reported" "$typo" " porttop_destination_blocked_ratios"
ns_done
