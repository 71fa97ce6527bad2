/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keys of the main screen: top and htop habits. */
#include "view/ui.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

static void sort_by(struct ui *u, const struct column *col)
{
	u->st->sort = col;
	u->st->sort_invert = false;
	ui_select_rows(u);
}

static void sort_step(struct ui *u, int step)
{
	u->st->sort = columns_step(u->st->sort, step);
	ui_select_rows(u);
}

/* Selects the next row after the selection whose command contains u->find, wrapping. */
static void find_next(struct ui *u)
{
	if (!u->find[0] || u->n_rows == 0)
		return;
	for (size_t i = 1; i <= u->n_rows; i++) {
		size_t at = (u->sel + i) % u->n_rows;
		if (strstr(u->rows[at]->comm, u->find)) {
			proctable_move(u, (long)at - (long)u->sel);
			return;
		}
	}
	ui_set_status(u, true, _("no command contains \"%s\""), u->find);
}

static void find(struct ui *u)
{
	char buf[sizeof(u->find)];

	snprintf(buf, sizeof(buf), "%s", u->find);
	if (!prompt_line(u, _("Find command: "), buf, sizeof(buf)))
		return;
	snprintf(u->find, sizeof(u->find), "%s", buf);
	find_next(u);
}

static void ask_filter(struct ui *u, const char *label, char *value, size_t len)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", value);
	if (!prompt_line(u, label, buf, sizeof(buf)))
		return;
	snprintf(value, len, "%s", buf);
	ui_select_rows(u);
}

static void change_delay(struct ui *u)
{
	char buf[32], *text = buf;
	size_t len;
	double d;

	/* shown with the locale's separator, as the header prints it; both are read back */
	snprintf(buf, sizeof(buf), "%g", u->st->delay);
	if (!prompt_line(u, _("Delay in seconds: "), buf, sizeof(buf)))
		return;
	len = strlen(buf);
	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
	while (*text == ' ')
		text++;
	if (settings_parse_delay(text, &d) < 0) {
		ui_set_status(u, true, _("not a delay: \"%s\" (seconds, 0.1 to 86400)"), buf);
		return;
	}
	u->st->delay = d;
	u->next_refresh = ui_now() + d;
}

static void write_settings(struct ui *u)
{
	char path[4096];
	int err = settings_rc_path(path, sizeof(path));

	if (!err)
		err = settings_save_rc(u->st, path);
	if (err)
		ui_set_status(u, true, _("cannot write settings: %s"), strerror(-err));
	else
		ui_set_status(u, false, _("settings written to %s"), path);
}

static bool keymap_move(struct ui *u, int key)
{
	long page = u->table_height > 1 ? u->table_height - 1 : 1;

	switch (key) {
	case KEY_UP: proctable_move(u, -1); return true;
	case KEY_DOWN: proctable_move(u, 1); return true;
	case KEY_PPAGE: proctable_move(u, -page); return true;
	case KEY_NPAGE: proctable_move(u, page); return true;
	case KEY_HOME: proctable_move(u, LONG_MIN); return true;
	case KEY_END: proctable_move(u, LONG_MAX); return true;
	}
	return false;
}

/* < > step through the columns; the table gives each sort key its column. */
static bool keymap_sort(struct ui *u, int key)
{
	const struct column *col = columns_by_sort_key(key);

	switch (key) {
	case '<': sort_step(u, -1); return true;
	case '>': sort_step(u, 1); return true;
	case 'I':
		u->st->sort_invert = !u->st->sort_invert;
		ui_select_rows(u);
		return true;
	}
	if (!col)
		return false;
	sort_by(u, col);
	return true;
}

static void open_list(struct ui *u)
{
	u->mode = UI_NETNS;
	ui_refresh_now(u);
}

static bool keymap_view(struct ui *u, int key)
{
	switch (key) {
	case 'h': case '?': case KEY_F(1): u->mode = UI_HELP; return true;
	case '\n': case '\r': case KEY_ENTER:
		if (details_open(u) == 0)
			u->mode = UI_DETAILS;
		return true;
	case '/': find(u); return true;
	case 'n': find_next(u); return true;
	case '\\': ask_filter(u, _("Filter by command: "), u->st->filter, sizeof(u->st->filter)); return true;
	case 'u': ask_filter(u, _("Show user (empty: all): "), u->st->user, sizeof(u->st->user)); return true;
	case 'o':
		ask_filter(u, _("Show container (-: the host's, empty: all): "), u->st->container,
			   sizeof(u->st->container));
		return true;
	case 'd': case 's': change_delay(u); return true;
	case 'Z': u->frozen = !u->frozen; return true;
	case 'K':
		u->show_counters = !u->show_counters;
		ui_tell_counters_room(u);
		return true;
	case 'N': open_list(u); return true;
	case 27:  /* Esc: back to the namespace list the view was opened from */
		if (u->ns_entered)
			open_list(u);
		return true;
	case ' ': ui_refresh_now(u); return true;
	case 'c': u->st->show_cmdline = !u->st->show_cmdline; return true;
	case 'W': write_settings(u); return true;
	}
	return false;
}

static bool keymap_act(struct ui *u, int key)
{
	switch (key) {
	case 'k': case KEY_F(9): actions_kill(u); return true;
	case 'r': actions_range(u); return true;
	case 'U': actions_undo_range(u); return true;
	}
	return false;
}

bool keymap_main(struct ui *u, int key)
{
	if (key == 'q' || key == KEY_F(10))
		return true;
	if (u->engine->replay && replayview_key(u, key))
		return false;
	if (keymap_move(u, key) || keymap_sort(u, key) || keymap_view(u, key) || keymap_act(u, key))
		return false;
	if (key > 32 && key < 127)
		ui_set_status(u, true, _("unknown key '%c' - h for help"), key);
	return false;
}
