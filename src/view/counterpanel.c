/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's counters (key K): totals and rates under the kernel's own names, each
 * yellow or red when it moves in a way that means trouble (model/counterrates.c
 * decides which).  It takes the place of the state histogram while it is shown.
 */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"
#include "view/textcols.h"

/* the fill lines' names: the whole ones, and the short ones a narrow column takes */
#define COUNTERPANEL_TW "timewait/max_tw_buckets"
#define COUNTERPANEL_TW_SHORT "timewait"
#define COUNTERPANEL_CT "nf_conntrack_count/max"
#define COUNTERPANEL_CT_SHORT "nf_conntrack"
/* totals up to 12 digits; below 6 columns a total could not even be scaled ("999k") */
#define COUNTERPANEL_TOTAL_MAX 12
#define COUNTERPANEL_TOTAL_MIN 6
#define COUNTERPANEL_RATE_MIN 10
/* the digits of the largest 64-bit number: a fill line's figures unscaled */
#define COUNTERPANEL_DIGITS 20

/* The counters the kernel has, then the two tables' fill: how many lines in all. */
static size_t counterpanel_items(const struct model *m)
{
	size_t n = 1;  /* the TIME_WAIT cap is always listed, "?" when unreadable */

	for (int k = 0; k < KCOUNTER_COUNT; k++)
		n += m->counters.counter[k].known;
	return n + m->counters.conntrack;
}

/*
 * The layout: one or two columns of items, each a name, a total and a rate (rate 0:
 * no rates, nor their header).  The total and the rate are at least as wide as their
 * headers in the user's language, and the title fits left of the total's header, so
 * that the title line stands over the figures whatever the translation's length
 * ("par seconde" is wider than "per second").
 */
struct counterpanel_cols {
	int columns, stride, width;  /* items side by side; from one to the next; usable cells */
	int name, total, rate;
};

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* The longest name of a counter: the fill lines' short names are no longer. */
static int counter_names_width(void)
{
	int w = (int)strlen(COUNTERPANEL_CT_SHORT);

	for (int k = 0; k < KCOUNTER_COUNT; k++)
		w = max_int(w, (int)strlen(kcounter_defs[k].name));
	return w;
}

/*
 * The widest total up to COUNTERPANEL_TOTAL_MAX that fits with the rate into
 * c->width, since a total is scaled down only when wider than its column; at each
 * width the name column takes the fill lines' whole names if it can, so that their
 * counts stand under the totals.
 */
static bool counterpanel_fit(struct counterpanel_cols *c, int rate)
{
	int head = textcols_width(_("total")), title = textcols_width(_("Kernel counters (K)"));
	int names[] = { (int)strlen(COUNTERPANEL_TW), counter_names_width() };

	for (int t = max_int(COUNTERPANEL_TOTAL_MAX, head); t >= max_int(COUNTERPANEL_TOTAL_MIN, head); t--) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			int name = max_int(names[i], title + head - t);

			if (name + 1 + t + (rate ? 1 + rate : 0) <= c->width) {
				c->name = name;
				c->total = t;
				c->rate = rate;
				return true;
			}
		}
	}
	return false;
}

/*
 * As atop does, the least needed figures go first as the screen narrows, and the
 * panel stays short: one column of up to 15 items takes 16 lines, more than an
 * 80x24 terminal leaves it beside the process table, so the rates go before the
 * second column does (the colours still say which counter moves).  One column
 * only where two cannot hold even the names and totals, at the view's least widths.
 */
static struct counterpanel_cols counterpanel_cols(void)
{
	static const struct { int columns; bool rate; } forms[] = {
		{ 2, true }, { 2, false }, { 1, true }, { 1, false },
	};
	int rate = max_int(COUNTERPANEL_RATE_MIN, textcols_width(_("per second")));
	struct counterpanel_cols c = { 0 };

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		c.columns = forms[i].columns;
		c.stride = COLS / c.columns;
		c.width = c.columns > 1 ? c.stride - 1 : COLS;  /* a blank between two columns */
		if (counterpanel_fit(&c, forms[i].rate ? rate : 0))
			return c;
	}
	c.name = counter_names_width();  /* a title wider than the screen: cut, as all else */
	c.total = COUNTERPANEL_TOTAL_MIN;
	return c;
}

int counterpanel_lines(const struct ui *u)
{
	size_t side = (size_t)counterpanel_cols().columns;

	return (int)((counterpanel_items(&u->engine->model) + side - 1) / side) + 1;
}

/* The title, padded in columns: printf pads in bytes, a column short for each "ä". */
static void draw_title(int y, const struct counterpanel_cols *cols)
{
	const char *name = _("Kernel counters (K)"), *total = _("total"), *rate = _("per second");
	int total_at = cols->name + 1 + cols->total - textcols_width(total);
	char title[256];
	int n;

	n = snprintf(title, sizeof(title), "%-*s%s", textcols_field(name, total_at), name, total);
	if (cols->rate && n > 0 && (size_t)n < sizeof(title))
		snprintf(title + n, sizeof(title) - (size_t)n, " %*s", textcols_field(rate, cols->rate), rate);
	attron(A_BOLD);
	textcols_mvadd(y, 0, title, COLS);
	attroff(A_BOLD);
}

static void draw_item(struct ui *u, int at, int y, int rows, const struct counterpanel_cols *cols,
		      const char *line, enum level level)
{
	int attr = ui_level_attr(u, level);

	attron(attr);
	textcols_mvadd(y + 1 + at % rows, (at / rows) * cols->stride, line, cols->width);
	attroff(attr);
}

/* "3.0/s" in cols columns: without its tenth, or scaled, when a burst is that wide. */
static void format_rate(double per_sec, int cols, char *buf, size_t len)
{
	char n[32];

	if (snprintf(n, sizeof(n), "%.1f", per_sec) > cols - 2 &&
	    snprintf(n, sizeof(n), "%.0f", per_sec) > cols - 2)
		textcols_number(n, sizeof(n), per_sec < 1e19 ? (unsigned long long)per_sec : ~0ULL, cols - 2);
	snprintf(buf, len, "%*s/s", cols - 2, n);
}

/* "TWRecycled  12345  3.0/s", without the rate before there is one or where none is shown. */
static void format_counter(const char *name, const struct counter_figure *f,
			   const struct counterpanel_cols *cols, char *buf, size_t len)
{
	char total[32], rate[48] = "";

	textcols_number(total, sizeof(total), f->total, cols->total);
	if (cols->rate && f->per_sec >= 0)
		format_rate(f->per_sec, cols->rate, rate, sizeof(rate));
	snprintf(buf, len, "%-*s %*s%s%s", cols->name, name, cols->total, total, rate[0] ? " " : "", rate);
}

struct counterpanel_fill {
	const char *name, *short_name;
	long long count, max;
	double percent;
};

/* "10/10 (100 %)" after the count: "/?" when max is unknown, no percentage for no limit. */
static void format_fill_rest(const struct counterpanel_fill *f, int digits, char *buf, size_t len)
{
	char max[32];

	if (f->max < 0) {
		snprintf(buf, len, "/?");
		return;
	}
	textcols_number(max, sizeof(max), (unsigned long long)f->max, digits);
	if (f->percent < 0)  /* nf_conntrack_max 0: no limit, so no fill */
		snprintf(buf, len, "/%s", max);
	else
		snprintf(buf, len, "/%s (%.0f %%)", max, f->percent);
}

/* The line with name and figures whole in cols->width, its count under the totals if it can. */
static bool format_fill_as(const struct counterpanel_fill *f, const char *name, int digits,
			   const struct counterpanel_cols *cols, char *buf, size_t len)
{
	char count[32], rest[64];
	int n;

	textcols_number(count, sizeof(count), f->count < 0 ? 0 : (unsigned long long)f->count, digits);
	format_fill_rest(f, digits, rest, sizeof(rest));
	n = snprintf(buf, len, "%-*s %*s%s", cols->name, name, cols->total, count, rest);
	if (n > cols->width)
		n = snprintf(buf, len, "%s %s%s", name, count, rest);
	return n >= 0 && n <= cols->width;
}

/*
 * timewait sockets against tcp_max_tw_buckets, conntrack entries against max: the
 * whole name and figures; in a narrow column the short name, and the figures scaled
 * only when even that does not leave them room.
 */
static void format_fill(const struct counterpanel_fill *f, const struct counterpanel_cols *cols,
			char *buf, size_t len)
{
	if (format_fill_as(f, f->name, COUNTERPANEL_DIGITS, cols, buf, len))
		return;
	for (int digits = COUNTERPANEL_DIGITS; digits >= 4; digits--)
		if (format_fill_as(f, f->short_name, digits, cols, buf, len))
			return;
}

void counterpanel_draw(struct ui *u, int y, int lines)
{
	const struct counter_figures *c = &u->engine->model.counters;
	struct counterpanel_cols cols = counterpanel_cols();
	struct counterpanel_fill tw = { COUNTERPANEL_TW, COUNTERPANEL_TW_SHORT, c->tw_buckets,
					c->tw_max_buckets, c->tw_percent };
	struct counterpanel_fill ct = { COUNTERPANEL_CT, COUNTERPANEL_CT_SHORT, c->conntrack_count,
					c->conntrack_max, c->conntrack_percent };
	int rows = lines - 1, at = 0;
	char line[256];

	if (rows < 1)
		return;
	draw_title(y, &cols);
	for (int k = 0; k < KCOUNTER_COUNT; k++) {
		if (!c->counter[k].known)
			continue;
		format_counter(kcounter_defs[k].name, &c->counter[k], &cols, line, sizeof(line));
		draw_item(u, at++, y, rows, &cols, line, c->counter[k].level);
	}
	format_fill(&tw, &cols, line, sizeof(line));
	draw_item(u, at++, y, rows, &cols, line, c->tw_level);
	if (c->conntrack) {
		format_fill(&ct, &cols, line, sizeof(line));
		draw_item(u, at, y, rows, &cols, line, c->conntrack_level);
	}
}
