/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket owners, incrementally.
 *
 * Reading a /proc/PID/fd link costs about 3 us (a third of a second for 100 000
 * sockets); stat() of /proc/PID/fd costs about 4 us per process and, since Linux 6.2,
 * gives the process's number of open fds as st_size.  So owners keeps each process's
 * fd table as last read (fd -> socket inode, or "something else") and, on each scan,
 * reads again only what can have changed:
 *
 *   - a new pid, or one whose identity changed, is read in full.  The identity is
 *     (pid, start_time: field 22 of /proc/PID/stat); /proc/PID/stat is only read when
 *     the inode number of /proc/PID/fd changed, since procfs never gives that inode
 *     to the directory of another process;
 *   - a process whose fd count changed has its fd table listed (getdents only), and
 *     the links read of new fd numbers and of every fd whose content could have been
 *     swapped unseen: all but sockets of the sample held at that one fd only (had one
 *     of those been closed, its socket would have died and left the sample);
 *   - a socket that left the sample has its fds read again in every process that
 *     held it: the number may hold a new socket now (if the fd is gone, the table is
 *     listed as above);
 *   - a socket found at an fd but not in the sample has that fd read once more at
 *     the next scan: it may have been opened after the dump and closed before the
 *     next one, never showing there;
 *   - a socket in the sample that no process is known to hold (it joined the sample
 *     unseen, or lost its last known holder) is searched for at the next scan if it
 *     is still unheld then: processes not read in full in that scan are read in full,
 *     the most recently changed first, until all are found or all were read.  Not at
 *     once: a dump of 100 000 sockets takes 0.1 s and is no snapshot, so a socket
 *     opened during it in the fd of one closed during it shows up before its
 *     predecessor leaves, and the next scan's read of that fd finds it for free,
 *     where an immediate search would read every busy process in full.  Sockets still
 *     unfound (kernel sockets, processes in other pid namespaces or not ours to read)
 *     are remembered as held by nobody and not searched for again;
 *   - processes whose fd table was not readable are tried again when their fd count
 *     changes and at every full rescan.
 *
 * So a socket opened in place of another fd, the fd count unchanged, is attributed
 * one scan late.  What the rules cannot see at all: a process that stops holding a
 * socket another process keeps alive (fork, SCM_RIGHTS), or starts holding a socket
 * already known as someone else's, while its fd count stays the same (close + open,
 * dup2).  No cheap signal shows that, so every OWNERS_FULL_EVERY-th scan reads every
 * fd table again, which makes the answer exact again.
 *
 * Kernels before 6.2 report st_size 0 (checked on /proc/self/fd, which is never
 * empty while we scan): then every fd table is listed on every scan, and the same fd
 * numbers as last time count as an unchanged fd count.  A proc_root that is not a
 * procfs (tests) is treated the same way, and there the identity check always reads
 * PID/stat.
 */
#include "owners.h"
#include "fdtable.h"
#include "util/radix.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- sorting: LSD radix, stable, skipping bytes all keys share --- */

static void *sort_space(struct owners *o, size_t bytes)
{
	if (bytes > o->sort_buf_size) {
		void *p = realloc(o->sort_buf, bytes);
		if (!p)
			return NULL;
		o->sort_buf = p;
		o->sort_buf_size = bytes;
	}
	return o->sort_buf;
}

/* Sorts n items of `size` bytes by the uint32_t at key_offset; equal keys keep their order. */
static int radix_sort(struct owners *o, void *items, size_t n, size_t size, size_t key_offset)
{
	void *tmp;

	if (n < 2)
		return 0;
	tmp = sort_space(o, n * size);
	if (!tmp)
		return -ENOMEM;
	radix_sort_u32(items, n, size, key_offset, tmp);
	return 0;
}

int owners_sort_inodes(struct owners *o, struct u32_vec *v)
{
	return radix_sort(o, v->v, v->n, sizeof(*v->v), 0);
}

static int radix_sort_links(struct owners *o, struct owner_link *links, size_t n)
{
	return radix_sort(o, links, n, sizeof(*links), offsetof(struct owner_link, inode));
}

void owners_sort_unique(struct u32_vec *v)
{
	size_t out = 0;
	for (size_t i = 0; i < v->n; i++)
		if (out == 0 || v->v[out - 1] != v->v[i])
			v->v[out++] = v->v[i];
	v->n = out;
}

/* --- setup --- */

int owners_new(struct owners **out)
{
	struct owners *o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->full_every = OWNERS_FULL_EVERY;
	o->helper_min = FDREAD_MIN_JOBS;
	o->must_read_all = true;
	*out = o;
	return 0;
}

static void clear_cache(struct owners *o)
{
	for (size_t i = 0; i < o->n_procs; i++)
		free(o->procs[i].fds);
	o->n_procs = 0;
	o->prev.n = 0;
	o->deferred_next.n = 0;
	o->n_pending_next = 0;
	held_free(&o->held);
	o->must_read_all = true;
}

void owners_free(struct owners *o)
{
	if (!o)
		return;
	clear_cache(o);
	free(o->proc_root);
	free(o->procs);
	free(o->merged);
	free(o->pids);
	free(o->only_pids);
	free(o->scratch);
	free(o->order);
	free(o->cur.v);
	free(o->prev.v);
	free(o->vanished.v);
	free(o->appeared.v);
	free(o->candidates.v);
	free(o->sort_buf);
	free(o->deferred.v);
	free(o->deferred_next.v);
	free(o->pending);
	free(o->pending_next);
	for (size_t i = 0; i < o->cap_jobs; i++)
		free(o->jobs[i].links);
	free(o->jobs);
	free(o->job_entry);
	free(o);
}

void owners_set_helper_min(struct owners *o, unsigned tables)
{
	o->helper_min = tables;
}

void owners_set_full_every(struct owners *o, unsigned scans)
{
	o->full_every = scans;
}

void owners_get_stats(const struct owners *o, struct owners_stats *out)
{
	*out = o->stats;
}

/* --- one scan --- */

/* The sample's socket inodes, sorted and unique, and how they differ from the last. */
static int collect_inodes(struct owners *o, const struct sample *s, bool full)
{
	struct u32_vec t = o->prev;
	size_t i = 0, j = 0;
	int err;

	o->prev = o->cur;
	o->cur = t;
	o->cur.n = 0;
	err = vec_reserve((void **)&o->cur.v, &o->cur.cap, s->n_socks, sizeof(*o->cur.v));
	if (err)
		return err;
	for (size_t k = 0; k < s->n_socks; k++)
		if (s->socks[k].inode)
			o->cur.v[o->cur.n++] = s->socks[k].inode;
	err = owners_sort_inodes(o, &o->cur);
	if (err)
		return err;
	owners_sort_unique(&o->cur);

	o->vanished.n = o->appeared.n = 0;
	while ((i < o->prev.n || j < o->cur.n) && !err) {
		if (j >= o->cur.n || (i < o->prev.n && o->prev.v[i] < o->cur.v[j]))
			err = vec_push(&o->vanished, o->prev.v[i++]);
		else if (i >= o->prev.n || o->cur.v[j] < o->prev.v[i]) {
			if (!full)  /* a full scan has no use for them */
				err = vec_push(&o->appeared, o->cur.v[j]);
			j++;
		} else {
			i++;
			j++;
		}
	}
	return err;
}

/*
 * proc_recs in pid order, then their owner links, sorted here by inode (then proc,
 * the order they were added in): sample_finish_owners finds them in order.
 */
static int emit(struct owners *o, struct sample *s)
{
	size_t first = s->n_owners, out;
	int err = 0;

	for (size_t i = 0; i < o->n_procs && !err; i++) {
		struct proc_entry *e = &o->procs[i];
		struct proc_rec rec = { .pid = e->pid, .start_time = e->start_time,
					.handles = e->handles, .cmdline = "" };
		size_t index = 0, k = 0;

		if (e->unreadable) {
			s->procs_unreadable++;
			continue;
		}
		while (k < e->n_fds && !(e->fds[k].inode && e->fds[k].dumped))
			k++;
		if (k == e->n_fds)
			continue;  /* holds no socket of the sample */
		err = sample_add_proc(s, &rec, &index);
		for (; k < e->n_fds && !err; k++)
			if (e->fds[k].inode && e->fds[k].dumped)
				err = sample_add_owner(s, e->fds[k].inode, (uint32_t)index);
	}
	if (!err)
		err = radix_sort_links(o, s->owners + first, s->n_owners - first);
	if (err)
		return err;
	/* the same socket on two fds of one process is one holding */
	out = first;
	for (size_t i = first; i < s->n_owners; i++) {
		const struct owner_link *l = &s->owners[i];
		if (out > first && l->inode == s->owners[out - 1].inode &&
		    l->proc == s->owners[out - 1].proc)
			continue;
		s->owners[out++] = *l;
	}
	s->n_owners = out;
	sample_finish_owners(s);
	return 0;
}

/* What the last scan queued is this scan's to check (a full scan checks everything). */
static void take_queues(struct owners *o, bool full)
{
	struct pending *p = o->pending;
	struct u32_vec d = o->deferred;
	size_t cap = o->cap_pending;

	o->pending = o->pending_next;
	o->cap_pending = o->cap_pending_next;
	o->n_pending = full ? 0 : o->n_pending_next;
	o->pending_next = p;
	o->cap_pending_next = cap;
	o->n_pending_next = 0;
	o->deferred = o->deferred_next;
	if (full)
		o->deferred.n = 0;
	o->deferred_next = d;
	o->deferred_next.n = 0;
}

static int scan(struct owners *o, int proc_fd, struct sample *s)
{
	bool full = o->must_read_all ||
		    (o->full_every && (o->stats.scans - 1) % o->full_every == 0);
	bool track = !full;  /* a full reading finds everything: no candidates to keep */
	int err;

	take_queues(o, full);
	o->self = getpid();
	o->stats.full = full;
	if (full)
		fdtable_detect_fd_counts(o, proc_fd);
	o->candidates.n = 0;
	err = collect_inodes(o, s, full);
	if (!err)
		err = owners_merge_procs(o, proc_fd, full, track);
	if (!err)
		owners_mark_vanished(o);
	if (!err)
		err = owners_recheck_last_scan(o);
	if (!err)
		err = owners_mark_appeared(o, track);
	if (!err)
		err = owners_plan_jobs(o, proc_fd);
	for (size_t i = 0; i < o->n_procs && !err; i++)
		if (o->procs[i].pid != o->self)
			err = fdtable_pass(o, proc_fd, &o->procs[i], track);
	owners_finish_jobs(o);
	/* our own table last: the helper's open directories are not ours to count */
	for (size_t i = 0; i < o->n_procs && !err; i++)
		if (o->procs[i].pid == o->self)
			err = fdtable_pass(o, proc_fd, &o->procs[i], track);
	if (!err)
		err = full ? owners_mark_orphans(o) : owners_search_unknown(o, proc_fd);
	if (!err)
		err = emit(o, s);
	if (!err && o->held.cap > 4096 && o->held.count * 8 < o->held.cap)
		err = held_resize(&o->held, o->held.cap / 2);  /* stay bounded after a peak */
	return err;
}

int owners_only_pids(struct owners *o, const pid_t *pids, size_t n)
{
	o->only = pids != NULL;
	o->n_only = 0;
	if (!pids)
		return 0;
	if (vec_reserve((void **)&o->only_pids, &o->cap_only, n ? n : 1, sizeof(*pids)) < 0)
		return -ENOMEM;
	memcpy(o->only_pids, pids, n * sizeof(*pids));
	o->n_only = n;
	return 0;
}

int owners_scan(struct owners *o, const char *proc_root, struct sample *s)
{
	int proc_fd, err;

	if (!o->proc_root || strcmp(o->proc_root, proc_root) != 0) {
		char *copy = strdup(proc_root);
		if (!copy)
			return -ENOMEM;
		free(o->proc_root);
		o->proc_root = copy;
		clear_cache(o);
	}
	proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd < 0)
		return -errno;
	o->stats = (struct owners_stats){ .scans = o->stats.scans + 1, .fd_counts = o->fd_counts };
	err = scan(o, proc_fd, s);
	close(proc_fd);
	if (err) {
		clear_cache(o);  /* start over with a full reading */
		return err;
	}
	o->must_read_all = false;
	o->stats.orphans = (unsigned)o->held.markers;
	return 0;
}
