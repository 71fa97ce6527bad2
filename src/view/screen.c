/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The terminal's life cycle and the refresh loop.  Drawing goes through ncurses'
 * virtual screen: erase() + draw + refresh() sends only the cells that changed, so
 * a refresh with unchanged figures costs a few bytes over SSH (never clear()).
 */
#include "view/view.h"
#include "view/ui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "output/output.h"
#include "signals.h"
#include "util/i18n.h"
#include "view/textcols.h"

/*
 * The only global mutable state of porttop: which terminating signal arrived (SIGHUP
 * too when the terminal hung up without one reaching porttop).
 */
static volatile sig_atomic_t quit_signal;
/* SIGCONT arrived: the screen is to be painted again (see resume_if_continued) */
static volatile sig_atomic_t continued;

#define UI_MIN_COLS 40
#define UI_MIN_LINES 10
#define UI_MIN_TABLE 3

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

static void on_continue(int sig)
{
	(void)sig;
	continued = 1;
}

bool ui_interrupted(void)
{
	return quit_signal != 0;
}

/*
 * A read returned ERR: the timeout, or a terminal that hung up (the ssh connection
 * dropped, the pty's master closed: pty_close -> tty_vhangup).  A hung-up tty reads
 * end of file at once and fails every ioctl with EIO (hung_up_tty_ioctl), so a
 * porttop that missed or ignores the SIGHUP (nohup, trap '' HUP) would spin on
 * getch() for ever; it ends instead, as SIGHUP would have ended it.
 */
static void check_terminal(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) < 0 && errno == EIO && !quit_signal)
		quit_signal = SIGHUP;
}

/*
 * After a SIGSTOP, which porttop cannot catch to give the terminal back (C-z's
 * SIGTSTP goes through ncurses, which does), the shell has printed its lines over
 * porttop's screen and may have set its own terminal modes: on SIGCONT porttop sets
 * its modes again and repaints every cell, since ncurses still believes the screen
 * shows what it last sent.
 */
static void resume_if_continued(void)
{
	if (!continued)
		return;
	continued = 0;
	reset_prog_mode();
	clearok(curscr, TRUE);
	wrefresh(curscr);
}

/* Each read ends early on a signal (no SA_RESTART): then it sees to the terminal. */
int ui_get_key(void)
{
	int key;

	resume_if_continued();
	key = getch();
	if (key == ERR) {
		check_terminal();
		resume_if_continued();
	}
	return key;
}

int ui_get_wch(wint_t *ch)
{
	int kind;

	resume_if_continued();
	kind = get_wch(ch);
	if (kind == ERR) {
		check_terminal();
		resume_if_continued();
	}
	return kind;
}

double ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* No SA_RESTART: a signal must wake the blocked getch() so the loop can leave. */
static void install_signals(void)
{
	struct sigaction sa;

	signals_catch_quit(on_quit_signal);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_continue;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCONT, &sa, NULL);
}

void ui_set_status(struct ui *u, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->status, sizeof(u->status), fmt, ap);
	va_end(ap);
	u->status_error = error;
	u->status_counters = false;
}

int ui_color_attr(const struct ui *u, enum ui_color c)
{
	return u->color ? (int)COLOR_PAIR(c) : 0;
}

/* Colour turns where --critical and --warning alert (above 95 % and 80 % by default). */
int ui_percent_attr(const struct ui *u, double percent)
{
	if (threshold_alerts(&u->st->critical, percent))
		return u->color ? ui_color_attr(u, UI_COLOR_CRIT) | A_BOLD : A_BOLD | A_REVERSE;
	if (threshold_alerts(&u->st->warning, percent))
		return u->color ? ui_color_attr(u, UI_COLOR_WARN) | A_BOLD : A_BOLD;
	return ui_color_attr(u, UI_COLOR_OK);
}

int ui_level_attr(const struct ui *u, enum level level)
{
	switch (level) {
	case LEVEL_CRITICAL:
		return u->color ? ui_color_attr(u, UI_COLOR_CRIT) | A_BOLD : A_BOLD | A_REVERSE;
	case LEVEL_WARNING:
		return u->color ? ui_color_attr(u, UI_COLOR_WARN) | A_BOLD : A_BOLD;
	default:
		return 0;
	}
}

/* Foregrounds only, on the terminal's own background: readable on dark and light. */
static void init_colors(struct ui *u)
{
	u->color = settings_color(u->st) && has_colors() && start_color() == OK;
	if (!u->color)
		return;
	use_default_colors();
	init_pair(UI_COLOR_OK, COLOR_GREEN, -1);
	init_pair(UI_COLOR_WARN, COLOR_YELLOW, -1);
	init_pair(UI_COLOR_CRIT, COLOR_RED, -1);
	init_pair(UI_COLOR_ESTAB, COLOR_GREEN, -1);
	init_pair(UI_COLOR_TIME_WAIT, COLOR_YELLOW, -1);
	init_pair(UI_COLOR_CLOSE_WAIT, COLOR_RED, -1);
	init_pair(UI_COLOR_OTHER, COLOR_BLUE, -1);
	init_pair(UI_COLOR_TITLE, COLOR_CYAN, -1);
}

static void init_glyphs(struct ui *u)
{
	static const struct ui_glyphs utf8 = {
		{ "\u2588", "\u2593", "\u2592", "\u2591" }, "\u00b7",
		{ "", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589", "\u2588" },
		"\u2013",
	};
	/* Without colour the ASCII cells must tell the states apart by shape. */
	static const struct ui_glyphs ascii = {
		{ "#", "=", "!", "+" }, ".",
		{ "", "|", "|", "|", "#", "#", "#", "#", "#" },  /* a small count still shows */
		"-",
	};
	const char *codeset = nl_langinfo(CODESET);

	u->unicode = codeset && strcmp(codeset, "UTF-8") == 0;
	u->glyphs = u->unicode ? utf8 : ascii;
}

/* newterm, not initscr: an unknown TERM must be an error message, not an exit() inside curses. */
static int start_curses(struct ui *u)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("%s: the live view needs a terminal; use -b for batch output\n"), PACKAGE);
		return -1;
	}
	u->screen = newterm(NULL, stdout, stdin);
	if (!u->screen) {
		fprintf(stderr, _("%s: cannot use terminal type \"%s\"; try TERM=vt100 or -b\n"), PACKAGE,
			term ? term : "");
		return -1;
	}
	set_term(u->screen);
	cbreak();   /* not raw(): ^C and ^Z keep their meaning */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(100);
	init_colors(u);
	return 0;
}

const struct proc_row *ui_selected(const struct ui *u)
{
	return u->n_rows ? u->rows[u->sel] : NULL;
}

/* Re-filters and re-sorts; the selection stays on the same process when it is still shown. */
void ui_select_rows(struct ui *u)
{
	const struct model *m = &u->engine->model;
	struct row_filter f = {
		.pids = u->st->pids, .n_pids = u->st->n_pids,
		.user = u->st->user, .command = u->st->filter, .container = u->st->container,
	};
	size_t want = m->n_rows ? m->n_rows : 1;

	if (want > u->cap_rows) {
		const struct proc_row **p = realloc(u->rows, want * sizeof(*p));
		if (!p) {
			ui_set_status(u, true, "%s", _("out of memory"));
			u->n_rows = 0;
			return;
		}
		u->rows = p;
		u->cap_rows = want;
	}
	u->n_rows = rowview_select(m, &f, u->st->sort, u->st->sort_invert, u->rows);
	for (size_t i = 0; i < u->n_rows; i++)
		if (u->rows[i]->pid == u->sel_pid && u->rows[i]->start_time == u->sel_start) {
			u->sel = i;
			return;
		}
	if (u->sel >= u->n_rows)
		u->sel = u->n_rows ? u->n_rows - 1 : 0;
	if (u->n_rows) {
		u->sel_pid = u->rows[u->sel]->pid;
		u->sel_start = u->rows[u->sel]->start_time;
	}
}

/* stderr is the terminal here: --alert-command's trouble goes to the status line */
static void tell_alert_command(struct ui *u)
{
	char msg[256];

	if (u->engine->alertcmd_error) {
		ui_set_status(u, true, _("cannot run --alert-command: %s"), strerror(-u->engine->alertcmd_error));
	} else if (u->engine->alertcmd_dropped) {
		output_alert_dropped(msg, sizeof(msg), u->engine->alertcmd_dropped, u->engine->alertcmd_running);
		ui_set_status(u, true, "%s", msg);
	}
}

static void refresh_failed(struct ui *u, int err)
{
	char msg[512];

	output_failure(msg, sizeof(msg), u->engine->failed_step, err);
	/* a container's /proc torn down comes not back: say so where the shell is, exit 1 */
	if (u->engine->failed_step == SAMPLE_STEP_PROC_GONE)
		snprintf(u->fatal, sizeof(u->fatal), "%s", msg);
	ui_set_status(u, true, _("refresh failed: %s"), msg);
}

/*
 * Once per run, on the status line: what porttop's credentials lack to see the owners
 * the header counts as unseen, in the batch text's words.  A message already shown
 * goes first.  With nothing lacking, the few unseen are a security module's doing or
 * a socket closed between the dump and the fd scan: the header's count is enough,
 * and the key bar stays.
 */
static void tell_unreadable(struct ui *u)
{
	const struct model *m = &u->engine->model;

	if (u->told_unreadable || !m->sockets_unowned || !m->procs_unreadable || u->status[0] ||
	    m->owner_access == OWNER_ACCESS_FULL)
		return;
	ui_set_status(u, false, _("owners unseen: %s"), output_unreadable_reason(m->owner_access));
	u->told_unreadable = true;
}

void ui_refresh_now(struct ui *u)
{
	int err;

	u->next_refresh = ui_now() + (u->engine->replay ? replayview_pace(u) : u->st->delay);
	/* read while the list is shown too: its row of the shown namespace is this engine's
	 * model, and this engine alone decides that namespace's alert levels (fleet.h) */
	err = engine_refresh(u->engine);
	u->refreshes++;
	if (err == -ENODATA && u->engine->replay && u->have_sample)
		return;  /* the end of a recording: wait there for a recorder to write more */
	/* the list shown is read whole; else the others in turn from the second refresh on,
	 * so that the first screen comes without waiting for any of them; a replay has no
	 * other namespaces to look at */
	if (u->mode == UI_NETNS)
		netnslist_refresh(u, true);
	else if (!err && u->refreshes >= 2 && !u->engine->replay)
		netnslist_refresh(u, false);
	if (err) {
		refresh_failed(u, err);
		return;
	}
	u->have_sample = true;
	tell_unreadable(u);
	tell_alert_command(u);
	ui_select_rows(u);
	if (u->mode == UI_DETAILS && details_open(u) < 0)
		u->mode = UI_MAIN;
}

static void draw_status(struct ui *u)
{
	int attr = u->status_error ? ui_percent_attr(u, 100) : 0;

	move(LINES - 1, 0);
	clrtoeol();
	if (!u->status[0]) {
		keybar_draw(u, COLS - 1);
		return;
	}
	attron(attr);
	textcols_mvadd(LINES - 1, 0, u->status, COLS - 1);
	attroff(attr);
}

/* The lines of the panels above the table, on a screen of `height` lines. */
struct main_layout {
	int header, bars, room;  /* room: what is left for the histogram or the counters */
};

static void main_layout(struct ui *u, int height, struct main_layout *l)
{
	int avail = height - 1 - 1 - UI_MIN_TABLE;  /* status line, table header */

	l->header = header_lines(u, avail);
	avail -= l->header;
	l->bars = rangebar_lines(avail, height);
	l->room = avail - l->bars;
}

/* The height at which the counters fit at this width: a taller screen gives its first
 * lines to the bars (more destinations), so the shortfall alone is not enough. */
static int counters_height(struct ui *u)
{
	int need = counterpanel_lines(u), h = LINES;
	struct main_layout l;

	for (main_layout(u, h, &l); l.room < need && h < LINES + need + 16; main_layout(u, ++h, &l))
		;
	return h;
}

/* The panel is drawn only whole; left out silently, K would seem to do nothing.  A
 * resize that makes room ends the note. */
void ui_tell_counters_room(struct ui *u)
{
	int height = counters_height(u);

	if (u->show_counters && height > LINES) {
		ui_set_status(u, false, _("the counters need %d lines; %d here"), height, LINES);
		u->status_counters = true;
	} else if (u->status_counters) {
		u->status[0] = '\0';
		u->status_counters = false;
	}
}

/*
 * Panels by priority: table, header, occupancy bars, histogram; smaller screens lose
 * the last first.  Counters (K) too tall for the screen leave the histogram in their
 * place, and the status line says how tall they need it (ui_tell_counters_room).
 */
static void draw_main(struct ui *u)
{
	struct main_layout l;
	int hist = 0, y = 0;
	bool counters;

	main_layout(u, LINES, &l);
	counters = u->show_counters && l.room >= counterpanel_lines(u);
	if (counters)
		hist = counterpanel_lines(u);
	else if (l.room >= histogram_lines(COLS))
		hist = histogram_lines(COLS);
	header_draw(u, y, l.header);
	y += l.header;
	rangebar_draw(u, y, l.bars);
	y += l.bars;
	if (counters)
		counterpanel_draw(u, y, hist);
	else
		histogram_draw(u, y, hist);
	y += hist;
	proctable_draw(u, y, LINES - 1 - y);
}

void ui_draw(struct ui *u)
{
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		char line[128];

		snprintf(line, sizeof(line), _("porttop needs %dx%d; q quits"), UI_MIN_COLS, UI_MIN_LINES);
		textcols_mvadd(0, 0, line, COLS);
		refresh();
		return;
	}
	switch (u->mode) {
	case UI_MAIN: draw_main(u); break;
	case UI_HELP: help_draw(u); break;
	case UI_DETAILS: details_draw(u); break;
	case UI_NETNS: netnslist_draw(u); break;
	}
	draw_status(u);
	refresh();
}

static int wait_key(struct ui *u)
{
	double left = u->frozen ? 1.0 : u->next_refresh - ui_now();
	int ms = left <= 0 ? 0 : left > 1.0 ? 1000 : (int)(left * 1000);

	timeout(ms);  /* wake at least once a second: the clock in the header moves */
	return ui_get_key();
}

/* Handles one key in help or details; true to quit. */
static bool dispatch(struct ui *u, int key)
{
	if (key == KEY_RESIZE) {
		if (u->mode == UI_MAIN)
			ui_tell_counters_room(u);
		return false;
	}
	if (key == KEY_F(10))
		return true;  /* q means "back" in the sub-screens; F10 always quits */
	switch (u->mode) {
	case UI_HELP:
		u->mode = UI_MAIN;
		return false;
	case UI_DETAILS:
		details_key(u, key);
		return false;
	case UI_NETNS:
		if (key == 'q')
			return true;
		netnslist_key(u, key);
		return false;
	case UI_MAIN:
		break;
	}
	return keymap_main(u, key);
}

static void loop(struct ui *u)
{
	for (;;) {
		int key;

		ui_draw(u);
		if (u->st->iterations > 0 && u->refreshes >= u->st->iterations)
			return;
		key = wait_key(u);
		if (ui_interrupted())
			return;
		if (key == ERR) {
			if (!u->frozen && ui_now() >= u->next_refresh)
				ui_refresh_now(u);
			if (u->fatal[0])
				return;
			continue;
		}
		if (key != KEY_RESIZE)
			u->status[0] = '\0';
		if (dispatch(u, key))
			return;
		u->context[0] = '\0';  /* a question, if any, is answered by now */
	}
}

int view_run(struct engine *e, struct settings *st, const char *rc_warning)
{
	struct ui u;

	memset(&u, 0, sizeof(u));
	u.engine = e;
	u.st = st;
	u.sel_pid = -1;
	details_init(&u.details);
	/* a replay has no fleet (EOPNOTSUPP): replay.c refuses N, and no refresh lists one */
	fleet_open(&u.fleet, st);
	fleet_show(&u.fleet, e, engine_netns_inode(e));
	if (st->all_netns)
		u.mode = UI_NETNS;
	init_glyphs(&u);
	if (start_curses(&u) < 0)
		return EXIT_FAILURE;
	install_signals();
	if (rc_warning && rc_warning[0])
		ui_set_status(&u, true, "%s", rc_warning);
	ui_refresh_now(&u);
	if (!u.fatal[0])
		loop(&u);
	endwin();
	delscreen(u.screen);
	details_free(&u.details);
	fleet_close(&u.fleet);
	free(u.rows);
	if (u.fatal[0]) {
		fprintf(stderr, "%s: %s\n", PACKAGE, u.fatal);
		return EXIT_FAILURE;
	}
	return quit_signal ? 128 + quit_signal : EXIT_SUCCESS;
}
