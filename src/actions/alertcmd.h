/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --alert-command: runs the user's command at each alert level change, without
 * waiting for it.  The command line is the user's own and goes to /bin/sh -c; the
 * details (pool names, the process name, which any user can choose) go only into the
 * environment, so no shell word is ever made of them.
 */
#ifndef PORTTOP_ALERTCMD_H
#define PORTTOP_ALERTCMD_H

#include "model/model.h"

struct alertcmd;

/* 0 or -ENOMEM; command NULL: *out is NULL and every call below does nothing. */
int alertcmd_new(struct alertcmd **out, const char *command);
/* Forgets the children that still run (init reaps them); never waits. */
void alertcmd_free(struct alertcmd *a);

/*
 * Reaps the children that ended, then starts the command once per change in
 * m->changes.  0, or the -errno of the last start that failed (fork, /dev/null); a
 * change is skipped while ALERTCMD_MAX_CHILDREN still run (alertcmd_dropped()).
 */
int alertcmd_run(struct alertcmd *a, const struct model *m);

#define ALERTCMD_MAX_CHILDREN 16

/* Children started and still running, for tests and the status line. */
size_t alertcmd_running(const struct alertcmd *a);
/* The changes the last alertcmd_run() skipped because ALERTCMD_MAX_CHILDREN still ran. */
size_t alertcmd_dropped(const struct alertcmd *a);

#endif
