/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_sample: times porttop's refresh (engine_open + engine_refresh, the path batch
 * and live mode take) on the system it runs on; bench/run starts it inside loadgen's
 * namespace.
 *
 *   bench_sample [-c COLD] [-s STEADY] [-i SECONDS] [-v]
 *     cold    the first refresh of a fresh engine: full owner scan (median of -c)
 *     steady  later refreshes of one engine, started -i seconds apart while the load
 *             churns (median of -s, after STEADY_WARMUP not timed)
 *     dump    the floor: a bare sock_diag dump (no owners, no model), one half-way
 *             before each steady refresh (median of -s), so that both start from
 *             the same idle pause (dumps back to back are printed too, dump_b2b_ms)
 *     ratio   the median of steady refresh / the dump just before it: this machine's
 *             speed drifts by 20 % from one minute to the next, and a pair taken
 *             half a second apart drifts together
 *   then, outside those figures, a cold and (up to 3, after one not counted) steady
 *   refreshes step by step (sockets, owners, process facts, model) to show where the
 *   time goes.
 *
 *   bench_sample -m REFRESHES
 *     porttop's memory: one engine, REFRESHES refreshes back to back; RSS after the
 *     10th, the middle one and the last, and the peak (VmHWM), in a process that does
 *     nothing else.
 *
 * Prints one line of key=value pairs (milliseconds, KiB); -v adds a readable breakdown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "model/model.h"
#include "output/output.h"
#include "sample/owners.h"
#include "sample/procinfo.h"
#include "sample/sockdiag.h"
#include "sample/sysctl.h"
#include "settings.h"

#define MAX_RUNS 1000
#define STEADY_WARMUP 3  /* refreshes after the first, before steady ones are timed */

struct options {
	int cold, steady, memory;
	double interval;
	int verbose;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), double_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* VmRSS or VmHWM of this process in KiB, 0 if unreadable. */
static long status_kib(const char *key)
{
	char line[256];
	long v = 0;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			v = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	return v;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Waits until `period` seconds after *next, then moves *next on: a steady rhythm. */
static void wait_period(double *next, double period)
{
	double left = *next - now();
	if (left > 0)
		sleep_seconds(left);
	*next += period;
	if (*next < now())
		*next = now() + period;
}

static int parse(struct options *o, int argc, char **argv)
{
	int c;

	o->cold = 3;
	o->steady = 5;
	o->interval = 1.0;
	o->memory = 0;
	o->verbose = 0;
	while ((c = getopt(argc, argv, "c:s:i:m:v")) != -1) {
		switch (c) {
		case 'c': o->cold = atoi(optarg); break;
		case 's': o->steady = atoi(optarg); break;
		case 'i': o->interval = atof(optarg); break;
		case 'm': o->memory = atoi(optarg); break;
		case 'v': o->verbose = 1; break;
		default:
			fprintf(stderr, "usage: bench_sample [-c COLD] [-s STEADY] [-i SECONDS] "
					"[-m REFRESHES] [-v]\n");
			return -1;
		}
	}
	if (o->cold < 1 || o->cold > MAX_RUNS || o->steady < 1 || o->steady > MAX_RUNS ||
	    o->memory < 0 || o->memory > 100000 || o->interval < 0 || o->interval > 60) {
		fprintf(stderr, "bench_sample: out of bounds\n");
		return -1;
	}
	return 0;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "bench_sample: %s: %s\n", what, strerror(-err));
	return 1;
}

static int fail_step(const struct engine *e, int err)
{
	char msg[512];

	output_failure(msg, sizeof(msg), e->failed_step, err);
	fprintf(stderr, "bench_sample: %s\n", msg);
	return 1;
}

/* The floor: bare sock_diag dumps of TCP and UDP, no owners, no model. */
struct bare_dump {
	struct sockdiag *sd;
	struct sample s;
};

static int bare_open(struct bare_dump *b)
{
	sample_init(&b->s);
	return sockdiag_open(&b->sd);
}

static void bare_close(struct bare_dump *b)
{
	sample_free(&b->s);
	sockdiag_close(b->sd);
}

static int bare_time(struct bare_dump *b, double *ms)
{
	double t0 = now();
	int err;

	sample_reset(&b->s);
	err = sockdiag_dump(b->sd, &b->s);
	*ms = (now() - t0) * 1e3;
	return err;
}

/* Dumps back to back: the kernel's tables stay in the cache. */
static int time_dump_b2b(int runs, double *ms, size_t *socks)
{
	struct bare_dump b;
	double t[MAX_RUNS];
	int err = bare_open(&b);

	for (int i = 0; i < runs && !err; i++)
		err = bare_time(&b, &t[i]);
	*socks = b.s.n_socks;
	bare_close(&b);
	*ms = median(t, runs);
	return err;
}

struct phases {
	double sockets, owners, procinfo, model;
	struct owners_stats st;
};

/*
 * One refresh step by step, as source_sample and engine_refresh do it: the sysctls
 * first (the model's pools and destinations are shares of the range), timed with
 * the sockets as source_sample's are.
 */
static int phase_refresh(struct sockdiag *sd, struct owners *ow, struct procinfo *pi,
			 struct model *m, struct history *h, struct sample *s, struct phases *p)
{
	double t0 = now(), t1, t2, t3;
	int err;

	sample_reset(s);
	err = sysctl_read("/proc", &s->sys);
	if (!err)
		err = sockdiag_dump(sd, s);
	t1 = now();
	if (!err)
		err = owners_scan(ow, "/proc", s);
	t2 = now();
	if (!err)
		err = procinfo_fill(pi, s);
	t3 = now();
	if (!err)
		err = model_build(m, s, h);
	if (!err)
		err = history_advance(h, s);
	p->sockets = (t1 - t0) * 1e3;
	p->owners = (t2 - t1) * 1e3;
	p->procinfo = (t3 - t2) * 1e3;
	p->model = (now() - t3) * 1e3;
	owners_get_stats(ow, &p->st);
	return err;
}

static int breakdown(const struct options *o, struct phases *cold, struct phases *steady)
{
	struct sockdiag *sd = NULL;
	struct owners *ow = NULL;
	struct procinfo *pi = NULL;
	struct history *h = history_new();
	struct model m;
	struct sample s;
	int err;

	model_init(&m);
	sample_init(&s);
	err = h ? 0 : -ENOMEM;
	if (!err)
		err = sockdiag_open(&sd);
	if (!err)
		err = owners_new(&ow);
	if (!err)
		err = procinfo_open(&pi);
	double next = now() + o->interval;
	double t[4][MAX_RUNS];
	if (!err)
		err = phase_refresh(sd, ow, pi, &m, h, &s, cold);
	if (!err) {
		/* not counted: it reads once more what the full scan found outside the sample */
		wait_period(&next, o->interval);
		err = phase_refresh(sd, ow, pi, &m, h, &s, steady);
	}
	int runs = o->steady < 3 ? o->steady : 3;
	for (int i = 0; i < runs && !err; i++) {
		wait_period(&next, o->interval);
		err = phase_refresh(sd, ow, pi, &m, h, &s, steady);
		t[0][i] = steady->sockets;
		t[1][i] = steady->owners;
		t[2][i] = steady->procinfo;
		t[3][i] = steady->model;
		if (o->verbose)
			fprintf(stderr, "  steps %d: sockets %.1f owners %.1f (%u readlinks) procinfo %.1f "
					"model %.1f\n", i + 1, t[0][i], t[1][i], steady->st.links_read,
				t[2][i], t[3][i]);
	}
	if (!err && o->verbose)
		fprintf(stderr, "  steps on range %d-%d (%u usable), %u TCP ports in use\n", m.range.low,
			m.range.high, m.range.usable, m.tcp.in_use);
	if (!err) {
		steady->sockets = median(t[0], runs);
		steady->owners = median(t[1], runs);
		steady->procinfo = median(t[2], runs);
		steady->model = median(t[3], runs);
	}
	procinfo_close(pi);
	owners_free(ow);
	sockdiag_close(sd);
	sample_free(&s);
	model_free(&m);
	history_free(h);
	return err;
}

/*
 * -m: porttop's memory, alone in this process: one engine, refreshes back to back
 * while the load churns; RSS after the 10th and the last refresh, and the peak.
 */
static int memory_run(const struct options *o, const struct settings *st)
{
	struct engine e;
	long rss10 = 0, rss_half = 0;
	int err = engine_open(&e, st);

	for (int i = 0; i < o->memory && !err; i++) {
		err = engine_refresh(&e);
		if (i == 9)
			rss10 = status_kib("VmRSS");
		if (i == o->memory / 2 - 1)
			rss_half = status_kib("VmRSS");
	}
	if (err)
		return fail_step(&e, err);
	printf("refreshes=%d sockets=%zu procs=%zu rss10_kib=%ld rss_half_kib=%ld rss_last_kib=%ld "
	       "peak_rss_kib=%ld\n", o->memory, e.sample.n_socks, e.sample.n_procs, rss10, rss_half,
	       status_kib("VmRSS"), status_kib("VmHWM"));
	engine_close(&e);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct settings st;
	struct engine e;
	struct phases pc = { 0 }, ps = { 0 };
	double cold[MAX_RUNS], steady[MAX_RUNS], dump[MAX_RUNS], ratio[MAX_RUNS], dump_b2b_ms;
	double steady_max = 0, next;
	struct bare_dump bare;
	size_t socks = 0, procs = 0;
	int err;

	if (parse(&o, argc, argv) < 0)
		return 2;
	settings_defaults(&st);
	st.batch = true;
	if (o.memory)
		return memory_run(&o, &st);

	err = time_dump_b2b(5, &dump_b2b_ms, &socks);
	if (err)
		return fail("sock_diag dump", err);

	for (int i = 0; i < o.cold; i++) {
		double t0;
		err = engine_open(&e, &st);
		if (err)
			return fail("engine_open", err);
		t0 = now();
		err = engine_refresh(&e);
		cold[i] = (now() - t0) * 1e3;
		if (err)
			return fail_step(&e, err);
		procs = e.sample.n_procs;
		engine_close(&e);
	}

	/* steady: refreshes start -i seconds apart, as the live view's delay does;
	 * a bare dump half-way between each two */
	err = bare_open(&bare);
	if (err)
		return fail("sock_diag", err);
	err = engine_open(&e, &st);
	next = now() + o.interval;
	if (!err)
		err = engine_refresh(&e);
	/* not counted: the first refreshes after a full scan list again the tables that
	 * changed during its half second; every 30th refresh is such a scan */
	for (int i = 0; i < STEADY_WARMUP && !err; i++) {
		wait_period(&next, o.interval);
		err = engine_refresh(&e);
	}
	for (int i = 0; i < o.steady && !err; i++) {
		double t0, half = next - o.interval / 2;
		if (half > now())
			sleep_seconds(half - now());
		err = bare_time(&bare, &dump[i]);
		if (err)
			return fail("sock_diag dump", err);
		wait_period(&next, o.interval);
		t0 = now();
		if (o.verbose) {
			/* engine_refresh's three steps, timed one by one */
			double t1, t2;
			err = source_sample(e.source, &e.sample, &e.failed_step);
			t1 = now();
			if (!err)
				err = model_build(&e.model, &e.sample, e.history);
			t2 = now();
			if (!err)
				err = history_advance(e.history, &e.sample);
			steady[i] = (now() - t0) * 1e3;
			fprintf(stderr, "  steady refresh %d: %.1f ms (sample %.1f, model %.1f, "
					"history %.1f; bare dump before it %.1f)\n", i + 1, steady[i],
				(t1 - t0) * 1e3, (t2 - t1) * 1e3, (now() - t2) * 1e3, dump[i]);
		} else {
			err = engine_refresh(&e);
			steady[i] = (now() - t0) * 1e3;
		}
		if (steady[i] > steady_max)
			steady_max = steady[i];
	}
	if (err)
		return fail_step(&e, err);
	engine_close(&e);
	bare_close(&bare);

	err = breakdown(&o, &pc, &ps);
	if (err)
		return fail("breakdown", err);

	for (int i = 0; i < o.steady; i++)
		ratio[i] = dump[i] > 0 ? steady[i] / dump[i] : 0;
	printf("sockets=%zu procs=%zu dump_ms=%.1f dump_b2b_ms=%.1f cold_ms=%.1f steady_ms=%.1f "
	       "steady_ratio=%.2f steady_max_ms=%.1f cold_owners_ms=%.1f steady_owners_ms=%.1f "
	       "steady_readlinks=%u\n",
	       socks, procs, median(dump, o.steady), dump_b2b_ms, median(cold, o.cold),
	       median(steady, o.steady), median(ratio, o.steady), steady_max,
	       pc.owners, ps.owners, ps.st.links_read);
	if (o.verbose) {
		fprintf(stderr, "  medians    sockets  owners  procinfo  model   (ms)\n");
		fprintf(stderr, "  cold     %9.1f %7.1f %9.1f %6.1f\n", pc.sockets, pc.owners,
			pc.procinfo, pc.model);
		fprintf(stderr, "  steady   %9.1f %7.1f %9.1f %6.1f\n", ps.sockets, ps.owners,
			ps.procinfo, ps.model);
		for (int i = 0; i < 2; i++) {
			const struct owners_stats *t = i ? &ps.st : &pc.st;
			fprintf(stderr, "  %s owners: full=%d fd_counts=%d listed=%u kept=%u targeted=%u "
					"listed_fds=%u read=%u searched=%u readlinks=%u orphans=%u\n",
				i ? "steady" : "cold  ", t->full, t->fd_counts, t->procs_listed,
				t->procs_kept, t->procs_targeted, t->procs_listed_fds, t->procs_read,
				t->procs_searched, t->links_read, t->orphans);
		}
	}
	return 0;
}
