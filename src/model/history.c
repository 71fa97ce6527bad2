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

struct history {
	struct history_entry *entries;  /* sorted by cookie, then owner */
	size_t n_entries;
	struct history_owner *owners;
	size_t n_owners;
	double time;
};

struct history *history_new(void)
{
	return calloc(1, sizeof(struct history));
}

void history_free(struct history *h)
{
	if (!h)
		return;
	free(h->entries);
	free(h->owners);
	free(h);
}

double history_time(const struct history *h)
{
	return h ? h->time : 0;
}

size_t history_size(const struct history *h)
{
	return h ? h->n_entries : 0;
}

static size_t first_entry(const struct history *h, uint64_t cookie)
{
	size_t lo = 0, hi = h->n_entries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->entries[mid].cookie < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool history_seen(const struct history *h, uint64_t cookie)
{
	size_t i;
	if (!h || cookie == 0)
		return false;
	i = first_entry(h, cookie);
	return i < h->n_entries && h->entries[i].cookie == cookie;
}

size_t history_lookup(const struct history *h, uint64_t cookie,
		      const struct history_owner *out[], size_t max)
{
	size_t n = 0;
	if (!h || cookie == 0)
		return 0;
	for (size_t i = first_entry(h, cookie); i < h->n_entries && h->entries[i].cookie == cookie; i++)
		if (n < max)
			out[n++] = &h->owners[h->entries[i].owner];
	return n;
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
	if (nh->n_entries == nh->cap_entries) {
		size_t cap = nh->cap_entries ? nh->cap_entries * 2 : 1024;
		struct history_entry *e = realloc(nh->entries, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		nh->entries = e;
		nh->cap_entries = cap;
	}
	nh->entries[nh->n_entries++] = (struct history_entry){ cookie, owner };
	return 0;
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

		if (rec->cookie == 0 || rec->inode == 0)
			continue;
		link = sample_find_owner(s, rec->inode);
		for (; link && link < s->owners + s->n_owners && link->inode == rec->inode; link++) {
			int err = add_entry(nh, rec->cookie,
					    owner_from_proc(nh, &s->procs[link->proc], link->proc));
			if (err)
				return err;
		}
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

		if (rec->protocol != IPPROTO_TCP || rec->inode != 0 || rec->cookie == 0)
			continue;
		for (size_t e = first_entry(h, rec->cookie);
		     e < h->n_entries && h->entries[e].cookie == rec->cookie; e++) {
			int err = add_entry(nh, rec->cookie, owner_from_old(nh, h, h->entries[e].owner));
			if (err)
				return err;
		}
	}
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct history_entry *x = a, *y = b;
	if (x->cookie != y->cookie)
		return x->cookie < y->cookie ? -1 : 1;
	return (x->owner > y->owner) - (x->owner < y->owner);
}

/* A socket seen twice (a dump that raced a state change) keeps one entry per owner. */
static void unique_entries(struct next_history *nh)
{
	size_t out = 0;
	if (nh->n_entries < 2)
		return;  /* also: entries may be NULL, which qsort must not see */
	qsort(nh->entries, nh->n_entries, sizeof(*nh->entries), entry_cmp);
	for (size_t i = 0; i < nh->n_entries; i++)
		if (out == 0 || entry_cmp(&nh->entries[out - 1], &nh->entries[i]) != 0)
			nh->entries[out++] = nh->entries[i];
	nh->n_entries = out;
}

int history_advance(struct history *h, const struct sample *s)
{
	struct next_history nh = { 0 };
	size_t max_owners = s->n_procs + h->n_owners;
	int err = -ENOMEM;

	nh.owners = malloc((max_owners ? max_owners : 1) * sizeof(*nh.owners));
	nh.owner_of_proc = malloc((s->n_procs ? s->n_procs : 1) * sizeof(uint32_t));
	nh.owner_of_old = malloc((h->n_owners ? h->n_owners : 1) * sizeof(uint32_t));
	if (!nh.owners || !nh.owner_of_proc || !nh.owner_of_old)
		goto out;
	memset(nh.owner_of_proc, 0xff, s->n_procs * sizeof(uint32_t));
	memset(nh.owner_of_old, 0xff, h->n_owners * sizeof(uint32_t));
	err = learn_live(&nh, s);
	if (!err)
		err = keep_orphans(&nh, h, s);
	if (err)
		goto out;
	unique_entries(&nh);
	free(h->entries);
	free(h->owners);
	h->entries = nh.entries;
	h->n_entries = nh.n_entries;
	h->owners = nh.owners;
	h->n_owners = nh.n_owners;
	h->time = s->monotonic;
	nh.entries = NULL;
	nh.owners = NULL;
out:
	free(nh.entries);
	free(nh.owners);
	free(nh.owner_of_proc);
	free(nh.owner_of_old);
	return err;
}
