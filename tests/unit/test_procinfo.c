/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procinfo keeps a process's facts by (pid, start time): a renamed process shows
 * its new name once the kept facts are 10 s old, and a new process under a kept
 * pid is read at once.  Checked on this test process itself, through libproc2.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "check.h"
#include "sample/procinfo.h"
#include "sample/procstat.h"
#include "core/sample.h"

/* Field 22 of /proc/self/stat, as the owner scan reads it. */
static unsigned long long own_start_time(void)
{
	unsigned long long v = 0;

	return procstat_start_time(AT_FDCWD, "/proc/self/stat", &v) == 0 ? v : 0;
}

/* The name procinfo gives this process in a sample taken at `when`. */
static const char *name_at(struct procinfo *pi, double when, unsigned long long start)
{
	static char comm[64];
	struct sample s;
	struct proc_rec p = { .pid = getpid(), .start_time = start, .cmdline = "" };

	sample_init(&s);
	s.monotonic = when;
	sample_add_proc(&s, &p, NULL);
	if (procinfo_fill(pi, &s) < 0)
		strcpy(comm, "(failed)");
	else
		snprintf(comm, sizeof(comm), "%s", s.procs[0].comm);
	sample_free(&s);
	return comm;
}

static void test_a_new_name_shows_once_the_kept_facts_are_old(void)
{
	struct procinfo *pi;
	unsigned long long start = own_start_time();

	CHECK(start > 0);
	CHECK_EQ(procinfo_open(&pi), 0);
	prctl(PR_SET_NAME, "first-name");
	CHECK_STR(name_at(pi, 100, start), "first-name");
	prctl(PR_SET_NAME, "second-name");
	CHECK_STR(name_at(pi, 102, start), "first-name");   /* kept: 2 s old */
	CHECK_STR(name_at(pi, 110.5, start), "second-name"); /* 10.5 s: read again */
	procinfo_close(pi);
}

static void test_another_process_under_a_kept_pid_is_read_at_once(void)
{
	struct procinfo *pi;
	unsigned long long start = own_start_time();

	CHECK_EQ(procinfo_open(&pi), 0);
	prctl(PR_SET_NAME, "old-process");
	CHECK_STR(name_at(pi, 100, start), "old-process");
	prctl(PR_SET_NAME, "new-process");
	/* the owner scan saw another start time: not the process whose facts are kept */
	CHECK_STR(name_at(pi, 101, start + 1), "new-process");
	procinfo_close(pi);
}

static void test_a_process_that_left_the_sample_is_forgotten(void)
{
	struct procinfo *pi;
	struct sample s;
	unsigned long long start = own_start_time();

	CHECK_EQ(procinfo_open(&pi), 0);
	prctl(PR_SET_NAME, "kept-name");
	CHECK_STR(name_at(pi, 100, start), "kept-name");
	sample_init(&s);  /* a sample without this process */
	s.monotonic = 101;
	CHECK_EQ(procinfo_fill(pi, &s), 0);
	sample_free(&s);
	prctl(PR_SET_NAME, "fresh-name");
	CHECK_STR(name_at(pi, 102, start), "fresh-name");
	procinfo_close(pi);
}

int main(void)
{
	RUN(test_a_new_name_shows_once_the_kept_facts_are_old);
	RUN(test_another_process_under_a_kept_pid_is_read_at_once);
	RUN(test_a_process_that_left_the_sample_is_forgotten);
	CHECK_DONE();
}
