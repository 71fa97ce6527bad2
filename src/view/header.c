/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The header: where and when, and the range the figures below are shares of. */
#include "view/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/output.h"
#include "util/i18n.h"
#include "view/textcols.h"
#include "util/sanitize.h"

/* "netlink", or "/proc/net" and why: "(--source=proc)", "(sock_diag: Permission denied)" */
static const char *header_source(const struct model *m, char *buf, size_t len)
{
	if (m->source == SAMPLE_SOURCE_NETLINK)
		return "netlink";
	if (!m->netlink_error)
		return "/proc/net (--source=proc)";
	snprintf(buf, len, _("/proc/net (sock_diag: %s)"), strerror(-m->netlink_error));
	return buf;
}

static void header_identity(struct ui *u, int y)
{
	const struct model *m = &u->engine->model;
	char raw[256] = "", host[256], clock[96] = "", line[640], source[128], others[160];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(raw, sizeof(raw), "%s", u->engine->host);
	/* a host name is set by whoever is root in the UTS namespace: untrusted too */
	sanitize_copy(host, sizeof(host), raw, strlen(raw), 0);
	if (u->engine->replay)  /* the recorded time, not the clock on the wall */
		replayview_position(u, clock, sizeof(clock));
	else if (localtime_r(&now, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (u->engine->replay)
		snprintf(line, sizeof(line), _("porttop - %s - %s - %s - netns %llu"), host, clock,
			 header_source(m, source, sizeof(source)), (unsigned long long)m->netns_inode);
	else
		snprintf(line, sizeof(line), _("porttop - %s - %s - every %.1fs - %s - netns %llu%s"), host,
			 clock, u->st->delay, header_source(m, source, sizeof(source)),
			 (unsigned long long)m->netns_inode, netnslist_summary(u, others, sizeof(others)));
	attron(A_BOLD);
	textcols_mvadd_words(y, 0, line, COLS - 1);  /* the namespaces' summary may be longer than a line */
	attroff(A_BOLD);
}

/* Phrases kept whole (textcols_line): at 40 columns "usable 10" of 100 would lie. */
static void header_range(struct ui *u, int y)
{
	const struct model *m = &u->engine->model;
	struct textcols_line l;
	char line[512];

	textcols_line_start(&l, line, sizeof(line), COLS);
	textcols_line_add(&l, _("Range %d%s%d"), m->range.low, u->glyphs.dash, m->range.high);
	textcols_line_add(&l, _("  reserved %u"), m->range.reserved);
	textcols_line_add(&l, _("  usable %u"), m->range.usable);
	textcols_line_add(&l, "  tcp_tw_reuse %d", m->tw_reuse);
	if (m->sockets_unowned && m->procs_unreadable) {
		/* TRANSLATORS: followed by ": N processes unreadable)" */
		textcols_line_add(&l, P_("  (owners of %u socket unseen", "  (owners of %u sockets unseen",
					 m->sockets_unowned), m->sockets_unowned);
		textcols_line_add(&l, P_(": %u process unreadable)", ": %u processes unreadable)",
					 m->procs_unreadable), m->procs_unreadable);
	}
	textcols_mvadd_words(y, 0, line, COLS);
}

static bool header_failing(const struct model *m)
{
	return m->bpf && m->failures_per_sec > 0 && m->top_failure != SIZE_MAX;
}

/* In red while connect() fails: "connect() failing: 37/s - redis-benchmark (4487) -> 127.0.0.1:6379". */
static void header_failures(struct ui *u, int y)
{
	const struct model *m = &u->engine->model;
	const struct probe_failure *p = &m->probes->failures[m->top_failure];
	const struct probe_failure_dest *d = &m->probes->dests[m->top_failure_dest];
	char endpoint[80], line[300];

	snprintf(line, sizeof(line), _("connect() failing: %.0f/s - %s (%d) -> %s"), m->failures_per_sec,
		 p->who.comm, (int)p->who.pid,
		 sample_endpoint_format(d->remote, d->port, endpoint, sizeof(endpoint)));
	attron(ui_percent_attr(u, 100) | A_BOLD);
	textcols_mvadd_words(y, 0, line, COLS);
	attroff(ui_percent_attr(u, 100) | A_BOLD);
}

/* "CRITICAL 127.0.0.1:6379 97 % for 40 s, full in ~1 min", the worst alert, in its
 * colour; "(+2 more)". */
static void header_alert(struct ui *u, int y)
{
	const struct model *m = &u->engine->model;
	const struct alert *a = &m->alerts[0];
	char line[300], forecast[96] = "";
	struct textcols_line l;
	int attr = ui_level_attr(u, a->state.level);

	if (a->forecast.trend == FORECAST_FILLING)
		output_forecast_words(&a->forecast, forecast, sizeof(forecast));
	/* each figure with its unit is a phrase of its own: "97 %", "for 40 s" */
	textcols_line_start(&l, line, sizeof(line), COLS);
	textcols_line_add(&l, "%s %s", _(level_name(a->state.level)), a->name);
	textcols_line_add(&l, " %.0f %%", a->percent);
	textcols_line_add(&l, _(" for %.0f s"), a->seconds);
	if (forecast[0])
		textcols_line_add(&l, ", %s", forecast);
	if (m->n_alerts > 1)
		textcols_line_add(&l, P_("  (+%zu more)", "  (+%zu more)", m->n_alerts - 1), m->n_alerts - 1);
	attron(attr);
	textcols_mvadd_words(y, 0, line, COLS);
	attroff(attr);
}

int header_lines(struct ui *u, int avail)
{
	int want = 2 + header_failing(&u->engine->model) + (u->engine->model.n_alerts > 0);

	return avail >= want ? want : avail > 0 ? avail : 0;
}

void header_draw(struct ui *u, int y, int lines)
{
	int at = 2;

	if (lines >= 1)
		header_identity(u, y);
	if (lines >= 2)
		header_range(u, y + 1);
	if (lines > at && header_failing(&u->engine->model))
		header_failures(u, y + at++);
	if (lines > at && u->engine->model.n_alerts)
		header_alert(u, y + at);
}
