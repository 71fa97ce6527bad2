/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ring of per-pool figures the forecast reads: for each of the last refreshes
 * (at most TREND_SAMPLES, none older than the window), what the TCP and UDP pools,
 * the TIME_WAIT sockets, the fullest destinations and the fullest bind pools held.
 * Bounded: a fixed number of pools per refresh, the fullest, since those are the ones
 * that run out; a pool missing from a refresh that listed all of its kind held nothing.
 */
#include "model-internal.h"

#include <stdlib.h>
#include <string.h>

#define TREND_SAMPLES HISTORY_TREND_SAMPLES  /* a minute at -d 1; the window cuts more */
#define TREND_POINTS (3 + FORECAST_TRACKED + FORECAST_TRACKED_BIND)

struct trend_point {
	struct trend_key key;
	struct pool_figures f;
};

struct trend_sample {
	double time;
	bool complete[TREND_KINDS];  /* every pool of that kind is in points */
	size_t n;
	struct trend_point points[TREND_POINTS];
};

struct trend {
	struct trend_sample ring[TREND_SAMPLES];
	size_t next, count;          /* ring[next] is overwritten next */
};

struct trend *trend_new(void)
{
	return calloc(1, sizeof(struct trend));
}

void trend_free(struct trend *t)
{
	free(t);
}

void trend_forget(struct trend *t)
{
	t->next = t->count = 0;
}

void trend_key_destination(struct trend_key *k, const struct destination *d)
{
	memset(k, 0, sizeof(*k));
	k->kind = TREND_DESTINATION;
	k->port = d->remote_port;
	memcpy(k->local, d->local, 16);
	memcpy(k->remote, d->remote, 16);
}

void trend_key_bind(struct trend_key *k, const struct bind_pool *b)
{
	memset(k, 0, sizeof(*k));
	k->kind = TREND_BIND;
	k->protocol = b->protocol;
	memcpy(k->local, b->local, 16);
}

void trend_key_pool(struct trend_key *k, enum trend_kind kind)
{
	memset(k, 0, sizeof(*k));
	k->kind = (uint8_t)kind;
}

static void put(struct trend_sample *ts, const struct trend_key *k, const struct pool_figures *f)
{
	if (ts->n < TREND_POINTS)
		ts->points[ts->n++] = (struct trend_point){ *k, *f };
}

void trend_record(struct trend *t, const struct model *m)
{
	struct trend_sample *ts = &t->ring[t->next];
	struct trend_key k;
	size_t n_dest = m->n_destinations < FORECAST_TRACKED ? m->n_destinations : FORECAST_TRACKED;
	size_t n_bind = m->n_bind_pools < FORECAST_TRACKED_BIND ? m->n_bind_pools : FORECAST_TRACKED_BIND;

	memset(ts, 0, sizeof(*ts));
	ts->time = m->monotonic;
	trend_key_pool(&k, TREND_TCP);
	put(ts, &k, &m->tcp.figures);
	trend_key_pool(&k, TREND_UDP);
	put(ts, &k, &m->udp.figures);
	trend_key_pool(&k, TREND_TIME_WAIT);
	put(ts, &k, &m->time_wait_figures);
	for (size_t i = 0; i < n_dest; i++) {
		trend_key_destination(&k, &m->destinations[i]);
		put(ts, &k, &m->destinations[i].figures);
	}
	for (size_t i = 0; i < n_bind; i++) {
		trend_key_bind(&k, &m->bind_pools[i]);
		put(ts, &k, &m->bind_pools[i].figures);
	}
	ts->complete[TREND_TCP] = ts->complete[TREND_UDP] = ts->complete[TREND_TIME_WAIT] = true;
	ts->complete[TREND_DESTINATION] = n_dest == m->n_destinations;
	ts->complete[TREND_BIND] = n_bind == m->n_bind_pools;
	t->next = (t->next + 1) % TREND_SAMPLES;
	if (t->count < TREND_SAMPLES)
		t->count++;
}

static const struct trend_point *find(const struct trend_sample *ts, const struct trend_key *k)
{
	for (size_t i = 0; i < ts->n; i++)
		if (memcmp(&ts->points[i].key, k, sizeof(*k)) == 0)
			return &ts->points[i];
	return NULL;
}

void trend_series(const struct trend *t, const struct trend_key *k, double now,
		  struct forecast_series *out)
{
	out->n = 0;
	for (size_t age = t ? t->count : 0; age > 0; age--) {
		const struct trend_sample *ts = &t->ring[(t->next + TREND_SAMPLES - age) % TREND_SAMPLES];
		const struct trend_point *p;

		if (ts->time < now - FORECAST_WINDOW_SECONDS || ts->time >= now ||
		    out->n >= FORECAST_MAX_POINTS - 1)
			continue;
		p = find(ts, k);
		out->time[out->n] = ts->time;
		out->present[out->n] = p || ts->complete[k->kind];
		memset(&out->fig[out->n], 0, sizeof(out->fig[out->n]));
		if (p)
			out->fig[out->n] = p->f;
		out->n++;
	}
}
