/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * When porttop first saw each socket, by cookie.  A cookie is unique in the system
 * and a socket keeps it from its first dump to the end of its TIME_WAIT (doc/kernel.md,
 * "Socket cookies"), so the first sample that holds a cookie dates the socket: its age
 * is known to within one refresh, and for the sockets of the very first sample it is
 * a lower bound (they were older).  Holds exactly the cookies of the last sample, in
 * cookie order, so each advance is one merge with the sample's own cookie order.
 */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "util/search.h"
#include "util/vec.h"

struct firstseen_entry {
	uint64_t cookie;
	double time;      /* CLOCK_MONOTONIC seconds of the first sample that held it */
	bool time_wait;   /* in TIME_WAIT in the last sample */
};

struct firstseen {
	struct firstseen_entry *entries, *spare;  /* spare: the last entries' memory */
	size_t n_entries, cap_entries, cap_spare;
	double start;                             /* time of the first advance */
};

struct firstseen *firstseen_new(void)
{
	return calloc(1, sizeof(struct firstseen));
}

void firstseen_free(struct firstseen *f)
{
	if (!f)
		return;
	free(f->entries);
	free(f->spare);
	free(f);
}

double firstseen_start(const struct firstseen *f)
{
	return f ? f->start : 0;
}

size_t firstseen_size(const struct firstseen *f)
{
	return f ? f->n_entries : 0;
}

SEARCH_LOWER_BOUND_DEFINE(seen_lower_bound, struct firstseen_entry, uint64_t, .cookie)

double firstseen_time(const struct firstseen *f, uint64_t cookie)
{
	size_t at;

	if (!f || cookie == 0)
		return 0;
	at = seen_lower_bound(f->entries, f->n_entries, cookie);
	return at < f->n_entries && f->entries[at].cookie == cookie ? f->entries[at].time : 0;
}

int firstseen_advance(struct firstseen *f, const struct sample *s, const uint32_t *order, size_t n)
{
	struct firstseen_entry *next = f->spare;
	size_t cap = f->cap_spare, n_next = 0, old = 0;

	if (vec_fit((void **)&next, &cap, n, sizeof(*next)) < 0)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		uint64_t cookie = s->socks[order[k]].cookie;
		double when = s->monotonic;

		if (cookie == 0 || (n_next && next[n_next - 1].cookie == cookie))
			continue;  /* a racing dump may show a socket twice */
		while (old < f->n_entries && f->entries[old].cookie < cookie)
			old++;
		if (old < f->n_entries && f->entries[old].cookie == cookie)
			when = f->entries[old].time;
		next[n_next++] = (struct firstseen_entry){
			cookie, when, s->socks[order[k]].protocol == IPPROTO_TCP &&
					      s->socks[order[k]].state == KTCP_TIME_WAIT };
	}
	f->spare = f->entries;
	f->cap_spare = f->cap_entries;
	f->entries = next;
	f->cap_entries = cap;
	f->n_entries = n_next;
	if (f->start == 0)
		f->start = s->monotonic;
	return 0;
}

int firstseen_match_states(const struct firstseen *f, const struct sample *s, double *out,
			   uint8_t *was_time_wait)
{
	uint32_t *scratch = NULL;
	size_t n, e = 0;
	const uint32_t *order;

	for (size_t i = 0; i < s->n_socks; i++) {
		out[i] = 0;
		if (was_time_wait)
			was_time_wait[i] = 0;
	}
	if (!f || f->n_entries == 0)
		return 0;
	order = sample_cookie_order(s, &n, &scratch);
	if (!order)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		uint64_t cookie = s->socks[order[k]].cookie;
		while (e < f->n_entries && f->entries[e].cookie < cookie)
			e++;
		if (e < f->n_entries && f->entries[e].cookie == cookie) {
			out[order[k]] = f->entries[e].time;
			if (was_time_wait)
				was_time_wait[order[k]] = f->entries[e].time_wait;
		}
	}
	free(scratch);
	return 0;
}

int firstseen_match(const struct firstseen *f, const struct sample *s, double *out)
{
	return firstseen_match_states(f, s, out, NULL);
}
