/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the eBPF probes' facts make of the model, on hand-built samples: a TIME_WAIT
 * nobody saw alive goes to the process recorded at its birth (after the cookie
 * history, never before), failures are counted per process and destination with
 * their rates, and NEW/s comes from the births counted between two samples.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "model/model-internal.h"
#include "core/sample.h"

#define SERVER 100
#define CLIENT 200
#define GONE 300

static void start(struct sample *s, double when, bool have_previous)
{
	fixture_start(s, 40000, 40999, when);
	s->netns_inode = 4026531840u;
	s->probes.status = PROBE_ON;
	s->probes.have_previous = have_previous;
}

/* Root's process pid running comm, started at tick pid. */
static struct probe_process who(pid_t pid, const char *comm)
{
	struct probe_process w;

	memset(&w, 0, sizeof(w));
	w.pid = pid;
	w.start_time = (unsigned long long)pid;
	strcpy(w.user, "root");
	strcpy(w.comm, comm);
	return w;
}

static void add_birth(struct sample *s, uint32_t sock, pid_t pid, const char *comm, bool running)
{
	struct probe_birth b;

	memset(&b, 0, sizeof(b));
	b.sock = sock;
	b.who = who(pid, comm);
	b.running = running;
	probe_facts_add_birth(&s->probes, &b);
}

static void add_failure(struct sample *s, pid_t pid, const char *comm, uint64_t count, uint64_t previous)
{
	struct probe_failure f;

	memset(&f, 0, sizeof(f));
	f.who = who(pid, comm);
	f.count = count;
	f.previous = previous;
	probe_facts_add_failure(&s->probes, &f);
}

static void add_dest(struct sample *s, unsigned port, uint64_t count, uint64_t previous)
{
	struct probe_failure_dest d;
	struct in_addr lo;

	inet_pton(AF_INET, "127.0.0.1", &lo);
	memset(&d, 0, sizeof(d));
	sample_addr_from_v4(d.remote, lo.s_addr);
	d.port = (uint16_t)port;
	d.count = count;
	d.previous = previous;
	probe_facts_add_dest(&s->probes, &d);
}

/* The server holds a listener; the client left n TIME_WAIT to :8080 nobody saw alive. */
static void sample_churned(struct sample *s, unsigned n, double when, bool have_previous)
{
	start(s, when, have_previous);
	size_t server = fixture_add_proc(s, SERVER, "server", SERVER);
	struct sock_rec l = fixture_tcp("127.0.0.1", 8080, "127.0.0.1", 0, KTCP_LISTEN, 10, 1);

	sample_add_sock(s, &l);
	sample_add_owner(s, 10, (uint32_t)server);
	for (unsigned i = 0; i < n; i++) {
		struct sock_rec r = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_TIME_WAIT, 0, 500 + i);
		sample_add_sock(s, &r);
	}
	sample_finish_owners(s);
}

static void test_time_wait_never_seen_alive_goes_to_its_birth_owner(void)
{
	struct sample s;
	struct model m;

	sample_churned(&s, 30, 100.0, false);
	for (uint32_t i = 1; i <= 20; i++)  /* socks[0] is the listener */
		add_birth(&s, i, CLIENT, "client", true);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	const struct proc_row *c = fixture_row(&m, CLIENT);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->time_wait, 20);
		CHECK_EQ(c->ephemeral, 20);
		CHECK_EQ(c->exited, false);  /* it holds nothing, but runs */
	}
	CHECK_EQ(m.time_wait_total, 30);
	CHECK_EQ(m.time_wait_unattributed, 10);  /* no birth recorded for those */
	model_free(&m);
	sample_free(&s);
}

static void test_an_exited_birth_owner_is_shown_as_exited(void)
{
	struct sample s;
	struct model m;

	sample_churned(&s, 5, 100.0, false);
	for (uint32_t i = 1; i <= 5; i++)
		add_birth(&s, i, GONE, "gone", false);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	const struct proc_row *g = fixture_row(&m, GONE);
	CHECK(g != NULL);
	if (g) {
		CHECK_EQ(g->time_wait, 5);
		CHECK_EQ(g->exited, true);
	}
	model_free(&m);
	sample_free(&s);
}

/* The history saw the socket alive with the server's fd: that owner wins over the birth. */
static void test_the_cookie_history_goes_before_the_birth(void)
{
	struct sample before, after;
	struct model m;
	struct history *h = history_new();

	start(&before, 100.0, false);
	size_t server = fixture_add_proc(&before, SERVER, "server", SERVER);
	struct sock_rec alive = fixture_tcp("127.0.0.1", 40000, "127.0.0.1", 8080, KTCP_ESTABLISHED, 77, 500);
	sample_add_sock(&before, &alive);
	sample_add_owner(&before, 77, (uint32_t)server);
	sample_finish_owners(&before);
	sample_churned(&after, 1, 102.0, true);
	add_birth(&after, 1, CLIENT, "client", true);
	model_init(&m);
	CHECK_EQ(model_build(&m, &before, h), 0);
	CHECK_EQ(history_advance(h, &before), 0);
	CHECK_EQ(model_build(&m, &after, h), 0);
	CHECK(fixture_row(&m, CLIENT) == NULL);
	CHECK(fixture_row(&m, SERVER) != NULL && fixture_row(&m, SERVER)->time_wait == 1);
	model_free(&m);
	history_free(h);
	sample_free(&before);
	sample_free(&after);
}

static void test_failures_per_process_and_destination_with_their_rates(void)
{
	struct sample s;
	struct model m;
	struct history *h = history_new();
	struct sample first;

	/* a first sample two seconds earlier, so the model has an interval */
	sample_churned(&first, 0, 100.0, false);
	sample_churned(&s, 100, 102.0, true);
	add_failure(&s, CLIENT, "client", 37, 7);      /* 30 in 2 s */
	add_dest(&s, 8080, 30, 0);
	add_dest(&s, 9090, 7, 7);
	add_failure(&s, GONE, "gone", 4, 4);           /* failed earlier, not now */
	add_dest(&s, 8080, 4, 4);
	model_init(&m);
	CHECK_EQ(model_build(&m, &first, h), 0);
	CHECK_EQ(history_advance(h, &first), 0);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK(m.bpf);
	CHECK_EQ(m.failures_total, 41);
	CHECK_EQ(m.failures_per_sec * 10, 150);
	CHECK_EQ(m.top_failure, 0);
	CHECK_EQ(s.probes.dests[m.top_failure_dest].port, 8080);
	const struct proc_row *c = fixture_row(&m, CLIENT), *g = fixture_row(&m, GONE);
	CHECK(c != NULL && g != NULL);
	if (c && g) {
		CHECK_EQ(c->connect_failures, 37);
		CHECK_EQ(c->fail_per_sec * 10, 150);
		CHECK_EQ(g->connect_failures, 4);
		CHECK_EQ(g->fail_per_sec, 0);
	}
	CHECK(m.n_destinations == 1);
	if (m.n_destinations == 1) {
		CHECK_EQ(m.destinations[0].connect_failures, 34);   /* both processes, to :8080 */
		CHECK_EQ(m.destinations[0].fail_per_sec * 10, 150);
	}
	model_free(&m);
	history_free(h);
	sample_free(&first);
	sample_free(&s);
}

static void test_without_probes_there_are_no_failure_figures(void)
{
	struct sample s;
	struct model m;

	sample_churned(&s, 3, 100.0, false);
	s.probes.status = PROBE_OFF_NOT_ROOT;
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK(!m.bpf);
	CHECK_EQ(m.failures_total, 0);
	CHECK(m.failures_per_sec < 0);
	CHECK_EQ(m.time_wait_unattributed, 3);
	model_free(&m);
	sample_free(&s);
}

static void test_new_per_sec_counts_the_connections_born_between_two_samples(void)
{
	struct sample first, s;
	struct model m;
	struct history *h = history_new();
	struct probe_connects c = { .who = who(CLIENT, "client"), .count = 250, .previous = 50 };

	sample_churned(&first, 0, 100.0, false);
	sample_churned(&s, 0, 102.0, true);
	probe_facts_add_connects(&s.probes, &c);
	model_init(&m);
	CHECK_EQ(model_build(&m, &first, h), 0);
	CHECK_EQ(history_advance(h, &first), 0);
	CHECK_EQ(model_build(&m, &s, h), 0);
	const struct proc_row *r = fixture_row(&m, CLIENT);
	CHECK(r != NULL);  /* it holds nothing, but it connected: it gets a row */
	if (r)
		CHECK_EQ(r->new_per_sec, 100);
	CHECK(fixture_row(&m, SERVER) != NULL && fixture_row(&m, SERVER)->new_per_sec == 0);
	model_free(&m);
	history_free(h);
	sample_free(&first);
	sample_free(&s);
}

int main(void)
{
	RUN(test_time_wait_never_seen_alive_goes_to_its_birth_owner);
	RUN(test_an_exited_birth_owner_is_shown_as_exited);
	RUN(test_the_cookie_history_goes_before_the_birth);
	RUN(test_failures_per_process_and_destination_with_their_rates);
	RUN(test_without_probes_there_are_no_failure_figures);
	RUN(test_new_per_sec_counts_the_connections_born_between_two_samples);
	CHECK_DONE();
}
