/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pools on hand-built samples: which ports each destination and each bind() pool
 * can still take, as the kernel dictates it (doc/kernel.md), without a socket.  Who
 * the ports are charged to is test_model_rows.c.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "model/model-internal.h"
#include "model/model.h"
#include "core/sample.h"

static void test_reserved_ports_shrink_usable_range(void)
{
	struct port_sysctls sys;
	struct range_stats r;

	memset(&sys, 0, sizeof(sys));
	sys.low = 40000;
	sys.high = 40099;
	for (unsigned p = 40000; p <= 40009; p++)
		sys.reserved[p / 8] |= (uint8_t)(1u << (p % 8));
	sys.reserved[8080 / 8] |= 1u << (8080 % 8);  /* outside the range: no effect */
	pools_range(&sys, &r);
	CHECK_EQ(r.size, 100);
	CHECK_EQ(r.reserved, 10);
	CHECK_EQ(r.usable, 90);
	CHECK(!pools_in_usable(&sys, 40005));
	CHECK(pools_in_usable(&sys, 40010));
	CHECK(!pools_in_usable(&sys, 40100));
}

static void test_established_pool_counts_client_ports_only(void)
{
	struct sample s;
	struct model m;

	fixture_start(&s, 40000, 40099, 100.0);
	size_t client = fixture_add_proc(&s, 200, "client", 5);
	size_t server = fixture_add_proc(&s, 100, "server", 4);
	fixture_client_server(&s, 60, client, server);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.tcp.in_use, 60);
	CHECK_EQ(m.tcp.by_holder[HOLDER_ESTABLISHED], 60);
	CHECK_EQ(m.states[STATE_ESTABLISHED], 120);
	CHECK_EQ(m.states[STATE_LISTEN], 1);
	CHECK_EQ(m.n_destinations, 1);
	CHECK_EQ(m.destinations[0].in_use, 60);
	CHECK_EQ(m.destinations[0].capacity, 100);
	CHECK_EQ((int)m.destinations[0].percent, 60);
	CHECK_EQ(m.destinations[0].remote_port, 8080);
	const struct proc_row *c = fixture_row(&m, 200), *sv = fixture_row(&m, 100);
	CHECK(c && sv);
	if (c && sv) {
		CHECK_EQ(c->tcp, 60);
		CHECK_EQ(c->ephemeral, 60);
		CHECK_EQ(c->established, 60);
		CHECK_EQ(sv->tcp, 61);
		CHECK_EQ(sv->ephemeral, 0);
	}
	model_free(&m);
	sample_free(&s);
}

static void test_two_destinations_share_port_numbers(void)
{
	struct sample s;
	struct model m;

	fixture_start(&s, 40000, 40099, 100.0);
	for (unsigned i = 0; i < 90; i++) {
		struct sock_rec a = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_ESTABLISHED, 0, 0);
		struct sock_rec b = fixture_tcp("127.0.0.1", 40005 + i, "127.0.0.1", 8081, KTCP_ESTABLISHED, 0, 0);
		sample_add_sock(&s, &a);
		sample_add_sock(&s, &b);
	}
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.tcp.in_use, 95);
	CHECK_EQ(m.n_destinations, 2);
	CHECK_EQ(m.destinations[0].in_use, 90);
	CHECK_EQ(m.destinations[1].in_use, 90);
	CHECK_EQ((int)m.destinations[0].percent, 90);
	model_free(&m);
	sample_free(&s);
}

static void test_bound_only_sockets_lower_every_destination_capacity(void)
{
	struct sample s;
	struct model m;

	fixture_start(&s, 40000, 40099, 100.0);
	size_t binder = fixture_add_proc(&s, 300, "binder", 1);
	for (unsigned i = 0; i < 20; i++) {
		/* the kernel reports a bound-only socket as CLOSE with no peer */
		struct sock_rec b = fixture_tcp("127.0.0.1", 40050 + i, "0.0.0.0", 0, KTCP_CLOSE, 500 + i, 500 + i);
		sample_add_sock(&s, &b);
		sample_add_owner(&s, 500 + i, (uint32_t)binder);
	}
	struct sock_rec l = fixture_tcp("127.0.0.5", 40090, "0.0.0.0", 0, KTCP_LISTEN, 9, 9);
	struct sock_rec c = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 8080, KTCP_ESTABLISHED, 0, 0);
	sample_add_sock(&s, &l);
	sample_add_sock(&s, &c);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.states[STATE_BOUND], 20);
	CHECK_EQ(m.states[STATE_CLOSE], 0);
	CHECK_EQ(m.tcp.in_use, 22);
	CHECK_EQ(m.n_destinations, 1);
	CHECK_EQ(m.destinations[0].capacity, 79);  /* 100 - 20 bound - 1 listener */
	const struct proc_row *b = fixture_row(&m, 300);
	CHECK(b && b->tcp == 20 && b->ephemeral == 20);
	model_free(&m);
	sample_free(&s);
}

static void test_closed_socket_with_peer_is_close_not_bound(void)
{
	struct sock_rec r = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 8080, KTCP_CLOSE, 0, 0);
	CHECK_EQ(states_classify(&r), STATE_CLOSE);
	r = fixture_tcp("127.0.0.1", 40000, "0.0.0.0", 0, KTCP_CLOSE, 0, 0);
	CHECK_EQ(states_classify(&r), STATE_BOUND);
	r = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 80, KTCP_NEW_SYN_RECV, 0, 0);
	CHECK_EQ(states_classify(&r), STATE_SYN_RECV);
	CHECK_STR(states_name(STATE_BOUND), "BOUND");
	CHECK_STR(states_name(STATE_CLOSE_WAIT), "CLOSE_WAIT");
}

static void test_ipv4_and_ipv6_share_one_pool(void)
{
	struct sample s;
	struct model m;
	struct sock_rec v4 = fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 80, KTCP_ESTABLISHED, 0, 0);
	struct sock_rec v6 = v4;

	fixture_start(&s, 40000, 40099, 100.0);
	v6.family = AF_INET6;
	memset(v6.local, 0, 16);
	v6.local[15] = 1;  /* ::1, same port number */
	memcpy(v6.remote, v6.local, 16);
	sample_add_sock(&s, &v4);
	sample_add_sock(&s, &v6);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.tcp.in_use, 1);
	CHECK_EQ(m.n_destinations, 2);
	model_free(&m);
	sample_free(&s);
}

static void test_udp_is_a_separate_pool(void)
{
	struct sample s;
	struct model m;

	fixture_start(&s, 40000, 40099, 100.0);
	for (unsigned i = 0; i < 20; i++) {
		struct sock_rec u = fixture_tcp("127.0.0.1", 40000 + i, "0.0.0.0", 0, KTCP_CLOSE, 0, 0);
		u.protocol = IPPROTO_UDP;
		sample_add_sock(&s, &u);
	}
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.udp.in_use, 20);
	CHECK_EQ(m.tcp.in_use, 0);
	CHECK_EQ(m.total_tcp, 0);
	CHECK_EQ(m.states[STATE_BOUND], 0);
	model_free(&m);
	sample_free(&s);
}

static void test_empty_sample_gives_zeros_not_nan(void)
{
	struct sample s;
	struct model m;

	fixture_start(&s, 40000, 40000, 100.0);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.range.usable, 1);
	CHECK(m.tcp.percent == 0.0);
	/* every port reserved: usable 0, percent still a number */
	s.sys.reserved[40000 / 8] |= 1u << (40000 % 8);
	struct sock_rec c = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 80, KTCP_ESTABLISHED, 0, 0);
	sample_add_sock(&s, &c);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.range.usable, 0);
	CHECK_EQ(m.tcp.in_use, 0);
	CHECK(m.tcp.percent == 0.0);
	model_free(&m);
	sample_free(&s);
}

/* tcp_twsk_unique: reuse 2 (the default) lets connect() take loopback TIME_WAIT ports
 * again once they are older than 1 s; reuse 0 never. */
static void test_tw_reuse_makes_old_loopback_time_wait_reusable(void)
{
	struct sample s;
	struct model m;

	for (int reuse = 0; reuse <= 2; reuse++) {
		fixture_start(&s, 40000, 40099, 100.0);
		s.sys.tw_reuse = reuse;
		for (unsigned i = 0; i < 10; i++) {
			/* 6 old, 4 younger than the 2 s the kernel may need */
			struct sock_rec t = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_TIME_WAIT, 0, 10 + i);
			t.expires_ms = i < 6 ? 30000 : 58500;
			sample_add_sock(&s, &t);
			/* the same to a non-loopback destination: reuse 2 does not apply */
			t = fixture_tcp("10.0.0.1", 40000 + i, "10.0.0.2", 443, KTCP_TIME_WAIT, 0, 100 + i);
			t.expires_ms = 30000;
			sample_add_sock(&s, &t);
		}
		sample_finish_owners(&s);
		model_init(&m);
		CHECK_EQ(model_build(&m, &s, NULL), 0);
		CHECK_EQ(m.n_destinations, 2);
		for (size_t i = 0; i < m.n_destinations; i++) {
			const struct destination *d = &m.destinations[i];
			bool loop = d->remote_port == 8080;
			unsigned want = reuse == 0 ? 0 : reuse == 1 ? (loop ? 6 : 10) : (loop ? 6 : 0);
			CHECK_EQ(d->in_use, 10);
			CHECK_EQ((int)d->percent, 10);
			CHECK_EQ(d->reusable, want);
			CHECK_EQ((int)(d->blocked_percent + 0.5), 10 - (int)want);
		}
		model_free(&m);
		sample_free(&s);
	}
}

static void test_states_list_names_the_non_zero_states_in_order(void)
{
	unsigned counts[STATE_COUNT] = { 0 };
	char buf[64], tiny[8];

	CHECK_STR(states_list(counts, buf, sizeof(buf)), "");
	counts[STATE_TIME_WAIT] = 30;
	counts[STATE_ESTABLISHED] = 60;
	CHECK_STR(states_list(counts, buf, sizeof(buf)), "ESTABLISHED 60, TIME_WAIT 30");
	CHECK_STR(states_list(counts, tiny, sizeof(tiny)), "ESTABLI");  /* truncated, terminated */
}

/* Reference for the destination order: fullest (blocked, then all held) first, then by key. */
struct ref_dest {
	uint8_t remote[16], local[16];
	unsigned remote_port, in_use, reusable;
};

static int ref_key_cmp(const struct ref_dest *a, const struct ref_dest *b)
{
	int c = memcmp(a->remote, b->remote, 16);
	if (c)
		return c;
	if (a->remote_port != b->remote_port)
		return a->remote_port < b->remote_port ? -1 : 1;
	return memcmp(a->local, b->local, 16);
}

static int ref_fullest(const void *x, const void *y)
{
	const struct ref_dest *a = x, *b = y;
	unsigned ba = a->in_use - a->reusable, bb = b->in_use - b->reusable;
	if (ba != bb)
		return ba > bb ? -1 : 1;
	if (a->in_use != b->in_use)
		return a->in_use > b->in_use ? -1 : 1;
	return ref_key_cmp(a, b);
}

/* Destinations counted by brute force over the sample, in the reference order. */
static size_t ref_destinations(const struct sample *s, struct ref_dest *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_socks; i++) {
		const struct sock_rec *r = &s->socks[i];
		struct ref_dest key = { .remote_port = r->remote_port };
		size_t k;

		memcpy(key.remote, r->remote, 16);
		memcpy(key.local, r->local, 16);
		for (k = 0; k < n && ref_key_cmp(&out[k], &key) != 0; k++)
			;
		if (k == n && n < max)
			out[n++] = key;
		out[k].in_use++;
		out[k].reusable += r->state == KTCP_TIME_WAIT && r->expires_ms < 50000;
	}
	qsort(out, n, sizeof(*out), ref_fullest);
	return n;
}

/* Many destinations with equal and different fullness, IPv4 and IPv6, built twice in one
 * model (the second time fewer): the order is fullest first, ties by address. */
static void test_destinations_come_fullest_first_then_by_address(void)
{
	enum { MAX = 400 };
	static struct ref_dest want[MAX];
	struct model m;

	model_init(&m);
	for (int round = 0; round < 2; round++) {
		struct sample s;
		unsigned n_remotes = round == 0 ? 300 : 40;
		size_t n_want;

		fixture_start(&s, 30000, 60999, 100.0);
		s.sys.tw_reuse = 1;
		srand(7 + (unsigned)round);
		for (unsigned i = 0; i < 2000; i++) {
			unsigned dst = (unsigned)rand() % n_remotes, hot = dst % 7 == 0 ? 3 : 1;
			char remote[32];
			struct sock_rec r;

			snprintf(remote, sizeof(remote), "10.%u.%u.%u", dst % 2, dst / 200, dst % 200);
			for (unsigned k = 0; k < hot; k++) {
				r = fixture_tcp("10.9.9.9", 30000 + (i * 3 + k) % 30000, remote, 443 + dst % 3,
					rand() % 4 ? KTCP_ESTABLISHED : KTCP_TIME_WAIT, 0, 0);
				r.expires_ms = rand() % 2 ? 30000 : 59000;
				if (dst % 5 == 0) {  /* some IPv6 */
					memset(r.remote, 0, 16);
					r.remote[0] = 0x20;
					r.remote[15] = (uint8_t)dst;
					r.family = AF_INET6;
				}
				sample_add_sock(&s, &r);
			}
		}
		n_want = ref_destinations(&s, want, MAX);
		CHECK_EQ(model_build(&m, &s, NULL), 0);
		CHECK_EQ(m.n_destinations, n_want);
		for (size_t i = 0; i < n_want && i < m.n_destinations; i++) {
			const struct destination *d = &m.destinations[i];
			CHECK_EQ(memcmp(d->remote, want[i].remote, 16), 0);
			CHECK_EQ(d->remote_port, want[i].remote_port);
			CHECK_EQ(d->in_use, want[i].in_use);
			CHECK_EQ(d->reusable, want[i].reusable);
		}
		sample_free(&s);
	}
	model_free(&m);
}

int main(void)
{
	RUN(test_reserved_ports_shrink_usable_range);
	RUN(test_established_pool_counts_client_ports_only);
	RUN(test_two_destinations_share_port_numbers);
	RUN(test_destinations_come_fullest_first_then_by_address);
	RUN(test_bound_only_sockets_lower_every_destination_capacity);
	RUN(test_closed_socket_with_peer_is_close_not_bound);
	RUN(test_ipv4_and_ipv6_share_one_pool);
	RUN(test_udp_is_a_separate_pool);
	RUN(test_empty_sample_gives_zeros_not_nan);
	RUN(test_tw_reuse_makes_old_loopback_time_wait_reusable);
	RUN(test_states_list_names_the_non_zero_states_in_order);
	CHECK_DONE();
}
