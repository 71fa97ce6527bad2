/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A monitoring check (Nagios / Icinga plugin conventions): one status line with
 * performance data, and the exit code says OK, WARNING or CRITICAL.  The figure
 * judged is the fullest of: the bind(0) pool (TCP and UDP) and the tightest
 * destination, since either running out makes connections fail.
 */
#include "output.h"

#include <stdint.h>

#include "util/i18n.h"

static const char *const check_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

static enum check_status status_of(double percent, const struct settings *st)
{
	if (percent >= st->critical)
		return CHECK_CRITICAL;
	if (percent >= st->warning)
		return CHECK_WARNING;
	return CHECK_OK;
}

static void check_worst(FILE *out, const struct model *m)
{
	const struct destination *d = m->n_destinations ? &m->destinations[0] : NULL;
	double pool = m->tcp.percent > m->udp.percent ? m->tcp.percent : m->udp.percent;

	if (d && d->blocked_percent >= pool) {
		char local[64], remote[80];
		enum tcp_state held = STATE_ESTABLISHED;
		for (int st = 0; st < STATE_COUNT; st++)
			if (d->by_state[st] > d->by_state[held])
				held = (enum tcp_state)st;
		fprintf(out, _("destination %s -> %s at %.1f %% (%u/%u ports, mostly %s)"),
			sample_addr_format(d->local, local, sizeof(local)),
			sample_endpoint_format(d->remote, d->remote_port, remote, sizeof(remote)),
			d->blocked_percent, d->in_use - d->reusable, d->capacity, states_name(held));
	} else {
		bool udp = m->udp.percent > m->tcp.percent;
		fprintf(out, _("%s ports at %.1f %% (%u/%u)"), udp ? "UDP" : "TCP", pool,
			udp ? m->udp.in_use : m->tcp.in_use, m->range.usable);
	}
}

double output_check_percent(const struct model *m)
{
	double worst = m->tcp.percent > m->udp.percent ? m->tcp.percent : m->udp.percent;
	/* TIME_WAIT ports that tcp_tw_reuse hands out again do not make connect() fail */
	if (m->n_destinations && m->destinations[0].blocked_percent > worst)
		worst = m->destinations[0].blocked_percent;
	return worst;
}

/* connect() failing right now: the process failing fastest and where it fails. */
static void check_failing(FILE *out, const struct model *m)
{
	const struct probe_failure *p = &m->probes->failures[m->top_failure];
	const struct probe_failure_dest *d = &m->probes->dests[m->top_failure_dest];
	char endpoint[80];

	fprintf(out, _("connect() failing: %.1f/s - %s (%d) -> %s"), m->failures_per_sec, p->comm,
		(int)p->pid, sample_endpoint_format(d->remote, d->port, endpoint, sizeof(endpoint)));
}

enum check_status output_check(FILE *out, const struct report *r, const struct settings *st)
{
	const struct model *m = r->model;
	double worst = output_check_percent(m);
	enum check_status status = status_of(worst, st);
	double dest = m->n_destinations ? m->destinations[0].blocked_percent : 0;
	/* failures that grow between two samples: connections are failing now */
	bool failing = m->bpf && m->failures_per_sec > 0 && m->top_failure != SIZE_MAX;

	if (failing)
		status = CHECK_CRITICAL;
	fprintf(out, "PORTTOP %s - ", check_words[status]);
	if (failing)
		check_failing(out, m);
	else
		check_worst(out, m);
	fprintf(out, " | tcp_ports=%.2f%%;%g;%g;0;100 udp_ports=%.2f%%;%g;%g;0;100 "
		     "destination=%.2f%%;%g;%g;0;100 time_wait=%u close_wait=%u",
		m->tcp.percent, st->warning, st->critical, m->udp.percent, st->warning, st->critical,
		dest, st->warning, st->critical, m->states[STATE_TIME_WAIT], m->states[STATE_CLOSE_WAIT]);
	if (m->bpf)
		fprintf(out, " connect_failures=%lluc", (unsigned long long)m->failures_total);
	fputc('\n', out);
	return status;
}
