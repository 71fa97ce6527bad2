/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A readable snapshot of the three panels, for logs: `porttop -b`. */
#include "output.h"

#include <netinet/in.h>
#include <string.h>

#include "util/i18n.h"

#define TEXT_BAR_WIDTH 40

static void text_bar(FILE *out, double percent)
{
	int filled = (int)(percent * TEXT_BAR_WIDTH / 100.0 + 0.5);

	if (filled > TEXT_BAR_WIDTH)
		filled = TEXT_BAR_WIDTH;
	fputc('[', out);
	for (int i = 0; i < TEXT_BAR_WIDTH; i++)
		fputc(i < filled ? '#' : '.', out);
	fputc(']', out);
}

static void text_header(FILE *out, const struct report *r)
{
	const struct model *m = r->model;
	char when[64], reason[256];

	output_rfc3339(&m->wall, when, sizeof(when));
	fprintf(out, _("porttop - %s - %s - source %s - netns %llu\n"), r->hostname[0] ? r->hostname : "?",
		when, m->source == SAMPLE_SOURCE_NETLINK ? "netlink" : "/proc/net",
		(unsigned long long)m->netns_inode);
	fprintf(out, _("Range %d-%d: size %u, reserved %u, usable %u; tcp_tw_reuse %d\n"),
		m->range.low, m->range.high, m->range.size, m->range.reserved, m->range.usable,
		m->tw_reuse);
	if (output_source_reason(m, reason, sizeof(reason)))
		fprintf(out, _("Note: read /proc/net (%s), which lists neither bound-only sockets "
			       "nor socket cookies\n"), reason);
	if (!m->bpf) {
		char why[160];
		fprintf(out, _("eBPF off: %s\n"), output_bpf_reason(m->probes ? m->probes->status : PROBE_OFF_REQUESTED,
								   m->probes ? m->probes->error : 0, true,
								   why, sizeof(why)));
	}
	if (m->sockets_unowned && m->procs_unreadable)
		fprintf(out, _("Note: owners of %u sockets unknown: %u processes could not be read (%s)\n"),
			m->sockets_unowned, m->procs_unreadable, output_unreadable_reason(m->owner_access));
}

/* Every pool above OK, worst first, as the live header shows the first:
 * "CRITICAL 127.0.0.1:6379 97 % for 40 s, full in ~1 min". */
static void text_alerts(FILE *out, const struct model *m)
{
	for (size_t i = 0; i < m->n_alerts; i++) {
		const struct alert *a = &m->alerts[i];
		char forecast[96];

		fprintf(out, _("%s %s %.0f %% for %.0f s"), _(level_name(a->state.level)), a->name, a->percent,
			a->seconds);
		if (a->forecast.trend == FORECAST_FILLING)
			fprintf(out, ", %s", output_forecast_words(&a->forecast, forecast, sizeof(forecast)));
		fputc('\n', out);
	}
}

/* "; full in ~15 s, new 40.0/s, TIME_WAIT +40.0/s -0.0/s" (nothing while unknown). */
static void text_forecast(FILE *out, const struct forecast *f, bool flows)
{
	char words[96];

	if (!output_forecast_words(f, words, sizeof(words))[0])
		return;
	fprintf(out, "; %s", words);
	if (flows && f->new_per_sec >= 0)
		fprintf(out, _(", new %.1f/s, TIME_WAIT +%.1f/s -%.1f/s"), f->new_per_sec,
			f->time_wait_created_per_sec, f->time_wait_expired_per_sec);
}

static void text_pools(FILE *out, const struct model *m)
{
	char words[96];

	fputs("\nTCP  ", out);
	text_bar(out, m->tcp.percent);
	fprintf(out, _("  %u/%u  %.1f %%  ESTABLISHED %u  TIME_WAIT %u  CLOSE_WAIT %u  other %u\n"),
		m->tcp.in_use, m->range.usable, m->tcp.percent, m->tcp.by_holder[HOLDER_ESTABLISHED],
		m->tcp.by_holder[HOLDER_TIME_WAIT], m->tcp.by_holder[HOLDER_CLOSE_WAIT],
		m->tcp.by_holder[HOLDER_OTHER]);
	if (output_forecast_words(&m->tcp.forecast, words, sizeof(words))[0])
		fprintf(out, _("     TCP pool: %s\n"), words);
	if (m->time_wait_forecast.time_wait_created_per_sec >= 0)
		fprintf(out, _("     TIME_WAIT created %.1f/s, expired %.1f/s\n"),
			m->time_wait_forecast.time_wait_created_per_sec,
			m->time_wait_forecast.time_wait_expired_per_sec);
	fputs("UDP  ", out);
	text_bar(out, m->udp.percent);
	fprintf(out, "  %u/%u  %.1f %%", m->udp.in_use, m->range.usable, m->udp.percent);
	text_forecast(out, &m->udp.forecast, false);
	fputc('\n', out);
}

static void text_destination(FILE *out, const struct destination *d)
{
	char local[64], endpoint[80], states[STATE_COUNT * 24];

	sample_addr_format(d->local, local, sizeof(local));
	sample_endpoint_format(d->remote, d->remote_port, endpoint, sizeof(endpoint));
	fprintf(out, "  %-15s %-28s %6u %8u %6.1f  ", local, endpoint, d->in_use, d->capacity, d->percent);
	fputs(states_list(d->by_state, states, sizeof(states)), out);
	if (d->reusable)
		fprintf(out, _(" (%u TIME_WAIT reusable: tcp_tw_reuse)"), d->reusable);
	if (d->connect_failures)
		fprintf(out, P_(" (connect() failed %llu time)", " (connect() failed %llu times)",
				d->connect_failures), (unsigned long long)d->connect_failures);
	text_forecast(out, &d->forecast, true);
	fputc('\n', out);
}

/* bind(0) per local address, the fullest first, and the pool that runs out first. */
static void text_bind_pools(FILE *out, const struct model *m)
{
	size_t n = m->n_bind_pools < REPORT_MAX_BIND_POOLS ? m->n_bind_pools : REPORT_MAX_BIND_POOLS;
	char line[400];

	fputs(_("\nbind() pools (bind(0) runs out per local address)\n"), out);
	for (size_t i = 0; i < n; i++) {
		const struct bind_pool *b = &m->bind_pools[i];
		char local[64];

		fprintf(out, "  %-4s %-39s %6u %8u %6.1f", b->protocol == IPPROTO_UDP ? "udp" : "tcp",
			sample_addr_format(b->local, local, sizeof(local)), b->in_use, b->capacity, b->percent);
		text_forecast(out, &b->forecast, false);
		fputc('\n', out);
	}
	if (n == 0)
		fputs(_("  none\n"), out);
	fprintf(out, "%s\n", output_first_to_fail_words(m, line, sizeof(line)));
}

static void text_destinations(FILE *out, const struct model *m, size_t n)
{
	fputs(_("\nTightest destinations (a plain connect() runs out per destination)\n"), out);
	if (n == 0) {
		fputs(_("  none\n"), out);
		return;
	}
	fprintf(out, "  %-15s %-28s %6s %8s %6s  %s\n", _("LOCAL"), _("REMOTE"), _("IN USE"),
		_("CAPACITY"), "%", _("HELD BY"));
	for (size_t i = 0; i < n; i++)
		text_destination(out, &m->destinations[i]);
}

/* What the probes counted: failing processes, each with its destinations. */
static void text_failures(FILE *out, const struct model *m)
{
	const struct probe_facts *f = m->probes;

	if (!m->bpf)
		return;
	fprintf(out, _("\nconnect() failures for want of a port (eBPF%s): %llu"),
		f->pinned ? _(", pinned") : "", (unsigned long long)m->failures_total);
	if (m->failures_per_sec >= 0)
		fprintf(out, _(", %.1f/s"), m->failures_per_sec);
	fputc('\n', out);
	for (size_t i = 0; i < f->n_failures; i++) {
		const struct probe_failure *p = &f->failures[i];

		fprintf(out, "  %7d %-16s %8llu", (int)p->who.pid, p->who.comm, (unsigned long long)p->count);
		for (size_t d = p->first_dest; d < p->first_dest + p->n_dests; d++) {
			char endpoint[80];
			fprintf(out, "  %s %llu",
				sample_endpoint_format(f->dests[d].remote, f->dests[d].port, endpoint, sizeof(endpoint)),
				(unsigned long long)f->dests[d].count);
		}
		fputc('\n', out);
	}
}

static void text_states(FILE *out, const struct model *m)
{
	fprintf(out, P_("\nTCP states (%u socket)\n", "\nTCP states (%u sockets)\n", m->total_tcp),
		m->total_tcp);
	for (int st = 0; st < STATE_COUNT; st++)
		fprintf(out, "  %-12s %7u\n", states_name((enum tcp_state)st), m->states[st]);
}

static void text_cell(FILE *out, const struct column *c, const struct proc_row *row, bool cmdline)
{
	char buf[64];
	const char *cell = columns_format(c, row, cmdline ? COLUMN_CMDLINE : COLUMN_PLAIN, buf, sizeof(buf));

	if (c->width == 0)  /* the rest of the line */
		fprintf(out, " %s%s", cell, row->exited ? _(" (exited)") : "");
	else if (columns_is_string(c))
		fprintf(out, " %-*.*s", c->width, c->width, cell);
	else
		fprintf(out, " %*s", c->width, cell);
}

static void text_processes(FILE *out, const struct report *r)
{
	char others[256];

	fprintf(out, _("\nProcesses (%zu)\n"), r->n_rows);
	for (size_t i = 0; i < columns_count; i++) {
		const struct column *c = &columns[i];
		if (columns_in_table(c, r->model))
			fprintf(out, columns_is_string(c) ? " %-*s" : " %*s", c->width, c->header);
	}
	fputc('\n', out);
	for (size_t i = 0; i < r->n_rows; i++) {
		for (size_t c = 0; c < columns_count; c++)
			if (columns_in_table(&columns[c], r->model))
				text_cell(out, &columns[c], r->rows[i], r->show_cmdline);
		fputc('\n', out);
	}
	if (attribution_unattributed_list(r->model, others, sizeof(others))[0])
		fprintf(out, _("TIME_WAIT not attributed to a process: %u of %u; unattributed %s\n"),
			r->model->time_wait_unattributed, r->model->time_wait_total, others);
	else
		fprintf(out, _("TIME_WAIT not attributed to a process: %u of %u\n"),
			r->model->time_wait_unattributed, r->model->time_wait_total);
}

void output_text(FILE *out, const struct report *r)
{
	text_header(out, r);
	text_alerts(out, r->model);
	text_pools(out, r->model);
	text_destinations(out, r->model, r->n_destinations);
	text_bind_pools(out, r->model);
	text_failures(out, r->model);
	text_states(out, r->model);
	text_processes(out, r);
}
