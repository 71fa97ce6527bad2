/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_limits: porttop's memory per socket at scale, through the sample seam.
 *
 *   bench_limits [-s SOCKETS] [-p PROCS] [-d DESTINATIONS]   (default 1000000 1000 1000)
 *
 * Builds the synthetic system of tests/unit/synthetic.h (no socket is opened), makes
 * two refreshes as the engine does (the second with a fifth of the sockets in
 * TIME_WAIT, charged by the history), renders each in text, JSON, Prometheus and
 * check, and prints the peak RSS above the RSS before, per socket: what porttop holds
 * for a socket in its sample, model, history and output buffers.  The limits test
 * (tests/unit/test_limits.c) asserts a bound on the same figure at 1 000 000.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "output/output.h"
#include "settings.h"
#include "../tests/unit/synthetic.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int render_all(const struct model *m, struct settings *st, FILE *out)
{
	for (int k = FORMAT_TEXT; k <= FORMAT_CHECK; k++) {
		struct report r;

		st->format = (enum output_format)k;
		if (report_prepare(&r, m, st, "host") < 0)
			return -1;
		if (k == FORMAT_TEXT)
			output_text(out, &r);
		else if (k == FORMAT_JSON)
			output_json(out, &r);
		else if (k == FORMAT_PROMETHEUS)
			output_prometheus(out, &r);
		else
			output_check(out, &r, st);
		report_release(&r);
	}
	return 0;
}

static int refresh(struct model *m, struct sample *s, struct history *h, const struct synthetic *shape,
		   int tick)
{
	if (synthetic_build(s, shape) < 0)
		return -1;
	s->monotonic = 100.0 + 2.0 * tick;
	s->wall.tv_sec = 1800000000 + 2 * tick;
	if (model_build(m, s, h) < 0 || history_advance(h, s) < 0)
		return -1;
	history_record(h, m);
	return 0;
}

static size_t parse_size(const char *text)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 10);

	if (*end || v == 0 || v > 10000000ULL) {
		fprintf(stderr, "bench_limits: '%s' is no count from 1 to 10000000\n", text);
		exit(2);
	}
	return (size_t)v;
}

int main(int argc, char **argv)
{
	struct synthetic shape = { .sockets = 1000000, .procs = 1000, .destinations = 1000 };
	struct settings st;
	struct sample s;
	struct model m;
	struct history *h = history_new();
	FILE *out = fopen("/dev/null", "w");
	long before = status_kib("VmRSS:"), peak;
	double t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "s:p:d:")) != -1) {
		if (opt == 's')
			shape.sockets = parse_size(optarg);
		else if (opt == 'p')
			shape.procs = parse_size(optarg);
		else if (opt == 'd')
			shape.destinations = parse_size(optarg);
		else {
			fprintf(stderr, "usage: bench_limits [-s SOCKETS] [-p PROCS] [-d DESTINATIONS]\n");
			return 2;
		}
	}
	if (!h || !out) {
		fprintf(stderr, "bench_limits: out of memory or no /dev/null\n");
		return 1;
	}
	settings_defaults(&st);
	st.batch = true;
	sample_init(&s);
	model_init(&m);
	t0 = now();
	if (refresh(&m, &s, h, &shape, 0) < 0 || render_all(&m, &st, out) < 0)
		return 1;
	t1 = now();
	shape.closed = true;
	if (refresh(&m, &s, h, &shape, 1) < 0 || render_all(&m, &st, out) < 0)
		return 1;
	peak = status_kib("VmHWM:");
	printf("limits: %zu sockets / %zu procs / %zu destinations: first refresh and outputs %.0f ms, "
	       "second %.0f ms; peak RSS %ld KiB above the start, %ld bytes a socket\n",
	       shape.sockets, shape.procs, shape.destinations, (t1 - t0) * 1e3, (now() - t1) * 1e3,
	       peak - before, (peak - before) * 1024 / (long)shape.sockets);
	fclose(out);
	model_free(&m);
	history_free(h);
	sample_free(&s);
	return 0;
}
