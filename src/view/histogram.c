/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One row per TCP state, in two or three columns.  Empty states are dimmed, never
 * hidden, so the layout does not jump when a state comes and goes.
 */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>

#define HISTOGRAM_NAME 12
#define HISTOGRAM_COUNT 8

static int histogram_columns(int width)
{
	return width >= 150 ? 3 : 2;
}

int histogram_lines(int width)
{
	int cols = histogram_columns(width);

	return (STATE_COUNT + cols - 1) / cols;
}

/* A bar of `value` out of `max` in `width` cells, with eighths where the glyphs allow. */
static void draw_bar(struct ui *u, unsigned value, unsigned max, int width)
{
	long eighths = max ? (long)((double)value * width * 8 / max + 0.5) : 0;

	if (value && eighths == 0)
		eighths = 1;  /* a non-zero state never looks empty */
	for (int i = 0; i < width && eighths > 0; i++, eighths -= 8)
		addstr(u->glyphs.eighths[eighths >= 8 ? 8 : eighths]);
}

static void draw_state(struct ui *u, int y, int x, int width, enum tcp_state st, unsigned max)
{
	const struct model *m = &u->engine->model;
	unsigned count = m->states[st];
	int bar = width - HISTOGRAM_NAME - HISTOGRAM_COUNT - 3;

	if (!count)
		attron(A_DIM);
	mvprintw(y, x, "%-*s %*u ", HISTOGRAM_NAME, states_name(st), HISTOGRAM_COUNT, count);
	if (bar > 0) {
		int attr = ui_color_attr(u, st == STATE_TIME_WAIT ? UI_COLOR_TIME_WAIT
					    : st == STATE_CLOSE_WAIT ? UI_COLOR_CLOSE_WAIT
					    : st == STATE_ESTABLISHED ? UI_COLOR_ESTAB : UI_COLOR_OTHER);
		attron(attr);
		draw_bar(u, count, max, bar);
		attroff(attr);
	}
	if (!count)
		attroff(A_DIM);
}

void histogram_draw(struct ui *u, int y, int lines)
{
	const struct model *m = &u->engine->model;
	int cols = histogram_columns(COLS), width = COLS / cols;
	unsigned max = 0;

	if (lines < histogram_lines(COLS))
		return;
	for (int st = 0; st < STATE_COUNT; st++)
		if (m->states[st] > max)
			max = m->states[st];
	for (int st = 0; st < STATE_COUNT; st++)
		draw_state(u, y + st % lines, (st / lines) * width, width - 1, (enum tcp_state)st, max);
}
