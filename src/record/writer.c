/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing a recording.  Each record goes out in one write(2) on an O_APPEND file;
 * when that write fails half way (a full disk), the file is cut back to where the
 * record began, so what was written before stays whole.  A crash mid-write leaves at
 * most one torn record at the end, which readers detect by its length and checksum.
 */
#include "record/writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "record/codec.h"
#include "record/format.h"

/* A key sample every this many samples: a seek decodes at most this many deltas, and
 * a damaged record costs at most this many samples (20 minutes at -d 10).  At 10 000
 * sockets a key sample is four deltas' worth: one in 120 adds 3 % to a recording. */
#define RECORDER_KEY_EVERY 120
/* With a cap, a file holds a quarter of it: rotation drops the oldest quarter. */
#define RECORDER_FILES_PER_CAP 4

struct recorder {
	char base[PATH_MAX];
	char path[PATH_MAX];
	uint64_t size_cap;
	unsigned long file_number;  /* numbered files: the current one's */
	int fd;
	uint64_t file_size;
	char host[256];
	uint64_t seq;               /* samples written, over every file */
	unsigned since_key;
	bool need_key;              /* a new file, or a failed write broke the chain */
	struct sample prev;         /* the last sample written, what a delta is against */
	struct sample next;         /* the one being written, in the order it is recorded */
	struct recbuf payload, frames;
};

int recorder_numbered(char *buf, size_t len, const char *base, unsigned long n)
{
	int w = snprintf(buf, len, "%s.%06lu", base, n);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

/* The highest number among base's numbered files, 0 if none. */
static unsigned long last_number(const char *base)
{
	char dir[PATH_MAX], name[PATH_MAX];
	unsigned long best = 0;
	struct dirent *d;
	DIR *dp;
	size_t nlen;

	snprintf(dir, sizeof(dir), "%s", base);
	snprintf(name, sizeof(name), "%s", base);
	dp = opendir(dirname(dir));
	if (!dp)
		return 0;
	const char *stem = basename(name);
	nlen = strlen(stem);
	while ((d = readdir(dp))) {
		char *end;
		if (strncmp(d->d_name, stem, nlen) != 0 || d->d_name[nlen] != '.')
			continue;
		unsigned long n = strtoul(d->d_name + nlen + 1, &end, 10);
		if (*end == '\0' && end - (d->d_name + nlen + 1) == 6 && n > best)
			best = n;
	}
	closedir(dp);
	return best;
}

/* Opens r->path to append; a file there that is not a recording is left alone. */
static int open_file(struct recorder *r)
{
	uint8_t head[RECORD_FILE_HEADER_LEN];
	struct stat st;
	int fd = open(r->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || (st.st_size > 0 &&
	    (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	     record_check_magic(head, sizeof(head)) != 0))) {
		close(fd);
		return -EEXIST;
	}
	r->fd = fd;
	r->file_size = (uint64_t)st.st_size;
	r->need_key = true;
	return 0;
}

/* Appends out in one write, or cuts the file back to where it was. */
static int append(struct recorder *r, const struct recbuf *out)
{
	ssize_t n = write(r->fd, out->data, out->len);
	int err = n < 0 ? -errno : -ENOSPC;

	if (n == (ssize_t)out->len) {
		r->file_size += out->len;
		return 0;
	}
	if (n > 0 && ftruncate(r->fd, (off_t)r->file_size) < 0)
		return -errno;  /* a torn record stays: readers stop at it */
	return err;
}

static int put_header(struct recorder *r, const struct sample *s)
{
	struct record_header h = { .version = RECORD_VERSION, .low = s->sys.low, .high = s->sys.high,
				   .start_sec = (int64_t)s->wall.tv_sec, .first_seq = r->seq };
	struct utsname u;

	snprintf(h.host, sizeof(h.host), "%s", r->host);
	if (uname(&u) == 0)
		snprintf(h.kernel, sizeof(h.kernel), "%s", u.release);
	r->payload.len = 0;
	record_header_encode(&r->payload, &h);
	if (r->file_size == 0)
		record_put_magic(&r->frames);
	return r->payload.err ? r->payload.err
		: record_frame_write(&r->frames, RECORD_HEADER, r->payload.data, r->payload.len, false);
}

/* Removes the oldest numbered files until the others, with room for a new one,
 * fit the cap; the numbers run without gaps, so the walk stops at the first missing. */
static void prune(struct recorder *r)
{
	uint64_t budget = r->size_cap - r->size_cap / RECORDER_FILES_PER_CAP, total = 0;
	unsigned long n = r->file_number;
	char name[PATH_MAX];
	struct stat st;

	/* newest first: once the total is over the budget, the rest go */
	for (; n > 0; n--) {
		if (recorder_numbered(name, sizeof(name), r->base, n) < 0 || stat(name, &st) < 0)
			break;
		total += (uint64_t)st.st_size;
		if (total > budget && n != r->file_number)
			unlink(name);
	}
}

static int next_file(struct recorder *r)
{
	int err;

	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->file_number++;
	err = recorder_numbered(r->path, sizeof(r->path), r->base, r->file_number);
	if (!err)
		err = open_file(r);
	if (!err)
		prune(r);
	return err;
}

int recorder_open(struct recorder **out, const char *path, uint64_t size_cap, const char *host)
{
	struct recorder *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->size_cap = size_cap;
	sample_init(&r->prev);
	sample_init(&r->next);
	snprintf(r->host, sizeof(r->host), "%s", host);
	/* room for ".NNNNNN" after the base name (next_file) */
	if (strlen(path) >= sizeof(r->base) - 8) {
		free(r);
		return -ENAMETOOLONG;
	}
	snprintf(r->base, sizeof(r->base), "%s", path);
	if (size_cap) {
		r->file_number = last_number(path);
		err = next_file(r);
	} else {
		snprintf(r->path, sizeof(r->path), "%s", path);
		err = open_file(r);
	}
	if (err) {
		recorder_close(r);
		return err;
	}
	*out = r;
	return 0;
}

void recorder_close(struct recorder *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	sample_free(&r->prev);
	sample_free(&r->next);
	recbuf_free(&r->payload);
	recbuf_free(&r->frames);
	free(r);
}

const char *recorder_path(const struct recorder *r)
{
	return r->path;
}

/* Encodes r->next (s in its recorded order) against r->prev. */
static int encode(struct recorder *r, const struct sample *s, const struct history *h, bool key)
{
	struct sample empty;
	const struct sample *base = &r->prev;
	int err;

	r->payload.len = 0;
	recbuf_varint(&r->payload, r->seq);
	sample_init(&empty);
	if (key)
		base = &empty;
	err = codec_reorder(&r->next, s, base);
	if (!err)
		err = codec_encode_sample(&r->payload, &r->next, base);
	if (!err && key) {
		codec_encode_history(&r->payload, h);
		recbuf_string(&r->payload, r->host);
		codec_encode_history_counters(&r->payload, h);
	}
	if (!err)
		err = r->payload.err;
	/* a delta's streams are compressed each on its own (codec.c); a key sample's
	 * history is not in a stream, so the whole record is compressed again */
	if (!err)
		err = record_frame_write(&r->frames, key ? RECORD_KEY : RECORD_DELTA, r->payload.data,
					 r->payload.len, key);
	return err;
}

int recorder_write(struct recorder *r, const struct sample *s, const struct history *h)
{
	bool key;
	int err = 0;

	if (r->size_cap && r->file_size >= r->size_cap / RECORDER_FILES_PER_CAP)
		err = next_file(r);
	if (err)
		return err;
	r->frames.len = 0;
	r->frames.err = 0;
	key = r->need_key || r->since_key >= RECORDER_KEY_EVERY;
	if (r->need_key)
		err = put_header(r, s);
	if (!err)
		err = encode(r, s, h, key);
	if (!err)
		err = append(r, &r->frames);
	if (err) {
		r->need_key = true;  /* the next sample starts a chain of its own */
		return err;
	}
	struct sample swap = r->prev;
	r->prev = r->next;
	r->next = swap;
	r->need_key = false;
	r->since_key = key ? 1 : r->since_key + 1;
	r->seq++;
	return 0;
}
