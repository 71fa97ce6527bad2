/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/vec.h"

int fleet_open(struct fleet *f, const struct settings *st)
{
	char path[256];
	struct stat s;

	memset(f, 0, sizeof(*f));
	nslist_init(&f->list);  /* refused or not, fleet_close may follow */
	/* a recording holds the one namespace it was made in: the engines would open the
	 * file again, each with no source to give the namespace's processes to */
	if (st->replay_path)
		return -EOPNOTSUPP;
	f->st = *st;
	f->st.netns = NULL;
	/* the probes are the host's, not a namespace's: one set per engine would load them
	 * once per namespace; the list reads sockets and owners only */
	f->st.bpf = BPF_OFF;
	snprintf(path, sizeof(path), "%s/self/ns/net", st->proc_root);
	f->own_inode = stat(path, &s) == 0 ? (uint64_t)s.st_ino : 0;
	return 0;
}

static void ns_free(struct fleet_ns *ns)
{
	if (ns->open)
		engine_close(&ns->engine);
	free(ns);
}

void fleet_close(struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++)
		ns_free(f->v[i]);
	free(f->v);
	nslist_free(&f->list);
	memset(f, 0, sizeof(*f));
}

double fleet_percent(const struct fleet_ns *ns)
{
	return ns->open ? model_fullest_percent(&ns->engine.model) : -1;
}

/* Opens the namespace the way --netns would; errors are the namespace's, not ours. */
static void ns_open(struct fleet *f, struct fleet_ns *ns)
{
	struct settings st = f->st;

	st.netns = ns->own ? NULL : ns->path;
	ns->error = engine_open(&ns->engine, &st);
	ns->failed_step = ns->engine.failed_step;
	ns->open = ns->error == 0;
}

static void ns_refresh(struct fleet *f, struct fleet_ns *ns, const struct nslist_entry *e)
{
	const pid_t *pids = f->list.pids + e->first_pid;
	int err;

	if (!ns->open)
		ns_open(f, ns);
	if (!ns->open)
		return;
	err = source_only_pids(ns->engine.source, pids, e->n_pids);
	if (!err)
		err = engine_refresh(&ns->engine);
	ns->fresh = !err;
	if (err) {
		ns->error = err;
		ns->failed_step = ns->engine.failed_step;
		engine_close(&ns->engine);
		ns->open = false;
	}
}

/* Fullest first; those not read last, by inode so the order is stable. */
static int ns_cmp(const void *a, const void *b)
{
	const struct fleet_ns *x = *(const struct fleet_ns *const *)a;
	const struct fleet_ns *y = *(const struct fleet_ns *const *)b;
	double px = fleet_percent(x), py = fleet_percent(y);

	if (px != py)
		return px > py ? -1 : 1;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

static struct fleet_ns *ns_for(struct fleet *f, struct fleet_ns **old, size_t n_old,
			       const struct nslist_entry *e)
{
	struct fleet_ns *ns = NULL;

	for (size_t i = 0; i < n_old && !ns; i++)
		if (old[i] && old[i]->inode == e->inode) {
			ns = old[i];
			old[i] = NULL;
		}
	if (!ns) {
		ns = calloc(1, sizeof(*ns));
		if (!ns)
			return NULL;
		ns->inode = e->inode;
		ns->own = e->inode == f->own_inode;
	}
	snprintf(ns->name, sizeof(ns->name), "%s", nslist_label(e));
	snprintf(ns->path, sizeof(ns->path), "%s", e->path);
	ns->n_procs = (unsigned)e->n_pids;
	return ns;
}

/* Whether the i-th listed namespace is read this time: all, or `budget` in turn. */
static bool in_turn(const struct fleet *f, size_t i, size_t budget)
{
	size_t n = f->list.n;

	return budget == 0 || (i + n - f->turn % n) % n < budget;
}

int fleet_refresh(struct fleet *f)
{
	return fleet_refresh_some(f, 0);
}

int fleet_refresh_some(struct fleet *f, size_t budget)
{
	struct fleet_ns **old = f->v;
	size_t n_old = f->n;
	int err;

	if (!f->st.proc_root)  /* fleet_open refused it */
		return -EOPNOTSUPP;
	err = nslist_scan(&f->list, f->st.proc_root);

	f->v = NULL;
	f->n = f->cap = 0;
	if (!err)
		err = vec_reserve((void **)&f->v, &f->cap, f->list.n ? f->list.n : 1, sizeof(*f->v));
	for (size_t i = 0; !err && i < f->list.n; i++) {
		const struct nslist_entry *e = &f->list.v[i];
		struct fleet_ns *ns;

		if (e->inode == f->skip_inode || !e->path[0])
			continue;
		ns = ns_for(f, old, n_old, e);
		if (!ns) {
			err = -ENOMEM;
			break;
		}
		f->v[f->n++] = ns;
		ns->fresh = false;
		if (!in_turn(f, i, budget))
			continue;  /* keeps the figures of its last turn, or none yet */
		ns_refresh(f, ns, e);
		/* gone between the listing and the opening: it leaves the list */
		if (!ns->open && (ns->error == -ENOENT || ns->error == -ESRCH))
			ns_free(f->v[--f->n]);
	}
	if (budget && f->list.n)
		f->turn = (f->turn + budget) % f->list.n;
	for (size_t i = 0; i < n_old; i++)  /* nothing holds these any more */
		if (old[i])
			ns_free(old[i]);
	free(old);
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), ns_cmp);
	return err;
}
