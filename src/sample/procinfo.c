/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "procinfo.h"

#include <errno.h>
#include <libproc2/pids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroupread.h"
#include "util/sanitize.h"
#include "util/search.h"
#include "util/vec.h"

/* libproc2 takes at most this many pids per select (FILL_ID_MAX in pids.c). */
#define PROCINFO_BATCH 255

enum procinfo_item { ITEM_PID, ITEM_EUID, ITEM_EUSER, ITEM_CMD, ITEM_CMDLINE_V, ITEM_STARTED };

static enum pids_item procinfo_items[] = {
	PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EUSER, PIDS_CMD, PIDS_CMDLINE_V, PIDS_TICS_BEGAN,
};

/*
 * Reading a process's facts costs three /proc files (about 30 us): at 500
 * processes, more than the rest of a steady refresh's owner work.  So the facts of
 * a process, known by (pid, start time) from the owner scan, are kept and read
 * again only after a while: a changed title (setproctitle, prctl) shows within
 * PROCINFO_MAX_AGE seconds, a new process at once.  Only the processes of the last
 * sample are kept.
 */
#define PROCINFO_MAX_AGE 10.0

struct known_proc {
	pid_t pid;
	uid_t uid;
	unsigned long long start_time;
	double read_at;     /* sample.monotonic of the reading */
	char user[33];
	char comm[64];
	char container[CGROUP_NAME_MAX];
	char *cmdline;
};

struct known_list {
	struct known_proc *v;
	size_t n, cap;
};

struct procinfo {
	struct pids_info *info;
	struct known_list known;   /* by pid */
	struct known_list next;    /* being built for the next fill */
	pid_t *wanted;             /* pids to read this time */
	size_t cap_wanted;
};

int procinfo_open(struct procinfo **out)
{
	struct procinfo *pi = calloc(1, sizeof(*pi));
	int err;

	if (!pi)
		return -ENOMEM;
	err = procps_pids_new(&pi->info, procinfo_items,
			      (int)(sizeof(procinfo_items) / sizeof(procinfo_items[0])));
	if (err < 0) {
		free(pi);
		return err;
	}
	*out = pi;
	return 0;
}

static void known_clear(struct known_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].cmdline);
	l->n = 0;
}

void procinfo_close(struct procinfo *pi)
{
	if (!pi)
		return;
	procps_pids_unref(&pi->info);
	known_clear(&pi->known);
	known_clear(&pi->next);
	free(pi->known.v);
	free(pi->next.v);
	free(pi->wanted);
	free(pi);
}

/* owners_scan adds the processes in ascending pid order (it sorts /proc's listing) */
SEARCH_LOWER_BOUND_DEFINE(proc_lower_bound, struct proc_rec, pid_t, .pid)

static struct proc_rec *find_proc(struct sample *s, pid_t pid)
{
	size_t lo = proc_lower_bound(s->procs, s->n_procs, pid);

	if (lo < s->n_procs && s->procs[lo].pid == pid)
		return &s->procs[lo];
	return NULL;
}

/* argv joined by spaces, each argument sanitized; the kernel's NULs never reach a terminal. */
static char *join_argv(char **argv)
{
	size_t cap = 1, len = 0;
	char *out;

	for (char **a = argv; a && *a; a++)
		cap += strlen(*a) * 4 + 1;
	out = malloc(cap);
	if (!out)
		return NULL;
	out[0] = '\0';
	for (char **a = argv; a && *a; a++) {
		if (len)
			out[len++] = ' ';
		len += sanitize_copy(out + len, cap - len, *a, strlen(*a), 0);
	}
	return out;
}

/* libproc2 reads /proc too; a process gone or closed to us is on the host as far as we know. */
static void fill_container(struct proc_rec *p)
{
	struct cgroup_identity id;

	if (cgroupread_identity("/proc", p->pid, &id) == 0 && cgroup_is_container(&id))
		memcpy(p->container, id.name, sizeof(p->container));
	else
		p->container[0] = '\0';
}

static int fill_one(struct proc_rec *p, struct pids_stack *stack)
{
	const char *user = PIDS_VAL(ITEM_EUSER, str, stack, NULL);
	const char *cmd = PIDS_VAL(ITEM_CMD, str, stack, NULL);
	char **argv = PIDS_VAL(ITEM_CMDLINE_V, strv, stack, NULL);
	char *cmdline;

	p->uid = PIDS_VAL(ITEM_EUID, u_int, stack, NULL);
	p->start_time = PIDS_VAL(ITEM_STARTED, ull_int, stack, NULL);
	sanitize_copy(p->user, sizeof(p->user), user ? user : "?", user ? strlen(user) : 1, 0);
	sanitize_copy(p->comm, sizeof(p->comm), cmd ? cmd : "?", cmd ? strlen(cmd) : 1, 0);
	/* Kernel threads and zombies have no argv: show the name as top does. */
	cmdline = argv && argv[0] && argv[0][0] ? join_argv(argv) : strdup(p->comm);
	if (!cmdline)
		return -ENOMEM;
	fill_container(p);
	free(p->cmdline);
	p->cmdline = cmdline;
	return 0;
}

static void mark_unknown(struct sample *s)
{
	for (size_t i = 0; i < s->n_procs; i++) {
		struct proc_rec *p = &s->procs[i];
		if (p->comm[0] == '\0') {
			strcpy(p->comm, "?");
			strcpy(p->user, "?");
		}
	}
}

/* Staggered by pid between half and all of PROCINFO_MAX_AGE, so re-reads spread out. */
static double max_age(pid_t pid)
{
	unsigned spread = ((unsigned)pid * 2654435761u) >> 22;  /* 0..1023 */
	return PROCINFO_MAX_AGE * (0.5 + spread / 2048.0);
}

SEARCH_LOWER_BOUND_DEFINE(known_lower_bound, struct known_proc, pid_t, .pid)

static const struct known_proc *known_find(const struct known_list *l, pid_t pid)
{
	size_t lo = known_lower_bound(l->v, l->n, pid);

	return lo < l->n && l->v[lo].pid == pid ? &l->v[lo] : NULL;
}

static int known_push(struct known_list *l, const struct proc_rec *p, double read_at)
{
	struct known_proc *k;
	char *cmdline = strdup(p->cmdline ? p->cmdline : "");

	if (!cmdline || vec_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0) {
		free(cmdline);
		return -ENOMEM;
	}
	k = &l->v[l->n++];
	k->pid = p->pid;
	k->uid = p->uid;
	k->start_time = p->start_time;
	k->read_at = read_at;
	memcpy(k->user, p->user, sizeof(k->user));
	memcpy(k->comm, p->comm, sizeof(k->comm));
	memcpy(k->container, p->container, sizeof(k->container));
	k->cmdline = cmdline;
	return 0;
}

/* The kept facts of p, if they are of the same process and fresh enough. */
static int take_known(const struct known_proc *k, struct proc_rec *p, double now, bool *taken)
{
	char *cmdline;

	*taken = false;
	if (!k || p->start_time == 0 || k->start_time != p->start_time ||
	    now - k->read_at >= max_age(p->pid) || now < k->read_at)
		return 0;
	cmdline = strdup(k->cmdline);
	if (!cmdline)
		return -ENOMEM;
	free(p->cmdline);
	p->cmdline = cmdline;
	p->uid = k->uid;
	memcpy(p->user, k->user, sizeof(p->user));
	memcpy(p->comm, k->comm, sizeof(p->comm));
	memcpy(p->container, k->container, sizeof(p->container));
	*taken = true;
	return 0;
}

static int fetch(struct procinfo *pi, struct sample *s, const pid_t *pids, size_t n_pids)
{
	unsigned batch[PROCINFO_BATCH];

	for (size_t start = 0; start < n_pids; start += PROCINFO_BATCH) {
		size_t n = n_pids - start < PROCINFO_BATCH ? n_pids - start : PROCINFO_BATCH;
		struct pids_fetch *f;

		for (size_t i = 0; i < n; i++)
			batch[i] = (unsigned)pids[start + i];
		f = procps_pids_select(pi->info, batch, (int)n, PIDS_SELECT_PID);
		if (!f)
			continue; /* all of them gone: their rows keep "?" */
		for (int i = 0; i < f->counts->total; i++) {
			struct pids_stack *stack = f->stacks[i];
			struct proc_rec *p = find_proc(s, PIDS_VAL(ITEM_PID, s_int, stack, NULL));
			if (p && fill_one(p, stack) < 0)
				return -ENOMEM;
			if (p && known_push(&pi->next, p, s->monotonic) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static int known_pid_cmp(const void *a, const void *b)
{
	const struct known_proc *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

int procinfo_fill(struct procinfo *pi, struct sample *s)
{
	size_t n_wanted = 0;
	int err = 0;

	if (vec_reserve((void **)&pi->wanted, &pi->cap_wanted, s->n_procs, sizeof(*pi->wanted)) < 0)
		return -ENOMEM;
	known_clear(&pi->next);
	for (size_t i = 0; i < s->n_procs && !err; i++) {
		struct proc_rec *p = &s->procs[i];
		const struct known_proc *k = known_find(&pi->known, p->pid);
		bool taken;

		err = take_known(k, p, s->monotonic, &taken);
		if (!err && taken)
			err = known_push(&pi->next, p, k->read_at);
		else if (!err)
			pi->wanted[n_wanted++] = p->pid;
	}
	if (!err)
		err = fetch(pi, s, pi->wanted, n_wanted);
	if (err) {
		known_clear(&pi->known);  /* read everything again next time */
		return err;
	}
	if (pi->next.n > 1)
		qsort(pi->next.v, pi->next.n, sizeof(*pi->next.v), known_pid_cmp);
	struct known_list t = pi->known;
	pi->known = pi->next;
	pi->next = t;
	mark_unknown(s);
	return 0;
}
