/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the eBPF probes know, as plain data: who took the port of each socket that
 * has no live owner (births), and whose connect() or bind() failed for want of a
 * port (failures).  src/bpf/probes.c fills this into the sample; the model reads it
 * and never sees a BPF type, and a test can build it by hand.
 */
#ifndef PORTTOP_PROBE_FACTS_H
#define PORTTOP_PROBE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Whether the probes run, and if not, why (worded in main.c and the outputs). */
enum probe_status {
	PROBE_ON,
	PROBE_OFF_REQUESTED,   /* --bpf=off */
	PROBE_OFF_NOT_BUILT,   /* ./configure --disable-bpf */
	PROBE_OFF_NOT_ROOT,
	PROBE_OFF_NO_BTF,      /* no /sys/kernel/btf/vmlinux */
	PROBE_OFF_LOAD_FAILED, /* the kernel refused to load or attach them (see error) */
};

/*
 * A process as the probes recorded it while it ran: who took a port, whose connect()
 * failed, who connected.  Pid and start time together tell a reused pid apart (the
 * model matches its rows by both).
 */
struct probe_process {
	pid_t pid;
	uid_t uid;
	unsigned long long start_time; /* clock ticks after boot, as /proc/PID/stat */
	char user[33];
	char comm[64];                 /* sanitized */
};

/* The same process: the same pid started at the same time. */
bool probe_process_same(const struct probe_process *a, const struct probe_process *b);

/* The process that took a socket's local port, recorded when it connected. */
struct probe_birth {
	uint32_t sock;                 /* index into sample.socks */
	struct probe_process who;
	bool running;                  /* the process still ran (same pid and start time) when read */
};

/* A process whose connect() (EADDRNOTAVAIL) or bind() to port 0 (EADDRINUSE) failed. */
struct probe_failure {
	struct probe_process who;
	uint64_t count;                /* since the probes were attached */
	uint64_t previous;             /* count at the previous sample (= count the first time) */
	size_t first_dest, n_dests;    /* its destinations in probe_facts.dests */
};

/* Failures of one process towards one destination (bind(): its local address, port 0). */
struct probe_failure_dest {
	uint8_t remote[16];            /* IPv4 as IPv4-mapped IPv6 */
	uint16_t port;
	uint64_t count;
	uint64_t previous;
};

/* Connections a process made that took a port (counted at their birth), for NEW/s. */
struct probe_connects {
	struct probe_process who;
	uint64_t count;                /* since the probes were attached */
	uint64_t previous;             /* count at the previous sample (= count the first time) */
};

struct probe_facts {
	enum probe_status status;
	int error;                     /* PROBE_OFF_LOAD_FAILED: -errno */
	bool pinned;                   /* read from probes pinned under /sys/fs/bpf/porttop */
	bool have_previous;            /* previous counts come from an earlier sample */

	struct probe_birth *births;    /* in socket order */
	size_t n_births, cap_births;

	struct probe_failure *failures;/* in (pid, start_time) order */
	size_t n_failures, cap_failures;
	struct probe_failure_dest *dests;
	size_t n_dests, cap_dests;

	struct probe_connects *connects;
	size_t n_connects, cap_connects;
};

void probe_facts_init(struct probe_facts *f);
void probe_facts_free(struct probe_facts *f);
/* Forgets births and failures, keeps the status and the buffers. */
void probe_facts_reset(struct probe_facts *f);

/* Appends return 0 or -ENOMEM. */
int probe_facts_add_birth(struct probe_facts *f, const struct probe_birth *b);
int probe_facts_add_failure(struct probe_facts *f, const struct probe_failure *p);
int probe_facts_add_connects(struct probe_facts *f, const struct probe_connects *c);
/* Adds a destination to the last failure added. */
int probe_facts_add_dest(struct probe_facts *f, const struct probe_failure_dest *d);

/* The birth recorded for socks[sock], NULL if none (births are in socket order). */
const struct probe_birth *probe_facts_birth(const struct probe_facts *f, uint32_t sock);

#endif
