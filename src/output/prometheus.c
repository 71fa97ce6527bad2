/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
 * collector or a scrape wrapper.  Process series are limited to the selected rows.
 * With --all-netns every series is labelled with its namespace (netns, netns_name),
 * and each family's series of every namespace follow its one HELP and TYPE.
 */
#include "output.h"

#include <stdbool.h>

static void prom_label_value(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void prom_family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP porttop_%s %s\n# TYPE porttop_%s gauge\n", name, help, name);
}

/* One series being written: its name, then labels as they come. */
struct series {
	FILE *out;
	bool open;  /* "{" written */
};

static void prom_label(struct series *s, const char *key, const char *value)
{
	fputs(s->open ? "," : "{", s->out);
	s->open = true;
	fprintf(s->out, "%s=", key);
	prom_label_value(s->out, value);
}

static struct series prom_begin(FILE *out, const struct report *r, const char *name)
{
	struct series s = { out, false };

	fprintf(out, "porttop_%s", name);
	if (r->all_netns) {
		char inode[32];
		snprintf(inode, sizeof(inode), "%llu", (unsigned long long)r->model->netns_inode);
		prom_label(&s, "netns", inode);
		prom_label(&s, "netns_name", r->netns_name ? r->netns_name : "");
	}
	return s;
}

static void prom_end(struct series *s, const char *value)
{
	fprintf(s->out, "%s %s\n", s->open ? "}" : "", value);
}

static void prom_u(FILE *out, const struct report *r, const char *name, const char *key,
		   const char *value, unsigned v)
{
	struct series s = prom_begin(out, r, name);
	char buf[16];

	if (key)
		prom_label(&s, key, value);
	snprintf(buf, sizeof(buf), "%u", v);
	prom_end(&s, buf);
}

static void prom_range(FILE *out, const struct report *r, size_t n)
{
	prom_family(out, "range_low", "First port of net.ipv4.ip_local_port_range.");
	for (size_t i = 0; i < n; i++)
		prom_u(out, &r[i], "range_low", NULL, NULL, (unsigned)r[i].model->range.low);
	prom_family(out, "range_high", "Last port of net.ipv4.ip_local_port_range.");
	for (size_t i = 0; i < n; i++)
		prom_u(out, &r[i], "range_high", NULL, NULL, (unsigned)r[i].model->range.high);
	prom_family(out, "range_reserved_ports", "Ports of the range listed in ip_local_reserved_ports.");
	for (size_t i = 0; i < n; i++)
		prom_u(out, &r[i], "range_reserved_ports", NULL, NULL, r[i].model->range.reserved);
	prom_family(out, "range_usable_ports", "Ports of the range that are not reserved.");
	for (size_t i = 0; i < n; i++)
		prom_u(out, &r[i], "range_usable_ports", NULL, NULL, r[i].model->range.usable);
	prom_family(out, "ports_in_use", "Distinct usable ports held by any socket (what bind(0) runs out of).");
	for (size_t i = 0; i < n; i++) {
		prom_u(out, &r[i], "ports_in_use", "protocol", "tcp", r[i].model->tcp.in_use);
		prom_u(out, &r[i], "ports_in_use", "protocol", "udp", r[i].model->udp.in_use);
	}
}

static void prom_states(FILE *out, const struct report *r, size_t n)
{
	prom_family(out, "tcp_sockets", "TCP sockets by state; BOUND is bound-only.");
	for (size_t i = 0; i < n; i++)
		for (int st = 0; st < STATE_COUNT; st++)
			prom_u(out, &r[i], "tcp_sockets", "state", states_name((enum tcp_state)st),
			       r[i].model->states[st]);
	prom_family(out, "time_wait_unattributed", "TIME_WAIT sockets whose owner was never seen.");
	for (size_t i = 0; i < n; i++)
		prom_u(out, &r[i], "time_wait_unattributed", NULL, NULL, r[i].model->time_wait_unattributed);
	prom_family(out, "unattributed_sockets",
		    "Closed sockets still holding a port whose owner porttop never saw, by state.");
	for (size_t i = 0; i < n; i++)
		for (int st = 0; st < STATE_COUNT; st++)
			if (attribution_orphan_state((enum tcp_state)st))
				prom_u(out, &r[i], "unattributed_sockets", "state",
				       states_name((enum tcp_state)st), r[i].model->unattributed[st]);
}

enum dest_field { DEST_IN_USE, DEST_CAPACITY, DEST_REUSABLE };

static void prom_destination(FILE *out, const struct report *r, const char *name,
			     const struct destination *d, enum dest_field what)
{
	struct series s = prom_begin(out, r, name);
	char local[64], remote[64], port[8], value[16];
	unsigned v = what == DEST_IN_USE ? d->in_use : what == DEST_CAPACITY ? d->capacity : d->reusable;

	prom_label(&s, "local", sample_addr_format(d->local, local, sizeof(local)));
	prom_label(&s, "remote", sample_addr_format(d->remote, remote, sizeof(remote)));
	snprintf(port, sizeof(port), "%u", d->remote_port);
	prom_label(&s, "port", port);
	snprintf(value, sizeof(value), "%u", v);
	prom_end(&s, value);
}

static void prom_destination_family(FILE *out, const struct report *r, size_t n, const char *name,
				    const char *help, enum dest_field what)
{
	prom_family(out, name, help);
	for (size_t i = 0; i < n; i++) {
		const struct model *m = r[i].model;
		size_t k = m->n_destinations < REPORT_MAX_DESTINATIONS ? m->n_destinations
								       : REPORT_MAX_DESTINATIONS;
		for (size_t d = 0; d < k; d++)
			prom_destination(out, &r[i], name, &m->destinations[d], what);
	}
}

static void prom_destinations(FILE *out, const struct report *r, size_t n)
{
	prom_destination_family(out, r, n, "destination_ports_in_use",
				"Ports used towards one destination (fullest 10).", DEST_IN_USE);
	prom_destination_family(out, r, n, "destination_capacity_ports",
				"Ports a plain connect() can use towards one destination.", DEST_CAPACITY);
	prom_destination_family(out, r, n, "destination_reusable_ports",
				"TIME_WAIT ports towards one destination that connect() may reuse (tcp_tw_reuse).",
				DEST_REUSABLE);
}

static void prom_process(FILE *out, const struct report *r, const struct column *c,
			 const struct proc_row *row)
{
	struct series s = prom_begin(out, r, c->prometheus);
	char pid[16], buf[64];

	snprintf(pid, sizeof(pid), "%d", (int)row->pid);
	prom_label(&s, "pid", pid);
	prom_label(&s, "user", row->user);
	prom_label(&s, "command", row->comm);
	prom_end(&s, columns_format(c, row, COLUMN_JSON, buf, sizeof(buf)));
}

/*
 * One series for each column the table gives a Prometheus name; numbers as in JSON,
 * and no sample for a rate not known yet (the exposition format has no null).
 */
static void prom_processes(FILE *out, const struct report *r, size_t n)
{
	for (size_t k = 0; k < columns_count; k++) {
		const struct column *c = &columns[k];

		if (!c->prometheus)
			continue;
		prom_family(out, c->prometheus, c->prometheus_help);
		for (size_t i = 0; i < n; i++)
			for (size_t row = 0; row < r[i].n_rows; row++)
				if (c->type != COLTYPE_RATE || columns_value(c, r[i].rows[row]) >= 0)
					prom_process(out, &r[i], c, r[i].rows[row]);
	}
}

static void prom_failure_series(FILE *out, const struct report *r, const struct probe_facts *f,
				const struct probe_failure *p)
{
	for (size_t d = p->first_dest; d < p->first_dest + p->n_dests; d++) {
		struct series s = prom_begin(out, r, "process_connect_failures_total");
		char pid[16], remote[64], port[8], value[24];

		snprintf(pid, sizeof(pid), "%d", (int)p->pid);
		prom_label(&s, "pid", pid);
		prom_label(&s, "user", p->user);
		prom_label(&s, "command", p->comm);
		prom_label(&s, "remote", sample_addr_format(f->dests[d].remote, remote, sizeof(remote)));
		snprintf(port, sizeof(port), "%u", f->dests[d].port);
		prom_label(&s, "port", port);
		snprintf(value, sizeof(value), "%llu", (unsigned long long)f->dests[d].count);
		prom_end(&s, value);
	}
}

static void prom_failures(FILE *out, const struct report *r, size_t n)
{
	char value[24];

	prom_family(out, "bpf", "1 when the eBPF probes run (failures and birth owners are exact).");
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		prom_u(out, &r[i], "bpf", NULL, NULL, r[i].model->bpf ? 1 : 0);
		any = any || r[i].model->bpf;
	}
	if (!any)
		return;
	fputs("# HELP porttop_connect_failures_total connect() EADDRNOTAVAIL and bind(port 0) "
	      "EADDRINUSE since the probes were attached.\n"
	      "# TYPE porttop_connect_failures_total counter\n", out);
	for (size_t i = 0; i < n; i++) {
		struct series s;

		if (!r[i].model->bpf)
			continue;
		s = prom_begin(out, &r[i], "connect_failures_total");
		snprintf(value, sizeof(value), "%llu", (unsigned long long)r[i].model->failures_total);
		prom_end(&s, value);
	}
	fputs("# HELP porttop_process_connect_failures_total Failures of one process towards one "
	      "destination (bind(): its local address, port 0).\n"
	      "# TYPE porttop_process_connect_failures_total counter\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct probe_facts *f = r[i].model->probes;

		if (!r[i].model->bpf || !f)
			continue;
		for (size_t k = 0; k < f->n_failures; k++)
			prom_failure_series(out, &r[i], f, &f->failures[k]);
	}
}

void output_prometheus_all(FILE *out, const struct report *r, size_t n)
{
	prom_range(out, r, n);
	prom_states(out, r, n);
	prom_destinations(out, r, n);
	prom_processes(out, r, n);
	prom_failures(out, r, n);
}

void output_prometheus(FILE *out, const struct report *r)
{
	output_prometheus_all(out, r, 1);
}

void output_prometheus_namespaces(FILE *out, unsigned listed, unsigned unreadable)
{
	prom_family(out, "network_namespaces", "Network namespaces found (--all-netns), read or not.");
	fprintf(out, "porttop_network_namespaces %u\n", listed);
	prom_family(out, "network_namespaces_unreadable",
		    "Network namespaces porttop could not enter (--all-netns).");
	fprintf(out, "porttop_network_namespaces_unreadable %u\n", unreadable);
}

