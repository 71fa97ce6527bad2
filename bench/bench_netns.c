/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_netns: what reading every network namespace costs (--all-netns, the live
 * view's namespace list) next to the floor, a bare sock_diag dump of each of the
 * same namespaces (no owners, no model), on the system it runs on; bench/netns.sh
 * builds the namespaces.
 *
 *   bench_netns [-r ROUNDS]
 *     list   fleet_refresh: list the namespaces (a stat() per pid), then for each one
 *            its sysctls, dump, owners among its own processes, process facts, model
 *     dumps  one sock_diag dump in each namespace the list read, back to back
 *   medians of ROUNDS (default 9) pairs, after 3 list refreshes not timed (the
 *   first reads every fd of every process); ratio is the median of list / dumps.
 *
 * Prints one line of key=value pairs (milliseconds).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"
#include "sample/netns.h"
#include "sample/sockdiag.h"

#define BENCH_MAX_ROUNDS 99

struct bare {
	struct sockdiag **diag;  /* one per namespace, opened inside it */
	size_t n;
	struct sample sample;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* A netlink socket inside each namespace the fleet read, as source.c opens one. */
static int bare_open(struct bare *b, const struct fleet *f)
{
	b->diag = calloc(f->n ? f->n : 1, sizeof(*b->diag));
	b->n = 0;
	sample_init(&b->sample);
	if (!b->diag)
		return -ENOMEM;
	for (size_t i = 0; i < f->n; i++) {
		struct netns ns;
		int err;

		if (!f->v[i]->open)
			continue;
		err = netns_open(&ns, "/proc", f->v[i]->own ? NULL : f->v[i]->path);
		if (err)
			continue;  /* gone since */
		err = netns_enter(&ns);
		if (!err && sockdiag_open(&b->diag[b->n]) == 0)
			b->n++;
		if (!err && netns_leave(&ns) != 0) {
			netns_close(&ns);
			return -EIO;
		}
		netns_close(&ns);
	}
	return 0;
}

static double bare_dumps(struct bare *b, size_t *sockets)
{
	double t0 = now_ms();

	*sockets = 0;
	for (size_t i = 0; i < b->n; i++) {
		sample_reset(&b->sample);
		if (sockdiag_dump(b->diag[i], &b->sample) == 0)
			*sockets += b->sample.n_socks;
	}
	return now_ms() - t0;
}

static void bare_close(struct bare *b)
{
	for (size_t i = 0; i < b->n; i++)
		sockdiag_close(b->diag[i]);
	free(b->diag);
	sample_free(&b->sample);
}

int main(int argc, char **argv)
{
	double list[BENCH_MAX_ROUNDS], dumps[BENCH_MAX_ROUNDS], ratio[BENCH_MAX_ROUNDS], t0;
	struct settings st;
	struct fleet f;
	struct bare b;
	size_t sockets = 0, readable = 0;
	int rounds = 9, opt, err;

	while ((opt = getopt(argc, argv, "r:")) != -1)
		if (opt == 'r')
			rounds = atoi(optarg);
	if (rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "bench_netns: -r takes 1 to %d\n", BENCH_MAX_ROUNDS);
		return 2;
	}
	settings_defaults(&st);
	fleet_open(&f, &st);
	t0 = now_ms();
	err = fleet_refresh(&f);
	printf("cold_ms=%.1f ", now_ms() - t0);
	for (int i = 0; !err && i < 2; i++)
		err = fleet_refresh(&f);
	if (!err)
		err = bare_open(&b, &f);
	if (err) {
		fprintf(stderr, "bench_netns: %s\n", strerror(-err));
		return 1;
	}
	for (int i = 0; i < rounds && !err; i++) {
		dumps[i] = bare_dumps(&b, &sockets);
		t0 = now_ms();
		err = fleet_refresh(&f);
		list[i] = now_ms() - t0;
		ratio[i] = dumps[i] > 0 ? list[i] / dumps[i] : 0;
	}
	for (size_t i = 0; i < f.n; i++)
		readable += f.v[i]->open;
	printf("namespaces=%zu readable=%zu sockets=%zu dumps_ms=%.1f list_ms=%.1f ratio=%.2f\n",
	       f.n, readable, sockets, median(dumps, rounds), median(list, rounds), median(ratio, rounds));
	bare_close(&b);
	fleet_close(&f);
	return err ? 1 : 0;
}
