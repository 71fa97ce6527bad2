/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where each pool is heading.  The inputs are the pool's figures over the last
 * minute of refreshes (trend.c) and, for the ports TIME_WAIT holds now, when the
 * kernel frees each one: it reports the time left of every TIME_WAIT socket, and
 * TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, whatever happens (doc/kernel.md, "TIME_WAIT
 * expiry and the forecast").  So the ports held in x seconds are
 *
 *     held + g * x - freed(x)        g = net rate + TIME_WAIT expiry rate
 *
 * where freed(x) counts the TIME_WAIT ports of now that end within x: g is what
 * arrives minus what leaves other than by the end of a TIME_WAIT, and is taken to
 * stay as it was.  Beyond 60 s every TIME_WAIT of now is gone and the ones created
 * since start to end, at the rate they were created.  Rates weigh the last refreshes
 * most (a time constant of FORECAST_TAU), so the forecast turns soon after the load
 * does, while a minute of samples smooths it.
 */
#include "model-internal.h"

#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#define FORECAST_TAU 5.0             /* seconds */
#define FORECAST_MAX_SECONDS 86400.0 /* beyond a day is "stable" */
#define FORECAST_EPSILON 1e-6        /* ports per second: no change */
#define FORECAST_NOISE 0.05          /* a rate within 5 % of another is no different */

struct rates {
	bool known;
	double net, created, expired, fresh;
};

static void series_rates(const struct forecast_series *sr, struct rates *r)
{
	double now = sr->time[sr->n - 1], span = 0;

	memset(r, 0, sizeof(*r));
	for (size_t k = 1; k < sr->n; k++) {
		const struct pool_figures *a = &sr->fig[k - 1], *b = &sr->fig[k];
		double dt = sr->time[k] - sr->time[k - 1], w = exp(-(now - sr->time[k]) / FORECAST_TAU);
		double expired = (double)a->time_wait + b->time_wait_new - b->time_wait;

		if (!sr->present[k] || !sr->present[k - 1] || dt <= 0)
			continue;
		span += w * dt;
		r->net += w * ((double)b->held - a->held);
		r->created += w * b->time_wait_new;
		r->fresh += w * b->new_sockets;
		r->expired += w * (expired > 0 ? expired : 0);
	}
	r->known = span > 0;
	if (r->known) {
		r->net /= span;
		r->created /= span;
		r->fresh /= span;
		r->expired /= span;
	}
}

/*
 * The pool's projection: held now, g, the TIME_WAIT created per second, when the
 * TIME_WAIT of now frees, and how long a TIME_WAIT holds its port here (60 s, or the
 * first 5 s where tcp_tw_reuse gives it back).
 */
struct projection {
	double held, g, created;
	const unsigned *frees;
	int buckets;  /* of FORECAST_BUCKET_SECONDS: the TIME_WAIT of now is gone after them */
};

static double freed_by_bucket(const struct projection *p, int buckets)
{
	double freed = 0;

	for (int b = 0; p->frees && b < buckets; b++)
		freed += p->frees[b];
	return freed;
}

/* Ports held in x seconds: beyond the TIME_WAIT of now, what is created since ends as fast. */
static double held_at(const struct projection *p, double x)
{
	double end = p->buckets * FORECAST_BUCKET_SECONDS;

	if (x <= end)
		return p->held + p->g * x - freed_by_bucket(p, (int)(x / FORECAST_BUCKET_SECONDS));
	return p->held + p->g * end - freed_by_bucket(p, p->buckets) + (p->g - p->created) * (x - end);
}

/* The first x at which the pool reaches capacity; -1 if none within a day. */
static double time_to_full(const struct projection *p, double capacity)
{
	double end = p->buckets * FORECAST_BUCKET_SECONDS, x;

	if (p->held >= capacity)
		return 0;
	if (p->g <= FORECAST_EPSILON)
		return -1;
	for (int b = 0; b < p->buckets; b++) {
		/* the TIME_WAIT of bucket b is taken as freed at its end */
		x = (capacity - p->held + freed_by_bucket(p, b)) / p->g;
		if (x <= (b + 1) * FORECAST_BUCKET_SECONDS)
			return x;
	}
	/* the TIME_WAIT created since ends as fast as it came: only a clear excess fills */
	if (p->g - p->created <= FORECAST_NOISE * p->g + FORECAST_EPSILON)
		return -1;
	x = end + (capacity - held_at(p, end)) / (p->g - p->created);
	return x <= FORECAST_MAX_SECONDS ? x : -1;
}

static unsigned total(const unsigned frees[FORECAST_BUCKETS])
{
	unsigned n = 0;

	for (int b = 0; frees && b < FORECAST_BUCKETS; b++)
		n += frees[b];
	return n;
}

void forecast_pool(const struct forecast_series *sr, unsigned capacity,
		   const unsigned frees[FORECAST_BUCKETS], struct forecast *out)
{
	double held = sr->n ? sr->fig[sr->n - 1].held : 0, tolerance;
	double lifetime = sr->time_wait_seconds > 0 ? sr->time_wait_seconds : TIME_WAIT_SECONDS;
	struct projection p = { held, 0, 0, frees, 0 };
	struct rates r = { 0 };

	memset(out, 0, sizeof(*out));
	out->freeing_next_60s = total(frees);
	out->new_per_sec = out->time_wait_created_per_sec = out->time_wait_expired_per_sec = -1;
	out->seconds_to_full = sr->n && held >= capacity ? 0 : -1;
	out->trend = out->seconds_to_full == 0 ? FORECAST_FULL : FORECAST_UNKNOWN;
	if (sr->n >= 2)
		series_rates(sr, &r);
	if (!r.known)
		return;
	out->rate_per_sec = r.net;
	out->new_per_sec = r.fresh;
	out->time_wait_created_per_sec = r.created;
	out->time_wait_expired_per_sec = r.expired;
	if (out->trend == FORECAST_FULL)
		return;
	p.g = r.net + r.expired;
	p.created = r.created;
	p.buckets = (int)ceil(lifetime / FORECAST_BUCKET_SECONDS);
	if (p.buckets > FORECAST_BUCKETS)
		p.buckets = FORECAST_BUCKETS;
	out->seconds_to_full = time_to_full(&p, capacity);
	tolerance = held * 0.02 > 1 ? held * 0.02 : 1;
	if (out->seconds_to_full >= 0)
		out->trend = FORECAST_FILLING;
	else if (held_at(&p, TIME_WAIT_SECONDS) < held - tolerance || r.net * TIME_WAIT_SECONDS < -tolerance)
		out->trend = FORECAST_DRAINING;
	else
		out->trend = FORECAST_STABLE;
}

/* The pool's series from the ring, with the figures of now appended. */
static void forecast_one(const struct trend *t, const struct trend_key *k, double now,
			 const struct pool_figures *current, unsigned capacity,
			 const unsigned frees[FORECAST_BUCKETS], double time_wait_seconds,
			 struct forecast *out)
{
	struct forecast_series sr;

	trend_series(t, k, now, &sr);
	sr.time_wait_seconds = time_wait_seconds;
	sr.time[sr.n] = now;
	sr.fig[sr.n] = *current;
	sr.present[sr.n] = true;
	sr.n++;
	forecast_pool(&sr, capacity, frees, out);
}

/* The destinations and bind pools beyond the tracked ones: what is known without a series. */
static void forecast_untracked(const struct pool_figures *current, unsigned capacity,
			       const unsigned frees[FORECAST_BUCKETS], struct forecast *out)
{
	struct forecast_series sr = { .n = 1 };  /* one sample: no projection, no lifetime */

	sr.fig[0] = *current;
	sr.present[0] = true;
	forecast_pool(&sr, capacity, frees, out);
}

static void forecast_destinations(struct model *m, const struct trend *t)
{
	struct trend_key k;

	for (size_t i = 0; i < m->n_destinations; i++) {
		struct destination *d = &m->destinations[i];

		trend_key_destination(&k, d);
		if (i < FORECAST_TRACKED)
			forecast_one(t, &k, m->monotonic, &d->figures, d->capacity, d->frees,
				     d->time_wait_reused ? FORECAST_BUCKET_SECONDS : TIME_WAIT_SECONDS,
				     &d->forecast);
		else
			forecast_untracked(&d->figures, d->capacity, d->frees, &d->forecast);
	}
	for (size_t i = 0; i < m->n_bind_pools; i++) {
		struct bind_pool *b = &m->bind_pools[i];

		trend_key_bind(&k, b);
		if (i < FORECAST_TRACKED_BIND)
			forecast_one(t, &k, m->monotonic, &b->figures, b->capacity, b->frees,
				     TIME_WAIT_SECONDS, &b->forecast);
		else
			forecast_untracked(&b->figures, b->capacity, b->frees, &b->forecast);
	}
}

/* Does a pool (percent full, forecast fa) run out before b?  Sooner to full, then fuller. */
static bool fails_before(double pa, const struct forecast *fa, double pb, const struct forecast *fb)
{
	bool a_fills = fa->seconds_to_full >= 0, b_fills = fb->seconds_to_full >= 0;

	if (a_fills != b_fills)
		return a_fills;
	if (a_fills && fa->seconds_to_full != fb->seconds_to_full)
		return fa->seconds_to_full < fb->seconds_to_full;
	return pa > pb;
}

static void consider(struct first_to_fail *best, enum pool_kind kind, size_t index, double percent,
		     unsigned held, const struct forecast *f)
{
	if (!held)
		return;
	if (best->kind == POOL_NONE || fails_before(percent, f, best->percent, best->forecast))
		*best = (struct first_to_fail){ kind, index, percent, f };
}

/*
 * Ties go to the narrower pool: a destination, then one address, then the wildcard.
 * The TCP wildcard pool is always the fullest of the TCP bind pools, but it is what a
 * bind(0) on 0.0.0.0 draws from, which programs rarely do: it is named only when no
 * socket has an address of its own.  UDP's is where sendto() and connect() auto-bind
 * an unbound socket (on the wildcard: udp_lib_get_port), so it always counts.
 */
static void find_first_to_fail(struct model *m)
{
	struct first_to_fail best = { .kind = POOL_NONE };
	bool tcp_bind_pools = false;

	for (size_t i = 0; i < m->n_destinations; i++)
		consider(&best, POOL_DESTINATION, i, m->destinations[i].blocked_percent,
			 m->destinations[i].figures.held, &m->destinations[i].forecast);
	for (size_t i = 0; i < m->n_bind_pools; i++) {
		consider(&best, POOL_BIND, i, m->bind_pools[i].percent, m->bind_pools[i].in_use,
			 &m->bind_pools[i].forecast);
		tcp_bind_pools |= m->bind_pools[i].protocol == IPPROTO_TCP;
	}
	if (!tcp_bind_pools)
		consider(&best, POOL_TCP, 0, m->tcp.percent, m->tcp.in_use, &m->tcp.forecast);
	consider(&best, POOL_UDP, 0, m->udp.percent, m->udp.in_use, &m->udp.forecast);
	m->first_to_fail = best;
}

void forecast_compute(struct model *m, const struct history *h)
{
	const struct trend *t = history_trend(h);
	struct trend_key k;

	trend_key_pool(&k, TREND_TCP);
	forecast_one(t, &k, m->monotonic, &m->tcp.figures, m->range.usable, m->tcp.frees,
		     TIME_WAIT_SECONDS, &m->tcp.forecast);
	trend_key_pool(&k, TREND_UDP);
	forecast_one(t, &k, m->monotonic, &m->udp.figures, m->range.usable, NULL, TIME_WAIT_SECONDS,
		     &m->udp.forecast);
	trend_key_pool(&k, TREND_TIME_WAIT);
	forecast_one(t, &k, m->monotonic, &m->time_wait_figures, UINT32_MAX, NULL, TIME_WAIT_SECONDS,
		     &m->time_wait_forecast);
	forecast_destinations(m, t);
	find_first_to_fail(m);
}

const char *forecast_pool_name(const struct model *m, const struct first_to_fail *f,
			       char *buf, size_t len)
{
	char a[64], b[64];

	switch (f->kind) {
	case POOL_DESTINATION: {
		const struct destination *d = &m->destinations[f->index];
		snprintf(buf, len, "destination %s -> %s", sample_addr_format(d->local, a, sizeof(a)),
			 sample_endpoint_format(d->remote, d->remote_port, b, sizeof(b)));
		break;
	}
	case POOL_BIND: {
		const struct bind_pool *bp = &m->bind_pools[f->index];
		snprintf(buf, len, "%s %s", bp->protocol == IPPROTO_UDP ? "udp" : "bind",
			 sample_addr_format(bp->local, a, sizeof(a)));
		break;
	}
	case POOL_TCP: snprintf(buf, len, "tcp"); break;
	case POOL_UDP: snprintf(buf, len, "udp"); break;
	case POOL_NONE: snprintf(buf, len, "%s", ""); break;
	}
	return buf;
}

const char *forecast_call(const struct first_to_fail *f)
{
	switch (f->kind) {
	case POOL_DESTINATION: return "connect() EADDRNOTAVAIL";
	case POOL_BIND:
	case POOL_TCP: return "bind() EADDRINUSE";
	case POOL_UDP: return "UDP EAGAIN";
	case POOL_NONE: break;
	}
	return "";
}
