/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * churnload: the churn soak's load and its witnesses (tests/ns/ns-churn-soak.sh).
 *
 *   churnload load DIR PORT PAIRS RATE SPAWNS SECONDS PAUSE_EVERY PAUSE_LEN
 *     Listens on 127.0.0.1:PORT and keeps PAIRS connections to it open; RATE times a
 *     second (RATE <= 5000) it closes the oldest and connects a new one (the client
 *     closes first, so each round leaves a TIME_WAIT).  SPAWNS times a second
 *     (<= 100) it forks a child that drops every inherited fd, connects to the
 *     listener, opens a connected UDP socket, and exits 0.2-2 s later when its pipe is
 *     closed (at most 200 alive).  Every PAUSE_EVERY seconds it pauses PAUSE_LEN
 *     seconds: no round, no fork, no child ends; after 0.3 s of only serving EOFs it
 *     writes DIR/pause.N (below).  Ends after SECONDS (<= 900), its children first.
 *     Prints "ready" on stdout when the PAIRS are up.
 *     DIR/events: "MS OPS CLOSES" about every 10 ms: CLOCK_REALTIME milliseconds, the
 *     socket operations done so far (connect, close, EOF served, child started after
 *     its sockets are up, child reaped after it exited) and the client closes among
 *     them.  An operation is counted after the system call that did it returned.
 *     DIR/pause.N: "begin MS", "snap MS MS" (the snapshot's start and end), the
 *     TCP state counts of a sock_diag dump ("states E SS SR F1 F2 TW CL CW LA LI CG",
 *     porttop's order, CLOSE with BOUND), a full scan of every /proc/PID/fd ("proc
 *     PID TCP UDP" for each process holding sockets of this namespace), "end MS".
 *
 *   churnload sample FILE SECONDS
 *     A sock_diag dump of this namespace's TCP sockets back to back (5 ms apart),
 *     one line each: "START_MS END_MS E SS SR F1 F2 TW CL CW LA LI CG".
 *
 * Both end by themselves after SECONDS (plus 30 s at most), so a crashed test leaves
 * nothing behind.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 200
#define MAX_PAIRS 20000
#define STATE_SLOTS 11  /* porttop's TCP states, CLOSE and BOUND in one */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long ms(double t)
{
	return (long long)(t * 1000.0);
}

/* --- sock_diag: every socket of one protocol in this namespace ---------------- */

/* Kernel state (include/net/tcp_states.h) -> porttop's order: ESTABLISHED, SYN_SENT,
 * SYN_RECV (with NEW_SYN_RECV), FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE (with the
 * bound-only ones), CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING. */
static int state_slot(unsigned st)
{
	static const int slot[14] = { -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2, 6 };
	return st < 14 ? slot[st] : -1;
}

struct sock_seen {
	uint32_t inode;
	uint8_t protocol;
};

struct dump {
	unsigned states[STATE_SLOTS];
	struct sock_seen *socks;   /* only when wanted */
	size_t n, cap;
};

static void dump_keep(struct dump *d, uint32_t inode, uint8_t protocol)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 1024;
		d->socks = realloc(d->socks, d->cap * sizeof(*d->socks));
		if (!d->socks)
			die("churnload: realloc");
	}
	d->socks[d->n++] = (struct sock_seen){ inode, protocol };
}

static void dump_message(struct dump *d, const struct inet_diag_msg *m, uint8_t protocol, bool keep)
{
	int slot = state_slot(m->idiag_state);

	if (protocol == IPPROTO_TCP && slot >= 0)
		d->states[slot]++;
	if (keep && m->idiag_inode)
		dump_keep(d, m->idiag_inode, protocol);
}

/* One dump of (family, protocol), every state (bit 13: bound-only TCP sockets). */
static int dump_one(int fd, struct dump *d, uint8_t family, uint8_t protocol, bool keep)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nh = { .nlmsg_len = sizeof(msg), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.req = { .sdiag_family = family, .sdiag_protocol = protocol,
			 .idiag_states = 0x3fff },
	};
	static char buf[1 << 16];

	if (send(fd, &msg, sizeof(msg), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			dump_message(d, NLMSG_DATA(h), protocol, keep);
		}
	}
}

static int dump_all(struct dump *d, bool udp_too)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG), err = 0;
	static const uint8_t families[] = { AF_INET, AF_INET6 };

	if (fd < 0)
		return -errno;
	memset(d->states, 0, sizeof(d->states));
	d->n = 0;
	for (size_t i = 0; i < 2 && !err; i++) {
		err = dump_one(fd, d, families[i], IPPROTO_TCP, udp_too);
		if (!err && udp_too)
			err = dump_one(fd, d, families[i], IPPROTO_UDP, true);
	}
	close(fd);
	return err;
}

static void print_states(FILE *f, const unsigned states[STATE_SLOTS])
{
	for (int i = 0; i < STATE_SLOTS; i++)
		fprintf(f, " %u", states[i]);
	fputc('\n', f);
}

/* --- the sampler ---------------------------------------------------------------- */

static int run_sampler(const char *path, double seconds)
{
	FILE *f = fopen(path, "w");
	struct dump d = { 0 };
	double end = now_real() + seconds;

	if (!f)
		die("churnload: sample file");
	while (now_real() < end) {
		double t0 = now_real(), t1;
		if (dump_all(&d, false) < 0)
			die("churnload: sock_diag dump");
		t1 = now_real();
		fprintf(f, "%lld %lld", ms(t0), ms(t1) + 1);  /* end rounded up */
		print_states(f, d.states);
		fflush(f);
		usleep(5000);
	}
	fclose(f);
	return 0;
}

/* --- the full owner scan at a pause ---------------------------------------------- */

static int seen_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct sock_seen *)a)->inode, y = ((const struct sock_seen *)b)->inode;
	return x < y ? -1 : x > y;
}

static const struct sock_seen *seen_find(const struct dump *d, uint32_t inode)
{
	struct sock_seen key = { inode, 0 };
	return bsearch(&key, d->socks, d->n, sizeof(*d->socks), seen_cmp);
}

/* Counts the TCP and UDP sockets of d that PID holds (each socket once). */
static void scan_pid(FILE *f, const struct dump *d, const char *pid)
{
	char path[300], link[64];
	unsigned tcp = 0, udp = 0;
	uint32_t held[4096];
	size_t n_held = 0;
	DIR *dir;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	dir = opendir(path);
	if (!dir)
		return;  /* exited, or a kernel thread */
	while ((e = readdir(dir)) != NULL) {
		char fdpath[600];
		ssize_t n;
		unsigned long inode;
		const struct sock_seen *s;
		bool dup = false;

		snprintf(fdpath, sizeof(fdpath), "%s/%s", path, e->d_name);
		n = readlink(fdpath, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%lu]", &inode) != 1 || !(s = seen_find(d, (uint32_t)inode)))
			continue;
		for (size_t i = 0; i < n_held; i++)
			dup |= held[i] == (uint32_t)inode;
		if (dup)
			continue;
		if (n_held < sizeof(held) / sizeof(held[0]))
			held[n_held++] = (uint32_t)inode;
		if (s->protocol == IPPROTO_TCP)
			tcp++;
		else
			udp++;
	}
	closedir(dir);
	if (tcp + udp)
		fprintf(f, "proc %s %u %u\n", pid, tcp, udp);
}

static void snapshot(const char *dir, int index, double began)
{
	char path[512];
	struct dump d = { 0 };
	FILE *f;
	DIR *proc;
	struct dirent *e;
	double t0 = now_real();

	snprintf(path, sizeof(path), "%s/pause.%d.tmp", dir, index);
	f = fopen(path, "w");
	if (!f || dump_all(&d, true) < 0)
		die("churnload: snapshot");
	qsort(d.socks, d.n, sizeof(*d.socks), seen_cmp);
	proc = opendir("/proc");
	if (!proc)
		die("churnload: /proc");
	fprintf(f, "begin %lld\n", ms(began));
	while ((e = readdir(proc)) != NULL)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			scan_pid(f, &d, e->d_name);
	closedir(proc);
	fprintf(f, "snap %lld %lld\nstates", ms(t0), ms(now_real()) + 1);
	print_states(f, d.states);
	free(d.socks);
	fclose(f);
}

static void snapshot_end(const char *dir, int index)
{
	char tmp[512], path[512];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s/pause.%d.tmp", dir, index);
	snprintf(path, sizeof(path), "%s/pause.%d", dir, index);
	f = fopen(tmp, "a");
	if (!f)
		die("churnload: snapshot end");
	fprintf(f, "end %lld\n", ms(now_real()));
	fclose(f);
	if (rename(tmp, path) < 0)
		die("churnload: rename");
}

/* --- the load ----------------------------------------------------------------------- */

struct child {
	pid_t pid;
	int pipe_w;
	double ends;
};

struct load {
	const char *dir;
	struct sockaddr_in addr;
	int listener;
	int *pairs;            /* client fds, a ring: oldest at head */
	size_t n_pairs, head;
	int *served;           /* accepted fds, closed at EOF */
	size_t n_served, cap_served;
	struct child children[MAX_CHILDREN];
	size_t n_children;
	unsigned long long ops, closes;
	FILE *events;
	double last_event;
	unsigned rng;
};

static void count(struct load *l, unsigned ops, unsigned closes)
{
	l->ops += ops;
	l->closes += closes;
}

static void log_events(struct load *l, bool force)
{
	double t = now_real();

	if (!force && t - l->last_event < 0.01)
		return;
	fprintf(l->events, "%lld %llu %llu\n", ms(t), l->ops, l->closes);
	fflush(l->events);
	l->last_event = t;
}

static int connect_client(const struct load *l)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)&l->addr, sizeof(l->addr)) < 0)
		die("churnload: connect");
	return fd;
}

static void serve(struct load *l, int timeout_ms)
{
	struct pollfd set[1 + 4096];
	size_t n = 1;

	set[0] = (struct pollfd){ .fd = l->listener, .events = POLLIN };
	for (size_t i = 0; i < l->n_served && n < 1 + 4096; i++)
		set[n++] = (struct pollfd){ .fd = l->served[i], .events = POLLIN };
	if (poll(set, n, timeout_ms) <= 0)
		return;
	for (size_t i = n; i-- > 1;) {
		char buf[256];
		if (!set[i].revents || read(set[i].fd, buf, sizeof(buf)) > 0)
			continue;
		close(set[i].fd);  /* EOF: the peer closed, we close second */
		l->served[i - 1] = l->served[--l->n_served];
		count(l, 1, 0);
	}
	if (set[0].revents) {
		int fd;
		while ((fd = accept4(l->listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
			if (l->n_served == l->cap_served) {
				l->cap_served = l->cap_served ? l->cap_served * 2 : 1024;
				l->served = realloc(l->served, l->cap_served * sizeof(*l->served));
				if (!l->served)
					die("churnload: realloc");
			}
			l->served[l->n_served++] = fd;
		}
	}
}

static void round_trip(struct load *l)
{
	close(l->pairs[l->head]);
	count(l, 1, 1);
	l->pairs[l->head] = connect_client(l);
	count(l, 1, 0);
	l->head = (l->head + 1) % l->n_pairs;
}

/* Closes every fd from 3 on but a and b (a < b): the parent's sockets are not ours. */
static void close_around(int a, int b)
{
	if (a > 3)
		close_range(3, (unsigned)a - 1, 0);
	if (b > a + 1)
		close_range((unsigned)a + 1, (unsigned)b - 1, 0);
	close_range((unsigned)b + 1, ~0U, 0);
}

/* The child: only its own sockets, then it waits for its pipe to close. */
static void child_main(const struct load *l, int pipe_r, int ready_w)
{
	struct sockaddr_in discard = { .sin_family = AF_INET, .sin_port = htons(9),
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int udp;
	char c = 1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close_around(pipe_r < ready_w ? pipe_r : ready_w, pipe_r < ready_w ? ready_w : pipe_r);
	(void)connect_client(l);
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (udp < 0 || connect(udp, (struct sockaddr *)&discard, sizeof(discard)) < 0)
		_exit(1);
	if (write(ready_w, &c, 1) != 1)
		_exit(1);
	close(ready_w);
	while (read(pipe_r, &c, 1) > 0)
		;
	_exit(0);
}

static void spawn(struct load *l)
{
	int p[2], ready[2];
	char c;
	pid_t pid;

	if (l->n_children == MAX_CHILDREN)
		return;
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		die("churnload: pipe");
	pid = fork();
	if (pid < 0)
		die("churnload: fork");
	if (pid == 0)
		child_main(l, p[0], ready[1]);
	close(p[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("churnload: child did not start");
	close(ready[0]);
	l->rng = l->rng * 1103515245u + 12345u;
	l->children[l->n_children++] = (struct child){
		pid, p[1], now_real() + 0.2 + (double)(l->rng >> 16 & 0x7fff) / 32768.0 * 1.8 };
	count(l, 1, 0);
}

/* Ends the children whose time has come (all when `all`), each reaped before it counts. */
static void end_children(struct load *l, bool all)
{
	double t = now_real();

	for (size_t i = l->n_children; i-- > 0;) {
		struct child *c = &l->children[i];
		if (!all && c->ends > t)
			continue;
		close(c->pipe_w);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		*c = l->children[--l->n_children];
		count(l, 1, 1);
	}
}

static void setup(struct load *l, unsigned port, size_t pairs)
{
	int one = 1;

	l->addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
					.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	l->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (l->listener < 0 || setsockopt(l->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(l->listener, (struct sockaddr *)&l->addr, sizeof(l->addr)) < 0 ||
	    listen(l->listener, 4096) < 0)
		die("churnload: listen");
	l->pairs = calloc(pairs, sizeof(*l->pairs));
	if (!l->pairs)
		die("churnload: calloc");
	l->n_pairs = pairs;
	for (size_t i = 0; i < pairs; i++) {
		l->pairs[i] = connect_client(l);
		serve(l, 0);
	}
}

/* A quiet point: nothing but EOFs served for 0.3 s, then the snapshot, then still. */
static void pause_load(struct load *l, int index, double len)
{
	double began = now_real();

	log_events(l, true);
	while (now_real() < began + 0.3)
		serve(l, 10);
	log_events(l, true);
	snapshot(l->dir, index, began);
	while (now_real() < began + len)
		serve(l, 10);
	snapshot_end(l->dir, index);
}

static int run_load(char **argv)
{
	struct load l = { .dir = argv[0], .rng = (unsigned)getpid() };
	unsigned port = (unsigned)atoi(argv[1]);
	size_t pairs = (size_t)atol(argv[2]);
	double rate = atof(argv[3]), spawns = atof(argv[4]), seconds = atof(argv[5]);
	double every = atof(argv[6]), len = atof(argv[7]), start, paused = 0;
	unsigned long long rounds = 0, forks = 0;
	char path[512];
	int pauses = 0;

	if (!port || port > 65535 || !pairs || pairs > MAX_PAIRS || rate <= 0 || rate > 5000 ||
	    spawns < 0 || spawns > 100 || seconds <= 0 || seconds > 900 || every <= len || len < 0.5) {
		fprintf(stderr, "churnload load: bad arguments\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/events", l.dir);
	l.events = fopen(path, "w");
	if (!l.events)
		die("churnload: events");
	setup(&l, port, pairs);
	log_events(&l, true);
	printf("ready\n");
	fflush(stdout);
	start = now_real();
	while (now_real() < start + seconds) {
		/* the schedule runs on time spent outside the pauses */
		double t = now_real() - start - paused;
		/* quiet points only in the first 55 s: no TIME_WAIT expires during one */
		if (t >= every * (pauses + 1) && now_real() + len < start + 55) {
			double p0 = now_real();
			pause_load(&l, ++pauses, len);
			paused += now_real() - p0;
			continue;
		}
		/* never faster than RATE: slots more than 0.1 s late are dropped, not caught up */
		if ((double)rounds < t * rate - rate * 0.1)
			rounds = (unsigned long long)(t * rate - rate * 0.1);
		for (int k = 0; k < 32 && (double)rounds < t * rate; k++, rounds++)
			round_trip(&l);
		while ((double)forks < t * spawns) {
			spawn(&l);
			forks++;
		}
		end_children(&l, false);
		serve(&l, 0);
		log_events(&l, false);
		if ((double)rounds >= t * rate)
			serve(&l, 1);  /* ahead of the schedule: wait for the next slot serving */
	}
	end_children(&l, true);
	log_events(&l, true);
	return 0;
}

int main(int argc, char **argv)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (argc == 4 && strcmp(argv[1], "sample") == 0) {
		alarm((unsigned)atoi(argv[3]) + 30);
		return run_sampler(argv[2], atof(argv[3]));
	}
	if (argc == 10 && strcmp(argv[1], "load") == 0) {
		alarm((unsigned)atoi(argv[7]) + 30);
		return run_load(argv + 2);
	}
	fprintf(stderr, "usage: churnload load DIR PORT PAIRS RATE SPAWNS SECONDS PAUSE_EVERY PAUSE_LEN\n"
			"       churnload sample FILE SECONDS\n");
	return 2;
}
