#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "access.h"
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
};

int source_open(struct source **out, enum source_mode mode, const char *proc_root,
		enum sample_step *failed)
{
	struct source *src = calloc(1, sizeof(*src));
	int err;

	*failed = SAMPLE_STEP_MEMORY;
	if (!src)
		return -ENOMEM;
	src->mode = mode;
	src->proc_root = proc_root;
	src->owner_access = access_probe(proc_root);
	if (mode != SOURCE_MODE_PROC) {
		*failed = SAMPLE_STEP_SOCK_DIAG;
		err = sockdiag_open(&src->diag);
		if (err && mode == SOURCE_MODE_NETLINK)
			goto fail;
		if (err)
			src->fallback_reason = err;
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

static uint64_t netns_inode(const char *proc_root)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/self/ns/net", proc_root);
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

int source_sample(struct source *src, struct sample *s, enum sample_step *failed)
{
	int err;

	sample_reset(s);
	stamp(s);
	s->netns_inode = netns_inode(src->proc_root);
	*failed = SAMPLE_STEP_SYSCTL_RANGE;
	err = sysctl_read(src->proc_root, &s->sys);
	if (err)
		return err;
	err = read_sockets(src, s, failed);
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

int source_destroy_socket(struct source *src, const struct sock_rec *rec)
{
	if (!src->diag)
		return -EOPNOTSUPP;
	return sockdiag_destroy(src->diag, rec);
}
