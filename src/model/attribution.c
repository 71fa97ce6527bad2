/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who a socket is charged to, decided in one place.  A live socket belongs to the
 * processes holding its fd (the sample's owner links).  An orphan, a socket that still
 * holds its port after its owner closed it, has no fd, no inode and no uid in the
 * kernel; it is charged to its last owner known:
 *
 *   1. the cookie history: the owners seen while the socket was alive.  The kernel
 *      keeps a socket's cookie through close() and into TIME_WAIT (inet_twsk_alloc
 *      copies sk_cookie), see doc/kernel.md, "Socket cookies".
 *   2. its birth, with eBPF: the process the probes saw take the port in connect(),
 *      however short the connection lived (src/bpf/porttop.bpf.c).
 *
 * Both are decided here, so that every renderer, the process rows and the details
 * view agree on the owner.
 */
#include "model-internal.h"

#include <netinet/in.h>
#include <string.h>

/*
 * tcp_close() orphans the socket (sock_orphan: no fd, inode 0) in FIN_WAIT1, LAST_ACK
 * or, when the peer's FIN already came, CLOSING; FIN_WAIT2 and TIME_WAIT follow.
 * Other inode-0 TCP sockets are not orphans: request sockets (SYN_RECV) and accepted
 * connections nobody accept()-ed yet belong to their listener.
 */
bool attribution_is_orphan(const struct sock_rec *rec)
{
	if (rec->protocol != IPPROTO_TCP || rec->inode != 0)
		return false;
	switch (rec->state) {
	case KTCP_FIN_WAIT1:
	case KTCP_FIN_WAIT2:
	case KTCP_TIME_WAIT:
	case KTCP_CLOSING:
	case KTCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

bool attribution_orphan_state(enum tcp_state st)
{
	return st == STATE_FIN_WAIT1 || st == STATE_FIN_WAIT2 || st == STATE_TIME_WAIT ||
	       st == STATE_CLOSING || st == STATE_LAST_ACK;
}

/* The owner the probes recorded at the socket's birth, as a history owner. */
static size_t birth_owner(const struct sample *s, size_t sock, struct history_owner *out)
{
	const struct probe_birth *b = probe_facts_birth(&s->probes, (uint32_t)sock);

	if (!b)
		return 0;
	out->pid = b->who.pid;
	out->uid = b->who.uid;
	out->start_time = b->who.start_time;
	memcpy(out->user, b->who.user, sizeof(out->user));
	memcpy(out->comm, b->who.comm, sizeof(out->comm));
	out->container[0] = '\0';  /* the probes record no cgroup */
	return 1;
}

size_t attribution_orphan_owners(const struct history *h, uint32_t past, const struct sample *s,
				 size_t sock, const struct history_owner *out[], size_t max,
				 struct history_owner *born)
{
	size_t n = h && past != HISTORY_NONE ? history_owners_at(h, past, out, max) : 0;

	if (n == 0 && max > 0 && birth_owner(s, sock, born)) {
		out[0] = born;
		n = 1;
	}
	return n;
}

const char *attribution_unattributed_list(const struct model *m, char *buf, size_t len)
{
	unsigned others[STATE_COUNT];

	for (int st = 0; st < STATE_COUNT; st++)
		others[st] = st == STATE_TIME_WAIT ? 0 : m->unattributed[st];
	return states_list(others, buf, len);
}
