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

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int sort_inodes(struct owners *o, struct u32_vec *v)
{
	return radix_sort(o, v->v, v->n, sizeof(*v->v), 0);
}

static int radix_sort_links(struct owners *o, struct owner_link *links, size_t n)
{
	return radix_sort(o, links, n, sizeof(*links), offsetof(struct owner_link, inode));
}

static void sort_unique(struct u32_vec *v)
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

/* --- the helper thread (fdread.c) --- */

/* On the helper thread, for a listed job the scan has not reached: the links
 * read_fds will want, as far as e's own cache tells (whether another process
 * shares a socket is the scan's to check: it reads those itself). */
static void choose_links(void *ctx, size_t job, struct fdread_link *links, size_t n)
{
	const struct owners *o = ctx;
	const struct proc_entry *e = &o->procs[o->job_entry[job]];
	bool same = e->todo != PLAN_READ && n == e->n_fds;
	size_t k = 0;

	for (size_t i = 0; same && i < n; i++)
		same = links[i].fd == e->fds[i].fd;
	for (size_t i = 0; i < n; i++) {
		const struct fd_ent *known = NULL;

		if (e->todo != PLAN_READ) {
			while (k < e->n_fds && e->fds[k].fd < links[i].fd)
				k++;
			if (k < e->n_fds && e->fds[k].fd == links[i].fd)
				known = &e->fds[k];
		}
		if (!known || known->suspect ||
		    (!same && (!known->inode || !in_sorted(&o->cur, known->inode))))
			links[i].r = FDREAD_WANTED;
	}
}

static int add_job(struct owners *o, size_t entry)
{
	struct proc_entry *e = &o->procs[entry];
	struct fdread_job *j;
	size_t cap = o->cap_jobs;
	int err = vec_reserve((void **)&o->jobs, &o->cap_jobs, o->n_jobs + 1, sizeof(*o->jobs));

	if (!err)
		err = vec_reserve((void **)&o->job_entry, &o->cap_job_entry, o->n_jobs + 1,
			      sizeof(*o->job_entry));
	if (err)
		return err;
	if (o->cap_jobs > cap)  /* new slots own no links buffer yet */
		memset(o->jobs + cap, 0, (o->cap_jobs - cap) * sizeof(*o->jobs));
	j = &o->jobs[o->n_jobs];
	j->pid = e->pid;
	j->list = e->todo != PLAN_TARGETED;
	j->open_err = 0;
	j->listed = 0;
	j->n_links = 0;
	for (size_t i = 0; !j->list && i < e->n_fds; i++) {
		if (!e->fds[i].suspect)
			continue;
		err = vec_reserve((void **)&j->links, &j->cap_links, j->n_links + 1, sizeof(*j->links));
		if (err)
			return err;
		j->links[j->n_links++] = (struct fdread_link){ e->fds[i].fd, FDREAD_UNREAD, 0 };
	}
	o->job_entry[o->n_jobs] = entry;
	e->job = o->n_jobs++;
	return 0;
}

/* Every fd table this pass reads becomes a job; with enough of them, the helper starts. */
static int plan_jobs(struct owners *o, int proc_fd)
{
	int err = 0;

	o->n_jobs = 0;
	o->reader = NULL;
	for (size_t i = 0; i < o->n_procs; i++)
		o->procs[i].job = NO_JOB;
	for (size_t i = 0; i < o->n_procs && !err; i++) {
		const struct proc_entry *e = &o->procs[i];
		if (e->todo != PLAN_KEEP && e->pid != o->self)
			err = add_job(o, i);
	}
	if (err || o->helper_min == 0 || o->n_jobs < o->helper_min) {
		for (size_t i = 0; i < o->n_procs; i++)
			o->procs[i].job = NO_JOB;
		return err;
	}
	fdread_start(&o->reader, proc_fd, o->jobs, o->n_jobs, choose_links, o);
	return 0;
}

static void finish_jobs(struct owners *o)
{
	fdread_finish(o->reader, &o->stats.procs_by_helper, &o->stats.links_read);
	o->reader = NULL;
	for (size_t i = 0; i < o->n_procs; i++)
		o->procs[i].job = NO_JOB;
	for (size_t i = 0; i < o->n_jobs; i++) {  /* a full scan's listings are big */
		free(o->jobs[i].links);
		o->jobs[i].links = NULL;
		o->jobs[i].cap_links = 0;
	}
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
	err = sort_inodes(o, &o->cur);
	if (err)
		return err;
	sort_unique(&o->cur);

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

static int list_pids(struct owners *o, int proc_fd)
{
	int fd = dup(proc_fd);
	struct dirent *de;
	bool sorted = true;
	DIR *dir;
	int err = 0;

	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	o->n_pids = 0;
	while ((de = readdir(dir)) != NULL) {
		long pid = fdread_parse_number(de->d_name);
		if (pid <= 0)
			continue;
		err = vec_reserve((void **)&o->pids, &o->cap_pids, o->n_pids + 1, sizeof(*o->pids));
		if (err)
			break;
		if (o->n_pids && o->pids[o->n_pids - 1] >= pid)
			sorted = false;
		o->pids[o->n_pids++] = (pid_t)pid;
	}
	closedir(dir);
	if (!err && !sorted) {
		size_t out = 0;
		for (size_t i = 1; i < o->n_pids; i++)  /* insertion sort: /proc is nearly sorted */
			for (size_t k = i; k > 0 && o->pids[k - 1] > o->pids[k]; k--) {
				pid_t t = o->pids[k];
				o->pids[k] = o->pids[k - 1];
				o->pids[k - 1] = t;
			}
		for (size_t i = 0; i < o->n_pids; i++)
			if (out == 0 || o->pids[out - 1] != o->pids[i])
				o->pids[out++] = o->pids[i];
		o->n_pids = out;
	}
	return err;
}

/*
 * Decides, from one stat() of PID/fd, what this scan does with a listed process.
 * -ENOENT: it is gone.
 */
static int check_entry(struct owners *o, int proc_fd, struct proc_entry *e, bool is_new,
		       bool full, bool track)
{
	char path[32];
	struct stat st;
	int err;

	e->todo = PLAN_KEEP;
	e->done = PLAN_KEEP;
	snprintf(path, sizeof(path), "%d/fd", (int)e->pid);
	if (fstatat(proc_fd, path, &st, 0) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return -ENOENT;
		e->todo = PLAN_READ;  /* let the reading tell */
		return 0;
	}
	if (is_new || !o->procfs || (unsigned long long)st.st_ino != e->fd_ino) {
		unsigned long long start = 0;
		err = fdtable_start_time(proc_fd, e->pid, &start);
		if (err)
			return err;
		if (is_new || start != e->start_time) {
			err = fdtable_release_all(o, e, track);  /* another process under the same pid */
			if (err)
				return err;
			e->start_time = start;
			e->fd_count = -1;
			e->todo = PLAN_READ;
		}
	}
	e->fd_ino = (unsigned long long)st.st_ino;
	if (full)
		e->todo = PLAN_READ;
	else if (e->todo == PLAN_KEEP && (!o->fd_counts || st.st_size != e->fd_count))
		e->todo = e->unreadable ? PLAN_READ : PLAN_LIST;
	e->fd_count = (long long)st.st_size;
	return 0;
}

/* Lists /proc and merges it with the cache: new pids in, gone pids out. */
static int merge_procs(struct owners *o, int proc_fd, bool full, bool track)
{
	size_t i = 0, n = 0;
	int err = list_pids(o, proc_fd);

	if (!err)
		err = vec_reserve((void **)&o->merged, &o->cap_merged, o->n_pids, sizeof(*o->merged));
	if (err)
		return err;
	for (size_t p = 0; p < o->n_pids && !err; p++) {
		pid_t pid = o->pids[p];
		struct proc_entry e;
		bool is_new;

		while (i < o->n_procs && o->procs[i].pid < pid) {
			err = fdtable_release_all(o, &o->procs[i], track);  /* exited */
			free(o->procs[i++].fds);
		}
		if (err)
			break;
		is_new = !(i < o->n_procs && o->procs[i].pid == pid);
		if (is_new) {
			memset(&e, 0, sizeof(e));
			e.pid = pid;
		} else {
			e = o->procs[i++];
		}
		err = check_entry(o, proc_fd, &e, is_new, full, track);
		if (err == -ENOENT) {
			err = fdtable_release_all(o, &e, track);
			free(e.fds);
			continue;
		}
		o->merged[n++] = e;
		if (err)
			break;
	}
	for (; i < o->n_procs; i++) {
		if (!err)
			err = fdtable_release_all(o, &o->procs[i], track);
		free(o->procs[i].fds);
	}
	/* the merged list becomes the cache, even after an error: nothing leaks */
	struct proc_entry *t = o->procs;
	size_t cap = o->cap_procs;
	o->procs = o->merged;
	o->cap_procs = o->cap_merged;
	o->n_procs = n;
	o->merged = t;
	o->cap_merged = cap;
	o->stats.procs_listed = (unsigned)n;
	return err;
}

/* Every holder of a socket that left the sample reads that fd again. */
static void mark_vanished(struct owners *o)
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
static int recheck_last_scan(struct owners *o)
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
static int mark_appeared(struct owners *o, bool track)
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
static int search_unknown(struct owners *o, int proc_fd)
{
	size_t n = 0;
	int err;

	err = sort_inodes(o, &o->candidates);
	if (err)
		return err;
	sort_unique(&o->candidates);
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
static int mark_orphans(struct owners *o)
{
	int err = 0;
	for (size_t i = 0; i < o->cur.n && !err; i++)
		if (held_state(&o->held, o->cur.v[i]) == 0)
			err = held_insert(&o->held, o->cur.v[i], 0, -1);
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
		err = merge_procs(o, proc_fd, full, track);
	if (!err)
		mark_vanished(o);
	if (!err)
		err = recheck_last_scan(o);
	if (!err)
		err = mark_appeared(o, track);
	if (!err)
		err = plan_jobs(o, proc_fd);
	for (size_t i = 0; i < o->n_procs && !err; i++)
		if (o->procs[i].pid != o->self)
			err = fdtable_pass(o, proc_fd, &o->procs[i], track);
	finish_jobs(o);
	/* our own table last: the helper's open directories are not ours to count */
	for (size_t i = 0; i < o->n_procs && !err; i++)
		if (o->procs[i].pid == o->self)
			err = fdtable_pass(o, proc_fd, &o->procs[i], track);
	if (!err)
		err = full ? mark_orphans(o) : search_unknown(o, proc_fd);
	if (!err)
		err = emit(o, s);
	if (!err && o->held.cap > 4096 && o->held.count * 8 < o->held.cap)
		err = held_resize(&o->held, o->held.cap / 2);  /* stay bounded after a peak */
	return err;
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
