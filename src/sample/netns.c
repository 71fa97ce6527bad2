/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* `ip netns add NAME` bind-mounts the namespace here (iproute2's NETNS_RUN_DIR). */
#define NETNS_RUN_DIR "/run/netns"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* What spec names, as a path; -EINVAL for a name ip netns could not have made. */
static int spec_path(const char *proc_root, const char *spec, char *buf, size_t len)
{
	int n;

	if (all_digits(spec))
		n = snprintf(buf, len, "%s/%s/ns/net", proc_root, spec);
	else if (strchr(spec, '/'))
		n = snprintf(buf, len, "%s", spec);
	else if (strcmp(spec, ".") == 0 || strcmp(spec, "..") == 0)
		return -EINVAL;
	else
		n = snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, spec);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A file that is not a namespace, or another kind of namespace, is refused here
 * rather than by setns() at the first sample (NS_GET_NSTYPE: Linux 4.11). */
static int check_netns(int fd)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	if (type < 0)
		return errno == ENOTTY ? -EINVAL : -errno;
	return type == CLONE_NEWNET ? 0 : -EINVAL;
}

/* O_NONBLOCK: a FIFO given as --netns would block open() until a writer comes (fifo_open);
 * O_NOCTTY: a terminal given as --netns does not become ours.  check_netns refuses both. */
static int open_ns(const char *path, uint64_t *inode)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = check_netns(fd);
	if (!err && fstat(fd, &st) < 0)
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	*inode = (uint64_t)st.st_ino;
	return fd;
}

int netns_open(struct netns *ns, const char *proc_root, const char *spec)
{
	char path[4096];
	uint64_t home_inode = 0;
	int err;

	ns->target = ns->home = -1;
	ns->inode = 0;
	/* thread-self: setns() moves one thread, so come back to this thread's own */
	snprintf(path, sizeof(path), "%s/thread-self/ns/net", proc_root);
	ns->home = open_ns(path, &home_inode);
	if (!spec || !*spec) {
		if (ns->home < 0)
			ns->home = -1;
		ns->inode = ns->home >= 0 ? home_inode : 0;
		return 0;
	}
	if (ns->home < 0) {
		err = ns->home;
		ns->home = -1;
		return err;
	}
	err = spec_path(proc_root, spec, path, sizeof(path));
	if (!err) {
		ns->target = open_ns(path, &ns->inode);
		err = ns->target < 0 ? ns->target : 0;
	}
	if (err) {
		netns_close(ns);
		return err;
	}
	if (ns->inode == home_inode) { /* our own after all: no setns needed */
		close(ns->target);
		ns->target = -1;
	}
	return 0;
}

void netns_close(struct netns *ns)
{
	if (ns->target >= 0)
		close(ns->target);
	if (ns->home >= 0)
		close(ns->home);
	ns->target = ns->home = -1;
}

int netns_enter(const struct netns *ns)
{
	if (ns->target < 0)
		return 0;
	return setns(ns->target, CLONE_NEWNET) < 0 ? -errno : 0;
}

int netns_leave(const struct netns *ns)
{
	if (ns->target < 0)
		return 0;
	return setns(ns->home, CLONE_NEWNET) < 0 ? -errno : 0;
}
