/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Process facts through libproc2: user, command name, command line, start time. */
#ifndef PORTTOP_PROCINFO_H
#define PORTTOP_PROCINFO_H

#include "core/sample.h"

struct procinfo;

int procinfo_open(struct procinfo **out);
void procinfo_close(struct procinfo *pi);

/*
 * Fills uid, user, comm, cmdline and start_time of every proc_rec in s (by pid;
 * s->procs must be in ascending pid order, as owners_scan makes them),
 * sanitized.  A process that exited since the owner scan keeps "?" fields.  Facts
 * of a process seen before (same pid and start_time) are reused for up to 10 s of
 * s->monotonic, then read again.  0 or -errno.
 */
int procinfo_fill(struct procinfo *pi, struct sample *s);

#endif
