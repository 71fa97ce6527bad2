#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live view in French and German (LANG=fr_FR.UTF-8 LANGUAGE=fr, and de): the key
# bar at 80 columns, the header, the help screen with every line whole, the kill
# prompts, whose y/N question takes the locale's yes (o, j) and really signals,
# --help, the alert line's "(+1 autre)" in the singular, the details' summary and the
# alert line at 80 columns (and 40) with no figure cut from its unit, and the kernel counters
# panel's title over its figures (English too), every figure of it whole at 80x24,
# 91x30 and the least width, 40 columns; the figures follow the locale as top's do:
# -d and the delay prompt take "0,5" and "0.5", and the header shows the delay with a
# decimal comma.  The
# catalogues of this build are bind-mounted over LOCALEDIR in a private mount
# namespace, so nothing needs installing and the host's files are untouched.
NS_MOUNT=1
. "$(dirname "$0")/lib.sh"
tui_enter 40000 40099

share=${LOCALEDIR%/locale}
[ -d "$share" ] && [ "${LOCALEDIR##*/}" = locale ] || skip "LOCALEDIR $LOCALEDIR: not DIR/locale under an existing DIR"
for lang in fr de; do
	gmo=$top_srcdir/po/$lang.gmo
	[ -f "$gmo" ] || fatal "$gmo not built"
	locale -a 2>/dev/null | grep -qx "${lang}_$(tr a-z A-Z <<<"$lang").utf8" ||
		skip "locale ${lang}_${lang^^}.UTF-8 not generated (localedef -i ${lang}_${lang^^} -f UTF-8 ${lang}_${lang^^}.UTF-8)"
	mkdir -p "$NS_TMP/share/locale/$lang/LC_MESSAGES" && cp "$gmo" "$NS_TMP/share/locale/$lang/LC_MESSAGES/porttop.mo" ||
		fatal "cannot copy $gmo"
done
# what the share directory holds stays visible, with our locale dir over it
cp -a "$share"/. "$NS_TMP/share/" 2>/dev/null
mount --bind "$NS_TMP/share" "$share" || skip "cannot bind-mount over $share"

nl_named_server srv
nl_named_client v1 3
nl_named_client v2 4

# help_whole LANG: at 80 columns every line of the help screen is a whole line of the
# catalogue, none cut (curses counts bytes, a translation has more bytes than columns);
# the sort keys' line is built from the column table: it must end with the last
# column's header; the key bar is checked above.
help_whole() {
	local lang=$1 line cut='' lines
	lines=$(msgunfmt --no-wrap "$top_srcdir/po/$lang.gmo" |
		sed -n 's/^msgstr\(\[[0-9]\]\)\{0,1\} "\(.*\)"$/\2/p' | sed 's/\\"/"/g; s/\\\\/\\/g')
	while IFS= read -r line; do
		line=${line%"${line##*[! ]}"}
		[ -z "$line" ] || [[ $line == "  P S E T "* ]] && continue
		grep -qxF -- "$line" <<<"$lines" || cut+="[$line] "
	done < <(head -n -1 <<<"$TUI_SCREEN")
	assert_eq "$lang: every line of the help screen whole at 80 columns" "$cut" ""
	line=$(grep -m1 '^  P S E T ' <<<"$TUI_SCREEN")
	assert_eq "$lang: the sort keys' line whole at 80 columns, HANDLES last" "${line##*, }" HANDLES
}

# in_lang LANG VICTIM BAR TITLE SIGNAL_PROMPT QUESTION_RE YES SENT_RE USAGE
in_lang() {
	local lang=$1 victim=$2 bar=$3 title=$4 sigq=$5 question=$6 yes=$7 sent=$8 usage=$9 pid
	local LL=${lang}_${lang^^}.UTF-8
	pid=${NL_PID[$victim]}
	TUI_ENV=(LANG="$LL" LANGUAGE="$lang")
	tui_start 80 24 -d 0.3 -p "$pid"
	tui_until "$lang: the row of $victim" col_is COMMAND "$victim"
	assert_eq "$lang: the key bar at 80 columns" "$(tui_status)" "$bar"
	tui_keys h
	tui_wait "$lang: the help screen" "^$title\$"
	help_whole "$lang"
	tui_keys x
	tui_wait "$lang: back from help" "^${bar:0:12}"
	tui_keys k
	tui_wait "$lang: the signal prompt" "^$sigq ?\$"
	tui_keys Enter
	tui_wait "$lang: the question" "$question"
	assert_true "$lang: $victim alive while asked" alive "$pid"
	tui_keys "$yes"
	tui_wait "$lang: $yes means yes" "$sent"
	wait "$pid" 2>/dev/null
	assert_eq "$lang: $victim ended by SIGTERM" "$?" $((128 + 15))
	tui_keys q
	assert_eq "$lang: --help" "$(env LANG="$LL" LANGUAGE="$lang" "$PORTTOP" --help | head -n 1)" "$usage"
}

in_lang fr v1 'h Aide  / Chercher  \ Filtrer  < > Trier  Enter Détails  k Tuer  q Quitter' \
	'porttop - qui tient les ports éphémères' 'Signal à envoyer \[TERM\] :' \
	"^Tuer ${NL_PID[v1]} \(v1\) avec TERM \? \[o/N\] ?\$" o "^TERM envoyé à ${NL_PID[v1]} \(v1\)\$" \
	'Usage : porttop [OPTION]...'
in_lang de v2 'h Hilfe  / Suchen  \ Filter  < > Sortieren  Enter Details  k Beenden  q Ende' \
	'porttop - wer die ephemeren Ports belegt' 'Zu sendendes Signal \[TERM\]:' \
	"^${NL_PID[v2]} \(v2\) mit TERM beenden\? \[j/N\] ?\$" j "^TERM an ${NL_PID[v2]} \(v2\) gesendet\$" \
	'Aufruf: porttop [OPTION]...'

# counters_aligned LANG TITLE TOTAL PER_SECOND: the kernel counters panel (K) at 100
# columns, where the rates show: its title line starts with TITLE, ends TOTAL in the
# column where the totals end and PER_SECOND where the rates end.  A title padded in
# bytes is a column short for each accented letter ("Kernel-Zähler"), and a header
# wider than its column overhangs the figures ("par seconde").  Bash counts
# characters here (LC_ALL=C.UTF-8), one column each on this screen.
counters_aligned() {
	local lang=$1 title=$2 total=$3 rate=$4 head row heads=none figures=none
	TUI_ENV=()
	[ "$lang" = en ] || TUI_ENV=(LANG="${lang}_${lang^^}.UTF-8" LANGUAGE="$lang")
	tui_start 100 30 -d 0.3
	tui_keys K
	tui_wait "$lang: the counters panel with its rates" '^TWRecycled +[0-9]+ +[0-9]+[.,][0-9]/s '
	head=$(grep -m1 -F -- "$title" <<<"$TUI_SCREEN")
	row=$(grep -m1 '^TWRecycled ' <<<"$TUI_SCREEN")
	assert_eq "$lang: the counters title first on its line" "${head:0:${#title}}" "$title"
	[[ $head =~ ^(.*" $total")(" "+"$rate") ]] &&
		heads="${#BASH_REMATCH[1]} $((${#BASH_REMATCH[1]} + ${#BASH_REMATCH[2]}))"
	[[ $row =~ ^(TWRecycled" "+[0-9]+)(" "+[0-9]+[.,][0-9]/s) ]] &&
		figures="${#BASH_REMATCH[1]} $((${#BASH_REMATCH[1]} + ${#BASH_REMATCH[2]}))"
	assert_eq "$lang: the counters title's $total and $rate end over the totals and rates" \
		"$heads" "$figures"
	tui_keys q
}
counters_aligned en 'Kernel counters (K)' total 'per second'
counters_aligned fr 'Compteurs du noyau (K)' total 'par seconde'
counters_aligned de 'Kernel-Zähler (K)' gesamt 'pro Sekunde'

# counters_read TITLE RATE: the counters panel of the last capture, from its title line
# to the process table, read item by item into CT_ITEMS (NAME=TOTAL[ RATE], or
# NAME=FILL); CT_RATES is 1 when the title line ends with RATE, the rates' header.
# What does not read as a whole item (a cut name, total, rate or fill) goes to CT_BAD.
CT_COUNTER="^(TWRecycled|TCPTimeWaitOverflow|TCPAbortOnData|ListenOverflows|ListenDrops|ActiveOpens|PassiveOpens|AttemptFails|EstabResets|insert_failed|drop|early_drop|clash_resolve) +([0-9]+[kMGTPE]?)( +[0-9]+([.,][0-9])?[kMGTPE]?/s)?( +|$)"
CT_FILL="^(timewait(/max_tw_buckets)?|nf_conntrack(_count/max)?) +([0-9]+[kMGTPE]?/[0-9]+[kMGTPE]? \([0-9]+ %\))( +|$)"
counters_read() {
	local title=$1 rate=$2 line rest item in=0
	CT_ITEMS=() CT_BAD='' CT_RATES=0
	while IFS= read -r line; do
		if ((!in)); then
			[ "${line:0:${#title}}" = "$title" ] || continue
			in=1
			[[ $line =~ " $rate"\ *$ ]] && CT_RATES=1
			continue
		fi
		[[ $line =~ ^\ *.?PID\  ]] && break
		rest=$line
		while [ -n "$rest" ]; do
			if [[ $rest =~ $CT_COUNTER ]]; then
				item=${BASH_REMATCH[3]}
				CT_ITEMS+=("${BASH_REMATCH[1]}=${BASH_REMATCH[2]}${item:+ ${item##* }}")
			elif [[ $rest =~ $CT_FILL ]]; then
				item=${BASH_REMATCH[1]%%/*}
				CT_ITEMS+=("${item%_count}=${BASH_REMATCH[4]}")
			else
				CT_BAD+="[$rest]"
				break
			fi
			rest=${rest:${#BASH_REMATCH[0]}}
		done
	done <<<"$TUI_SCREEN"
	((in))
}
# counters_drawn TITLE RATE: the panel is there, with its rates when it has their header
counters_drawn() {
	counters_read "$1" "$2" && { ((!CT_RATES)) || [[ ${CT_ITEMS[*]} == */s* ]]; }
}

# counters_whole LANG TITLE RATE COLS ROWS RATES: at COLSxROWS the counters panel shows
# every item whole: the name, the total and, under the rates' header, the rate with
# "/s" (none without the header), the timewait fill as count/max (percent %), its max
# the sysctl's 2147483647, conntrack's too where it is loaded.  RATES says whether the
# rates fit: at 80 columns the French title, wider than the names, leaves two columns
# no room for them, and the panel keeps its two columns (one would not fit 24 lines).
counters_whole() {
	local lang=$1 title=$2 rate=$3 cols=$4 rows=$5 rates=$6 item tcp=() odd='' tw=none ct=none
	local at="$lang ${cols}x$rows"
	TUI_ENV=()
	[ "$lang" = en ] || TUI_ENV=(LANG="${lang}_${lang^^}.UTF-8" LANGUAGE="$lang")
	tui_start "$cols" "$rows" -d 0.3
	tui_keys K
	# no rate at all under the header may be a cut: the checks below say which
	ns_poll "$TUI_WAIT" tui_check counters_drawn "$title" "$rate" ||
		TUI_WHAT="$at: the counters panel, with rates under its header" tui_dump
	assert_eq "$at: the rates and their header" "$( ((CT_RATES)) && echo shown || echo dropped)" "$rates"
	assert_eq "$at: every item of the panel whole" "$CT_BAD" ""
	for item in "${CT_ITEMS[@]}"; do
		case $item in
		timewait=*) tw=${item#*=} ;;
		nf_conntrack=*) ct=${item#*=} ;;
		insert_failed=*) [ "$ct" = none ] && ct=missing ;;
		*' '*/s) ((CT_RATES)) || odd+="[$item]" ;;
		*) ((CT_RATES)) && odd+="[$item]" ;;
		esac
		[[ $item =~ ^(TWRecycled|TCPTimeWaitOverflow|TCPAbortOnData|Listen.*|.*Opens|AttemptFails|EstabResets)= ]] &&
			tcp+=("${item%%=*}")
	done
	assert_eq "$at: a rate for each counter exactly where the header is" "$odd" ""
	assert_eq "$at: the TCP counters, each once" "${#tcp[@]} $(printf '%s\n' "${tcp[@]}" | sort -u | grep -c .)" "9 9"
	assert_match "$at: the TIME_WAIT fill whole, against tcp_max_tw_buckets" "$tw" '^[0-9]+/2147483647 \([0-9]+ %\)$'
	# conntrack's counters come with its fill line, after them
	[ "$ct" = none ] ||
		assert_match "$at: the conntrack fill whole" "$ct" '^[0-9]+/[0-9]+ \([0-9]+ %\)$'
	tui_keys q
}
ns_sysctl tcp_max_tw_buckets 2147483647
for size in '80 24' '91 30' '40 30'; do
	read -r cols rows <<<"$size"
	counters_whole en 'Kernel counters (K)' 'per second' "$cols" "$rows" shown
	counters_whole fr 'Compteurs du noyau (K)' 'par seconde' "$cols" "$rows" "$([ "$cols" = 80 ] && echo dropped || echo shown)"
	counters_whole de 'Kernel-Zähler (K)' 'pro Sekunde' "$cols" "$rows" shown
done

# the replay's fifth sample has two alerts: the worst, then "(+1 autre)", singular
TUI_ENV=(LANG=fr_FR.UTF-8 LANGUAGE=fr TZ=UTC)
tui_start 80 24 -r "$top_srcdir/tests/data/exhaustion.rec" -d 100
tui_wait "fr: the replay" "échantillon 1/6 "
tui_keys Space b
tui_wait "fr: b asks for a time" '^Aller '
tui_type "$(jq -r '.time | .[11:19]' "$top_srcdir/tests/data/exhaustion.json" | sed -n 5p)"
tui_keys Enter
tui_wait "fr: one alert more, in the singular" '^ALERTE TCP 85 % depuis 0 s, plein dans ~2 s  \(\+1 autre\)$'
# details_whole LANG SUMMARY_RE: at 80 columns the summary under webapp's destination
# ends with a whole phrase: "(85" without its "%)", "voll in ~2" without its "s", never
details_whole() {
	tui_keys Enter
	tui_wait "$1: webapp's details" '^Sockets (du|von) PID [0-9]+ webapp'
	tui_wait "$1: the summary at 80 columns, each phrase whole" "$2"
	assert_eq "$1: no summary line ends in a figure cut from its unit" \
		"$(grep -cE '^    [0-9]+ [Pp]orts, .*[0-9]$' <<<"$TUI_SCREEN")" 0
	tui_keys Escape
}
details_whole fr '^    65 ports, le plus ancien [0-9]+ s ou plus, nouveaux 5,8/s$'
tui_keys q
TUI_ENV=(LANG=de_DE.UTF-8 LANGUAGE=de TZ=UTC)
tui_start 80 24 -r "$top_srcdir/tests/data/exhaustion.rec" -d 100
tui_wait "de: the replay" "Messpunkt 1/6 "
tui_keys Space b
tui_wait "de: b asks for a time" '^Springen '
tui_type "$(jq -r '.time | .[11:19]' "$top_srcdir/tests/data/exhaustion.json" | sed -n 5p)"
tui_keys Enter
tui_wait "de: the alert line whole" '^WARNUNG TCP 85 % seit 0 s, voll in ~2 s  \(\+1 weitere\)$'
details_whole de '^    65 Ports, ältester [0-9]+ s oder mehr, neu 5,8/s; Ziel 85/100 \(85 %\)$'
# at 40 columns the alert line leaves out "(+1 weitere)" whole
tui_resize 40 24
tui_wait "de 40x24: the alert line, its phrases whole" '^WARNUNG TCP 85 % seit 0 s, voll in ~2 s$'
tui_keys q

# numbers_in LANG DELAY-ARG EVERY PROMPT REFUSAL_RE: -d DELAY-ARG (0.3 or 0,3) shows as
# "EVERY 0,3s", the prompt offers 0,3, "0.5" and "1,5" are taken, "abc" refused.
numbers_in() {
	local lang=$1 arg=$2 every=$3 prompt=$4 refusal=$5
	TUI_ENV=(LANG="${lang}_${lang^^}.UTF-8" LANGUAGE="$lang")
	tui_start 80 24 -d "$arg"
	tui_wait "$lang: -d $arg in the header" " - $every 0,3s - "
	tui_keys d
	tui_wait "$lang: the delay prompt offers 0,3" "^$prompt 0,3\$"
	tui_keys C-u
	tui_type 0.5
	tui_keys Enter
	tui_wait "$lang: 0.5 typed, 0,5 shown" " - $every 0,5s - "
	tui_keys d C-u
	tui_type 1,5
	tui_keys Enter
	tui_wait "$lang: 1,5 typed" " - $every 1,5s - "
	tui_keys d C-u
	tui_type abc
	tui_keys Enter
	tui_wait "$lang: abc refused, the limits with a comma" "$refusal"
	assert_true "$lang: the delay is still 1,5 s" grep -q " - $every 1,5s - " <<<"$TUI_SCREEN"
	tui_keys q
}
numbers_in fr 0.3 'toutes les' 'Délai en secondes :' '^délai invalide : « abc » \(secondes, de 0,1 à 86400\)$'
numbers_in de 0,3 alle 'Verzögerung in Sekunden:' '^keine gültige Verzögerung: „abc“ \(Sekunden, 0,1 bis 86400\)$'
tui_done
