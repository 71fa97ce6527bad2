/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The details of one process: its sockets grouped by destination and state, with
 * the orphans (TIME_WAIT, FIN_WAIT2, ...) charged to it.  The grouping is done by the
 * model (model/details.c); this file lays it out and scrolls it.
 */
#include "view/ui.h"

#include <curses.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/output.h"
#include "util/i18n.h"
#include "view/textcols.h"

#define DETAILS_TOP 2  /* title and column header */
#define GROUP_LINES 2  /* a group's header and its summary */

int details_open(struct ui *u)
{
	const struct proc_row *row = ui_selected(u);
	pid_t pid = row ? row->pid : u->details.pid;
	unsigned long long start = row ? row->start_time : u->details.start_time;
	struct engine *e = u->engine;

	if (u->mode != UI_DETAILS && !row) {
		ui_set_status(u, true, "%s", _("no process selected"));
		return -1;
	}
	if (u->mode == UI_DETAILS) {  /* a refresh: stay on the process shown */
		pid = u->details.pid;
		start = u->details.start_time;
	} else {
		u->det_sel = u->det_top = 0;
	}
	if (engine_details(e, pid, start, &u->details) < 0) {
		ui_set_status(u, true, "%s", _("out of memory"));
		return -1;
	}
	if (u->det_sel >= u->details.n_socks)
		u->det_sel = u->details.n_socks ? u->details.n_socks - 1 : 0;
	return 0;
}

static const char *proto_name(const struct detail_sock *ds)
{
	return ds->rec.protocol == IPPROTO_TCP ? "TCP" : "UDP";
}

/* "TCP 127.0.0.1:8080   ESTABLISHED 60, TIME_WAIT 30" for the group starting at first. */
static void draw_group(struct ui *u, int y, size_t first)
{
	const struct details *d = &u->details;
	unsigned count[STATE_COUNT] = { 0 };
	char remote[80], line[512];
	struct textcols_line l;

	for (size_t i = first; i < d->n_socks && details_same_group(&d->socks[i], &d->socks[first]); i++)
		count[d->socks[i].state]++;
	const struct detail_sock *f = &d->socks[first];

	textcols_line_start(&l, line, sizeof(line), COLS);
	if (f->inbound) {
		sample_endpoint_format(f->rec.local, f->rec.local_port, remote, sizeof(remote));
		textcols_line_add(&l, _("%s clients of %s:"), proto_name(f), remote);
	} else if (f->rec.remote_port == 0 && sample_addr_is_any(f->rec.remote)) {
		textcols_line_add(&l, _("%s without a peer:"), proto_name(f));
	} else {
		sample_endpoint_format(f->rec.remote, f->rec.remote_port, remote, sizeof(remote));
		textcols_line_add(&l, _("%s to %s:"), proto_name(f), remote);
	}
	for (int st = 0; st < STATE_COUNT; st++)  /* a state with its count, or neither */
		if (count[st])
			textcols_line_add(&l, " %s %u", states_name((enum tcp_state)st), count[st]);
	attron(A_BOLD | ui_color_attr(u, UI_COLOR_TITLE));
	textcols_mvadd_words(y, 0, line, COLS);
	attroff(A_BOLD | ui_color_attr(u, UI_COLOR_TITLE));
}

/* "45 s", "3 min 5 s", "2 h 10 min" */
static const char *age_words(double seconds, char *buf, size_t len)
{
	unsigned long s = (unsigned long)seconds;

	if (s < 60)
		snprintf(buf, len, _("%lu s"), s);
	else if (s < 3600)
		snprintf(buf, len, _("%lu min %lu s"), s / 60, s % 60);
	else
		snprintf(buf, len, _("%lu h %lu min"), s / 3600, s / 60 % 60);
	return buf;
}

/* The group's line under its header: ports, oldest, NEW/s, and where its destination
 * goes, each phrase whole or not at all. */
static void draw_group_summary(struct ui *u, int y, const struct detail_group *g)
{
	char line[512], age[48], words[96];
	struct textcols_line l;

	textcols_line_start(&l, line, sizeof(line), COLS);
	textcols_line_add(&l, P_("    %u port", "    %u ports", g->ephemeral), g->ephemeral);
	if (g->oldest_seconds >= 0)
		textcols_line_add(&l, g->oldest_at_least ? _(", oldest %s or more") : _(", oldest %s"),
				  age_words(g->oldest_seconds, age, sizeof(age)));
	if (g->new_per_sec >= 0)
		textcols_line_add(&l, _(", new %.1f/s"), g->new_per_sec);
	if (g->has_destination) {
		textcols_line_add(&l, _("; destination %u/%u (%.0f %%)"), g->dest_in_use, g->dest_capacity,
				  g->dest_blocked_percent);
		if (output_forecast_words(&g->forecast, words, sizeof(words))[0])
			textcols_line_add(&l, ", %s", words);
		if (g->forecast.new_per_sec >= 0)
			textcols_line_add(&l, _(", new %.1f/s from everyone"), g->forecast.new_per_sec);
	}
	attron(ui_percent_attr(u, g->has_destination ? g->dest_blocked_percent : 0));
	textcols_mvadd_words(y, 0, line, COLS);
	attroff(ui_percent_attr(u, g->has_destination ? g->dest_blocked_percent : 0));
}

static void draw_sock(struct ui *u, int y, size_t i)
{
	const struct detail_sock *ds = &u->details.socks[i];
	char local[80], remote[80], line[400], timer[32] = "";

	sample_endpoint_format(ds->rec.local, ds->rec.local_port, local, sizeof(local));
	sample_endpoint_format(ds->rec.remote, ds->rec.remote_port, remote, sizeof(remote));
	/* a TIME_WAIT or orphaned FIN_WAIT2 socket frees its port when its timer runs out */
	if (ds->state == STATE_TIME_WAIT || (ds->orphan && ds->state == STATE_FIN_WAIT2))
		snprintf(timer, sizeof(timer), _("%.1fs left"), ds->rec.expires_ms / 1000.0);
	snprintf(line, sizeof(line), "    %-26s %-26s %-12s %-5s %s", local, remote,
		 states_name(ds->state), ds->ephemeral ? _("ephem") : "", timer);
	if (i == u->det_sel)
		attron(A_REVERSE);
	textcols_mvadd(y, 0, line, COLS);
	for (int x = getcurx(stdscr); i == u->det_sel && x < COLS && x > 0; x++)
		addch(' ');
	attroff(A_REVERSE);
}

/* Screen line (from 0) of socket `target`: sockets plus one header per group before it. */
static size_t line_of(const struct details *d, size_t target)
{
	size_t line = 0;

	for (size_t i = 0; i <= target && i < d->n_socks; i++) {
		if (i == 0 || !details_same_group(&d->socks[i], &d->socks[i - 1]))
			line += GROUP_LINES;
		if (i < target)
			line++;
	}
	return line;
}

static void draw_title(struct ui *u)
{
	const struct details *d = &u->details;
	const struct proc_row *row = ui_selected(u);
	char line[512];
	struct textcols_line l;

	textcols_line_start(&l, line, sizeof(line), COLS);
	textcols_line_add(&l, _("Sockets of PID %d %s: %zu"), (int)d->pid,
			  row && row->pid == d->pid ? row->comm : "", d->n_socks);
	textcols_line_add(&l, "%s", _("  (K close socket, Esc back)"));
	attron(A_BOLD);
	textcols_mvadd_words(0, 0, line, COLS);
	attroff(A_BOLD);
	snprintf(line, sizeof(line), "    %-26s %-26s %-12s", _("LOCAL"), _("REMOTE"), _("STATE"));
	attron(A_REVERSE);
	textcols_mvadd(1, 0, line, COLS);
	for (int x = getcurx(stdscr); x < COLS && x > 0; x++)
		addch(' ');
	attroff(A_REVERSE);
}

void details_draw(struct ui *u)
{
	const struct details *d = &u->details;
	int height = LINES - 1 - DETAILS_TOP;
	size_t sel_line = line_of(d, u->det_sel), line = 0;

	u->det_height = height;
	draw_title(u);
	if (d->n_socks == 0) {
		textcols_mvadd(DETAILS_TOP, 0, _("no sockets left"), COLS);
		return;
	}
	if (sel_line < u->det_top + GROUP_LINES)  /* keep its group header in sight */
		u->det_top = sel_line >= GROUP_LINES ? sel_line - GROUP_LINES : 0;
	if (sel_line >= u->det_top + (size_t)height)
		u->det_top = sel_line - (size_t)height + 1;
	for (size_t i = 0, g = 0; i < d->n_socks; i++) {
		if (i == 0 || !details_same_group(&d->socks[i], &d->socks[i - 1])) {
			if (line >= u->det_top && line < u->det_top + (size_t)height)
				draw_group(u, DETAILS_TOP + (int)(line - u->det_top), i);
			line++;
			if (g < d->n_groups && line >= u->det_top && line < u->det_top + (size_t)height)
				draw_group_summary(u, DETAILS_TOP + (int)(line - u->det_top), &d->groups[g]);
			line++;
			g++;
		}
		if (line >= u->det_top && line < u->det_top + (size_t)height)
			draw_sock(u, DETAILS_TOP + (int)(line - u->det_top), i);
		line++;
	}
}

static void details_move(struct ui *u, long delta)
{
	long sel = (long)u->det_sel + delta;

	if (sel >= (long)u->details.n_socks)
		sel = (long)u->details.n_socks - 1;
	if (sel < 0)
		sel = 0;
	u->det_sel = (size_t)sel;
}

void details_key(struct ui *u, int key)
{
	long page = u->det_height > 2 ? u->det_height - 2 : 1;

	switch (key) {
	case 27: case 'q': case KEY_LEFT: case KEY_BACKSPACE: case 127:
		u->mode = UI_MAIN;
		break;
	case KEY_UP: details_move(u, -1); break;
	case KEY_DOWN: details_move(u, 1); break;
	case KEY_PPAGE: details_move(u, -page); break;
	case KEY_NPAGE: details_move(u, page); break;
	case KEY_HOME: details_move(u, -(long)u->details.n_socks); break;
	case KEY_END: details_move(u, (long)u->details.n_socks); break;
	case ' ': ui_refresh_now(u); break;
	case 'K':
		if (u->details.n_socks)
			actions_close_socket(u, &u->details.socks[u->det_sel]);
		break;
	case 'h': case '?': case KEY_F(1):
		u->mode = UI_HELP;
		break;
	}
}
