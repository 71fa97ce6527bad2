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

#endif
