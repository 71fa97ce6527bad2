/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine formats (JSON, Prometheus, the check plugin's line) print figures with a
 * '.', whatever LC_NUMERIC the user runs under: the live view and the text output
 * follow the locale as top does, and a parser of these formats never should.  Their
 * renderers switch the calling thread (uselocale(3)) to a copy of its locale whose
 * LC_NUMERIC is "C", so the words stay translated, and back when done.
 */
#ifndef PORTTOP_CNUMERIC_H
#define PORTTOP_CNUMERIC_H

#include <locale.h>

struct cnumeric {
	locale_t previous;  /* the thread's locale before, (locale_t)0 if not switched */
	locale_t mine;
};

/* From here on this thread prints numbers with a '.'.  Pairs with cnumeric_leave. */
void cnumeric_enter(struct cnumeric *c);
void cnumeric_leave(struct cnumeric *c);

#endif
