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

/* Its own engine only: the shown one is the live view's. */
static void ns_close(struct fleet_ns *ns)
{
	if (ns->open && ns->engine == &ns->own_engine)
		engine_close(&ns->own_engine);
	ns->open = false;
}

static void ns_free(struct fleet_ns *ns)
{
	ns_close(ns);
	alerts_tracks_free(ns->parked);
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
	return ns->open ? model_fullest_percent(&ns->engine->model) : -1;
}

/* Opens e into st->netns: 0, -errno, or 1 when that held another namespace than inode. */
static int open_checked(struct engine *e, const struct settings *st, uint64_t inode)
{
	int err = engine_open(e, st);

	if (err || !st->netns || engine_netns_inode(e) == inode)
		return err;
	engine_close(e);
	return 1;
}

/*
 * A /proc/PID/ns/net is the namespace PID is in now, and the process nslist saw there
 * may only have been visiting (another porttop reads namespaces with setns()): then
 * the next of the namespace's processes is tried, so that a line never shows another
 * namespace's figures.  Gone (ENOENT) is the same story: a process that has left, or
 * ended.
 */
int fleet_engine_open(const struct fleet *f, const struct fleet_ns *ns, struct engine *e,
		      struct settings *st, char *path, size_t len)
{
	const struct nslist_entry *entry = nslist_find(&f->list, ns->inode);
	char first[sizeof(ns->path)];
	int err;

	if (len)
		path[0] = '\0';
	if (ns->own) {
		st->netns = NULL;
		return engine_open(e, st);
	}
	snprintf(first, sizeof(first), "%s", ns->path);
	snprintf(path, len, "%s", first);
	st->netns = path;
	err = open_checked(e, st, ns->inode);
	for (size_t i = 0; entry && (err == 1 || err == -ENOENT) && i < entry->n_pids; i++) {
		snprintf(path, len, "%s/%d/ns/net", f->st.proc_root, (int)f->list.pids[entry->first_pid + i]);
		if (strcmp(path, first) != 0)
			err = open_checked(e, st, ns->inode);
	}
	return err == 1 ? -ESRCH : err;  /* every process it was listed with has left it */
}

/* Errors are the namespace's, not ours. */
static void ns_open(struct fleet *f, struct fleet_ns *ns)
{
	struct settings st = f->st;
	char path[sizeof(ns->path)];

	ns->error = fleet_engine_open(f, ns, &ns->own_engine, &st, path, sizeof(path));
	ns->failed_step = ns->own_engine.failed_step;
	ns->open = ns->error == 0;
	if (ns->open) {
		if (path[0])  /* our own has no path to keep */
			snprintf(ns->path, sizeof(ns->path), "%s", path);
		model_give_alerts(&ns->own_engine.model, ns->parked);
		ns->parked = NULL;
	}
}

static void ns_refresh(struct fleet *f, struct fleet_ns *ns, const struct nslist_entry *e)
{
	const pid_t *pids = f->list.pids + e->first_pid;
	int err;

	if (!ns->open)
		ns_open(f, ns);
	if (!ns->open)
		return;
	err = source_only_pids(ns->own_engine.source, pids, e->n_pids);
	if (!err)
		err = engine_refresh(&ns->own_engine);
	ns->fresh = !err;
	if (err) {
		ns->error = err;
		ns->failed_step = ns->own_engine.failed_step;
		/* the engine opened again next time must not announce what this one has */
		ns->parked = model_take_alerts(&ns->own_engine.model);
		ns_close(ns);
	}
}

void fleet_show(struct fleet *f, struct engine *e, uint64_t inode)
{
	f->shown = e;
	f->shown_inode = inode;
}

static bool is_shown(const struct fleet *f, const struct nslist_entry *e)
{
	return f->shown && f->shown_inode == e->inode;
}

/* The namespace the live view shows: its entry is that engine's model, never read here. */
static void ns_show(struct fleet *f, struct fleet_ns *ns)
{
	if (ns->engine == &ns->own_engine) {
		/* the shown engine has the levels: fleet_take_alerts gave them, or it had its own */
		ns_close(ns);
		alerts_tracks_free(ns->parked);
		ns->parked = NULL;
	}
	ns->engine = f->shown;
	ns->open = true;
	ns->error = 0;
}

/* The live view looks elsewhere now: the fleet reads this one again, in its turn. */
static void ns_unshow(struct fleet_ns *ns)
{
	if (ns->engine == &ns->own_engine)
		return;
	ns->engine = &ns->own_engine;
	ns->open = false;
}

static struct fleet_ns *ns_find(const struct fleet *f, uint64_t inode)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i]->inode == inode)
			return f->v[i];
	return NULL;
}

struct alert_tracks *fleet_take_alerts(struct fleet *f, uint64_t inode)
{
	struct fleet_ns *ns = ns_find(f, inode);
	struct alert_tracks *t;

	if (!ns)
		return NULL;
	/* an entry still on the shown engine (a switch that fell back, not refreshed
	 * since) may have levels parked by fleet_give_alerts: they go on too */
	if (ns->engine != &ns->own_engine || !ns->open) {
		t = ns->parked;
	} else {
		t = model_take_alerts(&ns->own_engine.model);
		alerts_tracks_free(ns->parked);
	}
	ns->parked = NULL;
	if (ns->engine == &ns->own_engine)
		ns_close(ns);  /* the shown engine decides there from now on */
	return t;
}

void fleet_give_alerts(struct fleet *f, uint64_t inode, struct alert_tracks *t)
{
	struct fleet_ns *ns = ns_find(f, inode);

	if (!ns) {
		alerts_tracks_free(t);
	} else if (ns->engine == &ns->own_engine && ns->open) {
		model_give_alerts(&ns->own_engine.model, t);
	} else {
		alerts_tracks_free(ns->parked);
		ns->parked = t;
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
		ns->engine = &ns->own_engine;
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

		if (!e->path[0])
			continue;
		ns = ns_for(f, old, n_old, e);
		if (!ns) {
			err = -ENOMEM;
			break;
		}
		f->v[f->n++] = ns;
		ns->fresh = false;
		if (is_shown(f, e)) {
			ns_show(f, ns);
			continue;
		}
		ns_unshow(ns);
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
