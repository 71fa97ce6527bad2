/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading /proc/PID/fd tables into the owner scan's cache (fdtable.h): listing a
 * table, reading the links the cache cannot vouch for, and committing what was
 * read to the cache and the holder table.  owners.c decides what each scan reads.
 */
#include "fdtable.h"
#include "procstat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* --- reading /proc --- */

/* fdread_read_link, counted. */
static int read_fd_link(struct owners *o, int dir_fd, const char *name, uint32_t *inode)
{
	o->stats.links_read++;
	return fdread_read_link(dir_fd, name, inode);
}

/* Field 22 of /proc/PID/stat; 0 when unreadable, -ENOENT when the process is gone. */
int fdtable_start_time(int proc_fd, pid_t pid, unsigned long long *out)
{
	char path[32];
	int err;

	snprintf(path, sizeof(path), "%d/stat", (int)pid);
	err = procstat_start_time(proc_fd, path, out);
	if (err == -ESRCH)
		return -ENOENT;
	if (err)
		*out = 0;  /* unreadable: the process is kept, without an identity */
	return 0;
}

/* Linux >= 6.2 reports the number of open fds as the size of /proc/PID/fd. */
void fdtable_detect_fd_counts(struct owners *o, int proc_fd)
{
	struct statfs sfs;
	struct stat st;

	o->procfs = fstatfs(proc_fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
	/* proc_fd itself is open, so a kernel that counts says at least 1 */
	o->fd_counts = o->procfs && fstatat(proc_fd, "self/fd", &st, 0) == 0 && st.st_size > 0;
	o->stats.fd_counts = o->fd_counts;
}

/* --- per-process bookkeeping --- */

SEARCH_LOWER_BOUND_DEFINE(entry_lower_bound, struct proc_entry, pid_t, .pid)
SEARCH_LOWER_BOUND_DEFINE(fd_lower_bound, struct fd_ent, int, .fd)

struct proc_entry *fdtable_find_entry(struct owners *o, pid_t pid)
{
	size_t lo = entry_lower_bound(o->procs, o->n_procs, pid);

	return lo < o->n_procs && o->procs[lo].pid == pid ? &o->procs[lo] : NULL;
}

struct fd_ent *fdtable_find_fd(struct proc_entry *e, int fd)
{
	size_t lo = fd_lower_bound(e->fds, e->n_fds, fd);

	return lo < e->n_fds && e->fds[lo].fd == fd ? &e->fds[lo] : NULL;
}

/*
 * pid stops holding inode at fd.  A sample socket left without any holder is searched
 * for at the next scan if it is still in the sample then: most often it was closed
 * after the dump and before its fd was read, and will be gone.  (A socket that moved
 * to another process is found there anyway when that process's fd count changes.)
 */
static int release(struct owners *o, uint32_t inode, pid_t pid, int fd, bool track)
{
	held_remove(&o->held, inode, pid, fd);
	if (track && in_sorted(&o->cur, inode) && held_state(&o->held, inode) == 0)
		return vec_push(&o->deferred_next, inode);
	return 0;
}

/*
 * A socket read at an fd but not in the sample may have been opened after the dump
 * and closed again before the next one, never showing there: its fd is read again at
 * the next scan (once: a socket that is still there and still not in the sample is
 * one of another kind or namespace).  After a full scan that is every unix socket of
 * the system, read once more; cheaper than the searches the race would cause: under
 * churn, sockets opened during a full scan's 0.4 s are many.
 */
static int add_pending(struct owners *o, pid_t pid, int fd, uint32_t inode)
{
	int err = vec_reserve((void **)&o->pending_next, &o->cap_pending_next, o->n_pending_next + 1,
			  sizeof(*o->pending_next));
	if (!err)
		o->pending_next[o->n_pending_next++] = (struct pending){ pid, fd, inode };
	return err;
}

int fdtable_release_all(struct owners *o, struct proc_entry *e, bool track)
{
	int err = 0;
	for (size_t i = 0; i < e->n_fds && !err; i++)
		if (e->fds[i].inode)
			err = release(o, e->fds[i].inode, e->pid, e->fds[i].fd, track);
	e->n_fds = 0;
	return err;
}

/*
 * Makes o->scratch (sorted by fd) e's fd table, updating the holder table for the fds
 * that differ.  *gained: a socket of the sample was found in e.
 */
static int commit_fds(struct owners *o, struct proc_entry *e, bool track, bool *gained)
{
	struct fd_ent *old = e->fds, *nw = o->scratch;
	size_t i = 0, j = 0, n_old = e->n_fds, n_new = o->n_scratch;
	bool changed = false;
	int err = 0;

	*gained = false;
	while ((i < n_old || j < n_new) && !err) {
		uint32_t was = 0, is = 0;
		int fd;
		if (j >= n_new || (i < n_old && old[i].fd < nw[j].fd)) {
			fd = old[i].fd;
			was = old[i++].inode;
		} else if (i >= n_old || nw[j].fd < old[i].fd) {
			fd = nw[j].fd;
			is = nw[j++].inode;
		} else {
			fd = nw[j].fd;
			was = old[i++].inode;
			is = nw[j++].inode;
		}
		if (was == is)
			continue;
		changed = true;
		if (was)
			err = release(o, was, e->pid, fd, track);
		if (is && !err) {
			err = held_insert(&o->held, is, e->pid, fd);
			if (in_sorted(&o->cur, is))
				*gained = true;
			else if (!err && nw[j - 1].fresh)
				err = add_pending(o, e->pid, fd, is);
		}
	}
	if (err)
		return err;
	if (e->cap_fds < n_new || o->cap_scratch <= 2 * n_new + 64) {
		/* swap buffers: the old table becomes the next scratch */
		size_t cap = e->cap_fds;
		e->fds = nw;
		o->scratch = old;
		e->cap_fds = o->cap_scratch;
		o->cap_scratch = cap;
	} else if (n_new) {
		/* a small table keeps its own buffer: big ones do not spread */
		memcpy(old, nw, n_new * sizeof(*nw));
	}
	e->n_fds = n_new;
	o->n_scratch = 0;
	if (changed)
		e->last_change = o->stats.scans;
	return 0;
}

static int scratch_push(struct owners *o, int fd, uint32_t inode, bool fresh)
{
	int err = vec_reserve((void **)&o->scratch, &o->cap_scratch, o->n_scratch + 1,
			  sizeof(*o->scratch));
	if (err)
		return err;
	o->scratch[o->n_scratch++] = (struct fd_ent){
		.fd = fd, .inode = inode, .dumped = inode && in_sorted(&o->cur, inode), .fresh = fresh,
	};
	return 0;
}

static int fd_cmp(const void *a, const void *b)
{
	const struct fd_ent *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/*
 * Whether a listing may take an fd's content from the cache without reading its link:
 * only for a socket of the sample that no other fd, of this process or another, holds.
 * Had that fd been closed, its socket would have died and left the sample (suspect);
 * any other content (a file, a socket outside the sample or shared) could have been
 * swapped without a sign while other fds opened and closed around it.
 */
static bool trusted(const struct owners *o, const struct fd_ent *f)
{
	struct holder h[2];
	return !f->suspect && f->inode && in_sorted(&o->cur, f->inode) &&
	       held_list(&o->held, f->inode, h, 2) == 1;
}

/* f's link: the helper's reading when it made one, else read now (through dir_fd
 * when the table is open, else by path).  As read_fd_link. */
static int link_of(struct owners *o, int proc_fd, int dir_fd, pid_t pid,
		   const struct fdread_job *job, size_t *at, int fd, uint32_t *inode)
{
	char name[48];

	if (job) {
		while (*at < job->n_links && job->links[*at].fd < fd)
			(*at)++;
		if (*at < job->n_links && job->links[*at].fd == fd &&
		    job->links[*at].r != FDREAD_UNREAD) {
			*inode = job->links[*at].inode;
			return job->links[*at].r;
		}
	}
	if (dir_fd >= 0) {
		snprintf(name, sizeof(name), "%d", fd);
		return read_fd_link(o, dir_fd, name, inode);
	}
	snprintf(name, sizeof(name), "%d/fd/%d", (int)pid, fd);
	return read_fd_link(o, proc_fd, name, inode);
}

struct list_ctx {
	struct owners *o;
	pid_t pid;
	int proc_fd;
	uint32_t handles;
	bool sorted;
};

static int list_add(void *arg, int fd, int dir_fd)
{
	struct list_ctx *c = arg;
	struct owners *o = c->o;

	c->handles++;
	if (c->pid == o->self && (fd == c->proc_fd || fd == dir_fd))
		return 0;  /* our own scanning fds: their numbers are anyone's next scan */
	if (o->n_scratch && o->scratch[o->n_scratch - 1].fd > fd)
		c->sorted = false;
	return scratch_push(o, fd, 0, false);
}

/*
 * e's fd numbers into o->scratch, by fd, and how many there are: the helper's
 * listing, or PID/fd listed now (*dir stays open for the link reads).
 * -ENOENT: gone; -EACCES/-EPERM: not ours to read.
 */
static int list_fds(struct owners *o, int proc_fd, struct proc_entry *e,
		    const struct fdread_job *job, DIR **dir, uint32_t *handles)
{
	struct list_ctx ctx = { .o = o, .pid = e->pid, .proc_fd = proc_fd, .sorted = true };
	int err = 0;

	o->n_scratch = 0;
	*handles = 0;
	*dir = NULL;
	if (job) {
		if (job->open_err)
			return job->open_err == -EACCES || job->open_err == -EPERM ? job->open_err : -ENOENT;
		for (size_t i = 0; i < job->n_links && !err; i++)
			err = scratch_push(o, job->links[i].fd, 0, false);
		*handles = job->listed;
		return err;
	}
	err = fdread_list_dir(proc_fd, e->pid, dir, list_add, &ctx);
	/* One process's table that cannot be listed must not fail the whole scan: a
	 * process exiting under us is the usual reason, so it counts as gone. */
	if (!*dir)
		return err == -EACCES || err == -EPERM ? err : -ENOENT;
	*handles = ctx.handles;
	if (!err && !ctx.sorted)
		qsort(o->scratch, o->n_scratch, sizeof(*o->scratch), fd_cmp);
	return err;
}

/*
 * Lists e's fd table and reads the links of every fd (all = true) or only of those
 * not known from the last reading or not trusted (see trusted()).  job: what the
 * helper read of it, or NULL.  -ENOENT: the process is gone.  An fd table not ours
 * to read marks e unreadable.
 */
int fdtable_read(struct owners *o, int proc_fd, struct proc_entry *e, bool all, bool track,
		    const struct fdread_job *job, bool *gained)
{
	int denied = 0, err;
	uint32_t handles = 0;
	bool found = false, same = !all;
	size_t k = 0, out = 0, at = 0;
	DIR *dir = NULL;

	*gained = false;
	err = list_fds(o, proc_fd, e, job, &dir, &handles);
	if (err && !dir && (err == -ENOENT || err == -EACCES || err == -EPERM))
		goto unreadable;
	/* the same fd numbers as last time: as good as an unchanged fd count */
	same = same && !err && o->n_scratch == e->n_fds;
	for (size_t i = 0; same && i < e->n_fds; i++)
		same = o->scratch[i].fd == e->fds[i].fd;

	/* then the content: from the cache where it can be trusted, else the link */
	for (size_t i = 0; i < o->n_scratch && !err; i++) {
		struct fd_ent *f = &o->scratch[i];
		const struct fd_ent *known = NULL;
		uint32_t inode = 0;

		if (!all) {
			while (k < e->n_fds && e->fds[k].fd < f->fd)
				k++;
			if (k < e->n_fds && e->fds[k].fd == f->fd)
				known = &e->fds[k];
		}
		if (known && (same ? !known->suspect : trusted(o, known))) {
			inode = known->inode;
		} else {
			int r = link_of(o, proc_fd, dir ? dirfd(dir) : -1, e->pid, job, &at, f->fd,
					&inode);
			if (r == -EACCES || r == -EPERM)
				denied = r;
			if (r < 0)
				continue;  /* closed meanwhile, or not ours: left out */
			if (r == 0)
				inode = 0;
			f->fresh = 1;
		}
		f->inode = inode;
		f->dumped = inode && in_sorted(&o->cur, inode);
		found = found || f->dumped;
		o->scratch[out++] = *f;
	}
	o->n_scratch = out;
	if (dir)
		closedir(dir);
	if (err)
		return err;
	e->handles = handles;
	/* the table changed between stat() and the listing: list it again next scan */
	if (o->fd_counts && (long long)handles != e->fd_count + (e->pid == o->self))
		e->fd_count = -1;
	if (!found && denied) {
		err = denied;
		goto unreadable;
	}
	e->unreadable = false;
	return commit_fds(o, e, track, gained);

unreadable:
	if (err == -EACCES || err == -EPERM) {
		e->unreadable = true;
		e->handles = 0;
		return fdtable_release_all(o, e, track);
	}
	return err;
}

/*
 * Reads again only the fds whose socket left the sample.  -EAGAIN when one of them
 * is gone: the fd count is the same, so something else was opened, and the caller
 * lists the whole table.
 */
static int read_suspects(struct owners *o, int proc_fd, struct proc_entry *e,
			 const struct fdread_job *job, bool *gained)
{
	bool changed = false;
	size_t at = 0;
	int err = 0;

	*gained = false;
	for (size_t i = 0; i < e->n_fds && !err; i++) {
		struct fd_ent *f = &e->fds[i];
		uint32_t inode = 0;
		int r;

		if (!f->suspect)
			continue;
		r = link_of(o, proc_fd, -1, e->pid, job, &at, f->fd, &inode);
		if (r < 0)
			return -EAGAIN;
		f->suspect = 0;
		if (r == 0)
			inode = 0;
		if (inode == f->inode) {
			f->dumped = inode && in_sorted(&o->cur, inode);
			continue;
		}
		changed = true;
		if (f->inode)
			err = release(o, f->inode, e->pid, f->fd, true);
		f->inode = inode;
		f->dumped = inode && in_sorted(&o->cur, inode);
		if (inode && !err) {
			err = held_insert(&o->held, inode, e->pid, f->fd);
			if (f->dumped)
				*gained = true;
			else if (!err)
				err = add_pending(o, e->pid, f->fd, inode);
		}
	}
	if (changed)
		e->last_change = o->stats.scans;
	return err;
}

/* Brings e up to date at the level its todo asks; -ENOENT when the process is gone. */
static int update_entry(struct owners *o, int proc_fd, struct proc_entry *e, bool track,
			bool *gained)
{
	const struct fdread_job *job = NULL;
	int err;

	*gained = false;
	if (e->job != NO_JOB)
		job = fdread_claim(o->reader, e->job);
	e->job = NO_JOB;
	if (e->todo == PLAN_KEEP)
		return 0;
	if (e->todo == PLAN_TARGETED) {
		err = read_suspects(o, proc_fd, e, job, gained);
		job = NULL;  /* a suspect's fd was gone: the table is listed now, not from the helper */
		if (err != -EAGAIN) {
			e->done = PLAN_TARGETED;
			o->stats.procs_targeted++;
			return err;
		}
		e->todo = PLAN_LIST;
	}
	e->done = e->todo;
	if (e->todo == PLAN_LIST)
		o->stats.procs_listed_fds++;
	else
		o->stats.procs_read++;
	return fdtable_read(o, proc_fd, e, e->todo == PLAN_READ, track, job, gained);
}

/* One process's part of a scan's pass. */
int fdtable_pass(struct owners *o, int proc_fd, struct proc_entry *e, bool track)
{
	bool gained;
	int err = update_entry(o, proc_fd, e, track, &gained);

	if (err == -ENOENT) {
		err = fdtable_release_all(o, e, track);  /* gone: dropped at the next merge */
		e->handles = 0;
		e->unreadable = false;
	}
	if (e->done == PLAN_KEEP)
		o->stats.procs_kept++;
	return err;
}
