/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket owners, case by case, on a fake proc root (not a procfs: no fd counts, the
 * listing fallback): pid reuse, fds retargeted, sockets nobody holds, and the one
 * blind spot the periodic full rescan repairs; each incremental scan is compared
 * with a full one.  The same at random on the real /proc is test_owners_churn.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fakeroot.h"
#include "scancompare.h"
#include "sample/access.h"
#include "sample/owners.h"
#include "core/sample.h"

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
		scancompare_add_sock(&inc, socks[i]);
	CHECK_EQ(owners_scan(o, root, &inc), 0);
	CHECK_EQ(scancompare_full_scan(root, &inc, &full), 0);
	same = scancompare_same(&inc, &full, when);
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
		scancompare_add_sock(&s, socks[i]);
	if (owners_scan(o, root, &s) == 0) {
		const struct owner_link *l = sample_find_owner(&s, inode);
		if (l)
			pid = s.procs[l->proc].pid;
	}
	sample_free(&s);
	return pid;
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
		sample_init(&s);
		sample_init(&full);
		scancompare_add_sock(&s, 11);
		CHECK_EQ(owners_scan(o, root, &s), 0);
		CHECK_EQ(scancompare_full_scan(root, &s, &full), 0);
		repaired = scancompare_equal(&s, &full);
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
	RUN(test_fake_root_has_no_fd_counts_and_lists_instead);
	RUN(test_reused_pid_is_read_again);
	RUN(test_fd_retargeted_in_place_is_followed);
	RUN(test_socket_nobody_holds_is_searched_once);
	RUN(test_exited_process_and_its_sockets_go);
	RUN(test_periodic_full_rescan_repairs_the_blind_spot);
	RUN(test_changed_proc_root_starts_over);
	RUN(test_unreadable_fd_tables_are_explained_by_porttops_credentials);
	CHECK_DONE();
}
