/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model: every figure porttop shows, computed from one sample (plus the history
 * of earlier ones) by pure functions.  The live view and every batch renderer read
 * this and nothing else, so the screen and the JSON can never disagree.
 */
#ifndef PORTTOP_MODEL_H
#define PORTTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/sample.h"

/* porttop's TCP states: the kernel's, with CLOSE split into CLOSE and BOUND. */
enum tcp_state {
	STATE_ESTABLISHED,
	STATE_SYN_SENT,
	STATE_SYN_RECV,
	STATE_FIN_WAIT1,
	STATE_FIN_WAIT2,
	STATE_TIME_WAIT,
	STATE_CLOSE,
	STATE_CLOSE_WAIT,
	STATE_LAST_ACK,
	STATE_LISTEN,
	STATE_CLOSING,
	STATE_BOUND,
	STATE_COUNT,
};

/* What holds a port, for the occupancy bar: one category per port. */
enum port_holder {
	HOLDER_ESTABLISHED,
	HOLDER_TIME_WAIT,
	HOLDER_CLOSE_WAIT,
	HOLDER_OTHER,
	HOLDER_COUNT,
};

struct range_stats {
	int low, high;
	unsigned size;      /* high - low + 1 */
	unsigned reserved;  /* reserved ports inside the range */
	unsigned usable;    /* size - reserved */
};

/* One port pool (TCP or UDP): distinct usable ports held by any socket. */
struct pool_stats {
	unsigned in_use;
	double percent;                  /* 0-100 of usable */
	unsigned by_holder[HOLDER_COUNT];/* in_use split by what holds each port */
};

/* A plain connect() runs out per (local address, remote address, remote port). */
struct destination {
	uint8_t local[16];
	uint8_t remote[16];
	uint16_t remote_port;
	unsigned in_use;                 /* sockets with a local port in the usable range */
	unsigned capacity;               /* usable minus ports held by listeners and bound-only sockets */
	double percent;                  /* in_use / capacity */
	unsigned reusable;               /* TIME_WAIT ports connect() may take again (tcp_tw_reuse) */
	double blocked_percent;          /* (in_use - reusable) / capacity: 100 = connect() fails */
	uint64_t connect_failures;       /* eBPF: failed connect()s to remote:remote_port, any process */
	double fail_per_sec;             /* of those per second, -1 unknown */
	unsigned by_state[STATE_COUNT];  /* which states hold its ports */
};

/* How worrying a figure is: the colour of a counter, the level of an alert. */
enum level {
	LEVEL_OK,
	LEVEL_WARNING,
	LEVEL_CRITICAL,
	LEVEL_COUNT,
};

/* One of the kernel's counters (core/counters.h) as porttop shows it. */
struct counter_figure {
	bool known;            /* the kernel has it (conntrack loaded, file readable) */
	uint64_t total;        /* since the namespace was created (or conntrack loaded) */
	double per_sec;        /* since the previous sample; -1 unknown */
	enum level level;      /* see counterrates.c for what each one's trouble is */
};

struct counter_figures {
	struct counter_figure counter[KCOUNTER_COUNT];
	long long tw_max_buckets;   /* net.ipv4.tcp_max_tw_buckets, -1 unknown */
	unsigned time_wait;         /* against it: the TIME_WAIT sockets now */
	double tw_percent;          /* time_wait / tw_max_buckets, -1 unknown */
	enum level tw_level;
	bool conntrack;             /* conntrack is loaded in the namespace */
	long long conntrack_count, conntrack_max;
	double conntrack_percent;   /* -1 unknown */
	enum level conntrack_level;
};

/* A process that seems to leak sockets (leaks.c). */
enum leak_kind {
	LEAK_NONE,
	LEAK_CLOSE_WAIT,   /* CLOSE_WAIT grows across the window, or one is older than leak_age */
	LEAK_ESTABLISHED,  /* ESTABLISHED only grew across a window of at least 30 s */
};

struct leak {
	enum leak_kind kind;
	double growth_per_min;  /* of that state's count across the window; 0 with one sample */
	double oldest_seconds;  /* age of its oldest socket in that state */
};

/* What the caller sets before model_build (model_init gives the defaults). */
struct model_options {
	double leak_age;        /* seconds: a CLOSE_WAIT this old flags its process (60) */
	double warning;         /* percent of a pool: WARNING alert (80) */
	double critical;        /* CRITICAL alert (95) */
	double alert_after;     /* seconds a higher level must hold before it is raised (0) */
};

/* A pool an alert watches: the TCP or UDP pool, or one destination. */
enum alert_pool { ALERT_POOL_TCP, ALERT_POOL_UDP, ALERT_POOL_DESTINATION };

/* The level of a pool with hysteresis and a minimum duration (alerts.c). */
struct alert_state {
	enum level level;
	double since;                    /* monotonic seconds: when it reached that level */
	double above_since[LEVEL_COUNT]; /* since when continuously at or above each threshold, -1 not */
};

struct alert {
	enum alert_pool pool;
	uint8_t local[16], remote[16];   /* a destination's */
	uint16_t port;
	char name[64];                   /* "TCP", "UDP", or the destination "127.0.0.1:6379" */
	double percent;                  /* now: the pool's percent, a destination's blocked_percent */
	struct alert_state state;
	double seconds;                  /* at this level for so long */
	struct timespec since_wall;      /* state.since on the wall clock */
};

/* A level change of this build: what --alert-command is run for. */
struct alert_change {
	struct alert alert;
	enum level previous;
};

struct proc_row {
	pid_t pid;
	uid_t uid;
	unsigned long long start_time;
	char user[33];
	char comm[64];
	const char *cmdline;   /* borrowed from the sample (or history); "" if unknown */
	unsigned sockets;      /* open sockets (its fds) */
	unsigned tcp;
	unsigned udp;
	unsigned ephemeral;    /* ports in the usable range: its open sockets + its orphans */
	unsigned established;
	unsigned time_wait;    /* TIME_WAIT sockets charged to it (attribution.c) */
	unsigned orphans;      /* closed sockets still holding a port charged to it, TIME_WAIT included */
	unsigned close_wait;
	unsigned handles;      /* open fds */
	double time_wait_percent;  /* time_wait / (tcp + orphans), 0-100 */
	double new_per_sec;    /* sockets not seen in the previous sample, per second; -1 first time */
	unsigned connect_failures; /* failed connect()/bind(0) since the probes were attached */
	double fail_per_sec;   /* of those, per second since the previous sample; -1 unknown */
	bool exited;           /* only orphans left: the process is gone */
	struct leak leak;      /* kind LEAK_NONE unless it seems to leak sockets */
};

struct model {
	struct model_options options;     /* kept across builds */
	struct timespec wall;
	enum sample_source source;
	int netlink_error;         /* see struct sample */
	uint64_t netns_inode;
	int tw_reuse;
	struct range_stats range;
	struct pool_stats tcp;
	struct pool_stats udp;

	struct destination *destinations; /* fullest first */
	size_t n_destinations, cap_destinations;
	struct model_work *work;          /* the stages' buffers, kept (model-internal.h) */

	unsigned states[STATE_COUNT];
	unsigned total_tcp;

	struct proc_row *rows;            /* in pid order; sort with procrows_sort */
	size_t n_rows, cap_rows;

	unsigned time_wait_total;
	unsigned time_wait_unattributed;  /* unattributed[STATE_TIME_WAIT] */
	unsigned unattributed[STATE_COUNT]; /* orphans whose owner is not known, by state */
	unsigned procs_unreadable;        /* fd tables porttop could not read */
	enum owner_access owner_access;   /* what in porttop's credentials explains that */
	unsigned sockets_unowned;         /* sockets with an inode but no owner found */
	bool owners_scanned;
	double interval;                  /* seconds since the previous sample, 0 first time */

	/* eBPF: connect() and bind(port 0) failing for want of a port (failures.c) */
	const struct probe_facts *probes; /* borrowed from the sample */
	bool bpf;                         /* the probes run (else probes->status says why) */
	uint64_t failures_total;          /* since the probes were attached */
	double failures_per_sec;          /* -1 when unknown (first sample, no eBPF) */
	double *failure_rates;            /* per probes->failures[i], per second; -1 unknown */
	size_t cap_failure_rates;
	size_t top_failure;               /* the process failing fastest (SIZE_MAX: none now) */
	size_t top_failure_dest;          /* and its destination failing fastest, in probes->dests */

	struct counter_figures counters;  /* the kernel's own counters (counterrates.c) */
	unsigned leaking;                 /* rows with a leak (leaks.c) */

	/* alerts.c: the pools above OK, worst first, and the level changes of this build */
	struct alert *alerts;
	size_t n_alerts, cap_alerts;
	struct alert_change *changes;
	size_t n_changes, cap_changes;
};

struct history;

/* Defaults: leak age 60 s, alerts at 80 % and 95 %, raised at once. */
void model_init(struct model *m);
void model_free(struct model *m);

/*
 * Computes every figure of m from s.  h may be NULL (no attribution of TIME_WAIT, no
 * rates); it is only read here: call history_advance afterwards.  0 or -ENOMEM.
 */
int model_build(struct model *m, const struct sample *s, const struct history *h);

/* states.c */
const char *states_name(enum tcp_state st);       /* "ESTABLISHED", ... "BOUND" */
/* The non-zero counts as "ESTABLISHED 60, TIME_WAIT 30" ("" if none); truncated to len. */
const char *states_list(const unsigned counts[STATE_COUNT], char *buf, size_t len);

/* counterrates.c */
const char *level_name(enum level l);   /* "OK", "WARNING", "CRITICAL" */

/* alerts.c: the state machine, pure.  A fresh state is OK with nothing above. */
void alerts_state_init(struct alert_state *a);
/*
 * One refresh of a pool at percent: the level rises to the highest threshold held
 * for options->alert_after seconds, and falls only 5 points below a threshold.
 * Returns true when the level changed.
 */
bool alerts_step(struct alert_state *a, double percent, double now, const struct model_options *o);

/* attribution.c: who an orphan is charged to. */
/* Can a socket in st be an orphan (TIME_WAIT, FIN_WAIT1, FIN_WAIT2, CLOSING, LAST_ACK)? */
bool attribution_orphan_state(enum tcp_state st);
/* The orphans other than TIME_WAIT no owner is known for, "FIN_WAIT2 200, LAST_ACK 3"
 * ("" if none): TIME_WAIT has a line of its own everywhere.  Truncated to len. */
const char *attribution_unattributed_list(const struct model *m, char *buf, size_t len);

/* history.c: cookie -> owner across samples; bounded by the sockets of the last sample. */
struct history *history_new(void);
void history_free(struct history *h);
/* Learns the owners of the live sockets in s and forgets what s no longer holds. 0 or -ENOMEM. */
int history_advance(struct history *h, const struct sample *s);

#endif
