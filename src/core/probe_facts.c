/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "probe_facts.h"

#include <errno.h>
#include <string.h>
#include <stdlib.h>

#include "util/vec.h"

void probe_facts_init(struct probe_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void probe_facts_free(struct probe_facts *f)
{
	free(f->births);
	free(f->failures);
	free(f->dests);
	free(f->connects);
	probe_facts_init(f);
}

void probe_facts_reset(struct probe_facts *f)
{
	f->n_births = 0;
	f->n_failures = 0;
	f->n_dests = 0;
	f->n_connects = 0;
	f->have_previous = false;
}

int probe_facts_add_birth(struct probe_facts *f, const struct probe_birth *b)
{
	int err = vec_reserve((void **)&f->births, &f->cap_births, f->n_births + 1, sizeof(*b));

	if (err)
		return err;
	f->births[f->n_births++] = *b;
	return 0;
}

int probe_facts_add_failure(struct probe_facts *f, const struct probe_failure *p)
{
	int err = vec_reserve((void **)&f->failures, &f->cap_failures, f->n_failures + 1,
			      sizeof(*p));

	if (err)
		return err;
	f->failures[f->n_failures] = *p;
	f->failures[f->n_failures].first_dest = f->n_dests;
	f->failures[f->n_failures].n_dests = 0;
	f->n_failures++;
	return 0;
}

int probe_facts_add_connects(struct probe_facts *f, const struct probe_connects *c)
{
	int err = vec_reserve((void **)&f->connects, &f->cap_connects, f->n_connects + 1, sizeof(*c));

	if (err)
		return err;
	f->connects[f->n_connects++] = *c;
	return 0;
}

int probe_facts_add_dest(struct probe_facts *f, const struct probe_failure_dest *d)
{
	int err;

	if (f->n_failures == 0)
		return -EINVAL;
	err = vec_reserve((void **)&f->dests, &f->cap_dests, f->n_dests + 1, sizeof(*d));
	if (err)
		return err;
	f->dests[f->n_dests++] = *d;
	f->failures[f->n_failures - 1].n_dests++;
	return 0;
}

const struct probe_birth *probe_facts_birth(const struct probe_facts *f, uint32_t sock)
{
	size_t lo = 0, hi = f->n_births;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->births[mid].sock < sock)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->n_births && f->births[lo].sock == sock ? &f->births[lo] : NULL;
}

bool probe_process_same(const struct probe_process *a, const struct probe_process *b)
{
	return a->pid == b->pid && a->start_time == b->start_time;
}
