/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fdread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/vec.h"

enum { JOB_FREE, JOB_TAKEN, JOB_DONE, JOB_FAILED };

struct fdread {
	pthread_t thread;
	int proc_fd;
	struct fdread_job *jobs;
	size_t n;
	fdread_choose_fn choose;
	void *ctx;
	unsigned jobs_done;      /* by the helper; read after the join */
	unsigned links_read;
};

static bool claim(struct fdread_job *j)
{
	int expect = JOB_FREE;
	return atomic_compare_exchange_strong(&j->state, &expect, JOB_TAKEN);
}

long fdread_parse_number(const char *name)
{
	long v = 0;
	if (*name == '\0')
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > (long)(INT32_MAX / 10))
			return -1;
		v = v * 10 + (*name - '0');
	}
	return v <= INT32_MAX ? v : -1;
}

int fdread_read_link(int dir_fd, const char *name, uint32_t *inode)
{
	static const char prefix[] = "socket:[";
	char link[64];
	ssize_t len = readlinkat(dir_fd, name, link, sizeof(link));
	unsigned long long v = 0;
	size_t i = sizeof(prefix) - 1;

	if (len < 0)
		return -errno;
	if ((size_t)len >= sizeof(link) || (size_t)len <= i + 1 || memcmp(link, prefix, i) != 0 ||
	    link[len - 1] != ']')
		return 0;
	for (; i < (size_t)len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT32_MAX / 10)
			return 0;
		v = v * 10 + (unsigned)(link[i] - '0');
	}
	if (v > UINT32_MAX)
		return 0;
	*inode = (uint32_t)v;
	return 1;
}

int fdread_list_dir(int proc_fd, pid_t pid, DIR **dir,
		    int (*add)(void *ctx, int fd, int dir_fd), void *ctx)
{
	char path[32];
	struct dirent *de;
	int dir_fd, err = 0;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	*dir = NULL;
	dir_fd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return -errno;
	*dir = fdopendir(dir_fd);
	if (!*dir) {
		err = -errno;
		close(dir_fd);
		return err;
	}
	while (!err && (de = readdir(*dir)) != NULL) {
		long fd = fdread_parse_number(de->d_name);
		if (fd >= 0)
			err = add(ctx, (int)fd, dir_fd);
	}
	return err;
}

static int push(struct fdread_job *j, int fd)
{
	int err = vec_reserve((void **)&j->links, &j->cap_links, j->n_links + 1, sizeof(*j->links));
	if (!err)
		j->links[j->n_links++] = (struct fdread_link){ fd, FDREAD_UNREAD, 0 };
	return err;
}

static int fd_cmp(const void *a, const void *b)
{
	const struct fdread_link *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

static int list_add(void *ctx, int fd, int dir_fd)
{
	struct fdread_job *j = ctx;

	(void)dir_fd;
	j->listed++;
	return push(j, fd);
}

/* Lists PID/fd into j->links (by fd) and reads the links choose() marks. */
static int run_list(struct fdread *r, size_t i)
{
	struct fdread_job *j = &r->jobs[i];
	char name[16];
	DIR *dir;
	int dir_fd, err = fdread_list_dir(r->proc_fd, j->pid, &dir, list_add, j);

	if (!dir) {  /* the scan takes it as gone or not ours, as it would have itself */
		j->open_err = err;
		return 0;
	}
	dir_fd = dirfd(dir);
	if (!err) {
		if (j->n_links > 1)  /* readdir gives /proc/PID/fd in order; just in case */
			qsort(j->links, j->n_links, sizeof(*j->links), fd_cmp);
		r->choose(r->ctx, i, j->links, j->n_links);
	}
	for (size_t k = 0; k < j->n_links && !err; k++) {
		struct fdread_link *l = &j->links[k];
		if (l->r != FDREAD_WANTED) {
			l->r = FDREAD_UNREAD;
			continue;
		}
		snprintf(name, sizeof(name), "%d", l->fd);
		l->r = fdread_read_link(dir_fd, name, &l->inode);
		r->links_read++;
	}
	closedir(dir);
	return err;
}

/* Reads the given fds' links by path. */
static void run_fds(struct fdread *r, struct fdread_job *j)
{
	char path[48];

	for (size_t k = 0; k < j->n_links; k++) {
		snprintf(path, sizeof(path), "%d/fd/%d", (int)j->pid, j->links[k].fd);
		j->links[k].r = fdread_read_link(r->proc_fd, path, &j->links[k].inode);
		r->links_read++;
	}
}

static void *helper(void *arg)
{
	struct fdread *r = arg;

	for (size_t i = r->n; i-- > 0;) {
		struct fdread_job *j = &r->jobs[i];
		int done = JOB_DONE;

		if (!claim(j))
			break;  /* the caller has come this far: the rest is its own */
		if (j->list && run_list(r, i) < 0)
			done = JOB_FAILED;
		else if (!j->list)
			run_fds(r, j);
		r->jobs_done += done == JOB_DONE;
		atomic_store_explicit(&j->state, done, memory_order_release);
	}
	return NULL;
}

void fdread_start(struct fdread **out, int proc_fd, struct fdread_job *jobs, size_t n,
		  fdread_choose_fn choose, void *ctx)
{
	sigset_t all, old;
	struct fdread *r;
	bool started;

	*out = NULL;
	for (size_t i = 0; i < n; i++)
		atomic_init(&jobs[i].state, JOB_FREE);
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	*r = (struct fdread){ .proc_fd = proc_fd, .jobs = jobs, .n = n, .choose = choose, .ctx = ctx };
	/* the helper blocks every signal: the live view's handlers and its waits for
	 * input are the main thread's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	started = pthread_create(&r->thread, NULL, helper, r) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!started) {
		free(r);
		return;  /* all the caller's, as without a helper */
	}
	*out = r;
}

const struct fdread_job *fdread_claim(struct fdread *r, size_t i)
{
	struct fdread_job *j;
	int state;

	if (!r)
		return NULL;
	j = &r->jobs[i];
	if (claim(j))
		return NULL;
	while ((state = atomic_load_explicit(&j->state, memory_order_acquire)) == JOB_TAKEN)
		sched_yield();  /* the helper is on it: a few readlinks */
	return state == JOB_DONE ? j : NULL;
}

void fdread_finish(struct fdread *r, unsigned *jobs, unsigned *links)
{
	if (!r)
		return;
	pthread_join(r->thread, NULL);
	*jobs += r->jobs_done;
	*links += r->links_read;
	free(r);
}
