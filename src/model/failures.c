/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect() and bind(port 0) failing for want of a port, as the eBPF probes counted
 * them (Linux itself keeps no counter and logs nothing for EADDRNOTAVAIL): per
 * process, per destination, and their rates between two samples.
 */
#include "model-internal.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "util/vec.h"

static double rate(const struct model *m, uint64_t count, uint64_t previous)
{
	if (!m->probes->have_previous || m->interval <= 0)
		return -1;
	return count >= previous ? (double)(count - previous) / m->interval : 0;
}

/* The row of a failing process; a process that holds no socket gets one of its own. */
static struct proc_row *row_for(struct model *m, const struct probe_failure *f)
{
	bool added;
	struct proc_row *row = procrows_of_process(m, &f->who, true, &added);

	if (added) {
		row->new_per_sec = -1;
		row->fail_per_sec = m->probes->have_previous && m->interval > 0 ? 0 : -1;
	}
	return row;
}

static void charge_destinations(struct model *m, const struct probe_failure_dest *d)
{
	for (size_t i = 0; i < m->n_destinations; i++) {
		struct destination *dst = &m->destinations[i];
		double r;

		if (dst->remote_port != d->port || memcmp(dst->remote, d->remote, 16) != 0)
			continue;
		dst->connect_failures += d->count;
		r = rate(m, d->count, d->previous);
		if (r >= 0)
			dst->fail_per_sec = (dst->fail_per_sec > 0 ? dst->fail_per_sec : 0) + r;
	}
}

/* The destination of failures[i] that fails fastest (most failures before any rate). */
static size_t fastest_dest(const struct model *m, const struct probe_failure *f)
{
	size_t best = f->first_dest;
	double best_rate = -2;

	for (size_t d = f->first_dest; d < f->first_dest + f->n_dests; d++) {
		const struct probe_failure_dest *fd = &m->probes->dests[d];
		double r = rate(m, fd->count, fd->previous);
		if (r < 0)
			r = (double)fd->count / 1e12;  /* no rate yet: the count orders */
		if (r > best_rate) {
			best_rate = r;
			best = d;
		}
	}
	return best;
}

static void initial_rates(struct model *m)
{
	double none = m->bpf && m->probes->have_previous && m->interval > 0 ? 0 : -1;

	for (size_t i = 0; i < m->n_rows; i++)
		m->rows[i].fail_per_sec = none;
	for (size_t i = 0; i < m->n_destinations; i++)
		m->destinations[i].fail_per_sec = none;
	m->failures_per_sec = none;
}

int failures_compute(struct model *m, const struct sample *s)
{
	const struct probe_facts *f = &s->probes;
	double top = 0;

	m->probes = f;
	m->bpf = f->status == PROBE_ON;
	m->top_failure = SIZE_MAX;
	initial_rates(m);
	if (!m->bpf)
		return 0;
	if (vec_fit((void **)&m->failure_rates, &m->cap_failure_rates, f->n_failures ? f->n_failures : 1,
		    sizeof(*m->failure_rates)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_failures; i++) {
		const struct probe_failure *pf = &f->failures[i];
		struct proc_row *row = row_for(m, pf);
		double r = rate(m, pf->count, pf->previous);

		if (!row)
			return -ENOMEM;
		row->connect_failures += (unsigned)pf->count;
		if (r >= 0)
			row->fail_per_sec = (row->fail_per_sec > 0 ? row->fail_per_sec : 0) + r;
		m->failure_rates[i] = r;
		m->failures_total += pf->count;
		if (r > 0)
			m->failures_per_sec += r;
		if (r > top) {
			top = r;
			m->top_failure = i;
			m->top_failure_dest = fastest_dest(m, pf);
		}
		for (size_t d = pf->first_dest; d < pf->first_dest + pf->n_dests; d++)
			charge_destinations(m, &f->dests[d]);
	}
	return 0;
}
