/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live source: takes a sample of the real system.  Everything that touches the
 * kernel is behind this one call, so the model and the views can be fed by tests.
 */
#ifndef PORTTOP_SOURCE_H
#define PORTTOP_SOURCE_H

#include "core/sample.h"

enum source_mode { SOURCE_MODE_AUTO, SOURCE_MODE_NETLINK, SOURCE_MODE_PROC };

struct source;

struct source_options {
	enum source_mode mode;
	const char *proc_root;  /* "/proc"; tests may point it elsewhere */
	const char *netns;      /* --netns: a name under /run/netns, a path or a pid; NULL: ours */
};

/*
 * 0 or -errno (no such namespace, netlink asked for explicitly but unavailable,
 * libproc2, out of memory), with *failed set to the step that failed.
 */
int source_open(struct source **out, const struct source_options *opt, enum sample_step *failed);
void source_close(struct source *src);

/* The inode of the network namespace looked into (0: unknown). */
uint64_t source_netns_inode(const struct source *src);

/* Which data source is in use; after a netlink failure in auto mode it becomes PROC. */
enum sample_source source_kind(const struct source *src);
/*
 * Fills s (reset first): sysctls, sockets, owners, process facts, and in
 * s->netlink_error why netlink was not used.  On error returns -errno and sets
 * *failed to the step that failed.
 */
int source_sample(struct source *src, struct sample *s, enum sample_step *failed);

/* Writes net.ipv4.ip_local_port_range in the namespace looked into and reads it
 * back (sysctl_write_range).  0 or -errno. */
int source_write_range(struct source *src, int low, int high);

/* Owners are looked for only among these processes (ascending; NULL: all) from the
 * next sample on: the processes of the namespace, when every namespace is read.
 * 0 or -ENOMEM. */
int source_only_pids(struct source *src, const pid_t *pids, size_t n);

/* Destroys one socket through sock_diag; -EOPNOTSUPP on the /proc source. */
int source_destroy_socket(struct source *src, const struct sock_rec *rec);

#endif
