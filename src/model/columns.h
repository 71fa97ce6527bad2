/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process rows' fields as data: one table (columns.c) drives the batch text's and
 * the live view's headers, widths and cell formats, the live view's sort keys and
 * narrow-terminal order, `-o FIELD` and the porttoprc names, the JSON keys and values,
 * and the per-process Prometheus series.  Adding a column is one line there (and its
 * field in struct proc_row).
 */
#ifndef PORTTOP_COLUMNS_H
#define PORTTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* What a field holds; it picks the cell format, the JSON literal and the comparison. */
enum column_type {
	COLTYPE_COUNT,     /* unsigned */
	COLTYPE_PID,       /* pid_t */
	COLTYPE_UID,       /* uid_t */
	COLTYPE_PERCENT,   /* double, 0-100 */
	COLTYPE_RATE,      /* double per second; negative: not known yet (first sample) */
	COLTYPE_NAME,      /* char[]: user, command (sanitized when sampled) */
	COLTYPE_COMMAND,   /* char[] command name; the command line instead with -c */
	COLTYPE_TEXT,      /* const char *, never NULL */
	COLTYPE_OPTIONAL,  /* char[] that may be unknown (""): "-" for people, null in JSON */
	COLTYPE_FLAG,      /* bool */
	COLTYPE_LEAK,      /* struct leak: a marker in tables, an object (or null) in JSON */
};

/* When the tables show a column (JSON always has it). */
enum column_when {
	COLUMN_ALWAYS,
	COLUMN_WITH_FAILURES,  /* once the eBPF probes counted a failure */
	COLUMN_WITH_LEAKS,     /* while a process seems to leak (model/leaks.c) */
};

struct column {
	const char *key;        /* JSON key, -o FIELD, porttoprc "sort =" value */
	const char *header;     /* batch and screen header (untranslated); NULL: JSON only */
	enum column_type type;
	size_t offset;          /* of the field in struct proc_row */
	int width;              /* batch text cell; 0: the rest of the line */
	int screen_width;       /* live view cell, with the padding cell the sort marker takes */
	int drop;               /* narrow terminal: dropped in this order (1 first); 0 never */
	bool descending;        /* natural order: biggest first */
	char sort_key;          /* live-view key that sorts by it; 0 none */
	const char *prometheus; /* per-process series porttop_<this>; NULL none */
	const char *prometheus_help;
	enum column_when when;  /* in the tables always, or only while it says something */
};

/* In the order of the screen, the batch text and the JSON rows. */
extern const struct column columns[];
extern const size_t columns_count;

/* Enough for arrays indexed by column (checked in columns.c). */
#define COLUMNS_MAX 32

static inline size_t columns_index(const struct column *c)
{
	return (size_t)(c - columns);
}

/* Shown in the tables (text and screen), and so a sort key; else JSON only. */
static inline bool columns_shown(const struct column *c)
{
	return c->header != NULL;
}

/* Shown in a table of m: columns_shown, FAIL/s once connect() failures were counted, LEAK
 * while a process leaks. */
bool columns_in_table(const struct column *c, const struct model *m);

/* A shown column by key or header, case-insensitively; NULL if none. */
const struct column *columns_find(const char *name);
/* The shown column `step` places after c (before it when negative), wrapping. */
const struct column *columns_step(const struct column *c, int step);
/* The column the live-view key sorts by; NULL if none. */
const struct column *columns_by_sort_key(int key);

/* <0, 0, >0 in the column's ascending order. */
int columns_compare(const struct column *c, const struct proc_row *a, const struct proc_row *b);

/* A row's field as a number (for sorting and renderers); strings give 0. */
double columns_value(const struct column *c, const struct proc_row *row);
/* A string field, "" for numbers. */
const char *columns_string(const struct column *c, const struct proc_row *row);
bool columns_is_string(const struct column *c);
/* An optional field that is not set: JSON null. */
bool columns_is_null(const struct column *c, const struct proc_row *row);

enum column_style {
	COLUMN_PLAIN,    /* for people: "12", "85" (percent), "0.5" (rate), "-" not known yet */
	COLUMN_CMDLINE,  /* the same, COMMAND showing the command line when it is known (-c) */
	COLUMN_JSON,     /* a JSON literal: 12, 85.00, 0.50, null, true; strings raw, unquoted */
};

/* Formats a row's cell into buf (truncated to len); returns buf, or the string itself. */
const char *columns_format(const struct column *c, const struct proc_row *row,
			   enum column_style style, char *buf, size_t len);

/* Which rows a view shows: all of them unless a filter is set. */
struct row_filter {
	const pid_t *pids;      /* only these pids, if n_pids > 0 */
	size_t n_pids;
	const char *user;       /* exact user name, NULL or "" for all */
	const char *command;    /* substring of the command name, NULL or "" for all */
	const char *container;  /* substring of the container ("-": on the host), NULL or "" for all */
};

bool rowview_match(const struct proc_row *row, const struct row_filter *f);

/*
 * Points out[] (room for m->n_rows) at the rows matching f, sorted by column `by`
 * (unsorted if NULL) in its natural order (biggest first for counts), flipped by
 * invert, ties by pid.  Returns how many.
 */
size_t rowview_select(const struct model *m, const struct row_filter *f, const struct column *by,
		      bool invert, const struct proc_row **out);

#endif
