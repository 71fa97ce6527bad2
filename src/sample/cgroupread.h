/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reads /proc/PID/cgroup and names who the process is (core/cgroup.c decides). */
#ifndef PORTTOP_CGROUPREAD_H
#define PORTTOP_CGROUPREAD_H

#include <sys/types.h>
#include "core/cgroup.h"

/* 0 or -errno (the process is gone, or /proc/PID/cgroup is not ours to read); the
 * name is sanitized: a unit name is anyone's to choose. */
int cgroupread_identity(const char *proc_root, pid_t pid, struct cgroup_identity *out);

#endif
