/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cnumeric.h"

void cnumeric_enter(struct cnumeric *c)
{
	locale_t copy = duplocale(uselocale((locale_t)0));

	c->mine = copy ? newlocale(LC_NUMERIC_MASK, "C", copy) : (locale_t)0;
	if (!c->mine) {  /* copy is still ours */
		if (copy)
			freelocale(copy);
		/* out of memory: glibc's static C locale, English words rather than wrong figures */
		c->mine = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	}
	c->previous = c->mine ? uselocale(c->mine) : (locale_t)0;
}

void cnumeric_leave(struct cnumeric *c)
{
	if (c->previous)
		uselocale(c->previous);
	if (c->mine)
		freelocale(c->mine);
	c->previous = c->mine = (locale_t)0;
}
