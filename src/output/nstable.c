/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --all-netns as text: one line per network namespace, fullest first, so the one
 * running dry is on top; what an admin reads before looking into one (--netns).
 */
#include "output.h"

#include <string.h>

#include "util/i18n.h"

/* What runs out first: the tightest destination, or a whole pool. */
static const char *fullest_what(const struct model *m, char *buf, size_t len)
{
	const struct destination *d = m->n_destinations ? &m->destinations[0] : NULL;
	double pool = m->tcp.percent > m->udp.percent ? m->tcp.percent : m->udp.percent;

	if (d && d->blocked_percent >= pool && d->in_use) {
		char local[64], remote[80];
		snprintf(buf, len, "%s>%s", sample_addr_format(d->local, local, sizeof(local)),
			 sample_endpoint_format(d->remote, d->remote_port, remote, sizeof(remote)));
	} else {
		snprintf(buf, len, _("%s ports"), m->udp.percent > m->tcp.percent ? "UDP" : "TCP");
	}
	return buf;
}

static void table_row(FILE *out, const struct report *r)
{
	const struct model *m = r->model;
	char range[24], what[160], top[96] = "-";

	snprintf(range, sizeof(range), "%d-%d", m->range.low, m->range.high);
	if (r->n_rows)
		snprintf(top, sizeof(top), "%d %s", (int)r->rows[0]->pid, r->rows[0]->comm);
	fprintf(out, "  %-11llu %-22.22s %-12s %6u %7u  %-30.30s %5.1f %6u  %s\n",
		(unsigned long long)m->netns_inode, r->netns_name && r->netns_name[0] ? r->netns_name : "-",
		range, m->range.usable, m->total_tcp, fullest_what(m, what, sizeof(what)),
		model_fullest_percent(m), m->states[STATE_TIME_WAIT], top);
}

void output_netns_table(FILE *out, const struct report *r, size_t n,
			const struct netns_failure *bad, size_t n_bad)
{
	fprintf(out, _("Network namespaces (%zu), fullest first\n"), n + n_bad);
	fprintf(out, "  %-11s %-22s %-12s %6s %7s  %-30s %5s %6s  %s\n", _("NETNS"), _("NAME"),
		_("RANGE"), _("USABLE"), _("TCP"), _("FULLEST"), "%", "TW", _("TOP PROCESS"));
	for (size_t i = 0; i < n; i++)
		table_row(out, &r[i]);
	for (size_t i = 0; i < n_bad; i++) {
		char msg[256];

		output_failure(msg, sizeof(msg), bad[i].step, bad[i].error);
		fprintf(out, "  %-11llu %-22.22s %s: %s\n", (unsigned long long)bad[i].inode,
			bad[i].name && bad[i].name[0] ? bad[i].name : "-", _("unreadable"), msg);
	}
}
