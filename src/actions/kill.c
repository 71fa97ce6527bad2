/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kill.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sample/procstat.h"

static const struct {
	const char *name;
	int number;
} kill_signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP },
};

#define KILL_SIGNAL_COUNT (sizeof(kill_signals) / sizeof(kill_signals[0]))

int kill_parse_signal(const char *text, int *sig)
{
	char *end;
	long v;

	while (isspace((unsigned char)*text))
		text++;
	if (isdigit((unsigned char)*text)) {
		errno = 0;
		v = strtol(text, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (errno || *end || v < 1 || v > SIGRTMAX)
			return -EINVAL;
		*sig = (int)v;
		return 0;
	}
	if (strncasecmp(text, "SIG", 3) == 0)
		text += 3;
	for (size_t i = 0; i < KILL_SIGNAL_COUNT; i++) {
		size_t len = strlen(kill_signals[i].name);
		if (strncasecmp(text, kill_signals[i].name, len) == 0 &&
		    (text[len] == '\0' || isspace((unsigned char)text[len]))) {
			*sig = kill_signals[i].number;
			return 0;
		}
	}
	return -EINVAL;
}

const char *kill_signal_name(int sig)
{
	for (size_t i = 0; i < KILL_SIGNAL_COUNT; i++)
		if (kill_signals[i].number == sig)
			return kill_signals[i].name;
	return "?";
}

int kill_read_start_time(const char *proc_root, pid_t pid, unsigned long long *start_time)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%d/stat", proc_root, (int)pid);
	return procstat_start_time(AT_FDCWD, path, start_time);
}

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static int pidfd_signal_compat(int pidfd, int sig)
{
#ifdef SYS_pidfd_send_signal
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
	(void)pidfd;
	(void)sig;
	errno = ENOSYS;
	return -1;
#endif
}

static int check_identity(const char *proc_root, pid_t pid, unsigned long long start_time)
{
	unsigned long long now;
	int err = kill_read_start_time(proc_root, pid, &now);

	if (err)
		return err;
	return start_time && now != start_time ? -ESRCH : 0;
}

int kill_pin(struct kill_target *t, const char *proc_root, pid_t pid, unsigned long long start_time)
{
	int err;

	t->pid = pid;
	t->start_time = start_time;
	t->pidfd = pidfd_open_compat(pid);
	if (t->pidfd < 0 && errno == ESRCH)
		return -ESRCH;
	/* Checked after pinning: if it matches now, the pidfd holds that very process. */
	err = check_identity(proc_root, pid, start_time);
	if (err)
		kill_release(t);
	return err;
}

int kill_send(struct kill_target *t, const char *proc_root, int sig)
{
	int err;

	if (t->pidfd >= 0)
		return pidfd_signal_compat(t->pidfd, sig) < 0 ? -errno : 0;
	/* No pidfd (old kernel): the start time check narrows the race to a few microseconds. */
	err = check_identity(proc_root, t->pid, t->start_time);
	if (err)
		return err;
	return kill(t->pid, sig) < 0 ? -errno : 0;
}

void kill_release(struct kill_target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}
