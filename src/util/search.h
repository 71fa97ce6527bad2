/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One binary search for every sorted array in porttop (owner links by inode, fd
 * tables by fd, processes by pid, the history by cookie, inode sets).
 *
 *   SEARCH_LOWER_BOUND_DEFINE(owner_lower_bound, struct owner_link, uint32_t, .inode)
 *
 * defines  static inline size_t owner_lower_bound(const struct owner_link *v, size_t n,
 * uint32_t key): the first index whose element's .inode is >= key, n if none; v is
 * sorted by .inode, ascending.  Leave MEMBER empty for an array of plain keys.  A
 * macro that writes a typed function, rather than bsearch() with a comparison
 * callback, so the key comparison is inlined: the hot loops run once per socket.
 */
#ifndef PORTTOP_SEARCH_H
#define PORTTOP_SEARCH_H

#include <stddef.h>

#define SEARCH_LOWER_BOUND_DEFINE(name, type, key_type, member)                   \
	static inline size_t name(const type *v, size_t n, key_type key)           \
	{                                                                          \
		size_t lo = 0, hi = n;                                             \
		while (lo < hi) {                                                  \
			size_t mid = lo + (hi - lo) / 2;                           \
			if (v[mid] member < key)                                   \
				lo = mid + 1;                                      \
			else                                                       \
				hi = mid;                                          \
		}                                                                  \
		return lo;                                                         \
	}

#endif
