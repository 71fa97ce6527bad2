/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"

void fixture_start(struct sample *s, int low, int high, double when)
{
	sample_init(s);
	s->sys.low = low;
	s->sys.high = high;
	s->owners_scanned = true;
	s->monotonic = when;
}

uint32_t fixture_ip(const char *text)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		a.s_addr = 0;
	return a.s_addr;
}

struct sock_rec fixture_tcp(const char *local, unsigned lport, const char *remote, unsigned rport,
			    int state, uint32_t inode, uint64_t cookie)
{
	struct sock_rec r;

	memset(&r, 0, sizeof(r));
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.state = (uint8_t)state;
	sample_addr_from_v4(r.local, fixture_ip(local));
	sample_addr_from_v4(r.remote, fixture_ip(remote));
	r.local_port = (uint16_t)lport;
	r.remote_port = (uint16_t)rport;
	r.inode = inode;
	r.cookie = cookie;
	return r;
}

size_t fixture_add_proc(struct sample *s, pid_t pid, const char *comm, unsigned long long start_time)
{
	struct proc_rec p;
	size_t index = 0;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.start_time = start_time;
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	snprintf(p.user, sizeof(p.user), "%s", "root");
	p.cmdline = (char *)comm;
	if (sample_add_proc(s, &p, &index) != 0) {
		fprintf(stderr, "fixture: cannot add process %d\n", (int)pid);
		index = 0;
	}
	return index;
}

void fixture_client_server(struct sample *s, unsigned n, size_t client, size_t server)
{
	struct sock_rec r = fixture_tcp("127.0.0.1", 8080, "0.0.0.0", 0, KTCP_LISTEN, 1, 1);

	sample_add_sock(s, &r);
	sample_add_owner(s, 1, (uint32_t)server);
	for (unsigned i = 0; i < n; i++) {
		r = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_ESTABLISHED, 100 + i, 100 + i);
		sample_add_sock(s, &r);
		sample_add_owner(s, 100 + i, (uint32_t)client);
		r = fixture_tcp("127.0.0.1", 8080, "127.0.0.1", 40000 + i, KTCP_ESTABLISHED, 1000 + i, 1000 + i);
		sample_add_sock(s, &r);
		sample_add_owner(s, 1000 + i, (uint32_t)server);
	}
	sample_finish_owners(s);
}

const struct proc_row *fixture_row(const struct model *m, pid_t pid)
{
	for (size_t i = 0; i < m->n_rows; i++)
		if (m->rows[i].pid == pid)
			return &m->rows[i];
	return NULL;
}
