/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Growable arrays: one rule for every buffer that grows with the sockets. */
#ifndef PORTTOP_VEC_H
#define PORTTOP_VEC_H

#include <stddef.h>

/*
 * Makes *items (of *cap items of `size` bytes) hold at least want items; the
 * capacity doubles from 64, so appends are amortised O(1).  0 or -ENOMEM, and
 * *items is left as it was on failure.
 */
int vec_reserve(void **items, size_t *cap, size_t want, size_t size);

/*
 * The same for a buffer sized anew on every refresh: it holds want items (at
 * least 64), and gives memory back once it is over four times that, so a peak
 * of sockets does not stay allocated.  0 or -ENOMEM.
 */
int vec_fit(void **items, size_t *cap, size_t want, size_t size);

#endif
