/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory across samples.  A closed socket that still holds its port (TIME_WAIT and
 * the other orphans) has no owner in the kernel (uid 0, inode 0) but keeps the cookie
 * the live socket had, so an owner seen while the socket was alive can be named after
 * it closed (doc/kernel.md, "Socket cookies").  The cache holds exactly the
 * cookies of the last sample's owned sockets plus its closed ones the kernel still
 * holds (TIME_WAIT and the orphans on the way to it): it never outgrows the socket
 * table.
 *
 * Entries are kept in cookie order, one run per cookie.  The sample comes with its
 * sockets in cookie order too (sample_cookie_order), so matching every socket to
 * what is remembered of it, and building the next history, are merges: at 100 000
 * sockets a hash or binary search per socket spent most of its time waiting for
 * memory.
 */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/search.h"
#include "util/vec.h"

struct history {
	struct history_entry *entries;  /* by cookie; runs of one cookie */
	size_t n_entries, cap_entries;
	struct history_entry *spare;    /* the last entries' memory, for the next advance */
	size_t cap_spare;
	struct history_owner *owners;
	size_t n_owners;
	double time;
	struct firstseen *seen;         /* when each socket of the last sample was first seen */
	struct kernel_counters counters; /* the last sample's, for the counters' rates */
	struct firstseen *close_wait;   /* when each CLOSE_WAIT socket was first seen in it */
	struct trend *trend;            /* the pools' figures of the last refreshes */
};

struct history *history_new(void)
{
	struct history *h = calloc(1, sizeof(struct history));

	if (!h)
		return NULL;
	h->seen = firstseen_new();
	h->close_wait = firstseen_new();
	h->trend = trend_new();
	if (!h->seen || !h->close_wait || !h->trend) {
		history_free(h);
		return NULL;
	}
	return h;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	free(h->entries);
	free(h->spare);
	free(h->owners);
	firstseen_free(h->seen);
	firstseen_free(h->close_wait);
	trend_free(h->trend);
	free(h);
}

const struct trend *history_trend(const struct history *h)
{
	return h ? h->trend : NULL;
}

void history_record(struct history *h, const struct model *m)
{
	trend_record(h->trend, m);
}

void history_forget_trend(struct history *h)
{
	trend_forget(h->trend);
}

const struct firstseen *history_firstseen(const struct history *h)
{
	return h ? h->seen : NULL;
}

const struct firstseen *history_close_wait_seen(const struct history *h)
{
	return h ? h->close_wait : NULL;
}

/*
 * Dates the CLOSE_WAIT sockets of s from the first sample that showed them in that
 * state: a socket stays in CLOSE_WAIT until its owner calls close() (tcp_close moves
 * it to LAST_ACK), so that age is how long the owner has ignored the peer's FIN.
 */
static int advance_close_wait(struct history *h, const struct sample *s, const uint32_t *order,
			      size_t n)
{
	uint32_t *only = malloc((n ? n : 1) * sizeof(*only));
	size_t k = 0;
	int err;

	if (!only)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct sock_rec *rec = &s->socks[order[i]];
		if (rec->protocol == IPPROTO_TCP && rec->state == KTCP_CLOSE_WAIT)
			only[k++] = order[i];
	}
	err = firstseen_advance(h->close_wait, s, only, k);
	free(only);
	return err;
}

double history_time(const struct history *h)
{
	return h ? h->time : 0;
}

const struct kernel_counters *history_counters(const struct history *h)
{
	return h && h->time > 0 ? &h->counters : NULL;
}

void history_restore_counters(struct history *h, const struct kernel_counters *c)
{
	h->counters = *c;
}

size_t history_size(const struct history *h)
{
	return h ? h->n_entries : 0;
}

SEARCH_LOWER_BOUND_DEFINE(entry_lower_bound, struct history_entry, uint64_t, .cookie)

static size_t first_entry(const struct history *h, uint64_t cookie)
{
	size_t lo = entry_lower_bound(h->entries, h->n_entries, cookie);

	return lo < h->n_entries && h->entries[lo].cookie == cookie ? lo : HISTORY_NONE;
}

size_t history_owners_at(const struct history *h, uint32_t first,
			 const struct history_owner *out[], size_t max)
{
	size_t n = 0;
	if (!h || first >= h->n_entries)
		return 0;
	for (size_t i = first; i < h->n_entries && h->entries[i].cookie == h->entries[first].cookie; i++)
		if (n < max)
			out[n++] = &h->owners[h->entries[i].owner];
	return n;
}

uint32_t history_find(const struct history *h, uint64_t cookie)
{
	if (!h || cookie == 0)
		return HISTORY_NONE;
	return (uint32_t)first_entry(h, cookie);
}

/* Walks the sockets in cookie order along the entries: out[i] = socks[i]'s first entry. */
static void match_sorted(const struct history *h, const struct sample *s, const uint32_t *order,
			 size_t n, uint32_t *out)
{
	size_t e = 0;

	for (size_t i = 0; i < s->n_socks; i++)
		out[i] = HISTORY_NONE;
	for (size_t k = 0; k < n; k++) {
		uint64_t cookie = s->socks[order[k]].cookie;
		while (e < h->n_entries && h->entries[e].cookie < cookie)
			e++;
		if (e < h->n_entries && h->entries[e].cookie == cookie)
			out[order[k]] = (uint32_t)e;
	}
}

int history_match(const struct history *h, const struct sample *s, uint32_t *out)
{
	uint32_t *scratch;
	size_t n;
	const uint32_t *order;

	if (!h || h->n_entries == 0) {
		for (size_t i = 0; i < s->n_socks; i++)
			out[i] = HISTORY_NONE;
		return 0;
	}
	order = sample_cookie_order(s, &n, &scratch);
	if (!order)
		return -ENOMEM;
	match_sorted(h, s, order, n, out);
	free(scratch);
	return 0;
}

/* The history being built by history_advance. */
struct next_history {
	struct history_entry *entries;
	size_t n_entries, cap_entries;
	struct history_owner *owners;
	size_t n_owners;
	uint32_t *owner_of_proc;   /* sample proc index -> owners index, UINT32_MAX if none yet */
	uint32_t *owner_of_old;    /* old owners index -> new owners index */
};

static int add_entry(struct next_history *nh, uint64_t cookie, uint32_t owner)
{
	int err = nh->n_entries >= HISTORY_NONE ? -ENOMEM
			: vec_reserve((void **)&nh->entries, &nh->cap_entries, nh->n_entries + 1,
				      sizeof(*nh->entries));
	if (!err)
		nh->entries[nh->n_entries++] = (struct history_entry){ cookie, owner };
	return err;
}

static uint32_t owner_from_proc(struct next_history *nh, const struct proc_rec *p, size_t index)
{
	if (nh->owner_of_proc[index] == UINT32_MAX) {
		struct history_owner *o = &nh->owners[nh->n_owners];
		memset(o, 0, sizeof(*o));
		o->pid = p->pid;
		o->uid = p->uid;
		o->start_time = p->start_time;
		memcpy(o->user, p->user, sizeof(o->user));
		memcpy(o->comm, p->comm, sizeof(o->comm));
		memcpy(o->container, p->container, sizeof(o->container));
		nh->owner_of_proc[index] = (uint32_t)nh->n_owners++;
	}
	return nh->owner_of_proc[index];
}

static uint32_t owner_from_old(struct next_history *nh, const struct history *h, uint32_t old)
{
	if (nh->owner_of_old[old] == UINT32_MAX) {
		nh->owners[nh->n_owners] = h->owners[old];
		nh->owner_of_old[old] = (uint32_t)nh->n_owners++;
	}
	return nh->owner_of_old[old];
}

/* A live socket: remember who holds it now. */
static int learn_live(struct next_history *nh, const struct sample *s, size_t i)
{
	const struct sock_rec *rec = &s->socks[i];
	const struct owner_link *link = sample_sock_owner(s, i);

	for (; sample_owner_holds(s, link, rec->inode); link++) {
		int err = add_entry(nh, rec->cookie,
				    owner_from_proc(nh, &s->procs[link->proc], link->proc));
		if (err)
			return err;
	}
	return 0;
}

/*
 * Closed sockets the kernel still holds have no inode and no owner: TIME_WAIT, and
 * on their way to it the orphans in FIN_WAIT1, FIN_WAIT2, CLOSING and LAST_ACK.  A
 * sample may catch a socket in any of those, so keep what was known of each for as
 * long as the kernel keeps the socket: each of them is charged to that owner
 * (attribution.c).
 * *old walks the old entries along the sample's cookie order.
 */
static int keep_orphan(struct next_history *nh, const struct history *h, uint64_t cookie,
		       size_t *old)
{
	while (*old < h->n_entries && h->entries[*old].cookie < cookie)
		(*old)++;
	for (size_t e = *old; e < h->n_entries && h->entries[e].cookie == cookie; e++) {
		int err = add_entry(nh, cookie, owner_from_old(nh, h, h->entries[e].owner));
		if (err)
			return err;
	}
	return 0;
}

/* Entries come out in cookie order; a socket a racing dump showed twice keeps its
 * first sighting that had owners. */
static int build(struct next_history *nh, const struct history *h, const struct sample *s,
		 const uint32_t *order, size_t n)
{
	size_t old = 0;
	int err = 0;

	for (size_t k = 0; k < n && !err; k++) {
		const struct sock_rec *rec = &s->socks[order[k]];

		if (nh->n_entries && nh->entries[nh->n_entries - 1].cookie == rec->cookie)
			continue;
		if (rec->inode != 0)
			err = learn_live(nh, s, order[k]);
		else if (rec->protocol == IPPROTO_TCP)
			err = keep_orphan(nh, h, rec->cookie, &old);
	}
	return err;
}

int history_advance(struct history *h, const struct sample *s)
{
	struct next_history nh = { .entries = h->spare, .cap_entries = h->cap_spare };
	size_t max_owners = s->n_procs + h->n_owners, n;
	uint32_t *scratch = NULL;
	const uint32_t *order = sample_cookie_order(s, &n, &scratch);
	int err = -ENOMEM;

	h->spare = NULL;
	h->cap_spare = 0;
	nh.owners = malloc((max_owners ? max_owners : 1) * sizeof(*nh.owners));
	nh.owner_of_proc = malloc((s->n_procs ? s->n_procs : 1) * sizeof(uint32_t));
	nh.owner_of_old = malloc((h->n_owners ? h->n_owners : 1) * sizeof(uint32_t));
	if (!order || !nh.owners || !nh.owner_of_proc || !nh.owner_of_old)
		goto out;
	memset(nh.owner_of_proc, 0xff, s->n_procs * sizeof(uint32_t));
	memset(nh.owner_of_old, 0xff, h->n_owners * sizeof(uint32_t));
	err = build(&nh, h, s, order, n);
	if (!err)
		err = firstseen_advance(h->seen, s, order, n);
	if (!err)
		err = advance_close_wait(h, s, order, n);
	if (err)
		goto out;
	/* the old entries' memory is the next advance's, unless a peak has passed */
	if (h->cap_entries > 4 * (nh.n_entries > 1024 ? nh.n_entries : 1024)) {
		free(h->entries);
		h->entries = NULL;
		h->cap_entries = 0;
	}
	h->spare = h->entries;
	h->cap_spare = h->cap_entries;
	h->entries = nh.entries;
	h->n_entries = nh.n_entries;
	h->cap_entries = nh.cap_entries;
	nh.entries = NULL;
	free(h->owners);
	h->owners = nh.owners;
	h->n_owners = nh.n_owners;
	h->time = s->monotonic;
	h->counters = s->counters;
	nh.owners = NULL;
out:
	if (nh.entries && !h->spare) {  /* failed: keep the memory for next time */
		h->spare = nh.entries;
		h->cap_spare = nh.cap_entries;
	} else {
		free(nh.entries);
	}
	free(nh.owners);
	free(nh.owner_of_proc);
	free(nh.owner_of_old);
	free(scratch);
	return err;
}

void history_view(const struct history *h, struct history_view *out)
{
	out->entries = h->entries;
	out->n_entries = h->n_entries;
	out->owners = h->owners;
	out->n_owners = h->n_owners;
	out->time = h->time;
}

/* A recorded history is untrusted: the merges above rely on cookie order and on
 * every entry naming an owner that exists. */
static bool view_valid(const struct history_view *v)
{
	for (size_t i = 0; i < v->n_entries; i++)
		if (v->entries[i].owner >= v->n_owners ||
		    (i && v->entries[i].cookie < v->entries[i - 1].cookie))
			return false;
	return v->n_entries < HISTORY_NONE;
}

int history_restore(struct history *h, const struct history_view *v)
{
	struct history_entry *entries;
	struct history_owner *owners;

	if (!view_valid(v))
		return -EINVAL;
	entries = malloc((v->n_entries ? v->n_entries : 1) * sizeof(*entries));
	owners = malloc((v->n_owners ? v->n_owners : 1) * sizeof(*owners));
	if (!entries || !owners) {
		free(entries);
		free(owners);
		return -ENOMEM;
	}
	if (v->n_entries)
		memcpy(entries, v->entries, v->n_entries * sizeof(*entries));
	if (v->n_owners)
		memcpy(owners, v->owners, v->n_owners * sizeof(*owners));
	free(h->entries);
	free(h->owners);
	h->entries = entries;
	h->n_entries = h->cap_entries = v->n_entries;
	if (!h->cap_entries)
		h->cap_entries = 1;
	h->owners = owners;
	h->n_owners = v->n_owners;
	h->time = v->time;
	return 0;
}
