/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One process's sockets, for the details view and the kill prompt: its open sockets
 * (through the owner links of the sample) and the orphans (TIME_WAIT, FIN_WAIT2, ...)
 * charged to it (attribution.c), ordered by destination and state.  Pure: no I/O.
 */
#ifndef PORTTOP_DETAILS_H
#define PORTTOP_DETAILS_H

#include "model.h"

struct detail_sock {
	struct sock_rec rec;
	enum tcp_state state;     /* TCP state; UDP sockets are CLOSE or ESTABLISHED */
	bool ephemeral;           /* local port inside the usable range */
	bool orphan;              /* closed by its owner, still holding its port */
	bool inbound;             /* a peer on a local port outside the range: accepted by a listener */
};

struct details {
	pid_t pid;
	unsigned long long start_time;
	/* grouped by protocol and destination (inbound ones by local address and port),
	 * then by state and local port */
	struct detail_sock *socks;
	size_t n_socks, cap_socks;
};

/* What killing the process frees: its ephemeral ports split by what holds them. */
struct details_summary {
	unsigned ephemeral;                 /* open sockets with an ephemeral local port */
	unsigned by_holder[HOLDER_COUNT];   /* of those; HOLDER_TIME_WAIT stays 0 */
	unsigned orphans;                   /* ports of its orphans (TIME_WAIT, ...): held on after a kill */
};

void details_init(struct details *d);
void details_free(struct details *d);

/* Collects the sockets of (pid, start_time) from s and h (h may be NULL).  0 or -ENOMEM. */
int details_compute(struct details *d, const struct sample *s, const struct history *h,
		    pid_t pid, unsigned long long start_time);

void details_summarize(const struct details *d, struct details_summary *out);

/* Do a and b belong to the same group (protocol and destination, or local endpoint if inbound)? */
bool details_same_group(const struct detail_sock *a, const struct detail_sock *b);

#endif
