/*
 * Memory across samples.  A TIME_WAIT socket has no owner in the kernel (uid 0,
 * inode 0) but keeps the cookie the live socket had, so an owner seen while the
 * socket was alive can be named after it closed.  The cache holds exactly the
 * cookies of the last sample's owned sockets plus its closed ones the kernel still
 * holds (TIME_WAIT and the orphans on the way to it): it never outgrows the socket
 * table.
 */
#include "model.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

struct history_entry {
	uint64_t cookie;
	uint32_t owner;  /* index into owners */
};

/*
 * Entries of one cookie are adjacent; slots index the first of each run by cookie
 * (open addressing, linear probing, tag 0 for a free slot), so a lookup costs the
 * same at 100 000 sockets as at 10.  The slot keeps 32 bits of the cookie, so that
 * a probe reads the entries only for the slot that matches.
 */
#define HISTORY_MAX_ENTRIES UINT32_MAX

struct cookie_slot {
	uint32_t tag;    /* cookie_tag(): never 0 */
	uint32_t first;
};

static uint32_t cookie_tag(uint64_t cookie)
{
	return (uint32_t)cookie | 1;
}

struct cookie_index {
	struct history_entry *entries;
	size_t n_entries, cap_entries;
	struct cookie_slot *slots;
	size_t n_slots, cap_slots;     /* n_slots: a power of two, over twice the cookies */
};

struct history {
	struct cookie_index now;
	struct cookie_index spare;     /* the last index's memory, for the next advance */
	struct history_owner *owners;
	size_t n_owners;
	double time;
};

struct history *history_new(void)
{
	return calloc(1, sizeof(struct history));
}

static void index_free(struct cookie_index *x)
{
	free(x->entries);
	free(x->slots);
}

void history_free(struct history *h)
{
	if (!h)
		return;
	index_free(&h->now);
	index_free(&h->spare);
	free(h->owners);
	free(h);
}

double history_time(const struct history *h)
{
	return h ? h->time : 0;
}

size_t history_size(const struct history *h)
{
	return h ? h->now.n_entries : 0;
}

static size_t home_slot(const struct cookie_index *x, uint64_t cookie)
{
	/* cookies are a counter: Fibonacci hashing spreads consecutive ones */
	return (size_t)((cookie * 0x9e3779b97f4a7c15ULL) >> 32) & (x->n_slots - 1);
}

/* Index of the cookie's first entry, or SIZE_MAX and the free slot it would take. */
static size_t index_probe(const struct cookie_index *x, uint64_t cookie, size_t *free_slot)
{
	size_t i;

	if (x->n_slots == 0)
		return SIZE_MAX;
	for (i = home_slot(x, cookie); x->slots[i].tag; i = (i + 1) & (x->n_slots - 1))
		if (x->slots[i].tag == cookie_tag(cookie) && x->entries[x->slots[i].first].cookie == cookie)
			return x->slots[i].first;
	if (free_slot)
		*free_slot = i;
	return SIZE_MAX;
}

static size_t first_entry(const struct history *h, uint64_t cookie)
{
	return index_probe(&h->now, cookie, NULL);
}

bool history_seen(const struct history *h, uint64_t cookie)
{
	return h && cookie != 0 && first_entry(h, cookie) != SIZE_MAX;
}

size_t history_lookup(const struct history *h, uint64_t cookie,
		      const struct history_owner *out[], size_t max)
{
	size_t n = 0;
	if (!h || cookie == 0)
		return 0;
	for (size_t i = first_entry(h, cookie); i < h->now.n_entries && h->now.entries[i].cookie == cookie;
	     i++)
		if (n < max)
			out[n++] = &h->owners[h->now.entries[i].owner];
	return n;
}

/* The history being built by history_advance. */
struct next_history {
	struct cookie_index *x;
	struct history_owner *owners;
	size_t n_owners;
	uint32_t *owner_of_proc;   /* sample proc index -> owners index, UINT32_MAX if none yet */
	uint32_t *owner_of_old;    /* old owners index -> new owners index */
};

/* An empty index with room for `cookies` runs. */
static int index_prepare(struct cookie_index *x, size_t cookies)
{
	size_t want = 16;

	while (want < 2 * cookies + 1) {
		if (want > SIZE_MAX / 2 / sizeof(*x->slots))
			return -ENOMEM;
		want *= 2;
	}
	if (want > x->cap_slots || want * 4 < x->cap_slots) {  /* shrink after a peak */
		struct cookie_slot *p = realloc(x->slots, want * sizeof(*p));
		if (!p)
			return -ENOMEM;
		x->slots = p;
		x->cap_slots = want;
	}
	x->n_slots = want;
	memset(x->slots, 0, want * sizeof(*x->slots));
	x->n_entries = 0;
	return 0;
}

static int add_entry(struct cookie_index *x, uint64_t cookie, uint32_t owner)
{
	if (x->n_entries >= HISTORY_MAX_ENTRIES)
		return -ENOMEM;
	if (x->n_entries == x->cap_entries) {
		size_t cap = x->cap_entries ? x->cap_entries * 2 : 1024;
		struct history_entry *e = realloc(x->entries, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		x->entries = e;
		x->cap_entries = cap;
	}
	x->entries[x->n_entries++] = (struct history_entry){ cookie, owner };
	return 0;
}

/* The spare index keeps its memory for the next advance, unless a peak has passed. */
static void trim_entries(struct cookie_index *x, size_t live)
{
	size_t want = live > 1024 ? live : 1024;
	struct history_entry *e;

	if (x->cap_entries <= 4 * want)
		return;
	e = realloc(x->entries, want * sizeof(*e));
	if (!e)
		return;  /* keeping the larger block is no error */
	x->entries = e;
	x->cap_entries = want;
	x->n_entries = 0;
}

/*
 * Where a cookie's run starts: the free slot to claim once its first entry is in,
 * or SIZE_MAX when the cookie already has one (a socket a racing dump showed twice:
 * its first sighting stands).
 */
static size_t claim_slot(const struct cookie_index *x, uint64_t cookie)
{
	size_t slot = SIZE_MAX;
	return index_probe(x, cookie, &slot) == SIZE_MAX ? slot : SIZE_MAX;
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

/* Live sockets: remember who holds them now. */
static int learn_live(struct next_history *nh, const struct sample *s)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		const struct owner_link *link;
		size_t slot, first = nh->x->n_entries;

		if (rec->cookie == 0 || rec->inode == 0)
			continue;
		link = sample_sock_owner(s, i);
		if (!link || (slot = claim_slot(nh->x, rec->cookie)) == SIZE_MAX)
			continue;
		for (; sample_owner_holds(s, link, rec->inode); link++) {
			int err = add_entry(nh->x, rec->cookie,
					    owner_from_proc(nh, &s->procs[link->proc], link->proc));
			if (err)
				return err;
		}
		nh->x->slots[slot] = (struct cookie_slot){ cookie_tag(rec->cookie), (uint32_t)first };
	}
	return 0;
}

/*
 * Closed sockets the kernel still holds have no inode and no owner: TIME_WAIT, and
 * on their way to it the orphans in FIN_WAIT1, FIN_WAIT2, CLOSING and LAST_ACK.  A
 * sample may catch a socket in any of those, so keep what was known of each for as
 * long as the kernel keeps the socket; it is TIME_WAIT that gets attributed.
 */
static int keep_orphans(struct next_history *nh, const struct history *h, const struct sample *s)
{
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		size_t old, slot, first = nh->x->n_entries;

		if (rec->protocol != IPPROTO_TCP || rec->inode != 0 || rec->cookie == 0)
			continue;
		old = first_entry(h, rec->cookie);
		if (old == SIZE_MAX || (slot = claim_slot(nh->x, rec->cookie)) == SIZE_MAX)
			continue;
		for (; old < h->now.n_entries && h->now.entries[old].cookie == rec->cookie; old++) {
			int err = add_entry(nh->x, rec->cookie,
					    owner_from_old(nh, h, h->now.entries[old].owner));
			if (err)
				return err;
		}
		nh->x->slots[slot] = (struct cookie_slot){ cookie_tag(rec->cookie), (uint32_t)first };
	}
	return 0;
}

int history_advance(struct history *h, const struct sample *s)
{
	struct next_history nh = { .x = &h->spare };
	size_t max_owners = s->n_procs + h->n_owners;
	int err = -ENOMEM;

	nh.owners = malloc((max_owners ? max_owners : 1) * sizeof(*nh.owners));
	nh.owner_of_proc = malloc((s->n_procs ? s->n_procs : 1) * sizeof(uint32_t));
	nh.owner_of_old = malloc((h->n_owners ? h->n_owners : 1) * sizeof(uint32_t));
	if (!nh.owners || !nh.owner_of_proc || !nh.owner_of_old)
		goto out;
	memset(nh.owner_of_proc, 0xff, s->n_procs * sizeof(uint32_t));
	memset(nh.owner_of_old, 0xff, h->n_owners * sizeof(uint32_t));
	err = index_prepare(nh.x, s->n_socks);
	if (!err)
		err = learn_live(&nh, s);
	if (!err)
		err = keep_orphans(&nh, h, s);
	if (err)
		goto out;
	struct cookie_index last = h->now;
	h->now = h->spare;
	h->spare = last;
	trim_entries(&h->spare, h->now.n_entries);
	free(h->owners);
	h->owners = nh.owners;
	h->n_owners = nh.n_owners;
	h->time = s->monotonic;
	nh.owners = NULL;
out:
	free(nh.owners);
	free(nh.owner_of_proc);
	free(nh.owner_of_old);
	return err;
}
