/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "access.h"
#include "kcounters.h"
#include "netns.h"
#include "owners.h"
#include "procinfo.h"
#include "procnet.h"
#include "sockdiag.h"
#include "sysctl.h"

struct source {
	enum source_mode mode;
	const char *proc_root;
	struct sockdiag *diag;     /* NULL when reading /proc/net */
	int fallback_reason;
	enum owner_access owner_access;  /* porttop's credentials do not change while it runs */
	struct owners *owners;
	struct procinfo *procinfo;
	struct netns netns;        /* --netns: the namespace looked into */
};

/* The netlink socket is opened inside the namespace: it dumps that namespace's
 * sockets for as long as it lives (sock_diag answers for sock_net of the socket). */
static int open_netlink(struct source *src, enum sample_step *failed)
{
	int err, left;

	*failed = SAMPLE_STEP_NETNS;
	err = netns_enter(&src->netns);
	if (err)
		return err;
	*failed = SAMPLE_STEP_SOCK_DIAG;
	err = sockdiag_open(&src->diag);
	left = netns_leave(&src->netns);
	if (left) {
		*failed = SAMPLE_STEP_NETNS;
		return left;
	}
	if (err && src->mode != SOURCE_MODE_NETLINK) {
		src->fallback_reason = err;
		err = 0;
	}
	return err;
}

int source_open(struct source **out, const struct source_options *opt, enum sample_step *failed)
{
	struct source *src = calloc(1, sizeof(*src));
	int err;

	*failed = SAMPLE_STEP_MEMORY;
	if (!src)
		return -ENOMEM;
	src->mode = opt->mode;
	src->proc_root = opt->proc_root;
	src->owner_access = access_probe(opt->proc_root);
	src->netns.target = src->netns.home = -1;
	*failed = SAMPLE_STEP_NETNS;
	err = netns_open(&src->netns, opt->proc_root, opt->netns);
	if (err)
		goto fail;
	if (src->mode != SOURCE_MODE_PROC) {
		err = open_netlink(src, failed);
		if (err)
			goto fail;
	}
	*failed = SAMPLE_STEP_MEMORY;
	err = owners_new(&src->owners);
	if (err)
		goto fail;
	*failed = SAMPLE_STEP_PROCINFO;
	err = procinfo_open(&src->procinfo);
	if (err)
		goto fail;
	*failed = SAMPLE_STEP_NONE;
	*out = src;
	return 0;
fail:
	source_close(src);
	return err;
}

void source_close(struct source *src)
{
	if (!src)
		return;
	sockdiag_close(src->diag);
	netns_close(&src->netns);
	owners_free(src->owners);
	procinfo_close(src->procinfo);
	free(src);
}

enum sample_source source_kind(const struct source *src)
{
	return src->diag ? SAMPLE_SOURCE_NETLINK : SAMPLE_SOURCE_PROC;
}

static void stamp(struct sample *s)
{
	struct timespec mono;

	clock_gettime(CLOCK_REALTIME, &s->wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	s->monotonic = (double)mono.tv_sec + (double)mono.tv_nsec / 1e9;
}

uint64_t source_netns_inode(const struct source *src)
{
	char path[256];
	struct stat st;

	if (src->netns.target >= 0)
		return src->netns.inode;
	snprintf(path, sizeof(path), "%s/self/ns/net", src->proc_root);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* In auto mode a netlink failure (e.g. inet_diag not loaded) falls back to /proc/net. */
static int read_sockets(struct source *src, struct sample *s, enum sample_step *failed)
{
	if (src->diag) {
		int err = sockdiag_dump(src->diag, s);
		if (!err || src->mode == SOURCE_MODE_NETLINK) {
			*failed = SAMPLE_STEP_SOCK_DIAG;
			return err;
		}
		sockdiag_close(src->diag);
		src->diag = NULL;
		src->fallback_reason = err;
		s->n_socks = 0;
	}
	*failed = SAMPLE_STEP_PROC_NET;
	return procnet_read(src->proc_root, s);
}

/* The sysctls and /proc/net show the namespace of the thread that opens them. */
static int read_netns_facts(struct source *src, struct sample *s, enum sample_step *failed)
{
	int err, left;

	*failed = SAMPLE_STEP_NETNS;
	err = netns_enter(&src->netns);
	if (err)
		return err;
	*failed = SAMPLE_STEP_SYSCTL_RANGE;
	err = sysctl_read(src->proc_root, &s->sys);
	if (!err)
		err = read_sockets(src, s, failed);
	/* the counters are per namespace too (/proc/net/netstat, snmp: init_net_mib per net) */
	if (!err) {
		*failed = SAMPLE_STEP_MEMORY;
		err = kcounters_read(src->proc_root, &s->counters);
	}
	left = netns_leave(&src->netns);
	if (left) {
		*failed = SAMPLE_STEP_NETNS;
		return left;
	}
	return err;
}

/*
 * Whether proc_root is a procfs no more (a container's /proc unmounted under us):
 * /proc/self is procfs's own link (proc_self_get_link), so it resolves on every
 * mounted /proc and on no directory left behind by an unmount.
 */
static bool proc_gone(const struct source *src)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/self", src->proc_root);
	return stat(path, &st) < 0 && errno == ENOENT;
}

static int take_sample(struct source *src, struct sample *s, enum sample_step *failed)
{
	int err;

	sample_reset(s);
	stamp(s);
	s->netns_inode = source_netns_inode(src);
	err = read_netns_facts(src, s, failed);
	if (err)
		return err;
	s->source = source_kind(src);
	s->netlink_error = src->fallback_reason;
	s->owner_access = src->owner_access;
	*failed = SAMPLE_STEP_OWNERS;
	err = owners_scan(src->owners, src->proc_root, s);
	if (err)
		return err;
	*failed = SAMPLE_STEP_PROCINFO;
	err = procinfo_fill(src->procinfo, s);
	if (!err)
		*failed = SAMPLE_STEP_NONE;
	return err;
}

/* Whatever step failed, a /proc that is gone is the reason, and says so. */
int source_sample(struct source *src, struct sample *s, enum sample_step *failed)
{
	int err = take_sample(src, s, failed);

	if (err && proc_gone(src))
		*failed = SAMPLE_STEP_PROC_GONE;
	return err;
}

int source_only_pids(struct source *src, const pid_t *pids, size_t n)
{
	return owners_only_pids(src->owners, pids, n);
}

int source_destroy_socket(struct source *src, const struct sock_rec *rec)
{
	if (!src->diag)
		return -EOPNOTSUPP;
	return sockdiag_destroy(src->diag, rec);
}

int source_write_range(struct source *src, int low, int high)
{
	int err = netns_enter(&src->netns), left;

	if (err)
		return err;
	err = sysctl_write_range(src->proc_root, low, high);
	left = netns_leave(&src->netns);
	return left ? left : err;
}
