/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket owners: which processes hold which socket inodes, read from /proc/PID/fd
 * (readlink gives "socket:[INODE]").  A forked socket is held by several processes
 * and counts for each.
 *
 * The first scan reads every fd of every process.  Later scans are incremental: they
 * keep each process's fd table from the last scan and read again only what can have
 * changed (see owners.c for the rules and the one case they leave to the periodic
 * full rescan).
 */
#ifndef PORTTOP_OWNERS_H
#define PORTTOP_OWNERS_H

#include "core/sample.h"

/* Every this many scans, every fd table is read again, whatever the cache says. */
#define OWNERS_FULL_EVERY 30

struct owners;

int owners_new(struct owners **out);
void owners_free(struct owners *o);

/*
 * For every process holding at least one socket of s->socks, appends a proc_rec
 * (pid, start_time and handles; procinfo fills the rest) and its owner links, then
 * sorts the links.  Processes that vanish mid-scan are skipped; those whose fd table
 * is not readable are counted in s->procs_unreadable.  0 or -errno (/proc unreadable,
 * -ENOMEM); after an error the next scan is a full one.
 */
int owners_scan(struct owners *o, const char *proc_root, struct sample *s);

/*
 * Scans only these processes (ascending pids, copied), from the next scan on: the
 * processes of one network namespace, when every namespace is read (fleet.c).
 * NULL: every process again.  0 or -ENOMEM.
 */
int owners_only_pids(struct owners *o, const pid_t *pids, size_t n);

/* Full rescan period: 1 reads everything every time, 0 never again after the first. */
void owners_set_full_every(struct owners *o, unsigned scans);
/* The helper thread reads fd tables beside a scan that has at least this many to
 * read (default 8; 0: never, for tests). */
void owners_set_helper_min(struct owners *o, unsigned tables);

/* What the last owners_scan did, for tests and bench/. */
struct owners_stats {
	unsigned scans;           /* owners_scan calls since owners_new */
	bool full;                /* the last scan read every fd table */
	bool fd_counts;           /* st_size of /proc/PID/fd is the fd count (Linux >= 6.2) */
	unsigned procs_listed;    /* processes in /proc */
	unsigned procs_kept;      /* taken from the cache without reading their fds */
	unsigned procs_targeted;  /* only the fds of sockets that left the sample were read */
	unsigned procs_listed_fds;/* fd table listed, only new or suspect fds read */
	unsigned procs_read;      /* every fd read (new, replaced, unreadable, full scan) */
	unsigned procs_searched;  /* read in full to find sockets nobody was known to hold */
	unsigned links_read;      /* readlink calls */
	unsigned procs_by_helper; /* fd tables the helper thread read (fdread.c) */
	unsigned orphans;         /* sample sockets no readable process holds */
};
void owners_get_stats(const struct owners *o, struct owners_stats *out);

#endif
