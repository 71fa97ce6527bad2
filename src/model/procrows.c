/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One row per process holding a socket: what it holds, and the closed sockets it left
 * behind that still hold a port (TIME_WAIT and the other orphans), charged to it by
 * attribution.c.
 */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/search.h"
#include "util/vec.h"

/* A socket shared by more processes than this is attributed to the first ones only. */
#define PROCROWS_MAX_OWNERS 16

static int reserve_rows(struct model *m, size_t want)
{
	return vec_reserve((void **)&m->rows, &m->cap_rows, want, sizeof(*m->rows));
}

static void row_from_proc(struct proc_row *row, const struct proc_rec *p)
{
	memset(row, 0, sizeof(*row));
	row->pid = p->pid;
	row->uid = p->uid;
	row->start_time = p->start_time;
	memcpy(row->user, p->user, sizeof(row->user));
	memcpy(row->comm, p->comm, sizeof(row->comm));
	memcpy(row->container, p->container, sizeof(row->container));
	row->cmdline = p->cmdline ? p->cmdline : "";
	row->handles = p->handles;
}

static void count_live(struct proc_row *row, const struct sock_rec *rec, const struct sample *s,
		       uint32_t past, bool have_history)
{
	row->sockets++;
	if (rec->protocol == IPPROTO_TCP) {
		row->tcp++;
		if (rec->state == KTCP_ESTABLISHED)
			row->established++;
		else if (rec->state == KTCP_CLOSE_WAIT)
			row->close_wait++;
	} else {
		row->udp++;
	}
	if (pools_in_usable(&s->sys, rec->local_port))
		row->ephemeral++;
	if (have_history && rec->cookie && past == HISTORY_NONE)
		row->new_per_sec++; /* a count until finish_rows divides by the interval */
}

SEARCH_LOWER_BOUND_DEFINE(row_lower_bound, struct proc_row, pid_t, .pid)

/* The row of a history owner: its live row if the same process still runs, else a row for the exited one. */
static struct proc_row *row_for_owner(struct model *m, size_t n_live, const struct history_owner *o)
{
	size_t lo = row_lower_bound(m->rows, n_live, o->pid);  /* live rows are in pid order */

	for (size_t i = lo; i < n_live && m->rows[i].pid == o->pid; i++)
		if (m->rows[i].start_time == o->start_time)
			return &m->rows[i];
	for (size_t i = n_live; i < m->n_rows; i++)
		if (m->rows[i].pid == o->pid && m->rows[i].start_time == o->start_time)
			return &m->rows[i];
	if (reserve_rows(m, m->n_rows + 1) < 0)
		return NULL;
	struct proc_row *row = &m->rows[m->n_rows++];
	memset(row, 0, sizeof(*row));
	row->pid = o->pid;
	row->uid = o->uid;
	row->start_time = o->start_time;
	memcpy(row->user, o->user, sizeof(row->user));
	memcpy(row->comm, o->comm, sizeof(row->comm));
	memcpy(row->container, o->container, sizeof(row->container));
	row->cmdline = "";
	row->exited = true;
	row->new_per_sec = -1;
	return row;
}

/* An orphan goes to the rows of its last owners, or to the unattributed count of its state. */
static int charge_orphan(struct model *m, size_t n_live, size_t sock, const struct sample *s,
			 const struct history *h, uint32_t past)
{
	const struct sock_rec *rec = &s->socks[sock];
	const struct history_owner *owners[PROCROWS_MAX_OWNERS];
	struct history_owner born;
	size_t n = attribution_orphan_owners(h, past, s, sock, owners, PROCROWS_MAX_OWNERS, &born);

	if (n == 0) {
		m->unattributed[states_classify(rec)]++;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct proc_row *row = row_for_owner(m, n_live, owners[i]);
		if (!row)
			return -ENOMEM;
		row->orphans++;
		if (rec->state == KTCP_TIME_WAIT)
			row->time_wait++;
		if (pools_in_usable(&s->sys, rec->local_port))
			row->ephemeral++;
	}
	return 0;
}

static void finish_rows(struct model *m, size_t n_live, bool have_history)
{
	for (size_t i = 0; i < m->n_rows; i++) {
		struct proc_row *row = &m->rows[i];
		unsigned tcp_footprint = row->tcp + row->orphans;

		row->time_wait_percent = tcp_footprint ? 100.0 * row->time_wait / tcp_footprint : 0;
		if (i < n_live)
			row->new_per_sec = have_history && m->interval > 0
						   ? row->new_per_sec / m->interval : -1;
	}
}

/* Rows whose process still runs but holds nothing any more (only ghosts hold sockets) are dropped. */
static void drop_empty_rows(struct model *m)
{
	size_t out = 0;
	for (size_t i = 0; i < m->n_rows; i++)
		if (m->rows[i].sockets || m->rows[i].orphans)
			m->rows[out++] = m->rows[i];
	m->n_rows = out;
}

static int row_pid_cmp(const void *x, const void *y)
{
	const struct proc_row *a = x, *b = y;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->start_time > b->start_time) - (a->start_time < b->start_time);
}

/* Open sockets count for the processes holding them (rows[i] is procs[i] here). */
static void count_open_sockets(struct model *m, const struct sample *s, bool have_history)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		const struct owner_link *link;

		if (rec->inode == 0)
			continue;
		link = sample_sock_owner(s, i);
		if (!link && s->owners_scanned)
			m->sockets_unowned++;
		for (; sample_owner_holds(s, link, rec->inode); link++)
			count_live(&m->rows[link->proc], rec, s, m->work->past[i], have_history);
	}
}

/* Orphans go to whoever held them last; rows must be in pid order by now. */
static int count_orphans(struct model *m, size_t n_live, const struct sample *s,
			 const struct history *h)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		int err;

		if (rec->protocol == IPPROTO_TCP && rec->state == KTCP_TIME_WAIT)
			m->time_wait_total++;
		if (!attribution_is_orphan(rec))
			continue;
		err = charge_orphan(m, n_live, i, s, h, m->work->past[i]);
		if (err)
			return err;
	}
	m->time_wait_unattributed = m->unattributed[STATE_TIME_WAIT];
	return 0;
}

/* m->work->past[i]: what the history remembers of socks[i] (HISTORY_NONE without one). */
static int match_history(struct model *m, const struct sample *s, const struct history *h)
{
	if (vec_fit((void **)&m->work->past, &m->work->cap_past, s->n_socks, sizeof(*m->work->past)) < 0)
		return -ENOMEM;
	if (h)
		return history_match(h, s, m->work->past);
	for (size_t i = 0; i < s->n_socks; i++)
		m->work->past[i] = HISTORY_NONE;
	return 0;
}

struct proc_row *procrows_of_process(struct model *m, const struct probe_process *who, bool add,
				     bool *added)
{
	struct proc_row *row;

	*added = false;
	for (size_t i = 0; i < m->n_rows; i++)
		if (m->rows[i].pid == who->pid && m->rows[i].start_time == who->start_time)
			return &m->rows[i];
	if (!add || reserve_rows(m, m->n_rows + 1) < 0)
		return NULL;
	row = &m->rows[m->n_rows++];
	memset(row, 0, sizeof(*row));
	row->pid = who->pid;
	row->uid = who->uid;
	row->start_time = who->start_time;
	memcpy(row->user, who->user, sizeof(row->user));
	memcpy(row->comm, who->comm, sizeof(row->comm));
	row->cmdline = "";
	*added = true;
	return row;
}

int procrows_compute(struct model *m, const struct sample *s, const struct history *h)
{
	bool have_history = h && history_time(h) > 0;
	size_t n_live = s->n_procs;
	int err = reserve_rows(m, n_live ? n_live : 1);

	if (!err)
		err = match_history(m, s, h);
	if (err)
		return err;
	m->n_rows = n_live;
	for (size_t i = 0; i < n_live; i++)
		row_from_proc(&m->rows[i], &s->procs[i]);
	count_open_sockets(m, s, have_history);
	qsort(m->rows, n_live, sizeof(*m->rows), row_pid_cmp);
	err = count_orphans(m, n_live, s, h);
	if (err)
		return err;
	finish_rows(m, n_live, have_history);
	drop_empty_rows(m);
	return 0;
}
