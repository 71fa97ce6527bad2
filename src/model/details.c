/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "details.h"
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

#define DETAILS_MAX_OWNERS 16

void details_init(struct details *d)
{
	memset(d, 0, sizeof(*d));
}

void details_free(struct details *d)
{
	free(d->socks);
	free(d->groups);
	details_init(d);
}

static int details_add(struct details *d, const struct sock_rec *rec, const struct sample *s)
{
	if (vec_reserve((void **)&d->socks, &d->cap_socks, d->n_socks + 1, sizeof(*d->socks)) < 0)
		return -ENOMEM;
	struct detail_sock *ds = &d->socks[d->n_socks++];
	ds->rec = *rec;
	ds->state = states_classify(rec);
	ds->ephemeral = pools_in_usable(&s->sys, rec->local_port);
	ds->orphan = attribution_is_orphan(rec);
	/* Accepted connections each have their own remote port: grouping them by
	 * destination would give one group per client, so they group by the local end. */
	ds->inbound = !ds->ephemeral && rec->remote_port != 0;
	return 0;
}

static bool held_by(const struct sample *s, const struct sock_rec *rec, pid_t pid,
		    unsigned long long start_time)
{
	const struct owner_link *link = sample_find_owner(s, rec->inode);

	for (; sample_owner_holds(s, link, rec->inode); link++) {
		const struct proc_rec *p = &s->procs[link->proc];
		if (p->pid == pid && p->start_time == start_time)
			return true;
	}
	return false;
}

/* Orphans have no inode: they are charged to their last owners (attribution.c). */
static bool held_before(const struct history *h, const struct sample *s, size_t sock, pid_t pid,
			unsigned long long start_time)
{
	const struct history_owner *owners[DETAILS_MAX_OWNERS];
	struct history_owner born;
	size_t n = attribution_orphan_owners(h, history_find(h, s->socks[sock].cookie), s, sock, owners,
					     DETAILS_MAX_OWNERS, &born);

	for (size_t i = 0; i < n; i++)
		if (owners[i]->pid == pid && owners[i]->start_time == start_time)
			return true;
	return false;
}

static int cmp_group(const struct detail_sock *a, const struct detail_sock *b)
{
	int c = (a->rec.protocol > b->rec.protocol) - (a->rec.protocol < b->rec.protocol);

	if (!c)
		c = (a->inbound > b->inbound) - (a->inbound < b->inbound);
	if (c)
		return c;
	if (a->inbound) {
		c = memcmp(a->rec.local, b->rec.local, sizeof(a->rec.local));
		return c ? c : (a->rec.local_port > b->rec.local_port) - (a->rec.local_port < b->rec.local_port);
	}
	c = memcmp(a->rec.remote, b->rec.remote, sizeof(a->rec.remote));
	return c ? c : (a->rec.remote_port > b->rec.remote_port) - (a->rec.remote_port < b->rec.remote_port);
}

static int cmp_detail(const void *x, const void *y)
{
	const struct detail_sock *a = x, *b = y;
	int c = cmp_group(a, b);

	if (!c)
		c = (a->state > b->state) - (a->state < b->state);
	if (!c)
		c = (a->rec.local_port > b->rec.local_port) - (a->rec.local_port < b->rec.local_port);
	if (!c)
		c = (a->rec.remote_port > b->rec.remote_port) - (a->rec.remote_port < b->rec.remote_port);
	if (!c)
		c = memcmp(a->rec.local, b->rec.local, sizeof(a->rec.local));
	return c;
}

bool details_same_group(const struct detail_sock *a, const struct detail_sock *b)
{
	return cmp_group(a, b) == 0;
}

int details_compute(struct details *d, const struct sample *s, const struct history *h,
		    pid_t pid, unsigned long long start_time)
{
	d->pid = pid;
	d->start_time = start_time;
	d->n_socks = 0;
	d->n_groups = 0;
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		bool mine;

		if (rec->inode)
			mine = held_by(s, rec, pid, start_time);
		else
			mine = attribution_is_orphan(rec) && held_before(h, s, i, pid, start_time);
		if (mine && details_add(d, rec, s) < 0)
			return -ENOMEM;
	}
	if (d->n_socks > 1)
		qsort(d->socks, d->n_socks, sizeof(*d->socks), cmp_detail);
	return 0;
}

void details_summarize(const struct details *d, struct details_summary *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < d->n_socks; i++) {
		const struct detail_sock *ds = &d->socks[i];

		if (!ds->ephemeral)
			continue;
		if (ds->orphan) {
			out->orphans++;
			continue;
		}
		out->ephemeral++;
		if (ds->rec.protocol == IPPROTO_TCP && ds->state == STATE_ESTABLISHED)
			out->by_holder[HOLDER_ESTABLISHED]++;
		else if (ds->rec.protocol == IPPROTO_TCP && ds->state == STATE_CLOSE_WAIT)
			out->by_holder[HOLDER_CLOSE_WAIT]++;
		else
			out->by_holder[HOLDER_OTHER]++;
	}
}

/* The model's connect() pool the group's first socket draws from, NULL if none. */
static const struct destination *destination_of(const struct model *m, const struct detail_sock *ds)
{
	if (ds->inbound || ds->rec.protocol != IPPROTO_TCP || ds->rec.remote_port == 0)
		return NULL;
	for (size_t i = 0; i < m->n_destinations; i++) {
		const struct destination *dest = &m->destinations[i];
		if (dest->remote_port == ds->rec.remote_port &&
		    memcmp(dest->remote, ds->rec.remote, 16) == 0 && memcmp(dest->local, ds->rec.local, 16) == 0)
			return dest;
	}
	return NULL;
}

/* Ages from the first sightings: the oldest, and how many are of the last `window` s. */
static void group_ages(struct detail_group *g, const struct details *d, const struct firstseen *f,
		       double now)
{
	double start = firstseen_start(f), window = now - start, oldest = 0;
	unsigned fresh = 0;

	if (window > FORECAST_WINDOW_SECONDS)
		window = FORECAST_WINDOW_SECONDS;
	for (size_t i = g->first; i < g->first + g->count; i++) {
		double seen = firstseen_time(f, d->socks[i].rec.cookie);

		if (seen <= 0)
			continue;
		if (!oldest || seen < oldest)
			oldest = seen;
		fresh += seen > start && seen > now - window;
	}
	g->oldest_seconds = oldest ? now - oldest : -1;
	g->oldest_at_least = oldest && oldest <= start;
	g->new_per_sec = window > 0 ? fresh / window : -1;
}

static void group_fill(struct detail_group *g, const struct details *d, const struct model *m,
		       const struct history *h)
{
	const struct destination *dest = destination_of(m, &d->socks[g->first]);

	for (size_t i = g->first; i < g->first + g->count; i++) {
		g->by_state[d->socks[i].state]++;
		g->ephemeral += d->socks[i].ephemeral;
	}
	group_ages(g, d, history_firstseen(h), m->monotonic);
	if (dest) {
		g->has_destination = true;
		g->dest_in_use = dest->in_use;
		g->dest_capacity = dest->capacity;
		g->dest_blocked_percent = dest->blocked_percent;
		g->forecast = dest->forecast;
	}
}

int details_breakdown(struct details *d, const struct model *m, const struct history *h)
{
	d->n_groups = 0;
	for (size_t i = 0; i < d->n_socks; i++) {
		struct detail_group *g;

		if (i && details_same_group(&d->socks[i], &d->socks[i - 1])) {
			d->groups[d->n_groups - 1].count++;
			continue;
		}
		if (vec_reserve((void **)&d->groups, &d->cap_groups, d->n_groups + 1, sizeof(*d->groups)) < 0)
			return -ENOMEM;
		g = &d->groups[d->n_groups++];
		memset(g, 0, sizeof(*g));
		g->first = i;
		g->count = 1;
	}
	for (size_t i = 0; i < d->n_groups; i++)
		group_fill(&d->groups[i], d, m, h);
	return 0;
}
