/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_record: what a recording costs, record by record.
 *
 *   bench_record FILE
 *
 * Prints key=value: the key and delta samples (count, bytes), the sockets per
 * sample, and the average a long recording settles at (one key sample every
 * RECORDER_KEY_EVERY samples, deltas between) in bytes per sample, per socket and
 * sample, and per day at the interval the samples were taken.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "record/reader.h"
#include "record/replay.h"

/* writer.c's: a key sample every this many samples */
#define KEY_EVERY 120

struct sizes {
	unsigned long keys, deltas;
	unsigned long long key_bytes, delta_bytes;
};

static int read_file(const char *path, struct recbuf *out)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!fp)
		return -errno;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		recbuf_put(out, chunk, n);
	fclose(fp);
	return out->err;
}

static void count_records(const struct recbuf *file, struct sizes *sz)
{
	struct record_frame f;
	size_t pos = RECORD_FILE_HEADER_LEN, damaged;

	memset(sz, 0, sizeof(*sz));
	while (reader_next(file->data, file->len, &pos, &f, &damaged) == 1) {
		if (f.type == RECORD_KEY) {
			sz->keys++;
			sz->key_bytes += f.size;
		} else if (f.type == RECORD_DELTA) {
			sz->deltas++;
			sz->delta_bytes += f.size;
		}
		pos += f.size;
	}
}

int main(int argc, char **argv)
{
	struct recbuf file = { 0 };
	struct sizes sz;
	struct replay *r;
	struct sample s;
	struct history *h = history_new();
	unsigned long long socks = 0;
	double first = 0, last = 0, key, delta, avg, interval;
	size_t n;

	if (argc != 2 || !h || read_file(argv[1], &file) || replay_open(&r, argv[1])) {
		fprintf(stderr, "usage: bench_record FILE (a porttop recording)\n");
		return 2;
	}
	count_records(&file, &sz);
	sample_init(&s);
	n = replay_count(r);
	for (size_t i = 0; i < n; i++) {
		if (replay_read(r, i, &s, h) || history_advance(h, &s))
			return 1;
		socks += s.n_socks;
		if (i == 0)
			first = s.monotonic;
		last = s.monotonic;
	}
	if (!sz.keys || !sz.deltas || n < 2)
		return 1;
	key = (double)sz.key_bytes / (double)sz.keys;
	delta = (double)sz.delta_bytes / (double)sz.deltas;
	avg = (key + (KEY_EVERY - 1) * delta) / KEY_EVERY;
	interval = (last - first) / (double)(n - 1);
	printf("samples=%zu keys=%lu key_bytes=%.0f deltas=%lu delta_bytes=%.0f sockets=%.0f "
	       "interval_s=%.1f avg_bytes_per_sample=%.0f bytes_per_socket_sample=%.3f "
	       "bytes_per_day=%.0f\n",
	       n, sz.keys, key, sz.deltas, delta, (double)socks / (double)n, interval, avg,
	       avg / ((double)socks / (double)n), avg * 86400.0 / interval);
	replay_close(r);
	sample_free(&s);
	history_free(h);
	recbuf_free(&file);
	return 0;
}
