/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fd tables read on a second thread while the owner scan works through them.
 *
 * The owner scan (owners.c) spends its time in readlinkat() and getdents64() on
 * /proc/PID/fd, one process after the other.  Before its pass it lists the
 * processes it will read as jobs; a helper thread takes jobs from the far end of
 * the list while the scan takes them from the near end, each claiming a job before
 * touching it, until they meet.  A job the helper did reaches the scan as its
 * results (links read, the table's listing); the scan then decides exactly as it
 * would have, doing itself any read the helper left out.  Everything is read after
 * the socket dump either way, which is all the scan's rules assume.
 */
#ifndef PORTTOP_FDREAD_H
#define PORTTOP_FDREAD_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FDREAD_UNREAD 2  /* fdread_link.r: not read by the helper */
#define FDREAD_WANTED 3  /* fdread_link.r: set by choose(): the helper reads it */

struct fdread_link {
	int fd;
	int r;          /* 1: a socket (inode), 0: another file, -errno, or FDREAD_UNREAD */
	uint32_t inode;
};

struct fdread_job {
	pid_t pid;
	bool list;                   /* list PID/fd, then read the links want() asks for */
	int open_err;                /* list: 0, or -errno of opening PID/fd */
	uint32_t listed;             /* list: the fds listed */
	struct fdread_link *links;   /* list: every fd listed, by fd; else the fds to read */
	size_t n_links, cap_links;
	_Atomic int state;           /* private to fdread.c */
};

/* Marks (r = FDREAD_WANTED) which of a listed job's fds the helper reads; runs on the
 * helper thread, on a job the caller has not touched. */
typedef void (*fdread_choose_fn)(void *ctx, size_t job, struct fdread_link *links, size_t n);

struct fdread;

/* Decimal name ("123") -> number; -1 for anything else ("self", ".", "..", overflow). */
long fdread_parse_number(const char *name);

/*
 * Reads one fd link (name relative to dir_fd): 1 and *inode for a socket
 * ("socket:[12345]"), 0 for another file, -ENOENT when the fd (or the process) is
 * gone, -EACCES/-EPERM when not ours to read.
 */
int fdread_read_link(int dir_fd, const char *name, uint32_t *inode);

/*
 * Lists <proc_fd>/PID/fd: add(ctx, fd, dir_fd) for each fd number in it, in the
 * kernel's order (proc_readfd_common lists them ascending).  *dir stays open, for
 * reading the links relative to dir_fd; the caller closes it.  0; -errno of opening
 * or listing the directory (*dir NULL: -ENOENT gone, -EACCES/-EPERM not ours); or
 * the first error add returned.
 */
int fdread_list_dir(int proc_fd, pid_t pid, DIR **dir,
		    int (*add)(void *ctx, int fd, int dir_fd), void *ctx);

/*
 * Starts the helper on jobs[0..n) (it begins at the end); links of non-list jobs
 * must be filled with the fds to read.  proc_fd is the open /proc.  Without a
 * thread, *out is NULL and every job is the caller's: fdread_claim says so.
 */
void fdread_start(struct fdread **out, int proc_fd, struct fdread_job *jobs, size_t n,
		  fdread_choose_fn choose, void *ctx);
/* Job i for the caller: NULL if it is the caller's to do (not started by the helper,
 * or the helper ran out of memory), else the helper's results (waits for them). */
const struct fdread_job *fdread_claim(struct fdread *r, size_t i);
/* Waits for the helper and frees it; adds the jobs it did and the links it read. */
void fdread_finish(struct fdread *r, unsigned *jobs, unsigned *links);

#endif
