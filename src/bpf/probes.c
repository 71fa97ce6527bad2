/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading, attaching and pinning the probes of porttop.bpf.c.  A private copy lives
 * as long as porttop: its links and maps are file descriptors, so the kernel
 * detaches and frees them however porttop exits.  A pinned copy lives in bpffs
 * until --bpf-unpin.
 */
#include "probes-internal.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "porttop.skel.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PROBES_BTF "/sys/kernel/btf/vmlinux"
#define PROBES_BPFFS "/sys/fs/bpf"
#define PROBES_BPFFS_MAGIC 0xcafe4a11 /* BPF_FS_MAGIC, include/uapi/linux/magic.h */

/* What probes_pin leaves under PROBES_PIN_DIR, one file each. */
static const char *const pinned_maps[] = { "births", "pending", "fail_procs", "fail_dests",
					   "connects", "netns_watch" };
static const char *const pinned_progs[] = { "prog_sys_exit", "prog_set_state" };
static const char *const pinned_links[] = { "link_sys_exit", "link_set_state" };

/* libbpf's own messages (verifier logs) would garble the live view: the error code says enough. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int netns_of(const char *proc_root, __u32 *out)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/self/ns/net", proc_root);
	if (stat(path, &st) < 0)
		return -errno;
	*out = (__u32)st.st_ino;
	return 0;
}

/* Root, BTF for CO-RE: what loading needs before the kernel is even asked. */
static int check_capable(enum probe_status *why)
{
	if (geteuid() != 0) {
		*why = PROBE_OFF_NOT_ROOT;
		return -EPERM;
	}
	if (access(PROBES_BTF, R_OK) < 0) {
		*why = PROBE_OFF_NO_BTF;
		return -ENOENT;
	}
	libbpf_set_print(quiet);
	return 0;
}

static int watch_netns(int watch_fd, __u32 netns)
{
	__u8 yes = 1;

	return bpf_map_update_elem(watch_fd, &netns, &yes, BPF_ANY) < 0 ? -errno : 0;
}

/* Room for every TIME_WAIT the namespace may hold plus the live connections (probe_maps.h). */
static __u32 births_size(const char *proc_root)
{
	char path[256];
	unsigned long tw = 131072;  /* the usual default when it cannot be read */
	FILE *fp;

	snprintf(path, sizeof(path), "%s/sys/net/ipv4/tcp_max_tw_buckets", proc_root);
	fp = fopen(path, "re");
	if (fp) {
		if (fscanf(fp, "%lu", &tw) != 1)
			tw = 131072;
		fclose(fp);
	}
	return tw >= PROBE_BIRTHS_MAX - PROBE_BIRTHS_LIVE ? PROBE_BIRTHS_MAX
							 : (__u32)tw + PROBE_BIRTHS_LIVE;
}

int probes_watch(struct probes *p, __u32 netns)
{
	int err = watch_netns(p->watch_fd, netns);

	if (!err) {
		p->netns = netns;
		p->n_known = 0;  /* births are per namespace */
	}
	return err;
}

static int load_private(struct probes *p, const char *proc_root)
{
	int err;

	p->skel = porttop_bpf__open();
	if (!p->skel)
		return errno ? -errno : -EINVAL;
	err = bpf_map__set_max_entries(p->skel->maps.births, births_size(proc_root));
	if (!err)
		err = porttop_bpf__load(p->skel);
	if (err)
		return err < 0 ? err : -EINVAL;
	p->watch_fd = bpf_map__fd(p->skel->maps.netns_watch);
	err = p->netns ? probes_watch(p, p->netns) : 0;
	if (!err)
		err = porttop_bpf__attach(p->skel);
	if (err)
		return err < 0 ? err : -EINVAL;
	p->births_fd = bpf_map__fd(p->skel->maps.births);
	p->fail_procs_fd = bpf_map__fd(p->skel->maps.fail_procs);
	p->fail_dests_fd = bpf_map__fd(p->skel->maps.fail_dests);
	p->connects_fd = bpf_map__fd(p->skel->maps.connects);
	return 0;
}

/*
 * A pinned map, if its key and value are the layout this porttop reads: probes pinned
 * by another version are not read (-EPROTO) rather than misread.
 */
static int pinned_get(const char *name, size_t key_size, size_t value_size)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", PROBES_PIN_DIR, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0 || info.key_size != key_size ||
	    info.value_size != value_size) {
		close(fd);
		return -EPROTO;
	}
	return fd;
}

/* The pinned copy counts only while its links are pinned too. */
static bool links_pinned(void)
{
	for (size_t i = 0; i < ARRAY_LEN(pinned_links); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", PROBES_PIN_DIR, pinned_links[i]);
		if (access(path, F_OK) < 0)
			return false;
	}
	return true;
}

static int open_pinned(struct probes *p)
{
	if (!links_pinned())
		return -ENOENT;
	p->births_fd = pinned_get("births", sizeof(struct probe_tuple_key), sizeof(struct probe_owner));
	p->fail_procs_fd = pinned_get("fail_procs", sizeof(struct probe_proc_key),
				      sizeof(struct probe_proc_value));
	p->fail_dests_fd = pinned_get("fail_dests", sizeof(struct probe_dest_key), sizeof(__u64));
	p->connects_fd = pinned_get("connects", sizeof(struct probe_proc_key),
				    sizeof(struct probe_proc_value));
	p->watch_fd = pinned_get("netns_watch", sizeof(__u32), sizeof(__u8));
	if (p->births_fd < 0 || p->fail_procs_fd < 0 || p->fail_dests_fd < 0 || p->connects_fd < 0 ||
	    p->watch_fd < 0)
		return p->births_fd < 0 ? p->births_fd : -ENOENT;
	p->pinned = true;
	return 0;
}

static void close_pinned(struct probes *p)
{
	int *fds[] = { &p->births_fd, &p->fail_procs_fd, &p->fail_dests_fd, &p->connects_fd,
		       &p->watch_fd };

	for (size_t i = 0; i < ARRAY_LEN(fds); i++) {
		if (!p->skel && *fds[i] >= 0)  /* a private copy's fds are the skeleton's */
			close(*fds[i]);
		*fds[i] = -1;
	}
	p->pinned = false;
}

static struct probes *probes_new(void)
{
	struct probes *p = calloc(1, sizeof(*p));

	if (p)
		p->births_fd = p->fail_procs_fd = p->fail_dests_fd = p->connects_fd = p->watch_fd = -1;
	return p;
}

int probes_open(struct probes **out, const char *proc_root, enum probe_status *why)
{
	struct probes *p;
	int err = check_capable(why);

	if (err)
		return err;
	p = probes_new();
	if (!p)
		return -ENOMEM;
	/* the namespace to record comes with the first sample (probes_read): --netns may
	 * point elsewhere than porttop's own */
	if (open_pinned(p) < 0) {
		close_pinned(p);
		err = load_private(p, proc_root);
	}
	if (err) {
		*why = PROBE_OFF_LOAD_FAILED;
		probes_close(p);
		return err;
	}
	*why = PROBE_ON;
	*out = p;
	return 0;
}

void probes_close(struct probes *p)
{
	if (!p)
		return;
	close_pinned(p);
	porttop_bpf__destroy(p->skel);
	free(p->seen);
	free(p->seen_next);
	free(p->known);
	free(p->known_next);
	free(p);
}

/* bpftool's habit: pinning needs a bpffs at /sys/fs/bpf, so mount one if there is none. */
static int ensure_bpffs(void)
{
	struct statfs fs;

	if (statfs(PROBES_BPFFS, &fs) == 0 && (unsigned long)fs.f_type == PROBES_BPFFS_MAGIC)
		return 0;
	if (mount("bpf", PROBES_BPFFS, "bpf", 0, "mode=0700") < 0)
		return -errno;
	return 0;
}

static int pin_all(struct porttop_bpf *skel)
{
	struct bpf_map *maps[] = { skel->maps.births, skel->maps.pending, skel->maps.fail_procs,
				   skel->maps.fail_dests, skel->maps.connects, skel->maps.netns_watch };
	struct bpf_program *progs[] = { skel->progs.porttop_sys_exit, skel->progs.porttop_set_state };
	struct bpf_link *links[] = { skel->links.porttop_sys_exit, skel->links.porttop_set_state };
	char path[256];
	int err = 0;

	for (size_t i = 0; !err && i < ARRAY_LEN(maps); i++) {
		snprintf(path, sizeof(path), "%s/%s", PROBES_PIN_DIR, pinned_maps[i]);
		err = bpf_map__pin(maps[i], path);
	}
	for (size_t i = 0; !err && i < ARRAY_LEN(progs); i++) {
		snprintf(path, sizeof(path), "%s/%s", PROBES_PIN_DIR, pinned_progs[i]);
		err = bpf_program__pin(progs[i], path);
	}
	for (size_t i = 0; !err && i < ARRAY_LEN(links); i++) {
		snprintf(path, sizeof(path), "%s/%s", PROBES_PIN_DIR, pinned_links[i]);
		err = bpf_link__pin(links[i], path);
	}
	return err;
}

int probes_pin(const char *proc_root, enum probe_status *why)
{
	struct probes *p;
	int err = check_capable(why);

	if (err)
		return err;
	*why = PROBE_OFF_LOAD_FAILED;
	err = ensure_bpffs();
	if (err)
		return err;
	if (links_pinned())
		return -EEXIST;
	p = probes_new();
	if (!p)
		return -ENOMEM;
	err = netns_of(proc_root, &p->netns);
	if (!err)
		err = load_private(p, proc_root);
	if (!err && mkdir(PROBES_PIN_DIR, 0700) < 0 && errno != EEXIST)
		err = -errno;
	if (!err)
		err = pin_all(p->skel);
	probes_close(p);
	if (err) {
		probes_unpin();
		return err;
	}
	*why = PROBE_ON;
	return 0;
}

int probes_unpin(void)
{
	const char *const *lists[] = { pinned_links, pinned_progs, pinned_maps };
	size_t sizes[] = { ARRAY_LEN(pinned_links), ARRAY_LEN(pinned_progs), ARRAY_LEN(pinned_maps) };
	bool found = false;
	int err = 0;

	for (size_t l = 0; l < ARRAY_LEN(lists); l++) {
		for (size_t i = 0; i < sizes[l]; i++) {
			char path[256];
			snprintf(path, sizeof(path), "%s/%s", PROBES_PIN_DIR, lists[l][i]);
			if (unlink(path) == 0)
				found = true;
			else if (errno != ENOENT && !err)
				err = -errno;
		}
	}
	if (rmdir(PROBES_PIN_DIR) == 0)
		found = true;
	else if (errno != ENOENT && !err)
		err = -errno;
	return err ? err : found ? 0 : -ENOENT;
}
