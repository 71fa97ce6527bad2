/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The owner scan's cache of fd tables, shared by owners.c (which runs each scan),
 * ownerprocs.c, ownersockets.c and ownerjobs.c (which decide what it reads) and
 * fdtable.c (which reads the tables and keeps the cache and the holder table in
 * step with them).  Internal to src/sample: the rest of porttop sees owners.h.
 */
#ifndef PORTTOP_FDTABLE_H
#define PORTTOP_FDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fdread.h"
#include "heldtable.h"
#include "owners.h"
#include "util/search.h"
#include "util/vec.h"

/* One open fd of a process as it was last read. */
struct fd_ent {
	int fd;
	uint32_t inode;    /* socket inode; 0 for any other kind of file */
	uint8_t dumped;    /* the socket is in the current sample */
	uint8_t suspect;   /* read this fd again: its socket left the sample, or was outside */
	uint8_t fresh;     /* read in this scan (while committing a new table) */
};

/* A socket found at an fd but not in the sample: read that fd again next scan. */
struct pending {
	pid_t pid;
	int fd;
	uint32_t inode;
};

/* What a scan does with one process, in increasing cost. */
enum scan_plan { PLAN_KEEP, PLAN_TARGETED, PLAN_LIST, PLAN_READ };

struct proc_entry {
	pid_t pid;
	uint32_t handles;              /* fds listed when its fd table was last listed */
	unsigned long long start_time;
	unsigned long long fd_ino;     /* inode number of PID/fd when last checked */
	long long fd_count;            /* st_size of PID/fd when last checked */
	unsigned last_change;          /* scan number of the last change of its sockets */
	uint8_t unreadable;
	uint8_t todo;                  /* enum scan_plan, this scan */
	uint8_t done;                  /* enum scan_plan actually done, this scan */
	size_t job;                    /* its fdread job this scan, NO_JOB if none */
	struct fd_ent *fds;            /* sorted by fd */
	size_t n_fds, cap_fds;
};

struct u32_vec {
	uint32_t *v;
	size_t n, cap;
};

/* The order a search reads processes in. */
struct search_key {
	bool touched;          /* something of it was read in this scan */
	unsigned last_change;
	pid_t pid;
	size_t index;          /* into owners.procs */
};

struct owners {
	char *proc_root;
	unsigned full_every;
	bool must_read_all;      /* first scan, or after an error or a new proc_root */
	bool fd_counts;
	bool procfs;
	struct owners_stats stats;

	struct proc_entry *procs;  /* sorted by pid */
	size_t n_procs, cap_procs;
	struct proc_entry *merged; /* the next procs, built while /proc is listed */
	size_t cap_merged;
	pid_t *pids;
	size_t n_pids, cap_pids;
	bool only;                 /* owners_only_pids: scan only these, ascending */
	pid_t *only_pids;
	size_t n_only, cap_only;
	struct fd_ent *scratch;
	size_t n_scratch, cap_scratch;
	struct search_key *order;
	size_t cap_order;

	struct u32_vec cur;        /* sorted unique inodes of this sample */
	struct u32_vec prev;       /* ... of the last one */
	struct u32_vec vanished, appeared, candidates;
	struct u32_vec deferred, deferred_next;  /* sockets that lost their holder */
	struct pending *pending, *pending_next;
	size_t n_pending, cap_pending, n_pending_next, cap_pending_next;
	pid_t self;
	struct held_table held;
	void *sort_buf;            /* the radix sorts' second buffer */
	size_t sort_buf_size;

	struct fdread_job *jobs;   /* the fd tables this scan reads, for the helper */
	size_t *job_entry;         /* jobs[i] is procs[job_entry[i]] */
	size_t n_jobs, cap_jobs, cap_job_entry;
	struct fdread *reader;     /* the helper, while the scan's pass runs */
	unsigned helper_min;       /* jobs a pass needs for the helper; 0: never */
};

#define NO_JOB SIZE_MAX
/* Fewer fd tables to read than this are not worth a thread. */
#define FDREAD_MIN_JOBS 8

static inline int vec_push(struct u32_vec *v, uint32_t x)
{
	int err = vec_reserve((void **)&v->v, &v->cap, v->n + 1, sizeof(*v->v));
	if (!err)
		v->v[v->n++] = x;
	return err;
}

SEARCH_LOWER_BOUND_DEFINE(u32_lower_bound, uint32_t, uint32_t, )

static inline bool in_sorted(const struct u32_vec *v, uint32_t x)
{
	size_t lo = u32_lower_bound(v->v, v->n, x);

	return lo < v->n && v->v[lo] == x;
}

/* --- owners.c: the scan's sorts --- */
int owners_sort_inodes(struct owners *o, struct u32_vec *v);
void owners_sort_unique(struct u32_vec *v);

/* --- ownerprocs.c: which processes this scan reads, and how much --- */
/* Lists /proc and merges it with the cache: new pids in, gone pids out, each planned. */
int owners_merge_procs(struct owners *o, int proc_fd, bool full, bool track);

/* --- ownersockets.c: what the sockets that came and went ask to read --- */
/* Every holder of a socket that left the sample reads that fd again. */
void owners_mark_vanished(struct owners *o);
/* The last scan's queues: fds that held a socket outside the sample, unheld sockets. */
int owners_recheck_last_scan(struct owners *o);
/* Sockets that joined the sample count where held; the others are searched for later. */
int owners_mark_appeared(struct owners *o, bool track);
/* Reads processes in full until the sockets nobody holds are found, or all were read. */
int owners_search_unknown(struct owners *o, int proc_fd);
/* After a full reading: the sockets still unheld are held by nobody visible. */
int owners_mark_orphans(struct owners *o);

/* --- ownerjobs.c: what the helper thread reads --- */
/* Every fd table this pass reads becomes a job; with enough of them, the helper starts. */
int owners_plan_jobs(struct owners *o, int proc_fd);
/* Waits for the helper and drops the jobs. */
void owners_finish_jobs(struct owners *o);

/* --- fdtable.c --- */

/* Field 22 of PID/stat into *out (0 when unreadable); -ENOENT when the process is gone. */
int fdtable_start_time(int proc_fd, pid_t pid, unsigned long long *out);
/* Sets o->fd_counts: does st_size of PID/fd count the open fds (Linux >= 6.2)? */
void fdtable_detect_fd_counts(struct owners *o, int proc_fd);
struct proc_entry *fdtable_find_entry(struct owners *o, pid_t pid);
struct fd_ent *fdtable_find_fd(struct proc_entry *e, int fd);
/* Forgets every socket e holds (track: queue those nobody holds now for a search). */
int fdtable_release_all(struct owners *o, struct proc_entry *e, bool track);
/* Reads e's table: every link (all) or those the cache cannot vouch for; job: what the
 * helper read of it, or NULL.  -ENOENT: the process is gone. */
int fdtable_read(struct owners *o, int proc_fd, struct proc_entry *e, bool all, bool track,
		 const struct fdread_job *job, bool *gained);
/* Brings e up to date at the level e->todo asks, in this scan's pass. */
int fdtable_pass(struct owners *o, int proc_fd, struct proc_entry *e, bool track);

#endif
