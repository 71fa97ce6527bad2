/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "alertcmd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/decimal.h"
#include "util/rfc3339.h"

extern char **environ;

#define ALERTCMD_VARS 12
#define ALERTCMD_VAR_LEN 160

struct alertcmd {
	char *command;
	pid_t children[ALERTCMD_MAX_CHILDREN];
	size_t n_children;
	size_t dropped;    /* changes of the last run not started: see alertcmd_dropped() */
};

int alertcmd_new(struct alertcmd **out, const char *command)
{
	struct alertcmd *a;

	*out = NULL;
	if (!command)
		return 0;
	a = calloc(1, sizeof(*a));
	if (!a || !(a->command = strdup(command))) {
		free(a);
		return -ENOMEM;
	}
	*out = a;
	return 0;
}

void alertcmd_free(struct alertcmd *a)
{
	if (!a)
		return;
	free(a->command);
	free(a);
}

size_t alertcmd_running(const struct alertcmd *a)
{
	return a ? a->n_children : 0;
}

size_t alertcmd_dropped(const struct alertcmd *a)
{
	return a ? a->dropped : 0;
}

/* waitpid on our own children only, never -1: other code may have children too. */
static void reap(struct alertcmd *a)
{
	size_t kept = 0;

	for (size_t i = 0; i < a->n_children; i++) {
		pid_t r = waitpid(a->children[i], NULL, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR))
			a->children[kept++] = a->children[i];
	}
	a->n_children = kept;
}

/* The row holding the most ephemeral ports: the likeliest culprit, named to the command. */
static const struct proc_row *top_row(const struct model *m)
{
	const struct proc_row *top = NULL;

	for (size_t i = 0; i < m->n_rows; i++)
		if (!top || m->rows[i].ephemeral > top->ephemeral)
			top = &m->rows[i];
	return top;
}

/* PORTTOP_ALERT_* = the change's details, as NAME=value strings in vars. */
static size_t fill_vars(char vars[][ALERTCMD_VAR_LEN], const struct alert_change *c,
			const struct model *m)
{
	static const char *const pools[] = { "tcp", "udp", "destination" };
	const struct alert *a = &c->alert;
	const struct proc_row *top = top_row(m);
	char when[RFC3339_LEN] = "", addr[64], percent[32];
	size_t n = 0;
	struct tm tm;

	/* the same string as JSON's since for this alert */
	if (localtime_r(&a->since_wall.tv_sec, &tm))
		rfc3339_format(when, sizeof(when), &tm, a->since_wall.tv_nsec);
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_LEVEL=%s", level_name(a->state.level));
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_PREVIOUS=%s", level_name(c->previous));
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_POOL=%s", pools[a->pool]);
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_NAME=%s", a->name);
	/* "82.5" whatever LC_NUMERIC the live view runs with: a script compares it */
	decimal_format(percent, sizeof(percent), a->percent);
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_PERCENT=%s", percent);
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_SINCE=%s", when);
	/* with --all-netns each namespace raises its own alerts: which one this is */
	snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_NETNS=%llu",
		 (unsigned long long)m->netns_inode);
	if (a->pool == ALERT_POOL_DESTINATION)
		snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_LOCAL=%s",
			 sample_addr_format(a->local, addr, sizeof(addr)));
	if (top) {
		snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_TOP_PID=%d", (int)top->pid);
		snprintf(vars[n++], ALERTCMD_VAR_LEN, "PORTTOP_ALERT_TOP_COMMAND=%s", top->comm);
	}
	return n;
}

/* porttop's environment without PORTTOP_ALERT_* of its own, then vars; NULL-terminated. */
static char **make_env(char vars[][ALERTCMD_VAR_LEN], size_t n_vars)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = malloc((n + n_vars + 1) * sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PORTTOP_ALERT_", 14) != 0)
			env[k++] = environ[i];
	for (size_t i = 0; i < n_vars; i++)
		env[k++] = vars[i];
	env[k] = NULL;
	return env;
}

/*
 * The child: /dev/null for stdin, stdout and stderr (the live view owns the
 * terminal), SIGPIPE back to its default (porttop ignores it, and an ignored signal
 * stays ignored across execve), its own process group (a ^C in the live view is
 * porttop's), then the shell.  Only async-signal-safe calls after fork().
 */
static void child(int devnull, const char *command, char **env)
{
	struct sigaction dfl;
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)command, NULL };

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &dfl, NULL);
	setpgid(0, 0);
	if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
		_exit(126);
	execve("/bin/sh", argv, env);
	_exit(127);
}

static int start(struct alertcmd *a, const struct alert_change *c, const struct model *m)
{
	char vars[ALERTCMD_VARS][ALERTCMD_VAR_LEN];
	char **env = make_env(vars, fill_vars(vars, c, m));
	int devnull, err = 0;
	pid_t pid;

	if (!env)
		return -ENOMEM;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		free(env);
		return -errno;
	}
	pid = fork();
	if (pid == 0)
		child(devnull, a->command, env);
	if (pid < 0)
		err = -errno;
	else
		a->children[a->n_children++] = pid;
	close(devnull);
	free(env);
	return err;
}

int alertcmd_run(struct alertcmd *a, const struct model *m)
{
	int err = 0;

	if (!a)
		return 0;
	reap(a);
	a->dropped = 0;
	for (size_t i = 0; i < m->n_changes; i++) {
		int e;
		/* a command that hangs must not make porttop fork without end; what is left
		 * out is counted, for the caller to say: a lost alert must not go unnoticed */
		if (a->n_children >= ALERTCMD_MAX_CHILDREN) {
			a->dropped = m->n_changes - i;
			break;
		}
		e = start(a, &m->changes[i], m);
		if (e)
			err = e;
	}
	return err;
}
