/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A process's start time from /proc/PID/stat: with the pid, its identity. */
#ifndef PORTTOP_PROCSTAT_H
#define PORTTOP_PROCSTAT_H

#include <sys/types.h>

/*
 * Field 22 (starttime, clock ticks after boot) of the stat file at path, relative
 * to dir_fd (AT_FDCWD for an absolute path).  0; -ESRCH when the process is gone;
 * -EINVAL when the text is not a stat line; -errno when it cannot be read.
 */
int procstat_start_time(int dir_fd, const char *path, unsigned long long *out);

/* The same from the text of a stat line.  0 or -EINVAL. */
int procstat_parse_start_time(const char *text, unsigned long long *out);

#endif
