/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --output=FILE: each refresh replaces FILE whole.  node_exporter's textfile
 * collector reads *.prom files whenever it is scraped; writing FILE in place would
 * let a scrape see half of one, so porttop writes a hidden temporary file next to it
 * (rename(2) is atomic only within one file system), syncs it, and renames it over
 * FILE.
 */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *f, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	int n, fd;

	f->fp = NULL;
	f->path = path;
	/* "dir/.porttop.prom.XXXXXX": hidden, and not *.prom until the rename */
	n = snprintf(f->tmp, sizeof(f->tmp), "%.*s.%s.XXXXXX", dirlen, path, path + dirlen);
	if (n < 0 || (size_t)n >= sizeof(f->tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(f->tmp);
	if (fd < 0)
		return -errno;
	/* mkstemp makes it 0600; a textfile collector may run as another user */
	if (fchmod(fd, 0644) < 0 || !(f->fp = fdopen(fd, "w"))) {
		int err = -errno;
		close(fd);
		unlink(f->tmp);
		return err;
	}
	return 0;
}

void outfile_abort(struct outfile *f)
{
	if (f->fp)
		fclose(f->fp);
	f->fp = NULL;
	unlink(f->tmp);
}

int outfile_commit(struct outfile *f)
{
	int err = 0;

	/* a full disk shows at the flush or at fsync, never later than the rename */
	if (fflush(f->fp) == EOF || ferror(f->fp))
		err = errno ? -errno : -EIO;
	else if (fsync(fileno(f->fp)) < 0)
		err = -errno;
	if (fclose(f->fp) == EOF && !err)
		err = -errno;
	f->fp = NULL;
	if (!err && rename(f->tmp, f->path) < 0)
		err = -errno;
	if (err)
		unlink(f->tmp);
	return err;
}
