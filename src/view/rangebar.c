/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The occupancy bars: how full the usable range is for TCP (split by what holds the
 * ports) and for UDP, then the tightest destinations, where connect() fails first.
 */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "output/output.h"
#include "util/i18n.h"
#include "view/textcols.h"

static const enum ui_color holder_color[HOLDER_COUNT] = {
	UI_COLOR_ESTAB, UI_COLOR_TIME_WAIT, UI_COLOR_CLOSE_WAIT, UI_COLOR_OTHER,
};

/* Destination lines the panel offers on a screen of height lines: more on a tall one. */
static int destination_lines(int height)
{
	return height >= 40 ? 5 : 2;
}

/* A tall screen has room for the line that names the pool to fail first. */
static bool first_to_fail_shown(int height, int budget, int dests)
{
	return height >= 30 && budget >= 3 + dests + 1;
}

int rangebar_lines(int budget, int height)
{
	int dests = destination_lines(height);

	if (budget < 2)
		return budget > 0 ? budget : 0;
	if (budget < 4)
		return 2;
	if (first_to_fail_shown(height, budget, dests))
		return 3 + dests + 1;
	return 3 + (budget - 3 < dests ? budget - 3 : dests);
}

/* Cell boundaries come from cumulative counts, so rounding never shifts the total. */
static void draw_cells(struct ui *u, const struct pool_stats *p, unsigned usable, int width)
{
	unsigned cum = 0;
	int drawn = 0;

	for (int h = 0; h < HOLDER_COUNT; h++) {
		int end;

		cum += p->by_holder[h];
		end = usable ? (int)(((double)cum * width) / usable + 0.5) : 0;
		if (end > width)
			end = width;
		attron(ui_color_attr(u, holder_color[h]));
		for (; drawn < end; drawn++)
			addstr(u->glyphs.holder[h]);
		attroff(ui_color_attr(u, holder_color[h]));
	}
	for (; drawn < width; drawn++)
		addstr(u->glyphs.free_cell);
}

static void draw_pool(struct ui *u, int y, const char *label, const struct pool_stats *p)
{
	const struct model *m = &u->engine->model;
	char figures[64];
	int width;

	snprintf(figures, sizeof(figures), " %u/%u (%.0f %%)", p->in_use, m->range.usable, p->percent);
	width = COLS - 6 - (int)strlen(figures) - 1;
	mvaddstr(y, 0, label);
	move(y, 4);
	addch('[');
	if (width > 0)
		draw_cells(u, p, m->range.usable, width);
	addch(']');
	attron(ui_percent_attr(u, p->percent));
	textcols_add(figures, COLS - getcurx(stdscr));
	attroff(ui_percent_attr(u, p->percent));
}

static void draw_legend(struct ui *u, int y)
{
	static const char *const names[HOLDER_COUNT] = {
		N_("ESTAB"), N_("TW"), N_("CLWAIT"), N_("other"),
	};

	attron(ui_color_attr(u, UI_COLOR_TITLE) | A_BOLD);
	textcols_mvadd(y, 0, _("Tightest destinations"), COLS);
	attroff(ui_color_attr(u, UI_COLOR_TITLE) | A_BOLD);
	addstr("   ");
	for (int h = 0; h < HOLDER_COUNT && getcurx(stdscr) < COLS - 10; h++) {
		attron(ui_color_attr(u, holder_color[h]));
		addstr(u->glyphs.holder[h]);
		attroff(ui_color_attr(u, holder_color[h]));
		printw(" %s  ", _(names[h]));
	}
}

/* "  full in ~3 min" in the colour of what it means; nothing while unknown. */
static void draw_forecast(struct ui *u, const struct forecast *f)
{
	char words[96];
	int attr = f->trend == FORECAST_FULL ? ui_percent_attr(u, 100)
		 : f->trend == FORECAST_FILLING ? ui_percent_attr(u, f->seconds_to_full < 300 ? 100 : 80)
		 : 0;

	/* whole or not at all: "full in ~2" would read as a figure it is not */
	if (!output_forecast_words(f, words, sizeof(words))[0] ||
	    2 + textcols_width(words) > COLS - getcurx(stdscr))
		return;
	addstr("  ");
	attron(attr);
	textcols_add(words, COLS - getcurx(stdscr));
	attroff(attr);
}

/*
 * "First to fail: destination 127.0.0.1 -> 127.0.0.1:8080, 97 % full: connect()
 * EADDRNOTAVAIL, full in ~1 min" at y, x (x < 0: at the end of the line if it fits whole).
 */
static void draw_first_to_fail(struct ui *u, int y, int x)
{
	const struct model *m = &u->engine->model;
	char line[400];

	output_first_to_fail_words(m, line, sizeof(line));
	if (x < 0) {
		x = getcurx(stdscr) + 2;
		if (x + (int)strlen(line) >= COLS)
			return;
	}
	attron(ui_percent_attr(u, m->first_to_fail.percent));
	textcols_mvadd_words(y, x, line, COLS - x);
	attroff(ui_percent_attr(u, m->first_to_fail.percent));
}

static void draw_destination(struct ui *u, int y, const struct destination *d)
{
	char local[64], endpoint[80], states[160], line[400];
	size_t n;
	bool whole;

	sample_addr_format(d->local, local, sizeof(local));
	sample_endpoint_format(d->remote, d->remote_port, endpoint, sizeof(endpoint));
	states_list(d->by_state, states, sizeof(states));
	mvprintw(y, 0, "  %-21s %6u/%-6u ", endpoint, d->in_use, d->capacity);
	/* the colour says how close connect() is to failing: reusable TIME_WAIT does not count */
	attron(ui_percent_attr(u, d->blocked_percent));
	printw("%3.0f %%", d->percent);
	attroff(ui_percent_attr(u, d->blocked_percent));
	n = (size_t)snprintf(line, sizeof(line), "  %s", states);
	if (d->reusable && n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, _(" (%u reusable)"), d->reusable);
	if (d->connect_failures && n < sizeof(line)) {
		if (d->fail_per_sec > 0)
			n += (size_t)snprintf(line + n, sizeof(line) - n, _("  connect() failing %.0f/s (%llu)"),
					      d->fail_per_sec, (unsigned long long)d->connect_failures);
		else
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      P_("  connect() failed %llu time", "  connect() failed %llu times",
						 d->connect_failures),
					      (unsigned long long)d->connect_failures);
	}
	/* the local address only when it says something: not for loopback to itself */
	if (memcmp(d->local, d->remote, sizeof(d->local)) != 0 && n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, _(" from %s"), local);
	whole = textcols_width(line) <= COLS - getcurx(stdscr);
	textcols_add_words(line, COLS - getcurx(stdscr));
	if (whole)  /* after a cut line it would read as one of the states */
		draw_forecast(u, &d->forecast);
}

void rangebar_draw(struct ui *u, int y, int lines)
{
	const struct model *m = &u->engine->model;
	int dests = destination_lines(LINES);
	bool first_line = lines == 3 + dests + 1 && first_to_fail_shown(LINES, lines, dests);

	if (lines >= 1)
		draw_pool(u, y, "TCP", &m->tcp);
	if (lines >= 2)
		draw_pool(u, y + 1, "UDP", &m->udp);
	if (lines < 3)
		return;
	draw_legend(u, y + 2);
	if (!first_line)  /* without a line of its own: after the legend, if it fits */
		draw_first_to_fail(u, y + 2, -1);
	if (m->n_destinations == 0 && lines > 3)
		textcols_mvadd(y + 3, 2, _("no outgoing connections"), COLS - 2);
	for (int i = 0; i < lines - 3 - first_line && (size_t)i < m->n_destinations; i++)
		draw_destination(u, y + 3 + i, &m->destinations[i]);
	if (first_line)
		draw_first_to_fail(u, y + lines - 1, 0);
}
