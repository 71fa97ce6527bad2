/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "vec.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int vec_reserve(void **items, size_t *cap, size_t want, size_t size)
{
	size_t new_cap;
	void *p;

	if (want <= *cap)
		return 0;
	new_cap = *cap ? *cap : 64;
	while (new_cap < want) {
		if (new_cap > SIZE_MAX / 2 / size)
			return -ENOMEM;
		new_cap *= 2;
	}
	p = realloc(*items, new_cap * size);
	if (!p)
		return -ENOMEM;
	*items = p;
	*cap = new_cap;
	return 0;
}

int vec_fit(void **items, size_t *cap, size_t want, size_t size)
{
	void *p;

	if (want < 64)
		want = 64;
	if (want <= *cap && want * 4 > *cap)
		return 0;
	if (want > SIZE_MAX / 2 / size)
		return -ENOMEM;
	p = realloc(*items, want * size);
	if (!p)
		return want <= *cap ? 0 : -ENOMEM;  /* a shrink that failed is no error */
	*items = p;
	*cap = want;
	return 0;
}
