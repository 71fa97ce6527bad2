/* JSON Lines: one object per sample, keys as documented in porttop(1). */
#include "output.h"

#include <netinet/in.h>

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

static void json_pool(FILE *out, const char *name, const struct pool_stats *p)
{
	fprintf(out, "\"%s\":{\"in_use\":%u,\"percent\":%.2f,\"established\":%u,"
		     "\"time_wait\":%u,\"close_wait\":%u,\"other\":%u}",
		name, p->in_use, p->percent, p->by_holder[HOLDER_ESTABLISHED],
		p->by_holder[HOLDER_TIME_WAIT], p->by_holder[HOLDER_CLOSE_WAIT], p->by_holder[HOLDER_OTHER]);
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

static void json_destinations(FILE *out, const struct model *m)
{
	size_t n = m->n_destinations < REPORT_MAX_DESTINATIONS ? m->n_destinations : REPORT_MAX_DESTINATIONS;

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
		fputc('}', out);
	}
	fputs("]", out);
}

/* Every column of the table, JSON-only ones included, in the table's order. */
static void json_row(FILE *out, const struct proc_row *row)
{
	char buf[64];

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

void output_json(FILE *out, const struct report *r)
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
	fprintf(out, "\"tcp_tw_reuse\":%d,", m->tw_reuse);
	fprintf(out, "\"range\":{\"low\":%d,\"high\":%d,\"size\":%u,\"reserved\":%u,\"usable\":%u},",
		m->range.low, m->range.high, m->range.size, m->range.reserved, m->range.usable);
	json_pool(out, "tcp", &m->tcp);
	fputc(',', out);
	json_pool(out, "udp", &m->udp);
	fputc(',', out);
	json_destinations(out, m);
	fputs(",\"states\":", out);
	json_states(out, m->states, false);
	fputs(",\"processes\":[", out);
	for (size_t i = 0; i < r->n_rows; i++) {
		if (i)
			fputc(',', out);
		json_row(out, r->rows[i]);
	}
	fprintf(out, "],\"time_wait\":%u,\"time_wait_unattributed\":%u,",
		m->time_wait_total, m->time_wait_unattributed);
	json_unattributed(out, m);
	fprintf(out, ",\"sockets_unowned\":%u,\"processes_unreadable\":%u}\n",
		m->sockets_unowned, m->procs_unreadable);
}
