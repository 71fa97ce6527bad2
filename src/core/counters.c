/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "counters.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct kcounter_def kcounter_defs[KCOUNTER_COUNT] = {
	[KCOUNTER_TW_RECYCLED] = { "TWRecycled", "TcpExt", "TWRecycled" },
	[KCOUNTER_TIME_WAIT_OVERFLOW] = { "TCPTimeWaitOverflow", "TcpExt", "TCPTimeWaitOverflow" },
	[KCOUNTER_ABORT_ON_DATA] = { "TCPAbortOnData", "TcpExt", "TCPAbortOnData" },
	[KCOUNTER_LISTEN_OVERFLOWS] = { "ListenOverflows", "TcpExt", "ListenOverflows" },
	[KCOUNTER_LISTEN_DROPS] = { "ListenDrops", "TcpExt", "ListenDrops" },
	[KCOUNTER_ACTIVE_OPENS] = { "ActiveOpens", "Tcp", "ActiveOpens" },
	[KCOUNTER_PASSIVE_OPENS] = { "PassiveOpens", "Tcp", "PassiveOpens" },
	[KCOUNTER_ATTEMPT_FAILS] = { "AttemptFails", "Tcp", "AttemptFails" },
	[KCOUNTER_ESTAB_RESETS] = { "EstabResets", "Tcp", "EstabResets" },
	/* conntrack -S and ctnetlink name it clash_resolve; the /proc header "clashres" */
	[KCOUNTER_CT_INSERT_FAILED] = { "insert_failed", "nf_conntrack", "insert_failed" },
	[KCOUNTER_CT_DROP] = { "drop", "nf_conntrack", "drop" },
	[KCOUNTER_CT_EARLY_DROP] = { "early_drop", "nf_conntrack", "early_drop" },
	[KCOUNTER_CT_CLASH_RESOLVE] = { "clash_resolve", "nf_conntrack", "clashres" },
};

void counters_init(struct kernel_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->tw_max_buckets = -1;
	c->conntrack_count = -1;
	c->conntrack_max = -1;
}

/* Length of the line at p, without its newline. */
static size_t line_length(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? (size_t)(nl - p) : strlen(p);
}

/* The counter of (table, field), KCOUNTER_COUNT if porttop does not show it. */
static enum kcounter counter_of(const char *table, size_t table_len, const char *field,
				size_t field_len)
{
	for (int k = 0; k < KCOUNTER_COUNT; k++) {
		const struct kcounter_def *d = &kcounter_defs[k];
		if (strlen(d->table) == table_len && memcmp(d->table, table, table_len) == 0 &&
		    strlen(d->field) == field_len && memcmp(d->field, field, field_len) == 0)
			return (enum kcounter)k;
	}
	return KCOUNTER_COUNT;
}

/* Next space-separated word in [*p, end): its start and length; false at the end. */
static bool next_word(const char **p, const char *end, const char **word, size_t *len)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p >= end)
		return false;
	*word = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*len = (size_t)(*p - *word);
	return true;
}

/* A whole decimal (snmp) or hex (conntrack) number; Tcp MaxConn is -1, and skipped. */
static bool parse_number(const char *word, size_t len, int base, uint64_t *out)
{
	char buf[32], *end;

	if (len == 0 || len >= sizeof(buf) || word[0] == '-')
		return false;
	memcpy(buf, word, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, base);
	return errno == 0 && *end == '\0';
}

/* One "Table: names" line and its "Table: values" line. */
static bool parse_pair(const char *names, size_t names_len, const char *values, size_t values_len,
		       struct kernel_counters *c)
{
	const char *colon = memchr(names, ':', names_len);
	size_t table_len;
	const char *np, *vp, *nend = names + names_len, *vend = values + values_len;
	const char *name, *value;
	size_t name_len, value_len;

	if (!colon)
		return false;
	table_len = (size_t)(colon - names);
	if (values_len <= table_len || memcmp(names, values, table_len + 1) != 0)
		return false;
	np = colon + 1;
	vp = values + table_len + 1;
	while (next_word(&np, nend, &name, &name_len)) {
		enum kcounter k;
		uint64_t v;

		if (!next_word(&vp, vend, &value, &value_len))
			return false;  /* fewer values than names: the line was cut */
		k = counter_of(names, table_len, name, name_len);
		if (k != KCOUNTER_COUNT && parse_number(value, value_len, 10, &v)) {
			c->value[k] = v;
			c->known |= 1u << k;
		}
	}
	return true;
}

int counters_parse_snmp(const char *text, struct kernel_counters *c)
{
	const char *p = text;
	bool whole = false;

	while (*p) {
		size_t names_len = line_length(p);
		const char *values = p + names_len + (p[names_len] == '\n');
		size_t values_len;

		if (!*values)
			break;
		values_len = line_length(values);
		if (parse_pair(p, names_len, values, values_len, c)) {
			whole = true;
			p = values + values_len + (values[values_len] == '\n');
		} else {
			p = values;  /* out of step: try the next line as a header */
		}
	}
	return whole ? 0 : -EINVAL;
}

/* Which conntrack counter each header column is, KCOUNTER_COUNT for the others. */
static size_t conntrack_columns(const char *header, size_t len, enum kcounter *cols, size_t max)
{
	const char *p = header, *end = header + len, *word;
	size_t word_len, n = 0;

	while (n < max && next_word(&p, end, &word, &word_len))
		cols[n++] = counter_of("nf_conntrack", strlen("nf_conntrack"), word, word_len);
	return n;
}

int counters_parse_conntrack(const char *text, struct kernel_counters *c)
{
	enum kcounter cols[32];
	size_t header_len = line_length(text), n_cols;
	const char *p = text + header_len;
	uint64_t sum[KCOUNTER_COUNT] = { 0 };
	uint32_t upper[KCOUNTER_COUNT] = { 0 };
	unsigned cpus = 0;

	n_cols = conntrack_columns(text, header_len, cols, sizeof(cols) / sizeof(cols[0]));
	if (n_cols == 0)
		return -EINVAL;
	while (*p == '\n')
		p++;
	while (*p) {
		size_t len = line_length(p), col = 0, word_len;
		const char *q = p, *end = p + len, *word;
		uint64_t v;

		while (col < n_cols && next_word(&q, end, &word, &word_len)) {
			if (!parse_number(word, word_len, 16, &v))
				return -EINVAL;
			if (cols[col] != KCOUNTER_COUNT) {
				sum[cols[col]] += v;
				upper[cols[col]] += v >= COUNTERS_CPU_WRAP / 2;
			}
			col++;
		}
		if (col != n_cols)
			break;  /* a cut line ends the table */
		cpus++;
		p = end + (*end == '\n');
	}
	if (!cpus)
		return -EINVAL;
	for (size_t i = 0; i < n_cols; i++) {
		if (cols[i] == KCOUNTER_COUNT)
			continue;
		c->value[cols[i]] = sum[cols[i]];
		c->upper_cpus[cols[i]] = upper[cols[i]];
		c->known |= 1u << cols[i];
	}
	return 0;
}
