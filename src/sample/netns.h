/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Looking into another network namespace: the range, the reserved ports, the socket
 * tables and /proc/net are per namespace, and a process sees its own.  What `ip netns
 * exec` and nsenter do: setns(2) into the namespace, open what is needed there (a
 * netlink socket stays bound to the namespace it was opened in), and come back.
 */
#ifndef PORTTOP_NETNS_H
#define PORTTOP_NETNS_H

#include <stdint.h>

struct netns {
	int target;     /* the namespace looked into, -1: our own */
	int home;       /* the calling thread's own, to come back to */
	uint64_t inode; /* the target's inode, as ip netns identify and /proc/PID/ns/net show */
};

/*
 * Resolves spec, as --netns takes it: a pid (its namespace, through proc_root), a path
 * to a namespace file (/proc/PID/ns/net, /run/docker/netns/...; it contains a '/'), or
 * a name under /run/netns.  0 or -errno: -ENOENT no such name, pid or file, -EINVAL
 * not a network namespace or a bad name.  spec NULL or "" gives our own namespace.
 */
int netns_open(struct netns *ns, const char *proc_root, const char *spec);
void netns_close(struct netns *ns);

/* Moves the calling thread into the target (no-op for our own).  0 or -errno (EPERM
 * without CAP_SYS_ADMIN). */
int netns_enter(const struct netns *ns);
/* And back.  0 or -errno; a failure here leaves the thread in the target. */
int netns_leave(const struct netns *ns);

#endif
