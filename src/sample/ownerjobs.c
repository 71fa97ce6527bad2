/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the helper thread reads (fdread.c): every fd table a scan's pass will read
 * becomes a job, and for a table the helper lists, which links it reads, as far as
 * the process's cached table tells.  owners.c decides what each scan reads.
 */
#include "fdtable.h"

#include <stdlib.h>
#include <string.h>

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
int owners_plan_jobs(struct owners *o, int proc_fd)
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

void owners_finish_jobs(struct owners *o)
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
