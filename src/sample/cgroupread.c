/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroupread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/sanitize.h"

/* A hybrid host writes a dozen lines of cgroup v1 and one of v2; deeper paths than
 * this are cut, which only loses what lies past the cut. */
#define CGROUPREAD_MAX 8192

int cgroupread_identity(const char *proc_root, pid_t pid, struct cgroup_identity *out)
{
	char path[256], text[CGROUPREAD_MAX], name[CGROUP_NAME_MAX];
	ssize_t n;
	int fd;

	out->kind = CGROUP_HOST;
	out->name[0] = '\0';
	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root, (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text));
	if (n < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	close(fd);
	cgroup_identify(text, (size_t)n, out);
	sanitize_copy(name, sizeof(name), out->name, strlen(out->name), 0);
	memcpy(out->name, name, sizeof(name));
	return 0;
}
