/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process table's layout, apart from drawing it: which columns of the column
 * table fit a terminal, and the header line they make.  No curses here, so the unit
 * test of the columns can check the screen's header against the batch text's.
 */
#ifndef PORTTOP_TABLELAYOUT_H
#define PORTTOP_TABLELAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "model/columns.h"

/* The columns of m shown at cols cells: the table's drop ranks go first when it is
 * narrow; FAIL/s only once connect() failures were counted. */
void proctable_columns(const struct model *m, int cols, bool shown[COLUMNS_MAX]);

struct proctable_header {
	char text[COLUMNS_MAX * 16];
	size_t marker_at;      /* the blank the sort marker replaces */
	size_t sorted_len;     /* the sorted column's header after it; 0: not shown */
};

/*
 * The header line, unstyled: each shown column in its screen width, with one blank
 * left of each header where the sort marker goes (it also separates the columns).
 */
void proctable_header(struct proctable_header *h, const bool shown[COLUMNS_MAX],
		      const struct column *sort);

#endif
