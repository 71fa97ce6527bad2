/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "core/threshold.h"
#include "util/vec.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->options.leak_age = 60;
	m->options.warning = THRESHOLD_WARNING_DEFAULT;
	m->options.critical = THRESHOLD_CRITICAL_DEFAULT;
	m->options.alert_after = 0;
}

void model_free(struct model *m)
{
	free(m->destinations);
	free(m->rows);
	free(m->bind_pools);
	if (m->work) {
		destinations_work_free(m->work->destinations);
		bindpools_work_free(m->work->bind_pools);
		free(m->work->first_seen);
		free(m->work->was_time_wait);
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
	struct bind_pool *b = m->bind_pools;
	size_t cap_b = m->cap_bind_pools;
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
	m->bind_pools = b;
	m->cap_bind_pools = cap_b;
}

static void count_states(struct model *m, const struct sample *s)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		bool fresh = model_sock_is_new(m, s, i);

		if (rec->protocol != IPPROTO_TCP) {
			m->udp.figures.new_sockets += fresh;
			continue;
		}
		m->tcp.figures.new_sockets += fresh;
		m->states[states_classify(rec)]++;
		m->total_tcp++;
		if (rec->state == KTCP_TIME_WAIT) {
			m->time_wait_figures.held++;
			m->time_wait_figures.time_wait++;
			m->time_wait_figures.time_wait_new += model_time_wait_is_new(m, s, i);
			m->time_wait_figures.new_sockets += fresh;
		}
	}
}

/* m->work->first_seen[i]: when the history first saw socks[i] (0: new or unknown). */
static int match_first_seen(struct model *m, const struct sample *s, const struct history *h)
{
	const struct firstseen *f = history_firstseen(h);

	if (vec_fit((void **)&m->work->first_seen, &m->work->cap_first_seen, s->n_socks,
		    sizeof(*m->work->first_seen)) < 0 ||
	    vec_fit((void **)&m->work->was_time_wait, &m->work->cap_was_time_wait, s->n_socks,
		    sizeof(*m->work->was_time_wait)) < 0)
		return -ENOMEM;
	m->work->have_seen = firstseen_start(f) > 0;
	return firstseen_match_states(f, s, m->work->first_seen, m->work->was_time_wait);
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

	m->monotonic = s->monotonic;
	err = match_first_seen(m, s, h);
	if (err)
		return err;
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
		forecast_compute(m, h);
	for (size_t i = 0; i < m->n_rows; i++)
		m->rows_in_containers += m->rows[i].container[0] != '\0';
	if (!err)
		err = leaks_compute(m, s, h);
	if (!err)
		err = alerts_compute(m, s);
	return err;
}

double model_fullest_percent(const struct model *m)
{
	double worst = m->tcp.percent > m->udp.percent ? m->tcp.percent : m->udp.percent;
	/* TIME_WAIT ports that tcp_tw_reuse hands out again do not make connect() fail */
	if (m->n_destinations && m->destinations[0].blocked_percent > worst)
		worst = m->destinations[0].blocked_percent;
	return worst;
}
