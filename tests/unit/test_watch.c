/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watching over time, on hand-built samples and series: leaks (model/leaks.c) and
 * the alerts' state machine (model/alerts.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "core/sample.h"
#include "core/threshold.h"
#include "model/model-internal.h"

static struct sock_rec tcp(unsigned lport, int state, uint32_t inode, uint64_t cookie)
{
	struct sock_rec r;
	struct in_addr lo;

	inet_pton(AF_INET, "127.0.0.1", &lo);
	memset(&r, 0, sizeof(r));
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.state = (uint8_t)state;
	sample_addr_from_v4(r.local, lo.s_addr);
	sample_addr_from_v4(r.remote, lo.s_addr);
	r.local_port = (uint16_t)lport;
	r.remote_port = 5432;
	r.inode = inode;
	r.cookie = cookie;
	return r;
}

/* At `when`, process 100 holds n connections in state (cookies 1..n, the same sockets over time). */
static void pool_sample(struct sample *s, double when, unsigned n, int state)
{
	struct proc_rec p;
	size_t index;

	sample_reset(s);
	s->sys.low = 40000;
	s->sys.high = 40999;
	s->owners_scanned = true;
	s->monotonic = when;
	memset(&p, 0, sizeof(p));
	p.pid = 100;
	p.start_time = 7;
	strcpy(p.comm, "pool");
	p.cmdline = (char *)"pool";
	sample_add_proc(s, &p, &index);
	for (unsigned i = 1; i <= n; i++) {
		struct sock_rec r = tcp(40000 + i, state, 1000 + i, i);
		sample_add_sock(s, &r);
		sample_add_owner(s, 1000 + i, (uint32_t)index);
	}
	sample_finish_owners(s);
}

static void test_only_grows_means_never_down_twice_up_and_above_the_start(void)
{
	const double t[] = { 0, 1, 2, 3 };
	const unsigned grows[] = { 0, 3, 6, 9 }, once[] = { 0, 0, 0, 1 }, dips[] = { 0, 3, 2, 5 },
		       flat[] = { 4, 4, 4, 4 };
	double per_min = -1;

	CHECK(leaks_only_grows(t, grows, 4, 0, &per_min));
	CHECK(per_min == 180.0);
	CHECK(!leaks_only_grows(t, once, 4, 0, &per_min));   /* caught on its way to close() */
	CHECK(!leaks_only_grows(t, dips, 4, 0, &per_min));
	CHECK(!leaks_only_grows(t, flat, 4, 0, &per_min));
	CHECK(!leaks_only_grows(t, grows, 2, 0, &per_min));  /* two samples say nothing */
	CHECK(!leaks_only_grows(t, grows, 4, 30, &per_min)); /* 3 s is not 30 */
}

/* A pool growing by one connection every 5 s: flagged once the window covers 30 s. */
static void test_an_established_pool_that_only_grows_for_30_s_is_a_leak(void)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;

	sample_init(&s);
	model_init(&m);
	for (unsigned k = 0; k <= 8; k++) {
		pool_sample(&s, 1000.0 + 5 * k, 10 + k, KTCP_ESTABLISHED);
		CHECK_EQ(model_build(&m, &s, h), 0);
		CHECK_EQ(m.n_rows, 1);
		if (k < 6) {
			CHECK_EQ(m.rows[0].leak.kind, LEAK_NONE);
			CHECK_EQ(m.leaking, 0);
		}
		CHECK_EQ(history_advance(h, &s), 0);
	}
	CHECK_EQ(m.rows[0].leak.kind, LEAK_ESTABLISHED);
	CHECK_EQ(m.leaking, 1);
	CHECK(m.rows[0].leak.growth_per_min == 12.0);  /* 8 more in 40 s */
	CHECK(m.rows[0].leak.oldest_seconds == 40.0);  /* cookie 1, seen at the first sample */

	/* it gives one back: no longer only growing */
	pool_sample(&s, 1045.0, 17, KTCP_ESTABLISHED);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(m.rows[0].leak.kind, LEAK_NONE);
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

/* The same sockets in CLOSE_WAIT, not growing: a leak once the oldest is leak_age old. */
static void test_a_close_wait_older_than_the_leak_age_is_a_leak(void)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;

	sample_init(&s);
	model_init(&m);
	m.options.leak_age = 10;
	for (unsigned k = 0; k <= 2; k++) {
		pool_sample(&s, 500.0 + 6 * k, 3, KTCP_CLOSE_WAIT);
		CHECK_EQ(model_build(&m, &s, h), 0);
		CHECK_EQ(m.rows[0].leak.kind, k < 2 ? LEAK_NONE : LEAK_CLOSE_WAIT);
		CHECK_EQ(history_advance(h, &s), 0);
	}
	CHECK(m.rows[0].leak.oldest_seconds == 12.0);
	CHECK(m.rows[0].leak.growth_per_min == 0);
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

static const struct model_options defaults = { .leak_age = 60, .warning = 80, .critical = 95 };

/* 78 82 78 82 ... around the 80 % warning: WARNING once, at the first 82, and kept. */
static void test_a_pool_oscillating_around_a_threshold_changes_level_once(void)
{
	struct alert_state a;
	unsigned changes = 0;

	alerts_state_init(&a);
	for (int i = 0; i < 20; i++)
		changes += alerts_step(&a, i % 2 ? 82 : 78, i, &defaults);
	CHECK_EQ(changes, 1);
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(a.since == 1);
}

/* A level is left only 5 points below its threshold, one level at a time if need be. */
static void test_a_level_is_left_5_points_below_it(void)
{
	struct alert_state a;

	alerts_state_init(&a);
	CHECK(alerts_step(&a, 97, 0, &defaults));
	CHECK_EQ(a.level, LEVEL_CRITICAL);
	CHECK(!alerts_step(&a, 90.5, 1, &defaults));  /* above 95 - 5 */
	CHECK_EQ(a.level, LEVEL_CRITICAL);
	CHECK(alerts_step(&a, 89, 2, &defaults));
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(a.since == 2);
	CHECK(!alerts_step(&a, 75, 3, &defaults));    /* 80 - 5: still WARNING */
	CHECK(alerts_step(&a, 74.9, 4, &defaults));
	CHECK_EQ(a.level, LEVEL_OK);
	CHECK(alerts_step(&a, 99, 5, &defaults));
	CHECK(alerts_step(&a, 10, 6, &defaults));     /* CRITICAL straight to OK */
	CHECK_EQ(a.level, LEVEL_OK);
}

/* With alert_after, a level is raised once held that long, dated from its crossing. */
static void test_a_level_is_raised_after_holding_for_the_minimum_duration(void)
{
	struct model_options o = defaults;
	struct alert_state a;

	o.alert_after = 10;
	alerts_state_init(&a);
	CHECK(!alerts_step(&a, 96, 100, &o));
	CHECK(!alerts_step(&a, 96, 105, &o));
	CHECK(!alerts_step(&a, 79, 108, &o));  /* fell below 80: both clocks start again */
	CHECK(!alerts_step(&a, 85, 109, &o));
	CHECK(!alerts_step(&a, 96, 115, &o));
	CHECK(alerts_step(&a, 96, 119, &o));   /* 80 held since 109 */
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(a.since == 109);
	CHECK(alerts_step(&a, 96, 125, &o));   /* 95 held since 115 */
	CHECK_EQ(a.level, LEVEL_CRITICAL);
	CHECK(a.since == 115);
	CHECK(alerts_step(&a, 50, 126, &o));   /* falling is at once: hysteresis is its guard */
	CHECK_EQ(a.level, LEVEL_OK);
}

/* The options engine.c makes of --warning and --critical. */
static struct model_options options_of(const char *warning, const char *critical,
				       struct threshold *w)
{
	struct threshold c;
	struct model_options o = { .leak_age = 60 };

	CHECK_EQ(threshold_parse(warning, w), 0);
	CHECK_EQ(threshold_parse(critical, &c), 0);
	o.warning = threshold_rising(w);
	o.critical = threshold_rising(&c);
	o.warning_included = threshold_rising_included(w);
	o.critical_included = threshold_rising_included(&c);
	o.warning_ends = threshold_rising_end(w, &o.warning_end);
	o.critical_ends = threshold_rising_end(&c, &o.critical_end);
	return o;
}

/* Exactly at a plain range's end ("80": 80 of 100 ports) the check says OK, and so does
 * the alert; an "@80:100" range includes 80, for both. */
static void test_an_alert_agrees_with_the_check_at_the_threshold_itself(void)
{
	struct threshold w;
	struct model_options o = options_of("80", "95", &w);
	struct alert_state a;

	alerts_state_init(&a);
	CHECK(!threshold_alerts(&w, 80));
	CHECK(!alerts_step(&a, 80, 0, &o));
	CHECK_EQ(a.level, LEVEL_OK);
	CHECK(alerts_step(&a, 80.01, 1, &o));
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(!alerts_step(&a, 95, 2, &o));  /* 95 is not above 95 either */
	CHECK_EQ(a.level, LEVEL_WARNING);

	o = options_of("@80:100", "@95:100", &w);
	alerts_state_init(&a);
	CHECK(threshold_alerts(&w, 80));
	CHECK(alerts_step(&a, 80, 0, &o));
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(alerts_step(&a, 95, 1, &o));
	CHECK_EQ(a.level, LEVEL_CRITICAL);
}

/* "@70:80": WARNING inside 70-80 only, as the check says; past 85 (80 + 5) OK again,
 * and a pool that jumps past 80 never was WARNING.  The critical range takes over above
 * it where it starts, so "@70:90" "@90:100" is WARNING then CRITICAL all the way up. */
static void test_an_at_range_alerts_up_to_its_end_only(void)
{
	struct threshold w;
	struct model_options o = options_of("@70:80", "95", &w);
	struct alert_state a;

	alerts_state_init(&a);
	CHECK(alerts_step(&a, 75, 0, &o));
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(!alerts_step(&a, 80, 1, &o));  /* the end is in the range */
	CHECK(!alerts_step(&a, 85, 2, &o));  /* above it, but within the hysteresis */
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(!threshold_alerts(&w, 90));
	CHECK(alerts_step(&a, 90, 3, &o));
	CHECK_EQ(a.level, LEVEL_OK);
	CHECK(alerts_step(&a, 96, 4, &o));   /* the critical plain range holds above 95 */
	CHECK_EQ(a.level, LEVEL_CRITICAL);

	alerts_state_init(&a);
	CHECK(!alerts_step(&a, 82, 0, &o));  /* past the end at once: OK, as the check */
	CHECK_EQ(a.level, LEVEL_OK);

	o = options_of("@~:5", "95", &w);    /* alerts from 0 to 5 %, not above */
	alerts_state_init(&a);
	CHECK(alerts_step(&a, 3, 0, &o));
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(alerts_step(&a, 50, 1, &o));
	CHECK_EQ(a.level, LEVEL_OK);

	o = options_of("@70:90", "@90:100", &w);
	alerts_state_init(&a);
	CHECK(alerts_step(&a, 80, 0, &o));
	CHECK_EQ(a.level, LEVEL_WARNING);
	CHECK(alerts_step(&a, 100, 1, &o));
	CHECK_EQ(a.level, LEVEL_CRITICAL);
}

/* The live view moves a namespace from one engine to another (fleet.c): the next
 * model goes on from the levels the last one announced, since included. */
static void test_a_model_given_the_levels_of_another_announces_no_change_again(void)
{
	struct model first, next;
	struct sample s;

	model_init(&first);
	model_init(&next);
	sample_init(&s);
	/* 97 %: the TCP pool and its one destination go CRITICAL */
	pool_sample(&s, 10, 970, KTCP_ESTABLISHED);
	CHECK_EQ(model_build(&first, &s, NULL), 0);
	CHECK_EQ(first.n_changes, 2);
	CHECK_EQ(first.changes[0].alert.state.level, LEVEL_CRITICAL);

	model_give_alerts(&next, model_take_alerts(&first));
	pool_sample(&s, 12, 970, KTCP_ESTABLISHED);
	CHECK_EQ(model_build(&next, &s, NULL), 0);
	CHECK_EQ(next.n_changes, 0);
	CHECK_EQ(next.n_alerts, 2);
	for (size_t i = 0; i < next.n_alerts; i++) {
		CHECK_EQ(next.alerts[i].state.level, LEVEL_CRITICAL);
		CHECK_EQ(next.alerts[i].seconds, 2);  /* since the first model's sample */
	}
	/* the one that gave them starts again from OK */
	CHECK_EQ(model_build(&first, &s, NULL), 0);
	CHECK_EQ(first.n_changes, 2);

	pool_sample(&s, 13, 0, KTCP_ESTABLISHED);
	CHECK_EQ(model_build(&next, &s, NULL), 0);
	CHECK_EQ(next.n_changes, 2);
	for (size_t i = 0; i < next.n_changes; i++) {
		CHECK_EQ(next.changes[i].previous, LEVEL_CRITICAL);
		CHECK_EQ(next.changes[i].alert.state.level, LEVEL_OK);
	}
	sample_free(&s);
	model_free(&first);
	model_free(&next);
}

int main(void)
{
	RUN(test_a_pool_oscillating_around_a_threshold_changes_level_once);
	RUN(test_a_level_is_left_5_points_below_it);
	RUN(test_a_level_is_raised_after_holding_for_the_minimum_duration);
	RUN(test_an_alert_agrees_with_the_check_at_the_threshold_itself);
	RUN(test_an_at_range_alerts_up_to_its_end_only);
	RUN(test_a_model_given_the_levels_of_another_announces_no_change_again);
	RUN(test_only_grows_means_never_down_twice_up_and_above_the_start);
	RUN(test_an_established_pool_that_only_grows_for_30_s_is_a_leak);
	RUN(test_a_close_wait_older_than_the_leak_age_is_a_leak);
	CHECK_DONE();
}
