/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NEW/s from the probes: every connection that took a port is counted at its birth,
 * so a process that opens and closes connections between two samples is counted
 * too (and gets a row even when it holds nothing at the sample), where the sampler
 * alone only sees the sockets alive at a sample.
 */
#include "model-internal.h"

#include <errno.h>
#include <string.h>

#include "util/vec.h"

static struct proc_row *row_of(struct model *m, const struct probe_connects *c, bool add)
{
	bool added;

	return procrows_of_process(m, &c->who, add, &added);
}

/*
 * A row made for the owner of orphans says exited; the probes read /proc when they
 * named the owner, so a process that holds nothing but still runs is not "exited".
 */
static void births_running(struct model *m, const struct sample *s)
{
	const struct probe_facts *f = &s->probes;
	const struct probe_birth *last = NULL;

	for (size_t i = 0; i < f->n_births; i++) {
		const struct probe_birth *b = &f->births[i];

		if (!b->running || (last && probe_process_same(&last->who, &b->who)))
			continue;
		last = b;
		for (size_t r = 0; r < m->n_rows; r++)
			if (m->rows[r].exited && m->rows[r].pid == b->who.pid &&
			    m->rows[r].start_time == b->who.start_time)
				m->rows[r].exited = false;
	}
}

int connects_compute(struct model *m, const struct sample *s)
{
	const struct probe_facts *f = &s->probes;

	if (f->status != PROBE_ON)
		return 0;
	births_running(m, s);
	if (!f->have_previous || m->interval <= 0)
		return 0;  /* the sampler's figure stands */
	for (size_t i = 0; i < m->n_rows; i++)
		m->rows[i].new_per_sec = 0;
	for (size_t i = 0; i < f->n_connects; i++) {
		const struct probe_connects *c = &f->connects[i];
		bool connected = c->count > c->previous;
		struct proc_row *row = row_of(m, c, connected);

		if (connected && !row)
			return -ENOMEM;
		if (row)
			row->new_per_sec = connected ? (double)(c->count - c->previous) / m->interval : 0;
	}
	return 0;
}
