/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live view's shared state and its parts.  Every part draws from the engine's
 * model (or the details computed from its sample); none computes a figure itself.
 * Only screen.c talks to the terminal's life cycle; the other files draw or prompt.
 */
#ifndef PORTTOP_UI_H
#define PORTTOP_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "engine.h"
#include "fleet.h"
#include "model/columns.h"
#include "model/details.h"
#include "settings.h"

enum ui_color {
	UI_COLOR_OK = 1,
	UI_COLOR_WARN,
	UI_COLOR_CRIT,
	UI_COLOR_ESTAB,
	UI_COLOR_TIME_WAIT,
	UI_COLOR_CLOSE_WAIT,
	UI_COLOR_OTHER,
	UI_COLOR_TITLE,
	UI_COLOR_COUNT,
};

enum ui_mode { UI_MAIN, UI_HELP, UI_DETAILS, UI_NETNS };

/* The glyphs of the bars: UTF-8 blocks where the locale allows, ASCII otherwise. */
struct ui_glyphs {
	const char *holder[HOLDER_COUNT];  /* one cell of the stacked occupancy bar */
	const char *free_cell;
	const char *eighths[9];            /* partial cells of a histogram bar, 0..8 eighths */
	const char *dash;                  /* "–" or "-" in "low–high" */
};

struct screen;

struct ui {
	struct screen *screen;      /* curses' SCREEN */
	struct engine *engine;
	struct settings *st;
	const char *rc_warning;
	bool color, unicode;
	struct ui_glyphs glyphs;
	enum ui_mode mode;

	/* process table: the selection follows a process, not a row */
	const struct proc_row **rows;
	size_t n_rows, cap_rows;
	pid_t sel_pid;
	unsigned long long sel_start;
	size_t sel, top;
	int table_height;           /* rows visible in the last layout */
	char find[128];             /* last `/` search */

	/* details view */
	struct details details;
	size_t det_sel, det_top;
	int det_height;

	bool frozen;
	bool show_counters;         /* K: the kernel's counters instead of the state histogram */
	bool have_sample;
	bool told_unreadable;       /* the status line has said why owners are unseen */
	long refreshes;
	double next_refresh;        /* monotonic seconds */
	char status[512];           /* one-line message, shown until the next key */
	char fatal[512];            /* a failure no refresh can mend (/proc gone): the view ends */
	char context[512];          /* what an open question is about, above the prompt */
	bool status_error;
	bool status_counters;       /* the status is ui_tell_counters_room's: a resize may end it */

	/* every namespace (fleet.c): the N list, and the header's "fullest other" */
	struct fleet fleet;
	bool fleet_ready;           /* fleet_refresh has succeeded once */
	size_t ns_sel;
	bool ns_entered;            /* the main view was opened from the list: Esc goes back */
	uint64_t ns_sel_inode;      /* the selection follows a namespace */
	char netns_path[NSLIST_NAME_MAX + 32];  /* what the main view looks into, for st->netns */

	/* the last range change, for `U` */
	bool can_undo;
	int undo_low, undo_high;
};

/* screen.c */
double ui_now(void);
bool ui_interrupted(void);              /* SIGTERM, SIGHUP or SIGINT arrived, or the terminal hung up */
int ui_get_key(void);                   /* getch() that notices a hung-up terminal */
int ui_get_wch(wint_t *ch);             /* get_wch() likewise */
void ui_set_status(struct ui *u, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ui_color_attr(const struct ui *u, enum ui_color c);
int ui_percent_attr(const struct ui *u, double percent);
int ui_level_attr(const struct ui *u, enum level level);  /* plain, yellow or red */
void ui_refresh_now(struct ui *u);      /* sample again and rebuild the rows */
void ui_draw(struct ui *u);             /* the whole screen for the current size and mode */
void ui_tell_counters_room(struct ui *u);  /* the status line, when K's panel does not fit */
void ui_select_rows(struct ui *u);      /* reapply filter and sort, keep the selection */
const struct proc_row *ui_selected(const struct ui *u);

/* header.c, rangebar.c, histogram.c, proctable.c: each draws rows [y, y+height) */
void header_draw(struct ui *u, int y, int lines);
/* 2 lines, one more while connect() is failing (the red line), one more for the worst
 * alert; at most avail. */
int header_lines(struct ui *u, int avail);
int rangebar_lines(int budget, int height);  /* height: the screen's, LINES or one to try */
void rangebar_draw(struct ui *u, int y, int lines);
int histogram_lines(int width);
void histogram_draw(struct ui *u, int y, int lines);
void proctable_draw(struct ui *u, int y, int lines);
void proctable_move(struct ui *u, long delta);  /* LONG_MIN/LONG_MAX: home/end */

/* counterpanel.c: the kernel's counters, in the histogram's place (key K) */
int counterpanel_lines(const struct ui *u);
void counterpanel_draw(struct ui *u, int y, int lines);

/* details.c */
int details_open(struct ui *u);
void details_draw(struct ui *u);
void details_key(struct ui *u, int key);

/* Namespaces the main view reads at each refresh for its header, in turn: a host with
 * a hundred containers costs a few dumps per refresh, never a stall. */
#define UI_FLEET_STEP 4

/* netnslist.c: the N list of every namespace, fullest first; Enter looks inside one */
/* all: every namespace, else UI_FLEET_STEP in turn; the shown one is the engine's */
void netnslist_refresh(struct ui *u, bool all);
void netnslist_draw(struct ui *u);
void netnslist_key(struct ui *u, int key);
/* "; 3 other namespaces, fullest 97 %: docker a1b2c3d4e5f6" ("" before the first listing) */
const char *netnslist_summary(const struct ui *u, char *buf, size_t len);

/* help.c */
void help_draw(struct ui *u);

/* keybar.c: the keys that fit in width columns of the bottom line */
void keybar_draw(const struct ui *u, int width);

/* prompt.c: modal input on the status line, with u->context (if set) above it; a
 * resize redraws everything.  prompt_line: false when cancelled (Esc). */
bool prompt_line(struct ui *u, const char *label, char *buf, size_t len);
bool prompt_yes(struct ui *u, const char *question);
void prompt_context(struct ui *u, const char *text);  /* sets and shows u->context */

/* actions.c: the remedies, each behind a confirm */
void actions_kill(struct ui *u);
void actions_close_socket(struct ui *u, const struct detail_sock *ds);
void actions_range(struct ui *u);
void actions_undo_range(struct ui *u);

/* replay.c: the live view of a recording (-r) */
bool replayview_key(struct ui *u, int key);           /* t T b space; true when handled */
double replayview_pace(const struct ui *u);           /* seconds until the next sample plays */
void replayview_position(const struct ui *u, char *buf, size_t len);

/* keymap.c: true when the key asks to quit */
bool keymap_main(struct ui *u, int key);

#endif
