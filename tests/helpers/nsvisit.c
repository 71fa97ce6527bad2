/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsvisit PID SECONDS: goes into PID's network namespace and back, every half
 * millisecond, for SECONDS, with its one thread, so that /proc/self/ns/net names
 * the one and then the other, as a tool that reads namespaces with setns() (another
 * porttop) does.  Prints "ok" once both namespaces are open, "done" at the end.
 */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct timespec half_ms = { 0, 500000 };
	char path[64];
	int home, there;
	double end;

	if (argc != 3 || atoi(argv[1]) <= 0 || atof(argv[2]) <= 0) {
		fprintf(stderr, "usage: nsvisit PID SECONDS\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", atoi(argv[1]));
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	there = open(path, O_RDONLY | O_CLOEXEC);
	if (home < 0 || there < 0) {
		perror("nsvisit: open");
		return 1;
	}
	printf("ok\n");
	fflush(stdout);
	for (end = now() + atof(argv[2]); now() < end;) {
		if (setns(there, CLONE_NEWNET) < 0 || (nanosleep(&half_ms, NULL), setns(home, CLONE_NEWNET)) < 0) {
			perror("nsvisit: setns");
			return 1;
		}
		nanosleep(&half_ms, NULL);
	}
	printf("done\n");
	return 0;
}
