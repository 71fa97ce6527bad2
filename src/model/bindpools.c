/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bind() pools: one per local address and protocol.  bind(port 0) takes a port
 * that no conflicting socket holds, whatever the destination, and conflicting means
 * the same address or a wildcard on either side: a socket on [::] conflicts with
 * every address, one on 0.0.0.0 with every IPv4 address, and ports that plain
 * connects hold count as taken (inet_csk_find_open_port -> inet_csk_bind_conflict
 * -> inet_rcv_saddr_equal for TCP, udp_lib_get_port -> udp_lib_lport_inuse for UDP;
 * doc/kernel.md, "Pools per local address", "UDP").  IPV6_V6ONLY is not in the sample,
 * so a [::] socket is taken to conflict with IPv4 too: the worst case.
 */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

#define BITSET_BYTES (SAMPLE_PORT_COUNT / 8)
#define SLOT_EMPTY UINT32_MAX

/* Ports held on a wildcard, per protocol (0 TCP, 1 UDP): on [::] and on 0.0.0.0. */
struct wildcards {
	uint8_t any6[2][BITSET_BYTES];
	uint8_t any4[2][BITSET_BYTES];
};

struct bindpools_work {
	struct wildcards wild;
	uint32_t *slots;        /* address hash: index into m->bind_pools */
	size_t n_slots, cap_slots;
	uint64_t *pairs;        /* set of (pool index, port) + 1; 0 is free */
	uint32_t *ends;         /* per pair: its latest TIME_WAIT expiry + 1 ms, HELD_OPEN if
				 * a socket other than TIME_WAIT holds it */
	uint8_t *fresh;         /* per pair: a socket on it entered TIME_WAIT since the last sample */
	size_t n_pair_slots, cap_pairs, cap_ends, cap_fresh;
};

#define HELD_OPEN UINT32_MAX

void bindpools_work_free(struct bindpools_work *w)
{
	if (!w)
		return;
	free(w->slots);
	free(w->pairs);
	free(w->ends);
	free(w->fresh);
	free(w);
}

static bool bit(const uint8_t *set, unsigned port)
{
	return (set[port / 8] >> (port % 8)) & 1;
}

static void set_bit(uint8_t *set, unsigned port)
{
	set[port / 8] |= (uint8_t)(1u << (port % 8));
}

static int proto_index(uint8_t protocol)
{
	return protocol == IPPROTO_TCP ? 0 : protocol == IPPROTO_UDP ? 1 : -1;
}

static bool wildcard_holds(const struct wildcards *wc, int p, bool v4, unsigned port)
{
	return bit(wc->any6[p], port) || (v4 && bit(wc->any4[p], port));
}

static void mark_wildcards(struct wildcards *wc, const struct sample *s)
{
	static const uint8_t zero[16];

	memset(wc, 0, sizeof(*wc));
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		int p = proto_index(rec->protocol);

		if (p < 0 || !pools_in_usable(&s->sys, rec->local_port) || !sample_addr_is_any(rec->local))
			continue;
		set_bit(memcmp(rec->local, zero, 16) == 0 ? wc->any6[p] : wc->any4[p], rec->local_port);
	}
}

static size_t addr_hash(const uint8_t a[16], uint8_t protocol, size_t mask)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, a + 8, 8);
	x = (x ^ protocol) * 0x9e3779b97f4a7c15ULL;
	x = (x ^ y) * 0xff51afd7ed558ccdULL;
	return (size_t)(x ^ (x >> 31)) & mask;
}

static int rehash_pools(struct bindpools_work *w, const struct model *m, size_t n_slots)
{
	if (vec_fit((void **)&w->slots, &w->cap_slots, n_slots, sizeof(*w->slots)) < 0)
		return -ENOMEM;
	w->n_slots = n_slots;
	memset(w->slots, 0xff, n_slots * sizeof(*w->slots));
	for (size_t i = 0; i < m->n_bind_pools; i++) {
		size_t at = addr_hash(m->bind_pools[i].local, m->bind_pools[i].protocol, n_slots - 1);
		while (w->slots[at] != SLOT_EMPTY)
			at = (at + 1) & (n_slots - 1);
		w->slots[at] = (uint32_t)i;
	}
	return 0;
}

/* The pool of rec's local address, added if new; SLOT_EMPTY without memory. */
static uint32_t pool_find(struct model *m, struct bindpools_work *w, const struct sock_rec *rec)
{
	size_t mask = w->n_slots - 1, at = addr_hash(rec->local, rec->protocol, mask);
	struct bind_pool *bp;

	for (; w->slots[at] != SLOT_EMPTY; at = (at + 1) & mask) {
		bp = &m->bind_pools[w->slots[at]];
		if (bp->protocol == rec->protocol && memcmp(bp->local, rec->local, 16) == 0)
			return w->slots[at];
	}
	if (vec_reserve((void **)&m->bind_pools, &m->cap_bind_pools, m->n_bind_pools + 1,
			sizeof(*m->bind_pools)) < 0)
		return SLOT_EMPTY;
	bp = &m->bind_pools[m->n_bind_pools];
	memset(bp, 0, sizeof(*bp));
	memcpy(bp->local, rec->local, 16);
	bp->protocol = rec->protocol;
	w->slots[at] = (uint32_t)m->n_bind_pools++;
	if (2 * m->n_bind_pools >= w->n_slots && rehash_pools(w, m, 2 * w->n_slots) < 0)
		return SLOT_EMPTY;
	return (uint32_t)(m->n_bind_pools - 1);
}

/* What holds a port until when: a TIME_WAIT socket until it ends, any other for good. */
static uint32_t holds_until(const struct sock_rec *rec)
{
	return rec->protocol == IPPROTO_TCP && rec->state == KTCP_TIME_WAIT ? rec->expires_ms + 1
									     : HELD_OPEN;
}

/* Adds (pool, port) held by rec to the set; true if it was not there yet. */
static bool pair_add(struct bindpools_work *w, uint32_t pool, const struct sock_rec *rec, bool fresh)
{
	uint64_t key = ((uint64_t)pool << 16 | rec->local_port) + 1;
	size_t mask = w->n_pair_slots - 1;
	size_t at = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
	uint32_t until = holds_until(rec);

	for (; w->pairs[at]; at = (at + 1) & mask) {
		if (w->pairs[at] == key) {
			if (until > w->ends[at])
				w->ends[at] = until;
			w->fresh[at] |= fresh;
			return false;
		}
	}
	w->pairs[at] = key;
	w->ends[at] = until;
	w->fresh[at] = fresh;
	return true;
}

/* The ports of each pool that only TIME_WAIT holds: when each frees, and which are new. */
static void count_time_wait(struct model *m, const struct bindpools_work *w)
{
	for (size_t at = 0; at < w->n_pair_slots; at++) {
		struct bind_pool *bp;
		unsigned bucket;

		if (!w->pairs[at] || w->ends[at] == HELD_OPEN)
			continue;
		bp = &m->bind_pools[(w->pairs[at] - 1) >> 16];
		bp->figures.time_wait++;
		bp->figures.time_wait_new += w->fresh[at];
		bucket = (w->ends[at] - 1) / (FORECAST_BUCKET_SECONDS * 1000u);
		bp->frees[bucket < FORECAST_BUCKETS ? bucket : FORECAST_BUCKETS - 1]++;
	}
}

static unsigned count_wildcards(const struct wildcards *wc, const struct port_sysctls *sys, int p,
				bool v4)
{
	unsigned n = 0;

	for (int port = sys->low; port <= sys->high && port < SAMPLE_PORT_COUNT; port++)
		n += pools_in_usable(sys, (unsigned)port) && wildcard_holds(wc, p, v4, (unsigned)port);
	return n;
}

static int cmp_pool(const void *x, const void *y)
{
	const struct bind_pool *a = x, *b = y;

	if (a->in_use != b->in_use)
		return a->in_use > b->in_use ? -1 : 1;
	if (a->protocol != b->protocol)
		return a->protocol < b->protocol ? -1 : 1;
	return memcmp(a->local, b->local, 16);
}

static int prepare(struct bindpools_work *w, const struct sample *s)
{
	size_t pair_slots = 64;

	while (pair_slots < 2 * s->n_socks + 1)
		pair_slots *= 2;
	if (vec_fit((void **)&w->pairs, &w->cap_pairs, pair_slots, sizeof(*w->pairs)) < 0 ||
	    vec_fit((void **)&w->ends, &w->cap_ends, pair_slots, sizeof(*w->ends)) < 0 ||
	    vec_fit((void **)&w->fresh, &w->cap_fresh, pair_slots, sizeof(*w->fresh)) < 0)
		return -ENOMEM;
	w->n_pair_slots = pair_slots;
	memset(w->pairs, 0, pair_slots * sizeof(*w->pairs));
	mark_wildcards(&w->wild, s);
	return 0;
}

int bindpools_compute(struct model *m, const struct sample *s)
{
	struct bindpools_work *w = m->work->bind_pools;
	unsigned wild[2][2];

	if (!w && !(w = m->work->bind_pools = calloc(1, sizeof(*w))))
		return -ENOMEM;
	m->n_bind_pools = 0;
	if (prepare(w, s) < 0 || rehash_pools(w, m, 64) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		int p = proto_index(rec->protocol);
		uint32_t pool;

		if (p < 0 || !pools_in_usable(&s->sys, rec->local_port) || sample_addr_is_any(rec->local))
			continue;
		pool = pool_find(m, w, rec);
		if (pool == SLOT_EMPTY)
			return -ENOMEM;
		m->bind_pools[pool].figures.new_sockets += model_sock_is_new(m, s, i);
		/* a port a wildcard holds is counted once for every address, below */
		if (!wildcard_holds(&w->wild, p, sample_addr_is_v4(rec->local), rec->local_port))
			m->bind_pools[pool].in_use += pair_add(w, pool, rec, model_time_wait_is_new(m, s, i));
	}
	count_time_wait(m, w);
	for (int p = 0; p < 2; p++)
		for (int v4 = 0; v4 < 2; v4++)
			wild[p][v4] = count_wildcards(&w->wild, &s->sys, p, v4);
	for (size_t i = 0; i < m->n_bind_pools; i++) {
		struct bind_pool *bp = &m->bind_pools[i];

		bp->in_use += wild[proto_index(bp->protocol)][sample_addr_is_v4(bp->local)];
		bp->capacity = m->range.usable;
		bp->percent = model_percent(bp->in_use, bp->capacity);
		bp->figures.held = bp->in_use;
	}
	if (m->n_bind_pools > 1)
		qsort(m->bind_pools, m->n_bind_pools, sizeof(*m->bind_pools), cmp_pool);
	return 0;
}
