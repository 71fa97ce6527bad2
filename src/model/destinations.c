/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per destination, the ports a plain connect() to it holds: connect() may reuse a
 * local port for another (local address, remote address, remote port), so each of
 * those runs out on its own (__inet_hash_connect, __inet_check_established; see
 * doc/kernel.md, "Pools per destination" and "Listeners and bound-only sockets").
 * With tcp_tw_reuse some of its TIME_WAIT ports can be taken again: those are counted
 * apart as reusable.
 */
#include "model-internal.h"

#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/radix.h"
#include "util/vec.h"

static bool addr_is_loopback(const uint8_t a[16])
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	return (sample_addr_is_v4(a) && a[12] == 127) || memcmp(a, v6_loopback, 16) == 0;
}

/*
 * May connect() take this TIME_WAIT socket's port again for the same destination?
 * tcp_twsk_unique: with tcp_tw_reuse 1 always, with 2 (the default) only for
 * loopback traffic, and only once the last timestamp seen is more than 1 s old
 * (timestamps are on by default).  The kernel compares whole seconds
 * (time_after32(ktime_get_seconds(), ts_recent_stamp + 1)), so that is up to 2 s.
 * sock_diag does not report the stamp; the TIME_WAIT age (60 s minus the time
 * left) stands in for it, with the conservative 2 s (doc/kernel.md, "TIME_WAIT and
 * tcp_tw_reuse").
 */
#define TW_REUSE_DELAY_MS 2000u

/* Does tcp_tw_reuse let connect() take this TIME_WAIT socket's port once it is old enough? */
static bool tw_reuse_applies(const struct port_sysctls *sys, const struct sock_rec *rec)
{
	if (rec->state != KTCP_TIME_WAIT || sys->tw_reuse <= 0)
		return false;
	return sys->tw_reuse != 2 || rec->ifindex == 1 || addr_is_loopback(rec->local) ||
	       addr_is_loopback(rec->remote);
}

static bool tw_reusable(const struct port_sysctls *sys, const struct sock_rec *rec)
{
	return tw_reuse_applies(sys, rec) && rec->expires_ms + TW_REUSE_DELAY_MS < TIME_WAIT_SECONDS * 1000u;
}

static bool has_destination(const struct sock_rec *rec)
{
	enum tcp_state st = states_classify(rec);
	return st != STATE_LISTEN && st != STATE_BOUND && rec->remote_port != 0;
}

/*
 * Destinations are counted through a hash of their key, then put in order by a
 * radix sort of compact records: at 100 000 sockets a comparison sort of the
 * sockets was most of the model's time.
 */
#define DEST_EMPTY UINT32_MAX
#define DEST_SORT_KEY 42  /* ~held 4, ~in_use 4, remote 16, remote port 2, local 16 */

struct dest_order {
	uint8_t key[DEST_SORT_KEY];  /* memcmp order = fullest first, then by key */
	uint32_t index;
};

struct destinations_work {
	uint32_t *slots;             /* index into m->destinations, DEST_EMPTY if free */
	size_t n_slots, cap_slots;   /* n_slots a power of two, over twice the destinations */
	struct dest_order *order, *order_tmp;
	size_t cap_order, cap_order_tmp;
	size_t last_count;           /* destinations of the last build: sizes the table */
};

void destinations_work_free(struct destinations_work *w)
{
	if (!w)
		return;
	free(w->slots);
	free(w->order);
	free(w->order_tmp);
	free(w);
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static size_t dest_hash(const struct sock_rec *rec, size_t mask)
{
	uint64_t h = rec->remote_port * 0x9e3779b97f4a7c15ULL;

	h = (h ^ load64(rec->remote)) * 0xff51afd7ed558ccdULL;
	h = (h ^ load64(rec->remote + 8)) * 0xc4ceb9fe1a85ec53ULL;
	h = (h ^ load64(rec->local)) * 0xff51afd7ed558ccdULL;
	h = (h ^ load64(rec->local + 8)) * 0xc4ceb9fe1a85ec53ULL;
	return (size_t)(h ^ (h >> 29)) & mask;
}

static bool dest_matches(const struct destination *d, const struct sock_rec *rec)
{
	return d->remote_port == rec->remote_port && memcmp(d->remote, rec->remote, 16) == 0 &&
	       memcmp(d->local, rec->local, 16) == 0;
}

static int rehash(struct destinations_work *w, const struct model *m, size_t n_slots)
{
	int err = vec_fit((void **)&w->slots, &w->cap_slots, n_slots, sizeof(*w->slots));

	if (err)
		return err;
	w->n_slots = n_slots;
	memset(w->slots, 0xff, n_slots * sizeof(*w->slots));
	for (size_t i = 0; i < m->n_destinations; i++) {
		const struct destination *d = &m->destinations[i];
		struct sock_rec key = { .remote_port = d->remote_port };
		size_t at;

		memcpy(key.remote, d->remote, 16);
		memcpy(key.local, d->local, 16);
		at = dest_hash(&key, n_slots - 1);
		while (w->slots[at] != DEST_EMPTY)
			at = (at + 1) & (n_slots - 1);
		w->slots[at] = (uint32_t)i;
	}
	return 0;
}

/* The destination of rec, added (empty) if it is new; NULL without memory. */
static struct destination *dest_find(struct model *m, struct destinations_work *w,
				     const struct sock_rec *rec)
{
	size_t mask = w->n_slots - 1, at = dest_hash(rec, mask);
	struct destination *d;

	for (; w->slots[at] != DEST_EMPTY; at = (at + 1) & mask)
		if (dest_matches(&m->destinations[w->slots[at]], rec))
			return &m->destinations[w->slots[at]];
	if (m->n_destinations >= DEST_EMPTY - 1)
		return NULL;
	if (vec_reserve((void **)&m->destinations, &m->cap_destinations, m->n_destinations + 1,
			sizeof(*m->destinations)) < 0)
		return NULL;
	w->slots[at] = (uint32_t)m->n_destinations;
	d = &m->destinations[m->n_destinations++];
	memset(d, 0, sizeof(*d));
	memcpy(d->local, rec->local, 16);
	memcpy(d->remote, rec->remote, 16);
	d->remote_port = rec->remote_port;
	if (2 * m->n_destinations >= w->n_slots && rehash(w, m, w->n_slots * 2) < 0)
		return NULL;
	return d;
}

static void put_be32(uint8_t *out, uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

/* d[i] = old d[order[i].index] for every i, in place: one cycle at a time. */
static void permute(struct destination *d, struct dest_order *order, size_t n)
{
	for (size_t start = 0; start < n; start++) {
		struct destination held;
		size_t at = start;

		if (order[start].index == DEST_EMPTY || order[start].index == start)
			continue;
		held = d[start];
		for (;;) {
			size_t from = order[at].index;
			order[at].index = DEST_EMPTY;  /* done */
			if (from == start) {
				d[at] = held;
				break;
			}
			d[at] = d[from];
			at = from;
		}
	}
}

/*
 * Fullest first, ties by key so the order is stable from one sample to the next.
 * Every destination has the same capacity, so blocked_percent follows in_use -
 * reusable and percent follows in_use: the sort key is those two counts, inverted.
 */
static int dest_sort(struct model *m, struct destinations_work *w)
{
	size_t n = m->n_destinations;
	int err = vec_fit((void **)&w->order, &w->cap_order, n, sizeof(*w->order));

	if (!err)
		err = vec_fit((void **)&w->order_tmp, &w->cap_order_tmp, n, sizeof(*w->order_tmp));
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		const struct destination *d = &m->destinations[i];
		uint8_t *k = w->order[i].key;

		put_be32(k, ~(d->in_use - d->reusable));
		put_be32(k + 4, ~d->in_use);
		memcpy(k + 8, d->remote, 16);
		k[24] = (uint8_t)(d->remote_port >> 8);
		k[25] = (uint8_t)d->remote_port;
		memcpy(k + 26, d->local, 16);
		w->order[i].index = (uint32_t)i;
	}
	err = radix_sort_bytes(w->order, n, sizeof(*w->order), offsetof(struct dest_order, key),
			       DEST_SORT_KEY, w->order_tmp);
	if (err)
		return err;
	permute(m->destinations, w->order, n);
	return 0;
}

/* A TIME_WAIT socket that holds its port: the forecast's figures. */
static void count_time_wait(const struct model *m, struct destination *d, const struct sample *s,
			    size_t i)
{
	/* a port tcp_tw_reuse gives back within 2 s is free for connect() in the first 5 s */
	unsigned bucket = tw_reuse_applies(&s->sys, &s->socks[i])
				  ? 0 : s->socks[i].expires_ms / (FORECAST_BUCKET_SECONDS * 1000u);

	d->figures.time_wait++;
	d->figures.time_wait_new += model_time_wait_is_new(m, s, i);
	d->frees[bucket < FORECAST_BUCKETS ? bucket : FORECAST_BUCKETS - 1]++;
}

int destinations_compute(struct model *m, const struct sample *s, unsigned capacity)
{
	struct destinations_work *w = m->work->destinations;
	size_t slots = 64;
	int err;

	if (!w && !(w = m->work->destinations = calloc(1, sizeof(*w))))
		return -ENOMEM;
	while (slots < 2 * w->last_count + 1)  /* few rehashes while the count grows */
		slots *= 2;
	m->n_destinations = 0;
	err = vec_fit((void **)&m->destinations, &m->cap_destinations, slots / 2, sizeof(*m->destinations));
	if (!err)
		err = rehash(w, m, slots);
	for (size_t i = 0; i < s->n_socks && !err; i++) {
		const struct sock_rec *rec = &s->socks[i];
		struct destination *d;

		if (rec->protocol != IPPROTO_TCP || !pools_in_usable(&s->sys, rec->local_port) ||
		    !has_destination(rec))
			continue;
		d = dest_find(m, w, rec);
		if (!d)
			return -ENOMEM;
		d->in_use++;
		d->by_state[states_classify(rec)]++;
		d->figures.new_sockets += model_sock_is_new(m, s, i);
		d->time_wait_reused |= tw_reuse_applies(&s->sys, rec);
		if (tw_reusable(&s->sys, rec))
			d->reusable++;
		else if (rec->state == KTCP_TIME_WAIT)
			count_time_wait(m, d, s, i);
	}
	for (size_t i = 0; i < m->n_destinations && !err; i++) {
		struct destination *d = &m->destinations[i];
		d->capacity = capacity;
		d->percent = model_percent(d->in_use, capacity);
		d->blocked_percent = model_percent(d->in_use - d->reusable, capacity);
		d->figures.held = d->in_use - d->reusable;
	}
	w->last_count = m->n_destinations;
	return err ? err : dest_sort(m, w);
}
