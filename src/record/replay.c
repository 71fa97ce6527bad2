/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The replay source: file I/O and the index of samples.  Parsing and decoding are
 * the reader's (reader.c); this finds the files, reads them, and keeps one entry
 * per intact sample record so a jump in time reads only what it needs.
 */
#include "record/replay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/codec.h"
#include "record/reader.h"
#include "record/writer.h"
#include "util/vec.h"

struct replay_entry {
	uint32_t file;
	uint8_t type;
	uint32_t size;
	uint64_t offset;
	uint64_t seq;
	struct timespec wall;
};

struct replay_file {
	char path[PATH_MAX];
	int fd;
	uint64_t indexed;   /* bytes indexed so far: follow goes on from here */
	bool magic_seen;
};

struct replay {
	char base[PATH_MAX];      /* numbered files: their base name; a directory: its path */
	enum { ONE_FILE, NUMBERED, DIRECTORY } kind;
	unsigned long last_number;
	struct replay_file *files;
	size_t n_files, cap_files;
	struct replay_entry *entries;
	size_t n_entries, cap_entries;
	struct record_header header;
	struct replay_damage damage;
	struct sample cur, tmp;   /* the last sample decoded, and the next one's buffer */
	size_t cur_index;         /* SIZE_MAX: none */
	char host[256];           /* as the last key sample read names it */
	struct recbuf buf, raw;
};

static int add_file(struct replay *r, const char *path)
{
	struct replay_file *f;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (vec_reserve((void **)&r->files, &r->cap_files, r->n_files + 1, sizeof(*r->files))) {
		close(fd);
		return -ENOMEM;
	}
	f = &r->files[r->n_files++];
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->fd = fd;
	return 0;
}

/* Reads the part of f not indexed yet into r->buf. */
static int read_rest(struct replay *r, struct replay_file *f)
{
	struct stat st;
	size_t want;

	if (fstat(f->fd, &st) < 0)
		return -errno;
	r->buf.len = 0;
	if ((uint64_t)st.st_size <= f->indexed)
		return 0;
	want = (size_t)((uint64_t)st.st_size - f->indexed);
	if (recbuf_reserve(&r->buf, want))
		return -ENOMEM;
	while (r->buf.len < want) {
		ssize_t n = pread(f->fd, r->buf.data + r->buf.len, want - r->buf.len,
				  (off_t)(f->indexed + r->buf.len));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		r->buf.len += (size_t)n;
	}
	return 0;
}

static void note_damage(struct replay *r, const struct replay_file *f, uint64_t offset, size_t bytes)
{
	if (!r->damage.regions++) {
		const char *slash = strrchr(f->path, '/');
		snprintf(r->damage.first_file, sizeof(r->damage.first_file), "%.255s",
			 slash ? slash + 1 : f->path);
		r->damage.first_offset = offset;
	}
	r->damage.bytes += bytes;
}

static int add_entry(struct replay *r, uint32_t file, const struct record_frame *fr, uint64_t offset)
{
	struct replay_entry e = { .file = file, .type = fr->type, .size = (uint32_t)fr->size,
				  .offset = offset };

	if (record_frame_payload(fr, &r->raw) || reader_sample_info(&r->raw, &e.seq, &e.wall)) {
		r->damage.undecodable++;
		return 0;
	}
	if (vec_reserve((void **)&r->entries, &r->cap_entries, r->n_entries + 1, sizeof(*r->entries)))
		return -ENOMEM;
	r->entries[r->n_entries++] = e;
	return 0;
}

static void take_header(struct replay *r, const struct record_frame *fr)
{
	struct record_header h;

	if (record_frame_payload(fr, &r->raw) == 0 &&
	    record_header_decode(r->raw.data, r->raw.len, &h) == 0 && !r->header.host[0])
		r->header = h;
}

/* Indexes the records of f from where the last pass stopped. */
static int index_file(struct replay *r, uint32_t file)
{
	struct replay_file *f = &r->files[file];
	struct record_frame fr;
	size_t pos = 0, damaged;
	int err = read_rest(r, f), got;

	if (err)
		return err;
	if (!f->magic_seen) {
		err = record_check_magic(r->buf.data, r->buf.len);
		if (err == -EAGAIN && r->buf.len == 0)
			return 0;
		if (err)
			return err;
		f->magic_seen = true;
		pos = RECORD_FILE_HEADER_LEN;
	}
	while ((got = reader_next(r->buf.data, r->buf.len, &pos, &fr, &damaged)) == 1) {
		if (damaged)
			note_damage(r, f, f->indexed + pos - damaged, damaged);
		if (fr.type == RECORD_HEADER)
			take_header(r, &fr);
		else if (fr.type == RECORD_KEY || fr.type == RECORD_DELTA)
			err = add_entry(r, file, &fr, f->indexed + pos);
		if (err)
			return err;
		pos += fr.size;  /* records of types this reader does not know are skipped */
	}
	if (got != 1 && damaged)
		note_damage(r, f, f->indexed + pos - damaged, damaged);
	r->damage.torn = got == -EAGAIN;
	r->damage.torn_offset = f->indexed + pos;
	f->indexed += pos;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's recordings, in name order (numbered files sort by number). */
static int add_directory(struct replay *r, const char *dir)
{
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dp = opendir(dir);
	int err = 0;

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && !err) {
		if (d->d_name[0] == '.')
			continue;
		err = vec_reserve((void **)&names, &cap, n + 1, sizeof(*names));
		if (!err && !(names[n++] = strdup(d->d_name)))
			err = -ENOMEM;
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && !err; i++) {
		uint8_t head[RECORD_FILE_HEADER_LEN];
		struct stat st;
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
		    record_check_magic(head, sizeof(head)) == 0)
			err = add_file(r, path);
		close(fd);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

/* Numbered files base.N from number `from` on, as long as they run on. */
static int add_numbered(struct replay *r, unsigned long from)
{
	char path[PATH_MAX];
	int err = 0;

	for (unsigned long n = from; !err; n++) {
		if (recorder_numbered(path, sizeof(path), r->base, n) < 0 || access(path, R_OK) < 0)
			break;
		err = add_file(r, path);
		r->last_number = n;
	}
	return err;
}

/* The oldest numbered file still there: rotation removes from the front. */
static unsigned long first_numbered(const char *base)
{
	char path[PATH_MAX];
	const char *slash = strrchr(base, '/');
	char dir[PATH_MAX];
	struct dirent *d;
	unsigned long best = 0;
	size_t stem_len;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - base) : 1, slash ? base : ".");
	if (slash == base)
		snprintf(dir, sizeof(dir), "/");
	dp = opendir(dir);
	if (!dp)
		return 0;
	snprintf(path, sizeof(path), "%s", slash ? slash + 1 : base);
	stem_len = strlen(path);
	while ((d = readdir(dp))) {
		char *end;
		unsigned long n;
		if (strncmp(d->d_name, path, stem_len) != 0 || d->d_name[stem_len] != '.')
			continue;
		n = strtoul(d->d_name + stem_len + 1, &end, 10);
		if (*end == '\0' && end - (d->d_name + stem_len + 1) == 6 && n && (!best || n < best))
			best = n;
	}
	closedir(dp);
	return best;
}

static int find_files(struct replay *r, const char *path)
{
	struct stat st;
	unsigned long first;

	snprintf(r->base, sizeof(r->base), "%s", path);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		r->kind = DIRECTORY;
		return add_directory(r, path);
	}
	if (stat(path, &st) == 0) {
		r->kind = ONE_FILE;
		return add_file(r, path);
	}
	first = first_numbered(path);
	if (!first)
		return -ENOENT;
	r->kind = NUMBERED;
	return add_numbered(r, first);
}

int replay_open(struct replay **out, const char *path)
{
	struct replay *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	sample_init(&r->cur);
	sample_init(&r->tmp);
	r->cur_index = SIZE_MAX;
	err = find_files(r, path);
	if (!err && r->n_files == 0)
		err = -ENOENT;
	for (size_t i = 0; i < r->n_files && !err; i++) {
		if (i && r->damage.torn)  /* a torn end before another file: damage, not the end */
			note_damage(r, &r->files[i - 1], r->damage.torn_offset, 1);
		err = index_file(r, (uint32_t)i);
	}
	if (err) {
		replay_close(r);
		return err;
	}
	*out = r;
	return 0;
}

void replay_close(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_files; i++)
		close(r->files[i].fd);
	free(r->files);
	free(r->entries);
	sample_free(&r->cur);
	sample_free(&r->tmp);
	recbuf_free(&r->buf);
	recbuf_free(&r->raw);
	free(r);
}

int replay_follow(struct replay *r)
{
	size_t had = r->n_files;
	int err = index_file(r, (uint32_t)(r->n_files - 1));

	if (!err && r->kind == NUMBERED)
		err = add_numbered(r, r->last_number + 1);
	for (size_t i = had; i < r->n_files && !err; i++) {
		if (r->damage.torn)
			note_damage(r, &r->files[i - 1], r->damage.torn_offset, 1);
		err = index_file(r, (uint32_t)i);
	}
	return err;
}

const struct record_header *replay_header(const struct replay *r)
{
	return &r->header;
}

const char *replay_host(const struct replay *r)
{
	return r->host[0] ? r->host : r->header.host;
}

const struct replay_damage *replay_damage(const struct replay *r)
{
	return &r->damage;
}

size_t replay_count(const struct replay *r)
{
	return r->n_entries;
}

struct timespec replay_time(const struct replay *r, size_t i)
{
	return r->entries[i].wall;
}

size_t replay_find(const struct replay *r, time_t t)
{
	size_t lo = 0, hi = r->n_entries;

	while (lo < hi) {  /* samples are in time order: one recorder writes them in turn */
		size_t mid = lo + (hi - lo) / 2;
		if (r->entries[mid].wall.tv_sec < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Decodes entry i from r->cur into r->cur. */
static int decode_entry(struct replay *r, size_t i, struct history *h)
{
	const struct replay_entry *e = &r->entries[i];
	struct record_frame fr;
	struct sample swap;
	ssize_t n;
	int err;

	if (recbuf_reserve(&r->buf, e->size))
		return -ENOMEM;
	n = pread(r->files[e->file].fd, r->buf.data, e->size, (off_t)e->offset);
	if (n != (ssize_t)e->size)
		return n < 0 ? -errno : -EBADMSG;
	err = record_frame_parse(r->buf.data, e->size, &fr);
	if (!err)
		err = record_frame_payload(&fr, &r->raw);
	if (!err)
		err = reader_decode(&r->raw, e->type, &r->cur, &r->tmp, h, r->host, sizeof(r->host));
	r->cur_index = SIZE_MAX;
	if (err)
		return err == -EAGAIN ? -EBADMSG : err;
	swap = r->cur;
	r->cur = r->tmp;
	r->tmp = swap;
	r->cur_index = i;
	return 0;
}

/* Does entry i follow entry i-1 directly (no sample lost between)? */
static bool chained(const struct replay *r, size_t i)
{
	return i > 0 && r->entries[i].seq == r->entries[i - 1].seq + 1;
}

/* Rebuilds sample i and the history before it from the key sample before i. */
static int rebuild(struct replay *r, size_t i, struct history *h)
{
	size_t k = i;
	int err;

	while (r->entries[k].type != RECORD_KEY) {
		if (!chained(r, k))
			return -EBADMSG;
		k--;
	}
	err = decode_entry(r, k, h);
	for (size_t m = k + 1; m <= i && !err; m++) {
		err = history_advance(h, &r->cur);
		if (!err)
			err = decode_entry(r, m, h);
	}
	return err;
}

int replay_read(struct replay *r, size_t i, struct sample *out, struct history *h)
{
	int err;

	if (i >= r->n_entries)
		return -ENODATA;
	if (r->entries[i].type == RECORD_KEY ||
	    (r->cur_index != SIZE_MAX && i == r->cur_index + 1 && chained(r, i)))
		err = decode_entry(r, i, h);
	else
		err = rebuild(r, i, h);
	if (err == -EBADMSG)
		r->damage.undecodable++;
	return err ? err : codec_copy_sample(out, &r->cur);
}
