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

/* How the refresh behind a report went, for the Prometheus series that show staleness. */
struct report_refresh {
	bool up;                       /* the refresh read the system */
	double seconds;                /* how long it took; < 0 when not measured */
	struct timespec last_success;  /* wall clock of the last good refresh; 0 if none */
};

/* What a renderer needs beyond the model: the rows to show, in order, and the host. */
struct report {
	const struct model *model;     /* NULL in a report of a failed refresh */
	const struct proc_row **rows;
	size_t n_rows;                 /* at most --top-processes */
	size_t n_destinations;         /* the model's first ones, at most --top-destinations */
	/* the processes whose connect() failed, most failures first, at most --top-processes
	 * (Prometheus: a series each per destination) */
	const struct probe_failure **failures;
	size_t n_failures;
	struct report_refresh refresh; /* up, not measured, unless the caller says more */
	int verbose;                   /* check: -v */
	char hostname[256];    /* sanitized: whoever is root in the UTS namespace sets it */
	bool show_cmdline;     /* COMMAND shows the command line (-c) */
	bool all_netns;        /* --all-netns: the namespace is named in every output */
	const char *netns_name;/* then its name (fleet.h), "" when it has none */
};

/* A namespace --all-netns could not read: listed, with why. */
struct netns_failure {
	uint64_t inode;
	const char *name;
	int error;             /* -errno */
	enum sample_step step;
};

/* Selects and sorts the rows the settings ask for; hostname may be NULL.  0 or -ENOMEM. */
int report_prepare(struct report *r, const struct model *m, const struct settings *st,
		   const char *hostname);
void report_release(struct report *r);

void output_text(FILE *out, const struct report *r);
void output_json(FILE *out, const struct report *r);
void output_prometheus(FILE *out, const struct report *r);
/* A label value in the text exposition format's quotes: \\, \" and \n escaped. */
void output_prometheus_label(FILE *out, const char *s);
/* n reports (--all-netns: one per namespace), each family's series together. */
void output_prometheus_all(FILE *out, const struct report *r, size_t n);
/* How many namespaces --all-netns found, and how many it could not read. */
void output_prometheus_namespaces(FILE *out, unsigned listed, unsigned unreadable);
/* --all-netns: the JSON object of a namespace that could not be read. */
void output_json_unreadable(FILE *out, const struct timespec *when, const char *host,
			    const struct netns_failure *f);
/* --all-netns text: one line per namespace, fullest first, then those not read. */
void output_netns_table(FILE *out, const struct report *r, size_t n,
			const struct netns_failure *bad, size_t n_bad);
/* Only the series of the refresh itself (porttop_up 0 ...): what a failed refresh writes. */
void output_prometheus_down(FILE *out, const struct report_refresh *refresh);

/* Monitoring plugin exit codes. */
enum check_status { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

/* The fullest of the TCP pool, the UDP pool and the tightest destination, 0-100. */
double output_check_percent(const struct model *m);
/* Prints one status line with performance data; returns the status to exit with. */
enum check_status output_check(FILE *out, const struct report *r, const struct settings *st);
/* --all-netns: judges the fullest of n namespaces and names it. */
enum check_status output_check_all(FILE *out, const struct report *r, size_t n, size_t unreadable,
				   const struct settings *st);

/*
 * Why the eBPF probes are off ("not root", ...), "" when they run.  In English for
 * JSON and logs that machines read; translated when translate is set.
 */
const char *output_bpf_reason(enum probe_status status, int error, bool translate, char *buf,
			      size_t len);
/* The message for a failed step of sampling (err: -errno), through gettext. */
void output_failure(char *buf, size_t len, enum sample_step step, int err);
/* The message for level changes --alert-command did not run, running still running. */
void output_alert_dropped(char *buf, size_t len, size_t dropped, size_t running);
/*
 * Why the sockets came from /proc/net, NULL when they came from netlink: in words
 * ("--source=proc asked for it", "netlink sock_diag failed: Permission denied"), or
 * as a stable key for JSON ("requested", or the errno's name: "EACCES").
 */
const char *output_source_reason(const struct model *m, char *buf, size_t len);
const char *output_source_reason_key(const struct model *m, char *buf, size_t len);

/*
 * Why other processes' fd tables were closed to porttop, through gettext: what its
 * credentials lack, or a security module when they lack nothing.
 */
const char *output_unreadable_reason(enum owner_access access);

/* The errno's name for machines: "EPERM" (err: -errno). */
const char *output_errno_name(int err, char *buf, size_t len);
/* At most this many bind pools are listed in batch output, fullest first. */
#define REPORT_MAX_BIND_POOLS 10

/* forecastwords.c: "full in ~3 min", "stable", "draining, 120 ports free in the next 60 s",
 * "full now" ("" while unknown), through gettext. */
const char *output_forecast_words(const struct forecast *f, char *buf, size_t len);
/* "First to fail: destination 127.0.0.1 -> 127.0.0.1:8080, 97 % full: connect()
 * EADDRNOTAVAIL, full in ~1 min". */
const char *output_first_to_fail_words(const struct model *m, char *buf, size_t len);

/*
 * A file replaced atomically: written to a temporary file in the same directory
 * (hidden, and not ending in .prom, so node_exporter's textfile collector skips it),
 * synced, then renamed over the target, so a reader sees the old file or the new one,
 * never half of one.
 */
struct outfile {
	FILE *fp;          /* write the content here, between open and commit */
	const char *path;
	char tmp[4096];
};
/* 0 or -errno (-ENAMETOOLONG, or what mkstemp says about the directory). */
int outfile_open(struct outfile *f, const char *path);
/* Flushes, fsyncs, sets mode 0644 and renames; the temporary file is gone either way. */
int outfile_commit(struct outfile *f);
void outfile_abort(struct outfile *f);

/* "2026-11-24T10:00:00.123+01:00" in local time (util/rfc3339.h) */
size_t output_rfc3339(const struct timespec *t, char *buf, size_t len);

#endif
