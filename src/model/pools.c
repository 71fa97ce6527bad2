/*
 * How full the ephemeral range is, computed the way the kernel allocates
 * (net/ipv4/inet_hashtables.c __inet_hash_connect, inet_connection_sock.c
 * inet_csk_get_port; see KERNEL-FACTS.md):
 *  - bind(port 0) needs a port no socket holds: the pool is the distinct ports held,
 *    IPv4 and IPv6 together (one bind table, one range sysctl);
 *  - a plain connect() may reuse a port for another destination, so it runs out per
 *    (local address, remote address, remote port), and it skips every port held by a
 *    listener or a bind() owner, whatever its address.
 */
#include "model.h"

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

static double percent_of(unsigned part, unsigned whole)
{
	if (whole == 0)
		return part ? 100.0 : 0.0;
	return 100.0 * part / whole;
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

static void pool_count(struct pool_stats *pool, const struct sample *s, int protocol,
		       unsigned usable, uint8_t *port_rank)
{
	memset(pool, 0, sizeof(*pool));
	memset(port_rank, 0, SAMPLE_PORT_COUNT);
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		uint8_t rank;

		if (rec->protocol != protocol || !pools_in_usable(&s->sys, rec->local_port))
			continue;
		rank = holder_rank[holder_of(rec)];
		if (!port_rank[rec->local_port] || rank < port_rank[rec->local_port])
			port_rank[rec->local_port] = rank;
	}
	for (int port = s->sys.low; port <= s->sys.high && port < SAMPLE_PORT_COUNT; port++) {
		uint8_t rank = port_rank[port];
		if (!rank)
			continue;
		pool->in_use++;
		for (int h = 0; h < HOLDER_COUNT; h++)
			if (holder_rank[h] == rank)
				pool->by_holder[h]++;
	}
	pool->percent = percent_of(pool->in_use, usable);
}

/* Ports connect() skips for every destination: held by a listener or a bind() owner. */
static unsigned ports_blocked_for_connect(const struct sample *s, uint8_t *seen)
{
	unsigned blocked = 0;

	memset(seen, 0, SAMPLE_PORT_COUNT);
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		enum tcp_state st;

		if (rec->protocol != IPPROTO_TCP || !pools_in_usable(&s->sys, rec->local_port))
			continue;
		st = states_classify(rec);
		if ((st == STATE_LISTEN || st == STATE_BOUND) && !seen[rec->local_port]) {
			seen[rec->local_port] = 1;
			blocked++;
		}
	}
	return blocked;
}

static bool addr_is_loopback(const uint8_t a[16])
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	return (sample_addr_is_v4(a) && a[12] == 127) || memcmp(a, v6_loopback, 16) == 0;
}

/*
 * May connect() take this TIME_WAIT socket's port again for the same destination?
 * tcp_twsk_unique: with tcp_tw_reuse 1 always, with 2 (the default) only for
 * loopback traffic, and only once the last timestamp seen is more than 1 s old
 * (timestamps are on by default).  The kernel compares whole seconds
 * (time_after32(ktime_get_seconds(), ts_recent_stamp + 1)), so that is up to 2 s.
 * sock_diag does not report the stamp; the TIME_WAIT age (60 s minus the time
 * left) stands in for it, with the conservative 2 s.
 */
#define TIME_WAIT_MS 60000u
#define TW_REUSE_DELAY_MS 2000u

static bool tw_reusable(const struct port_sysctls *sys, const struct sock_rec *rec)
{
	if (rec->state != KTCP_TIME_WAIT || sys->tw_reuse <= 0)
		return false;
	if (sys->tw_reuse == 2 && rec->ifindex != 1 && !addr_is_loopback(rec->local) &&
	    !addr_is_loopback(rec->remote))
		return false;
	return rec->expires_ms + TW_REUSE_DELAY_MS < TIME_WAIT_MS;
}

static bool has_destination(const struct sock_rec *rec)
{
	enum tcp_state st = states_classify(rec);
	return st != STATE_LISTEN && st != STATE_BOUND && rec->remote_port != 0;
}

static int destination_key_cmp(const struct destination *a, const struct destination *b)
{
	int c = memcmp(a->remote, b->remote, 16);
	if (c)
		return c;
	if (a->remote_port != b->remote_port)
		return a->remote_port < b->remote_port ? -1 : 1;
	return memcmp(a->local, b->local, 16);
}

static int destination_sort_key(const void *x, const void *y)
{
	return destination_key_cmp(x, y);
}

/* Fullest first; ties broken by key so the order is stable from one sample to the next. */
static int destination_sort_fullest(const void *x, const void *y)
{
	const struct destination *a = x, *b = y;
	if (a->blocked_percent != b->blocked_percent)
		return a->blocked_percent > b->blocked_percent ? -1 : 1;
	if (a->percent != b->percent)
		return a->percent > b->percent ? -1 : 1;
	if (a->in_use != b->in_use)
		return a->in_use > b->in_use ? -1 : 1;
	return destination_key_cmp(a, b);
}

static int reserve_destinations(struct model *m, size_t want)
{
	if (want <= m->cap_destinations)
		return 0;
	struct destination *d = realloc(m->destinations, want * sizeof(*d));
	if (!d)
		return -ENOMEM;
	m->destinations = d;
	m->cap_destinations = want;
	return 0;
}

/* One entry per socket, sorted by key, then runs of equal keys folded into one. */
static int destinations_compute(struct model *m, const struct sample *s, unsigned capacity)
{
	size_t n = 0, out = 0;
	int err = reserve_destinations(m, s->n_socks ? s->n_socks : 1);

	if (err)
		return err;
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		struct destination *d;

		if (rec->protocol != IPPROTO_TCP || !pools_in_usable(&s->sys, rec->local_port) ||
		    !has_destination(rec))
			continue;
		d = &m->destinations[n++];
		memset(d, 0, sizeof(*d));
		memcpy(d->local, rec->local, 16);
		memcpy(d->remote, rec->remote, 16);
		d->remote_port = rec->remote_port;
		d->in_use = 1;
		d->reusable = tw_reusable(&s->sys, rec);
		d->by_state[states_classify(rec)] = 1;
	}
	qsort(m->destinations, n, sizeof(*m->destinations), destination_sort_key);
	for (size_t i = 0; i < n; i++) {
		struct destination *d = &m->destinations[i];
		if (out > 0 && destination_key_cmp(&m->destinations[out - 1], d) == 0) {
			struct destination *run = &m->destinations[out - 1];
			run->in_use++;
			run->reusable += d->reusable;
			for (int st = 0; st < STATE_COUNT; st++)
				run->by_state[st] += d->by_state[st];
			continue;
		}
		if (out != i)
			m->destinations[out] = *d;
		out++;
	}
	for (size_t i = 0; i < out; i++) {
		struct destination *d = &m->destinations[i];
		d->capacity = capacity;
		d->percent = percent_of(d->in_use, capacity);
		d->blocked_percent = percent_of(d->in_use - d->reusable, capacity);
	}
	qsort(m->destinations, out, sizeof(*m->destinations), destination_sort_fullest);
	m->n_destinations = out;
	return 0;
}

int pools_compute(struct model *m, const struct sample *s)
{
	uint8_t *scratch = malloc(SAMPLE_PORT_COUNT);
	unsigned blocked;
	int err;

	if (!scratch)
		return -ENOMEM;
	pools_range(&s->sys, &m->range);
	pool_count(&m->tcp, s, IPPROTO_TCP, m->range.usable, scratch);
	pool_count(&m->udp, s, IPPROTO_UDP, m->range.usable, scratch);
	blocked = ports_blocked_for_connect(s, scratch);
	free(scratch);
	err = destinations_compute(m, s, m->range.usable > blocked ? m->range.usable - blocked : 0);
	return err;
}
