/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch renderers.  Each prints one model; none computes a figure of its own.
 * Adding an output (Prometheus, check plugin) is adding a function here.
 */
#ifndef PORTTOP_OUTPUT_H
#define PORTTOP_OUTPUT_H

#include <stdio.h>
#include "model/columns.h"
#include "model/model.h"
#include "settings.h"

/* What a renderer needs beyond the model: the rows to show, in order, and the host. */
struct report {
	const struct model *model;
	const struct proc_row **rows;
	size_t n_rows;
	char hostname[256];    /* sanitized: whoever is root in the UTS namespace sets it */
	bool show_cmdline;     /* COMMAND shows the command line (-c) */
};

/* Selects and sorts the rows the settings ask for; hostname may be NULL.  0 or -ENOMEM. */
int report_prepare(struct report *r, const struct model *m, const struct settings *st,
		   const char *hostname);
void report_release(struct report *r);

/* At most this many destinations are listed in batch output. */
#define REPORT_MAX_DESTINATIONS 10

void output_text(FILE *out, const struct report *r);
void output_json(FILE *out, const struct report *r);
void output_prometheus(FILE *out, const struct report *r);

/* Monitoring plugin exit codes. */
enum check_status { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

/* The fullest of the TCP pool, the UDP pool and the tightest destination, 0-100. */
double output_check_percent(const struct model *m);
/* Prints one status line with performance data; returns the status to exit with. */
enum check_status output_check(FILE *out, const struct report *r, const struct settings *st);

/*
 * Why the eBPF probes are off ("not root", ...), "" when they run.  In English for
 * JSON and logs that machines read; translated when translate is set.
 */
const char *output_bpf_reason(enum probe_status status, int error, bool translate, char *buf,
			      size_t len);
/* The message for a failed step of sampling (err: -errno), through gettext. */
void output_failure(char *buf, size_t len, enum sample_step step, int err);
/*
 * Why the sockets came from /proc/net, NULL when they came from netlink: in words
 * ("--source=proc asked for it", "netlink sock_diag failed: Permission denied"), or
 * as a stable key for JSON ("requested", or the errno's name: "EACCES").
 */
const char *output_source_reason(const struct model *m, char *buf, size_t len);
const char *output_source_reason_key(const struct model *m, char *buf, size_t len);

/* forecastwords.c: "full in ~3 min", "stable", "draining, 120 ports free in the next 60 s",
 * "full now" ("" while unknown), through gettext. */
const char *output_forecast_words(const struct forecast *f, char *buf, size_t len);
/* "First to fail: destination 127.0.0.1 -> 127.0.0.1:8080, 97 % full: connect()
 * EADDRNOTAVAIL, full in ~1 min". */
const char *output_first_to_fail_words(const struct model *m, char *buf, size_t len);

/* "2026-11-24T10:00:00.123+01:00" */
size_t output_rfc3339(const struct timespec *t, char *buf, size_t len);

#endif
