/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading what the probes recorded, without stopping them: the kernel side keeps
 * adding while these loops walk the maps (atomic counters, LRU maps), so an entry
 * may come or go mid-walk; that costs one failure more or less, never a wrong owner.
 */
#include "probes-internal.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample/procstat.h"
#include "util/sanitize.h"
#include "util/vec.h"

/* The facts of a failing process, before they are grouped with their destinations. */
struct failing {
	struct probe_proc_key key;
	struct probe_proc_value value;
};

struct failing_dest {
	struct probe_dest_key key;
	__u64 count;
};

/* /proc/PID/stat's start time is start_boottime in clock ticks (nsec_to_clock_t). */
static unsigned long long ticks_of(__u64 start_ns)
{
	long hz = sysconf(_SC_CLK_TCK);

	return start_ns / (1000000000ULL / (unsigned long long)(hz > 0 ? hz : 100));
}

static void user_of(uid_t uid, char out[33])
{
	char buf[1024];
	struct passwd pw, *found = NULL;

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found)
		sanitize_copy(out, 33, found->pw_name, strlen(found->pw_name), 0);
	else
		snprintf(out, 33, "%u", (unsigned)uid);
}

static void comm_of(const char comm[PROBE_COMM_LEN], char out[64])
{
	sanitize_copy(out, 64, comm, strnlen(comm, PROBE_COMM_LEN), 0);
}

/* The process the kernel side recorded; `last` (or NULL) spares a passwd lookup per socket. */
static void who_of(struct probe_process *out, __u32 pid, __u64 start_ns, __u32 uid,
		   const char comm[PROBE_COMM_LEN], const struct probe_process *last)
{
	out->pid = (pid_t)pid;
	out->uid = uid;
	out->start_time = ticks_of(start_ns);
	if (last && last->uid == out->uid)
		memcpy(out->user, last->user, sizeof(out->user));
	else
		user_of(out->uid, out->user);
	comm_of(comm, out->comm);
}

static int dest_key_cmp(const void *x, const void *y)
{
	return memcmp(x, y, sizeof(struct probe_dest_key));
}

static int proc_key_cmp(const void *x, const void *y)
{
	const struct probe_proc_key *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->start_ns > b->start_ns) - (a->start_ns < b->start_ns);
}

static int failing_cmp(const void *x, const void *y)
{
	return proc_key_cmp(&((const struct failing *)x)->key, &((const struct failing *)y)->key);
}

/* Destinations in process order (the proc key leads), then address and port. */
static int failing_dest_cmp(const void *x, const void *y)
{
	const struct failing_dest *a = x, *b = y;
	int c = proc_key_cmp(&a->key.proc, &b->key.proc);

	return c ? c : dest_key_cmp(&a->key, &b->key);
}

/* Every entry of fd for netns; value_size bytes after each key_size-byte key in *items. */
static int walk_map(int fd, __u32 netns, size_t key_size, size_t value_size, void **items,
		    size_t *n, size_t *cap)
{
	size_t item = key_size + value_size;
	char key[sizeof(struct probe_dest_key)], next[sizeof(struct probe_dest_key)];
	void *prev = NULL;

	*n = 0;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		char *slot;

		memcpy(key, next, key_size);
		prev = key;
		if (*(const __u32 *)key != netns)
			continue;  /* every key starts with its namespace */
		if (vec_reserve(items, cap, *n + 1, item) < 0)
			return -ENOMEM;
		slot = (char *)*items + *n * item;
		memcpy(slot, key, key_size);
		if (bpf_map_lookup_elem(fd, key, slot + key_size) == 0)
			(*n)++;  /* else evicted meanwhile */
	}
	return errno == ENOENT ? 0 : -errno;
}

/* Count of key at the previous read (count itself the first time, so no rate yet). */
static __u64 previous_count(const struct probes *p, const struct probe_dest_key *key, __u64 count)
{
	const struct probes_seen *hit;

	if (!p->read_before)
		return count;
	if (p->n_seen == 0)
		return 0;
	hit = bsearch(key, p->seen, p->n_seen, sizeof(*p->seen), dest_key_cmp);
	return hit ? hit->count : 0;
}

static int remember(struct probes *p, const struct probe_dest_key *key, __u64 count)
{
	if (vec_reserve((void **)&p->seen_next, &p->cap_seen_next, p->n_seen_next + 1,
			sizeof(*p->seen_next)) < 0)
		return -ENOMEM;
	p->seen_next[p->n_seen_next].key = *key;
	p->seen_next[p->n_seen_next++].count = count;
	return 0;
}

static int add_failure(struct probes *p, struct probe_facts *f, const struct failing *fp)
{
	struct probe_failure out = { 0 };
	struct probe_dest_key whole = { .proc = fp->key, .pad = { 1 } }; /* the process itself */

	who_of(&out.who, fp->key.pid, fp->key.start_ns, fp->value.uid, fp->value.comm, NULL);
	out.count = fp->value.count;
	out.previous = previous_count(p, &whole, out.count);
	if (remember(p, &whole, out.count) < 0)
		return -ENOMEM;
	return probe_facts_add_failure(f, &out);
}

static int add_dest(struct probes *p, struct probe_facts *f, const struct failing_dest *d)
{
	struct probe_failure_dest out = { 0 };

	memcpy(out.remote, d->key.remote, sizeof(out.remote));
	out.port = d->key.port;
	out.count = d->count;
	out.previous = previous_count(p, &d->key, d->count);
	if (remember(p, &d->key, d->count) < 0)
		return -ENOMEM;
	return probe_facts_add_dest(f, &out);
}

/* The failing processes of our namespace, each followed by its destinations. */
static int read_failures(struct probes *p, struct probe_facts *f)
{
	struct failing *procs = NULL;
	struct failing_dest *dests = NULL;
	size_t n_procs = 0, n_dests = 0, cap_procs = 0, cap_dests = 0, d = 0;
	int err = walk_map(p->fail_procs_fd, p->netns, sizeof(struct probe_proc_key),
			   sizeof(struct probe_proc_value), (void **)&procs, &n_procs, &cap_procs);

	if (!err)
		err = walk_map(p->fail_dests_fd, p->netns, sizeof(struct probe_dest_key),
			       sizeof(__u64), (void **)&dests, &n_dests, &cap_dests);
	if (n_procs)
		qsort(procs, n_procs, sizeof(*procs), failing_cmp);
	if (n_dests)
		qsort(dests, n_dests, sizeof(*dests), failing_dest_cmp);
	for (size_t i = 0; !err && i < n_procs; i++) {
		err = add_failure(p, f, &procs[i]);
		while (d < n_dests && proc_key_cmp(&dests[d].key.proc, &procs[i].key) < 0)
			d++;  /* its process was evicted: nothing to hang it on */
		for (; !err && d < n_dests && proc_key_cmp(&dests[d].key.proc, &procs[i].key) == 0; d++)
			err = add_dest(p, f, &dests[d]);
	}
	free(procs);
	free(dests);
	return err;
}

/* Connections per process of our namespace, for NEW/s. */
static int read_connects(struct probes *p, struct probe_facts *f)
{
	struct failing *rows = NULL;  /* the same layout as the failing processes' */
	size_t n = 0, cap = 0;
	int err = walk_map(p->connects_fd, p->netns, sizeof(struct probe_proc_key),
			   sizeof(struct probe_proc_value), (void **)&rows, &n, &cap);

	for (size_t i = 0; !err && i < n; i++) {
		struct probe_dest_key seen = { .proc = rows[i].key, .pad = { 2 } }; /* "connects" */
		struct probe_connects c = { 0 };

		who_of(&c.who, rows[i].key.pid, rows[i].key.start_ns, rows[i].value.uid,
		       rows[i].value.comm, NULL);
		c.count = rows[i].value.count;
		c.previous = previous_count(p, &seen, c.count);
		err = remember(p, &seen, c.count);
		if (!err)
			err = probe_facts_add_connects(f, &c);
	}
	free(rows);
	return err;
}

/* Sockets no process holds (TIME_WAIT, orphans, sockets of exited processes). */
static bool wants_birth(const struct sample *s, size_t i)
{
	const struct sock_rec *rec = &s->socks[i];

	if (rec->protocol != IPPROTO_TCP || rec->state == KTCP_LISTEN || rec->local_port == 0)
		return false;
	return rec->inode == 0 || sample_sock_owner(s, i) == NULL;
}

/* Whether pid still runs with that start time: a process that holds nothing is not gone. */
static bool still_running(pid_t pid, unsigned long long start_time)
{
	char path[64];
	unsigned long long now;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	return procstat_start_time(AT_FDCWD, path, &now) == 0 && now == start_time;
}

static int add_birth(struct probe_facts *f, size_t i, const struct probe_owner *o)
{
	struct probe_birth b = { 0 };
	const struct probe_birth *last = f->n_births ? &f->births[f->n_births - 1] : NULL;

	b.sock = (uint32_t)i;
	who_of(&b.who, o->pid, o->start_ns, o->uid, o->comm, last ? &last->who : NULL);
	/* births of one process come in runs: ask /proc once per run */
	if (last && probe_process_same(&last->who, &b.who))
		b.running = last->running;
	else
		b.running = still_running(b.who.pid, b.who.start_time);
	return probe_facts_add_birth(f, &b);
}

static int known_cmp(const void *x, const void *y)
{
	const struct probes_known *a = x, *b = y;

	return (a->cookie > b->cookie) - (a->cookie < b->cookie);
}

/* The births map's answer for rec: from the previous read when its cookie was asked then. */
static bool birth_of(struct probes *p, const struct sock_rec *rec, struct probe_owner *o)
{
	struct probes_known want = { .cookie = rec->cookie }, *hit = NULL;
	struct probe_tuple_key key = { 0 };
	bool found;

	if (rec->cookie && p->n_known)
		hit = bsearch(&want, p->known, p->n_known, sizeof(*p->known), known_cmp);
	if (hit) {
		*o = hit->owner;
		found = hit->found;
	} else {
		key.netns = p->netns;
		key.local_port = rec->local_port;
		key.remote_port = rec->remote_port;
		memcpy(key.local, rec->local, sizeof(key.local));
		memcpy(key.remote, rec->remote, sizeof(key.remote));
		found = bpf_map_lookup_elem(p->births_fd, &key, o) == 0;
	}
	if (rec->cookie && vec_reserve((void **)&p->known_next, &p->cap_known_next, p->n_known_next + 1,
				       sizeof(*p->known_next)) == 0) {
		struct probes_known *k = &p->known_next[p->n_known_next++];
		k->cookie = rec->cookie;
		k->found = found;
		if (found)
			k->owner = *o;
	}
	return found;
}

static void keep_known(struct probes *p)
{
	struct probes_known *swap = p->known;
	size_t cap = p->cap_known;

	if (p->n_known_next)
		qsort(p->known_next, p->n_known_next, sizeof(*p->known_next), known_cmp);
	p->known = p->known_next;
	p->cap_known = p->cap_known_next;
	p->n_known = p->n_known_next;
	p->known_next = swap;
	p->cap_known_next = cap;
	p->n_known_next = 0;
}

/*
 * One lookup per socket without an owner, cheaper than walking a map of a million;
 * and none for a socket whose cookie was asked at the previous read: a TIME_WAIT's
 * birth came before it, and it keeps its cookie for its 60 s.
 */
static int read_births(struct probes *p, const struct sample *s, struct probe_facts *f)
{
	p->n_known_next = 0;
	for (size_t i = 0; i < s->n_socks; i++) {
		struct probe_owner o;

		if (wants_birth(s, i) && birth_of(p, &s->socks[i], &o) && add_birth(f, i, &o) < 0)
			return -ENOMEM;
	}
	keep_known(p);
	return 0;
}

int probes_read(struct probes *p, struct sample *s)
{
	struct probe_facts *f = &s->probes;
	struct probes_seen *swap;
	size_t cap;
	int err;

	probe_facts_reset(f);
	f->status = PROBE_ON;
	f->pinned = p->pinned;
	f->have_previous = p->read_before;
	if (!s->netns_inode) {  /* no namespace to filter by: no figure rather than a wrong one */
		f->status = PROBE_OFF_LOAD_FAILED;
		f->error = -ENOENT;
		return 0;
	}
	if (s->netns_inode != p->netns) {  /* the first sample, or a source that moved */
		err = probes_watch(p, (__u32)s->netns_inode);
		if (err)
			return err;
	}
	p->n_seen_next = 0;
	err = read_failures(p, f);
	if (!err)
		err = read_connects(p, f);
	if (!err)
		err = read_births(p, s, f);
	if (err)
		return err;
	if (p->n_seen_next)
		qsort(p->seen_next, p->n_seen_next, sizeof(*p->seen_next), dest_key_cmp);
	swap = p->seen;
	p->seen = p->seen_next;
	p->seen_next = swap;
	cap = p->cap_seen;
	p->cap_seen = p->cap_seen_next;
	p->cap_seen_next = cap;
	p->n_seen = p->n_seen_next;
	p->read_before = true;
	return 0;
}
