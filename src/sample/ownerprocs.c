/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which processes a scan reads, and how much of each: /proc listed and merged with
 * the cache (new pids in, exited ones out), and for each process one stat() of
 * PID/fd deciding between keeping its table, listing it and reading it in full
 * (the rules are at the top of owners.c).
 */
#include "fdtable.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/search.h"

SEARCH_LOWER_BOUND_DEFINE(pid_lower_bound, pid_t, pid_t, )

/* The listed pids that owners_only_pids asked for (its list is ascending). */
static void keep_only(struct owners *o)
{
	size_t out = 0;

	for (size_t i = 0; i < o->n_pids; i++) {
		size_t lo = pid_lower_bound(o->only_pids, o->n_only, o->pids[i]);
		if (lo < o->n_only && o->only_pids[lo] == o->pids[i])
			o->pids[out++] = o->pids[i];
	}
	o->n_pids = out;
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
	if (!err && o->only)
		keep_only(o);
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
int owners_merge_procs(struct owners *o, int proc_fd, bool full, bool track)
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
