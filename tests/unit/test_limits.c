/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * porttop at its limits, through the sample seam (issue 17, item 5): a million
 * sockets, and 65 000 processes, through the model, the history and every output.
 *
 * A million sockets: two refreshes as the engine makes them (the first with every
 * socket open and owned, the second with a fifth of them in TIME_WAIT, charged to
 * their owners by the history), each rendered in text, JSON, Prometheus and check.
 * Memory is the peak RSS (VmHWM) over that, less the RSS before: the sample, the
 * model, the history and the outputs' buffers, as porttop holds them.  Bound:
 * LIMITS_BYTES_PER_SOCKET, 1.5 times what was measured (bench/bench_limits prints
 * it; README, "Performance").  Not under AddressSanitizer, whose shadow memory and
 * quarantine are no measure of porttop's, and where a million sockets take minutes
 * on 2 cores: there 100 000 go through the same code, their figures checked.
 *
 * 65 000 processes: creating them for real needs 65 000 tasks (pid_max and
 * threads-max allow it on a big host, not in CI on 2 cores and a shared pid space),
 * so they come through the seam too, each with two sockets: every process gets its
 * row with its own figures in the model and in the JSON.  The owner scan of real
 * /proc trees is tested in test_owners.c and under churn in tests/ns/ns-churn-soak.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model/model.h"
#include "output/output.h"
#include "settings.h"
#include "synthetic.h"

/* Measured 2026-12-02 (bench/bench_limits): 205 bytes a socket at 1 000 000, 230 at
 * 100 000; the bound leaves half as much again for another allocator or libc. */
#define LIMITS_BYTES_PER_SOCKET 300

#if defined(__SANITIZE_ADDRESS__)
#define LIMITS_MEASURE_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIMITS_MEASURE_MEMORY 0
#endif
#endif
#ifndef LIMITS_MEASURE_MEMORY
#define LIMITS_MEASURE_MEMORY 1
#endif

/* Renders m in every batch format; the bytes each printed, summed. */
static size_t render_all(const struct model *m, struct settings *st)
{
	static const enum output_format formats[] = { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS,
						      FORMAT_CHECK };
	size_t total = 0;

	for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
		struct report r;
		FILE *out = fopen("/dev/null", "w");

		CHECK(out != NULL);
		if (!out)
			return total;
		st->format = formats[k];
		CHECK_EQ(report_prepare(&r, m, st, "host"), 0);
		switch (formats[k]) {
		case FORMAT_TEXT: output_text(out, &r); break;
		case FORMAT_JSON: output_json(out, &r); break;
		case FORMAT_PROMETHEUS: output_prometheus(out, &r); break;
		default: output_check(out, &r, st); break;
		}
		total += (size_t)ftell(out);
		report_release(&r);
		fclose(out);
	}
	return total;
}

/* One refresh as the engine makes it (engine.c): model, then history. */
static void refresh(struct model *m, struct sample *s, struct history *h, const struct synthetic *shape,
		    int tick)
{
	CHECK_EQ(synthetic_build(s, shape), 0);
	s->monotonic = 100.0 + 2.0 * tick;
	s->wall.tv_sec = 1800000000 + 2 * tick;
	CHECK_EQ(model_build(m, s, h), 0);
	CHECK_EQ(history_advance(h, s), 0);
	history_record(h, m);
}

static void check_million_figures(const struct model *m, const struct synthetic *shape)
{
	size_t want_tw = 0, want_cw = 0, want_tcp0 = 0, want_tw0 = 0;

	for (size_t i = 0; i < shape->sockets; i++) {
		bool tw = synthetic_is_time_wait(shape, i);
		want_tw += tw;
		want_cw += !tw && i % 10 == 9;
		if (i % shape->procs == 0) {
			want_tcp0 += !tw;
			want_tw0 += tw;
		}
	}
	CHECK_EQ(m->total_tcp, shape->sockets);
	CHECK_EQ(m->states[STATE_TIME_WAIT], want_tw);
	CHECK_EQ(m->states[STATE_CLOSE_WAIT], want_cw);
	CHECK_EQ(m->states[STATE_ESTABLISHED], shape->sockets - want_tw - want_cw);
	CHECK_EQ(m->n_destinations, shape->destinations);
	CHECK_EQ(m->destinations[0].in_use, shape->sockets / shape->destinations);
	CHECK_EQ(m->n_rows, shape->procs);
	CHECK_EQ(m->rows[0].pid, 1000);
	CHECK_EQ(m->rows[0].tcp, want_tcp0);
	/* every TIME_WAIT was seen open in the first refresh: all charged to its owner */
	CHECK_EQ(m->rows[0].time_wait, want_tw0);
	CHECK_EQ(m->time_wait_unattributed, 0);
}

static void test_a_million_sockets_go_through_the_model_and_every_output(void)
{
	struct synthetic shape = { .sockets = LIMITS_MEASURE_MEMORY ? 1000000 : 100000, .procs = 1000,
				   .destinations = 1000 };
	struct settings st;
	struct sample s;
	struct model m;
	struct history *h = history_new();
	long before = status_kib("VmRSS:"), peak;
	size_t printed;

	CHECK(h != NULL);
	if (!h)
		return;
	settings_defaults(&st);
	st.batch = true;
	sample_init(&s);
	model_init(&m);
	refresh(&m, &s, h, &shape, 0);
	printed = render_all(&m, &st);
	shape.closed = true;
	refresh(&m, &s, h, &shape, 1);
	printed += render_all(&m, &st);
	check_million_figures(&m, &shape);
	CHECK(printed > 0);
	peak = status_kib("VmHWM:");
	if (LIMITS_MEASURE_MEMORY && before > 0 && peak > 0) {
		long per_socket = (peak - before) * 1024 / (long)shape.sockets;
		printf("a million sockets: peak RSS %ld KiB above the start, %ld bytes a socket (bound %d)\n",
		       peak - before, per_socket, LIMITS_BYTES_PER_SOCKET);
		CHECK(per_socket <= LIMITS_BYTES_PER_SOCKET);
	} else {
		printf("%zu sockets: memory not measured (sanitizer build or no /proc)\n", shape.sockets);
	}
	model_free(&m);
	history_free(h);
	sample_free(&s);
}

/* How often needle occurs in haystack[0..len): one pass (AddressSanitizer's strstr
 * measures the whole rest of the haystack at every call). */
static size_t occurrences(const char *haystack, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		if (haystack[i] == needle[0] && memcmp(haystack + i, needle, k) == 0)
			n++;
	return n;
}

static void test_65000_processes_each_get_their_row(void)
{
	struct synthetic shape = { .sockets = 130000, .procs = 65000, .destinations = 10 };
	struct settings st;
	struct sample s;
	struct model m;
	struct report r;
	struct history *h = history_new();
	char *json = NULL;
	size_t len = 0;
	FILE *out;

	CHECK(h != NULL);
	if (!h)
		return;
	settings_defaults(&st);
	sample_init(&s);
	model_init(&m);
	refresh(&m, &s, h, &shape, 0);
	shape.closed = true;
	refresh(&m, &s, h, &shape, 1);
	CHECK_EQ(m.n_rows, 65000);
	for (size_t j = 0; j < m.n_rows; j++) {
		/* process j holds sockets j and j + 65000: TIME_WAIT when i % 5 == 4 */
		unsigned tw = (j % 5 == 4) + ((j + 65000) % 5 == 4);
		if (m.rows[j].pid != (pid_t)(1000 + j) || m.rows[j].tcp != 2 - tw ||
		    m.rows[j].time_wait != tw) {
			CHECK_EQ(m.rows[j].pid, 1000 + j);
			CHECK_EQ(m.rows[j].tcp, 2 - tw);
			CHECK_EQ(m.rows[j].time_wait, tw);
			break;
		}
	}
	out = open_memstream(&json, &len);
	CHECK(out != NULL);
	if (out) {
		st.format = FORMAT_JSON;
		CHECK_EQ(report_prepare(&r, &m, &st, "host"), 0);
		CHECK_EQ(r.n_rows, 65000);
		output_json(out, &r);
		report_release(&r);
		fclose(out);
		CHECK_EQ(occurrences(json, len, "\"command\":\"worker"), 65000);
		CHECK_EQ(occurrences(json, len, "{\"pid\":65999,"), 1);
		free(json);
	}
	render_all(&m, &st);
	model_free(&m);
	history_free(h);
	sample_free(&s);
}

int main(void)
{
	RUN(test_a_million_sockets_go_through_the_model_and_every_output);
	RUN(test_65000_processes_each_get_their_row);
	CHECK_DONE();
}
