/*
 * The process table's columns as data: one table drives the headers, the sort keys,
 * `-o FIELD`, the JSON keys and the porttoprc names.  Adding a column is one line.
 */
#ifndef PORTTOP_COLUMNS_H
#define PORTTOP_COLUMNS_H

#include <stddef.h>
#include "model.h"

enum column_id {
	COL_PID,
	COL_USER,
	COL_SOCKETS,
	COL_TCP,
	COL_UDP,
	COL_EPHEMERAL,
	COL_ESTABLISHED,
	COL_TIME_WAIT,
	COL_TIME_WAIT_PERCENT,
	COL_CLOSE_WAIT,
	COL_NEW_PER_SEC,
	COL_FAIL_PER_SEC,
	COL_HANDLES,
	COL_COMMAND,
	COL_COUNT,
};

enum column_type { COLTYPE_UNSIGNED, COLTYPE_PID, COLTYPE_PERCENT, COLTYPE_RATE, COLTYPE_STRING };

struct column {
	enum column_id id;
	const char *key;      /* "ephemeral": JSON key, -o name, porttoprc name */
	const char *header;   /* "EPHEM": untranslated table header */
	enum column_type type;
	size_t offset;        /* into struct proc_row */
	int width;            /* on screen, 0 = the rest of the line */
	bool descending;      /* natural order: biggest first */
};

extern const struct column columns[COL_COUNT];

/* Whether a table of m shows column c: FAIL/s only while the probes have counted failures. */
bool columns_shown(const struct column *c, const struct model *m);

/* Finds a column by key or header, case-insensitively; NULL if none. */
const struct column *columns_find(const char *name);

/* <0, 0, >0 in the column's ascending order. */
int columns_compare(const struct column *c, const struct proc_row *a, const struct proc_row *b);

/* Reads a row's field as a number (for sorting and renderers); strings give 0. */
double columns_value(const struct column *c, const struct proc_row *row);
const char *columns_string(const struct column *c, const struct proc_row *row);

/* Which rows a view shows: all of them unless a filter is set. */
struct row_filter {
	const pid_t *pids;      /* only these pids, if n_pids > 0 */
	size_t n_pids;
	const char *user;       /* exact user name, NULL or "" for all */
	const char *command;    /* substring of the command name, NULL or "" for all */
};

bool rowview_match(const struct proc_row *row, const struct row_filter *f);

/*
 * Points out[] (room for m->n_rows) at the rows matching f, sorted by column `by`
 * in its natural order (biggest first for counts), flipped by invert, ties by pid.
 * Returns how many.
 */
size_t rowview_select(const struct model *m, const struct row_filter *f, enum column_id by,
		      bool invert, const struct proc_row **out);

#endif
