/*
 * The process table.  Columns, headers and sort keys come from the column table
 * (model/columns.c); this file only decides how wide each is on screen and which
 * ones a narrow terminal drops first.
 */
#include "view/ui.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"

/*
 * Screen widths, each with at least one cell of padding left of the header: the
 * sort marker goes there, and it separates the columns.  Tighter than the batch
 * text so that 80 columns keep a command.
 */
static const int screen_width[COL_COUNT] = {
	[COL_PID] = 8, [COL_USER] = 9, [COL_SOCKETS] = 6, [COL_TCP] = 6, [COL_UDP] = 5,
	[COL_EPHEMERAL] = 6, [COL_ESTABLISHED] = 6, [COL_TIME_WAIT] = 6,
	[COL_TIME_WAIT_PERCENT] = 4, [COL_CLOSE_WAIT] = 7, [COL_NEW_PER_SEC] = 6, [COL_FAIL_PER_SEC] = 7,
	[COL_HANDLES] = 8, [COL_COMMAND] = 1,
};

/* Dropped first when the terminal is narrow, so the command keeps some room. */
static const enum column_id drop_order[] = {
	COL_NEW_PER_SEC, COL_UDP, COL_TIME_WAIT_PERCENT, COL_TCP, COL_ESTABLISHED, COL_HANDLES,
	COL_USER, COL_CLOSE_WAIT, COL_FAIL_PER_SEC,
};

#define PROCTABLE_MIN_COMMAND 8

static void visible_columns(const struct model *m, bool shown[COL_COUNT])
{
	int used = 0;

	for (int c = 0; c < COL_COUNT; c++) {
		shown[c] = columns_shown(&columns[c], m);
		if (shown[c])
			used += screen_width[c];
	}
	for (size_t i = 0; i < sizeof(drop_order) / sizeof(drop_order[0]); i++) {
		if (COLS - used >= PROCTABLE_MIN_COMMAND)
			break;
		if (!shown[drop_order[i]])
			continue;
		shown[drop_order[i]] = false;
		used -= screen_width[drop_order[i]];
	}
}

/* A count that does not fit its cell is shown as 12k or 3M rather than pushing the row. */
static void format_count(char *buf, size_t len, double v, int width)
{
	snprintf(buf, len, "%.0f", v);
	if ((int)strlen(buf) <= width)
		return;
	if (v < 1e6)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0fM", v / 1e6);
}

static void draw_cell(struct ui *u, const struct column *c, const struct proc_row *row, int width)
{
	char buf[64];

	switch (c->type) {
	case COLTYPE_UNSIGNED:
	case COLTYPE_PID:
	case COLTYPE_PERCENT:
		format_count(buf, sizeof(buf), columns_value(c, row), width - 1);
		printw("%*s", width, buf);
		break;
	case COLTYPE_RATE:
		if (columns_value(c, row) < 0)
			snprintf(buf, sizeof(buf), "-");
		else
			snprintf(buf, sizeof(buf), "%.1f", columns_value(c, row));
		printw("%*.*s", width, width - 1, buf);
		break;
	case COLTYPE_STRING:
		if (c->width) {
			printw(" %-*.*s", width - 1, width - 1, columns_string(c, row));
			break;
		}
		addch(' ');
		/* names were sanitized when sampled: printing them cannot drive the terminal */
		addnstr(u->st->show_cmdline && row->cmdline[0] ? row->cmdline : row->comm,
			COLS - getcurx(stdscr));
		if (row->exited)
			addnstr(_(" (exited)"), COLS - getcurx(stdscr));
		break;
	}
}

static void draw_header(struct ui *u, int y, const bool shown[COL_COUNT])
{
	bool descending = columns[u->st->sort].descending != u->st->sort_invert;

	attron(A_REVERSE);
	move(y, 0);
	clrtoeol();
	for (int c = 0; c < COL_COUNT; c++) {
		const struct column *col = &columns[c];
		int w = screen_width[c];

		bool sorted = c == (int)u->st->sort;
		int pad = col->type == COLTYPE_STRING ? 1 : w - (int)strlen(col->header);

		if (!shown[c])
			continue;
		/* the marker takes the padding cell just left of the header */
		printw("%*s", pad > 0 ? pad - 1 : 0, "");
		if (sorted)
			attron(A_BOLD | A_UNDERLINE);
		addstr(sorted ? (u->unicode ? (descending ? "\u25bc" : "\u25b2") : (descending ? "v" : "^")) : " ");
		if (col->type == COLTYPE_STRING && col->width)
			printw("%-*s", w - 1, col->header);
		else
			addstr(col->header);
		if (sorted)
			attroff(A_BOLD | A_UNDERLINE);
	}
	for (int x = getcurx(stdscr); x < COLS && x > 0; x++)
		addch(' ');
	attroff(A_REVERSE);
}

static void draw_row(struct ui *u, int y, const struct proc_row *row, bool selected,
		     const bool shown[COL_COUNT])
{
	move(y, 0);
	if (selected)
		attron(A_REVERSE);
	if (row->exited)
		attron(A_DIM);
	for (int c = 0; c < COL_COUNT; c++)
		if (shown[c])
			draw_cell(u, &columns[c], row, screen_width[c]);
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
	char line[256];

	snprintf(line, sizeof(line), _("TIME_WAIT not attributed to a process: %u of %u"),
		 m->time_wait_unattributed, m->time_wait_total);
	attron(A_DIM);
	mvaddnstr(y, 0, line, COLS);
	attroff(A_DIM);
}

void proctable_draw(struct ui *u, int y, int lines)
{
	bool shown[COL_COUNT];
	int visible = lines - 2;

	if (lines < 2)
		return;
	visible_columns(&u->engine->model, shown);
	draw_header(u, y, shown);
	u->table_height = visible;
	scroll_to_selection(u, visible);
	if (!u->have_sample)
		mvaddnstr(y + 1, 0, _("sampling..."), COLS);
	else if (u->n_rows == 0)
		mvaddnstr(y + 1, 0, _("no process holds a socket that porttop can see"), COLS);
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
