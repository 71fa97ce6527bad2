#include "owners.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct owners {
	uint32_t *inodes;      /* sorted inodes of the sample's sockets */
	size_t n_inodes, cap_inodes;
	uint32_t *held;        /* inodes found in the process being scanned */
	size_t n_held, cap_held;
};

int owners_new(struct owners **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void owners_free(struct owners *o)
{
	if (!o)
		return;
	free(o->inodes);
	free(o->held);
	free(o);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int reserve(uint32_t **items, size_t *cap, size_t want)
{
	if (want <= *cap)
		return 0;
	size_t new_cap = *cap ? *cap : 256;
	while (new_cap < want)
		new_cap *= 2;
	uint32_t *p = realloc(*items, new_cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	*items = p;
	*cap = new_cap;
	return 0;
}

/* The inodes worth looking for: sockets of this network namespace only. */
static int collect_inodes(struct owners *o, const struct sample *s)
{
	int err = reserve(&o->inodes, &o->cap_inodes, s->n_socks);
	if (err)
		return err;
	o->n_inodes = 0;
	for (size_t i = 0; i < s->n_socks; i++)
		if (s->socks[i].inode)
			o->inodes[o->n_inodes++] = s->socks[i].inode;
	qsort(o->inodes, o->n_inodes, sizeof(*o->inodes), u32_cmp);
	return 0;
}

static bool known_inode(const struct owners *o, uint32_t inode)
{
	return bsearch(&inode, o->inodes, o->n_inodes, sizeof(*o->inodes), u32_cmp) != NULL;
}

/* "socket:[12345]" -> 12345; false for anything else. */
static bool parse_socket_link(const char *link, size_t len, uint32_t *inode)
{
	static const char prefix[] = "socket:[";
	unsigned long long v = 0;
	size_t i = sizeof(prefix) - 1;

	if (len <= i + 1 || memcmp(link, prefix, i) != 0 || link[len - 1] != ']')
		return false;
	for (; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9')
			return false;
		v = v * 10 + (unsigned)(link[i] - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*inode = (uint32_t)v;
	return true;
}

/*
 * Reads one process's fd table into o->held; *handles gets the number of open fds.
 * -ENOENT when the process is gone, -EACCES when it is not ours to read.
 */
static int scan_fds(struct owners *o, int proc_fd, const char *pid, uint32_t *handles)
{
	char path[300];
	struct dirent *de;
	DIR *dir;
	int fd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int err = -errno;
		close(fd);
		return err;
	}
	o->n_held = 0;
	*handles = 0;
	int denied = 0;
	while ((de = readdir(dir)) != NULL) {
		char link[64];
		ssize_t len;
		uint32_t inode;

		if (de->d_name[0] == '.')
			continue;
		(*handles)++;
		/* The kernel reports sockets as DT_LNK like every fd: readlink tells them apart. */
		len = readlinkat(fd, de->d_name, link, sizeof(link));
		if (len < 0 && (errno == EACCES || errno == EPERM))
			denied = -errno; /* the directory lists, but the links are not ours to read */
		if (len <= 0 || (size_t)len >= sizeof(link))
			continue; /* closed meanwhile, or not a socket */
		if (!parse_socket_link(link, (size_t)len, &inode) || !known_inode(o, inode))
			continue;
		if (reserve(&o->held, &o->cap_held, o->n_held + 1) < 0) {
			closedir(dir);
			return -ENOMEM;
		}
		o->held[o->n_held++] = inode;
	}
	closedir(dir);
	return o->n_held ? 0 : denied;
}

static bool is_pid_name(const char *name)
{
	if (*name == '\0')
		return false;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return false;
	return true;
}

/* The same socket twice in one process (dup) is one holding, not two. */
static void unique_held(struct owners *o)
{
	size_t out = 0;

	qsort(o->held, o->n_held, sizeof(*o->held), u32_cmp);
	for (size_t i = 0; i < o->n_held; i++)
		if (out == 0 || o->held[out - 1] != o->held[i])
			o->held[out++] = o->held[i];
	o->n_held = out;
}

static int add_process(struct owners *o, struct sample *s, pid_t pid, uint32_t handles)
{
	struct proc_rec rec = { .pid = pid, .handles = handles, .cmdline = "" };
	size_t index;
	int err;

	unique_held(o);
	err = sample_add_proc(s, &rec, &index);
	for (size_t i = 0; !err && i < o->n_held; i++)
		err = sample_add_owner(s, o->held[i], (uint32_t)index);
	return err;
}

int owners_scan(struct owners *o, const char *proc_root, struct sample *s)
{
	struct dirent *de;
	int proc_fd, err;
	DIR *dir;

	err = collect_inodes(o, s);
	if (err)
		return err;
	proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd < 0)
		return -errno;
	dir = fdopendir(proc_fd);
	if (!dir) {
		err = -errno;
		close(proc_fd);
		return err;
	}
	while ((de = readdir(dir)) != NULL) {
		uint32_t handles = 0;

		if (!is_pid_name(de->d_name))
			continue;
		err = scan_fds(o, proc_fd, de->d_name, &handles);
		if (err == -EACCES || err == -EPERM) {
			s->procs_unreadable++;
			continue;
		}
		if (err == -ENOMEM)
			break;
		if (err || o->n_held == 0)
			continue; /* gone mid-scan, or holds no socket of ours */
		err = add_process(o, s, (pid_t)atol(de->d_name), handles);
		if (err)
			break;
		err = 0;
	}
	closedir(dir);
	if (err == -ENOMEM)
		return err;
	sample_finish_owners(s);
	return 0;
}
