/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which fds and processes a scan reads for the sockets themselves: holders of a
 * socket that left the sample read that fd again, sockets that joined it count
 * where they are held, and sockets nobody is known to hold are searched for one
 * scan later (the rules are at the top of owners.c).
 */
#include "fdtable.h"

#include <errno.h>
#include <stdlib.h>

/* Every holder of a socket that left the sample reads that fd again. */
void owners_mark_vanished(struct owners *o)
{
	struct holder h[16];

	for (size_t v = 0; v < o->vanished.n; v++) {
		uint32_t inode = o->vanished.v[v];
		size_t n = held_list(&o->held, inode, h, 16);

		for (size_t k = 0; k < n && k < 16; k++) {
			struct proc_entry *e = h[k].pid ? fdtable_find_entry(o, h[k].pid) : NULL;
			struct fd_ent *f = e ? fdtable_find_fd(e, h[k].fd) : NULL;
			if (f && f->inode == inode) {
				f->suspect = 1;
				f->dumped = 0;
				if (e->todo < PLAN_TARGETED)
					e->todo = PLAN_TARGETED;
			}
		}
		if (n > 16) {
			/* many holders (a forked listener): find them all through their tables */
			for (size_t p = 0; p < o->n_procs; p++) {
				struct proc_entry *e = &o->procs[p];
				for (size_t k = 0; k < e->n_fds; k++)
					if (e->fds[k].inode == inode) {
						e->fds[k].suspect = 1;
						e->fds[k].dumped = 0;
						if (e->todo < PLAN_TARGETED)
							e->todo = PLAN_TARGETED;
					}
			}
		}
		held_remove(&o->held, inode, 0, -1);  /* the "nobody" marker goes with it */
	}
}

/*
 * What the last scan left to check: fds that held a socket outside the sample are
 * read again, and sockets that lost their last holder and are still in the sample
 * are searched for.
 */
int owners_recheck_last_scan(struct owners *o)
{
	int err = 0;

	for (size_t i = 0; i < o->n_pending; i++) {
		const struct pending *p = &o->pending[i];
		struct proc_entry *e;
		struct fd_ent *f;

		if (in_sorted(&o->cur, p->inode))
			continue;  /* it joined the sample: mark_appeared counts it */
		e = fdtable_find_entry(o, p->pid);
		f = e ? fdtable_find_fd(e, p->fd) : NULL;
		if (f && f->inode == p->inode) {
			f->suspect = 1;
			if (e->todo < PLAN_TARGETED)
				e->todo = PLAN_TARGETED;
		}
	}
	for (size_t i = 0; i < o->deferred.n && !err; i++) {
		uint32_t inode = o->deferred.v[i];
		if (in_sorted(&o->cur, inode) && held_state(&o->held, inode) == 0)
			err = vec_push(&o->candidates, inode);
	}
	return err;
}

/*
 * Sockets that joined the sample: held ones now count; the others are searched for at
 * the next scan if nothing found them by then.  A dump of 100 000 sockets takes 0.1 s
 * and is no snapshot: a socket opened during it in the fd of one closed during it can
 * show up before its predecessor leaves, and the next scan's targeted read of that fd
 * finds it for free, where searching now would read every busy process in full.
 */
int owners_mark_appeared(struct owners *o, bool track)
{
	struct holder h[16];
	int err = 0;

	for (size_t a = 0; a < o->appeared.n && !err; a++) {
		uint32_t inode = o->appeared.v[a];
		size_t n = held_list(&o->held, inode, h, 16);
		if (n == 0) {
			if (track)
				err = vec_push(&o->deferred_next, inode);
			continue;
		}
		if (n > 16) {
			for (size_t p = 0; p < o->n_procs; p++)
				for (size_t k = 0; k < o->procs[p].n_fds; k++)
					if (o->procs[p].fds[k].inode == inode)
						o->procs[p].fds[k].dumped = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			struct proc_entry *e = h[k].pid ? fdtable_find_entry(o, h[k].pid) : NULL;
			struct fd_ent *f = e ? fdtable_find_fd(e, h[k].fd) : NULL;
			if (f && f->inode == inode)
				f->dumped = 1;
		}
	}
	return err;
}

/* Keeps the candidates nobody holds (not even the "nobody visible" marker). */
static void filter_unknown(struct owners *o)
{
	size_t out = 0;
	for (size_t i = 0; i < o->candidates.n; i++)
		if (held_state(&o->held, o->candidates.v[i]) == 0)
			o->candidates.v[out++] = o->candidates.v[i];
	o->candidates.n = out;
}

static int search_cmp(const void *a, const void *b)
{
	const struct search_key *x = a, *y = b;
	if (x->touched != y->touched)
		return x->touched ? -1 : 1;  /* touched in this scan first */
	if (x->last_change != y->last_change)
		return x->last_change > y->last_change ? -1 : 1;
	return (x->pid < y->pid) - (x->pid > y->pid);  /* then the newest */
}

/*
 * Sockets of the sample nobody is known to hold: read the processes not read in full
 * yet until they are all found.  What stays unfound is marked as held by nobody.
 */
int owners_search_unknown(struct owners *o, int proc_fd)
{
	size_t n = 0;
	int err;

	err = owners_sort_inodes(o, &o->candidates);
	if (err)
		return err;
	owners_sort_unique(&o->candidates);
	filter_unknown(o);
	if (o->candidates.n) {
		err = vec_reserve((void **)&o->order, &o->cap_order, o->n_procs, sizeof(*o->order));
		if (err)
			return err;
		for (size_t i = 0; i < o->n_procs; i++) {
			const struct proc_entry *e = &o->procs[i];
			if (e->done != PLAN_READ)
				o->order[n++] = (struct search_key){ e->done != PLAN_KEEP,
								     e->last_change, e->pid, i };
		}
		qsort(o->order, n, sizeof(*o->order), search_cmp);
		for (size_t k = 0; k < n && o->candidates.n; k++) {
			struct proc_entry *e = &o->procs[o->order[k].index];
			bool gained;
			e->todo = PLAN_READ;
			e->done = PLAN_READ;
			o->stats.procs_searched++;
			o->stats.procs_read++;
			err = fdtable_read(o, proc_fd, e, true, true, NULL, &gained);
			if (err == -ENOENT) {
				err = fdtable_release_all(o, e, true);  /* dropped at the next merge */
				e->handles = 0;
			}
			if (err)
				return err;
			if (gained)
				filter_unknown(o);
		}
	}
	for (size_t i = 0; i < o->candidates.n; i++) {
		err = held_insert(&o->held, o->candidates.v[i], 0, -1);
		if (err)
			return err;
	}
	o->candidates.n = 0;
	return 0;
}

/* After a full reading: every sample socket without a holder is held by nobody visible. */
int owners_mark_orphans(struct owners *o)
{
	int err = 0;
	for (size_t i = 0; i < o->cur.n && !err; i++)
		if (held_state(&o->held, o->cur.v[i]) == 0)
			err = held_insert(&o->held, o->cur.v[i], 0, -1);
	return err;
}
