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

/*
 * One group of socks (a destination, or a local endpoint for inbound ones): what the
 * process holds there, how old its oldest socket is (porttop dates each socket from
 * the first sample that held it), how fast it opens new ones, and where the
 * destination as a whole is heading.
 */
struct detail_group {
	size_t first, count;             /* socks[first .. first + count - 1] */
	unsigned by_state[STATE_COUNT];
	unsigned ephemeral;              /* ports of the usable range it holds there */
	double oldest_seconds;           /* age of its oldest socket there; -1 unknown */
	bool oldest_at_least;            /* that one was there when porttop started: older still */
	double new_per_sec;              /* its sockets there first seen in the last minute,
					  * per second; -1 before a second sample */
	bool has_destination;            /* a connect() pool of the model: the fields below */
	unsigned dest_in_use, dest_capacity;
	double dest_blocked_percent;
	struct forecast forecast;        /* the destination's, every process's sockets there */
};

struct details {
	pid_t pid;
	unsigned long long start_time;
	/* grouped by protocol and destination (inbound ones by local address and port),
	 * then by state and local port */
	struct detail_sock *socks;
	size_t n_socks, cap_socks;
	struct detail_group *groups;     /* details_breakdown */
	size_t n_groups, cap_groups;
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

/* Fills d->groups for the sockets details_compute collected, from the model built on
 * the same sample and the history advanced past it (first sightings; may be NULL).
 * 0 or -ENOMEM. */
int details_breakdown(struct details *d, const struct model *m, const struct history *h);

/* Do a and b belong to the same group (protocol and destination, or local endpoint if inbound)? */
bool details_same_group(const struct detail_sock *a, const struct detail_sock *b);

#endif
