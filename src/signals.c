/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "signals.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

/*
 * A signal ignored from the start was ignored on purpose, and exec keeps it so
 * (SIG_IGN survives execve): nohup ignores SIGHUP so that a recording outlives the
 * login, and a shell ignores SIGINT for a command started with & without job
 * control, so that C-c at the terminal stops the foreground job only.
 */
static void catch_unless_ignored(int sig, const struct sigaction *sa)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	sigaction(sig, sa, NULL);
}

void signals_catch_quit(void (*handler)(int))
{
	static const int quit[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(quit) / sizeof(quit[0]); i++)
		catch_unless_ignored(quit[i], &sa);
}
