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
#include "view/textcols.h"

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

/*
 * The columns of the name, the total and the rate, each at least as wide as its
 * header in the user's language, so that the title stands over the figures whatever
 * the translation's length ("par seconde" is wider than "per second").
 */
struct counterpanel_cols {
	int name, total, rate;
};

static int cols_at_least(int least, const char *header)
{
	int w = textcols_width(header);

	return w > least ? w : least;
}

static struct counterpanel_cols counterpanel_cols(void)
{
	struct counterpanel_cols cols = {
		.name = cols_at_least(COUNTERPANEL_NAME, _("Kernel counters (K)")),
		.total = cols_at_least(12, _("total")),
		.rate = cols_at_least(10, _("per second")),
	};

	return cols;
}

/* The title, padded in columns: printf pads in bytes, a column short for each "ä". */
static void draw_title(int y, const struct counterpanel_cols *cols)
{
	const char *name = _("Kernel counters (K)"), *total = _("total"), *rate = _("per second");
	char title[256];

	snprintf(title, sizeof(title), "%-*s %*s %*s", textcols_field(name, cols->name), name,
		 textcols_field(total, cols->total), total, textcols_field(rate, cols->rate), rate);
	attron(A_BOLD);
	textcols_mvadd(y, 0, title, COLS);
	attroff(A_BOLD);
}

static void draw_item(struct ui *u, int y, int x, int width, const struct counterpanel_cols *cols,
		      const char *name, const char *value, enum level level)
{
	int attr = ui_level_attr(u, level);
	char line[160];

	snprintf(line, sizeof(line), "%-*s %s", cols->name, name, value);
	attron(attr);
	textcols_mvadd(y, x, line, width);
	attroff(attr);
}

/* "12345  3.0/s", or "12345" before there is a rate; "/s" ends under the rate's header. */
static void format_counter(const struct counter_figure *f, const struct counterpanel_cols *cols,
			   char *buf, size_t len)
{
	if (f->per_sec < 0)
		snprintf(buf, len, "%*llu", cols->total, (unsigned long long)f->total);
	else
		snprintf(buf, len, "%*llu %*.1f/s", cols->total, (unsigned long long)f->total, cols->rate - 2,
			 f->per_sec);
}

/* "10/10 (100 %)": timewait sockets against tcp_max_tw_buckets, conntrack entries against max. */
static void format_fill(long long count, long long max, double percent,
			const struct counterpanel_cols *cols, char *buf, size_t len)
{
	if (max < 0)
		snprintf(buf, len, "%*lld/?", cols->total, count);
	else if (percent < 0)  /* nf_conntrack_max 0: no limit, so no fill */
		snprintf(buf, len, "%*lld/%lld", cols->total, count, max);
	else
		snprintf(buf, len, "%*lld/%lld (%.0f %%)", cols->total, count, max, percent);
}

void counterpanel_draw(struct ui *u, int y, int lines)
{
	const struct counter_figures *c = &u->engine->model.counters;
	struct counterpanel_cols cols = counterpanel_cols();
	int rows = lines - 1, width = COLS / 2, at = 0;
	char value[96];

	if (rows < 1)
		return;
	draw_title(y, &cols);
	for (int k = 0; k < KCOUNTER_COUNT; k++) {
		if (!c->counter[k].known)
			continue;
		format_counter(&c->counter[k], &cols, value, sizeof(value));
		draw_item(u, y + 1 + at % rows, (at / rows) * width, width - 1, &cols, kcounter_defs[k].name,
			  value, c->counter[k].level);
		at++;
	}
	if (c->tw_max_buckets >= 0)
		format_fill(c->tw_buckets, c->tw_max_buckets, c->tw_percent, &cols, value, sizeof(value));
	else
		snprintf(value, sizeof(value), "%*u/?", cols.total, c->tw_buckets);
	draw_item(u, y + 1 + at % rows, (at / rows) * width, width - 1, &cols, "timewait/max_tw_buckets",
		  value, c->tw_level);
	at++;
	if (c->conntrack) {
		format_fill(c->conntrack_count, c->conntrack_max, c->conntrack_percent, &cols, value,
			    sizeof(value));
		draw_item(u, y + 1 + at % rows, (at / rows) * width, width - 1, &cols,
			  "nf_conntrack_count/max", value, c->conntrack_level);
	}
}
