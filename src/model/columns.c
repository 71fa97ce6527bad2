/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROW(field) offsetof(struct proc_row, field)

/*
 * The order here is the order on screen, in the batch text and in the JSON rows.
 * Screen widths are tighter than the batch text's so that 80 columns keep a command;
 * `drop` says which go first when they do not.
 *
 * key, header, type, field, text width, screen width, drop, descending, sort key,
 * Prometheus series and its help, when the tables show it
 */
const struct column columns[] = {
	{ "pid", "PID", COLTYPE_PID, ROW(pid), 7, 8, 0, false, 'P', NULL, NULL, COLUMN_ALWAYS },
	{ "uid", NULL, COLTYPE_UID, ROW(uid), 0, 0, 0, false, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "user", "USER", COLTYPE_NAME, ROW(user), 9, 9, 8, false, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "sockets", "SOCK", COLTYPE_COUNT, ROW(sockets), 6, 6, 0, true, 'S', NULL, NULL, COLUMN_ALWAYS },
	{ "tcp", "TCP", COLTYPE_COUNT, ROW(tcp), 6, 6, 5, true, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "udp", "UDP", COLTYPE_COUNT, ROW(udp), 5, 5, 3, true, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "ephemeral", "EPHEM", COLTYPE_COUNT, ROW(ephemeral), 6, 6, 0, true, 'E', "process_ephemeral_ports",
	  "Ephemeral ports held by a process, its orphans (TIME_WAIT, FIN_WAIT2, ...) included.", COLUMN_ALWAYS },
	{ "established", "ESTAB", COLTYPE_COUNT, ROW(established), 6, 6, 6, true, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "time_wait", "TW", COLTYPE_COUNT, ROW(time_wait), 6, 6, 0, true, 'T', "process_time_wait_sockets",
	  "TIME_WAIT sockets attributed to a process.", COLUMN_ALWAYS },
	{ "time_wait_percent", "TW%", COLTYPE_PERCENT, ROW(time_wait_percent), 4, 4, 4, true, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "close_wait", "CLWAIT", COLTYPE_COUNT, ROW(close_wait), 6, 7, 9, true, 'C', "process_close_wait_sockets",
	  "CLOSE_WAIT sockets a process holds.", COLUMN_ALWAYS },
	{ "new_per_sec", "NEW/s", COLTYPE_RATE, ROW(new_per_sec), 6, 6, 2, true, 0, NULL, NULL, COLUMN_ALWAYS },
	/* eBPF: connect() and bind(port 0) failing for want of a port (model/failures.c) */
	{ "fail_per_sec", "FAIL/s", COLTYPE_RATE, ROW(fail_per_sec), 6, 7, 10, true, 'F', NULL, NULL, COLUMN_WITH_FAILURES },
	{ "connect_failures", NULL, COLTYPE_COUNT, ROW(connect_failures), 0, 0, 0, true, 0, NULL, NULL, COLUMN_ALWAYS },
	/* a process that seems to leak sockets (model/leaks.c) */
	{ "leak", "LEAK", COLTYPE_LEAK, ROW(leak), 7, 7, 11, true, 'L', NULL, NULL, COLUMN_WITH_LEAKS },
	{ "handles", "HANDLES", COLTYPE_COUNT, ROW(handles), 7, 8, 7, true, 'H', "process_open_fds",
	  "Open file descriptors of a process.", COLUMN_ALWAYS },
	{ "container", "CONTAINER", COLTYPE_OPTIONAL, ROW(container), 19, 20, 1, false, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "command", "COMMAND", COLTYPE_COMMAND, ROW(comm), 0, 1, 0, false, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "cmdline", NULL, COLTYPE_TEXT, ROW(cmdline), 0, 0, 0, false, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "orphans", NULL, COLTYPE_COUNT, ROW(orphans), 0, 0, 0, false, 0, NULL, NULL, COLUMN_ALWAYS },
	{ "exited", NULL, COLTYPE_FLAG, ROW(exited), 0, 0, 0, false, 0, NULL, NULL, COLUMN_ALWAYS },
};

const size_t columns_count = sizeof(columns) / sizeof(columns[0]);

_Static_assert(sizeof(columns) / sizeof(columns[0]) <= COLUMNS_MAX, "raise COLUMNS_MAX");

bool columns_in_table(const struct column *c, const struct model *m)
{
	/* an optional field (CONTAINER) is a column only where some process has it */
	if (c->type == COLTYPE_OPTIONAL && !m->rows_in_containers)
		return false;
	switch (c->when) {
	case COLUMN_WITH_FAILURES: return columns_shown(c) && m->bpf && m->failures_total > 0;
	case COLUMN_WITH_LEAKS: return columns_shown(c) && m->leaking > 0;
	case COLUMN_ALWAYS: break;
	}
	return columns_shown(c);
}

const struct column *columns_find(const char *name)
{
	for (size_t i = 0; i < columns_count; i++)
		if (columns_shown(&columns[i]) &&
		    (strcasecmp(name, columns[i].key) == 0 || strcasecmp(name, columns[i].header) == 0))
			return &columns[i];
	return NULL;
}

const struct column *columns_step(const struct column *c, int step)
{
	size_t at = columns_index(c), n = columns_count;
	size_t by = step < 0 ? n - 1 : 1;

	for (int moved = 0; moved != step; moved += step < 0 ? -1 : 1) {
		do
			at = (at + by) % n;
		while (!columns_shown(&columns[at]));
	}
	return &columns[at];
}

const struct column *columns_by_sort_key(int key)
{
	for (size_t i = 0; i < columns_count; i++)
		if (columns[i].sort_key && columns[i].sort_key == key)
			return &columns[i];
	return NULL;
}

static const void *field(const struct column *c, const struct proc_row *row)
{
	return (const char *)row + c->offset;
}

double columns_value(const struct column *c, const struct proc_row *row)
{
	switch (c->type) {
	case COLTYPE_COUNT: return *(const unsigned *)field(c, row);
	case COLTYPE_PID: return *(const pid_t *)field(c, row);
	case COLTYPE_UID: return *(const uid_t *)field(c, row);
	case COLTYPE_PERCENT:
	case COLTYPE_RATE: return *(const double *)field(c, row);
	case COLTYPE_FLAG: return *(const bool *)field(c, row);
	case COLTYPE_LEAK: {
		/* flagged first, the fastest growing first among them */
		const struct leak *l = field(c, row);
		return l->kind == LEAK_NONE ? 0 : 1 + (l->growth_per_min > 0 ? l->growth_per_min : 0);
	}
	case COLTYPE_NAME:
	case COLTYPE_COMMAND:
	case COLTYPE_TEXT:
	case COLTYPE_OPTIONAL: break;
	}
	return 0;
}

bool columns_is_string(const struct column *c)
{
	return c->type == COLTYPE_NAME || c->type == COLTYPE_COMMAND || c->type == COLTYPE_TEXT ||
	       c->type == COLTYPE_OPTIONAL;
}

bool columns_is_null(const struct column *c, const struct proc_row *row)
{
	return c->type == COLTYPE_OPTIONAL && !*(const char *)field(c, row);
}

const char *columns_string(const struct column *c, const struct proc_row *row)
{
	if (c->type == COLTYPE_TEXT)
		return *(const char *const *)field(c, row);
	return columns_is_string(c) ? (const char *)field(c, row) : "";
}

int columns_compare(const struct column *c, const struct proc_row *a, const struct proc_row *b)
{
	if (columns_is_string(c))
		return strcoll(columns_string(c, a), columns_string(c, b));
	double va = columns_value(c, a), vb = columns_value(c, b);
	return (va > vb) - (va < vb);
}

/* The few numbers that differ between people and JSON: precision, unknown rates, flags. */
static void format_number(const struct column *c, double v, bool json, char *buf, size_t len)
{
	switch (c->type) {
	case COLTYPE_PERCENT:
		snprintf(buf, len, json ? "%.2f" : "%.0f", v);
		break;
	case COLTYPE_RATE:
		if (v < 0)
			snprintf(buf, len, "%s", json ? "null" : "-");
		else
			snprintf(buf, len, json ? "%.2f" : "%.1f", v);
		break;
	case COLTYPE_FLAG:
		snprintf(buf, len, "%s", v != 0 ? "true" : "false");
		break;
	default:
		snprintf(buf, len, "%.0f", v);
	}
}

/* "CLWAIT" or "ESTAB" (the state that leaks), "" for none; JSON: the object or null. */
static const char *format_leak(const struct leak *l, bool json, char *buf, size_t len)
{
	static const char *const marker[] = { "", "CLWAIT", "ESTAB" };
	static const char *const kind[] = { "", "close_wait", "established" };

	if (!json)
		return marker[l->kind];
	if (l->kind == LEAK_NONE)
		snprintf(buf, len, "null");
	else
		snprintf(buf, len, "{\"kind\":\"%s\",\"growth_per_min\":%.2f,\"oldest_seconds\":%.1f}",
			 kind[l->kind], l->growth_per_min, l->oldest_seconds);
	return buf;
}

const char *columns_format(const struct column *c, const struct proc_row *row,
			   enum column_style style, char *buf, size_t len)
{
	if (c->type == COLTYPE_LEAK)
		return format_leak(field(c, row), style == COLUMN_JSON, buf, len);
	if (c->type == COLTYPE_COMMAND && style == COLUMN_CMDLINE && row->cmdline && row->cmdline[0])
		return row->cmdline;
	if (columns_is_null(c, row))
		return style == COLUMN_JSON ? "null" : "-";
	if (columns_is_string(c))
		return columns_string(c, row);
	format_number(c, columns_value(c, row), style == COLUMN_JSON, buf, len);
	return buf;
}
