/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "model-internal.h"

#include <netinet/in.h>
#include <stdio.h>

static const char *const state_names[STATE_COUNT] = {
	[STATE_ESTABLISHED] = "ESTABLISHED",
	[STATE_SYN_SENT] = "SYN_SENT",
	[STATE_SYN_RECV] = "SYN_RECV",
	[STATE_FIN_WAIT1] = "FIN_WAIT1",
	[STATE_FIN_WAIT2] = "FIN_WAIT2",
	[STATE_TIME_WAIT] = "TIME_WAIT",
	[STATE_CLOSE] = "CLOSE",
	[STATE_CLOSE_WAIT] = "CLOSE_WAIT",
	[STATE_LAST_ACK] = "LAST_ACK",
	[STATE_LISTEN] = "LISTEN",
	[STATE_CLOSING] = "CLOSING",
	[STATE_BOUND] = "BOUND",
};

const char *states_name(enum tcp_state st)
{
	return (unsigned)st < STATE_COUNT ? state_names[st] : "?";
}

/*
 * The kernel reports a socket that is only bind()-ed as CLOSE (it is found through
 * the bind hash when TCP_BOUND_INACTIVE is asked for): CLOSE with no peer is BOUND.
 */
enum tcp_state states_classify(const struct sock_rec *rec)
{
	switch (rec->state) {
	case KTCP_ESTABLISHED: return STATE_ESTABLISHED;
	case KTCP_SYN_SENT: return STATE_SYN_SENT;
	case KTCP_SYN_RECV:
	case KTCP_NEW_SYN_RECV: return STATE_SYN_RECV;
	case KTCP_FIN_WAIT1: return STATE_FIN_WAIT1;
	case KTCP_FIN_WAIT2: return STATE_FIN_WAIT2;
	case KTCP_TIME_WAIT: return STATE_TIME_WAIT;
	case KTCP_CLOSE_WAIT: return STATE_CLOSE_WAIT;
	case KTCP_LAST_ACK: return STATE_LAST_ACK;
	case KTCP_LISTEN: return STATE_LISTEN;
	case KTCP_CLOSING: return STATE_CLOSING;
	case KTCP_BOUND_INACTIVE: return STATE_BOUND;
	case KTCP_CLOSE:
	default:
		if (rec->remote_port == 0 && sample_addr_is_any(rec->remote))
			return STATE_BOUND;
		return STATE_CLOSE;
	}
}

const char *states_list(const unsigned counts[STATE_COUNT], char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (int st = 0; st < STATE_COUNT && n < len; st++) {
		if (!counts[st])
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s %u", n ? ", " : "",
				      states_name((enum tcp_state)st), counts[st]);
	}
	return buf;
}
