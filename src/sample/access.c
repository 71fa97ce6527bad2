/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "access.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACCESS_CAP_SYS_PTRACE 19  /* linux/capability.h */

/* CAP_SYS_PTRACE among the CapEff bits of /proc/self/status; false if not found. */
static bool has_ptrace(const char *status)
{
	const char *line = status ? strstr(status, "\nCapEff:") : NULL;
	char *end;
	unsigned long long caps;

	if (!line)
		return false;
	caps = strtoull(line + strlen("\nCapEff:"), &end, 16);
	return end != line + strlen("\nCapEff:") && (caps >> ACCESS_CAP_SYS_PTRACE & 1);
}

/*
 * The initial user namespace maps every uid to itself: "0 0 4294967295"
 * (user_namespace.c's init_user_ns).  Any other map is a user namespace's.
 */
static bool in_user_namespace(const char *uid_map)
{
	unsigned long long inside, outside, count;

	if (!uid_map || sscanf(uid_map, "%llu %llu %llu", &inside, &outside, &count) != 3)
		return false;
	return !(inside == 0 && outside == 0 && count == 4294967295ULL);
}

enum owner_access access_decide(uid_t euid, const char *status, const char *uid_map)
{
	bool userns = in_user_namespace(uid_map);

	/* __ptrace_may_access: another user's process needs CAP_SYS_PTRACE over its user ns */
	if (has_ptrace(status) && !userns)
		return OWNER_ACCESS_FULL;
	if (euid != 0)
		return OWNER_ACCESS_NOT_ROOT;
	if (userns)
		return OWNER_ACCESS_USER_NS;
	return status ? OWNER_ACCESS_NO_PTRACE : OWNER_ACCESS_FULL;
}

/* The first len - 1 bytes of proc_root/name; NULL if unreadable. */
static char *read_small(const char *proc_root, const char *name, char *buf, size_t len)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", proc_root, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

enum owner_access access_probe(const char *proc_root)
{
	char status[4096], uid_map[256];
	/* "\n" first: has_ptrace looks for the line start */
	const char *st = read_small(proc_root, "self/status", status + 1, sizeof(status) - 1);

	status[0] = '\n';
	return access_decide(geteuid(), st ? status : NULL,
			     read_small(proc_root, "self/uid_map", uid_map, sizeof(uid_map)));
}
