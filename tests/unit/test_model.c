/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model on hand-built samples: each figure as the kernel dictates it
 * (doc/kernel.md), without a socket.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "model/columns.h"
#include "model/details.h"
#include "model/model-internal.h"
#include "model/model.h"
#include "core/sample.h"

static const struct proc_row *row_of(const struct model *m, pid_t pid)
{
	for (size_t i = 0; i < m->n_rows; i++)
		if (m->rows[i].pid == pid)
			return &m->rows[i];
	return NULL;
}

/* 60 client connections to 127.0.0.1:8080 and the server's 60 accepted sockets + listener. */
static void client_server(struct sample *s, unsigned n, size_t client, size_t server)
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
	client_server(&s, 60, client, server);
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
	const struct proc_row *c = row_of(&m, 200), *sv = row_of(&m, 100);
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
	const struct proc_row *b = row_of(&m, 300);
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

/* Sample 1 sees 30 sockets alive; sample 2 sees them in TIME_WAIT (uid 0, inode 0, same cookie). */
static void test_time_wait_attributed_through_cookie_seen_alive(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();

	fixture_start(&s, 40000, 40099, 100.0);
	size_t client = fixture_add_proc(&s, 200, "client", 5);
	size_t server = fixture_add_proc(&s, 100, "server", 4);
	client_server(&s, 60, client, server);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(history_advance(h, &s), 0);
	CHECK_EQ(history_size(h), 121);

	sample_reset(&s);
	s.monotonic = 102.0;
	client = fixture_add_proc(&s, 200, "client", 5);
	server = fixture_add_proc(&s, 100, "server", 4);
	struct sock_rec l = fixture_tcp("127.0.0.1", 8080, "0.0.0.0", 0, KTCP_LISTEN, 1, 1);
	sample_add_sock(&s, &l);
	sample_add_owner(&s, 1, (uint32_t)server);
	for (unsigned i = 0; i < 60; i++) {
		bool closed = i < 30;
		struct sock_rec c = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080,
					closed ? KTCP_TIME_WAIT : KTCP_ESTABLISHED, closed ? 0 : 100 + i, 100 + i);
		sample_add_sock(&s, &c);
		if (!closed) {
			sample_add_owner(&s, 100 + i, (uint32_t)client);
			struct sock_rec a = fixture_tcp("127.0.0.1", 8080, "127.0.0.1", 40000 + i, KTCP_ESTABLISHED,
						1000 + i, 1000 + i);
			sample_add_sock(&s, &a);
			sample_add_owner(&s, 1000 + i, (uint32_t)server);
		}
	}
	/* 5 connections opened and closed between the samples: never seen alive */
	for (unsigned i = 0; i < 5; i++) {
		struct sock_rec t = fixture_tcp("127.0.0.1", 40070 + i, "127.0.0.1", 8080, KTCP_TIME_WAIT, 0, 5000 + i);
		sample_add_sock(&s, &t);
	}
	sample_finish_owners(&s);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(m.states[STATE_TIME_WAIT], 35);
	CHECK_EQ(m.tcp.in_use, 65);
	CHECK_EQ(m.time_wait_total, 35);
	CHECK_EQ(m.time_wait_unattributed, 5);
	const struct proc_row *c = row_of(&m, 200);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->time_wait, 30);
		CHECK_EQ(c->tcp, 30);
		CHECK_EQ(c->ephemeral, 60);
		CHECK_EQ((int)c->time_wait_percent, 50);
		CHECK_EQ((int)c->new_per_sec, 0);
	}
	/* The cache keeps the live sockets and the attributed TIME_WAIT, nothing else. */
	CHECK_EQ(history_advance(h, &s), 0);
	CHECK_EQ(history_size(h), 1 + 30 + 30 + 30);
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

static void test_time_wait_of_exited_process_gets_its_own_row(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();

	fixture_start(&s, 40000, 40099, 100.0);
	size_t p = fixture_add_proc(&s, 777, "cronjob", 9);
	struct sock_rec c = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 80, KTCP_ESTABLISHED, 50, 4242);
	sample_add_sock(&s, &c);
	sample_add_owner(&s, 50, (uint32_t)p);
	sample_finish_owners(&s);
	CHECK_EQ(history_advance(h, &s), 0);

	sample_reset(&s);
	s.monotonic = 103.0;
	/* pid 777 reused by another process: it must not inherit the TIME_WAIT */
	fixture_add_proc(&s, 777, "other", 99);
	c = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 80, KTCP_TIME_WAIT, 0, 4242);
	sample_add_sock(&s, &c);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(m.n_rows, 1);
	CHECK(m.rows[0].exited);
	CHECK_STR(m.rows[0].comm, "cronjob");
	CHECK_EQ(m.rows[0].time_wait, 1);
	CHECK_EQ(m.time_wait_unattributed, 0);
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

static void test_new_connections_per_second_count_unseen_cookies(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();

	fixture_start(&s, 40000, 40099, 100.0);
	size_t p = fixture_add_proc(&s, 10, "app", 1);
	struct sock_rec c = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 80, KTCP_ESTABLISHED, 50, 1);
	sample_add_sock(&s, &c);
	sample_add_owner(&s, 50, (uint32_t)p);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK(m.rows[0].new_per_sec < 0);  /* unknown on the first sample */
	CHECK_EQ(history_advance(h, &s), 0);

	sample_reset(&s);
	s.monotonic = 102.0;
	p = fixture_add_proc(&s, 10, "app", 1);
	for (unsigned i = 0; i < 5; i++) {
		c = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 80, KTCP_ESTABLISHED, 50 + i, 1 + i);
		sample_add_sock(&s, &c);
		sample_add_owner(&s, 50 + i, (uint32_t)p);
	}
	sample_finish_owners(&s);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ((int)(m.rows[0].new_per_sec * 10), 20);  /* 4 new in 2 s */
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

static void test_forked_socket_counts_for_each_holder(void)
{
	struct sample s;
	struct model m;

	fixture_start(&s, 40000, 40099, 100.0);
	size_t a = fixture_add_proc(&s, 10, "parent", 1);
	size_t b = fixture_add_proc(&s, 11, "child", 2);
	struct sock_rec c = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 80, KTCP_CLOSE_WAIT, 50, 1);
	sample_add_sock(&s, &c);
	sample_add_owner(&s, 50, (uint32_t)a);
	sample_add_owner(&s, 50, (uint32_t)b);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.n_rows, 2);
	CHECK_EQ(m.rows[0].close_wait, 1);
	CHECK_EQ(m.rows[1].close_wait, 1);
	CHECK_EQ(m.tcp.by_holder[HOLDER_CLOSE_WAIT], 1);
	model_free(&m);
	sample_free(&s);
}

static void test_sort_and_filter_follow_the_column_table(void)
{
	struct model m;
	struct proc_row rows[3];
	const struct proc_row *out[3];
	struct row_filter f = { 0 };

	model_init(&m);
	memset(rows, 0, sizeof(rows));
	rows[0].pid = 1; rows[0].ephemeral = 5; strcpy(rows[0].comm, "curl"); strcpy(rows[0].user, "a");
	rows[1].pid = 2; rows[1].ephemeral = 50; strcpy(rows[1].comm, "java"); strcpy(rows[1].user, "b");
	rows[2].pid = 3; rows[2].ephemeral = 7; strcpy(rows[2].comm, "curl"); strcpy(rows[2].user, "b");
	m.rows = rows;
	m.n_rows = 3;
	CHECK_EQ(rowview_select(&m, NULL, columns_find("ephemeral"), false, out), 3);
	CHECK_EQ(out[0]->pid, 2);
	CHECK_EQ(out[2]->pid, 1);
	CHECK_EQ(rowview_select(&m, NULL, columns_find("ephemeral"), true, out), 3);
	CHECK_EQ(out[0]->pid, 1);
	CHECK_EQ(rowview_select(&m, NULL, columns_find("command"), false, out), 3);
	CHECK_STR(out[2]->comm, "java");
	f.command = "cur";
	f.user = "b";
	CHECK_EQ(rowview_select(&m, &f, columns_find("pid"), false, out), 1);
	CHECK_EQ(out[0]->pid, 3);
	CHECK_STR(columns_find("EPHEM")->key, "ephemeral");
	CHECK_STR(columns_find("time_wait")->header, "TW");
	CHECK(columns_find("uid") == NULL);  /* JSON only: no sort key */
	CHECK(columns_find("nope") == NULL);
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

/* The kill prompt's "holds N ephemeral ports: ..." and the details view come from here. */
static void test_details_group_by_destination_and_summarize_what_a_kill_frees(void)
{
	struct sample s;
	struct model m;
	struct details d;
	struct details_summary sum;
	struct history *h = history_new();

	fixture_start(&s, 40000, 40099, 100.0);
	size_t client = fixture_add_proc(&s, 200, "client", 5);
	size_t server = fixture_add_proc(&s, 100, "server", 4);
	client_server(&s, 10, client, server);
	struct sock_rec other = fixture_tcp("127.0.0.1", 40050, "127.0.0.2", 9090, KTCP_CLOSE_WAIT, 77, 77);
	sample_add_sock(&s, &other);
	sample_add_owner(&s, 77, (uint32_t)client);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(history_advance(h, &s), 0);

	/* next sample: 4 of the client's connections closed into TIME_WAIT */
	for (size_t i = 0; i < s.n_socks; i++)
		if (s.socks[i].local_port >= 40000 && s.socks[i].local_port < 40004 &&
		    s.socks[i].remote_port == 8080) {
			s.socks[i].state = KTCP_TIME_WAIT;
			s.socks[i].inode = 0;
		}
	details_init(&d);
	CHECK_EQ(details_compute(&d, &s, h, 200, 5), 0);
	CHECK_EQ(d.n_socks, 11);
	/* grouped: all to 127.0.0.1:8080 first, then the one to 127.0.0.2:9090 */
	CHECK_EQ(d.socks[0].rec.remote_port, 8080);
	CHECK(details_same_group(&d.socks[0], &d.socks[9]));
	CHECK(!details_same_group(&d.socks[9], &d.socks[10]));
	CHECK_EQ(d.socks[10].state, STATE_CLOSE_WAIT);
	details_summarize(&d, &sum);
	CHECK_EQ(sum.ephemeral, 7);
	CHECK_EQ(sum.by_holder[HOLDER_ESTABLISHED], 6);
	CHECK_EQ(sum.by_holder[HOLDER_CLOSE_WAIT], 1);
	CHECK_EQ(sum.orphans, 4);

	/* the server's accepted sockets form one group by their local end, not one per client */
	CHECK_EQ(details_compute(&d, &s, h, 100, 4), 0);
	CHECK_EQ(d.n_socks, 11);
	CHECK(d.socks[1].inbound);
	CHECK(details_same_group(&d.socks[1], &d.socks[d.n_socks - 1]));
	details_summarize(&d, &sum);
	CHECK_EQ(sum.ephemeral, 0);

	/* another process with the same pid (reused) owns nothing of these */
	CHECK_EQ(details_compute(&d, &s, h, 200, 6), 0);
	CHECK_EQ(d.n_socks, 0);
	details_free(&d);
	model_free(&m);
	sample_free(&s);
	history_free(h);
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

/* A sample can catch a closed socket between its owner and TIME_WAIT (FIN_WAIT2, inode 0):
 * its owner must survive that sample to be named when TIME_WAIT comes. */
static void test_orphan_between_samples_keeps_its_owner_for_time_wait(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();
	static const int states[] = { KTCP_ESTABLISHED, KTCP_FIN_WAIT2, KTCP_TIME_WAIT };

	model_init(&m);
	for (int round = 0; round < 3; round++) {
		fixture_start(&s, 40000, 40099, 100.0);
		s.monotonic = 100.0 + round;
		size_t client = fixture_add_proc(&s, 200, "client", 5);
		struct sock_rec c = fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 8080, states[round],
					round == 0 ? 55 : 0, 555);
		sample_add_sock(&s, &c);
		if (round == 0)
			sample_add_owner(&s, 55, (uint32_t)client);
		sample_finish_owners(&s);
		CHECK_EQ(model_build(&m, &s, h), 0);
		CHECK_EQ(history_advance(h, &s), 0);
		if (round == 2) {
			const struct proc_row *r = row_of(&m, 200);
			CHECK_EQ(m.time_wait_unattributed, 0);
			CHECK(r != NULL);
			if (r)
				CHECK_EQ(r->time_wait, 1);
		}
		sample_free(&s);
	}
	model_free(&m);
	history_free(h);
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

/* Thousands of sockets with cookies in no order, three processes, two samples: every
 * TIME_WAIT goes to the process that held its cookie, every unseen cookie is new. */
static void test_history_matches_every_socket_by_cookie_at_scale(void)
{
	enum { N = 3000 };
	static uint64_t cookie[N];
	static int holder[N];
	unsigned want_tw[3] = { 0 }, want_new[3] = { 0 };
	struct history *h = history_new();
	struct sample s;
	struct model m;

	srand(11);
	for (unsigned i = 0; i < N; i++) {
		cookie[i] = ((uint64_t)(rand() % 7) << 40) + (uint64_t)rand() * 2 + 2;
		holder[i] = rand() % 3;
	}
	model_init(&m);
	for (int round = 0; round < 2; round++) {
		size_t p[3];
		fixture_start(&s, 30000, 60999, 100.0);
		s.monotonic = 100.0 + round;
		for (int k = 0; k < 3; k++)
			p[k] = fixture_add_proc(&s, 100 + k, "app", 1);
		for (unsigned i = 0; i < N; i++) {
			/* first round: the first two thirds live; second round: the first third
			 * closed (TIME_WAIT), the rest live (the last third new) */
			bool live = round == 0 ? i < 2 * N / 3 : i >= N / 3;
			struct sock_rec r;
			if (round == 0 && !live)
				continue;
			r = fixture_tcp("127.0.0.1", 30000 + i, "127.0.0.1", 80,
				live ? KTCP_ESTABLISHED : KTCP_TIME_WAIT, live ? 1000 + i : 0, cookie[i]);
			sample_add_sock(&s, &r);
			if (live)
				sample_add_owner(&s, 1000 + i, (uint32_t)p[holder[i]]);
			if (round == 1 && !live)
				want_tw[holder[i]]++;
			if (round == 1 && i >= 2 * N / 3)
				want_new[holder[i]]++;
		}
		sample_finish_owners(&s);
		CHECK_EQ(model_build(&m, &s, h), 0);
		CHECK_EQ(history_advance(h, &s), 0);
		sample_free(&s);
	}
	CHECK_EQ(m.time_wait_unattributed, 0);
	for (int k = 0; k < 3; k++) {
		const struct proc_row *row = row_of(&m, 100 + k);
		CHECK(row != NULL);
		if (!row)
			continue;
		CHECK_EQ(row->time_wait, want_tw[k]);
		CHECK_EQ((long)(row->new_per_sec + 0.5), (long)want_new[k]);
	}
	CHECK_EQ(history_size(h), N);  /* the live two thirds and the TIME_WAIT third */
	model_free(&m);
	history_free(h);
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
	RUN(test_time_wait_attributed_through_cookie_seen_alive);
	RUN(test_time_wait_of_exited_process_gets_its_own_row);
	RUN(test_new_connections_per_second_count_unseen_cookies);
	RUN(test_history_matches_every_socket_by_cookie_at_scale);
	RUN(test_forked_socket_counts_for_each_holder);
	RUN(test_sort_and_filter_follow_the_column_table);
	RUN(test_empty_sample_gives_zeros_not_nan);
	RUN(test_details_group_by_destination_and_summarize_what_a_kill_frees);
	RUN(test_tw_reuse_makes_old_loopback_time_wait_reusable);
	RUN(test_orphan_between_samples_keeps_its_owner_for_time_wait);
	RUN(test_states_list_names_the_non_zero_states_in_order);
	CHECK_DONE();
}
