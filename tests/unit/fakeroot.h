/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake proc root in a temporary directory, for the readers that take proc_root
 * (procnet_read, sysctl_read): write, remove and clean up files under it.
 * Include after check.h.
 */
#ifndef PORTTOP_FAKEROOT_H
#define PORTTOP_FAKEROOT_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes text to root/rel (the directories must exist). */
static void fakeroot_put(const char *root, const char *rel, const char *text)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs(text, fp);
	fclose(fp);
}

static void fakeroot_drop(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static int fakeroot_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes root and everything under it. */
static void fakeroot_remove(const char *root)
{
	nftw(root, fakeroot_remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
