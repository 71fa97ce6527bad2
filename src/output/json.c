/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON Lines: one object per sample, keys as documented in porttop(1). */
#include "output.h"
#include "cnumeric.h"

#include <netinet/in.h>
#include <stdint.h>

static void json_string(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* A rate, or null when there is none yet (first sample, no eBPF). */
static void json_rate(FILE *out, const char *key, double v)
{
	if (v < 0)
		fprintf(out, "\"%s\":null", key);
	else
		fprintf(out, "\"%s\":%.2f", key, v);
}

static const char *const trend_key[] = {
	[FORECAST_UNKNOWN] = "unknown", [FORECAST_STABLE] = "stable", [FORECAST_FILLING] = "filling",
	[FORECAST_DRAINING] = "draining", [FORECAST_FULL] = "full",
};

/* "forecast":{"seconds_to_full":null|S,"rate_per_sec":R|null,"freeing_next_60s":N,"trend":...} */
static void json_forecast(FILE *out, const struct forecast *f)
{
	fputs(",\"forecast\":{\"seconds_to_full\":", out);
	if (f->seconds_to_full < 0)
		fputs("null", out);
	else
		fprintf(out, "%.1f", f->seconds_to_full);
	if (f->trend == FORECAST_UNKNOWN)
		fputs(",\"rate_per_sec\":null", out);
	else
		fprintf(out, ",\"rate_per_sec\":%.2f", f->rate_per_sec);
	fprintf(out, ",\"freeing_next_60s\":%u,\"trend\":\"%s\"}", f->freeing_next_60s,
		trend_key[f->trend]);
}

/* new_per_sec and the TIME_WAIT sockets created and ended per second. */
static void json_flows(FILE *out, const struct forecast *f)
{
	fputc(',', out);
	json_rate(out, "new_per_sec", f->new_per_sec);
	fputc(',', out);
	json_rate(out, "time_wait_created_per_sec", f->time_wait_created_per_sec);
	fputc(',', out);
	json_rate(out, "time_wait_expired_per_sec", f->time_wait_expired_per_sec);
}

static void json_pool(FILE *out, const char *name, const struct pool_stats *p)
{
	fprintf(out, "\"%s\":{\"in_use\":%u,\"percent\":%.2f,\"established\":%u,"
		     "\"time_wait\":%u,\"close_wait\":%u,\"other\":%u",
		name, p->in_use, p->percent, p->by_holder[HOLDER_ESTABLISHED],
		p->by_holder[HOLDER_TIME_WAIT], p->by_holder[HOLDER_CLOSE_WAIT], p->by_holder[HOLDER_OTHER]);
	json_forecast(out, &p->forecast);
	fputc(',', out);
	json_rate(out, "new_per_sec", p->forecast.new_per_sec);
	fputc('}', out);
}

static void json_bind_pools(FILE *out, const struct model *m)
{
	size_t n = m->n_bind_pools < REPORT_MAX_BIND_POOLS ? m->n_bind_pools : REPORT_MAX_BIND_POOLS;

	fputs("\"bind_pools\":[", out);
	for (size_t i = 0; i < n; i++) {
		const struct bind_pool *b = &m->bind_pools[i];
		char local[64];

		fprintf(out, "%s{\"local\":", i ? "," : "");
		json_string(out, sample_addr_format(b->local, local, sizeof(local)));
		fprintf(out, ",\"protocol\":\"%s\",\"in_use\":%u,\"capacity\":%u,\"percent\":%.2f",
			b->protocol == IPPROTO_UDP ? "udp" : "tcp", b->in_use, b->capacity, b->percent);
		json_forecast(out, &b->forecast);
		fputc('}', out);
	}
	fputs("]", out);
}

/* "first_to_fail":{"pool","kind","call","percent","seconds_to_full"} or null. */
static void json_first_to_fail(FILE *out, const struct model *m)
{
	static const char *const kind[] = {
		[POOL_NONE] = "", [POOL_DESTINATION] = "destination", [POOL_BIND] = "bind",
		[POOL_TCP] = "tcp", [POOL_UDP] = "udp",
	};
	const struct first_to_fail *f = &m->first_to_fail;
	char name[160];

	fputs("\"first_to_fail\":", out);
	if (f->kind == POOL_NONE) {
		fputs("null", out);
		return;
	}
	fputs("{\"pool\":", out);
	json_string(out, forecast_pool_name(m, f, name, sizeof(name)));
	fprintf(out, ",\"kind\":\"%s\",\"call\":\"%s\",\"percent\":%.2f,\"seconds_to_full\":",
		kind[f->kind], forecast_call(f), f->percent);
	if (f->forecast->seconds_to_full < 0)
		fputs("null}", out);
	else
		fprintf(out, "%.1f}", f->forecast->seconds_to_full);
}

static void json_states(FILE *out, const unsigned states[STATE_COUNT], bool skip_zero)
{
	bool first = true;

	fputc('{', out);
	for (int st = 0; st < STATE_COUNT; st++) {
		if (skip_zero && !states[st])
			continue;
		fprintf(out, "%s\"%s\":%u", first ? "" : ",", states_name((enum tcp_state)st), states[st]);
		first = false;
	}
	fputc('}', out);
}

/* "unattributed":{"FIN_WAIT1":0,"FIN_WAIT2":200,...}: every orphan state, zeros too. */
static void json_unattributed(FILE *out, const struct model *m)
{
	bool first = true;

	fputs("\"unattributed\":{", out);
	for (int st = 0; st < STATE_COUNT; st++) {
		if (!attribution_orphan_state((enum tcp_state)st))
			continue;
		fprintf(out, "%s\"%s\":%u", first ? "" : ",", states_name((enum tcp_state)st),
			m->unattributed[st]);
		first = false;
	}
	fputc('}', out);
}

static void json_destinations(FILE *out, const struct model *m, size_t n)
{
	fputs("\"destinations\":[", out);
	for (size_t i = 0; i < n; i++) {
		const struct destination *d = &m->destinations[i];
		char local[64], remote[64];

		fprintf(out, "%s{\"local\":", i ? "," : "");
		json_string(out, sample_addr_format(d->local, local, sizeof(local)));
		fputs(",\"remote\":", out);
		json_string(out, sample_addr_format(d->remote, remote, sizeof(remote)));
		fprintf(out, ",\"port\":%u,\"in_use\":%u,\"capacity\":%u,\"percent\":%.2f,"
			     "\"reusable\":%u,\"blocked_percent\":%.2f,\"states\":",
			d->remote_port, d->in_use, d->capacity, d->percent, d->reusable, d->blocked_percent);
		json_states(out, d->by_state, true);
		json_forecast(out, &d->forecast);
		json_flows(out, &d->forecast);
		if (m->bpf) {
			fprintf(out, ",\"connect_failures\":%llu,", (unsigned long long)d->connect_failures);
			json_rate(out, "fail_per_sec", d->fail_per_sec);
		}
		fputc('}', out);
	}
	fputs("]", out);
}

/* A fill figure: "percent" null when the maximum is unknown. */
static void json_fill(FILE *out, const char *key, long long count, long long max, double percent,
		      enum level level)
{
	fprintf(out, ",\"%s\":{\"count\":%lld,\"max\":", key, count);
	if (max >= 0)
		fprintf(out, "%lld,\"percent\":", max);
	else
		fputs("null,\"percent\":", out);
	/* nf_conntrack_max 0 is no limit (__nf_conntrack_alloc checks it only when set):
	 * no fill to print, rather than -1 */
	if (percent >= 0)
		fprintf(out, "%.2f", percent);
	else
		fputs("null", out);
	fprintf(out, ",\"level\":\"%s\"}", level_name(level));
}

/* "counters": the kernel's own names; null for those the kernel does not have. */
static void json_counters(FILE *out, const struct model *m)
{
	const struct counter_figures *c = &m->counters;

	fputs("\"counters\":{", out);
	for (int k = 0; k < KCOUNTER_COUNT; k++) {
		const struct counter_figure *f = &c->counter[k];

		fprintf(out, "%s\"%s\":", k ? "," : "", kcounter_defs[k].name);
		if (!f->known) {
			fputs("null", out);
			continue;
		}
		fprintf(out, "{\"total\":%llu,", (unsigned long long)f->total);
		json_rate(out, "per_sec", f->per_sec);
		fprintf(out, ",\"level\":\"%s\"}", level_name(f->level));
	}
	if (c->tw_max_buckets >= 0)
		json_fill(out, "tcp_max_tw_buckets", c->tw_buckets, c->tw_max_buckets, c->tw_percent,
			  c->tw_level);
	else
		fputs(",\"tcp_max_tw_buckets\":null", out);
	if (c->conntrack)
		json_fill(out, "nf_conntrack", c->conntrack_count, c->conntrack_max,
			  c->conntrack_percent, c->conntrack_level);
	else
		fputs(",\"nf_conntrack\":null", out);
	fputc('}', out);
}

/* "alerts": the pools above OK, worst first, each with since when. */
static void json_alerts(FILE *out, const struct model *m)
{
	static const char *const pools[] = { "tcp", "udp", "destination" };

	fputs("\"alerts\":[", out);
	for (size_t i = 0; i < m->n_alerts; i++) {
		const struct alert *a = &m->alerts[i];
		char when[64], addr[64];

		fprintf(out, "%s{\"pool\":\"%s\",\"name\":", i ? "," : "", pools[a->pool]);
		json_string(out, a->name);
		if (a->pool == ALERT_POOL_DESTINATION) {
			fputs(",\"local\":", out);
			json_string(out, sample_addr_format(a->local, addr, sizeof(addr)));
			fputs(",\"remote\":", out);
			json_string(out, sample_addr_format(a->remote, addr, sizeof(addr)));
			fprintf(out, ",\"port\":%u", a->port);
		}
		output_rfc3339(&a->since_wall, when, sizeof(when));
		fprintf(out, ",\"level\":\"%s\",\"percent\":%.2f,\"since\":", level_name(a->state.level),
			a->percent);
		json_string(out, when);
		fprintf(out, ",\"seconds\":%.1f,\"seconds_to_full\":", a->seconds);
		if (a->forecast.trend == FORECAST_FILLING || a->forecast.trend == FORECAST_FULL)
			fprintf(out, "%.1f}", a->forecast.seconds_to_full);
		else
			fputs("null}", out);
	}
	fputc(']', out);
}

/* Every column of the table, JSON-only ones included, in the table's order. */
static void json_row(FILE *out, const struct proc_row *row)
{
	char buf[128];  /* the longest: a leak object */

	fputc('{', out);
	for (size_t i = 0; i < columns_count; i++) {
		const struct column *c = &columns[i];
		const char *value = columns_format(c, row, COLUMN_JSON, buf, sizeof(buf));

		fprintf(out, "%s\"%s\":", i ? "," : "", c->key);
		if (columns_is_string(c) && !columns_is_null(c, row))
			json_string(out, value);
		else
			fputs(value, out);
	}
	fputc('}', out);
}

/* null with netlink; "requested" or the errno's name when the sockets came from /proc. */
static void json_reason(FILE *out, const struct model *m)
{
	char buf[32];
	const char *key = output_source_reason_key(m, buf, sizeof(buf));

	if (key)
		json_string(out, key);
	else
		fputs("null", out);
}

/* "netns_name":"web", or null when the namespace has no name (--all-netns only). */
static void json_netns_name(FILE *out, const char *name)
{
	fputs("\"netns_name\":", out);
	if (name && name[0])
		json_string(out, name);
	else
		fputs("null", out);
	fputc(',', out);
}

void output_json_unreadable(FILE *out, const struct timespec *when, const char *host,
			    const struct netns_failure *f)
{
	char at[64], reason[32];

	output_rfc3339(when, at, sizeof(at));
	fputs("{\"time\":", out);
	json_string(out, at);
	fputs(",\"host\":", out);
	json_string(out, host);
	fprintf(out, ",\"netns\":%llu,", (unsigned long long)f->inode);
	json_netns_name(out, f->name);
	fputs("\"unreadable\":", out);
	json_string(out, output_errno_name(f->error, reason, sizeof(reason)));
	fputs("}\n", out);
}

static void json_failure_dests(FILE *out, const struct probe_facts *f, const struct probe_failure *p)
{
	fputs(",\"destinations\":[", out);
	for (size_t d = p->first_dest; d < p->first_dest + p->n_dests; d++) {
		char remote[64];

		fprintf(out, "%s{\"remote\":", d > p->first_dest ? "," : "");
		json_string(out, sample_addr_format(f->dests[d].remote, remote, sizeof(remote)));
		fprintf(out, ",\"port\":%u,\"count\":%llu}", f->dests[d].port,
			(unsigned long long)f->dests[d].count);
	}
	fputc(']', out);
}

/* "bpf", and either "bpf_reason" or the failures the probes counted since they were attached. */
static void json_bpf(FILE *out, const struct model *m)
{
	const struct probe_facts *f = m->probes;
	char why[160];

	if (!m->bpf) {
		fputs("\"bpf\":false,\"bpf_reason\":", out);
		json_string(out, output_bpf_reason(f ? f->status : PROBE_OFF_REQUESTED, f ? f->error : 0,
						   false, why, sizeof(why)));
		fputs(",\"connect_failures\":null", out);
		return;
	}
	fprintf(out, "\"bpf\":true,\"bpf_pinned\":%s,\"connect_failures\":{\"total\":%llu,",
		f->pinned ? "true" : "false", (unsigned long long)m->failures_total);
	json_rate(out, "per_sec", m->failures_per_sec);
	fputs(",\"processes\":[", out);
	for (size_t i = 0; i < f->n_failures; i++) {
		const struct probe_failure *p = &f->failures[i];

		fprintf(out, "%s{\"pid\":%d,\"command\":", i ? "," : "", (int)p->who.pid);
		json_string(out, p->who.comm);
		fprintf(out, ",\"count\":%llu,", (unsigned long long)p->count);
		json_rate(out, "per_sec", m->failure_rates[i]);
		json_failure_dests(out, f, p);
		fputc('}', out);
	}
	fputs("]}", out);
}

static void json_report(FILE *out, const struct report *r)
{
	const struct model *m = r->model;
	char when[64];

	output_rfc3339(&m->wall, when, sizeof(when));
	fputs("{\"time\":", out);
	json_string(out, when);
	fputs(",\"host\":", out);
	json_string(out, r->hostname);
	fprintf(out, ",\"source\":\"%s\",\"source_reason\":",
		m->source == SAMPLE_SOURCE_NETLINK ? "netlink" : "proc");
	json_reason(out, m);
	fprintf(out, ",\"netns\":%llu,", (unsigned long long)m->netns_inode);
	if (r->all_netns)
		json_netns_name(out, r->netns_name);
	fprintf(out, "\"tcp_tw_reuse\":%d,\"interval\":%.3f,", m->tw_reuse, m->interval);
	fprintf(out, "\"range\":{\"low\":%d,\"high\":%d,\"size\":%u,\"reserved\":%u,\"usable\":%u},",
		m->range.low, m->range.high, m->range.size, m->range.reserved, m->range.usable);
	json_pool(out, "tcp", &m->tcp);
	fputc(',', out);
	json_pool(out, "udp", &m->udp);
	fputc(',', out);
	json_destinations(out, m, r->n_destinations);
	fprintf(out, ",\"connect_blocked\":%u,", m->connect_blocked);
	json_bind_pools(out, m);
	fputc(',', out);
	json_first_to_fail(out, m);
	fputs(",\"states\":", out);
	json_states(out, m->states, false);
	fputc(',', out);
	json_bpf(out, m);
	fputc(',', out);
	json_counters(out, m);
	fputc(',', out);
	json_alerts(out, m);
	fputs(",\"processes\":[", out);
	for (size_t i = 0; i < r->n_rows; i++) {
		if (i)
			fputc(',', out);
		json_row(out, r->rows[i]);
	}
	fprintf(out, "],\"time_wait\":%u,\"time_wait_unattributed\":%u",
		m->time_wait_total, m->time_wait_unattributed);
	fputc(',', out);
	json_rate(out, "time_wait_created_per_sec", m->time_wait_forecast.time_wait_created_per_sec);
	fputc(',', out);
	json_rate(out, "time_wait_expired_per_sec", m->time_wait_forecast.time_wait_expired_per_sec);
	fputc(',', out);
	json_unattributed(out, m);
	fprintf(out, ",\"sockets_unowned\":%u,\"processes_unreadable\":%u}\n",
		m->sockets_unowned, m->procs_unreadable);
}

void output_json(FILE *out, const struct report *r)
{
	struct cnumeric c;

	cnumeric_enter(&c);
	json_report(out, r);
	cnumeric_leave(&c);
}
