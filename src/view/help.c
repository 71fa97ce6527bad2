/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The help screen: every key, the same list as the man page. */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"
#include "view/textcols.h"

static const char *const help_lines[] = {
	N_("porttop - who holds the ephemeral ports"),
	"",
	N_("  q F10        quit                      h ? F1     this help"),
	N_("  Up Down      move selection            PgUp PgDn  move a page"),
	N_("  Home End     first, last process       Enter      sockets of the process"),
	N_("  < >          move the sort column      I          invert the order"),
	NULL,  /* the sort keys, from the column table */
	N_("  /            find a command (again: next match; n next)"),
	N_("  \\            filter by command substring   u  filter by user"),
	N_("  o            filter by container or pod    N  every network namespace"),
	N_("  d s          change the delay          Z          freeze, resume"),
	N_("  space        refresh now               c          full command lines"),
	N_("  W            write settings to porttoprc   K  kernel counters, states"),
	N_("  k F9         kill the selected process (asks signal, then y/N)"),
	N_("  r            change ip_local_port_range    U  undo the last change"),
	N_("  In details:  Up Down PgUp PgDn move, K close socket, Esc Left Backspace back"),
	N_("  Replay (-r): t T one sample back, forward; b jump to a time; space pause, play"),
	"",
	N_("Bar cells: ESTABLISHED, TIME_WAIT, CLOSE_WAIT, other holders of a port."),
	/* xgettext:no-c-format */
	N_("A destination at 100 % means connect() to it fails with EADDRNOTAVAIL."),
	"",
	N_("Press any key to return."),
};

/* "  P S E T C H  sort by PID, SOCK, EPHEM, TW, CLWAIT, HANDLES": every key the table has. */
static const char *help_sort_keys(char *buf, size_t len)
{
	char keys[2 * COLUMNS_MAX + 1] = "", headers[COLUMNS_MAX * 12] = "";
	size_t nk = 0, nh = 0;

	for (size_t i = 0; i < columns_count; i++) {
		if (!columns[i].sort_key || nh >= sizeof(headers))
			continue;
		nk += (size_t)snprintf(keys + nk, sizeof(keys) - nk, "%s%c", nk ? " " : "", columns[i].sort_key);
		nh += (size_t)snprintf(headers + nh, sizeof(headers) - nh, "%s%s", nh ? ", " : "",
				       columns[i].header);
	}
	snprintf(buf, len, "  %-12s ", keys);
	snprintf(buf + strlen(buf), len - strlen(buf), _("sort by %s"), headers);
	return buf;
}

/* What the keys listed above cannot do in this mode, and why: the key bar leaves them out. */
static size_t help_notes(const struct ui *u, const char **notes)
{
	size_t n = 0;

	if (u->st->secure)
		notes[n++] = _("Secure mode: kill, socket close and range change are disabled.");
	if (u->engine->replay)
		notes[n++] = _("Replay: no namespace list (N); a recording holds only its own namespace.");
	return n;
}

void help_draw(struct ui *u)
{
	char sort_line[256];
	const char *notes[2];
	int n = (int)(sizeof(help_lines) / sizeof(help_lines[0]));
	int n_notes = (int)help_notes(u, notes);
	/* on a short screen the notes take the last rows: no help line under them, whose
	 * end would stick out past the shorter text */
	int rows = LINES - 1 - n_notes;

	for (int i = 0; i < n && i < rows; i++) {
		const char *line = !help_lines[i] ? help_sort_keys(sort_line, sizeof(sort_line))
				   : help_lines[i][0] ? _(help_lines[i]) : "";

		if (i == 0)
			attron(A_BOLD | ui_color_attr(u, UI_COLOR_TITLE));
		textcols_mvadd(i, 0, line, COLS);
		if (i == 0)
			attroff(A_BOLD | ui_color_attr(u, UI_COLOR_TITLE));
	}
	for (int k = 0; k < n_notes; k++)
		textcols_mvadd((n < rows ? n : rows) + k, 0, notes[k], COLS);
}
