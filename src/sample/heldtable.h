/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inode -> (pid, fd) for the owner scan (owners.c): one slot per socket fd, and a
 * marker (pid 0) for a socket of the sample that no visible process holds.
 */
#ifndef PORTTOP_HELDTABLE_H
#define PORTTOP_HELDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* inode -> (pid, fd): one slot per socket fd; pid 0 marks a sample socket nobody holds. */
struct holder {
	uint32_t inode;    /* 0: empty slot */
	pid_t pid;
	int fd;
};

/* Open addressing, linear probing, deletion by backward shift: no tombstones. */
struct held_table {
	struct holder *slots;
	size_t cap, count;   /* cap a power of two (or 0), count <= cap / 2 */
	size_t markers;      /* slots with pid 0 */
};

/* Adds a holder (pid 0: the "held by nobody" marker, dropped once a process holds
 * it).  0 or -ENOMEM. */
int held_insert(struct held_table *t, uint32_t inode, pid_t pid, int fd);
void held_remove(struct held_table *t, uint32_t inode, pid_t pid, int fd);
/* 0: nobody, 1: a process, -1: only the marker "held by nobody visible". */
int held_state(const struct held_table *t, uint32_t inode);
/* Copies the holders of inode into out (at most max); returns how many there are. */
size_t held_list(const struct held_table *t, uint32_t inode, struct holder *out, size_t max);
/* Rehashes into cap slots (a power of two, > 2 x count).  0 or -ENOMEM. */
int held_resize(struct held_table *t, size_t cap);
void held_free(struct held_table *t);

#endif
