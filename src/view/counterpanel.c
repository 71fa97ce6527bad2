/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's counters (key K): totals and rates under the kernel's own names, each
 * yellow or red when it moves in a way that means trouble (model/counterrates.c
 * decides which).  It takes the place of the state histogram while it is shown.
 */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>

#include "util/i18n.h"

#define COUNTERPANEL_NAME 24

/* The counters the kernel has, then the two tables' fill: how many lines in all. */
static size_t counterpanel_items(const struct model *m)
{
	size_t n = 1;  /* the TIME_WAIT cap is always listed, "?" when unreadable */

	for (int k = 0; k < KCOUNTER_COUNT; k++)
		n += m->counters.counter[k].known;
	return n + m->counters.conntrack;
}

int counterpanel_lines(const struct ui *u)
{
	return (int)(counterpanel_items(&u->engine->model) + 1) / 2 + 1;
}

static void draw_item(struct ui *u, int y, int x, int width, const char *name, const char *value,
		      enum level level)
{
	int attr = ui_level_attr(u, level);
	char line[160];

	snprintf(line, sizeof(line), "%-*s %s", COUNTERPANEL_NAME, name, value);
	attron(attr);
	mvaddnstr(y, x, line, width);
	attroff(attr);
}

/* "12345  3.0/s", or "12345" before there is a rate. */
static void format_counter(const struct counter_figure *f, char *buf, size_t len)
{
	if (f->per_sec < 0)
		snprintf(buf, len, "%12llu", (unsigned long long)f->total);
	else
		snprintf(buf, len, "%12llu %8.1f/s", (unsigned long long)f->total, f->per_sec);
}

/* "10/10 (100 %)": TIME_WAIT sockets against tcp_max_tw_buckets, conntrack entries against max. */
static void format_fill(long long count, long long max, double percent, char *buf, size_t len)
{
	if (max < 0)
		snprintf(buf, len, "%12lld/?", count);
	else if (percent < 0)  /* nf_conntrack_max 0: no limit, so no fill */
		snprintf(buf, len, "%12lld/%lld", count, max);
	else
		snprintf(buf, len, "%12lld/%lld (%.0f %%)", count, max, percent);
}

void counterpanel_draw(struct ui *u, int y, int lines)
{
	const struct counter_figures *c = &u->engine->model.counters;
	int rows = lines - 1, width = COLS / 2, at = 0;
	char value[96], title[160];

	if (rows < 1)
		return;
	snprintf(title, sizeof(title), "%-*s %12s %10s", COUNTERPANEL_NAME, _("Kernel counters (K)"),
		 _("total"), _("per second"));
	attron(A_BOLD);
	mvaddnstr(y, 0, title, COLS);
	attroff(A_BOLD);
	for (int k = 0; k < KCOUNTER_COUNT; k++) {
		if (!c->counter[k].known)
			continue;
		format_counter(&c->counter[k], value, sizeof(value));
		draw_item(u, y + 1 + at % rows, (at / rows) * width, width - 1, kcounter_defs[k].name, value,
			  c->counter[k].level);
		at++;
	}
	if (c->tw_max_buckets >= 0)
		format_fill(c->time_wait, c->tw_max_buckets, c->tw_percent, value, sizeof(value));
	else
		snprintf(value, sizeof(value), "%12u/?", c->time_wait);
	draw_item(u, y + 1 + at % rows, (at / rows) * width, width - 1, "TIME_WAIT/max_tw_buckets",
		  value, c->tw_level);
	at++;
	if (c->conntrack) {
		format_fill(c->conntrack_count, c->conntrack_max, c->conntrack_percent, value, sizeof(value));
		draw_item(u, y + 1 + at % rows, (at / rows) * width, width - 1, "nf_conntrack_count/max",
			  value, c->conntrack_level);
	}
}
