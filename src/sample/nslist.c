/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nslist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroupread.h"
#include "fdread.h"
#include "util/sanitize.h"
#include "util/search.h"
#include "util/vec.h"

/* `ip netns add NAME` bind-mounts the namespace here (iproute2's NETNS_RUN_DIR). */
#define NSLIST_RUN_DIR "/run/netns"
/* Processes whose cgroup is read to name an unnamed namespace: its first few are
 * enough (a container's processes share its cgroup), and the answer is kept. */
#define NSLIST_WHO_TRIES 8

void nslist_init(struct nslist *l)
{
	memset(l, 0, sizeof(*l));
}

void nslist_free(struct nslist *l)
{
	free(l->v);
	free(l->pids);
	free(l->pairs);
	nslist_init(l);
}

static int add_pair(struct nslist *l, uint64_t inode, pid_t pid)
{
	if (vec_reserve((void **)&l->pairs, &l->cap_pairs, l->n_pairs + 1, sizeof(*l->pairs)) < 0)
		return -ENOMEM;
	l->pairs[l->n_pairs++] = (struct nslist_pair){ inode, pid };
	return 0;
}

/* stat() follows the ns/net magic link to the namespace's nsfs inode. */
static int scan_procs(struct nslist *l, const char *proc_root)
{
	DIR *dir = opendir(proc_root);
	struct dirent *de;
	int err = 0;

	if (!dir)
		return -errno;
	while (!err && (de = readdir(dir)) != NULL) {
		char path[64];
		struct stat st;
		long pid = fdread_parse_number(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%ld/ns/net", pid);
		if (fstatat(dirfd(dir), path, &st, 0) == 0)
			err = add_pair(l, (uint64_t)st.st_ino, (pid_t)pid);
		/* else gone, or not ours to see (ptrace access): not listed */
	}
	closedir(dir);
	return err;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct nslist_pair *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct nslist_entry *add_entry(struct nslist *l, uint64_t inode)
{
	struct nslist_entry *e;

	if (vec_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return NULL;
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->inode = inode;
	return e;
}

/* One entry per namespace, its pids in ascending order. */
static int group_pairs(struct nslist *l)
{
	if (vec_reserve((void **)&l->pids, &l->cap_pids, l->n_pairs ? l->n_pairs : 1,
			sizeof(*l->pids)) < 0)
		return -ENOMEM;
	qsort(l->pairs, l->n_pairs, sizeof(*l->pairs), pair_cmp);
	for (size_t i = 0; i < l->n_pairs; i++) {
		struct nslist_entry *e = l->n ? &l->v[l->n - 1] : NULL;

		if (!e || e->inode != l->pairs[i].inode) {
			e = add_entry(l, l->pairs[i].inode);
			if (!e)
				return -ENOMEM;
			e->first_pid = l->n_pids;
		}
		e->n_pids++;
		e->host = e->host || l->pairs[i].pid == 1;
		l->pids[l->n_pids++] = l->pairs[i].pid;
	}
	return 0;
}

SEARCH_LOWER_BOUND_DEFINE(entry_lower_bound, struct nslist_entry, uint64_t, .inode)

static struct nslist_entry *find(struct nslist_entry *v, size_t n, uint64_t inode)
{
	size_t lo = entry_lower_bound(v, n, inode);

	return lo < n && v[lo].inode == inode ? &v[lo] : NULL;
}

const struct nslist_entry *nslist_find(const struct nslist *l, uint64_t inode)
{
	return find(l->v, l->n, inode);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct nslist_entry *x = a, *y = b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

/*
 * A name under /run/netns is a bind mount of the namespace file: its st_dev is
 * nsfs's, not the directory's (a leftover file of a deleted namespace is not).
 */
static int one_name(struct nslist *l, size_t n_procs_entries, int dir_fd, dev_t dir_dev,
		    const char *name, bool *resort)
{
	struct nslist_entry *e;
	struct stat st;

	if (fstatat(dir_fd, name, &st, 0) < 0 || st.st_dev == dir_dev)
		return 0;
	e = find(l->v, n_procs_entries, (uint64_t)st.st_ino);
	if (!e) {
		e = add_entry(l, (uint64_t)st.st_ino);
		if (!e)
			return -ENOMEM;
		*resort = true;
	}
	if (!e->name[0] || strcmp(name, e->name) < 0)  /* several names: the first in order */
		sanitize_copy(e->name, sizeof(e->name), name, strlen(name), 0);
	return 0;
}

static int scan_run_netns(struct nslist *l)
{
	DIR *dir = opendir(NSLIST_RUN_DIR);
	size_t n = l->n;
	struct dirent *de;
	struct stat st;
	bool resort = false;
	int err = 0;

	if (!dir)
		return 0;  /* no ip netns add yet */
	if (fstat(dirfd(dir), &st) < 0)
		err = -errno;
	while (!err && (de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			err = one_name(l, n, dirfd(dir), st.st_dev, de->d_name, &resort);
	closedir(dir);
	if (!err && resort)
		qsort(l->v, l->n, sizeof(*l->v), entry_cmp);
	return err;
}

/* A name we cannot print whole would open another namespace: the pid path then. */
static void set_path(struct nslist_entry *e, const struct nslist *l, const char *proc_root)
{
	int n = -1;

	if (e->name[0])
		n = snprintf(e->path, sizeof(e->path), NSLIST_RUN_DIR "/%s", e->name);
	if ((n < 0 || (size_t)n >= sizeof(e->path)) && e->n_pids)
		n = snprintf(e->path, sizeof(e->path), "%s/%d/ns/net", proc_root,
			     (int)l->pids[e->first_pid]);
	if (n < 0 || (size_t)n >= sizeof(e->path))
		e->path[0] = '\0';
}

/* Who its processes are, kept from the last scan while its first process is the same. */
static void set_who(struct nslist_entry *e, const struct nslist *l, const struct nslist *old,
		    const char *proc_root)
{
	const struct nslist_entry *was = nslist_find(old, e->inode);

	if (was && was->n_pids && e->n_pids &&
	    old->pids[was->first_pid] == l->pids[e->first_pid]) {
		e->who = was->who;
		return;
	}
	for (size_t i = 0; i < e->n_pids && i < NSLIST_WHO_TRIES; i++) {
		struct cgroup_identity id;

		if (cgroupread_identity(proc_root, l->pids[e->first_pid + i], &id) == 0 &&
		    id.kind > e->who.kind)
			e->who = id;
	}
}

int nslist_scan(struct nslist *l, const char *proc_root)
{
	struct nslist old = *l;
	int err;

	l->v = NULL;
	l->n = l->cap = 0;
	l->pids = NULL;
	l->n_pids = l->cap_pids = 0;
	l->n_pairs = 0;
	err = scan_procs(l, proc_root);
	if (!err)
		err = group_pairs(l);
	if (!err)
		err = scan_run_netns(l);
	for (size_t i = 0; !err && i < l->n; i++) {
		set_path(&l->v[i], l, proc_root);
		set_who(&l->v[i], l, &old, proc_root);
	}
	free(old.v);
	free(old.pids);
	return err;
}

const char *nslist_label(const struct nslist_entry *e)
{
	if (e->name[0])
		return e->name;
	if (e->host)
		return "host";
	return e->who.name;
}
