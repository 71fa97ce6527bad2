/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model's own stages and buffers: model_build calls them, the renderers never
 * do (they read struct model through model.h).  Only src/model/ and the model's
 * unit tests include this.
 */
#ifndef PORTTOP_MODEL_INTERNAL_H
#define PORTTOP_MODEL_INTERNAL_H

#include <netinet/in.h>

#include "model.h"

struct destinations_work;
struct leak_window;
struct alert_tracks;
struct bindpools_work;

/* What a build keeps for the next one, so a steady refresh allocates nothing new. */
struct model_work {
	struct destinations_work *destinations; /* destinations.c's hash and sort buffers */
	struct bindpools_work *bind_pools;      /* bindpools.c's hashes */
	double *first_seen;                     /* firstseen_match of each socket */
	size_t cap_first_seen;
	uint8_t *was_time_wait;                 /* each socket was in TIME_WAIT the last time */
	size_t cap_was_time_wait;
	uint32_t *past;                         /* procrows.c: history_match of each socket */
	size_t cap_past;
	struct leak_window *leaks;              /* leaks.c: the rows' counts of the last minute */
	struct alert_tracks *alerts;            /* alerts.c: every watched pool's state */
	bool have_seen;                         /* the history has seen a sample: new is known */
};

/* TIME_WAIT lasts this long, fixed: TCP_TIMEWAIT_LEN (include/net/tcp.h). */
#define TIME_WAIT_SECONDS 60

/* Was socks[i] not in the previous sample?  False when that is not known. */
static inline bool model_sock_is_new(const struct model *m, const struct sample *s, size_t i)
{
	return m->work->have_seen && s->socks[i].cookie && m->work->first_seen[i] == 0;
}

/* socks[i] entered TIME_WAIT since the previous sample (false when that is not known). */
static inline bool model_time_wait_is_new(const struct model *m, const struct sample *s, size_t i)
{
	return m->work->have_seen && s->socks[i].protocol == IPPROTO_TCP &&
	       s->socks[i].state == KTCP_TIME_WAIT && !m->work->was_time_wait[i];
}

/* trend.c: the ring of per-pool figures across refreshes that the forecast reads. */
#define FORECAST_WINDOW_SECONDS ((double)HISTORY_TREND_SECONDS)
#define FORECAST_MAX_POINTS 66     /* the ring's samples and the current one */

enum trend_kind { TREND_TCP, TREND_UDP, TREND_TIME_WAIT, TREND_DESTINATION, TREND_BIND, TREND_KINDS };

struct trend_key {
	uint8_t kind;        /* enum trend_kind */
	uint8_t protocol;    /* TREND_BIND */
	uint16_t port;       /* TREND_DESTINATION: remote port */
	uint8_t local[16];
	uint8_t remote[16];
};

/* One pool's figures over the window, oldest first; present[i] false: not known then. */
struct forecast_series {
	double time_wait_seconds;  /* how long a TIME_WAIT holds its port here (0: 60 s) */
	size_t n;
	double time[FORECAST_MAX_POINTS];
	struct pool_figures fig[FORECAST_MAX_POINTS];
	bool present[FORECAST_MAX_POINTS];
};

struct trend;
struct trend *trend_new(void);
void trend_free(struct trend *t);
void trend_record(struct trend *t, const struct model *m);
void trend_forget(struct trend *t);
/* The samples of the window before now of the pool k; out->n 0 if none. */
void trend_series(const struct trend *t, const struct trend_key *k, double now,
		  struct forecast_series *out);
void trend_key_destination(struct trend_key *k, const struct destination *d);
void trend_key_bind(struct trend_key *k, const struct bind_pool *b);
void trend_key_pool(struct trend_key *k, enum trend_kind kind);
const struct trend *history_trend(const struct history *h);  /* NULL for a NULL history */

/* forecast.c */
/* The forecast of a pool of capacity ports from its series (the current sample last)
 * and when its held TIME_WAIT ports free (frees, NULL: none known). */
void forecast_pool(const struct forecast_series *sr, unsigned capacity,
		   const unsigned frees[FORECAST_BUCKETS], struct forecast *out);
/* Every forecast of m and m->first_to_fail, from the ring of h (NULL: none). */
void forecast_compute(struct model *m, const struct history *h);

/* procrows.c: one row per socket owner, orphans charged through h.  0 or -ENOMEM. */
int procrows_compute(struct model *m, const struct sample *s, const struct history *h);
/*
 * procrows.c: the row of the process the probes named (same pid and start time); with
 * add, one of its own for a process that holds no socket (its figures zero, *added
 * set).  NULL when there is none and add is false, or when adding fails (-ENOMEM).
 */
struct proc_row *procrows_of_process(struct model *m, const struct probe_process *who, bool add,
				     bool *added);

/*
 * failures.c: m->failures_*, the rows' connect_failures and fail_per_sec (rows for
 * failing processes that hold nothing are added), the destinations' failures.
 * After procrows_compute and pools_compute.  0 or -ENOMEM.
 */
int failures_compute(struct model *m, const struct sample *s);

/*
 * connects.c: with the probes, every row's new_per_sec counted from births (exact);
 * a process that connected since the previous sample gets a row, and an owner of
 * orphans that still runs is not marked exited.  0 or -ENOMEM.
 */
int connects_compute(struct model *m, const struct sample *s);

/*
 * leaks.c: every row's leak, from its sockets' ages (the history) and the counts of
 * the last minute (kept in m->work).  Last stage.  0 or -ENOMEM.
 */
int leaks_compute(struct model *m, const struct sample *s, const struct history *h);
void leaks_window_free(struct leak_window *w);
/*
 * The rule on one series of counts at times t (oldest first, k of them): true when it
 * never fell from one to the next, rose at least twice, ends above its start and
 * spans at least min_span seconds; *per_min is then its growth per minute.
 */
bool leaks_only_grows(const double *t, const unsigned *v, size_t k, double min_span,
		      double *per_min);

/* alerts.c: m->alerts and m->changes, after pools_compute.  0 or -ENOMEM. */
int alerts_compute(struct model *m, const struct sample *s);

struct history_owner;

/* attribution.c */
/* A TCP socket whose owner closed it that still holds its port (TIME_WAIT, FIN_WAIT1,
 * FIN_WAIT2, CLOSING, LAST_ACK, inode 0). */
bool attribution_is_orphan(const struct sock_rec *rec);
/* The owners orphan s->socks[sock] is charged to, given its history entry (history_match
 * or history_find; HISTORY_NONE if none), else its birth (eBPF; the owner is written to
 * *born): up to max in out[], returns how many (0: unknown). */
size_t attribution_orphan_owners(const struct history *h, uint32_t past, const struct sample *s,
				 size_t sock, const struct history_owner *out[], size_t max,
				 struct history_owner *born);

/* counterrates.c: m->counters, rates against the history's counters.  After count_states. */
void counterrates_compute(struct model *m, const struct sample *s, const struct history *h);

/* states.c */
enum tcp_state states_classify(const struct sock_rec *rec);

/* pools.c */
void pools_range(const struct port_sysctls *sys, struct range_stats *out);
bool pools_in_usable(const struct port_sysctls *sys, unsigned port);
/* Fills m->range, m->tcp, m->udp and m->destinations from s.  0 or -ENOMEM. */
int pools_compute(struct model *m, const struct sample *s);

/* destinations.c: m->destinations, fullest first, each of `capacity` ports.  0 or -ENOMEM. */
int destinations_compute(struct model *m, const struct sample *s, unsigned capacity);
void destinations_work_free(struct destinations_work *w);

/* bindpools.c: m->bind_pools, fullest first.  0 or -ENOMEM. */
int bindpools_compute(struct model *m, const struct sample *s);
void bindpools_work_free(struct bindpools_work *w);

/* part / whole in percent; a whole of 0 is full if anything is held. */
double model_percent(unsigned part, unsigned whole);

/* struct history_owner is in model.h: a recording keeps the history as plain data. */

#define HISTORY_NONE UINT32_MAX
/* The history's first entry for cookie, HISTORY_NONE if it has none (or cookie is 0). */
uint32_t history_find(const struct history *h, uint64_t cookie);
/* For every socket of s at once: out[i] = the history's first entry for socks[i]'s
 * cookie, HISTORY_NONE if it has none.  0 or -ENOMEM. */
int history_match(const struct history *h, const struct sample *s, uint32_t *out);
/* The owners of an entry history_match or history_find gave; returns how many. */
size_t history_owners_at(const struct history *h, uint32_t first,
			 const struct history_owner *out[], size_t max);
double history_time(const struct history *h);  /* monotonic time of the last advance, 0 if none */
size_t history_size(const struct history *h);
/* The counters of the last advance's sample, NULL before the first. */
const struct kernel_counters *history_counters(const struct history *h);  /* entries kept, for the memory bound */
/* When the history first saw each socket (firstseen.c); NULL for a NULL history. */
const struct firstseen *history_firstseen(const struct history *h);
/* When each CLOSE_WAIT socket of the last sample was first seen in that state. */
const struct firstseen *history_close_wait_seen(const struct history *h);

/*
 * firstseen.c: cookie -> when porttop first saw the socket (CLOCK_MONOTONIC seconds
 * of that sample), for every socket with a cookie in the last sample and no other.
 * history_advance keeps it; the model only reads it.
 */
struct firstseen;
struct firstseen *firstseen_new(void);
void firstseen_free(struct firstseen *f);
/* Dates the new cookies of s at s->monotonic and forgets those s no longer holds;
 * order: s's sockets in cookie order (sample_cookie_order), n of them.  0 or -ENOMEM. */
int firstseen_advance(struct firstseen *f, const struct sample *s, const uint32_t *order, size_t n);
/* When cookie was first seen; 0 if it was not in the last sample (or f is NULL). */
double firstseen_time(const struct firstseen *f, uint64_t cookie);
/* For every socket of s at once: out[i] = firstseen_time of socks[i].  0 or -ENOMEM. */
int firstseen_match(const struct firstseen *f, const struct sample *s, double *out);
/* The same, and was_time_wait[i]: socks[i] was in TIME_WAIT in the last sample. */
int firstseen_match_states(const struct firstseen *f, const struct sample *s, double *out,
			   uint8_t *was_time_wait);
/* Time of the first advance (0 if none): a socket seen then may be older than its age says. */
double firstseen_start(const struct firstseen *f);
size_t firstseen_size(const struct firstseen *f);  /* cookies kept, for the memory bound */

#endif
