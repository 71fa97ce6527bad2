/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loadgen: a bounded socket load in a private network namespace, for bench/run.
 *
 *   loadgen [-n SOCKETS] [-p PROCS] [-r CHANGES_PER_S] [-d SECONDS] [-- COMMAND [ARG...]]
 *
 * Unshares a network namespace (root, or an unprivileged user namespace), brings up its
 * loopback, raises its backlog sysctls (inside the namespace only), then forks PROCS
 * workers that together hold about SOCKETS TCP/UDP sockets on 127.0.0.0/8:
 *   per worker one listener, 70 % established pairs (both ends held by the worker),
 *   10 % TIME_WAIT (no fd), the rest UDP (half of them connected).
 * With -r each worker replaces its share of CHANGES_PER_S sockets every second (an
 * established pair reset and reconnected, or a UDP socket reopened): fd counts stay
 * the same while socket inodes change.
 * When the load is up, COMMAND runs inside the namespace; loadgen ends when it exits,
 * after -d SECONDS at the latest (then COMMAND gets SIGTERM), or on SIGINT/SIGTERM.
 * Every child is ended by its pid; the namespace goes away with the last of them.
 * Prints "loadgen: ..." lines on stderr; exits with COMMAND's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKETS 400000L
#define MAX_PROCS 4000L
#define MAX_SECONDS 3600.0
#define LISTEN_PORT_BASE 20000

struct options {
	long sockets;
	long procs;
	double rate;      /* socket changes per second, all workers together */
	double duration;  /* upper bound of the whole run */
	char **command;
};

struct pair {
	int client, server;
};

struct worker {
	long index;
	int listener;
	struct sockaddr_in listen_addr;
	struct sockaddr_in udp_addr;
	struct pair *pairs;
	size_t n_pairs;
	int *udp;
	size_t n_udp;
	size_t n_tw;
	unsigned long long rng;
};

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long next_random(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static void usage(void)
{
	fprintf(stderr, "usage: loadgen [-n SOCKETS] [-p PROCS] [-r CHANGES_PER_S] [-d SECONDS] "
			"[-- COMMAND [ARG...]]\n"
			"  -n  sockets in all (default 1000, at most %ld)\n"
			"  -p  worker processes (default 10, at most %ld)\n"
			"  -r  socket changes per second, all workers together (default 0)\n"
			"  -d  upper bound of the run in seconds (default 120, at most %.0f)\n",
		MAX_SOCKETS, MAX_PROCS, MAX_SECONDS);
}

static int parse_options(struct options *o, int argc, char **argv)
{
	int c;

	o->sockets = 1000;
	o->procs = 10;
	o->rate = 0;
	o->duration = 120;
	o->command = NULL;
	while ((c = getopt(argc, argv, "+n:p:r:d:h")) != -1) {
		char *end = NULL;
		switch (c) {
		case 'n': o->sockets = strtol(optarg, &end, 10); break;
		case 'p': o->procs = strtol(optarg, &end, 10); break;
		case 'r': o->rate = strtod(optarg, &end); break;
		case 'd': o->duration = strtod(optarg, &end); break;
		default: usage(); return -1;
		}
		if (!end || *end) {
			usage();
			return -1;
		}
	}
	if (o->sockets < 8 || o->sockets > MAX_SOCKETS || o->procs < 1 || o->procs > MAX_PROCS ||
	    o->sockets / o->procs < 2 || o->rate < 0 || o->rate > (double)o->sockets ||
	    o->duration <= 0 || o->duration > MAX_SECONDS) {
		fprintf(stderr, "loadgen: out of bounds: 8 <= sockets <= %ld, 1 <= procs <= %ld, "
				"sockets/procs >= 2, 0 <= rate <= sockets, 0 < seconds <= %.0f\n",
			MAX_SOCKETS, MAX_PROCS, MAX_SECONDS);
		return -1;
	}
	if (optind < argc)
		o->command = argv + optind;
	return 0;
}

static void write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		fprintf(stderr, "loadgen: warning: %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* A network namespace of our own: directly as root, else inside a user namespace. */
static int enter_netns(void)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];

	if (unshare(CLONE_NEWNET) == 0)
		return 0;
	if (errno != EPERM || unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		fprintf(stderr, "loadgen: unshare: %s\n", strerror(errno));
		return -1;
	}
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
	write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	return 0;
}

static int loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -1;
	if (err)
		fprintf(stderr, "loadgen: bringing up lo: %s\n", strerror(errno));
	close(fd);
	return err;
}

static int raise_nofile(long per_worker)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)per_worker + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_cur >= want)
		return 0;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		fprintf(stderr, "loadgen: RLIMIT_NOFILE %lu: %s\n", (unsigned long)want, strerror(errno));
		return -1;
	}
	return 0;
}

static struct sockaddr_in loopback(unsigned b, unsigned c, unsigned d, unsigned port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl((127u << 24) | (b << 16) | (c << 8) | d);
	return a;
}

static int connect_pair(struct worker *w, struct pair *p)
{
	p->client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (p->client < 0)
		return -1;
	if (connect(p->client, (struct sockaddr *)&w->listen_addr, sizeof(w->listen_addr)) < 0) {
		close(p->client);
		return -1;
	}
	p->server = accept4(w->listener, NULL, NULL, SOCK_CLOEXEC);
	if (p->server < 0) {
		close(p->client);
		return -1;
	}
	return 0;
}

/* Closes a pair with a reset: neither end lingers in TIME_WAIT. */
static void reset_pair(struct pair *p)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(p->client, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(p->client);
	close(p->server);
}

/* The client closes first and keeps the TIME_WAIT; both fds are gone after. */
static int make_time_wait(struct worker *w)
{
	struct pair p;
	if (connect_pair(w, &p) < 0)
		return -1;
	close(p.client);
	close(p.server);
	return 0;
}

static int open_udp(struct worker *w, size_t i)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&w->udp_addr, sizeof(w->udp_addr)) < 0) {
		close(fd);
		return -1;
	}
	if (i % 2) {
		struct sockaddr_in peer = loopback(0, 0, 1, 9);
		if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) < 0) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int worker_setup(struct worker *w, long sockets)
{
	long estab = sockets * 70 / 100 / 2;
	long tw = sockets * 10 / 100;
	long udp = sockets - 1 - 2 * estab - tw;

	if (udp < 0) {
		udp = 0;
		tw = sockets - 1 - 2 * estab;
	}
	w->listen_addr = loopback(0, 0, 1, (unsigned)(LISTEN_PORT_BASE + w->index));
	/* each worker binds its UDP sockets to its own address: 64k ports apiece */
	w->udp_addr = loopback(1, (unsigned)(w->index >> 8) & 0xff, (unsigned)w->index & 0xff, 0);
	w->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (w->listener < 0 ||
	    bind(w->listener, (struct sockaddr *)&w->listen_addr, sizeof(w->listen_addr)) < 0 ||
	    listen(w->listener, 4096) < 0)
		return -1;
	w->pairs = calloc((size_t)estab + 1, sizeof(*w->pairs));
	w->udp = calloc((size_t)udp + 1, sizeof(*w->udp));
	if (!w->pairs || !w->udp)
		return -1;
	for (; w->n_pairs < (size_t)estab; w->n_pairs++)
		if (connect_pair(w, &w->pairs[w->n_pairs]) < 0)
			return -1;
	for (; w->n_tw < (size_t)tw; w->n_tw++)
		if (make_time_wait(w) < 0)
			return -1;
	for (; w->n_udp < (size_t)udp; w->n_udp++)
		if ((w->udp[w->n_udp] = open_udp(w, w->n_udp)) < 0)
			return -1;
	return 0;
}

/* Replaces `changes` sockets, pairs and UDP in proportion to what the worker holds. */
static void worker_churn(struct worker *w, long changes)
{
	size_t total = 2 * w->n_pairs + w->n_udp;

	while (changes > 0 && total > 0) {
		size_t pick = (size_t)(next_random(w) % total);
		if (pick < 2 * w->n_pairs) {
			struct pair *p = &w->pairs[pick / 2];
			reset_pair(p);
			if (connect_pair(w, p) < 0)
				_exit(3);
			changes -= 2;
		} else {
			size_t i = pick - 2 * w->n_pairs;
			close(w->udp[i]);
			if ((w->udp[i] = open_udp(w, i)) < 0)
				_exit(3);
			changes -= 1;
		}
	}
}

static void worker_main(struct worker *w, long sockets, double rate, double deadline, int ready_fd)
{
	double per_tick = rate / 10.0, budget = 0;
	struct timespec tick;
	char ok = 'R';

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(1);
	if (worker_setup(w, sockets) < 0) {
		fprintf(stderr, "loadgen: worker %ld: %s\n", w->index, strerror(errno));
		ok = 'E';
	}
	if (write(ready_fd, &ok, 1) != 1 || ok != 'R')
		_exit(2);
	close(ready_fd);
	clock_gettime(CLOCK_MONOTONIC, &tick);
	while (!stop_requested && now() < deadline) {
		tick.tv_nsec += 100000000L;
		if (tick.tv_nsec >= 1000000000L) {
			tick.tv_nsec -= 1000000000L;
			tick.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
		budget += per_tick;
		if (budget >= 1) {
			worker_churn(w, (long)budget);
			budget -= (double)(long)budget;
		}
	}
	_exit(0);
}

/* SIGTERM, then SIGKILL after a grace period, to exactly these pids. */
static void end_children(pid_t *pids, long n)
{
	double until = now() + 5;
	long left = 0;

	for (long i = 0; i < n; i++)
		if (pids[i] > 0 && kill(pids[i], SIGTERM) == 0)
			left++;
	while (left > 0) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			for (long i = 0; i < n; i++)
				if (pids[i] == pid) {
					pids[i] = 0;
					left--;
				}
			continue;
		}
		if (pid < 0 && errno == ECHILD)
			break;
		if (now() > until) {
			for (long i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			until = now() + 3600;
		}
		usleep(10000);
	}
}

static int run_command(char **command, double deadline, pid_t *workers, long n_workers)
{
	pid_t pid = fork();
	int status = 0;
	int termed = 0;

	if (pid < 0)
		return 1;
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execvp(command[0], command);
		fprintf(stderr, "loadgen: %s: %s\n", command[0], strerror(errno));
		_exit(127);
	}
	for (;;) {
		pid_t done = waitpid(-1, &status, WNOHANG);
		if (done == pid)
			break;
		if (done > 0) {
			for (long i = 0; i < n_workers; i++)
				if (workers[i] == done) {
					fprintf(stderr, "loadgen: worker %ld ended early\n", i);
					workers[i] = 0;
				}
			continue;
		}
		if (!termed && (stop_requested || now() > deadline)) {
			fprintf(stderr, "loadgen: %s, ending %s (pid %d)\n",
				stop_requested ? "stopped" : "time is up", command[0], (int)pid);
			kill(pid, SIGTERM);
			termed = 1;
			deadline = now() + 5;
		} else if (termed && now() > deadline) {
			kill(pid, SIGKILL);
			deadline = now() + 3600;
		}
		usleep(20000);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(int argc, char **argv)
{
	struct options o;
	struct sigaction sa;
	pid_t *workers;
	int ready[2], status = 0;
	long ready_count = 0, failed = 0;
	double start = now(), deadline;

	if (parse_options(&o, argc, argv) < 0)
		return 2;
	deadline = start + o.duration;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (enter_netns() < 0 || loopback_up() < 0)
		return 1;
	write_sysctl("/proc/sys/net/core/somaxconn", "65535");
	write_sysctl("/proc/sys/net/ipv4/tcp_max_syn_backlog", "65535");
	if (raise_nofile(o.sockets / o.procs + 1) < 0)
		return 1;

	workers = calloc((size_t)o.procs, sizeof(*workers));
	if (!workers || pipe2(ready, O_CLOEXEC) < 0)
		return 1;
	for (long i = 0; i < o.procs; i++) {
		long share = o.sockets / o.procs + (i < o.sockets % o.procs ? 1 : 0);
		double rate = o.rate / (double)o.procs;
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "loadgen: fork: %s\n", strerror(errno));
			end_children(workers, i);
			return 1;
		}
		if (pid == 0) {
			struct worker w;
			memset(&w, 0, sizeof(w));
			w.index = i;
			w.rng = 0x9e3779b97f4a7c15ULL ^ (unsigned long long)(i + 1) * 0x2545f4914f6cdd1dULL;
			close(ready[0]);
			worker_main(&w, share, rate, deadline, ready[1]);
		}
		workers[i] = pid;
	}
	close(ready[1]);
	while (ready_count + failed < o.procs && !stop_requested) {
		char c;
		ssize_t n = read(ready[0], &c, 1);
		if (n == 1 && c == 'R')
			ready_count++;
		else if (n == 1)
			failed++;
		else if (n == 0 || errno != EINTR)
			break;
	}
	close(ready[0]);
	if (ready_count < o.procs) {
		fprintf(stderr, "loadgen: only %ld of %ld workers came up\n", ready_count, o.procs);
		end_children(workers, o.procs);
		return 1;
	}
	fprintf(stderr, "loadgen: %ld sockets in %ld processes up after %.1f s (pid %d), "
			"%.0f changes/s, at most %.0f s\n",
		o.sockets, o.procs, now() - start, (int)getpid(), o.rate, o.duration);
	if (o.command) {
		status = run_command(o.command, deadline, workers, o.procs);
	} else {
		while (!stop_requested && now() < deadline)
			usleep(100000);
	}
	end_children(workers, o.procs);
	free(workers);
	return status;
}
