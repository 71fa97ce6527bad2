/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
 * collector or a scrape wrapper.  Names follow the Prometheus naming guidelines: base
 * units (_seconds, _ratio from 0 to 1), no _total on gauges.  Cardinality is bounded:
 * destination and process series (failing processes too) only for the top
 * --top-destinations and --top-processes (10 by default).
 */
#include "output.h"
#include "cnumeric.h"

#include <netinet/in.h>

void output_prometheus_label(FILE *out, const char *s)
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

static void prom_range(FILE *out, const struct model *m)
{
	prom_family(out, "range_low", "First port of net.ipv4.ip_local_port_range.");
	fprintf(out, "porttop_range_low %d\n", m->range.low);
	prom_family(out, "range_high", "Last port of net.ipv4.ip_local_port_range.");
	fprintf(out, "porttop_range_high %d\n", m->range.high);
	prom_family(out, "range_reserved_ports", "Ports of the range listed in ip_local_reserved_ports.");
	fprintf(out, "porttop_range_reserved_ports %u\n", m->range.reserved);
	prom_family(out, "range_usable_ports", "Ports of the range that are not reserved.");
	fprintf(out, "porttop_range_usable_ports %u\n", m->range.usable);
	prom_family(out, "ports_in_use", "Distinct usable ports held by any socket (what bind(0) runs out of).");
	fprintf(out, "porttop_ports_in_use{protocol=\"tcp\"} %u\n", m->tcp.in_use);
	fprintf(out, "porttop_ports_in_use{protocol=\"udp\"} %u\n", m->udp.in_use);
	prom_family(out, "ports_in_use_ratio", "Share of the usable ports held by any socket, 0-1.");
	fprintf(out, "porttop_ports_in_use_ratio{protocol=\"tcp\"} %.4f\n", m->tcp.percent / 100);
	fprintf(out, "porttop_ports_in_use_ratio{protocol=\"udp\"} %.4f\n", m->udp.percent / 100);
	prom_family(out, "pool_fullest_ratio",
		    "The fullest pool, 0-1: TCP or UDP bind(0), or the tightest destination (what --format=check judges).");
	fprintf(out, "porttop_pool_fullest_ratio %.4f\n", output_check_percent(m) / 100);
}

static void prom_states(FILE *out, const struct model *m)
{
	prom_family(out, "tcp_sockets", "TCP sockets by state; BOUND is bound-only.");
	for (int st = 0; st < STATE_COUNT; st++)
		fprintf(out, "porttop_tcp_sockets{state=\"%s\"} %u\n", states_name((enum tcp_state)st),
			m->states[st]);
	prom_family(out, "time_wait_unattributed", "TIME_WAIT sockets whose owner was never seen.");
	fprintf(out, "porttop_time_wait_unattributed %u\n", m->time_wait_unattributed);
	prom_family(out, "unattributed_sockets",
		    "Closed sockets still holding a port whose owner porttop never saw, by state.");
	for (int st = 0; st < STATE_COUNT; st++)
		if (attribution_orphan_state((enum tcp_state)st))
			fprintf(out, "porttop_unattributed_sockets{state=\"%s\"} %u\n",
				states_name((enum tcp_state)st), m->unattributed[st]);
}

static void prom_destination_labels(FILE *out, const struct destination *d)
{
	char local[64], remote[64];

	fputs("local=", out);
	output_prometheus_label(out, sample_addr_format(d->local, local, sizeof(local)));
	fputs(",remote=", out);
	output_prometheus_label(out, sample_addr_format(d->remote, remote, sizeof(remote)));
	fprintf(out, ",port=\"%u\"}", d->remote_port);
}

static void prom_destinations(FILE *out, const struct model *m, size_t n)
{
	prom_family(out, "destination_ports_in_use", "Ports used towards one of the tightest destinations.");
	for (size_t i = 0; i < n; i++) {
		fputs("porttop_destination_ports_in_use{", out);
		prom_destination_labels(out, &m->destinations[i]);
		fprintf(out, " %u\n", m->destinations[i].in_use);
	}
	prom_family(out, "destination_capacity_ports", "Ports a plain connect() can use towards one destination.");
	for (size_t i = 0; i < n; i++) {
		fputs("porttop_destination_capacity_ports{", out);
		prom_destination_labels(out, &m->destinations[i]);
		fprintf(out, " %u\n", m->destinations[i].capacity);
	}
	prom_family(out, "destination_reusable_ports",
		    "TIME_WAIT ports towards one destination that connect() may reuse (tcp_tw_reuse).");
	for (size_t i = 0; i < n; i++) {
		fputs("porttop_destination_reusable_ports{", out);
		prom_destination_labels(out, &m->destinations[i]);
		fprintf(out, " %u\n", m->destinations[i].reusable);
	}
	prom_family(out, "destination_blocked_ratio",
		    "Share of a destination's ports connect() cannot take now (reusable TIME_WAIT excluded), 0-1.");
	for (size_t i = 0; i < n; i++) {
		fputs("porttop_destination_blocked_ratio{", out);
		prom_destination_labels(out, &m->destinations[i]);
		fprintf(out, " %.4f\n", m->destinations[i].blocked_percent / 100);
	}
}

static void prom_process_labels(FILE *out, const struct proc_row *row)
{
	fprintf(out, "{pid=\"%d\",user=", (int)row->pid);
	output_prometheus_label(out, row->user);
	fputs(",command=", out);
	output_prometheus_label(out, row->comm);
	fputc('}', out);
}

/*
 * One series for each column the table gives a Prometheus name; numbers as in JSON,
 * and no sample for a rate not known yet (the exposition format has no null).
 */
static void prom_processes(FILE *out, const struct report *r)
{
	char buf[64];

	for (size_t s = 0; s < columns_count; s++) {
		const struct column *c = &columns[s];

		if (!c->prometheus)
			continue;
		prom_family(out, c->prometheus, c->prometheus_help);
		for (size_t i = 0; i < r->n_rows; i++) {
			if (c->type == COLTYPE_RATE && columns_value(c, r->rows[i]) < 0)
				continue;
			fprintf(out, "porttop_%s", c->prometheus);
			prom_process_labels(out, r->rows[i]);
			fprintf(out, " %s\n", columns_format(c, r->rows[i], COLUMN_JSON, buf, sizeof(buf)));
		}
	}
}

/* What a rule needs to tell a stale or failing porttop from a quiet host. */
static void prom_refresh(FILE *out, const struct report_refresh *refresh)
{
	prom_family(out, "up", "1 when the last refresh read the system, 0 when it failed.");
	fprintf(out, "porttop_up %d\n", refresh->up ? 1 : 0);
	if (refresh->seconds >= 0) {
		prom_family(out, "scrape_duration_seconds", "How long the last refresh took.");
		fprintf(out, "porttop_scrape_duration_seconds %.6f\n", refresh->seconds);
	}
	if (refresh->last_success.tv_sec) {
		prom_family(out, "last_refresh_timestamp_seconds",
			    "Unix time of the last refresh that read the system.");
		fprintf(out, "porttop_last_refresh_timestamp_seconds %lld.%03ld\n",
			(long long)refresh->last_success.tv_sec, refresh->last_success.tv_nsec / 1000000);
	}
}

void output_prometheus_down(FILE *out, const struct report_refresh *refresh)
{
	struct cnumeric c;

	cnumeric_enter(&c);
	prom_refresh(out, refresh);
	cnumeric_leave(&c);
}

static void prom_failures(FILE *out, const struct report *r)
{
	const struct model *m = r->model;
	const struct probe_facts *f = m->probes;

	prom_family(out, "bpf", "1 when the eBPF probes run (failures and birth owners are exact).");
	fprintf(out, "porttop_bpf %d\n", m->bpf ? 1 : 0);
	if (!m->bpf)
		return;
	fputs("# HELP porttop_connect_failures_total connect() EADDRNOTAVAIL and bind(port 0) "
	      "EADDRINUSE since the probes were attached.\n"
	      "# TYPE porttop_connect_failures_total counter\n", out);
	fprintf(out, "porttop_connect_failures_total %llu\n", (unsigned long long)m->failures_total);
	fputs("# HELP porttop_process_connect_failures_total Failures of one process towards one "
	      "destination (bind(): its local address, port 0).\n"
	      "# TYPE porttop_process_connect_failures_total counter\n", out);
	for (size_t i = 0; i < r->n_failures; i++) {
		const struct probe_failure *p = r->failures[i];
		for (size_t d = p->first_dest; d < p->first_dest + p->n_dests; d++) {
			char remote[64];
			fprintf(out, "porttop_process_connect_failures_total{pid=\"%d\",user=", (int)p->who.pid);
			output_prometheus_label(out, p->who.user);
			fputs(",command=", out);
			output_prometheus_label(out, p->who.comm);
			fputs(",remote=", out);
			output_prometheus_label(out, sample_addr_format(f->dests[d].remote, remote, sizeof(remote)));
			fprintf(out, ",port=\"%u\"} %llu\n", f->dests[d].port,
				(unsigned long long)f->dests[d].count);
		}
	}
}

static void prom_bind_labels(FILE *out, const struct bind_pool *b)
{
	char local[64];

	fprintf(out, "protocol=\"%s\",local=", b->protocol == IPPROTO_UDP ? "udp" : "tcp");
	output_prometheus_label(out, sample_addr_format(b->local, local, sizeof(local)));
	fputc('}', out);
}

static void prom_bind_pools(FILE *out, const struct model *m)
{
	size_t n = m->n_bind_pools < REPORT_MAX_BIND_POOLS ? m->n_bind_pools : REPORT_MAX_BIND_POOLS;

	prom_family(out, "bind_pool_ports_in_use",
		    "Ports bind(0) cannot have on one local address: held on it or on a wildcard (fullest 10).");
	for (size_t i = 0; i < n; i++) {
		fputs("porttop_bind_pool_ports_in_use{", out);
		prom_bind_labels(out, &m->bind_pools[i]);
		fprintf(out, " %u\n", m->bind_pools[i].in_use);
	}
}

/* One series per pool that is filling: the fullest destinations and bind pools, tcp, udp. */
static void prom_seconds_to_full(FILE *out, const struct model *m, size_t nd)
{
	size_t nb = m->n_bind_pools < REPORT_MAX_BIND_POOLS ? m->n_bind_pools : REPORT_MAX_BIND_POOLS;

	prom_family(out, "seconds_to_full",
		    "Forecast seconds until a pool is full, for the pools that are filling (0: full now).");
	if (m->tcp.forecast.seconds_to_full >= 0)
		fprintf(out, "porttop_seconds_to_full{pool=\"tcp\"} %.1f\n", m->tcp.forecast.seconds_to_full);
	if (m->udp.forecast.seconds_to_full >= 0)
		fprintf(out, "porttop_seconds_to_full{pool=\"udp\"} %.1f\n", m->udp.forecast.seconds_to_full);
	for (size_t i = 0; i < nd; i++) {
		if (m->destinations[i].forecast.seconds_to_full < 0)
			continue;
		fputs("porttop_seconds_to_full{pool=\"destination\",", out);
		prom_destination_labels(out, &m->destinations[i]);
		fprintf(out, " %.1f\n", m->destinations[i].forecast.seconds_to_full);
	}
	for (size_t i = 0; i < nb; i++) {
		if (m->bind_pools[i].forecast.seconds_to_full < 0)
			continue;
		fputs("porttop_seconds_to_full{pool=\"bind\",", out);
		prom_bind_labels(out, &m->bind_pools[i]);
		fprintf(out, " %.1f\n", m->bind_pools[i].forecast.seconds_to_full);
	}
}

static void prom_time_wait_rates(FILE *out, const struct model *m)
{
	const struct forecast *f = &m->time_wait_forecast;

	if (f->time_wait_created_per_sec < 0)
		return;
	prom_family(out, "time_wait_created_per_second", "TCP sockets entering TIME_WAIT per second.");
	fprintf(out, "porttop_time_wait_created_per_second %.2f\n", f->time_wait_created_per_sec);
	prom_family(out, "time_wait_expired_per_second", "TIME_WAIT sockets ending per second.");
	fprintf(out, "porttop_time_wait_expired_per_second %.2f\n", f->time_wait_expired_per_sec);
}

/* The kernel's counters under their own names (porttop(1), KERNEL COUNTERS). */
static void prom_counters(FILE *out, const struct model *m)
{
	const struct counter_figures *c = &m->counters;

	fputs("# HELP porttop_kernel_events_total The kernel's own counters of the namespace "
	      "(/proc/net/netstat, /proc/net/snmp, /proc/net/stat/nf_conntrack).\n"
	      "# TYPE porttop_kernel_events_total counter\n", out);
	for (int k = 0; k < KCOUNTER_COUNT; k++)
		if (c->counter[k].known)
			fprintf(out, "porttop_kernel_events_total{name=\"%s\"} %llu\n", kcounter_defs[k].name,
				(unsigned long long)c->counter[k].total);
	if (c->tw_max_buckets >= 0) {
		prom_family(out, "tcp_max_tw_buckets", "net.ipv4.tcp_max_tw_buckets: timewait sockets at most.");
		fprintf(out, "porttop_tcp_max_tw_buckets %lld\n", c->tw_max_buckets);
		prom_family(out, "tw_buckets_used", "Timewait sockets against tcp_max_tw_buckets: "
			    "TIME_WAIT and the orphaned FIN_WAIT2 ones the kernel holds as timewait sockets.");
		fprintf(out, "porttop_tw_buckets_used %u\n", c->tw_buckets);
	}
	if (c->conntrack) {
		prom_family(out, "conntrack_entries", "net.netfilter.nf_conntrack_count.");
		fprintf(out, "porttop_conntrack_entries %lld\n", c->conntrack_count);
		if (c->conntrack_max >= 0) {
			prom_family(out, "conntrack_max_entries", "net.netfilter.nf_conntrack_max.");
			fprintf(out, "porttop_conntrack_max_entries %lld\n", c->conntrack_max);
		}
	}
}

/* Pools above OK only: an alerting rule sees a series appear and go. */
static void prom_alerts(FILE *out, const struct model *m)
{
	static const char *const pools[] = { "tcp", "udp", "destination" };

	prom_family(out, "alert_level", "Alert level of a pool above OK: 1 WARNING, 2 CRITICAL (hysteresis 5 points).");
	for (size_t i = 0; i < m->n_alerts; i++) {
		fprintf(out, "porttop_alert_level{pool=\"%s\",name=", pools[m->alerts[i].pool]);
		output_prometheus_label(out, m->alerts[i].name);
		fprintf(out, "} %d\n", (int)m->alerts[i].state.level);
	}
}

/* The selected processes that seem to leak sockets (porttop(1), LEAKS). */
static void prom_leaks(FILE *out, const struct report *r)
{
	static const char *const kinds[] = { "", "close_wait", "established" };

	prom_family(out, "leak", "1 for a process that seems to leak sockets, by kind.");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct proc_row *row = r->rows[i];

		if (row->leak.kind == LEAK_NONE)
			continue;
		fprintf(out, "porttop_leak{pid=\"%d\",user=", (int)row->pid);
		output_prometheus_label(out, row->user);
		fputs(",command=", out);
		output_prometheus_label(out, row->comm);
		fprintf(out, ",kind=\"%s\"} 1\n", kinds[row->leak.kind]);
	}
}

static void prom_report(FILE *out, const struct report *r)
{
	prom_refresh(out, &r->refresh);
	prom_range(out, r->model);
	prom_states(out, r->model);
	prom_destinations(out, r->model, r->n_destinations);
	prom_bind_pools(out, r->model);
	prom_seconds_to_full(out, r->model, r->n_destinations);
	prom_time_wait_rates(out, r->model);
	prom_processes(out, r);
	prom_failures(out, r);
	prom_counters(out, r->model);
	prom_alerts(out, r->model);
	prom_leaks(out, r);
}

void output_prometheus(FILE *out, const struct report *r)
{
	struct cnumeric c;

	cnumeric_enter(&c);
	prom_report(out, r);
	cnumeric_leave(&c);
}
