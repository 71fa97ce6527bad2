#include "procinfo.h"

#include <errno.h>
#include <libproc2/pids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

/* libproc2 takes at most this many pids per select (FILL_ID_MAX in pids.c). */
#define PROCINFO_BATCH 255

enum procinfo_item { ITEM_PID, ITEM_EUID, ITEM_EUSER, ITEM_CMD, ITEM_CMDLINE_V, ITEM_STARTED };

static enum pids_item procinfo_items[] = {
	PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EUSER, PIDS_CMD, PIDS_CMDLINE_V, PIDS_TICS_BEGAN,
};

struct procinfo {
	struct pids_info *info;
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

void procinfo_close(struct procinfo *pi)
{
	if (!pi)
		return;
	procps_pids_unref(&pi->info);
	free(pi);
}

static struct proc_rec *find_proc(struct sample *s, pid_t pid)
{
	/* owners_scan appends in /proc order, which is ascending pid */
	size_t lo = 0, hi = s->n_procs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n_procs && s->procs[lo].pid == pid)
		return &s->procs[lo];
	for (size_t i = 0; i < s->n_procs; i++)  /* in case /proc was not in order */
		if (s->procs[i].pid == pid)
			return &s->procs[i];
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

int procinfo_fill(struct procinfo *pi, struct sample *s)
{
	unsigned pids[PROCINFO_BATCH];

	for (size_t start = 0; start < s->n_procs; start += PROCINFO_BATCH) {
		size_t n = s->n_procs - start < PROCINFO_BATCH ? s->n_procs - start : PROCINFO_BATCH;
		struct pids_fetch *fetch;

		for (size_t i = 0; i < n; i++)
			pids[i] = (unsigned)s->procs[start + i].pid;
		fetch = procps_pids_select(pi->info, pids, (int)n, PIDS_SELECT_PID);
		if (!fetch)
			continue; /* all of them gone: their rows keep "?" */
		for (int i = 0; i < fetch->counts->total; i++) {
			struct pids_stack *stack = fetch->stacks[i];
			struct proc_rec *p = find_proc(s, PIDS_VAL(ITEM_PID, s_int, stack, NULL));
			if (p && fill_one(p, stack) < 0)
				return -ENOMEM;
		}
	}
	mark_unknown(s);
	return 0;
}
