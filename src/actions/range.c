/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "range.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int parse_number(const char **p, long *out)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	*out = strtol(*p, &end, 10);
	if (errno)
		*out = 100000;  /* overflow: reported as out of bounds, not as bad syntax */
	*p = end;
	return 0;
}

int range_parse(const char *text, int *low, int *high)
{
	const char *p = skip_blank(text);
	long lo, hi;

	if (parse_number(&p, &lo) < 0)
		return -EINVAL;
	p = skip_blank(p);
	if (*p == '-')
		p = skip_blank(p + 1);
	if (parse_number(&p, &hi) < 0)
		return -EINVAL;
	p = skip_blank(p);
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*low = lo > 65536 ? 65536 : (int)lo;
	*high = hi > 65536 ? 65536 : (int)hi;
	return 0;
}

static void note_port(unsigned *list, unsigned *n, unsigned port)
{
	for (unsigned i = 0; i < *n && i < RANGE_LIST_MAX; i++)
		if (list[i] == port)
			return;
	if (*n < RANGE_LIST_MAX)
		list[*n] = port;
	(*n)++;
}

/* Listening ports inside the new range, each once, lowest first. */
static void find_listeners(struct range_check *rc, const struct sample *s)
{
	uint8_t listening[SAMPLE_PORT_COUNT / 8] = { 0 };

	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *rec = &s->socks[i];
		if (rec->protocol == IPPROTO_TCP && rec->state == KTCP_LISTEN)
			listening[rec->local_port / 8] |= (uint8_t)(1u << (rec->local_port % 8));
	}
	for (int port = rc->low; port <= rc->high && port < SAMPLE_PORT_COUNT; port++)
		if (listening[port / 8] >> (port % 8) & 1)
			note_port(rc->listeners, &rc->n_listeners, (unsigned)port);
}

static void count_reserved(struct range_check *rc, const struct sample *s)
{
	for (int port = rc->low; port <= rc->high; port++)
		if (port_reserved(&s->sys, (unsigned)port))
			note_port(rc->reserved, &rc->n_reserved, (unsigned)port);
}

void range_check(const char *text, const struct sample *s, const struct model *m,
		 struct range_check *rc)
{
	memset(rc, 0, sizeof(*rc));
	if (range_parse(text, &rc->low, &rc->high) < 0) {
		rc->error = RANGE_ERR_SYNTAX;
		return;
	}
	if (rc->low < 1 || rc->high > 65535 || rc->high < 1 || rc->low > 65535) {
		rc->error = RANGE_ERR_BOUNDS;
		return;
	}
	if (rc->low > rc->high) {
		rc->error = RANGE_ERR_ORDER;
		return;
	}
	/*
	 * ipv4_local_port_range() (net/ipv4/sysctl_net_ipv4.c) answers EINVAL to a low
	 * port below ip_unprivileged_port_start: no use asking whether to go on.
	 */
	rc->unprivileged_port_start = s->sys.unprivileged_port_start;
	if (rc->unprivileged_port_start >= 0 && rc->low < rc->unprivileged_port_start) {
		rc->error = RANGE_ERR_PRIVILEGED;
		return;
	}
	if (rc->low == s->sys.low && rc->high == s->sys.high) {
		rc->error = RANGE_ERR_UNCHANGED;
		return;
	}
	count_reserved(rc, s);
	rc->usable = (unsigned)(rc->high - rc->low + 1) - rc->n_reserved;
	rc->in_use = m->tcp.in_use > m->udp.in_use ? m->tcp.in_use : m->udp.in_use;
	if (rc->usable < rc->in_use) {
		rc->error = RANGE_ERR_TOO_SMALL;
		return;
	}
	find_listeners(rc, s);
	/* connect() starts with the parity of low, bind(0) with the other
	 * (doc/kernel.md, "Parity") */
	if ((rc->low & 1) == (rc->high & 1))
		rc->warnings |= RANGE_WARN_PARITY;
	if (rc->n_listeners)
		rc->warnings |= RANGE_WARN_LISTENERS;
	if (rc->n_reserved)
		rc->warnings |= RANGE_WARN_RESERVED;
	if (rc->high - rc->low < s->sys.high - s->sys.low)
		rc->warnings |= RANGE_WARN_SMALLER;
}
