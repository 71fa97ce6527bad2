/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Orphans on hand-built samples: a TCP socket its owner closed keeps its port in
 * TIME_WAIT, FIN_WAIT1, FIN_WAIT2, CLOSING or LAST_ACK with inode 0 and the cookie it
 * had alive (doc/kernel.md, "Socket cookies"); porttop charges it to the owner seen
 * alive, and counts per state what it never saw alive.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "model/details.h"
#include "model/model-internal.h"
#include "core/sample.h"

#define CLIENT 200
#define SERVER 100

/* Client connection i: local port 40000+i, cookie 500+i; alive it has inode 100+i. */
static void add_client_sock(struct sample *s, size_t client, unsigned i, int state, bool alive)
{
	struct sock_rec r = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, state, alive ? 100 + i : 0, 500 + i);

	sample_add_sock(s, &r);
	if (alive)
		sample_add_owner(s, 100 + i, (uint32_t)client);
}

/* The server's end of connection i, which it never closes. */
static void add_server_sock(struct sample *s, size_t server, unsigned i, int state)
{
	struct sock_rec r = fixture_tcp("127.0.0.1", 8080, "127.0.0.1", 40000 + i, state, 2000 + i, 3000 + i);

	sample_add_sock(s, &r);
	sample_add_owner(s, 2000 + i, (uint32_t)server);
}

/* The first sample: n connections of the client to the server, all alive. */
static void sample_alive(struct sample *s, unsigned n)
{
	fixture_start(s, 40000, 40999, 100.0);
	size_t client = fixture_add_proc(s, CLIENT, "client", CLIENT);
	size_t server = fixture_add_proc(s, SERVER, "server", SERVER);
	for (unsigned i = 0; i < n; i++) {
		add_client_sock(s, client, i, KTCP_ESTABLISHED, true);
		add_server_sock(s, server, i, KTCP_ESTABLISHED);
	}
	sample_finish_owners(s);
}

/* The next sample: the client closed its first `closed` connections, which sit in state. */
static void sample_closed(struct sample *s, unsigned n, unsigned closed, int state)
{
	fixture_start(s, 40000, 40999, 102.0);
	size_t client = fixture_add_proc(s, CLIENT, "client", CLIENT);
	size_t server = fixture_add_proc(s, SERVER, "server", SERVER);
	for (unsigned i = 0; i < n; i++) {
		add_client_sock(s, client, i, i < closed ? state : KTCP_ESTABLISHED, i >= closed);
		add_server_sock(s, server, i, i < closed ? KTCP_CLOSE_WAIT : KTCP_ESTABLISHED);
	}
	sample_finish_owners(s);
}

/* Builds the model of `after` with a history that saw `before` (NULL: porttop started late). */
static void build_after(struct model *m, struct history *h, struct sample *before, struct sample *after)
{
	model_init(m);
	if (before) {
		CHECK_EQ(model_build(m, before, h), 0);
		CHECK_EQ(history_advance(h, before), 0);
	}
	CHECK_EQ(model_build(m, after, h), 0);
}

static void test_fin_wait2_seen_alive_is_charged_to_the_client(void)
{
	struct sample before, after;
	struct model m;
	struct history *h = history_new();
	char list[128];

	sample_alive(&before, 40);
	sample_closed(&after, 40, 20, KTCP_FIN_WAIT2);
	build_after(&m, h, &before, &after);
	const struct proc_row *c = fixture_row(&m, CLIENT);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->ephemeral, 40);     /* 20 open + the 20 ports its orphans hold */
		CHECK_EQ(c->tcp, 20);
		CHECK_EQ(c->established, 20);
		CHECK_EQ(c->orphans, 20);
		CHECK_EQ(c->time_wait, 0);      /* TW stays TIME_WAIT only */
		CHECK_EQ((int)c->time_wait_percent, 0);
		CHECK(!c->exited);
	}
	for (int st = 0; st < STATE_COUNT; st++)
		CHECK_EQ(m.unattributed[st], 0);
	CHECK_STR(attribution_unattributed_list(&m, list, sizeof(list)), "");
	model_free(&m);
	sample_free(&before);
	sample_free(&after);
	history_free(h);
}

static void test_fin_wait2_never_seen_alive_is_unattributed_by_state(void)
{
	struct sample after;
	struct model m;
	struct history *h = history_new();
	char list[128];

	sample_closed(&after, 40, 20, KTCP_FIN_WAIT2);
	build_after(&m, h, NULL, &after);
	const struct proc_row *c = fixture_row(&m, CLIENT);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->ephemeral, 20);
		CHECK_EQ(c->orphans, 0);
	}
	CHECK_EQ(m.unattributed[STATE_FIN_WAIT2], 20);
	CHECK_EQ(m.unattributed[STATE_TIME_WAIT], 0);
	CHECK_EQ(m.time_wait_unattributed, 0);
	CHECK_EQ(m.unattributed[STATE_CLOSE_WAIT], 0);  /* the server's ends have their owner */
	CHECK_STR(attribution_unattributed_list(&m, list, sizeof(list)), "FIN_WAIT2 20");
	model_free(&m);
	sample_free(&after);
	history_free(h);
}

/* Every state an orphan can be in is charged; TIME_WAIT alone also counts in TW. */
static void test_every_orphan_state_is_charged_and_only_time_wait_counts_in_tw(void)
{
	static const int states[] = { KTCP_FIN_WAIT1, KTCP_FIN_WAIT2, KTCP_TIME_WAIT,
				      KTCP_CLOSING, KTCP_LAST_ACK };

	for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
		struct sample before, after;
		struct model m;
		struct history *h = history_new();

		sample_alive(&before, 10);
		sample_closed(&after, 10, 4, states[k]);
		build_after(&m, h, &before, &after);
		const struct proc_row *c = fixture_row(&m, CLIENT);
		bool tw = states[k] == KTCP_TIME_WAIT;
		CHECK(c != NULL);
		if (c) {
			CHECK_EQ(c->orphans, 4);
			CHECK_EQ(c->ephemeral, 10);
			CHECK_EQ(c->time_wait, tw ? 4 : 0);
			/* TW% is of the whole TCP footprint: 6 open + 4 orphans */
			CHECK_EQ((int)c->time_wait_percent, tw ? 40 : 0);
		}
		for (int st = 0; st < STATE_COUNT; st++)
			CHECK_EQ(m.unattributed[st], 0);
		CHECK_EQ(m.time_wait_total, tw ? 4 : 0);
		model_free(&m);
		sample_free(&before);
		sample_free(&after);
		history_free(h);
	}
}

/* Request sockets and connections nobody accept()-ed yet have inode 0 but are no orphans. */
static void test_inode_zero_sockets_of_a_listener_are_not_orphans(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();
	struct sock_rec syn = fixture_tcp("127.0.0.1", 8080, "127.0.0.1", 40500, KTCP_SYN_RECV, 0, 0);
	struct sock_rec queued = fixture_tcp("127.0.0.1", 8080, "127.0.0.1", 40501, KTCP_ESTABLISHED, 0, 77);
	struct sock_rec half_closed = fixture_tcp("127.0.0.1", 40502, "127.0.0.1", 8080, KTCP_FIN_WAIT2, 55, 78);  /* shutdown(), fd kept */

	CHECK(!attribution_is_orphan(&syn));
	CHECK(!attribution_is_orphan(&queued));
	CHECK(!attribution_is_orphan(&half_closed));
	fixture_start(&s, 40000, 40999, 100.0);
	size_t p = fixture_add_proc(&s, CLIENT, "client", CLIENT);
	sample_add_sock(&s, &syn);
	sample_add_sock(&s, &queued);
	sample_add_sock(&s, &half_closed);
	sample_add_owner(&s, 55, (uint32_t)p);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, h), 0);
	for (int st = 0; st < STATE_COUNT; st++)
		CHECK_EQ(m.unattributed[st], 0);
	const struct proc_row *c = fixture_row(&m, CLIENT);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->tcp, 1);        /* the half-closed socket is still its own */
		CHECK_EQ(c->orphans, 0);
	}
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

/* A client that exited with only orphans left gets a row of its own, marked exited. */
static void test_exited_client_keeps_a_row_for_its_orphans(void)
{
	struct sample before, after;
	struct model m;
	struct history *h = history_new();

	sample_alive(&before, 6);
	fixture_start(&after, 40000, 40999, 102.0);
	size_t server = fixture_add_proc(&after, SERVER, "server", SERVER);
	for (unsigned i = 0; i < 6; i++) {
		add_client_sock(&after, 0, i, KTCP_FIN_WAIT2, false);
		add_server_sock(&after, server, i, KTCP_CLOSE_WAIT);
	}
	sample_finish_owners(&after);
	build_after(&m, h, &before, &after);
	const struct proc_row *c = fixture_row(&m, CLIENT);
	CHECK(c != NULL);
	if (c) {
		CHECK(c->exited);
		CHECK_STR(c->comm, "client");
		CHECK_EQ(c->orphans, 6);
		CHECK_EQ(c->ephemeral, 6);
		CHECK_EQ(c->sockets, 0);
	}
	model_free(&m);
	sample_free(&before);
	sample_free(&after);
	history_free(h);
}

/* The details view lists a process's orphans, and a kill would not free their ports. */
static void test_details_show_orphans_as_held_on_after_a_kill(void)
{
	struct sample before, after;
	struct model m;
	struct history *h = history_new();
	struct details d;
	struct details_summary sum;
	unsigned orphans = 0;

	sample_alive(&before, 10);
	sample_closed(&after, 10, 3, KTCP_FIN_WAIT2);
	build_after(&m, h, &before, &after);
	details_init(&d);
	CHECK_EQ(details_compute(&d, &after, h, CLIENT, CLIENT), 0);
	CHECK_EQ(d.n_socks, 10);
	for (size_t i = 0; i < d.n_socks; i++)
		if (d.socks[i].orphan) {
			orphans++;
			CHECK_EQ(d.socks[i].state, STATE_FIN_WAIT2);
		}
	CHECK_EQ(orphans, 3);
	details_summarize(&d, &sum);
	CHECK_EQ(sum.ephemeral, 7);
	CHECK_EQ(sum.by_holder[HOLDER_ESTABLISHED], 7);
	CHECK_EQ(sum.by_holder[HOLDER_OTHER], 0);
	CHECK_EQ(sum.orphans, 3);
	/* without a history, the orphans are nobody's */
	CHECK_EQ(details_compute(&d, &after, NULL, CLIENT, CLIENT), 0);
	CHECK_EQ(d.n_socks, 7);
	details_free(&d);
	model_free(&m);
	sample_free(&before);
	sample_free(&after);
	history_free(h);
}

int main(void)
{
	RUN(test_fin_wait2_seen_alive_is_charged_to_the_client);
	RUN(test_fin_wait2_never_seen_alive_is_unattributed_by_state);
	RUN(test_every_orphan_state_is_charged_and_only_time_wait_counts_in_tw);
	RUN(test_inode_zero_sockets_of_a_listener_are_not_orphans);
	RUN(test_exited_client_keeps_a_row_for_its_orphans);
	RUN(test_details_show_orphans_as_held_on_after_a_kill);
	CHECK_DONE();
}
