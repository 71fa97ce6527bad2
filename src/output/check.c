/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A monitoring check per the Monitoring Plugins guidelines (Nagios, Icinga, Naemon,
 * Sensu, Zabbix agents): one status line "PORTTOP OK - ..." with performance data
 * 'label'=value[UOM];[warn];[crit];[min];[max], optional long output lines (-v), and
 * the exit code OK, WARNING, CRITICAL or UNKNOWN.  The figure judged is the fullest
 * of the bind(0) pools (TCP and UDP) and the tightest destination, since either
 * running out makes connections fail; with eBPF, connect() failing between two
 * samples is CRITICAL whatever the figures.
 * https://www.monitoring-plugins.org/doc/guidelines.html
 */
#include "output.h"
#include "cnumeric.h"

#include <stdint.h>

#include "util/i18n.h"

static const char *const check_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

static enum check_status status_of(double percent, const struct settings *st)
{
	if (threshold_alerts(&st->critical, percent))
		return CHECK_CRITICAL;
	if (threshold_alerts(&st->warning, percent))
		return CHECK_WARNING;
	return CHECK_OK;
}

static enum tcp_state destination_held_mostly(const struct destination *d)
{
	enum tcp_state held = STATE_ESTABLISHED;

	for (int st = 0; st < STATE_COUNT; st++)
		if (d->by_state[st] > d->by_state[held])
			held = (enum tcp_state)st;
	return held;
}

static void check_destination(FILE *out, const struct destination *d)
{
	char local[64], remote[80];

	fprintf(out, _("destination %s -> %s at %.1f %% (%u/%u ports, mostly %s)"),
		sample_addr_format(d->local, local, sizeof(local)),
		sample_endpoint_format(d->remote, d->remote_port, remote, sizeof(remote)),
		d->blocked_percent, d->in_use - d->reusable, d->capacity,
		states_name(destination_held_mostly(d)));
}

static void check_worst(FILE *out, const struct model *m)
{
	const struct destination *d = m->n_destinations ? &m->destinations[0] : NULL;
	double pool = m->tcp.percent > m->udp.percent ? m->tcp.percent : m->udp.percent;

	if (d && d->blocked_percent >= pool) {
		check_destination(out, d);
	} else {
		bool udp = m->udp.percent > m->tcp.percent;
		fprintf(out, _("%s ports at %.1f %% (%u/%u)"), udp ? "UDP" : "TCP", pool,
			udp ? m->udp.in_use : m->tcp.in_use, m->range.usable);
	}
}

double output_check_percent(const struct model *m)
{
	return model_fullest_percent(m);
}

/* One percentage with the thresholds judged against it (labels need no quoting). */
static void perf_percent(FILE *out, const char *label, double v, const char *warn, const char *crit)
{
	fprintf(out, " %s=%.2f%%;%s;%s;0;100", label, v, warn, crit);
}

/* more: further perfdata (--all-netns: the namespace counts), "" for none */
static void check_perfdata(FILE *out, const struct model *m, const struct settings *st,
			   const char *more)
{
	char warn[80], crit[80];
	double dest = m->n_destinations ? m->destinations[0].blocked_percent : 0;

	threshold_format(&st->warning, warn, sizeof(warn));
	threshold_format(&st->critical, crit, sizeof(crit));
	fputs(" |", out);
	perf_percent(out, "fullest", output_check_percent(m), warn, crit);
	perf_percent(out, "tcp_ports", m->tcp.percent, warn, crit);
	perf_percent(out, "udp_ports", m->udp.percent, warn, crit);
	perf_percent(out, "destination", dest, warn, crit);
	fprintf(out, " time_wait=%u;;;0; close_wait=%u;;;0; time_wait_unattributed=%u;;;0;",
		m->states[STATE_TIME_WAIT], m->states[STATE_CLOSE_WAIT], m->time_wait_unattributed);
	if (m->bpf)  /* a counter: UOM c */
		fprintf(out, " connect_failures=%lluc", (unsigned long long)m->failures_total);
	fprintf(out, "%s\n", more);
}

/* -v: the guidelines' long output, one line per destination and process. */
static void check_long_output(FILE *out, const struct report *r)
{
	const struct model *m = r->model;

	fputs(_("Tightest destinations:\n"), out);
	if (r->n_destinations == 0)
		fputs(_("  none\n"), out);
	for (size_t i = 0; i < r->n_destinations; i++) {
		fputs("  ", out);
		check_destination(out, &m->destinations[i]);
		fputc('\n', out);
	}
	fputs(_("Top processes:\n"), out);
	if (r->n_rows == 0)
		fputs(_("  none\n"), out);
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct proc_row *row = r->rows[i];
		fprintf(out, _("  pid %d %s (%s): %u ephemeral ports, %u TIME_WAIT, %u CLOSE_WAIT\n"),
			(int)row->pid, row->comm, row->user, row->ephemeral, row->time_wait,
			row->close_wait);
	}
}

/* connect() failing right now: the process failing fastest and where it fails. */
static void check_failing(FILE *out, const struct model *m)
{
	const struct probe_failure *p = &m->probes->failures[m->top_failure];
	const struct probe_failure_dest *d = &m->probes->dests[m->top_failure_dest];
	char endpoint[80];

	fprintf(out, _("connect() failing: %.1f/s - %s (%d) -> %s"), m->failures_per_sec, p->who.comm,
		(int)p->who.pid, sample_endpoint_format(d->remote, d->port, endpoint, sizeof(endpoint)));
}

static enum check_status check_one(FILE *out, const struct report *r, const struct settings *st)
{
	const struct model *m = r->model;
	enum check_status status = status_of(output_check_percent(m), st);
	/* failures that grow between two samples: connections are failing now */
	bool failing = m->bpf && m->failures_per_sec > 0 && m->top_failure != SIZE_MAX;

	if (failing)
		status = CHECK_CRITICAL;
	fprintf(out, "PORTTOP %s - ", check_words[status]);
	if (failing)
		check_failing(out, m);
	else
		check_worst(out, m);
	check_perfdata(out, m, st, "");
	if (r->verbose)
		check_long_output(out, r);
	return status;
}

/* The namespace whose fullest figure is highest; r is not empty. */
static size_t fullest_of(const struct report *r, size_t n)
{
	size_t worst = 0;

	for (size_t i = 1; i < n; i++)
		if (model_fullest_percent(r[i].model) > model_fullest_percent(r[worst].model))
			worst = i;
	return worst;
}

static enum check_status check_all(FILE *out, const struct report *r, size_t n, size_t unreadable,
				    const struct settings *st)
{
	const struct report *w;
	const struct model *m;
	enum check_status status;
	char more[96];

	if (n == 0) {
		fprintf(out, "PORTTOP UNKNOWN - %s\n", _("no network namespace could be read"));
		return CHECK_UNKNOWN;
	}
	w = &r[fullest_of(r, n)];
	m = w->model;
	status = status_of(model_fullest_percent(m), st);
	fprintf(out, "PORTTOP %s - ", check_words[status]);
	fprintf(out, _("netns %llu (%s): "), (unsigned long long)m->netns_inode,
		w->netns_name && w->netns_name[0] ? w->netns_name : "-");
	check_worst(out, m);
	fprintf(out, P_("; fullest of %zu namespace", "; fullest of %zu namespaces", n), n);
	if (unreadable)
		fprintf(out, _(", %zu not readable"), unreadable);
	snprintf(more, sizeof(more), " namespaces=%zu;;;0; namespaces_unreadable=%zu;;;0;", n,
		 unreadable);
	check_perfdata(out, m, st, more);
	return status;
}

/* The whole line in the C numeric locale: the guidelines' perfdata take a '.' only. */
enum check_status output_check(FILE *out, const struct report *r, const struct settings *st)
{
	struct cnumeric c;
	enum check_status status;

	cnumeric_enter(&c);
	status = check_one(out, r, st);
	cnumeric_leave(&c);
	return status;
}

enum check_status output_check_all(FILE *out, const struct report *r, size_t n, size_t unreadable,
				   const struct settings *st)
{
	struct cnumeric c;
	enum check_status status;

	cnumeric_enter(&c);
	status = check_all(out, r, n, unreadable, st);
	cnumeric_leave(&c);
	return status;
}
