/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Alerts: WARNING and CRITICAL levels of the TCP pool, the UDP pool and each
 * destination, from the same figures --format=check judges (a destination by its
 * blocked share: TIME_WAIT ports tcp_tw_reuse hands out again do not make connect()
 * fail).  A level is raised once the pool held its threshold for alert_after
 * seconds and left only ALERT_HYSTERESIS points below it (or above the end of an "@"
 * range), so a pool oscillating around a threshold changes level once, not at each
 * refresh.
 */
#include "model-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

#define ALERT_HYSTERESIS 5.0
/* Destinations watched at once beyond the two pools: the fullest ones, bounded so
 * that a host with thousands of destinations near a threshold stays cheap. */
#define ALERT_MAX_TRACKS 64

struct alert_tracks {
	struct alert *track;
	size_t n, cap;
};

void alerts_tracks_free(struct alert_tracks *t)
{
	if (!t)
		return;
	free(t->track);
	free(t);
}

struct alert_tracks *model_take_alerts(struct model *m)
{
	struct alert_tracks *t = m->work ? m->work->alerts : NULL;

	if (m->work)
		m->work->alerts = NULL;
	return t;
}

void model_give_alerts(struct model *m, struct alert_tracks *t)
{
	if (!t)
		return;
	if (!m->work && !(m->work = calloc(1, sizeof(*m->work)))) {
		alerts_tracks_free(t);
		return;
	}
	alerts_tracks_free(m->work->alerts);
	m->work->alerts = t;
}

void alerts_state_init(struct alert_state *a)
{
	memset(a, 0, sizeof(*a));
	a->level = LEVEL_OK;
	for (int l = 0; l < LEVEL_COUNT; l++)
		a->above_since[l] = -1;
}

static double threshold(enum level l, const struct model_options *o)
{
	return l == LEVEL_CRITICAL ? o->critical : l == LEVEL_WARNING ? o->warning : 0;
}

/* Whether an "@" range of level l ends, and where (struct model_options). */
static bool ends(enum level l, const struct model_options *o, double *end)
{
	bool critical = l == LEVEL_CRITICAL;

	*end = critical ? o->critical_end : o->warning_end;
	return critical ? o->critical_ends : o->warning_ends;
}

/* Whether percent holds level l: above its threshold, or at it when the range includes it,
 * and not past the end of an "@" range ("@70:80" does not hold at 81 %), so that an alert and
 * --format=check (threshold_alerts) agree at both boundaries. */
static bool holds(enum level l, double percent, const struct model_options *o)
{
	bool included = l == LEVEL_CRITICAL ? o->critical_included : o->warning_included;
	double end;

	if (ends(l, o, &end) && percent > end)
		return false;
	return included ? percent >= threshold(l, o) : percent > threshold(l, o);
}

/* Whether a pool at level l left it by more than the hysteresis: below its threshold,
 * or above the end of its "@" range. */
static bool left(enum level l, double percent, const struct model_options *o)
{
	double end;

	if (ends(l, o, &end) && percent > end + ALERT_HYSTERESIS)
		return true;
	return percent < threshold(l, o) - ALERT_HYSTERESIS;
}

bool alerts_step(struct alert_state *a, double percent, double now, const struct model_options *o)
{
	enum level next = a->level;

	for (int l = LEVEL_WARNING; l < LEVEL_COUNT; l++) {
		if (!holds((enum level)l, percent, o))
			a->above_since[l] = -1;
		else if (a->above_since[l] < 0)
			a->above_since[l] = now;
	}
	for (int l = LEVEL_COUNT - 1; l > (int)a->level; l--) {
		if (a->above_since[l] >= 0 && now - a->above_since[l] >= o->alert_after) {
			next = (enum level)l;
			break;
		}
	}
	if (next == a->level)
		while (next > LEVEL_OK && left(next, percent, o))
			next--;
	if (next == a->level)
		return false;
	/* raised: since it crossed the threshold; lowered: since now */
	a->since = next > a->level ? a->above_since[next] : now;
	a->level = next;
	return true;
}

static bool same_pool(const struct alert *a, enum alert_pool pool, const struct destination *d)
{
	if (a->pool != pool)
		return false;
	return pool != ALERT_POOL_DESTINATION ||
	       (a->port == d->remote_port && memcmp(a->local, d->local, 16) == 0 &&
		memcmp(a->remote, d->remote, 16) == 0);
}

/* The track of a pool, a new one at OK if it has none (NULL: no room or memory). */
static struct alert *track_of(struct alert_tracks *t, enum alert_pool pool, const struct destination *d)
{
	struct alert *a;

	for (size_t i = 0; i < t->n; i++)
		if (same_pool(&t->track[i], pool, d))
			return &t->track[i];
	if (t->n >= ALERT_MAX_TRACKS + 2 ||
	    vec_reserve((void **)&t->track, &t->cap, t->n + 1, sizeof(*t->track)) < 0)
		return NULL;
	a = &t->track[t->n++];
	memset(a, 0, sizeof(*a));
	a->pool = pool;
	alerts_state_init(&a->state);
	if (pool == ALERT_POOL_DESTINATION) {
		memcpy(a->local, d->local, 16);
		memcpy(a->remote, d->remote, 16);
		a->port = d->remote_port;
		sample_endpoint_format(d->remote, d->remote_port, a->name, sizeof(a->name));
	} else {
		snprintf(a->name, sizeof(a->name), "%s", pool == ALERT_POOL_TCP ? "TCP" : "UDP");
	}
	a->percent = -1;  /* not seen in this build yet */
	return a;
}

static int push_change(struct model *m, const struct alert *a, enum level previous)
{
	if (vec_reserve((void **)&m->changes, &m->cap_changes, m->n_changes + 1, sizeof(*m->changes)) < 0)
		return -ENOMEM;
	m->changes[m->n_changes++] = (struct alert_change){ *a, previous };
	return 0;
}

static int alert_cmp(const void *x, const void *y)
{
	const struct alert *a = x, *b = y;

	if (a->state.level != b->state.level)
		return a->state.level > b->state.level ? -1 : 1;
	return (a->percent < b->percent) - (a->percent > b->percent);
}

/* Marks the pools of this build with their percent; the others (gone) are at 0. */
static void mark_pools(struct model *m, struct alert_tracks *t)
{
	double watch_from = m->options.warning - ALERT_HYSTERESIS;
	struct alert *a;

	for (size_t i = 0; i < t->n; i++) {
		t->track[i].percent = -1;
		t->track[i].forecast = (struct forecast){ .trend = FORECAST_UNKNOWN, .seconds_to_full = -1 };
	}
	if ((a = track_of(t, ALERT_POOL_TCP, NULL))) {
		a->percent = m->tcp.percent;
		a->forecast = m->tcp.forecast;
	}
	if ((a = track_of(t, ALERT_POOL_UDP, NULL))) {
		a->percent = m->udp.percent;
		a->forecast = m->udp.forecast;
	}
	/* fullest first: once the tracks are full, only less full ones are left out */
	for (size_t i = 0; i < m->n_destinations; i++) {
		const struct destination *d = &m->destinations[i];
		if (d->blocked_percent < watch_from && d->percent < watch_from)
			continue;
		if ((a = track_of(t, ALERT_POOL_DESTINATION, d))) {
			a->percent = d->blocked_percent;
			a->forecast = d->forecast;
		}
	}
}

/* Steps every track; keeps those not at rest, lists those above OK in m->alerts. */
static int step_tracks(struct model *m, struct alert_tracks *t, const struct sample *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct alert a = t->track[i];
		enum level before = a.state.level;
		bool at_rest;

		if (a.percent < 0)
			a.percent = 0;
		if (alerts_step(&a.state, a.percent, s->monotonic, &m->options) && push_change(m, &a, before) < 0)
			return -ENOMEM;
		at_rest = a.state.level == LEVEL_OK && a.state.above_since[LEVEL_WARNING] < 0;
		if (a.pool != ALERT_POOL_DESTINATION || !at_rest)
			t->track[kept++] = a;
	}
	t->n = kept;
	return 0;
}

/* The wall-clock time of a monotonic one, from the sample's two clocks. */
static struct timespec wall_of(const struct sample *s, double when)
{
	double wall = (double)s->wall.tv_sec + (double)s->wall.tv_nsec / 1e9 - (s->monotonic - when);
	struct timespec ts = { (time_t)wall, (long)((wall - (double)(time_t)wall) * 1e9) };

	return ts;
}

int alerts_compute(struct model *m, const struct sample *s)
{
	struct alert_tracks *t = m->work->alerts;

	if (!t && !(t = m->work->alerts = calloc(1, sizeof(*t))))
		return -ENOMEM;
	mark_pools(m, t);
	if (step_tracks(m, t, s) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		struct alert *a = &t->track[i];
		if (a->state.level == LEVEL_OK)
			continue;
		if (vec_reserve((void **)&m->alerts, &m->cap_alerts, m->n_alerts + 1, sizeof(*m->alerts)) < 0)
			return -ENOMEM;
		a->seconds = s->monotonic - a->state.since;
		a->since_wall = wall_of(s, a->state.since);
		m->alerts[m->n_alerts++] = *a;
	}
	for (size_t i = 0; i < m->n_changes; i++) {
		m->changes[i].alert.seconds = s->monotonic - m->changes[i].alert.state.since;
		m->changes[i].alert.since_wall = wall_of(s, m->changes[i].alert.state.since);
	}
	if (m->n_alerts > 1)  /* qsort wants a non-NULL array, even empty */
		qsort(m->alerts, m->n_alerts, sizeof(*m->alerts), alert_cmp);
	return 0;
}
