/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect_rate: connect()+close() throughput on loopback, for the cost of porttop's
 * eBPF probes (bench/bpf-cost.sh runs it in a private network namespace with and
 * without them attached).
 *
 *   connect_rate SECONDS [RATE]
 *
 * A listener thread accepts and closes; the main thread connects to it and closes
 * with SO_LINGER 0 (an RST: no TIME_WAIT, so the port range never runs dry however
 * long it runs), as fast as it can or paced to RATE connects per second.  Prints
 * "connects=N seconds=S rate=R cpu_us_per_connect=C" (C: this process's user+system
 * time, where the probes run, per connect).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int listener;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void *accept_loop(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(listener, NULL, NULL);
		if (fd >= 0)
			close(fd);
		else if (errno != EINTR && errno != ECONNABORTED)
			return NULL;
	}
}

static int connect_close(const struct sockaddr_in *to)
{
	struct linger rst = { 1, 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
	close(fd);
	return 0;
}

static int listen_loopback(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int one = 1;

	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (listener < 0 || bind(listener, (struct sockaddr *)addr, sizeof(*addr)) < 0 ||
	    listen(listener, 4096) < 0 || getsockname(listener, (struct sockaddr *)addr, &len) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0, rate = argc > 2 ? atof(argv[2]) : 0;
	struct sockaddr_in to;
	pthread_t thread;
	unsigned long n = 0, failed = 0;
	double t0, t, cpu0;

	if (seconds <= 0 || rate < 0) {
		fprintf(stderr, "usage: connect_rate SECONDS [RATE]\n");
		return 2;
	}
	if (listen_loopback(&to) < 0 || pthread_create(&thread, NULL, accept_loop, NULL) != 0) {
		perror("connect_rate: listener");
		return 1;
	}
	t0 = now();
	cpu0 = cpu_seconds();
	while ((t = now()) - t0 < seconds) {
		if (rate > 0 && (double)n > (t - t0) * rate) {
			struct timespec pause = { 0, 50000 };  /* ahead of the pace: wait 50 us */
			nanosleep(&pause, NULL);
			continue;
		}
		if (connect_close(&to) < 0)
			failed++;
		else
			n++;
	}
	t = now() - t0;
	printf("connects=%lu failed=%lu seconds=%.2f rate=%.0f cpu_us_per_connect=%.2f\n", n, failed, t,
	       (double)n / t, n ? (cpu_seconds() - cpu0) * 1e6 / (double)n : 0);
	return 0;
}
