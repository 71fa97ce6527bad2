/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/PID/stat, read for one field: the start time, which with the pid names a
 * process for good (a pid is reused, a (pid, start time) pair is not).  The owner
 * scan keys its cache by it and kill pins its target by it.
 */
#include "procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* proc_pid_stat prints "pid (comm) state ..." and comm may hold spaces and
 * parentheses: the fields after it start after the last ')'. */
int procstat_parse_start_time(const char *text, unsigned long long *out)
{
	const char *p = strrchr(text, ')');

	if (!p)
		return -EINVAL;
	for (int field = 2; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	*out = strtoull(p + 1, NULL, 10);
	return 0;
}

int procstat_start_time(int dir_fd, const char *path, unsigned long long *out)
{
	char buf[1024];
	ssize_t n;
	int fd, err;

	fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return err == ESRCH ? -ESRCH : -err;
	if (n == 0)  /* a live task's stat is never empty: it exited after the open */
		return -ESRCH;
	buf[n] = '\0';
	return procstat_parse_start_time(buf, out);
}
