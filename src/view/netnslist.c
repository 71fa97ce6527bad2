/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The namespace list (key N): every network namespace, fullest first, read by the
 * fleet (fleet.c) at each refresh while it is shown, but the one the main view shows:
 * its row is the main engine's model, which alone announces its alerts.  Enter
 * re-opens the engine inside the selected namespace and shows the normal view there;
 * Esc or N goes back.  The main view's header names the fullest other namespace from
 * the same fleet, UI_FLEET_STEP of whose namespaces are read again at each refresh.
 */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "output/output.h"
#include "util/i18n.h"
#include "view/textcols.h"

/* The namespace as the header names it: its name, or its inode when it has none. */
static const char *ns_label(const struct fleet_ns *ns, char *buf, size_t len)
{
	if (ns->name[0])
		return ns->name;
	snprintf(buf, len, "%llu", (unsigned long long)ns->inode);
	return buf;
}

static bool alertcmd_trouble(const struct fleet_ns *ns)
{
	return ns->fresh && (ns->engine->alertcmd_error || ns->engine->alertcmd_dropped);
}

/*
 * Each namespace the list reads runs --alert-command too, and stderr is the terminal:
 * a start that failed or changes left out at this refresh go to the status line, as
 * the shown namespace's do (screen.c), with the namespace's name.  One line holds one
 * namespace, the fullest in trouble; the others are counted, so none goes unnoticed.
 */
static void tell_alert_commands(struct ui *u)
{
	const struct fleet_ns *first = NULL;
	const struct engine *e;
	size_t others = 0;
	char what[256], label[32], more[64] = "";

	for (size_t i = 0; i < u->fleet.n; i++) {
		if (!alertcmd_trouble(u->fleet.v[i]))
			continue;
		if (first)
			others++;
		else
			first = u->fleet.v[i];  /* the fleet is fullest first */
	}
	if (!first)
		return;
	e = first->engine;
	if (e->alertcmd_error)
		snprintf(what, sizeof(what), _("cannot run --alert-command: %s"), strerror(-e->alertcmd_error));
	else
		output_alert_dropped(what, sizeof(what), e->alertcmd_dropped, e->alertcmd_running);
	if (others)
		snprintf(more, sizeof(more), P_(" (and %zu other namespace)", " (and %zu other namespaces)",
						others), others);
	/* TRANSLATORS: a namespace's name, what went wrong there, " (and 2 other namespaces)" */
	ui_set_status(u, true, _("netns %s: %s%s"), ns_label(first, label, sizeof(label)), what, more);
}

void netnslist_refresh(struct ui *u, bool all)
{
	int err;

	err = fleet_refresh_some(&u->fleet, all ? 0 : UI_FLEET_STEP);
	if (err) {
		ui_set_status(u, true, _("cannot list the network namespaces: %s"), strerror(-err));
		return;
	}
	u->fleet_ready = true;
	tell_alert_commands(u);
	u->ns_sel = 0;
	for (size_t i = 0; i < u->fleet.n; i++)
		if (u->fleet.v[i]->inode == u->ns_sel_inode)
			u->ns_sel = i;
	if (u->fleet.n)
		u->ns_sel_inode = u->fleet.v[u->ns_sel]->inode;
}

const char *netnslist_summary(const struct ui *u, char *buf, size_t len)
{
	const struct fleet_ns *top = NULL;
	size_t others = 0;
	int n;

	buf[0] = '\0';
	if (!u->fleet_ready)
		return buf;
	for (size_t i = 0; i < u->fleet.n; i++) {
		if (u->fleet.v[i]->inode == u->fleet.shown_inode)
			continue;
		others++;
		if (!top && u->fleet.v[i]->open)
			top = u->fleet.v[i];  /* the fleet is fullest first */
	}
	n = snprintf(buf, len, P_("; %zu other namespace", "; %zu other namespaces", others), others);
	if (top && n > 0 && (size_t)n < len &&
	    fleet_percent(top) > model_fullest_percent(&u->engine->model)) {
		char inode[32];
		snprintf(buf + n, len - (size_t)n, _(", fullest %.0f %%: %s"), fleet_percent(top),
			 ns_label(top, inode, sizeof(inode)));
	}
	return buf;
}

/* The process holding most ephemeral ports, "-" if none. */
static const char *top_process(const struct model *m, char *buf, size_t len)
{
	const struct proc_row *top = NULL;

	for (size_t i = 0; i < m->n_rows; i++)
		if (!top || m->rows[i].ephemeral > top->ephemeral)
			top = &m->rows[i];
	if (!top)
		return "-";
	snprintf(buf, len, "%d %s", (int)top->pid, top->comm);
	return buf;
}

static void draw_row(struct ui *u, int y, const struct fleet_ns *ns, bool selected)
{
	char line[512], top[96], msg[256];
	bool shown = ns->inode == u->fleet.shown_inode;
	const char *name = ns->name[0] ? ns->name : "-";
	int attr = selected ? A_REVERSE : 0;

	if (ns->open) {
		const struct model *m = &ns->engine->model;
		double pct = model_fullest_percent(m);

		snprintf(line, sizeof(line), "%c%c%-11llu %-22.22s %6d-%-6d %6u %6u %6.1f %6u  %s",
			 selected ? '>' : ' ', shown ? '*' : ' ', (unsigned long long)ns->inode, name, m->range.low,
			 m->range.high, m->range.usable, m->total_tcp, pct, m->states[STATE_TIME_WAIT],
			 top_process(m, top, sizeof(top)));
		attr |= ui_percent_attr(u, pct);
	} else if (!ns->error) {
		snprintf(line, sizeof(line), "%c%c%-11llu %-22.22s %s", selected ? '>' : ' ',
			 shown ? '*' : ' ', (unsigned long long)ns->inode, name, _("not read yet"));
		attr |= A_DIM;
	} else {
		output_failure(msg, sizeof(msg), ns->failed_step, ns->error);
		snprintf(line, sizeof(line), "%c%c%-11llu %-22.22s %s: %s", selected ? '>' : ' ',
			 shown ? '*' : ' ', (unsigned long long)ns->inode, name, _("unreadable"), msg);
		attr |= A_DIM;
	}
	attron(attr);
	textcols_mvadd_words(y, 0, line, COLS);
	if (selected)
		for (int x = (int)strlen(line); x < COLS; x++)
			mvaddch(y, x, ' ');
	attroff(attr);
}

void netnslist_draw(struct ui *u)
{
	char line[256];
	int rows = LINES - 3;
	size_t top = u->ns_sel >= (size_t)rows ? u->ns_sel - (size_t)rows + 1 : 0;

	snprintf(line, sizeof(line), _("Network namespaces (%zu), fullest first - Enter looks inside, Esc back"),
		 u->fleet.n);
	attron(A_BOLD | ui_color_attr(u, UI_COLOR_TITLE));
	textcols_mvadd(0, 0, line, COLS);
	attroff(A_BOLD | ui_color_attr(u, UI_COLOR_TITLE));
	snprintf(line, sizeof(line), "  %-11s %-22s %13s %6s %6s %6s %6s  %s", _("NETNS"), _("NAME"),
		 _("RANGE"), _("USABLE"), _("TCP"), _("FULL%"), "TW", _("TOP PROCESS"));
	attron(A_BOLD);
	textcols_mvadd(1, 0, line, COLS);
	attroff(A_BOLD);
	for (size_t i = top; i < u->fleet.n && (int)(i - top) < rows; i++)
		draw_row(u, 2 + (int)(i - top), u->fleet.v[i], i == u->ns_sel);
}

/*
 * The main engine looks into namespace `to` now, no longer into `from`, whose alert
 * levels it held: the fleet's engine there goes on from them, and the main engine
 * from the fleet's of `to`, so that neither raises again (and runs --alert-command
 * again for) what the other has announced.
 */
static void move_levels(struct ui *u, uint64_t from, struct alert_tracks *levels, uint64_t to)
{
	if (from == to) {
		model_give_alerts(&u->engine->model, levels);
		return;
	}
	fleet_give_alerts(&u->fleet, from, levels);
	model_give_alerts(&u->engine->model, fleet_take_alerts(&u->fleet, to));
}

/* Re-opens the engine inside ns; on failure the previous namespace is opened again. */
static void look_inside(struct ui *u, const struct fleet_ns *ns)
{
	char previous[sizeof(u->netns_path)];
	const char *was = u->st->netns;
	uint64_t from = u->fleet.shown_inode, to = ns->inode;
	struct alert_tracks *levels = model_take_alerts(&u->engine->model);
	int err;

	snprintf(previous, sizeof(previous), "%s", was ? was : "");
	engine_close(u->engine);
	err = fleet_engine_open(&u->fleet, ns, u->engine, u->st, u->netns_path, sizeof(u->netns_path));
	if (err) {
		char msg[256];
		output_failure(msg, sizeof(msg), u->engine->failed_step, err);
		snprintf(u->netns_path, sizeof(u->netns_path), "%s", previous);
		u->st->netns = previous[0] ? u->netns_path : NULL;
		to = from;
		if (engine_open(u->engine, u->st) != 0) {
			u->st->netns = NULL;  /* our own, which opened at start */
			to = u->fleet.own_inode;
			engine_open(u->engine, u->st);
		}
		fleet_show(&u->fleet, u->engine, to);
		move_levels(u, from, levels, to);
		ui_set_status(u, true, _("cannot look into netns %llu: %s"),
			      (unsigned long long)ns->inode, msg);
		return;
	}
	/* from now on, not from the engine's first refresh there: one that fails (or a
	 * fleet refresh before it) must not have the fleet open a second engine there */
	fleet_show(&u->fleet, u->engine, to);
	move_levels(u, from, levels, to);
	u->sel_pid = -1;
	u->ns_entered = true;
	u->mode = UI_MAIN;
	ui_refresh_now(u);
}

void netnslist_key(struct ui *u, int key)
{
	switch (key) {
	case KEY_UP:
		if (u->ns_sel > 0)
			u->ns_sel--;
		break;
	case KEY_DOWN:
		if (u->ns_sel + 1 < u->fleet.n)
			u->ns_sel++;
		break;
	case KEY_HOME: u->ns_sel = 0; break;
	case KEY_END: u->ns_sel = u->fleet.n ? u->fleet.n - 1 : 0; break;
	case '\n': case '\r': case KEY_ENTER:
		if (u->ns_sel < u->fleet.n)
			look_inside(u, u->fleet.v[u->ns_sel]);
		return;
	case 27: case 'N':
		u->mode = UI_MAIN;
		if (!u->have_sample)  /* started in the list (--all-netns) */
			ui_refresh_now(u);
		return;
	case ' ':
		ui_refresh_now(u);
		return;
	}
	if (u->ns_sel < u->fleet.n)
		u->ns_sel_inode = u->fleet.v[u->ns_sel]->inode;
}
