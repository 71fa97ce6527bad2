/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The remedies: signal parsing, pinned kills on real processes, range validation. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actions/kill.h"
#include "actions/range.h"
#include "sample/procstat.h"
#include "check.h"

static void test_signal_names_and_numbers_are_accepted(void)
{
	int sig = 0;
	CHECK_EQ(kill_parse_signal("TERM", &sig), 0);
	CHECK_EQ(sig, SIGTERM);
	CHECK_EQ(kill_parse_signal("sigkill", &sig), 0);
	CHECK_EQ(sig, SIGKILL);
	CHECK_EQ(kill_parse_signal(" Hup ", &sig), 0);
	CHECK_EQ(sig, SIGHUP);
	CHECK_EQ(kill_parse_signal("9", &sig), 0);
	CHECK_EQ(sig, 9);
	CHECK_EQ(kill_parse_signal("TERMX", &sig), -EINVAL);
	CHECK_EQ(kill_parse_signal("0", &sig), -EINVAL);
	CHECK_EQ(kill_parse_signal("999", &sig), -EINVAL);
	CHECK_EQ(kill_parse_signal("9x", &sig), -EINVAL);
	CHECK_EQ(kill_parse_signal("", &sig), -EINVAL);
	CHECK_STR(kill_signal_name(SIGTERM), "TERM");
}

static pid_t sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		alarm(30);  /* bounded even if the test dies */
		pause();
		_exit(0);
	}
	return pid;
}

static void test_pinned_kill_signals_the_same_process(void)
{
	struct kill_target t;
	unsigned long long start;
	int status;
	pid_t pid = sleeper();

	CHECK_EQ(kill_read_start_time("/proc", pid, &start), 0);
	CHECK(start > 0);
	CHECK_EQ(kill_pin(&t, "/proc", pid, start), 0);
	CHECK_EQ(kill_send(&t, "/proc", SIGTERM), 0);
	kill_release(&t);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

static void test_process_replaced_since_sampling_is_not_pinned(void)
{
	struct kill_target t;
	unsigned long long start;
	pid_t pid = sleeper();

	CHECK_EQ(kill_read_start_time("/proc", pid, &start), 0);
	CHECK_EQ(kill_pin(&t, "/proc", pid, start + 1), -ESRCH);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_start_time_is_field_22_after_the_last_parenthesis(void)
{
	/* a comm with spaces and parentheses must not shift the fields */
	const char *line = "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
			   "987654 1000 200 18446744073709551615\n";
	unsigned long long start = 0;

	CHECK_EQ(procstat_parse_start_time(line, &start), 0);
	CHECK_EQ(start, 987654);
	CHECK_EQ(procstat_parse_start_time("4242 (short) S 1 2 3\n", &start), -EINVAL);
	CHECK_EQ(procstat_parse_start_time("no parenthesis", &start), -EINVAL);
	CHECK_EQ(procstat_start_time(AT_FDCWD, "/proc/self/stat", &start), 0);
	CHECK(start > 0);
	CHECK_EQ(procstat_start_time(AT_FDCWD, "/proc/0/stat", &start), -ESRCH);
}

static void test_exited_process_is_never_signalled(void)
{
	struct kill_target t;
	unsigned long long start;
	int status;
	pid_t pid = sleeper();

	CHECK_EQ(kill_read_start_time("/proc", pid, &start), 0);
	CHECK_EQ(kill_pin(&t, "/proc", pid, start), 0);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	/* reaped: its pid may belong to anyone now, the pidfd still names the dead one */
	CHECK_EQ(kill_send(&t, "/proc", SIGTERM), -ESRCH);
	kill_release(&t);
	CHECK_EQ(kill_pin(&t, "/proc", pid, start), -ESRCH);
}

static void fixture(struct sample *s, struct model *m)
{
	sample_init(s);
	model_init(m);
	s->sys.low = 32768;
	s->sys.high = 60999;
	s->sys.unprivileged_port_start = 1024;
	m->tcp.in_use = 1000;
	m->udp.in_use = 10;
}

static void test_range_syntax_and_bounds_are_refused(void)
{
	struct sample s;
	struct model m;
	struct range_check rc;
	int lo, hi;

	fixture(&s, &m);
	CHECK_EQ(range_parse("40000 60999", &lo, &hi), 0);
	CHECK(lo == 40000 && hi == 60999);
	CHECK_EQ(range_parse(" 40000-60999\n", &lo, &hi), 0);
	CHECK_EQ(range_parse("40000 - 60999", &lo, &hi), 0);
	CHECK_EQ(range_parse("40000", &lo, &hi), -EINVAL);
	CHECK_EQ(range_parse("a b", &lo, &hi), -EINVAL);
	CHECK_EQ(range_parse("1 2 3", &lo, &hi), -EINVAL);
	range_check("x", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_SYNTAX);
	range_check("0 100", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_BOUNDS);
	range_check("40000 70000", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_BOUNDS);
	range_check("40000 99999999999999999999", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_BOUNDS);
	range_check("50000 40000", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_ORDER);
	range_check("32768 60999", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_UNCHANGED);
}

static void test_range_smaller_than_ports_in_use_is_refused(void)
{
	struct sample s;
	struct model m;
	struct range_check rc;

	fixture(&s, &m);
	range_check("40000 40998", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_TOO_SMALL);
	CHECK_EQ(rc.in_use, 1000);
	range_check("40000 40999", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_OK);
	CHECK(rc.warnings & RANGE_WARN_SMALLER);
	CHECK(!(rc.warnings & RANGE_WARN_PARITY));
}

static void test_range_warnings_name_what_is_inside(void)
{
	struct sample s;
	struct model m;
	struct range_check rc;
	struct sock_rec l;

	fixture(&s, &m);
	memset(&l, 0, sizeof(l));
	l.protocol = IPPROTO_TCP;
	l.state = KTCP_LISTEN;
	l.local_port = 8080;
	sample_add_sock(&s, &l);
	s.sys.reserved[8081 / 8] |= 1u << (8081 % 8);
	range_check("1000 61000", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_ERR_PRIVILEGED);  /* the kernel would answer EINVAL */
	CHECK_EQ(rc.unprivileged_port_start, 1024);
	range_check("1024 61000", &s, &m, &rc);
	CHECK_EQ(rc.error, RANGE_OK);
	CHECK(rc.warnings & RANGE_WARN_PARITY);
	CHECK(rc.warnings & RANGE_WARN_LISTENERS);
	CHECK(rc.warnings & RANGE_WARN_RESERVED);
	CHECK(!(rc.warnings & RANGE_WARN_SMALLER));
	CHECK_EQ(rc.n_listeners, 1);
	CHECK_EQ(rc.listeners[0], 8080);
	CHECK_EQ(rc.n_reserved, 1);
	CHECK_EQ(rc.usable, 59976);  /* 61000 - 1024 + 1, minus 8081 */
	sample_free(&s);
}

int main(void)
{
	RUN(test_signal_names_and_numbers_are_accepted);
	RUN(test_pinned_kill_signals_the_same_process);
	RUN(test_process_replaced_since_sampling_is_not_pinned);
	RUN(test_start_time_is_field_22_after_the_last_parenthesis);
	RUN(test_exited_process_is_never_signalled);
	RUN(test_range_syntax_and_bounds_are_refused);
	RUN(test_range_smaller_than_ports_in_use_is_refused);
	RUN(test_range_warnings_name_what_is_inside);
	CHECK_DONE();
}
