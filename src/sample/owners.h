/*
 * Socket owners: which processes hold which socket inodes, read from /proc/PID/fd
 * (readlink gives "socket:[INODE]").  A forked socket is held by several processes
 * and counts for each.
 */
#ifndef PORTTOP_OWNERS_H
#define PORTTOP_OWNERS_H

#include "sample.h"

struct owners;

int owners_new(struct owners **out);
void owners_free(struct owners *o);

/*
 * For every process holding at least one socket of s->socks, appends a proc_rec
 * (pid and handles; procinfo fills the rest) and its owner links, then sorts the
 * links.  Processes that vanish mid-scan are skipped; those whose fd table is not
 * readable are counted in s->procs_unreadable.  0 or -errno (/proc unreadable).
 */
int owners_scan(struct owners *o, const char *proc_root, struct sample *s);

#endif
