/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Leaks: a process that never closes the sockets its peers closed piles up
 * CLOSE_WAIT (the kernel waits for close(): tcp_close moves them on), and a
 * connection pool that never gives connections back only grows its ESTABLISHED.
 * The ages come from the history (when each socket was first seen, and first seen
 * in CLOSE_WAIT); the growth from the rows' counts of the last minute, kept here.
 */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

#define LEAK_WINDOW 60.0            /* seconds of counts a growth is judged on */
#define LEAK_SNAPSHOTS 64           /* at most this many of them: one a second or fewer */
#define LEAK_ESTABLISHED_SPAN 30.0  /* a pool filling up at start-up is not a leak */

struct leak_count {
	pid_t pid;
	unsigned long long start_time;
	unsigned close_wait, established;
};

struct leak_snapshot {
	double time;
	struct leak_count *counts;  /* by pid, then start time */
	size_t n, cap;
};

/* A ring of snapshots, oldest at `first`. */
struct leak_window {
	struct leak_snapshot snap[LEAK_SNAPSHOTS];
	size_t first, n;
};

void leaks_window_free(struct leak_window *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < LEAK_SNAPSHOTS; i++)
		free(w->snap[i].counts);
	free(w);
}

bool leaks_only_grows(const double *t, const unsigned *v, size_t k, double min_span,
		      double *per_min)
{
	unsigned rises = 0;

	if (k < 3 || t[k - 1] - t[0] < min_span || t[k - 1] <= t[0])
		return false;
	for (size_t i = 1; i < k; i++) {
		if (v[i] < v[i - 1])
			return false;
		rises += v[i] > v[i - 1];
	}
	if (rises < 2)
		return false;  /* one step up may be a socket caught on its way to close() */
	*per_min = 60.0 * (double)(v[k - 1] - v[0]) / (t[k - 1] - t[0]);
	return true;
}

static int count_cmp(const void *x, const void *y)
{
	const struct leak_count *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->start_time > b->start_time) - (a->start_time < b->start_time);
}

static const struct leak_count *find_count(const struct leak_snapshot *sn, pid_t pid,
					   unsigned long long start_time)
{
	struct leak_count key = { .pid = pid, .start_time = start_time };

	return sn->n ? bsearch(&key, sn->counts, sn->n, sizeof(key), count_cmp) : NULL;
}

static struct leak_snapshot *window_at(struct leak_window *w, size_t i)
{
	return &w->snap[(w->first + i) % LEAK_SNAPSHOTS];
}

/* Forgets the snapshots older than the window. */
static void window_prune(struct leak_window *w, double now)
{
	while (w->n && window_at(w, 0)->time < now - LEAK_WINDOW) {
		w->first = (w->first + 1) % LEAK_SNAPSHOTS;
		w->n--;
	}
}

/* Keeps this build's counts, at most one snapshot per LEAK_WINDOW / LEAK_SNAPSHOTS seconds. */
static int window_push(struct leak_window *w, const struct model *m, double now)
{
	struct leak_snapshot *sn;

	if (w->n && now - window_at(w, w->n - 1)->time < 0.9 * LEAK_WINDOW / LEAK_SNAPSHOTS)
		return 0;
	if (w->n == LEAK_SNAPSHOTS) {
		w->first = (w->first + 1) % LEAK_SNAPSHOTS;
		w->n--;
	}
	sn = window_at(w, w->n);
	if (vec_fit((void **)&sn->counts, &sn->cap, m->n_rows ? m->n_rows : 1, sizeof(*sn->counts)) < 0)
		return -ENOMEM;
	sn->time = now;
	sn->n = m->n_rows;
	for (size_t i = 0; i < m->n_rows; i++)
		sn->counts[i] = (struct leak_count){ m->rows[i].pid, m->rows[i].start_time,
						     m->rows[i].close_wait, m->rows[i].established };
	qsort(sn->counts, sn->n, sizeof(*sn->counts), count_cmp);
	w->n++;
	return 0;
}

/* A row's counts across the window, then now; a snapshot without the process is skipped. */
static size_t row_series(struct leak_window *w, const struct proc_row *row, double now,
			 bool close_wait, double *t, unsigned *v)
{
	size_t k = 0;

	for (size_t i = 0; i < w->n; i++) {
		const struct leak_snapshot *sn = window_at(w, i);
		const struct leak_count *c = find_count(sn, row->pid, row->start_time);
		if (!c)
			continue;
		t[k] = sn->time;
		v[k++] = close_wait ? c->close_wait : c->established;
	}
	t[k] = now;
	v[k++] = close_wait ? row->close_wait : row->established;
	return k;
}

/* Rows sorted by process identity, to find a socket holder's row. */
struct row_key {
	pid_t pid;
	unsigned long long start_time;
	size_t row;
};

static int row_key_cmp(const void *x, const void *y)
{
	const struct row_key *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->start_time > b->start_time) - (a->start_time < b->start_time);
}

/* Each row's first sight of its oldest CLOSE_WAIT and ESTABLISHED socket (now if none). */
static void oldest_sockets(const struct model *m, const struct sample *s, const struct history *h,
			   const struct row_key *keys, double *cw_since, double *est_since)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		const struct owner_link *link = sample_sock_owner(s, i);
		bool cw = rec->state == KTCP_CLOSE_WAIT;
		double since;

		if (rec->protocol != IPPROTO_TCP || !rec->inode || (!cw && rec->state != KTCP_ESTABLISHED))
			continue;
		since = firstseen_time(cw ? history_close_wait_seen(h) : history_firstseen(h), rec->cookie);
		if (since <= 0)
			since = s->monotonic;  /* first seen now */
		for (; sample_owner_holds(s, link, rec->inode); link++) {
			const struct proc_rec *p = &s->procs[link->proc];
			struct row_key key = { p->pid, p->start_time, 0 };
			const struct row_key *k = bsearch(&key, keys, m->n_rows, sizeof(key), row_key_cmp);
			double *at;

			if (!k)
				continue;
			at = cw ? &cw_since[k->row] : &est_since[k->row];
			if (since < *at)
				*at = since;
		}
	}
}

/* CLOSE_WAIT first: it is a bug in the process for certain, a growing pool only likely. */
static void judge_row(struct model *m, struct leak_window *w, size_t r, double cw_since,
		      double est_since, double now, double *t, unsigned *v)
{
	struct proc_row *row = &m->rows[r];
	size_t k = row_series(w, row, now, true, t, v);
	double per_min = 0;
	bool grows = leaks_only_grows(t, v, k, 0, &per_min);

	if (grows || (row->close_wait && now - cw_since >= m->options.leak_age)) {
		if (!grows && k > 1 && t[k - 1] > t[0])
			per_min = 60.0 * ((double)v[k - 1] - (double)v[0]) / (t[k - 1] - t[0]);
		row->leak = (struct leak){ LEAK_CLOSE_WAIT, per_min, now - cw_since };
		m->leaking++;
		return;
	}
	k = row_series(w, row, now, false, t, v);
	if (leaks_only_grows(t, v, k, LEAK_ESTABLISHED_SPAN, &per_min)) {
		row->leak = (struct leak){ LEAK_ESTABLISHED, per_min, now - est_since };
		m->leaking++;
	}
}

int leaks_compute(struct model *m, const struct sample *s, const struct history *h)
{
	struct leak_window *w = m->work->leaks;
	size_t n = m->n_rows ? m->n_rows : 1;
	struct row_key *keys = malloc(n * sizeof(*keys));
	double *since = malloc(2 * n * sizeof(*since)), t[LEAK_SNAPSHOTS + 1];
	unsigned v[LEAK_SNAPSHOTS + 1];
	int err = -ENOMEM;

	if (!w && (w = m->work->leaks = calloc(1, sizeof(*w))) == NULL)
		goto out;
	if (!keys || !since)
		goto out;
	for (size_t i = 0; i < m->n_rows; i++) {
		keys[i] = (struct row_key){ m->rows[i].pid, m->rows[i].start_time, i };
		since[i] = since[n + i] = s->monotonic;
	}
	qsort(keys, m->n_rows, sizeof(*keys), row_key_cmp);
	oldest_sockets(m, s, h, keys, since, since + n);
	window_prune(w, s->monotonic);
	for (size_t i = 0; i < m->n_rows; i++)
		judge_row(m, w, i, since[i], since[n + i], s->monotonic, t, v);
	err = window_push(w, m, s->monotonic);
out:
	free(keys);
	free(since);
	return err;
}
