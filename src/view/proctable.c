/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process table.  Columns, headers, screen widths, cell formats, sort keys and
 * which columns a narrow terminal drops first all come from the column table
 * (model/columns.c); this file only lays them out.
 */
#include "view/ui.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"
#include "view/textcols.h"
#include "view/tablelayout.h"

/* A count that does not fit its cell is shown as 12k or 3M rather than pushing the row. */
static const char *compact_count(char *buf, size_t len, double v, int width)
{
	if ((int)strlen(buf) <= width)
		return buf;
	if (v < 1e6)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0fM", v / 1e6);
	return buf;
}

static void draw_cell(struct ui *u, const struct column *c, const struct proc_row *row)
{
	char buf[64];
	int width = c->screen_width;
	const char *cell = columns_format(c, row, u->st->show_cmdline ? COLUMN_CMDLINE : COLUMN_PLAIN,
					  buf, sizeof(buf));

	if (!columns_is_string(c)) {
		if (c->type != COLTYPE_RATE)
			cell = compact_count(buf, sizeof(buf), columns_value(c, row), width - 1);
		printw("%*.*s", width, width - 1, cell);
	} else if (c->width) {
		printw(" %-*.*s", width - 1, width - 1, cell);
	} else {
		int room;

		addch(' ');
		room = COLS - getcurx(stdscr);
		/* names were sanitized when sampled: printing them cannot drive the terminal */
		textcols_add(cell, room);
		/* not COLS - getcurx(): a name that fills the row leaves the cursor on the next */
		if (row->exited)
			textcols_add(_(" (exited)"), room - textcols_width(cell));
	}
}

static void draw_header(struct ui *u, int y, const bool shown[COLUMNS_MAX])
{
	bool descending = u->st->sort->descending != u->st->sort_invert;
	const char *marker = u->unicode ? (descending ? "\u25bc" : "\u25b2") : (descending ? "v" : "^");
	struct proctable_header h;

	proctable_header(&h, shown, u->st->sort);
	attron(A_REVERSE);
	move(y, 0);
	clrtoeol();
	if (h.sorted_len) {
		addnstr(h.text, (int)h.marker_at);  /* byte offsets into the ASCII header */
		attron(A_BOLD | A_UNDERLINE);
		addstr(marker);
		addnstr(h.text + h.marker_at + 1, (int)h.sorted_len);
		attroff(A_BOLD | A_UNDERLINE);
		addstr(h.text + h.marker_at + 1 + h.sorted_len);
	} else {
		addstr(h.text);
	}
	for (int x = getcurx(stdscr); x < COLS && x > 0; x++)
		addch(' ');
	attroff(A_REVERSE);
}

static void draw_row(struct ui *u, int y, const struct proc_row *row, bool selected,
		     const bool shown[COLUMNS_MAX])
{
	move(y, 0);
	if (selected)
		attron(A_REVERSE);
	if (row->exited)
		attron(A_DIM);
	for (size_t c = 0; c < columns_count; c++)
		if (shown[c])
			draw_cell(u, &columns[c], row);
	for (int x = getcurx(stdscr); x < COLS && x > 0 && selected; x++)
		addch(' ');
	attroff(A_REVERSE | A_DIM);
}

/* Keeps the selection inside the visible rows. */
static void scroll_to_selection(struct ui *u, int visible)
{
	if (visible <= 0)
		return;
	if (u->sel < u->top)
		u->top = u->sel;
	if (u->sel >= u->top + (size_t)visible)
		u->top = u->sel - (size_t)visible + 1;
	if (u->top + (size_t)visible > u->n_rows)
		u->top = u->n_rows > (size_t)visible ? u->n_rows - (size_t)visible : 0;
}

static void draw_unattributed(struct ui *u, int y)
{
	const struct model *m = &u->engine->model;
	char line[512], others[256];

	if (attribution_unattributed_list(m, others, sizeof(others))[0])
		snprintf(line, sizeof(line), _("TIME_WAIT not attributed to a process: %u of %u; unattributed %s"),
			 m->time_wait_unattributed, m->time_wait_total, others);
	else
		snprintf(line, sizeof(line), _("TIME_WAIT not attributed to a process: %u of %u"),
			 m->time_wait_unattributed, m->time_wait_total);
	attron(A_DIM);
	textcols_mvadd_words(y, 0, line, COLS);
	attroff(A_DIM);
}

void proctable_draw(struct ui *u, int y, int lines)
{
	bool shown[COLUMNS_MAX];
	int visible = lines - 2;

	if (lines < 2)
		return;
	proctable_columns(&u->engine->model, COLS, shown);
	draw_header(u, y, shown);
	u->table_height = visible;
	scroll_to_selection(u, visible);
	if (!u->have_sample)
		textcols_mvadd(y + 1, 0, _("sampling..."), COLS);
	else if (u->n_rows == 0)
		textcols_mvadd(y + 1, 0, _("no process holds a socket that porttop can see"), COLS);
	for (int i = 0; i < visible && u->top + (size_t)i < u->n_rows; i++)
		draw_row(u, y + 1 + i, u->rows[u->top + (size_t)i], u->top + (size_t)i == u->sel, shown);
	draw_unattributed(u, y + lines - 1);
}

void proctable_move(struct ui *u, long delta)
{
	long sel = (long)u->sel;

	if (u->n_rows == 0)
		return;
	if (delta == LONG_MIN)
		sel = 0;
	else if (delta == LONG_MAX)
		sel = (long)u->n_rows - 1;
	else
		sel += delta;
	if (sel < 0)
		sel = 0;
	if (sel >= (long)u->n_rows)
		sel = (long)u->n_rows - 1;
	u->sel = (size_t)sel;
	u->sel_pid = u->rows[u->sel]->pid;
	u->sel_start = u->rows[u->sel]->start_time;
}
