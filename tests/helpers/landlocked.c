/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * landlocked CMD [ARG...]: runs CMD inside a Landlock domain of its own, as a
 * sandbox would.  The ruleset restricts nothing CMD needs (only the creation of
 * block devices), but a process in a Landlock domain may not trace, nor read the fd
 * links of, any process outside it (Landlock's ptrace_access_check hook), whatever
 * its capabilities: a real security-module refusal, for tests of what porttop says
 * then.  Exits 77 (skip) where Landlock is unavailable.
 */
#include <linux/landlock.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK };
	long fd;

	if (argc < 2) {
		fprintf(stderr, "usage: landlocked CMD [ARG...]\n");
		return 2;
	}
	fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		perror("landlocked: landlock_create_ruleset");
		return 77;
	}
	/* no_new_privs: what landlock_restrict_self asks of a caller without CAP_SYS_ADMIN */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
		perror("landlocked: landlock_restrict_self");
		return 77;
	}
	close((int)fd);
	execvp(argv[1], argv + 1);
	perror("landlocked: exec");
	return 127;
}
