/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The live, full-screen view.  It draws the engine's model; it never computes one. */
#ifndef PORTTOP_VIEW_H
#define PORTTOP_VIEW_H

#include "engine.h"
#include "settings.h"

/*
 * Runs until the user quits (or st->iterations refreshes are done, or SIGTERM,
 * SIGHUP, SIGINT), restoring the terminal in every case.  rc_warning, if not empty,
 * is shown once in the status line.  Returns the process exit status.
 */
int view_run(struct engine *e, struct settings *st, const char *rc_warning);

#endif
