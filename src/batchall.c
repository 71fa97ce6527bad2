/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --all-netns in batch: each refresh reads every network namespace (fleet.c) and
 * prints them in the chosen format: a JSON object per namespace, one table line per
 * namespace, one Prometheus exposition of the fullest --netns-top, one check line
 * judging the fullest of all.
 */
#include "batchall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "fleet.h"
#include "output/output.h"
#include "util/sanitize.h"

struct batch_reports {
	struct report *r;
	size_t n;
	struct netns_failure *bad;
	size_t n_bad;
};

static void reports_release(struct batch_reports *b)
{
	for (size_t i = 0; i < b->n; i++)
		report_release(&b->r[i]);
	free(b->r);
	free(b->bad);
	b->r = NULL;
	b->bad = NULL;
	b->n = b->n_bad = 0;
}

/* The fleet is fullest first: the reports are too, and the unreadable ones follow. */
static int reports_prepare(struct batch_reports *b, const struct fleet *f, const struct settings *st,
			   const char *host)
{
	size_t cap = f->n ? f->n : 1;

	b->n = b->n_bad = 0;
	b->r = calloc(cap, sizeof(*b->r));
	b->bad = calloc(cap, sizeof(*b->bad));
	if (!b->r || !b->bad)
		return -ENOMEM;
	for (size_t i = 0; i < f->n; i++) {
		const struct fleet_ns *ns = f->v[i];

		if (!ns->open) {
			b->bad[b->n_bad++] = (struct netns_failure){ ns->inode, ns->name, ns->error,
								    ns->failed_step };
			continue;
		}
		if (report_prepare(&b->r[b->n], &ns->engine->model, st, host) < 0)
			return -ENOMEM;
		b->r[b->n].all_netns = true;
		b->r[b->n++].netns_name = ns->name;
	}
	return 0;
}

static void print_json(const struct batch_reports *b, const char *host)
{
	char clean[256];
	struct timespec now;

	/* untrusted like a process name, as report_prepare treats it */
	sanitize_copy(clean, sizeof(clean), host, strlen(host), 0);
	clock_gettime(CLOCK_REALTIME, &now);
	for (size_t i = 0; i < b->n; i++)
		output_json(stdout, &b->r[i]);
	for (size_t i = 0; i < b->n_bad; i++)
		output_json_unreadable(stdout, &now, clean, &b->bad[i]);
}

static int print_all(const struct fleet *f, const struct settings *st, const char *host,
		     enum check_status *status)
{
	struct batch_reports b = { 0 };
	int err = reports_prepare(&b, f, st, host);

	if (!err) {
		size_t top = b.n < (size_t)st->netns_top ? b.n : (size_t)st->netns_top;
		switch (st->format) {
		case FORMAT_JSON: print_json(&b, host); break;
		case FORMAT_PROMETHEUS:
			output_prometheus_all(stdout, b.r, top);
			output_prometheus_namespaces(stdout, (unsigned)(b.n + b.n_bad), (unsigned)b.n_bad);
			break;
		case FORMAT_CHECK: *status = output_check_all(stdout, b.r, b.n, b.n_bad, st); break;
		case FORMAT_TEXT: output_netns_table(stdout, b.r, b.n, b.bad, b.n_bad); break;
		}
	}
	reports_release(&b);
	if (err)
		return err;
	return fflush(stdout) == EOF || ferror(stdout) ? -EIO : 0;
}

static void sleep_between(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int batchall_run(const struct settings *st, const char *host, enum check_status *status)
{
	struct fleet f;
	int err = fleet_open(&f, st);

	*status = CHECK_OK;
	for (long i = 0; !err && i < st->iterations; i++) {
		if (i > 0)
			sleep_between(st->delay);
		err = fleet_refresh(&f);
		for (size_t k = 0; !err && k < f.n; k++)
			if (f.v[k]->open)
				batch_note_alert_command(f.v[k]->engine, true);
		if (!err && (st->format == FORMAT_TEXT || st->format == FORMAT_PROMETHEUS) && i > 0)
			putchar('\n');
		if (!err)
			err = print_all(&f, st, host, status);
	}
	fleet_close(&f);
	return err;
}
