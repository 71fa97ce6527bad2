/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own counters that tell how the port pools fare, as plain data: the
 * TcpExt and Tcp lines of /proc/net/netstat and /proc/net/snmp, the TIME_WAIT cap,
 * and conntrack's table and per-CPU statistics.  src/sample/kcounters.c reads the
 * files; the parsers here are pure so that tests feed them the real text.
 */
#ifndef PORTTOP_COUNTERS_H
#define PORTTOP_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The counters porttop shows, in the order it shows them. */
enum kcounter {
	KCOUNTER_TW_RECYCLED,          /* TcpExt: connect() took a TIME_WAIT port again */
	KCOUNTER_TIME_WAIT_OVERFLOW,   /* TcpExt: tcp_max_tw_buckets full, TIME_WAIT dropped */
	KCOUNTER_ABORT_ON_DATA,        /* TcpExt: closed with unread data: RST sent */
	KCOUNTER_LISTEN_OVERFLOWS,     /* TcpExt: accept queue full */
	KCOUNTER_LISTEN_DROPS,         /* TcpExt: SYNs a listener dropped, overflows included */
	KCOUNTER_ACTIVE_OPENS,         /* Tcp: connect()s that sent a SYN */
	KCOUNTER_PASSIVE_OPENS,        /* Tcp: connections accepted */
	KCOUNTER_ATTEMPT_FAILS,        /* Tcp: connects that failed after the SYN */
	KCOUNTER_ESTAB_RESETS,         /* Tcp: ESTABLISHED or CLOSE_WAIT reset */
	KCOUNTER_CT_INSERT_FAILED,     /* conntrack, summed over CPUs: clash not resolved */
	KCOUNTER_CT_DROP,              /* conntrack: packets dropped (insert failed) */
	KCOUNTER_CT_EARLY_DROP,        /* conntrack: entries evicted because the table was full */
	KCOUNTER_CT_CLASH_RESOLVE,     /* conntrack: clashes resolved (harmless) */
	KCOUNTER_COUNT,
};

struct kcounter_def {
	const char *name;    /* the kernel's own name, also the JSON key */
	const char *table;   /* "TcpExt", "Tcp", or "nf_conntrack" */
	const char *field;   /* the column name in the file */
};

extern const struct kcounter_def kcounter_defs[KCOUNTER_COUNT];

/*
 * conntrack's per-CPU statistics are 32-bit (unsigned int in struct ip_conntrack_stat,
 * printed %08x by ct_cpu_seq_show), so each CPU's figure wraps at 2^32 and their sum
 * goes back.  The sum still equals the true total modulo 2^32, so a wrap keeps its
 * rate; what tells it from conntrack reloaded (every CPU back to 0) is whether a CPU
 * was in the upper half of its range, the only place a wrap can come from when no CPU
 * counts 2^31 events between two samples (model/counterrates.c).
 */
#define COUNTERS_CPU_WRAP (UINT64_C(1) << 32)

static inline bool counters_per_cpu(enum kcounter k)
{
	return k >= KCOUNTER_CT_INSERT_FAILED && k <= KCOUNTER_CT_CLASH_RESOLVE;
}

struct kernel_counters {
	uint64_t value[KCOUNTER_COUNT];
	uint32_t upper_cpus[KCOUNTER_COUNT]; /* per-CPU ones: CPUs at 2^31 or above */
	uint32_t known;                 /* bit (1 << enum kcounter): read this time */
	long long tw_max_buckets;       /* net.ipv4.tcp_max_tw_buckets, -1 unknown */
	long long conntrack_count;      /* net.netfilter.nf_conntrack_count, -1: no conntrack */
	long long conntrack_max;        /* net.netfilter.nf_conntrack_max, -1 unknown */
};

/* Everything unknown. */
void counters_init(struct kernel_counters *c);

static inline bool counters_known(const struct kernel_counters *c, enum kcounter k)
{
	return (c->known >> k) & 1;
}

/*
 * /proc/net/netstat or /proc/net/snmp: pairs of lines "Table: Name Name ..." and
 * "Table: 1 2 ...".  Sets the counters of the tables it holds; a line pair that does
 * not match (a truncated read) is skipped.  0, or -EINVAL when no pair was whole.
 */
int counters_parse_snmp(const char *text, struct kernel_counters *c);

/*
 * /proc/net/stat/nf_conntrack: a header line of names, then one line of hex numbers
 * per CPU (ct_cpu_seq_show in nf_conntrack_standalone.c); the per-CPU figures are
 * summed, and those in the upper half of their 32 bits counted.  0 or -EINVAL.
 */
int counters_parse_conntrack(const char *text, struct kernel_counters *c);

#endif
