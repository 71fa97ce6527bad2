/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every network namespace at once (--all-netns, the live view's namespace list, the
 * header's "fullest other namespace"): an engine per namespace, each looking into
 * its namespace as --netns does, its owners looked for among that namespace's own
 * processes only, so that N namespaces cost N dumps and not N scans of every fd.
 * Engines are kept across refreshes (their owner caches and histories with them);
 * a namespace nothing holds any more leaves at the next refresh.
 */
#ifndef PORTTOP_FLEET_H
#define PORTTOP_FLEET_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "sample/nslist.h"
#include "settings.h"

struct fleet_ns {
	uint64_t inode;
	char name[NSLIST_NAME_MAX];  /* nslist_label: /run/netns name, host, container; "" */
	char path[NSLIST_NAME_MAX + 32]; /* what --netns would be given to look at it alone */
	bool own;                    /* porttop's own namespace */
	bool open;                   /* *engine is open and its model is its last turn's */
	bool fresh;                  /* read at the last refresh: its engine's alertcmd_*
				      * are that refresh's, not an older turn's */
	int error;                   /* else -errno: not ours to enter (EPERM, EACCES);
				      * 0: not read yet (fleet_refresh_some) */
	enum sample_step failed_step;
	unsigned n_procs;            /* processes in it */
	struct engine *engine;       /* &own_engine, or fleet.shown in the namespace it shows */
	struct engine own_engine;    /* the fleet's own, to read it */
	struct alert_tracks *parked; /* the levels own_engine goes on from at its next opening */
};

struct fleet {
	struct settings st;          /* a copy, netns set per namespace */
	struct nslist list;
	struct fleet_ns **v;         /* after fleet_refresh: fullest first, unreadable last */
	size_t n, cap;
	/* The live view's engine, NULL: none.  The namespace it shows is not read by the
	 * fleet: its entry shows that engine's model, so that one engine only decides and
	 * announces its alert levels (--alert-command), whatever the view shows. */
	struct engine *shown;
	/* The namespace it looks into, set by fleet_show; not its model's netns_inode,
	 * which is 0 (or the last namespace's) until its first refresh there. */
	uint64_t shown_inode;
	uint64_t own_inode;
	size_t turn;                 /* fleet_refresh_some: where the next turn starts */
};

/* st is copied.  0, or -EOPNOTSUPP for a replay (st->replay_path): a recording holds
 * one namespace.  The fleet can be closed either way. */
int fleet_open(struct fleet *f, const struct settings *st);
void fleet_close(struct fleet *f);

/*
 * Lists the namespaces and refreshes each one's engine.  A namespace that vanished
 * since the listing is left out; one that cannot be read is kept with its error.
 * 0 or -errno (proc_root unreadable, out of memory).
 */
int fleet_refresh(struct fleet *f);

/*
 * The same, but reads only `budget` of the namespaces (0: all), the next ones in
 * turn: the others keep the figures of their last turn.  What the live view's header
 * does at every refresh, so that a host with many namespaces never stalls it.
 */
int fleet_refresh_some(struct fleet *f, size_t budget);

/* The live view's engine e (NULL: none) looks into namespace inode from now on: the
 * fleet reads it no more, from the next refresh, even before e has read it once. */
void fleet_show(struct fleet *f, struct engine *e, uint64_t inode);

/*
 * Opens e (settings st) into the namespace of ns, through ns->path or, when that no
 * longer leads there, through another of its processes' /proc/PID/ns/net; st->netns
 * is left at the path used, kept in path[len] (NULL for porttop's own namespace).
 * 0, or -errno (-ESRCH: none of its processes is in it any more).
 */
int fleet_engine_open(const struct fleet *f, const struct fleet_ns *ns, struct engine *e,
		      struct settings *st, char *path, size_t len);

/*
 * The live view's engine looks into another namespace now (Enter in the list): the
 * levels one namespace's engine knew go on in the next one's, as model_take_alerts
 * says.  fleet_take_alerts: the fleet's levels of namespace inode (NULL: none), its
 * engine there closed, for the shown engine to go on from.  fleet_give_alerts: the
 * levels the shown engine knew of inode, for the fleet's engine there to go on from
 * (freed if the fleet does not list inode).
 */
struct alert_tracks *fleet_take_alerts(struct fleet *f, uint64_t inode);
void fleet_give_alerts(struct fleet *f, uint64_t inode, struct alert_tracks *t);

/* The fullest percent of a namespace's pools and destinations (model_fullest_percent). */
double fleet_percent(const struct fleet_ns *ns);

#endif
