/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signalling the offender without ever hitting the wrong process: the target is
 * pinned with a pidfd when the prompt opens, so a pid reused meanwhile is safe.
 */
#ifndef PORTTOP_KILL_H
#define PORTTOP_KILL_H

#include <stdbool.h>
#include <sys/types.h>

struct kill_target {
	pid_t pid;
	unsigned long long start_time;  /* /proc/PID/stat field 22, clock ticks after boot */
	int pidfd;                      /* -1 where pidfds are unavailable */
};

/*
 * Pins pid, which must still be the process that started at start_time (0: any).
 * 0, -ESRCH when it is gone or was replaced, or -errno.
 */
int kill_pin(struct kill_target *t, const char *proc_root, pid_t pid, unsigned long long start_time);

/* Sends sig to the pinned process.  0, -ESRCH if it has exited, -EPERM, or -errno. */
int kill_send(struct kill_target *t, const char *proc_root, int sig);

void kill_release(struct kill_target *t);

/* "TERM", "sigkill", "Hup", "9" -> signal number.  0 or -EINVAL. */
int kill_parse_signal(const char *text, int *sig);

/* "TERM" for SIGTERM; "?" for an unknown number. */
const char *kill_signal_name(int sig);

/* Field 22 of <proc_root>/<pid>/stat.  0 or -errno (-ESRCH when gone). */
int kill_read_start_time(const char *proc_root, pid_t pid, unsigned long long *start_time);

#endif
