/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stable LSD radix sorts of fixed-size records, for the arrays a refresh sorts at
 * 100 000 sockets: linear time, and a pass only for each key byte that differs
 * (cookies and inodes are counters, so most of their bytes are shared).
 */
#ifndef PORTTOP_RADIX_H
#define PORTTOP_RADIX_H

#include <stddef.h>

/*
 * Sorts n records of `size` bytes by the key_len bytes at key_offset, in memcmp
 * order; records with equal keys keep their order.  tmp holds n * size bytes.
 * 0, or -ENOMEM for a key longer than RADIX_MAX_KEY.
 */
#define RADIX_MAX_KEY 64
int radix_sort_bytes(void *items, size_t n, size_t size, size_t key_offset, size_t key_len,
		     void *tmp);

/* The same by the native uint32_t (uint64_t) at key_offset, in numeric order. */
void radix_sort_u32(void *items, size_t n, size_t size, size_t key_offset, void *tmp);
void radix_sort_u64(void *items, size_t n, size_t size, size_t key_offset, void *tmp);

#endif
