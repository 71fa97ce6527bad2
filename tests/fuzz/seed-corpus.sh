#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Captures the seed corpus of the fuzz targets from real inputs on this machine, in a
# private network namespace with real sockets (root; run from the build tree's
# environment: NETLOAD=path/to/tests/helpers/netload).  Run it again after a format
# change; the files it writes are committed under tests/fuzz/corpus/.
#   NETLOAD=$PWD/build/tests/helpers/netload PORTTOP=$PWD/build/porttop tests/fuzz/seed-corpus.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
: "${NETLOAD:?set NETLOAD to the netload helper}"
: "${PORTTOP:?set PORTTOP to the porttop binary}"
if [ "${SEED_INSIDE:-}" != 1 ]; then
	SEED_INSIDE=1 exec unshare -n -- "$BASH" "$0"
fi
ip link set lo up
for t in sockdiag procnet sysctl range signal procstat access sanitize porttoprc recording counters; do
	# crash-* files are inputs that once crashed a target: they stay
	mkdir -p "$corpus/$t" && find "$corpus/$t" -type f ! -name 'crash-*' -delete
done
sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
sysctl -qw net.ipv4.ip_local_reserved_ports="40010,40100-40120,40500"

# every state porttop sees: listeners, ESTABLISHED, TIME_WAIT, CLOSE_WAIT, bound-only, UDP
coproc NL { exec -a 'seed\x1b[31m name' "$NETLOAD" --deadline 30; }
cmd() { echo "$*" >&"${NL[1]}"; read -r _ <&"${NL[0]}"; }
cmd listen 127.0.0.1 8080
cmd listen ::1 8081
cmd listen 127.0.0.1 8082 closewait
cmd connect 127.0.0.1 8080 6
cmd connect ::1 8081 4
cmd connect 127.0.0.1 8082 3
cmd close 3
cmd bind 127.0.0.1 2
cmd udp ::1 2
cmd udp 127.0.0.1 2
cmd name 'seed\e]0;x\a\xe2\x80\xae'
sleep 0.2

python3 "$here/dump-sockdiag.py" "$corpus/sockdiag" dump
tag=0
for f in tcp udp tcp6 udp6; do
	# the tag byte: bit 0 UDP, bit 1 IPv6, as fuzz_procnet reads it
	case $f in tcp) tag=0 ;; udp) tag=1 ;; tcp6) tag=2 ;; udp6) tag=3 ;; esac
	{ printf "\\$(printf %03o $tag)"; cat "/proc/net/$f"; } >"$corpus/procnet/$f"
done
for f in ip_local_port_range ip_local_reserved_ports ip_unprivileged_port_start tcp_tw_reuse; do
	cat "/proc/sys/net/ipv4/$f" >"$corpus/sysctl/$f"
done
printf '1-65535\n' >"$corpus/sysctl/reserved-all"
seq -s, 1024 4 6000 >"$corpus/sysctl/reserved-long"
printf '40000 60999' >"$corpus/range/space"
printf '40000-60999' >"$corpus/range/dash"
printf '40000\t60999\n' >"$corpus/range/tab"
for s in TERM sigkill Hup 9 INT STOP CONT; do printf '%s' "$s" >"$corpus/signal/$s"; done
pid=$NL_PID
cat "/proc/$pid/stat" >"$corpus/procstat/netload"
cat /proc/self/stat >"$corpus/procstat/self"
cat "/proc/$pid/comm" >"$corpus/sanitize/comm"
cat "/proc/$pid/cmdline" >"$corpus/sanitize/cmdline"
# access: the effective uid (4 bytes, little endian), status, NUL, uid_map
{ printf '\0\0\0\0'; cat /proc/self/status; printf '\0'; cat /proc/self/uid_map; } >"$corpus/access/root"
{ printf '\350\003\0\0'; cat "/proc/$pid/status"; printf '\0'; cat "/proc/$pid/uid_map"; } >"$corpus/access/user"
# the kernel's counters of this namespace (first byte: bit 0 the conntrack parser);
# conntrack's statistics only where it is loaded
for f in netstat snmp; do { printf '\0'; cat "/proc/net/$f"; } >"$corpus/counters/$f"; done
if [ -r /proc/net/stat/nf_conntrack ]; then
	{ printf '\1'; cat /proc/net/stat/nf_conntrack; } >"$corpus/counters/nf_conntrack"
fi
# porttoprc as the W key writes it (first byte: bit 0 starts in secure mode)
printf '\0# porttop settings, written by the W key\ndelay = 2\nsort = tw\ninvert = 0\ncmdline = 1\nsecure = 0\ncolor = 1\nuser = www-data\nfilter = nginx\n' \
	>"$corpus/porttoprc/saved"
printf '\1delay=0.5\nbpf = auto\nbogus line\nsecure = no\n' >"$corpus/porttoprc/secure"
# a recording of three samples (a key and two deltas) of these sockets, with the
# sockets changing between them; first byte 0: fuzz_recording reads it as a file
"$PORTTOP" -b -n 3 -d 0.2 --bpf=off -w "$corpus/recording/rec" >/dev/null &
rec=$!
cmd close 2
cmd connect 127.0.0.1 8080 2
wait "$rec"
{ printf '\0'; cat "$corpus/recording/rec"; } >"$corpus/recording/file" && rm "$corpus/recording/rec"
echo quit >&"${NL[1]}"
wait "$pid" 2>/dev/null || true
