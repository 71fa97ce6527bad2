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

/*
 * Where a pool is heading, from the samples of the last minute (forecast.c) and the
 * TIME_WAIT expiry times the kernel reports.
 */
enum forecast_trend {
	FORECAST_UNKNOWN,   /* fewer than two samples of the pool yet */
	FORECAST_STABLE,
	FORECAST_FILLING,   /* seconds_to_full says when */
	FORECAST_DRAINING,  /* fewer ports held in 60 s than now */
	FORECAST_FULL,      /* the call that draws from it fails now */
};

/* What the forecast needs of a pool in each sample (the history's ring keeps it). */
struct pool_figures {
	unsigned held;           /* ports the next call cannot have */
	unsigned time_wait;      /* of those, held by TIME_WAIT only */
	unsigned time_wait_new;  /* of those, in TIME_WAIT for less than the interval */
	unsigned new_sockets;    /* sockets not seen by the previous sample */
};

#define FORECAST_TRACKED 32       /* destinations forecast: the fullest */
#define FORECAST_TRACKED_BIND 16  /* bind pools forecast: the fullest */
#define FORECAST_BUCKETS 12       /* TIME_WAIT expiries in the next 60 s, 5 s each */
#define FORECAST_BUCKET_SECONDS 5

struct forecast {
	enum forecast_trend trend;
	double rate_per_sec;        /* net change of the ports held, per second */
	double seconds_to_full;     /* < 0: not filling (JSON null); 0: full now */
	unsigned freeing_next_60s;  /* held ports whose TIME_WAIT ends within 60 s */
	double new_per_sec;         /* new sockets, per second (-1: unknown) */
	double time_wait_created_per_sec;  /* -1: unknown */
	double time_wait_expired_per_sec;  /* -1: unknown */
};

/* One port pool (TCP or UDP): distinct usable ports held by any socket. */
struct pool_stats {
	unsigned in_use;
	double percent;                  /* 0-100 of usable */
	unsigned by_holder[HOLDER_COUNT];/* in_use split by what holds each port */
	struct pool_figures figures;
	unsigned frees[FORECAST_BUCKETS];/* ports whose last TIME_WAIT ends in each 5 s */
	struct forecast forecast;
};

/*
 * bind(port 0) runs out per local address: it needs a port no socket on that
 * address, nor a wildcard, holds (doc/kernel.md, "Pools per local address").  One
 * pool per local address seen, TCP and UDP apart.
 */
struct bind_pool {
	uint8_t local[16];
	uint8_t protocol;                /* IPPROTO_TCP or IPPROTO_UDP */
	unsigned in_use;                 /* distinct usable ports held on it or on a wildcard */
	unsigned capacity;               /* the usable range */
	double percent;
	struct pool_figures figures;
	unsigned frees[FORECAST_BUCKETS];/* ports whose last TIME_WAIT ends in each 5 s */
	struct forecast forecast;
};

/* The pool that runs out first, and the call that fails in it then. */
enum pool_kind {
	POOL_NONE,         /* no socket holds a port */
	POOL_DESTINATION,  /* connect() EADDRNOTAVAIL */
	POOL_BIND,         /* bind() EADDRINUSE on one address, TCP or UDP */
	POOL_TCP,          /* bind() EADDRINUSE on the wildcard */
	POOL_UDP,          /* UDP EAGAIN on the wildcard */
};

struct first_to_fail {
	enum pool_kind kind;
	size_t index;      /* into destinations or bind_pools */
	double percent;    /* how full it is: blocked_percent for a destination */
	const struct forecast *forecast;  /* NULL for POOL_NONE */
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
	struct pool_figures figures;
	unsigned frees[FORECAST_BUCKETS];/* TIME_WAIT sockets ending in each 5 s */
	bool time_wait_reused;           /* tcp_tw_reuse gives its TIME_WAIT ports back in ~1 s */
	struct forecast forecast;        /* FORECAST_UNKNOWN beyond the fullest FORECAST_TRACKED */
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
	unsigned tw_buckets;        /* against it: the timewait sockets now, TIME_WAIT and
				       the FIN_WAIT2 orphans held as such (counterrates.c) */
	double tw_percent;          /* tw_buckets / tw_max_buckets, -1 unknown */
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
	double warning;         /* percent of a pool: WARNING alert (80, --warning) */
	double critical;        /* CRITICAL alert (95, --critical) */
	double alert_after;     /* seconds a higher level must hold before it is raised (0) */
	/* a pool exactly at warning (critical) has that level already: true for an "@"
	 * range's start, false for a plain range's end, which alerts only above it */
	bool warning_included, critical_included;
	/* an "@" range alerts up to its end (included) only: above warning_end
	 * (critical_end) that level no longer holds, as the check judges it; false (the
	 * zero default): the level holds up to 100 % */
	bool warning_ends, critical_ends;
	double warning_end, critical_end;
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
	struct forecast forecast;        /* the pool's or destination's (forecast.c) */
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
	char container[CGROUP_NAME_MAX]; /* pod or container, "" on the host */
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
	struct bind_pool *bind_pools;     /* fullest first */
	size_t n_bind_pools, cap_bind_pools;
	unsigned connect_blocked;         /* ports listeners and bound-only sockets take from every destination */
	struct first_to_fail first_to_fail;
	struct model_work *work;          /* the stages' buffers, kept (model-internal.h) */

	unsigned states[STATE_COUNT];
	unsigned total_tcp;

	struct proc_row *rows;            /* in pid order; sort with procrows_sort */
	size_t n_rows, cap_rows;

	unsigned time_wait_total;
	struct pool_figures time_wait_figures; /* every TIME_WAIT socket: created and expired */
	struct forecast time_wait_forecast;    /* its time_wait_*_per_sec, system-wide */
	unsigned time_wait_unattributed;  /* unattributed[STATE_TIME_WAIT] */
	unsigned unattributed[STATE_COUNT]; /* orphans whose owner is not known, by state */
	unsigned procs_unreadable;        /* fd tables porttop could not read */
	enum owner_access owner_access;   /* what in porttop's credentials explains that */
	unsigned sockets_unowned;         /* sockets with an inode but no owner found */
	bool owners_scanned;
	unsigned rows_in_containers;      /* rows whose container is known: CONTAINER shows */
	double interval;                  /* seconds since the previous sample, 0 first time */
	double monotonic;                 /* the sample's CLOCK_MONOTONIC seconds */

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

/*
 * The fullest of the TCP pool, the UDP pool and the tightest destination's blocked
 * share, 0-100: what running out first makes connections fail.
 */
double model_fullest_percent(const struct model *m);

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

/*
 * alerts.c: every watched pool's level, as one model's builds carry it on.  The live
 * view and the namespace list read a namespace with one engine at a time, but the
 * engine changes (Enter in the list, a reading that failed): the levels move to the
 * next engine's model, so that it neither raises again nor runs --alert-command
 * again for what the previous one announced (fleet.c).
 */
struct alert_tracks;
/* m's levels, NULL if it has none yet; m starts again from OK. */
struct alert_tracks *model_take_alerts(struct model *m);
/* m goes on from t's levels (its own are freed); out of memory, t is freed and m
 * starts from OK, as a new engine would. */
void model_give_alerts(struct model *m, struct alert_tracks *t);
void alerts_tracks_free(struct alert_tracks *t);

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
/* Remembers m's pool figures in the ring the forecast reads (a bounded window). */
void history_record(struct history *h, const struct model *m);
/* Empties that ring (a replay that jumps rebuilds it from the samples before). */
void history_forget_trend(struct history *h);
/* The ring holds at most this many refreshes, none older than this many seconds. */
#define HISTORY_TREND_SAMPLES 64
#define HISTORY_TREND_SECONDS 60

/* forecast.c: the pool that runs out first, as "destination 127.0.0.1 -> 127.0.0.1:8080",
 * "bind 127.0.0.1", "udp 127.0.0.1", "tcp" or "udp" ("" for POOL_NONE). */
const char *forecast_pool_name(const struct model *m, const struct first_to_fail *f,
			       char *buf, size_t len);
/* The call that fails in it: "connect() EADDRNOTAVAIL", "bind() EADDRINUSE" (TCP or UDP,
 * port 0 on one address), "UDP EAGAIN" (an auto-bind: sendto() or connect() unbound). */
const char *forecast_call(const struct first_to_fail *f);

/* Who held a socket when it was last seen alive. */
struct history_owner {
	pid_t pid;
	uid_t uid;
	unsigned long long start_time;
	char user[33];
	char comm[64];
	char container[CGROUP_NAME_MAX];
};
/* One remembered (cookie, owner) pair; a cookie with several owners has a run of them. */
struct history_entry {
	uint64_t cookie;
	uint32_t owner;  /* index into the owners */
};
/* A history as plain data, borrowed: what a recording keeps of it (src/record/), so a
 * replay attributes TIME_WAIT as the recorder did from its first sample on. */
struct history_view {
	const struct history_entry *entries;  /* in cookie order */
	size_t n_entries;
	const struct history_owner *owners;
	size_t n_owners;
	double time;
};
void history_view(const struct history *h, struct history_view *out);
/* Replaces h by a copy of v.  0, -EINVAL (entries out of order or naming no owner), -ENOMEM. */
int history_restore(struct history *h, const struct history_view *v);
/* The kernel's counters of the last advance's sample (for their rates), NULL before
 * the first; a replay sets them with the rest of the history. */
const struct kernel_counters *history_counters(const struct history *h);
void history_restore_counters(struct history *h, const struct kernel_counters *c);

#endif
