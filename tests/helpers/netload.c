/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netload: builds exact socket states for porttop's namespace tests.
 *
 * Reads one command per line on stdin and answers one line on stdout (flushed), so a
 * shell test can drive it step by step and know each step is done before it looks:
 *
 *   listen ADDR PORT [closewait]  TCP listener; accepted sockets are kept open.  Without
 *                                 closewait an accepted socket is closed when its peer
 *                                 closes (so the peer ends in TIME_WAIT); with it, never
 *                                 (so it sits in CLOSE_WAIT).            -> ok PORT
 *   connect ADDR PORT N           N client connections       -> ok N | err ENAME after K
 *   close K                       close the first K open client connections -> ok K
 *   closeall                      close every client connection             -> ok K
 *   shutdown K                    shutdown(SHUT_WR) the first K open client connections and
 *                                 keep their fds: FIN_WAIT2 sockets still held once the
 *                                 peer ACKs (to a closewait listener, for good)
 *                                                                  -> ok K | err ENAME after I
 *   bind ADDR N                   N TCP sockets bound to ADDR:0  -> ok N | err ENAME after K
 *   udp ADDR N                    N UDP sockets bound to ADDR:0  -> ok N | err ENAME after K
 *   churn ADDR PORT MAX           connect+close until connect fails, at most MAX times
 *                                          -> exhausted ENAME after K | ok K
 *   pace ADDR PORT RATE N         N connect+close at RATE a second, on a fixed schedule
 *                                 (N <= 100000, RATE <= 10000) -> exhausted ENAME after K | ok N
 *   churnfail ADDR PORT F         connect+close, and go on after connect() fails, until it
 *                                 has failed F times  -> ok K failed F ENAME (K succeeded)
 *   portrange LO HI               later connect()s use IP_LOCAL_PORT_RANGE LO-HI (Linux 6.3+;
 *                                 0 0: the namespace's range again)       -> ok LO HI
 *                                 | err ENOPROTOOPT (a kernel without it)
 *   name STR                      prctl(PR_SET_NAME); STR may hold \xHH, \NNN, \e, \n, ...
 *   pid | count | accepted        this pid | open client connections | open accepted ones
 *   ports                         local ports of the bind and udp sockets -> N P1 P2 ...
 *   quit                          -> bye, then exit
 *
 * ADDR is IPv4 or IPv6 ("::1" or "[::1]").  The process ends by itself at EOF on stdin
 * or after --deadline SECONDS (default 120), so a crashed test never leaves it behind.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netload-util.h"

static struct fdlist clients;      /* our connect()ed sockets: close K closes the oldest */
static struct fdlist listeners;    /* closing-mode listeners */
static struct fdlist keep_listeners; /* closewait-mode listeners */
static struct fdlist accepted;     /* closed when the peer closes */
static struct fdlist kept;         /* never closed: CLOSE_WAIT when the peer closes */
static struct fdlist holders;      /* bind-only TCP and UDP sockets */

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);  /* the test waits for this line before its next step */
}

/* A socket of ss's family; the error is left in errno. */
static int new_socket(const struct sockaddr_storage *ss, int type)
{
	return socket(ss->ss_family, type | SOCK_CLOEXEC, 0);
}

static void cmd_listen(const char *addr, const char *port_text, const char *mode)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned long port;
	int fd, one = 1;
	bool keep = mode && strcmp(mode, "closewait") == 0;

	if (!parse_count(port_text, &port) || !parse_addr(addr, (unsigned)port, &ss, &len) ||
	    (mode && !keep)) {
		reply("err EINVAL usage: listen ADDR PORT [closewait]");
		return;
	}
	fd = new_socket(&ss, SOCK_STREAM | SOCK_NONBLOCK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		reply("err %s", errno_name(err));
		return;
	}
	fdlist_push(keep ? &keep_listeners : &listeners, fd);
	reply("ok %u", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						      : ((struct sockaddr_in6 *)&ss)->sin6_port));
}

/* IP_LOCAL_PORT_RANGE for client sockets (hi << 16 | lo), 0 for none. */
static unsigned client_port_range;

#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif

/* 0, or the errno of setting range on a socket: a kernel before 6.3 lacks the option
 * (ENOPROTOOPT, do_ip_setsockopt), which the test is to hear before it connects. */
static int port_range_probe(unsigned range)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return errno;
	if (setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &range, sizeof(range)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* One blocking connect; the socket fd, or -errno. */
static int connect_one(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = new_socket(ss, SOCK_STREAM), err;

	if (fd < 0)
		return -errno;
	if (client_port_range &&
	    setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &client_port_range, sizeof(client_port_range)) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	if (connect(fd, (const struct sockaddr *)ss, len) == 0)
		return fd;
	err = errno;
	close(fd);
	return -err;
}

static void cmd_connect(const char *addr, const char *port_text, const char *count_text)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned long port, n;

	if (!parse_count(port_text, &port) || !parse_count(count_text, &n) ||
	    !parse_addr(addr, (unsigned)port, &ss, &len)) {
		reply("err EINVAL usage: connect ADDR PORT N");
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		int fd = connect_one(&ss, len);
		if (fd < 0) {
			reply("err %s after %lu", errno_name(-fd), i);
			return;
		}
		fdlist_push(&clients, fd);
	}
	reply("ok %lu", n);
}

/* connect()+close() until the kernel refuses: the client's side closes first, so
 * each round leaves a TIME_WAIT (or FIN_WAIT2 until the server closes) behind. */
static void cmd_churn(const char *addr, const char *port_text, const char *max_text)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned long port, max;

	if (!parse_count(port_text, &port) || !parse_count(max_text, &max) ||
	    !parse_addr(addr, (unsigned)port, &ss, &len)) {
		reply("err EINVAL usage: churn ADDR PORT MAX");
		return;
	}
	for (unsigned long i = 0; i < max; i++) {
		int fd = connect_one(&ss, len);
		if (fd < 0) {
			reply("exhausted %s after %lu", errno_name(-fd), i);
			return;
		}
		close(fd);
	}
	reply("ok %lu", max);
}

/* Sleeps until `start` + `offset` seconds of CLOCK_MONOTONIC. */
static void sleep_until(const struct timespec *start, double offset)
{
	struct timespec at = *start;
	long long ns = at.tv_nsec + (long long)(offset * 1e9);

	at.tv_sec += (time_t)(ns / 1000000000LL);
	at.tv_nsec = (long)(ns % 1000000000LL);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
		;
}

/* A known rate of new connections: the i-th starts at i / RATE seconds, whatever the last took. */
static void cmd_pace(const char *addr, const char *port_text, const char *rate_text, const char *n_text)
{
	struct sockaddr_storage ss;
	struct timespec start;
	socklen_t len;
	unsigned long port, rate, n;

	if (!parse_count(port_text, &port) || !parse_count(rate_text, &rate) ||
	    !parse_count(n_text, &n) || rate == 0 || rate > 10000 || n > 100000 ||
	    !parse_addr(addr, (unsigned)port, &ss, &len)) {
		reply("err EINVAL usage: pace ADDR PORT RATE N");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned long i = 0; i < n; i++) {
		int fd;

		sleep_until(&start, (double)i / (double)rate);
		fd = connect_one(&ss, len);
		if (fd < 0) {
			reply("exhausted %s after %lu", errno_name(-fd), i);
			return;
		}
		close(fd);
	}
	reply("ok %lu", n);
}

/* Like churn, but a failed connect() is counted and tried again, as a busy client
 * retries: the test knows exactly how many failures porttop must report. */
static void cmd_churnfail(const char *addr, const char *port_text, const char *fails_text)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned long port, want, ok = 0, failed = 0;
	int last = 0;

	if (!parse_count(port_text, &port) || !parse_count(fails_text, &want) ||
	    !parse_addr(addr, (unsigned)port, &ss, &len)) {
		reply("err EINVAL usage: churnfail ADDR PORT F");
		return;
	}
	while (failed < want) {
		int fd = connect_one(&ss, len);
		if (fd < 0) {
			failed++;
			last = -fd;
		} else {
			close(fd);
			ok++;
		}
	}
	reply("ok %lu failed %lu %s", ok, failed, last ? errno_name(last) : "-");
}

/* N sockets bound to ADDR:0 and nothing else: TCP ones are "bound-only" (BOUND). */
static void cmd_bind(const char *addr, const char *count_text, int type, const char *usage)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned long n;

	if (!parse_count(count_text, &n) || !parse_addr(addr, 0, &ss, &len)) {
		reply("err EINVAL usage: %s ADDR N", usage);
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		int fd = new_socket(&ss, type);
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0) {
			int err = errno;
			if (fd >= 0)
				close(fd);
			reply("err %s after %lu", errno_name(err), i);
			return;
		}
		fdlist_push(&holders, fd);
	}
	reply("ok %lu", n);
}

/* The name is set with raw bytes, so a test can give a process a hostile name. */
static void cmd_name(const char *text)
{
	char name[64];
	size_t n = 0;

	for (const char *s = text; *s && n < sizeof(name) - 1;) {
		if (*s == '\\') {
			s++;
			name[n++] = unescape_one(&s);
		} else {
			name[n++] = *s++;
		}
	}
	name[n] = '\0';
	if (prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL) < 0)
		reply("err %s", errno_name(errno));
	else
		reply("ok");
}

/* The ports bind(0) picked, so a test can compute exact unions of ports with ss. */
static void cmd_ports(void)
{
	printf("%zu", holders.n);
	for (size_t i = 0; i < holders.n; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		unsigned port = 0;

		if (getsockname(holders.fd[i], (struct sockaddr *)&ss, &len) == 0)
			port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
							     : ((struct sockaddr_in6 *)&ss)->sin6_port);
		printf(" %u", port);
	}
	reply("%s", "");
}

/* A FIN_WAIT2 socket the process still holds, which the kernel keeps a full socket
 * (no timewait one, tcp_rcv_state_process) unlike an orphan: they stay in clients. */
static void cmd_shutdown(const char *count_text)
{
	unsigned long k;
	size_t i;

	if (!parse_count(count_text, &k)) {
		reply("err EINVAL usage: shutdown K");
		return;
	}
	for (i = 0; i < k && i < clients.n; i++)
		if (shutdown(clients.fd[i], SHUT_WR) < 0) {
			reply("err %s after %zu", errno_name(errno), i);
			return;
		}
	reply("ok %zu", i);
}

/* Splits line into at most max words on spaces; returns how many. */
static int split(char *line, char *word[], int max)
{
	int n = 0;
	char *save = NULL;

	for (char *w = strtok_r(line, " \t\r", &save); w && n < max; w = strtok_r(NULL, " \t\r", &save))
		word[n++] = w;
	return n;
}

/* Runs one command line; false when the command was quit. */
static bool run_command(char *line)
{
	char *w[5] = { NULL };
	int n;

	/* the name keeps its spaces: take the rest of the line as it is */
	if (strncmp(line, "name ", 5) == 0) {
		cmd_name(line + 5);
		return true;
	}
	n = split(line, w, 5);
	if (n == 0)
		reply("err EINVAL empty command");
	else if (strcmp(w[0], "listen") == 0 && (n == 3 || n == 4))
		cmd_listen(w[1], w[2], n == 4 ? w[3] : NULL);
	else if (strcmp(w[0], "connect") == 0 && n == 4)
		cmd_connect(w[1], w[2], w[3]);
	else if (strcmp(w[0], "churn") == 0 && n == 4)
		cmd_churn(w[1], w[2], w[3]);
	else if (strcmp(w[0], "pace") == 0 && n == 5)
		cmd_pace(w[1], w[2], w[3], w[4]);
	else if (strcmp(w[0], "portrange") == 0 && n == 3) {
		unsigned long lo, hi;
		int e;
		if (!parse_count(w[1], &lo) || !parse_count(w[2], &hi) || lo > hi || hi >= 65536)
			reply("err EINVAL usage: portrange LO HI");
		else if ((e = port_range_probe((unsigned)(hi << 16 | lo))) != 0)
			reply("err %s", errno_name(e));
		else {
			client_port_range = (unsigned)(hi << 16 | lo);
			reply("ok %lu %lu", lo, hi);
		}
	} else if (strcmp(w[0], "churnfail") == 0 && n == 4)
		cmd_churnfail(w[1], w[2], w[3]);
	else if (strcmp(w[0], "bind") == 0 && n == 3)
		cmd_bind(w[1], w[2], SOCK_STREAM, "bind");
	else if (strcmp(w[0], "udp") == 0 && n == 3)
		cmd_bind(w[1], w[2], SOCK_DGRAM, "udp");
	else if (strcmp(w[0], "close") == 0 && n == 2) {
		unsigned long k;
		if (parse_count(w[1], &k))
			reply("ok %zu", fdlist_close_first(&clients, k));
		else
			reply("err EINVAL usage: close K");
	} else if (strcmp(w[0], "shutdown") == 0 && n == 2)
		cmd_shutdown(w[1]);
	else if (strcmp(w[0], "closeall") == 0 && n == 1)
		reply("ok %zu", fdlist_close_first(&clients, clients.n));
	else if (strcmp(w[0], "pid") == 0 && n == 1)
		reply("%ld", (long)getpid());
	else if (strcmp(w[0], "count") == 0 && n == 1)
		reply("%zu", clients.n);
	else if (strcmp(w[0], "accepted") == 0 && n == 1)
		reply("%zu", accepted.n + kept.n);
	else if (strcmp(w[0], "ports") == 0 && n == 1)
		cmd_ports();
	else if (strcmp(w[0], "quit") == 0 && n == 1) {
		reply("bye");
		return false;
	} else
		reply("err EINVAL unknown command: %s", w[0]);
	return true;
}

/* Accepts every pending connection of one listener. */
static void accept_all(int lfd, struct fdlist *into)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;  /* EAGAIN: drained; anything else: retried on the next poll */
		fdlist_push(into, fd);
	}
}

/* An accepted socket became readable: drop data, close it at EOF (we close second,
 * so the peer, the active closer, goes to TIME_WAIT). */
static void serve(size_t i)
{
	char buf[4096];
	ssize_t r = read(accepted.fd[i], buf, sizeof(buf));

	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		close(accepted.fd[i]);
		fdlist_remove(&accepted, i);
	}
}

/* Reads what stdin has and runs its complete lines; false at EOF or quit. */
static bool read_commands(void)
{
	static char buf[8192];
	static size_t have;
	ssize_t r = read(STDIN_FILENO, buf + have, sizeof(buf) - 1 - have);
	char *start = buf, *nl;

	if (r <= 0)
		return r < 0 && errno == EINTR;
	have += (size_t)r;
	buf[have] = '\0';
	while ((nl = memchr(start, '\n', have - (size_t)(start - buf))) != NULL) {
		*nl = '\0';
		if (!run_command(start))
			return false;
		start = nl + 1;
	}
	have -= (size_t)(start - buf);
	memmove(buf, start, have);
	if (have == sizeof(buf) - 1)
		have = 0;  /* an absurdly long line: drop it rather than stall */
	return true;
}

/* Entries: stdin, then closing listeners, closewait listeners, accepted sockets. */
static struct pollfd *build_pollset(size_t *count)
{
	static struct pollfd *set;
	static size_t cap;
	size_t n = 1 + listeners.n + keep_listeners.n + accepted.n, k = 0;

	if (n > cap) {
		struct pollfd *p = realloc(set, n * sizeof(*p));
		if (!p) {
			perror("netload: realloc");
			exit(1);
		}
		set = p;
		cap = n;
	}
	set[k++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	for (size_t i = 0; i < listeners.n; i++)
		set[k++] = (struct pollfd){ .fd = listeners.fd[i], .events = POLLIN };
	for (size_t i = 0; i < keep_listeners.n; i++)
		set[k++] = (struct pollfd){ .fd = keep_listeners.fd[i], .events = POLLIN };
	for (size_t i = 0; i < accepted.n; i++)
		set[k++] = (struct pollfd){ .fd = accepted.fd[i], .events = POLLIN };
	*count = n;
	return set;
}

/* Handles everything poll reported; false when netload should exit. */
static bool handle_events(const struct pollfd *set)
{
	size_t k = 1, n_acc = accepted.n;
	size_t n_lis = listeners.n, n_keep = keep_listeners.n;

	for (size_t i = 0; i < n_lis; i++, k++)
		if (set[k].revents)
			accept_all(set[k].fd, &accepted);
	for (size_t i = 0; i < n_keep; i++, k++)
		if (set[k].revents)
			accept_all(set[k].fd, &kept);
	/* backwards, so removing entry i keeps the earlier indexes valid */
	for (size_t i = n_acc; i-- > 0;)
		if (set[k + i].revents)
			serve(i);
	if (set[0].revents)
		return read_commands();
	return true;
}

static void raise_nofile(void)
{
	struct rlimit rl;

	/* the exhaustion tests open more sockets than the default soft limit of 1024 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static unsigned parse_args(int argc, char **argv)
{
	unsigned long deadline = 120;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--deadline") == 0 && i + 1 < argc && parse_count(argv[i + 1], &deadline))
			i++;
		else {
			fprintf(stderr, "usage: %s [--deadline SECONDS]\n", argv[0]);
			exit(2);
		}
	}
	return (unsigned)deadline;
}

int main(int argc, char **argv)
{
	/* SIGALRM's default action ends the process: a stuck test cannot leak netload */
	alarm(parse_args(argc, argv));
	raise_nofile();
	for (;;) {
		size_t n;
		struct pollfd *set = build_pollset(&n);

		if (poll(set, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("netload: poll");
			return 1;
		}
		if (!handle_events(set))
			return 0;
	}
}
