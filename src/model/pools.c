/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How full the ephemeral range is, computed the way the kernel allocates
 * (net/ipv4/inet_hashtables.c __inet_hash_connect, inet_connection_sock.c
 * inet_csk_get_port; see doc/kernel.md, "Pools per destination", "Pools per local
 * address", "Reserved ports", "IPv6"):
 *  - bind(port 0) needs a port no socket holds: the pool is the distinct ports held,
 *    IPv4 and IPv6 together (one bind table, one range sysctl);
 *  - a plain connect() may reuse a port for another destination, so it runs out per
 *    (local address, remote address, remote port), and it skips every port held by a
 *    listener or a bind() owner, whatever its address (destinations.c counts those).
 */
#include "model-internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

bool pools_in_usable(const struct port_sysctls *sys, unsigned port)
{
	return (int)port >= sys->low && (int)port <= sys->high && !port_reserved(sys, port);
}

void pools_range(const struct port_sysctls *sys, struct range_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->low = sys->low;
	out->high = sys->high;
	if (sys->high < sys->low || sys->low < 0 || sys->high >= SAMPLE_PORT_COUNT)
		return;
	out->size = (unsigned)(sys->high - sys->low + 1);
	for (int port = sys->low; port <= sys->high; port++)
		if (port_reserved(sys, (unsigned)port))
			out->reserved++;
	out->usable = out->size - out->reserved;
}

/* When several sockets share a port, the bar shows the state that matters most. */
static enum port_holder holder_of(const struct sock_rec *rec)
{
	if (rec->protocol != IPPROTO_TCP)
		return rec->state == KTCP_ESTABLISHED ? HOLDER_ESTABLISHED : HOLDER_OTHER;
	switch (states_classify(rec)) {
	case STATE_ESTABLISHED: return HOLDER_ESTABLISHED;
	case STATE_CLOSE_WAIT: return HOLDER_CLOSE_WAIT;
	case STATE_TIME_WAIT: return HOLDER_TIME_WAIT;
	default: return HOLDER_OTHER;
	}
}

/* Priority order of holders for a shared port: lower wins. */
static const uint8_t holder_rank[HOLDER_COUNT] = {
	[HOLDER_ESTABLISHED] = 1, [HOLDER_CLOSE_WAIT] = 2, [HOLDER_TIME_WAIT] = 3, [HOLDER_OTHER] = 4,
};

/*
 * Per port of the range: the best holder rank of TCP and of UDP, whether connect()
 * skips it, and when its last TIME_WAIT ends if only TIME_WAIT holds it.
 */
struct port_marks {
	uint8_t tcp_rank[SAMPLE_PORT_COUNT];
	uint8_t udp_rank[SAMPLE_PORT_COUNT];
	uint8_t blocked[SAMPLE_PORT_COUNT];
	uint8_t not_time_wait[SAMPLE_PORT_COUNT];   /* a TCP socket other than TIME_WAIT holds it */
	uint32_t time_wait_ends[SAMPLE_PORT_COUNT]; /* the latest TIME_WAIT expiry on it, ms */
	uint8_t time_wait_new[SAMPLE_PORT_COUNT];   /* a socket on it entered TIME_WAIT since the last sample */
};

/* The ports of the TCP pool that only TIME_WAIT holds: when each frees, and which are new. */
static void pool_time_wait(struct pool_stats *pool, const struct port_marks *pm,
			   const struct port_sysctls *sys)
{
	for (int port = sys->low; port <= sys->high && port < SAMPLE_PORT_COUNT; port++) {
		uint32_t ends = pm->time_wait_ends[port];
		unsigned bucket;

		if (!pm->tcp_rank[port] || pm->not_time_wait[port] || !ends)
			continue;
		pool->figures.time_wait++;
		pool->figures.time_wait_new += pm->time_wait_new[port];
		bucket = (ends - 1) / (FORECAST_BUCKET_SECONDS * 1000u);
		if (bucket < FORECAST_BUCKETS)
			pool->frees[bucket]++;
	}
}

/* One pass over the sockets for both pools and the ports every connect() skips. */
static void mark_ports(struct port_marks *pm, const struct model *m, const struct sample *s)
{
	memset(pm, 0, sizeof(*pm));
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		uint8_t rank, *at;

		if (!pools_in_usable(&s->sys, rec->local_port))
			continue;
		rank = holder_rank[holder_of(rec)];
		at = rec->protocol == IPPROTO_TCP ? &pm->tcp_rank[rec->local_port]
						  : &pm->udp_rank[rec->local_port];
		if (!*at || rank < *at)
			*at = rank;
		if (rec->protocol == IPPROTO_TCP) {
			enum tcp_state st = states_classify(rec);
			if (st == STATE_LISTEN || st == STATE_BOUND)
				pm->blocked[rec->local_port] = 1;
			if (st != STATE_TIME_WAIT)
				pm->not_time_wait[rec->local_port] = 1;
			else if (rec->expires_ms + 1 > pm->time_wait_ends[rec->local_port])
				pm->time_wait_ends[rec->local_port] = rec->expires_ms + 1;
			pm->time_wait_new[rec->local_port] |= model_time_wait_is_new(m, s, i);
		}
	}
}

static void pool_count(struct pool_stats *pool, const struct port_sysctls *sys,
		       const uint8_t *port_rank, unsigned usable)
{
	memset(pool, 0, sizeof(*pool));
	for (int port = sys->low; port <= sys->high && port < SAMPLE_PORT_COUNT; port++) {
		uint8_t rank = port_rank[port];
		if (!rank)
			continue;
		pool->in_use++;
		for (int h = 0; h < HOLDER_COUNT; h++)
			if (holder_rank[h] == rank)
				pool->by_holder[h]++;
	}
	pool->percent = model_percent(pool->in_use, usable);
}

/* Ports connect() skips for every destination: held by a listener or a bind() owner. */
static unsigned ports_blocked_for_connect(const struct port_sysctls *sys, const uint8_t *blocked)
{
	unsigned n = 0;
	for (int port = sys->low; port <= sys->high && port < SAMPLE_PORT_COUNT; port++)
		n += blocked[port];
	return n;
}

int pools_compute(struct model *m, const struct sample *s)
{
	struct port_marks *pm = malloc(sizeof(*pm));
	unsigned blocked;
	int err;

	if (!pm)
		return -ENOMEM;
	pools_range(&s->sys, &m->range);
	mark_ports(pm, m, s);
	pool_count(&m->tcp, &s->sys, pm->tcp_rank, m->range.usable);
	pool_count(&m->udp, &s->sys, pm->udp_rank, m->range.usable);
	pool_time_wait(&m->tcp, pm, &s->sys);
	m->tcp.figures.held = m->tcp.in_use;
	m->udp.figures.held = m->udp.in_use;
	blocked = ports_blocked_for_connect(&s->sys, pm->blocked);
	free(pm);
	m->connect_blocked = blocked;
	err = destinations_compute(m, s, m->range.usable > blocked ? m->range.usable - blocked : 0);
	return err ? err : bindpools_compute(m, s);
}
