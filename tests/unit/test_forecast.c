/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Figures across samples on hand-built samples: when porttop first saw each socket
 * (a cookie dates a socket from its first dump to the end of its TIME_WAIT,
 * doc/kernel.md, "Socket cookies"), the bind() pools per local address (doc/kernel.md,
 * "Pools per local address"), and the forecast of each pool from its last samples and
 * the TIME_WAIT expiry times.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "model/details.h"
#include "model/model-internal.h"
#include "core/sample.h"

static void add(struct sample *s, struct sock_rec r)
{
	sample_add_sock(s, &r);
}

/* A socket keeps the time of its first sample, TIME_WAIT included; a gone one is forgotten. */
static void test_first_seen_dates_each_cookie_from_its_first_sample(void)
{
	struct history *h = history_new();
	struct sample s;
	double when[3];

	fixture_start(&s, 40000, 40999, 10.0);
	add(&s, fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 8080, KTCP_ESTABLISHED, 1, 101));
	add(&s, fixture_tcp("127.0.0.1", 40002, "127.0.0.1", 8080, KTCP_ESTABLISHED, 2, 102));
	sample_finish_owners(&s);
	CHECK_EQ(history_advance(h, &s), 0);
	CHECK(firstseen_start(history_firstseen(h)) == 10.0);

	sample_reset(&s);
	s.monotonic = 12.5;
	add(&s, fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 8080, KTCP_TIME_WAIT, 0, 101));  /* closed since */
	add(&s, fixture_tcp("127.0.0.1", 40003, "127.0.0.1", 8080, KTCP_ESTABLISHED, 3, 103)); /* new */
	add(&s, fixture_tcp("127.0.0.1", 40004, "127.0.0.1", 8080, KTCP_ESTABLISHED, 4, 0));   /* no cookie */
	sample_finish_owners(&s);
	CHECK_EQ(firstseen_match(history_firstseen(h), &s, when), 0);
	CHECK(when[0] == 10.0);
	CHECK(when[1] == 0);
	CHECK(when[2] == 0);
	CHECK_EQ(history_advance(h, &s), 0);
	CHECK(firstseen_time(history_firstseen(h), 101) == 10.0);
	CHECK(firstseen_time(history_firstseen(h), 103) == 12.5);
	CHECK(firstseen_time(history_firstseen(h), 102) == 0);  /* gone: forgotten */
	CHECK(firstseen_time(history_firstseen(h), 0) == 0);
	CHECK_EQ(firstseen_size(history_firstseen(h)), 2);
	CHECK(firstseen_start(history_firstseen(h)) == 10.0);
	sample_free(&s);
	history_free(h);
}

static bool near(double a, double b, double tolerance)
{
	return fabs(a - b) <= tolerance;
}

/* A series of a pool filled at rate ports a second, every interval seconds until now. */
static void series_filling(struct forecast_series *sr, double rate, double interval, size_t n,
			   unsigned held_now)
{
	memset(sr, 0, sizeof(*sr));
	for (size_t i = 0; i < n; i++) {
		double back = (double)(n - 1 - i) * interval;
		sr->time[i] = 100.0 - back;
		sr->fig[i].held = (unsigned)(held_now - rate * back);
		sr->fig[i].time_wait = sr->fig[i].held;
		sr->fig[i].time_wait_new = i ? (unsigned)(rate * interval) : 0;
		sr->fig[i].new_sockets = i ? (unsigned)(rate * interval) : 0;
		sr->present[i] = true;
	}
	sr->n = n;
}

/* Connect+close at 20/s into 1000 ports, tcp_tw_reuse=0: 200 held after 10 s, full 40 s later. */
static void test_forecast_of_a_steady_fill_is_full_when_the_range_is(void)
{
	struct forecast_series sr;
	struct forecast f;
	unsigned frees[FORECAST_BUCKETS] = { 0 };

	series_filling(&sr, 20, 0.5, 21, 200);
	frees[FORECAST_BUCKETS - 1] = 10;   /* the oldest TIME_WAIT, 10 s old, ends in 50-60 s */
	frees[FORECAST_BUCKETS - 2] = 190;
	forecast_pool(&sr, 1000, frees, &f);
	CHECK_EQ(f.trend, FORECAST_FILLING);
	CHECK(near(f.rate_per_sec, 20, 0.01));
	CHECK(near(f.new_per_sec, 20, 0.01));
	CHECK(near(f.time_wait_created_per_sec, 20, 0.01));
	CHECK(near(f.time_wait_expired_per_sec, 0, 0.01));
	CHECK(near(f.seconds_to_full, 40, 0.01));
	CHECK_EQ(f.freeing_next_60s, 200);
}

/* 10/s in and 10/s out through TIME_WAIT: 600 held of 1000 for good. */
static void test_forecast_of_a_balanced_churn_is_stable(void)
{
	struct forecast_series sr;
	struct forecast f;
	unsigned frees[FORECAST_BUCKETS];

	memset(&sr, 0, sizeof(sr));
	for (size_t i = 0; i < 20; i++) {
		sr.time[i] = 90.0 + i * 0.5;
		sr.fig[i] = (struct pool_figures){ 600, 600, i ? 5 : 0, i ? 5 : 0 };
		sr.present[i] = true;
	}
	sr.n = 20;
	for (int b = 0; b < FORECAST_BUCKETS; b++)
		frees[b] = 50;
	forecast_pool(&sr, 1000, frees, &f);
	CHECK_EQ(f.trend, FORECAST_STABLE);
	CHECK(f.seconds_to_full < 0);
	CHECK(near(f.rate_per_sec, 0, 0.01));
	CHECK(near(f.time_wait_expired_per_sec, 10, 0.01));
	CHECK_EQ(f.freeing_next_60s, 600);
}

/* 20/s recycled by tcp_tw_reuse within seconds: 40 held of 1000, for good. */
static void test_forecast_of_a_recycled_churn_is_stable(void)
{
	struct forecast_series sr;
	struct forecast f;
	unsigned frees[FORECAST_BUCKETS] = { 40 };

	memset(&sr, 0, sizeof(sr));
	for (size_t i = 0; i < 20; i++) {
		sr.time[i] = 90.0 + i * 0.5;
		sr.fig[i] = (struct pool_figures){ 40, 40, i ? 10 : 0, i ? 10 : 0 };
		sr.present[i] = true;
	}
	sr.n = 20;
	sr.time_wait_seconds = FORECAST_BUCKET_SECONDS;
	forecast_pool(&sr, 1000, frees, &f);
	CHECK_EQ(f.trend, FORECAST_STABLE);
	CHECK(f.seconds_to_full < 0);
	sr.time_wait_seconds = 0;  /* were it held for 60 s, 20/s would fill 1000 ports */
	frees[0] = 0;
	frees[FORECAST_BUCKETS - 1] = 40;
	forecast_pool(&sr, 1000, frees, &f);
	CHECK_EQ(f.trend, FORECAST_FILLING);
}

/* A fill that would stop at 1200 once its first TIME_WAIT ends never fills 1500 ports. */
static void test_forecast_counts_the_time_wait_that_will_end(void)
{
	struct forecast_series sr;
	struct forecast f;
	unsigned frees[FORECAST_BUCKETS] = { 0 };

	series_filling(&sr, 20, 0.5, 21, 1100);  /* 55 s into the fill */
	frees[1] = 100;                          /* the first 5 s of it end within 10 s */
	for (int b = 2; b < FORECAST_BUCKETS; b++)
		frees[b] = 100;
	forecast_pool(&sr, 1500, frees, &f);
	CHECK(f.seconds_to_full < 0);
	CHECK_EQ(f.trend, FORECAST_STABLE);
	forecast_pool(&sr, 1190, frees, &f);     /* but 1190 it does, in 4.5 s */
	CHECK_EQ(f.trend, FORECAST_FILLING);
	CHECK(near(f.seconds_to_full, 4.5, 0.01));
}

/* The load stopped 10 s ago: the ports its TIME_WAIT holds come free. */
static void test_forecast_turns_to_draining_when_the_load_stops(void)
{
	struct forecast_series sr;
	struct forecast f;
	unsigned frees[FORECAST_BUCKETS] = { 0 };

	memset(&sr, 0, sizeof(sr));
	for (size_t i = 0; i < 41; i++) {     /* 10 s of 20/s, then 10 s of nothing */
		double t = 80.0 + i * 0.5;
		unsigned held = t <= 90.0 ? (unsigned)((t - 80.0) * 20) : 200;
		sr.time[i] = t;
		sr.fig[i] = (struct pool_figures){ held, held, i && t <= 90.0 ? 10 : 0, i && t <= 90.0 ? 10 : 0 };
		sr.present[i] = true;
	}
	sr.n = 41;
	frees[8] = 100;
	frees[9] = 100;
	forecast_pool(&sr, 1000, frees, &f);
	CHECK_EQ(f.trend, FORECAST_DRAINING);
	CHECK(f.seconds_to_full < 0);
	CHECK_EQ(f.freeing_next_60s, 200);
	CHECK(f.new_per_sec < 4);  /* of 20: what the last 5 s weigh */
}

/* One sample says what is held and what frees, not where it goes; a full pool is full. */
static void test_forecast_needs_two_samples_but_full_is_full(void)
{
	struct forecast_series sr = { .n = 1 };
	struct forecast f;

	sr.fig[0].held = 500;
	sr.present[0] = true;
	forecast_pool(&sr, 1000, NULL, &f);
	CHECK_EQ(f.trend, FORECAST_UNKNOWN);
	CHECK(f.seconds_to_full < 0);
	CHECK(f.new_per_sec < 0);
	sr.fig[0].held = 1000;
	forecast_pool(&sr, 1000, NULL, &f);
	CHECK_EQ(f.trend, FORECAST_FULL);
	CHECK(f.seconds_to_full == 0);
}

static const struct bind_pool *pool_of(const struct model *m, const char *addr, uint8_t protocol)
{
	struct in_addr a;
	uint8_t key[16];

	inet_pton(AF_INET, addr, &a);
	sample_addr_from_v4(key, a.s_addr);
	for (size_t i = 0; i < m->n_bind_pools; i++)
		if (m->bind_pools[i].protocol == protocol && memcmp(m->bind_pools[i].local, key, 16) == 0)
			return &m->bind_pools[i];
	return NULL;
}

/*
 * bind(0) conflicts on the same address or a wildcard: 127.0.0.1 holds 30 ports (10
 * of them twice), 127.0.0.2 holds 5, a listener on 0.0.0.0 one more for both; UDP
 * apart.  The pool that fails first is the fullest, with the call that fails.
 */
static void test_bind_pools_count_per_local_address_and_wildcards(void)
{
	struct sample s;
	struct model m;
	const struct bind_pool *one, *two, *udp;

	fixture_start(&s, 40000, 40999, 10.0);
	for (unsigned i = 0; i < 30; i++)
		add(&s, fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_ESTABLISHED, 1 + i, 100 + i));
	for (unsigned i = 0; i < 10; i++)
		add(&s, fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8081, KTCP_TIME_WAIT, 0, 200 + i));
	for (unsigned i = 0; i < 5; i++)
		add(&s, fixture_tcp("127.0.0.2", 40100 + i, "127.0.0.1", 8080, KTCP_ESTABLISHED, 50 + i, 300 + i));
	add(&s, fixture_tcp("0.0.0.0", 40500, "127.0.0.1", 0, KTCP_LISTEN, 60, 400));
	struct sock_rec u = fixture_tcp("127.0.0.1", 40600, "127.0.0.1", 53, KTCP_ESTABLISHED, 61, 401);
	u.protocol = IPPROTO_UDP;
	add(&s, u);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.n_bind_pools, 3);
	one = pool_of(&m, "127.0.0.1", IPPROTO_TCP);
	two = pool_of(&m, "127.0.0.2", IPPROTO_TCP);
	udp = pool_of(&m, "127.0.0.1", IPPROTO_UDP);
	CHECK(one && two && udp);
	if (one && two && udp) {
		CHECK_EQ(one->in_use, 31);
		CHECK_EQ(one->capacity, 1000);
		CHECK(near(one->percent, 3.1, 0.001));
		CHECK_EQ(two->in_use, 6);
		CHECK_EQ(udp->in_use, 1);
		CHECK(&m.bind_pools[0] == one);  /* fullest first */
	}
	CHECK_EQ(m.tcp.in_use, 36);
	CHECK_EQ(m.connect_blocked, 1);
	CHECK_EQ(m.first_to_fail.kind, POOL_BIND);
	CHECK_STR(forecast_call(&m.first_to_fail), "bind() EADDRINUSE");
	char name[128];
	CHECK_STR(forecast_pool_name(&m, &m.first_to_fail, name, sizeof(name)), "bind 127.0.0.1");
	model_free(&m);
	sample_free(&s);
}

/* A destination at 100 % fails first, with connect() EADDRNOTAVAIL. */
static void test_a_full_destination_fails_first(void)
{
	struct sample s;
	struct model m;
	char name[128];

	fixture_start(&s, 40000, 40999, 10.0);
	s.sys.high = 40009;
	for (unsigned i = 0; i < 10; i++)
		add(&s, fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_ESTABLISHED, 1 + i, 100 + i));
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.first_to_fail.kind, POOL_DESTINATION);
	CHECK_EQ(m.destinations[0].forecast.trend, FORECAST_FULL);
	CHECK_STR(forecast_call(&m.first_to_fail), "connect() EADDRNOTAVAIL");
	CHECK_STR(forecast_pool_name(&m, &m.first_to_fail, name, sizeof(name)),
		  "destination 127.0.0.1 -> 127.0.0.1:8080");
	model_free(&m);
	sample_free(&s);
}

static void own(struct sample *s, pid_t pid, uint32_t first_inode, uint32_t last_inode)
{
	size_t index = fixture_add_proc(s, pid, "cli", 7);

	for (uint32_t inode = first_inode; inode <= last_inode; inode++)
		sample_add_owner(s, inode, (uint32_t)index);
}

/* One refresh as the engine does it: the model, then the history, then the details. */
static void refresh(struct model *m, struct sample *s, struct history *h, struct details *d)
{
	sample_finish_owners(s);
	CHECK_EQ(model_build(m, s, h), 0);
	CHECK_EQ(history_advance(h, s), 0);
	history_record(h, m);
	CHECK_EQ(details_compute(d, s, h, 300, 7), 0);
	CHECK_EQ(details_breakdown(d, m, h), 0);
}

/* Two sockets seen from the start, a third 30 s later: oldest 30 s or more, 1 new in 30 s. */
static void test_details_break_a_process_down_by_destination(void)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;
	struct details d;

	model_init(&m);
	details_init(&d);
	fixture_start(&s, 40000, 40999, 10.0);
	add(&s, fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 8080, KTCP_ESTABLISHED, 1, 101));
	add(&s, fixture_tcp("127.0.0.1", 40002, "127.0.0.1", 8080, KTCP_ESTABLISHED, 2, 102));
	own(&s, 300, 1, 2);
	refresh(&m, &s, h, &d);
	CHECK_EQ(d.n_groups, 1);
	CHECK(d.groups[0].new_per_sec < 0);  /* one sample: not known yet */

	sample_reset(&s);
	s.monotonic = 40.0;
	add(&s, fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 8080, KTCP_ESTABLISHED, 1, 101));
	add(&s, fixture_tcp("127.0.0.1", 40002, "127.0.0.1", 8080, KTCP_ESTABLISHED, 2, 102));
	add(&s, fixture_tcp("127.0.0.1", 40003, "127.0.0.1", 8080, KTCP_ESTABLISHED, 3, 103));
	add(&s, fixture_tcp("127.0.0.1", 40004, "127.0.0.1", 9090, KTCP_ESTABLISHED, 4, 104));
	add(&s, fixture_tcp("127.0.0.1", 40005, "127.0.0.1", 8080, KTCP_ESTABLISHED, 5, 105));  /* someone else's */
	own(&s, 300, 1, 4);
	refresh(&m, &s, h, &d);
	CHECK_EQ(d.n_groups, 2);
	if (d.n_groups == 2) {
		const struct detail_group *g = &d.groups[0];  /* :8080 sorts first */
		CHECK_EQ(g->count, 3);
		CHECK_EQ(g->by_state[STATE_ESTABLISHED], 3);
		CHECK_EQ(g->ephemeral, 3);
		CHECK(near(g->oldest_seconds, 30, 1e-9));
		CHECK(g->oldest_at_least);
		CHECK(near(g->new_per_sec, 1.0 / 30, 1e-9));
		CHECK(g->has_destination);
		CHECK_EQ(g->dest_in_use, 4);       /* every process's sockets there */
		CHECK_EQ(g->dest_capacity, 1000);
		CHECK(near(g->forecast.new_per_sec, 2.0 / 30, 1e-9));
		g = &d.groups[1];
		CHECK_EQ(g->count, 1);
		CHECK(near(g->oldest_seconds, 0, 1e-9));  /* first seen now */
		CHECK(!g->oldest_at_least);
	}
	details_free(&d);
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

/* With tcp_tw_reuse, connect() takes a TIME_WAIT port again after about a second:
 * it is freed in the first 5 s, not when the TIME_WAIT ends. */
static void test_time_wait_tw_reuse_gives_back_is_freed_soon(void)
{
	struct sample s;
	struct model m;
	struct sock_rec r;

	fixture_start(&s, 40000, 40999, 10.0);
	s.sys.tw_reuse = 1;
	r = fixture_tcp("127.0.0.1", 40001, "127.0.0.1", 8080, KTCP_TIME_WAIT, 0, 101);
	r.expires_ms = 59500;  /* young: not reusable yet */
	add(&s, r);
	r = fixture_tcp("127.0.0.1", 40002, "127.0.0.1", 8080, KTCP_TIME_WAIT, 0, 102);
	r.expires_ms = 30000;  /* old: reusable, so not held at all */
	add(&s, r);
	sample_finish_owners(&s);
	model_init(&m);
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.n_destinations, 1);
	CHECK_EQ(m.destinations[0].reusable, 1);
	CHECK_EQ(m.destinations[0].figures.held, 1);
	CHECK_EQ(m.destinations[0].frees[0], 1);
	CHECK_EQ(m.destinations[0].forecast.freeing_next_60s, 1);
	s.sys.tw_reuse = 0;
	CHECK_EQ(model_build(&m, &s, NULL), 0);
	CHECK_EQ(m.destinations[0].frees[0], 0);
	CHECK_EQ(m.destinations[0].frees[FORECAST_BUCKETS - 1], 1);
	CHECK_EQ(m.destinations[0].frees[6], 1);
	model_free(&m);
	sample_free(&s);
}

int main(void)
{
	RUN(test_time_wait_tw_reuse_gives_back_is_freed_soon);
	RUN(test_details_break_a_process_down_by_destination);
	RUN(test_first_seen_dates_each_cookie_from_its_first_sample);
	RUN(test_forecast_of_a_steady_fill_is_full_when_the_range_is);
	RUN(test_forecast_of_a_balanced_churn_is_stable);
	RUN(test_forecast_counts_the_time_wait_that_will_end);
	RUN(test_forecast_of_a_recycled_churn_is_stable);
	RUN(test_forecast_turns_to_draining_when_the_load_stops);
	RUN(test_forecast_needs_two_samples_but_full_is_full);
	RUN(test_bind_pools_count_per_local_address_and_wildcards);
	RUN(test_a_full_destination_fails_first);
	CHECK_DONE();
}
