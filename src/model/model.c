/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->options.leak_age = 60;
	m->options.warning = 80;
	m->options.critical = 95;
	m->options.alert_after = 0;
}

void model_free(struct model *m)
{
	free(m->destinations);
	free(m->rows);
	if (m->work) {
		destinations_work_free(m->work->destinations);
		free(m->work->past);
		leaks_window_free(m->work->leaks);
		alerts_tracks_free(m->work->alerts);
		free(m->work);
	}
	free(m->failure_rates);
	free(m->alerts);
	free(m->changes);
	model_init(m);
}

static void reset_figures(struct model *m)
{
	struct destination *d = m->destinations;
	size_t cap_d = m->cap_destinations;
	struct proc_row *r = m->rows;
	size_t cap_r = m->cap_rows;
	struct model_work *work = m->work;
	struct model_options options = m->options;
	double *rates = m->failure_rates;
	struct alert *alerts = m->alerts;
	struct alert_change *changes = m->changes;
	size_t cap_alerts = m->cap_alerts, cap_changes = m->cap_changes;
	size_t cap_rates = m->cap_failure_rates;

	memset(m, 0, sizeof(*m));
	m->options = options;
	m->alerts = alerts;
	m->cap_alerts = cap_alerts;
	m->changes = changes;
	m->cap_changes = cap_changes;
	m->work = work;
	m->failure_rates = rates;
	m->cap_failure_rates = cap_rates;
	m->destinations = d;
	m->cap_destinations = cap_d;
	m->rows = r;
	m->cap_rows = cap_r;
}

static void count_states(struct model *m, const struct sample *s)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		if (s->socks[i].protocol != IPPROTO_TCP)
			continue;
		m->states[states_classify(&s->socks[i])]++;
		m->total_tcp++;
	}
}

double model_percent(unsigned part, unsigned whole)
{
	if (whole == 0)
		return part ? 100.0 : 0.0;
	return 100.0 * part / whole;
}

int model_build(struct model *m, const struct sample *s, const struct history *h)
{
	int err;

	reset_figures(m);
	if (!m->work && !(m->work = calloc(1, sizeof(*m->work))))
		return -ENOMEM;
	m->wall = s->wall;
	m->source = s->source;
	m->netlink_error = s->netlink_error;
	m->netns_inode = s->netns_inode;
	m->tw_reuse = s->sys.tw_reuse;
	m->procs_unreadable = s->procs_unreadable;
	m->owner_access = s->owner_access;
	m->owners_scanned = s->owners_scanned;
	if (h && history_time(h) > 0 && s->monotonic > history_time(h))
		m->interval = s->monotonic - history_time(h);

	count_states(m, s);
	counterrates_compute(m, s, h);
	err = pools_compute(m, s);
	if (!err)
		err = procrows_compute(m, s, h);
	if (!err)
		err = failures_compute(m, s);
	if (!err)
		err = connects_compute(m, s);
	if (!err)
		err = leaks_compute(m, s, h);
	if (!err)
		err = alerts_compute(m, s);
	return err;
}
