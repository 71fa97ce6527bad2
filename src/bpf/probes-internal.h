/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What probes.c (load, attach, pin) shares with probes-read.c (reading the maps). */
#ifndef PORTTOP_PROBES_INTERNAL_H
#define PORTTOP_PROBES_INTERNAL_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "probe_maps.h"
#include "probes.h"

struct porttop_bpf;

/* The counts of one (process, destination) at the previous read, for rates. */
struct probes_seen {
	struct probe_dest_key key;
	__u64 count;
};

/* What the births map said for one socket cookie: a socket's birth never changes. */
struct probes_known {
	__u64 cookie;
	bool found;
	struct probe_owner owner;
};

struct probes {
	struct porttop_bpf *skel;  /* a private copy; NULL when reading pinned maps */
	bool pinned;
	int births_fd, fail_procs_fd, fail_dests_fd, connects_fd, watch_fd;  /* owned only when pinned */
	__u32 netns;               /* the namespace recorded for the samples, 0 before the first */

	/* failure counts at the previous read, sorted by key */
	struct probes_seen *seen, *seen_next;
	size_t n_seen, n_seen_next, cap_seen, cap_seen_next;
	bool read_before;

	/* births by cookie at the previous read, sorted; this read's, made as it goes */
	struct probes_known *known, *known_next;
	size_t n_known, n_known_next, cap_known, cap_known_next;
};

/* Records netns from now on (probes.c); 0 or -errno. */
int probes_watch(struct probes *p, __u32 netns);

#endif
