/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "columns.h"

#include <stdlib.h>
#include <string.h>

bool rowview_match(const struct proc_row *row, const struct row_filter *f)
{
	if (!f)
		return true;
	if (f->n_pids) {
		bool found = false;
		for (size_t i = 0; i < f->n_pids && !found; i++)
			found = f->pids[i] == row->pid;
		if (!found)
			return false;
	}
	if (f->user && f->user[0] && strcmp(f->user, row->user) != 0)
		return false;
	if (f->command && f->command[0] && !strstr(row->comm, f->command))
		return false;
	if (f->container && f->container[0] &&
	    !strstr(row->container[0] ? row->container : "-", f->container))
		return false;
	return true;
}

struct sort_order {
	const struct column *column;
	int sign;
};

static int row_ptr_cmp(const void *x, const void *y, void *arg)
{
	const struct sort_order *order = arg;
	const struct proc_row *a = *(const struct proc_row *const *)x;
	const struct proc_row *b = *(const struct proc_row *const *)y;
	int c = columns_compare(order->column, a, b) * order->sign;

	if (c == 0)
		c = (a->pid > b->pid) - (a->pid < b->pid);
	return c;
}

size_t rowview_select(const struct model *m, const struct row_filter *f, const struct column *by,
		      bool invert, const struct proc_row **out)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_rows; i++)
		if (rowview_match(&m->rows[i], f))
			out[n++] = &m->rows[i];
	if (by && n > 1) {
		struct sort_order order = { by, by->descending ? -1 : 1 };
		if (invert)
			order.sign = -order.sign;
		qsort_r(out, n, sizeof(*out), row_ptr_cmp, &order);
	}
	return n;
}
