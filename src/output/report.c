/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/i18n.h"
#include "util/rfc3339.h"
#include "util/sanitize.h"

/* Most failures first; then in the model's (pid, start time) order: qsort is not stable. */
static int failure_cmp(const void *x, const void *y)
{
	const struct probe_failure *a = *(const struct probe_failure *const *)x;
	const struct probe_failure *b = *(const struct probe_failure *const *)y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a > b) - (a < b);
}

/* The failing processes an output with a series each lists: the first top of them
 * (-1: all) in failure_cmp's order, as many as it lists rows. */
static int select_failures(struct report *r, const struct model *m, long top)
{
	const struct probe_facts *f = m->probes;
	size_t n = m->bpf && f ? f->n_failures : 0;

	r->n_failures = 0;
	r->failures = malloc((n ? n : 1) * sizeof(*r->failures));
	if (!r->failures)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		r->failures[i] = &f->failures[i];
	if (n > 1)
		qsort(r->failures, n, sizeof(*r->failures), failure_cmp);
	r->n_failures = top >= 0 && n > (size_t)top ? (size_t)top : n;
	return 0;
}

int report_prepare(struct report *r, const struct model *m, const struct settings *st,
		   const char *hostname)
{
	struct row_filter filter = {
		.pids = st->pids, .n_pids = st->n_pids, .user = st->user, .command = st->filter,
		.container = st->container,
	};

	r->model = m;
	r->failures = NULL;
	r->n_failures = 0;
	r->all_netns = false;
	r->netns_name = NULL;
	/* a host name is untrusted like a process name: the same escaping as the live header */
	sanitize_copy(r->hostname, sizeof(r->hostname), hostname ? hostname : "",
		      hostname ? strlen(hostname) : 0, 0);
	r->show_cmdline = st->show_cmdline;
	r->rows = malloc((m->n_rows ? m->n_rows : 1) * sizeof(*r->rows));
	if (!r->rows)
		return -ENOMEM;
	r->n_rows = rowview_select(m, &filter, st->sort, st->sort_invert, r->rows);
	if (settings_top_processes(st) >= 0 && r->n_rows > (size_t)settings_top_processes(st))
		r->n_rows = (size_t)settings_top_processes(st);
	if (select_failures(r, m, settings_top_processes(st)) < 0) {
		report_release(r);
		return -ENOMEM;
	}
	r->n_destinations = m->n_destinations < (size_t)st->top_destinations ? m->n_destinations
									      : (size_t)st->top_destinations;
	r->refresh = (struct report_refresh){ .up = true, .seconds = -1, .last_success = m->wall };
	r->verbose = st->verbose;
	return 0;
}

void report_release(struct report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->n_rows = 0;
	free(r->failures);
	r->failures = NULL;
	r->n_failures = 0;
}

size_t output_rfc3339(const struct timespec *t, char *buf, size_t len)
{
	struct tm tm;

	if (!localtime_r(&t->tv_sec, &tm)) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	return rfc3339_format(buf, len, &tm, t->tv_nsec);
}

const char *output_bpf_reason(enum probe_status status, int error, bool translate, char *buf,
			      size_t len)
{
	const char *why = "";

	switch (status) {
	case PROBE_ON: break;
	case PROBE_OFF_REQUESTED: why = N_("turned off with --bpf=off"); break;
	case PROBE_OFF_NOT_BUILT: why = N_("built without eBPF"); break;
	case PROBE_OFF_NOT_ROOT: why = N_("not root"); break;
	case PROBE_OFF_NO_BTF: why = N_("no kernel BTF (/sys/kernel/btf/vmlinux)"); break;
	case PROBE_OFF_LOAD_FAILED:
		snprintf(buf, len, translate ? _("the probes did not load: %s") : "the probes did not load: %s",
			 strerror(-error));
		return buf;
	}
	snprintf(buf, len, "%s", translate ? _(why) : why);
	return buf;
}
