#include "columns.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROW(field) offsetof(struct proc_row, field)

/* The order here is the order on screen. */
const struct column columns[COL_COUNT] = {
	{ COL_PID, "pid", "PID", COLTYPE_PID, ROW(pid), 7, false },
	{ COL_USER, "user", "USER", COLTYPE_STRING, ROW(user), 9, false },
	{ COL_SOCKETS, "sockets", "SOCK", COLTYPE_UNSIGNED, ROW(sockets), 6, true },
	{ COL_TCP, "tcp", "TCP", COLTYPE_UNSIGNED, ROW(tcp), 6, true },
	{ COL_UDP, "udp", "UDP", COLTYPE_UNSIGNED, ROW(udp), 5, true },
	{ COL_EPHEMERAL, "ephemeral", "EPHEM", COLTYPE_UNSIGNED, ROW(ephemeral), 6, true },
	{ COL_ESTABLISHED, "established", "ESTAB", COLTYPE_UNSIGNED, ROW(established), 6, true },
	{ COL_TIME_WAIT, "time_wait", "TW", COLTYPE_UNSIGNED, ROW(time_wait), 6, true },
	{ COL_TIME_WAIT_PERCENT, "time_wait_percent", "TW%", COLTYPE_PERCENT, ROW(time_wait_percent), 4, true },
	{ COL_CLOSE_WAIT, "close_wait", "CLWAIT", COLTYPE_UNSIGNED, ROW(close_wait), 6, true },
	{ COL_NEW_PER_SEC, "new_per_sec", "NEW/s", COLTYPE_RATE, ROW(new_per_sec), 6, true },
	/* eBPF only, and only once some connect() failed: see columns_shown */
	{ COL_FAIL_PER_SEC, "fail_per_sec", "FAIL/s", COLTYPE_RATE, ROW(fail_per_sec), 6, true },
	{ COL_HANDLES, "handles", "HANDLES", COLTYPE_UNSIGNED, ROW(handles), 7, true },
	{ COL_COMMAND, "command", "COMMAND", COLTYPE_STRING, ROW(comm), 0, false },
};

bool columns_shown(const struct column *c, const struct model *m)
{
	return c->id != COL_FAIL_PER_SEC || (m->bpf && m->failures_total > 0);
}

const struct column *columns_find(const char *name)
{
	for (int i = 0; i < COL_COUNT; i++)
		if (strcasecmp(name, columns[i].key) == 0 || strcasecmp(name, columns[i].header) == 0)
			return &columns[i];
	return NULL;
}

double columns_value(const struct column *c, const struct proc_row *row)
{
	const char *base = (const char *)row + c->offset;

	switch (c->type) {
	case COLTYPE_UNSIGNED: return *(const unsigned *)(const void *)base;
	case COLTYPE_PID: return *(const pid_t *)(const void *)base;
	case COLTYPE_PERCENT:
	case COLTYPE_RATE: return *(const double *)(const void *)base;
	case COLTYPE_STRING: break;
	}
	return 0;
}

const char *columns_string(const struct column *c, const struct proc_row *row)
{
	return c->type == COLTYPE_STRING ? (const char *)row + c->offset : "";
}

int columns_compare(const struct column *c, const struct proc_row *a, const struct proc_row *b)
{
	if (c->type == COLTYPE_STRING)
		return strcoll(columns_string(c, a), columns_string(c, b));
	double va = columns_value(c, a), vb = columns_value(c, b);
	return (va > vb) - (va < vb);
}
