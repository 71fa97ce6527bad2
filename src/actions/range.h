/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Changing net.ipv4.ip_local_port_range from porttop: parse, check against what the
 * sample shows, write, read back.  Messages are made by the caller; this says what.
 */
#ifndef PORTTOP_RANGE_H
#define PORTTOP_RANGE_H

#include <stdbool.h>
#include "model/model.h"
#include "core/sample.h"

enum range_error {
	RANGE_OK,
	RANGE_ERR_SYNTAX,      /* not "low high" or "low-high" integers */
	RANGE_ERR_BOUNDS,      /* outside 1-65535 */
	RANGE_ERR_ORDER,       /* low > high */
	RANGE_ERR_PRIVILEGED,  /* low below ip_unprivileged_port_start: the kernel refuses */
	RANGE_ERR_TOO_SMALL,   /* fewer usable ports than are in use now */
	RANGE_ERR_UNCHANGED,   /* the same as now */
};

enum range_warning {
	RANGE_WARN_PARITY = 1 << 0,      /* start and end of the same parity */
	RANGE_WARN_LISTENERS = 1 << 2,   /* listening sockets inside the new range */
	RANGE_WARN_RESERVED = 1 << 3,    /* reserved ports inside the new range */
	RANGE_WARN_SMALLER = 1 << 4,     /* the new range is smaller than the old one */
};

#define RANGE_LIST_MAX 5

struct range_check {
	int low, high;
	enum range_error error;
	unsigned warnings;
	int unprivileged_port_start;         /* the sample's, -1 when unknown */
	unsigned usable;                     /* new size minus reserved ports in it */
	unsigned in_use;                     /* ports in use now (the fuller pool) */
	unsigned listeners[RANGE_LIST_MAX];  /* first listening ports inside the new range */
	unsigned n_listeners;                /* how many in all */
	unsigned reserved[RANGE_LIST_MAX];
	unsigned n_reserved;
};

/* "40000 60999", "40000-60999", "40000\t60999".  0 or -EINVAL. */
int range_parse(const char *text, int *low, int *high);

/* Checks text against the current sample and model; fills out. */
void range_check(const char *text, const struct sample *s, const struct model *m,
		 struct range_check *out);

#endif
