/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process rows on hand-built samples: who each port is charged to, alive and in
 * TIME_WAIT through the cookie history (doc/kernel.md, "Socket cookies"), the rows'
 * sort and filter, and the details of one process.
 */
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

/* Sample 1 sees 30 sockets alive; sample 2 sees them in TIME_WAIT (uid 0, inode 0, same cookie). */
static void test_time_wait_attributed_through_cookie_seen_alive(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();

	fixture_start(&s, 40000, 40099, 100.0);
	size_t client = fixture_add_proc(&s, 200, "client", 5);
	size_t server = fixture_add_proc(&s, 100, "server", 4);
	fixture_client_server(&s, 60, client, server);
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
	const struct proc_row *c = fixture_row(&m, 200);
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
	fixture_client_server(&s, 10, client, server);
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
			const struct proc_row *r = fixture_row(&m, 200);
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
		const struct proc_row *row = fixture_row(&m, 100 + k);
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
	RUN(test_time_wait_attributed_through_cookie_seen_alive);
	RUN(test_time_wait_of_exited_process_gets_its_own_row);
	RUN(test_new_connections_per_second_count_unseen_cookies);
	RUN(test_history_matches_every_socket_by_cookie_at_scale);
	RUN(test_forked_socket_counts_for_each_holder);
	RUN(test_sort_and_filter_follow_the_column_table);
	RUN(test_details_group_by_destination_and_summarize_what_a_kill_frees);
	RUN(test_orphan_between_samples_keeps_its_owner_for_time_wait);
	CHECK_DONE();
}
