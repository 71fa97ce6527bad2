/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A sample's payload: its scalars and sysctls, the streams, the history; see codec.h. */
#include "record/codec.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "record/format.h"

void codec_streams_reset(struct codec_streams *st)
{
	for (int i = 0; i < CS_COUNT; i++) {
		st->s[i].len = 0;
		st->s[i].err = 0;
	}
}

void codec_streams_free(struct codec_streams *st)
{
	for (int i = 0; i < CS_COUNT; i++)
		recbuf_free(&st->s[i]);
}

/*
 * Each stream is compressed on its own: a column of like values compresses better
 * alone than interleaved with the others (a tenth smaller than the whole payload at
 * 10 000 sockets).  Level 9: a sample every few seconds can afford it.
 */
#define CODEC_ZSTD_LEVEL 9
#define CODEC_ZSTD_MIN 32  /* shorter streams are kept as they are */

int codec_streams_join(struct codec_streams *st, struct recbuf *out)
{
	struct recbuf packed[CS_COUNT];
	int err = 0;

	memset(packed, 0, sizeof(packed));
	for (int i = 0; i < CS_COUNT && !err; i++) {
		struct recbuf *in = &st->s[i];
		size_t bound = ZSTD_compressBound(in->len), z;

		err = in->err;
		if (err || in->len < CODEC_ZSTD_MIN || recbuf_reserve(&packed[i], bound))
			continue;
		z = ZSTD_compress(packed[i].data, bound, in->data, in->len, CODEC_ZSTD_LEVEL);
		if (!ZSTD_isError(z) && z < in->len)
			packed[i].len = z;
	}
	recbuf_varint(out, CS_COUNT);
	for (int i = 0; i < CS_COUNT && !err; i++)  /* length, low bit: compressed */
		recbuf_varint(out, packed[i].len ? packed[i].len << 1 | 1 : st->s[i].len << 1);
	for (int i = 0; i < CS_COUNT && !err; i++)
		recbuf_put(out, packed[i].len ? packed[i].data : st->s[i].data,
			   packed[i].len ? packed[i].len : st->s[i].len);
	for (int i = 0; i < CS_COUNT; i++)
		recbuf_free(&packed[i]);
	return err ? err : out->err;
}

static int unpack(struct reccur *c, struct recbuf *raw)
{
	unsigned long long size = ZSTD_getFrameContentSize(c->data, c->len);
	size_t got;

	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > RECORD_MAX_RAW)
		return -EBADMSG;
	raw->len = 0;
	if (recbuf_reserve(raw, size ? size : 1))
		return -ENOMEM;
	got = ZSTD_decompress(raw->data, size, c->data, c->len);
	if (ZSTD_isError(got) || got != size)
		return -EBADMSG;
	reccur_init(c, raw->data, got);
	return 0;
}

/* A later version may add streams at the end: they are skipped; an earlier one's
 * missing streams read as empty. */
int codec_streams_split(struct reccur *in, struct codec_cursors *out)
{
	size_t n = (size_t)reccur_bounded(in, 255), len[256];
	int err = 0;

	memset(out->raw, 0, sizeof(out->raw));
	for (size_t i = n; i < CS_COUNT; i++)  /* a stream an older writer did not know: empty */
		reccur_init(&out->c[i], NULL, 0);
	for (size_t i = 0; i < n; i++)
		len[i] = (size_t)reccur_bounded(in, (uint64_t)in->len * 2 + 1);
	for (size_t i = 0; i < n; i++) {
		struct reccur skip;
		reccur_sub(in, len[i] >> 1, i < CS_COUNT ? &out->c[i] : &skip);
		if (!in->bad && i < CS_COUNT && (len[i] & 1) && !err)
			err = unpack(&out->c[i], &out->raw[i]);
	}
	if (!err && in->bad)
		err = -EBADMSG;
	if (err)
		codec_cursors_free(out);
	return err;
}

void codec_cursors_free(struct codec_cursors *c)
{
	for (int i = 0; i < CS_COUNT; i++)
		recbuf_free(&c->raw[i]);
}

bool codec_cursors_bad(const struct codec_cursors *c)
{
	for (int i = 0; i < CS_COUNT; i++)
		if (c->c[i].bad)
			return true;
	return false;
}

uint32_t codec_elapsed_ms(const struct sample *s, const struct sample *prev)
{
	double ms = (s->monotonic - prev->monotonic) * 1000.0;

	if (!isfinite(ms) || ms <= 0)
		return 0;
	return ms >= 4e9 ? UINT32_MAX : (uint32_t)llround(ms);
}

/* The reserved ports as runs: a handful of bytes instead of the 8 KiB bitmap. */
static void encode_sysctls(struct recbuf *b, const struct port_sysctls *sys)
{
	unsigned runs = 0, last_end = 0;

	recbuf_svarint(b, sys->low);
	recbuf_svarint(b, sys->high);
	recbuf_svarint(b, sys->tw_reuse);
	recbuf_svarint(b, sys->unprivileged_port_start);
	for (unsigned p = 0; p < SAMPLE_PORT_COUNT; p++)
		if (port_reserved(sys, p) && (p == 0 || !port_reserved(sys, p - 1)))
			runs++;
	recbuf_varint(b, runs);
	for (unsigned p = 0; p < SAMPLE_PORT_COUNT; p++) {
		unsigned end = p;
		if (!port_reserved(sys, p))
			continue;
		while (end + 1 < SAMPLE_PORT_COUNT && port_reserved(sys, end + 1))
			end++;
		recbuf_varint(b, p - last_end);
		recbuf_varint(b, end - p);
		last_end = end;
		p = end;
	}
}

static void decode_sysctls(struct reccur *c, struct port_sysctls *sys)
{
	unsigned runs, at = 0;

	memset(sys, 0, sizeof(*sys));
	sys->low = (int)reccur_svarint(c);
	sys->high = (int)reccur_svarint(c);
	sys->tw_reuse = (int)reccur_svarint(c);
	sys->unprivileged_port_start = (int)reccur_svarint(c);
	runs = (unsigned)reccur_bounded(c, SAMPLE_PORT_COUNT);
	for (unsigned r = 0; r < runs && !c->bad; r++) {
		unsigned start = at + (unsigned)reccur_bounded(c, SAMPLE_PORT_COUNT);
		unsigned end = start + (unsigned)reccur_bounded(c, SAMPLE_PORT_COUNT);
		if (end >= SAMPLE_PORT_COUNT) {
			c->bad = true;
			return;
		}
		for (unsigned p = start; p <= end; p++)
			sys->reserved[p / 8] |= (uint8_t)(1u << (p % 8));
		at = end;
	}
}

static void encode_scalars(struct recbuf *b, const struct sample *s)
{
	recbuf_svarint(b, (int64_t)s->wall.tv_sec);
	recbuf_varint(b, (uint64_t)s->wall.tv_nsec);
	recbuf_double(b, s->monotonic);
	recbuf_u8(b, (uint8_t)s->source);
	recbuf_varint(b, s->netns_inode);
	recbuf_varint(b, s->procs_unreadable);
	recbuf_u8(b, s->owners_scanned);
	recbuf_svarint(b, s->netlink_error);
	recbuf_u8(b, (uint8_t)s->owner_access);
	encode_sysctls(b, &s->sys);
}

static void decode_scalars(struct reccur *c, struct sample *s)
{
	s->wall.tv_sec = (time_t)reccur_svarint(c);
	s->wall.tv_nsec = (long)reccur_bounded(c, 999999999);
	s->monotonic = reccur_double(c);
	s->source = reccur_u8(c) ? SAMPLE_SOURCE_PROC : SAMPLE_SOURCE_NETLINK;
	s->netns_inode = reccur_varint(c);
	s->procs_unreadable = (unsigned)reccur_bounded(c, UINT32_MAX);
	s->owners_scanned = reccur_u8(c) != 0;
	s->netlink_error = (int)reccur_svarint(c);
	s->owner_access = (enum owner_access)reccur_u8(c);
	if (s->owner_access > OWNER_ACCESS_NO_DAC_READ_SEARCH || s->netlink_error > 0 || s->netlink_error < -4095)
		c->bad = true;
	decode_sysctls(c, &s->sys);
	if (!isfinite(s->monotonic))
		c->bad = true;
}

int codec_encode_sample(struct recbuf *out, const struct sample *s, const struct sample *prev)
{
	struct codec_streams st;
	uint32_t *proc_map = malloc((prev->n_procs ? prev->n_procs : 1) * sizeof(*proc_map));
	int err = proc_map ? 0 : -ENOMEM;

	memset(&st, 0, sizeof(st));
	encode_scalars(&st.s[CS_SCALARS], s);
	codec_encode_probes(&st.s[CS_PROBES], &s->probes);
	codec_encode_counters(&st.s[CS_COUNTERS], &s->counters);
	if (!err)
		err = codec_encode_socks(&st, s, prev);
	if (!err)
		err = codec_encode_procs(&st, s, prev, proc_map);
	if (!err)
		err = codec_encode_owners(&st, s, prev, proc_map);
	if (!err)
		err = codec_streams_join(&st, out);
	codec_streams_free(&st);
	free(proc_map);
	return err;
}

int codec_decode_sample(struct reccur *in, const struct sample *prev, struct sample *out)
{
	struct codec_cursors c;
	uint32_t *proc_map = malloc((prev->n_procs ? prev->n_procs : 1) * sizeof(*proc_map));
	bool scanned;
	int err;

	memset(&c, 0, sizeof(c));
	err = proc_map ? codec_streams_split(in, &c) : -ENOMEM;
	sample_reset(out);
	if (!err) {
		decode_scalars(&c.c[CS_SCALARS], out);
		err = codec_decode_socks(&c, prev, out);
	}
	if (!err)
		err = codec_decode_probes(&c.c[CS_PROBES], out);
	if (!err)
		codec_decode_counters(&c.c[CS_COUNTERS], &out->counters);
	if (!err)
		err = codec_decode_procs(&c, prev, out, proc_map);
	if (!err)
		err = codec_decode_owners(&c, prev, out, proc_map);
	free(proc_map);
	if (!err && codec_cursors_bad(&c))
		err = -EBADMSG;
	codec_cursors_free(&c);
	if (err)
		return err;
	scanned = out->owners_scanned;
	sample_finish_owners(out);
	out->owners_scanned = scanned;
	return 0;
}

void codec_encode_history(struct recbuf *out, const struct history *h)
{
	struct history_view v;
	uint64_t last = 0;

	history_view(h, &v);
	recbuf_double(out, v.time);
	recbuf_varint(out, v.n_owners);
	for (size_t i = 0; i < v.n_owners; i++) {
		const struct history_owner *o = &v.owners[i];
		recbuf_svarint(out, o->pid);
		recbuf_varint(out, o->uid);
		recbuf_varint(out, o->start_time);
		recbuf_string(out, o->user);
		recbuf_string(out, o->comm);
	}
	recbuf_varint(out, v.n_entries);
	for (size_t i = 0; i < v.n_entries; i++) {  /* cookie order: the gaps are small */
		recbuf_varint(out, v.entries[i].cookie - last);
		recbuf_varint(out, v.entries[i].owner);
		last = v.entries[i].cookie;
	}
}

int codec_decode_history(struct reccur *in, struct history *h)
{
	struct history_view v = { .time = reccur_double(in) };
	struct history_owner *owners = NULL;
	struct history_entry *entries = NULL;
	uint64_t last = 0;
	int err = -ENOMEM;

	/* each owner takes at least 5 bytes and each entry 2: a count beyond that is damage */
	v.n_owners = (size_t)reccur_bounded(in, (in->len - in->pos) / 5);
	owners = calloc(v.n_owners ? v.n_owners : 1, sizeof(*owners));
	for (size_t i = 0; owners && i < v.n_owners && !in->bad; i++) {
		owners[i].pid = (pid_t)reccur_svarint(in);
		owners[i].uid = (uid_t)reccur_bounded(in, UINT32_MAX);
		owners[i].start_time = reccur_varint(in);
		reccur_string(in, owners[i].user, sizeof(owners[i].user));
		reccur_string(in, owners[i].comm, sizeof(owners[i].comm));
	}
	v.n_entries = (size_t)reccur_bounded(in, (in->len - in->pos) / 2);
	entries = malloc((v.n_entries ? v.n_entries : 1) * sizeof(*entries));
	for (size_t i = 0; entries && i < v.n_entries && !in->bad; i++) {
		entries[i].cookie = last + reccur_varint(in);
		entries[i].owner = (uint32_t)reccur_bounded(in, UINT32_MAX);
		last = entries[i].cookie;
	}
	if (owners && entries) {
		v.owners = owners;
		v.entries = entries;
		err = in->bad || !isfinite(v.time) ? -EBADMSG : history_restore(h, &v);
		if (err == -EINVAL)
			err = -EBADMSG;
	}

	free(owners);
	free(entries);
	return err;
}

static int copy_procs_owners(struct sample *dst, const struct sample *src)
{
	int err = 0;

	for (size_t i = 0; i < src->n_procs && !err; i++)
		err = sample_add_proc(dst, &src->procs[i], NULL);
	for (size_t i = 0; i < src->n_owners && !err; i++)
		err = sample_add_owner(dst, src->owners[i].inode, src->owners[i].proc);
	if (err)
		return err;
	sample_finish_owners(dst);
	dst->owners_scanned = src->owners_scanned;
	return 0;
}

struct carried {
	uint32_t prev, index;  /* where prev had it, where s has it */
};

static int cmp_carried(const void *a, const void *b)
{
	const struct carried *x = a, *y = b;

	if (x->prev != y->prev)
		return x->prev < y->prev ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

static int cmp_new(const void *a, const void *b, void *arg)
{
	const struct sample *s = arg;
	const struct carried *x = a, *y = b;
	uint64_t cx = s->socks[x->index].cookie, cy = s->socks[y->index].cookie;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The old sockets in prev's order (a delta copies them in runs), then the new. */
static int reorder_socks(struct sample *dst, const struct sample *s, const struct sample *prev,
			 const struct codec_map *had, uint32_t *where)
{
	struct carried *c = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*c));
	size_t n = 0;
	int err = c ? 0 : -ENOMEM;

	for (size_t i = 0; i < s->n_socks && !err; i++) {
		uint32_t j = s->socks[i].cookie ? codec_map_get(had, s->socks[i].cookie) : UINT32_MAX;
		if (j != UINT32_MAX && j < prev->n_socks)
			c[n++] = (struct carried){ j, (uint32_t)i };
	}
	if (n)
		qsort(c, n, sizeof(*c), cmp_carried);
	for (size_t k = 0; k < n && !err; k++) {
		where[c[k].index] = (uint32_t)dst->n_socks;
		err = sample_add_sock(dst, &s->socks[c[k].index]);
	}
	n = 0;
	for (size_t i = 0; i < s->n_socks && !err; i++) {  /* c is NULL when out of memory */
		uint32_t j = s->socks[i].cookie ? codec_map_get(had, s->socks[i].cookie) : UINT32_MAX;
		if (j == UINT32_MAX || j >= prev->n_socks)
			c[n++] = (struct carried){ 0, (uint32_t)i };
	}
	/* the new ones in cookie order: the order the kernel made them in when a cookie
	 * was taken at birth (the eBPF probes take it), and dump order when the dump
	 * gave the cookie; their inodes and mates follow along */
	if (n)
		qsort_r(c, n, sizeof(*c), cmp_new, (void *)s);
	for (size_t k = 0; k < n && !err; k++) {
		where[c[k].index] = (uint32_t)dst->n_socks;
		err = sample_add_sock(dst, &s->socks[c[k].index]);
	}
	free(c);
	return err;
}

int codec_reorder(struct sample *dst, const struct sample *s, const struct sample *prev)
{
	struct codec_map had;
	uint32_t *where = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*where));
	int err = codec_map_init(&had, prev->n_socks);

	sample_reset(dst);
	if (err || !where) {
		codec_map_free(&had);
		free(where);
		return -ENOMEM;
	}
	sample_copy_scalars(dst, s);
	for (size_t j = 0; j < prev->n_socks; j++)
		if (prev->socks[j].cookie)
			codec_map_put(&had, prev->socks[j].cookie, (uint32_t)j);
	err = reorder_socks(dst, s, prev, &had, where);
	if (!err)
		err = codec_copy_probes(&dst->probes, &s->probes, where);
	codec_map_free(&had);
	free(where);
	return err ? err : copy_procs_owners(dst, s);
}

int codec_copy_sample(struct sample *dst, const struct sample *src)
{
	int err = 0;

	sample_reset(dst);
	sample_copy_scalars(dst, src);
	for (size_t i = 0; i < src->n_socks && !err; i++)
		err = sample_add_sock(dst, &src->socks[i]);
	if (!err)
		err = codec_copy_probes(&dst->probes, &src->probes, NULL);
	return err ? err : copy_procs_owners(dst, src);
}

int codec_map_init(struct codec_map *m, size_t n)
{
	size_t slots = 64;

	while (slots < 2 * n)
		slots *= 2;
	m->keys = malloc(slots * sizeof(*m->keys));
	m->values = malloc(slots * sizeof(*m->values));
	m->mask = slots - 1;
	if (!m->keys || !m->values) {
		codec_map_free(m);
		return -ENOMEM;
	}
	memset(m->values, 0xff, slots * sizeof(*m->values));
	return 0;
}

void codec_map_free(struct codec_map *m)
{
	free(m->keys);
	free(m->values);
	m->keys = NULL;
	m->values = NULL;
}

static size_t slot_of(const struct codec_map *m, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & m->mask;
}

void codec_map_put(struct codec_map *m, uint64_t key, uint32_t value)
{
	for (size_t i = slot_of(m, key);; i = (i + 1) & m->mask) {
		if (m->values[i] == UINT32_MAX) {
			m->keys[i] = key;
			m->values[i] = value;
			return;
		}
		if (m->keys[i] == key)
			return;
	}
}

uint32_t codec_map_get(const struct codec_map *m, uint64_t key)
{
	for (size_t i = slot_of(m, key);; i = (i + 1) & m->mask) {
		if (m->values[i] == UINT32_MAX)
			return UINT32_MAX;
		if (m->keys[i] == key)
			return m->values[i];
	}
}
