/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "access.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* linux/capability.h */
#define ACCESS_CAP_DAC_OVERRIDE 1
#define ACCESS_CAP_DAC_READ_SEARCH 2
#define ACCESS_CAP_SYS_PTRACE 19

/* The CapEff bits of /proc/self/status in *caps; false if not found. */
static bool effective_caps(const char *status, unsigned long long *caps)
{
	const char *line = status ? strstr(status, "\nCapEff:") : NULL;
	char *end;

	if (!line)
		return false;
	*caps = strtoull(line + strlen("\nCapEff:"), &end, 16);
	return end != line + strlen("\nCapEff:");
}

static bool has_cap(unsigned long long caps, int cap)
{
	return caps >> cap & 1;
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

/*
 * The effective capabilities decide, not the uid: root without CAP_SYS_PTRACE is
 * refused like anyone (__ptrace_may_access), and a user given the two capabilities
 * reads everything.  Only when nothing in porttop's credentials explains a refusal
 * is a security module (AppArmor, SELinux, Landlock: security_ptrace_access_check)
 * the reason left.
 */
enum owner_access access_decide(uid_t euid, const char *status, const char *uid_map)
{
	unsigned long long caps;
	bool ptrace, list;

	if (in_user_namespace(uid_map))  /* capabilities count only inside it */
		return euid == 0 ? OWNER_ACCESS_USER_NS : OWNER_ACCESS_NOT_ROOT;
	if (!effective_caps(status, &caps))  /* unknown: root is not told to become root */
		return euid == 0 ? OWNER_ACCESS_FULL : OWNER_ACCESS_NOT_ROOT;
	ptrace = has_cap(caps, ACCESS_CAP_SYS_PTRACE);
	list = has_cap(caps, ACCESS_CAP_DAC_READ_SEARCH) || has_cap(caps, ACCESS_CAP_DAC_OVERRIDE);
	if (ptrace && list)
		return OWNER_ACCESS_FULL;
	if (!ptrace && !list && euid != 0)
		return OWNER_ACCESS_NOT_ROOT;
	return ptrace ? OWNER_ACCESS_NO_DAC_READ_SEARCH : OWNER_ACCESS_NO_PTRACE;
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
	/* "\n" first: effective_caps looks for the line start */
	const char *st = read_small(proc_root, "self/status", status + 1, sizeof(status) - 1);

	status[0] = '\n';
	return access_decide(geteuid(), st ? status : NULL,
			     read_small(proc_root, "self/uid_map", uid_map, sizeof(uid_map)));
}
