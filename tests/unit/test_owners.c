/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket owners: the incremental scan gives the answer a full scan gives.
 *
 * On the real /proc, this process and forked children open, close, duplicate and
 * replace sockets (AF_UNIX: no network needed) at random; after each round a scan by
 * a long-lived owners (periodic full rescans off) is compared with a scan by a fresh
 * one.  The "dump" is built by hand from the sockets the test knows to be alive, so
 * it is exact.  On a fake proc root (not a procfs: no fd counts, the listing fallback)
 * the cases the rules are about are played one by one: pid reuse, fds retargeted,
 * sockets nobody holds, and the one blind spot the periodic full rescan repairs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "fakeroot.h"
#include "sample/access.h"
#include "sample/owners.h"
#include "core/sample.h"

/* --- comparing two samples' owners --- */

struct pair {
	long long a, b;
};

static int pair_cmp(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* (pid, handles) of every proc_rec, then (inode, pid) of every link, sorted. */
static size_t flatten(const struct sample *s, struct pair *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_procs && n < max; i++)
		out[n++] = (struct pair){ -1 - (long long)s->procs[i].pid, s->procs[i].handles };
	for (size_t i = 0; i < s->n_owners && n < max; i++)
		out[n++] = (struct pair){ s->owners[i].inode, s->procs[s->owners[i].proc].pid };
	qsort(out, n, sizeof(*out), pair_cmp);
	return n;
}

#define MAX_PAIRS 4096

static bool same_owners(const struct sample *inc, const struct sample *full, const char *when)
{
	static struct pair a[MAX_PAIRS], b[MAX_PAIRS];
	size_t na = flatten(inc, a, MAX_PAIRS), nb = flatten(full, b, MAX_PAIRS);

	if (na == nb && memcmp(a, b, na * sizeof(*a)) == 0)
		return true;
	fprintf(stderr, "%s: incremental and full scans differ\n", when);
	for (size_t i = 0, j = 0; i < na || j < nb;) {
		int c = i >= na ? 1 : j >= nb ? -1 : pair_cmp(&a[i], &b[j]);
		if (c == 0) {
			i++, j++;
			continue;
		}
		const struct pair *p = c < 0 ? &a[i++] : &b[j++];
		if (p->a < 0)
			fprintf(stderr, "  only %s: pid %lld handles %lld\n", c < 0 ? "incremental" : "full",
				-1 - p->a, p->b);
		else
			fprintf(stderr, "  only %s: inode %lld held by pid %lld\n",
				c < 0 ? "incremental" : "full", p->a, p->b);
	}
	return false;
}

/*
 * The incremental scan may not have attributed some sockets yet (they are searched
 * for one scan later), but whatever it says must be true: every link it has, the
 * full scan has; a link it lacks is one of a socket it gives no holder at all; and
 * processes both report have the same handles.
 */
static bool no_wrong_owner(const struct sample *inc, const struct sample *full, const char *when)
{
	static struct pair a[MAX_PAIRS], b[MAX_PAIRS];
	size_t na = flatten(inc, a, MAX_PAIRS), nb = flatten(full, b, MAX_PAIRS);
	bool ok = true;

	for (size_t i = 0; i < na; i++) {
		const struct pair *hit = bsearch(&a[i], b, nb, sizeof(*b), pair_cmp);
		if (!hit) {
			fprintf(stderr, "%s: the incremental scan says %s %lld / %lld, the full one not\n",
				when, a[i].a < 0 ? "pid/handles" : "inode/pid",
				a[i].a < 0 ? -1 - a[i].a : a[i].a, a[i].b);
			ok = false;
		}
	}
	for (size_t j = 0; j < nb; j++) {
		if (b[j].a < 0 || bsearch(&b[j], a, na, sizeof(*a), pair_cmp))
			continue;
		if (sample_find_owner(inc, (uint32_t)b[j].a)) {
			fprintf(stderr, "%s: inode %lld: the incremental scan misses holder %lld\n",
				when, b[j].a, b[j].b);
			ok = false;
		}
	}
	return ok;
}

static void add_sock(struct sample *s, uint32_t inode)
{
	struct sock_rec r;
	memset(&r, 0, sizeof(r));
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.state = KTCP_ESTABLISHED;
	r.inode = inode;
	r.cookie = inode;
	sample_add_sock(s, &r);
}

/* A full scan's answer: a fresh owners, reading everything. */
static int full_scan(const char *root, const struct sample *socks, struct sample *out)
{
	struct owners *o;
	int err = owners_new(&o);

	sample_reset(out);
	for (size_t i = 0; i < socks->n_socks; i++)
		sample_add_sock(out, &socks->socks[i]);
	if (!err)
		err = owners_scan(o, root, out);
	owners_free(o);
	return err;
}

/* --- the real /proc: this process and its children --- */

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
			add_sock(s, w->socks[i].inode);
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
				CHECK_EQ(full_scan("/proc", &inc, &full), 0);
				snprintf(when, sizeof(when), "round %d, first scan", round);
				if (!no_wrong_owner(&inc, &full, when))
					mismatches++;
			}
		}
		CHECK_EQ(full_scan("/proc", &inc, &full), 0);  /* the same dump */
		snprintf(when, sizeof(when), "round %d", round);
		if (!same_owners(&inc, &full, when)) {
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

/* --- a fake proc root: every case by hand --- */

static char root[64];

/* A process: PID/stat with start_time as field 22, and an empty PID/fd. */
static void fake_proc(pid_t pid, unsigned long long start)
{
	char path[128], text[256];

	snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/fd", root, (int)pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%d/stat", (int)pid);
	snprintf(text, sizeof(text), "%d (a (b) c) S 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 "
		 "%llu 1000 100\n", (int)pid, start);
	fakeroot_put(root, path, text);
}

/* fd -> "socket:[inode]", or a file when inode is 0; replaces what was there. */
static void fake_fd(pid_t pid, int fd, uint32_t inode)
{
	char path[128], target[64];

	snprintf(path, sizeof(path), "%s/%d/fd/%d", root, (int)pid, fd);
	unlink(path);
	if (inode)
		snprintf(target, sizeof(target), "socket:[%u]", inode);
	else
		snprintf(target, sizeof(target), "/dev/null");
	CHECK_EQ(symlink(target, path), 0);
}

static void fake_close(pid_t pid, int fd)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/fd/%d", (int)pid, fd);
	fakeroot_drop(root, rel);
}

static void fake_exit(pid_t pid)
{
	char path[128];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%d/fd", root, (int)pid);
	d = opendir(path);
	while (d && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			fake_close(pid, atoi(de->d_name));
	if (d)
		closedir(d);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/%d/stat", root, (int)pid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
	rmdir(path);
}

static void make_root(void)
{
	strcpy(root, "/tmp/porttop-owners-XXXXXX");
	CHECK(mkdtemp(root) != NULL);
}

static void remove_root(void)
{
	fakeroot_remove(root);
}

/* Scans with o (incremental) and with a fresh owners; true when they agree. */
static bool scan_both(struct owners *o, const uint32_t *socks, size_t n, const char *when,
		      struct owners_stats *st)
{
	struct sample inc, full;
	bool same;

	sample_init(&inc);
	sample_init(&full);
	for (size_t i = 0; i < n; i++)
		add_sock(&inc, socks[i]);
	CHECK_EQ(owners_scan(o, root, &inc), 0);
	CHECK_EQ(full_scan(root, &inc, &full), 0);
	same = same_owners(&inc, &full, when);
	if (st)
		owners_get_stats(o, st);
	sample_free(&inc);
	sample_free(&full);
	return same;
}

static pid_t holder_of(struct owners *o, uint32_t inode, const uint32_t *socks, size_t n)
{
	struct sample s;
	pid_t pid = 0;

	sample_init(&s);
	for (size_t i = 0; i < n; i++)
		add_sock(&s, socks[i]);
	if (owners_scan(o, root, &s) == 0) {
		const struct owner_link *l = sample_find_owner(&s, inode);
		if (l)
			pid = s.procs[l->proc].pid;
	}
	sample_free(&s);
	return pid;
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

static void test_fake_root_has_no_fd_counts_and_lists_instead(void)
{
	struct owners *o;
	struct owners_stats st;
	uint32_t socks[] = { 11, 12, 13 };

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 0, 0);
	fake_fd(100, 3, 11);
	fake_fd(100, 4, 12);
	fake_proc(200, 6);
	fake_fd(200, 5, 13);
	fake_fd(200, 6, 12);  /* a socket two processes hold */
	CHECK_EQ(owners_new(&o), 0);
	CHECK(scan_both(o, socks, 3, "first", &st));
	CHECK(st.full);
	CHECK(!st.fd_counts);
	CHECK(scan_both(o, socks, 3, "unchanged", &st));
	CHECK(!st.full);
	CHECK_EQ(st.procs_listed_fds, 2);  /* listed, nothing read */
	CHECK_EQ(st.links_read, 0);
	CHECK_EQ(st.procs_read, 0);
	owners_free(o);
	remove_root();
}

static void test_reused_pid_is_read_again(void)
{
	struct owners *o;
	uint32_t socks[] = { 11, 12 };

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 3, 11);
	fake_proc(200, 6);
	fake_fd(200, 3, 11);  /* 11 lives on in 200 when 100 goes */
	fake_fd(200, 4, 12);
	CHECK_EQ(owners_new(&o), 0);
	owners_set_full_every(o, 0);
	CHECK(scan_both(o, socks, 2, "before", NULL));
	/* 100 exits; a new 100 has the same fd names, and a file where 11 was */
	fake_exit(100);
	fake_proc(100, 9);
	fake_fd(100, 3, 0);
	CHECK(scan_both(o, socks, 2, "pid reused", NULL));
	CHECK_EQ(holder_of(o, 11, socks, 2), 200);
	owners_free(o);
	remove_root();
}

static void test_fd_retargeted_in_place_is_followed(void)
{
	struct owners *o;
	uint32_t before[] = { 11, 12 }, after[] = { 21, 12 }, later[] = { 21, 12, 31 };

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 3, 11);
	fake_fd(100, 4, 12);
	fake_fd(100, 5, 0);
	CHECK_EQ(owners_new(&o), 0);
	owners_set_full_every(o, 0);
	CHECK(scan_both(o, before, 2, "before", NULL));
	/* 11 closed, 21 opened in its fd: 11 leaves the dump, so fd 3 is read again */
	fake_fd(100, 3, 21);
	CHECK(scan_both(o, after, 2, "socket replaced", NULL));
	CHECK_EQ(holder_of(o, 21, after, 2), 100);
	/* a file closed and a socket opened in its fd: nothing points at fd 5, so the new
	   socket is searched for at the next scan */
	fake_fd(100, 5, 31);
	CHECK_EQ(holder_of(o, 31, later, 3), 0);
	CHECK_EQ(holder_of(o, 31, later, 3), 100);
	CHECK(scan_both(o, later, 3, "file replaced", NULL));
	owners_free(o);
	remove_root();
}

static void test_socket_nobody_holds_is_searched_once(void)
{
	struct owners *o;
	struct owners_stats st;
	uint32_t socks[] = { 11, 99 };

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 3, 11);
	fake_proc(200, 6);
	fake_fd(200, 3, 0);
	CHECK_EQ(owners_new(&o), 0);
	owners_set_full_every(o, 0);
	CHECK(scan_both(o, socks, 1, "before", NULL));
	/* 99 joins the dump, held by nobody we can see (a kernel socket, another pid ns) */
	CHECK(scan_both(o, socks, 2, "appears", &st));
	CHECK_EQ(st.procs_searched, 0);
	CHECK(scan_both(o, socks, 2, "searched", &st));
	CHECK_EQ(st.procs_searched, 2);
	CHECK_EQ(st.orphans, 1);
	CHECK(scan_both(o, socks, 2, "after", &st));
	CHECK_EQ(st.procs_searched, 0);  /* remembered as held by nobody */
	/* a process that opens it (its fd table grows) is found without a search */
	fake_fd(200, 4, 99);
	CHECK(scan_both(o, socks, 2, "found", &st));
	CHECK_EQ(st.procs_searched, 0);
	CHECK_EQ(holder_of(o, 99, socks, 2), 200);
	owners_free(o);
	remove_root();
}

static void test_exited_process_and_its_sockets_go(void)
{
	struct owners *o;
	uint32_t both[] = { 11, 12 }, one[] = { 12 };

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 3, 11);
	fake_proc(300, 7);
	fake_fd(300, 3, 12);
	CHECK_EQ(owners_new(&o), 0);
	owners_set_full_every(o, 0);
	CHECK(scan_both(o, both, 2, "before", NULL));
	fake_exit(100);
	CHECK(scan_both(o, one, 1, "exited", NULL));
	CHECK_EQ(holder_of(o, 11, both, 2), 0);
	owners_free(o);
	remove_root();
}

/*
 * The blind spot: 100 swaps a socket that 200 keeps alive for a file, same fd names,
 * nothing leaves the dump.  The periodic full rescan repairs it.
 */
static void test_periodic_full_rescan_repairs_the_blind_spot(void)
{
	struct owners *o;
	struct owners_stats st;
	uint32_t socks[] = { 11 };
	bool repaired = false;

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 3, 11);
	fake_proc(200, 6);
	fake_fd(200, 3, 11);
	CHECK_EQ(owners_new(&o), 0);
	owners_set_full_every(o, 3);
	CHECK(scan_both(o, socks, 1, "before", &st));
	CHECK(st.full);
	fake_fd(100, 3, 0);
	for (int i = 0; i < 3 && !repaired; i++) {
		struct sample s, full;
		static struct pair a[16], b[16];
		sample_init(&s);
		sample_init(&full);
		add_sock(&s, 11);
		CHECK_EQ(owners_scan(o, root, &s), 0);
		CHECK_EQ(full_scan(root, &s, &full), 0);
		size_t na = flatten(&s, a, 16), nb = flatten(&full, b, 16);
		repaired = na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
		owners_get_stats(o, &st);
		sample_free(&s);
		sample_free(&full);
	}
	CHECK(repaired);
	CHECK(st.full);
	owners_free(o);
	remove_root();
}

static void test_changed_proc_root_starts_over(void)
{
	struct owners *o;
	struct owners_stats st;
	uint32_t socks[] = { 11 };

	make_root();
	fake_proc(100, 5);
	fake_fd(100, 3, 11);
	CHECK_EQ(owners_new(&o), 0);
	CHECK(scan_both(o, socks, 1, "fake root", NULL));
	{
		struct sample s;
		sample_init(&s);
		CHECK_EQ(owners_scan(o, "/proc", &s), 0);  /* nothing of ours there */
		owners_get_stats(o, &st);
		CHECK(st.full);
		CHECK_EQ(s.n_procs, 0);
		sample_free(&s);
	}
	CHECK(scan_both(o, socks, 1, "fake root again", &st));
	CHECK(st.full);
	CHECK_EQ(holder_of(o, 11, socks, 1), 100);
	CHECK_EQ(owners_scan(o, "/nonexistent-proc-root", &(struct sample){ 0 }), -ENOENT);
	owners_free(o);
	remove_root();
}

/* Why fd tables are closed: from the uid, CapEff and uid_map, as /proc shows them. */
static void test_unreadable_fd_tables_are_explained_by_porttops_credentials(void)
{
	const char *all = "Name:\tporttop\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
	const char *no_ptrace = "Name:\tporttop\nCapEff:\t000001fffff7ffff\n";  /* bit 19 off */
	const char *none = "Name:\tporttop\nCapEff:\t0000000000000000\n";
	const char *init_ns = "         0          0 4294967295\n";
	const char *child_ns = "         0       1000          1\n";

	/* the monitoring set of porttop(1): CAP_SYS_PTRACE (bit 19), CAP_DAC_READ_SEARCH (2) */
	const char *monitor = "Name:\tporttop\nCapEff:\t0000000000080004\n";
	const char *ptrace_only = "Name:\tporttop\nCapEff:\t0000000000080000\n";
	const char *dac_only = "Name:\tporttop\nCapEff:\t0000000000000004\n";
	/* CAP_DAC_OVERRIDE is bit 1 */
	const char *ptrace_override = "Name:\tporttop\nCapEff:\t0000000000080002\n";
	const char *all_but_dac = "Name:\tporttop\nCapEff:\t000001fffffffff9\n";  /* bits 1, 2 off */

	CHECK_EQ(access_decide(0, all, init_ns), OWNER_ACCESS_FULL);
	CHECK_EQ(access_decide(0, no_ptrace, init_ns), OWNER_ACCESS_NO_PTRACE);
	CHECK_EQ(access_decide(1000, none, init_ns), OWNER_ACCESS_NOT_ROOT);
	/* a user given CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH reads everything like root */
	CHECK_EQ(access_decide(1000, all, init_ns), OWNER_ACCESS_FULL);
	CHECK_EQ(access_decide(1000, monitor, init_ns), OWNER_ACCESS_FULL);
	/* one of the two missing: that one is named, not root and not a security module */
	CHECK_EQ(access_decide(1000, ptrace_only, init_ns), OWNER_ACCESS_NO_DAC_READ_SEARCH);
	CHECK_EQ(access_decide(1000, dac_only, init_ns), OWNER_ACCESS_NO_PTRACE);
	/* CAP_DAC_OVERRIDE lists the fd directories as well (generic_permission) */
	CHECK_EQ(access_decide(1000, ptrace_override, init_ns), OWNER_ACCESS_FULL);
	CHECK_EQ(access_decide(0, all_but_dac, init_ns), OWNER_ACCESS_NO_DAC_READ_SEARCH);
	/* root with no capability at all: the capability, not root, is what is missing */
	CHECK_EQ(access_decide(0, none, init_ns), OWNER_ACCESS_NO_PTRACE);
	/* root of a user namespace has every capability, but only over that namespace */
	CHECK_EQ(access_decide(0, all, child_ns), OWNER_ACCESS_USER_NS);
	CHECK_EQ(access_decide(1000, all, child_ns), OWNER_ACCESS_NOT_ROOT);
	/* nothing to tell from: root is not told to become root */
	CHECK_EQ(access_decide(0, NULL, NULL), OWNER_ACCESS_FULL);
	CHECK_EQ(access_decide(1000, NULL, NULL), OWNER_ACCESS_NOT_ROOT);
	/* a proc root without self/: what the uid alone tells */
	CHECK_EQ(access_probe("/nonexistent"), geteuid() == 0 ? OWNER_ACCESS_FULL : OWNER_ACCESS_NOT_ROOT);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(test_fake_root_has_no_fd_counts_and_lists_instead);
	RUN(test_reused_pid_is_read_again);
	RUN(test_fd_retargeted_in_place_is_followed);
	RUN(test_socket_nobody_holds_is_searched_once);
	RUN(test_exited_process_and_its_sockets_go);
	RUN(test_periodic_full_rescan_repairs_the_blind_spot);
	RUN(test_changed_proc_root_starts_over);
	RUN(test_incremental_equals_full_scan_after_random_churn);
	RUN(test_helper_thread_changes_no_owner);
	RUN(test_unreadable_fd_tables_are_explained_by_porttops_credentials);
	CHECK_DONE();
}
