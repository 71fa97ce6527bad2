/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every network namespace of the host that something holds: a process (its
 * /proc/PID/ns/net) or a bind mount under /run/netns (ip netns add).  One pass over
 * /proc with a stat() per pid, whose st_ino is the namespace's inode (nsfs), rather
 * than a readlink of every fd: namespaces only held by an open fd (a socket's, or a
 * runtime's) are not found.
 */
#ifndef PORTTOP_NSLIST_H
#define PORTTOP_NSLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/cgroup.h"

#define NSLIST_NAME_MAX 64

struct nslist_entry {
	uint64_t inode;
	char name[NSLIST_NAME_MAX];        /* its /run/netns name, "" if none */
	struct cgroup_identity who;        /* the pod, container or unit of its processes */
	bool host;                         /* the namespace of pid 1 */
	char path[NSLIST_NAME_MAX + 32];   /* what to open: /run/netns/NAME or /proc/PID/ns/net */
	size_t first_pid, n_pids;          /* its processes: pids[first_pid...], ascending */
};

struct nslist_pair {
	uint64_t inode;
	pid_t pid;
};

struct nslist {
	struct nslist_entry *v;            /* by inode */
	size_t n, cap;
	pid_t *pids;
	size_t n_pids, cap_pids;
	struct nslist_pair *pairs;         /* the scan's (namespace, pid) pairs */
	size_t n_pairs, cap_pairs;
};

void nslist_init(struct nslist *l);
void nslist_free(struct nslist *l);

/*
 * Lists them again.  Processes whose namespace we may not see (another user's
 * without ptrace access) are left out; so are those that exit mid-scan.  0 or
 * -errno (proc_root unreadable, -ENOMEM).
 */
int nslist_scan(struct nslist *l, const char *proc_root);

/* The entry of inode, NULL if none. */
const struct nslist_entry *nslist_find(const struct nslist *l, uint64_t inode);

/* What to call it: the /run/netns name, else "host" for pid 1's, else its pod,
 * container or unit, else "". */
const char *nslist_label(const struct nslist_entry *e);

#endif
