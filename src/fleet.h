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
	bool open;                   /* engine is open and its model is its last turn's */
	bool fresh;                  /* read at the last refresh: its engine's alertcmd_*
				      * are that refresh's, not an older turn's */
	int error;                   /* else -errno: not ours to enter (EPERM, EACCES);
				      * 0: not read yet (fleet_refresh_some) */
	enum sample_step failed_step;
	unsigned n_procs;            /* processes in it */
	struct engine engine;
};

struct fleet {
	struct settings st;          /* a copy, netns set per namespace */
	struct nslist list;
	struct fleet_ns **v;         /* after fleet_refresh: fullest first, unreadable last */
	size_t n, cap;
	uint64_t skip_inode;         /* not read (the one the live view shows itself); 0: none */
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

/* The fullest percent of a namespace's pools and destinations (model_fullest_percent). */
double fleet_percent(const struct fleet_ns *ns);

#endif
