/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket owners on the real /proc: the incremental scan gives the answer a full scan
 * gives.  This process and forked children open, close, duplicate and replace
 * sockets (AF_UNIX: no network needed) at random; after each round a scan by a
 * long-lived owners (periodic full rescans off) is compared with a scan by a fresh
 * one.  The "dump" is built by hand from the sockets the test knows to be alive, so
 * it is exact.  The cases one by one, on a fake proc root, are test_owners.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "scancompare.h"
#include "sample/owners.h"
#include "core/sample.h"

#define T_PROCS 12  /* more than FDREAD_MIN_JOBS: the helper thread takes part */
#define T_FDS 256
#define T_SOCKS 4096

enum { K_NONE, K_SOCK, K_OTHER };
enum { OP_SOCKET, OP_OPEN, OP_CLOSE, OP_DUP2, OP_EXIT };

struct cmd {
	int op, a, b;
};

struct reply {
	int fd;
	int err;
	uint32_t inode;
};

struct tproc {
	pid_t pid;
	int cmd, reply;  /* our ends of its pipes; -1 for this process */
	bool alive;
	uint8_t kind[T_FDS];
	uint32_t inode[T_FDS];
};

struct world {
	struct tproc p[T_PROCS];  /* p[0] is this process */
	struct {
		uint32_t inode;
		bool in_dump;     /* a socket the "kernel" dumps (else: like a unix socket) */
		int born;         /* the round it was opened in */
	} socks[T_SOCKS];
	size_t n_socks;
	bool force_dump;  /* the next socket opened is in the dump */
	int round;
	unsigned long long rng;
};

static unsigned rnd(struct world *w, unsigned n)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return (unsigned)(w->rng % n);
}

static struct reply do_op(const struct cmd *c)
{
	struct reply r = { .fd = -1 };
	struct stat st;

	switch (c->op) {
	case OP_SOCKET:
		r.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (r.fd >= 0 && fstat(r.fd, &st) == 0)
			r.inode = (uint32_t)st.st_ino;
		break;
	case OP_OPEN:
		r.fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		break;
	case OP_CLOSE:
		r.fd = close(c->a);
		break;
	case OP_DUP2:
		r.fd = dup2(c->a, c->b);
		break;
	}
	if (r.fd < 0)
		r.err = errno;
	return r;
}

static void child_loop(int cmd, int reply)
{
	struct cmd c;

	alarm(120);  /* bounded even if the test dies */
	while (read(cmd, &c, sizeof(c)) == (ssize_t)sizeof(c)) {
		struct reply r;
		if (c.op == OP_EXIT)
			break;
		r = do_op(&c);
		if (write(reply, &r, sizeof(r)) != (ssize_t)sizeof(r))
			break;
	}
	_exit(0);
}

static struct reply run_op(struct world *w, int who, int op, int a, int b)
{
	struct cmd c = { op, a, b };
	struct reply r = { .fd = -1, .err = EIO };
	struct tproc *p = &w->p[who];

	if (who == 0)
		r = do_op(&c);
	else if (write(p->cmd, &c, sizeof(c)) != (ssize_t)sizeof(c) ||
		 read(p->reply, &r, sizeof(r)) != (ssize_t)sizeof(r))
		r = (struct reply){ .fd = -1, .err = EIO };
	if (getenv("TEST_OWNERS_VERBOSE"))
		fprintf(stderr, "  [%d pid %d] op %d a %d b %d -> fd %d inode %u\n", who, (int)p->pid, op, a,
			b, r.fd, r.inode);
	if (r.fd >= T_FDS) {  /* out of the model's range: undo */
		struct cmd undo = { OP_CLOSE, r.fd, 0 };
		if (who == 0)
			do_op(&undo);
		else if (write(p->cmd, &undo, sizeof(undo)) == (ssize_t)sizeof(undo))
			(void)!read(p->reply, &r, sizeof(r));
		r = (struct reply){ .fd = -1, .err = EMFILE };
		return r;
	}
	switch (op) {
	case OP_SOCKET:
		if (r.fd >= 0) {
			p->kind[r.fd] = K_SOCK;
			p->inode[r.fd] = r.inode;
			if (w->n_socks < T_SOCKS) {
				w->socks[w->n_socks].born = w->round;
				w->socks[w->n_socks].inode = r.inode;
				w->socks[w->n_socks++].in_dump = w->force_dump || rnd(w, 5) != 0;
			}
		}
		break;
	case OP_OPEN:
		if (r.fd >= 0)
			p->kind[r.fd] = K_OTHER;
		break;
	case OP_CLOSE:
		if (r.fd == 0)
			p->kind[a] = K_NONE;
		break;
	case OP_DUP2:
		if (r.fd == b) {
			p->kind[b] = p->kind[a];
			p->inode[b] = p->inode[a];
		}
		break;
	}
	return r;
}

/* How many (process, fd) hold inode, leaving out `skip_fd` of process `skip`. */
static int holders(const struct world *w, uint32_t inode, int skip, int skip_fd)
{
	int n = 0;
	for (int i = 0; i < T_PROCS; i++) {
		if (!w->p[i].alive)
			continue;
		for (int fd = 0; fd < T_FDS; fd++)
			if (w->p[i].kind[fd] == K_SOCK && w->p[i].inode[fd] == inode &&
			    !(i == skip && fd == skip_fd))
				n++;
	}
	return n;
}

static bool held_elsewhere_in(const struct tproc *p, uint32_t inode, int skip_fd)
{
	for (int fd = 0; fd < T_FDS; fd++)
		if (fd != skip_fd && p->kind[fd] == K_SOCK && p->inode[fd] == inode)
			return true;
	return false;
}

/* An fd of process `who` of the given kind, -1 if none. */
static int pick_fd(struct world *w, int who, int kind)
{
	int n = 0, fds[T_FDS] = { 0 };
	for (int fd = 0; fd < T_FDS; fd++)
		if (w->p[who].kind[fd] == kind)
			fds[n++] = fd;
	return n ? fds[rnd(w, (unsigned)n)] : -1;
}

/*
 * Without changing its fd count, `who` stops holding the socket at fd: fine if that
 * kills the socket (it leaves the dump) or `who` keeps it at another fd.  If the
 * socket lives on in another process, that is the blind spot no rule sees.
 */
static bool drop_is_visible(const struct world *w, int who, int fd)
{
	uint32_t inode = w->p[who].inode[fd];
	return held_elsewhere_in(&w->p[who], inode, fd) || holders(w, inode, who, fd) == 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The "kernel's" dump: live sockets marked in_dump.  Dead sockets leave the list. */
static void build_dump(struct world *w, struct sample *s)
{
	static uint32_t live[T_PROCS * T_FDS];
	size_t n_live = 0, out = 0;

	for (int i = 0; i < T_PROCS; i++)
		for (int fd = 0; w->p[i].alive && fd < T_FDS; fd++)
			if (w->p[i].kind[fd] == K_SOCK)
				live[n_live++] = w->p[i].inode[fd];
	qsort(live, n_live, sizeof(*live), u32_cmp);
	sample_reset(s);
	for (size_t i = 0; i < w->n_socks; i++) {
		if (!bsearch(&w->socks[i].inode, live, n_live, sizeof(*live), u32_cmp))
			continue;  /* closed everywhere: gone for good */
		w->socks[out++] = w->socks[i];
		if (w->socks[i].in_dump)
			scancompare_add_sock(s, w->socks[i].inode);
	}
	w->n_socks = out;
}

static int spawn(struct world *w)
{
	int cmd[2], reply[2], slot = -1;
	pid_t pid;

	for (int i = 1; i < T_PROCS; i++)
		if (!w->p[i].alive)
			slot = i;
	if (slot < 0 || pipe2(cmd, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(reply, O_CLOEXEC) < 0) {
		close(cmd[0]);
		close(cmd[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		child_loop(cmd[0], reply[1]);
	close(cmd[0]);
	close(reply[1]);
	if (pid < 0) {
		close(cmd[1]);
		close(reply[0]);
		return -1;
	}
	struct tproc *c = &w->p[slot];
	*c = w->p[0];  /* the child inherits our whole fd table */
	c->pid = pid;
	c->cmd = cmd[1];
	c->reply = reply[0];
	c->alive = true;
	return slot;
}

static void end_child(struct world *w, int i)
{
	struct cmd c = { OP_EXIT, 0, 0 };
	if (write(w->p[i].cmd, &c, sizeof(c)) < 0)
		kill(w->p[i].pid, SIGKILL);
	waitpid(w->p[i].pid, NULL, 0);
	close(w->p[i].cmd);
	close(w->p[i].reply);
	w->p[i].alive = false;
}

/*
 * One random change in process `who`.  Returns 2 when the change opens a socket in
 * place of another fd, fd count unchanged: nothing may point at that socket but its
 * joining the dump, so it is searched for one scan later (see owners.c) and the round
 * is compared after two scans.  Such a socket is opened in the dump, and no child is
 * forked in the same round: were it known as a child's first, or did it join the dump
 * later, this process's holding would be the blind spot.  0 for any other change, -1
 * when there was nothing to do.
 */
static int churn(struct world *w, int who, bool may_fork)
{
	int fd, other, r;

	switch (rnd(w, who == 0 ? 10 : 9)) {
	case 0: /* a new socket */
	case 1:
		return run_op(w, who, OP_SOCKET, 0, 0).fd >= 0 ? 0 : -1;
	case 2: /* a new other file */
		return run_op(w, who, OP_OPEN, 0, 0).fd >= 0 ? 0 : -1;
	case 3: /* close anything: the fd count changes */
		fd = pick_fd(w, who, rnd(w, 2) ? K_SOCK : K_OTHER);
		return fd >= 0 && run_op(w, who, OP_CLOSE, fd, 0).fd == 0 ? 0 : -1;
	case 4: /* close a socket, open a socket: same count */
		fd = pick_fd(w, who, K_SOCK);
		if (fd < 0 || !drop_is_visible(w, who, fd))
			return -1;
		run_op(w, who, OP_CLOSE, fd, 0);
		w->force_dump = true;
		r = run_op(w, who, OP_SOCKET, 0, 0).fd >= 0 ? 2 : -1;
		w->force_dump = false;
		return r;
	case 5: /* close another file, open a socket: same count */
		fd = pick_fd(w, who, K_OTHER);
		if (fd < 0)
			return -1;
		run_op(w, who, OP_CLOSE, fd, 0);
		w->force_dump = true;
		r = run_op(w, who, OP_SOCKET, 0, 0).fd >= 0 ? 2 : -1;
		w->force_dump = false;
		return r;
	case 6: /* dup2 another file over a socket */
		fd = pick_fd(w, who, K_SOCK);
		other = pick_fd(w, who, K_OTHER);
		if (fd < 0 || other < 0 || !drop_is_visible(w, who, fd))
			return -1;
		return run_op(w, who, OP_DUP2, other, fd).fd == fd ? 0 : -1;
	case 7: /* dup2 a socket over another fd (socket or not) */
		fd = pick_fd(w, who, K_SOCK);
		other = pick_fd(w, who, rnd(w, 2) ? K_SOCK : K_OTHER);
		if (fd < 0 || other < 0 || fd == other ||
		    (w->p[who].kind[other] == K_SOCK && !drop_is_visible(w, who, other)))
			return -1;
		return run_op(w, who, OP_DUP2, fd, other).fd == other ? 0 : -1;
	case 8: /* a child ends */
		if (who == 0)
			return -1;
		end_child(w, who);
		return 0;
	default: { /* a child is born and closes part of what it inherited */
		int c = may_fork ? spawn(w) : -1;
		if (c < 0)
			return -1;
		for (fd = 0; fd < T_FDS; fd++)
			if (w->p[c].kind[fd] != K_NONE && rnd(w, 3) == 0)
				run_op(w, c, OP_CLOSE, fd, 0);
		return 0;
	}
	}
}

/* helper_min: owners_set_helper_min; the helper thread must not change a figure */
static void incremental_equals_full_scan_after_random_churn(unsigned helper_min)
{
	static struct world w;
	struct sample inc, full;
	struct owners *o;
	struct owners_stats st;
	int mismatches = 0, rounds = 300, scans = 0;
	unsigned by_helper = 0;
	char when[64];

	memset(&w, 0, sizeof(w));
	/* TEST_OWNERS_SEED / TEST_OWNERS_ROUNDS replay or stretch it; _VERBOSE traces */
	w.rng = getenv("TEST_OWNERS_SEED") ? strtoull(getenv("TEST_OWNERS_SEED"), NULL, 0) : 0;
	if (!w.rng)
		w.rng = 0x2545f4914f6cdd1dULL;
	if (getenv("TEST_OWNERS_ROUNDS"))
		rounds = atoi(getenv("TEST_OWNERS_ROUNDS"));
	w.p[0].pid = getpid();
	w.p[0].cmd = w.p[0].reply = -1;
	w.p[0].alive = true;
	sample_init(&inc);
	sample_init(&full);
	CHECK_EQ(owners_new(&o), 0);
	owners_set_full_every(o, 0);  /* only the rules: no periodic full rescan */
	owners_set_helper_min(o, helper_min);
	for (int i = 0; i < 12; i++)
		run_op(&w, 0, i % 3 ? OP_SOCKET : OP_OPEN, 0, 0);

	for (int round = 0; round < rounds; round++) {
		w.round = round;
		int n_scans = 1, who[3], n_who = 1 + (int)rnd(&w, 3);

		/* a few changes, each in a different process (two in one could add up to
		   the blind spot: the same fd count, a socket dropped that lives on) */
		for (int k = 0; k < n_who; k++) {
			who[k] = (int)rnd(&w, T_PROCS);
			for (int j = 0; j < k; j++)
				if (who[j] == who[k])
					who[k] = -1;
			if (who[k] < 0 || !w.p[who[k]].alive)
				continue;
			if (churn(&w, who[k], n_scans == 1) == 2)
				n_scans = 2;
		}
		/* sockets bound, unhashed...; not those just opened: a socket opened in place
		   of another fd and kept out of the dump goes unnoticed until it joins it,
		   and then is searched for one scan later */
		for (size_t i = 0; i < w.n_socks; i++)
			if (w.socks[i].born != round && rnd(&w, 40) == 0)
				w.socks[i].in_dump = !w.socks[i].in_dump;

		if (getenv("TEST_OWNERS_VERBOSE"))
			fprintf(stderr, "round %d: %d scans\n", round, n_scans);
		for (int k = 0; k < n_scans; k++) {
			build_dump(&w, &inc);
			CHECK_EQ(owners_scan(o, "/proc", &inc), 0);
			owners_get_stats(o, &st);
			by_helper += st.procs_by_helper;
			scans++;
			if (k + 1 < n_scans) {
				CHECK_EQ(scancompare_full_scan("/proc", &inc, &full), 0);
				snprintf(when, sizeof(when), "round %d, first scan", round);
				if (!scancompare_no_wrong_owner(&inc, &full, when))
					mismatches++;
			}
		}
		CHECK_EQ(scancompare_full_scan("/proc", &inc, &full), 0);  /* the same dump */
		snprintf(when, sizeof(when), "round %d", round);
		if (!scancompare_same(&inc, &full, when)) {
			if (getenv("TEST_OWNERS_VERBOSE"))
				for (int i = 0; i < T_PROCS; i++)
					for (int fd = 0; w.p[i].alive && fd < T_FDS; fd++)
						if (w.p[i].kind[fd] == K_SOCK)
							fprintf(stderr, "    model: [%d] fd %d inode %u\n", i, fd,
								w.p[i].inode[fd]);
			if (++mismatches > 3)
				break;
		}
	}
	/* the helper must have read some tables itself: the incremental rounds may have
	   left it none (an idle machine's scan reads its few tables before the thread is
	   scheduled), so full scans, each of every process, give it work until it has */
	owners_set_full_every(o, 1);
	for (int k = 0; helper_min && by_helper == 0 && k < 50; k++) {
		build_dump(&w, &inc);
		CHECK_EQ(owners_scan(o, "/proc", &inc), 0);
		owners_get_stats(o, &st);
		by_helper += st.procs_by_helper;
		CHECK_EQ(scancompare_full_scan("/proc", &inc, &full), 0);
		if (!scancompare_same(&inc, &full, "a full scan beside the helper"))
			mismatches++;
	}
	owners_set_full_every(o, 0);
	CHECK_EQ(mismatches, 0);
	CHECK(inc.n_owners > 0);
	if (helper_min)
		CHECK(by_helper > 0);
	else
		CHECK_EQ(by_helper, 0);

	/* incremental means incremental: a scan of an unchanged system reads ~nothing */
	build_dump(&w, &inc);
	CHECK_EQ(owners_scan(o, "/proc", &inc), 0);
	build_dump(&w, &inc);
	CHECK_EQ(owners_scan(o, "/proc", &inc), 0);
	owners_get_stats(o, &st);
	CHECK(!st.full);
	if (st.fd_counts)  /* most processes kept; others on the machine may be busy */
		CHECK(st.procs_kept * 2 >= st.procs_listed);
	CHECK(scans >= rounds);

	for (int i = 1; i < T_PROCS; i++)
		if (w.p[i].alive)
			end_child(&w, i);
	for (int fd = 0; fd < T_FDS; fd++)
		if (w.p[0].kind[fd] != K_NONE)
			close(fd);
	owners_free(o);
	sample_free(&inc);
	sample_free(&full);
}

static void test_incremental_equals_full_scan_after_random_churn(void)
{
	incremental_equals_full_scan_after_random_churn(0);
}

/* The same with the helper thread reading fd tables beside every scan. */
static void test_helper_thread_changes_no_owner(void)
{
	incremental_equals_full_scan_after_random_churn(1);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(test_incremental_equals_full_scan_after_random_churn);
	RUN(test_helper_thread_changes_no_owner);
	CHECK_DONE();
}
