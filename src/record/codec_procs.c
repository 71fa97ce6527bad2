/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processes and owner links as changes from the previous sample.  A process is the
 * same one while its (pid, start time) is (a pid alone is reused); its facts that
 * change (open fds, a renamed command) are carried as changes.  Owner links are in
 * inode order (sample_finish_owners); a carried link names its process by the
 * previous sample's index, mapped to the new one.
 */
#include "record/codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum proc_change { PC_UID = 1, PC_HANDLES = 2, PC_USER = 4, PC_COMM = 8, PC_CMDLINE = 16 };

static uint64_t proc_key(pid_t pid, unsigned long long start_time)
{
	return (uint64_t)(uint32_t)pid ^ (uint64_t)start_time << 22 ^ (uint64_t)start_time >> 42;
}

static bool same_proc(const struct proc_rec *a, const struct proc_rec *b)
{
	return a->pid == b->pid && a->start_time == b->start_time;
}

static unsigned proc_mask(const struct proc_rec *b, const struct proc_rec *p)
{
	return (b->uid != p->uid ? PC_UID : 0) | (b->handles != p->handles ? PC_HANDLES : 0) |
	       (strcmp(b->user, p->user) ? PC_USER : 0) | (strcmp(b->comm, p->comm) ? PC_COMM : 0) |
	       (strcmp(b->cmdline, p->cmdline) ? PC_CMDLINE : 0);
}

static void put_fields(struct codec_streams *st, unsigned m, const struct proc_rec *p)
{
	if (m & PC_UID) recbuf_varint(&st->s[CS_PROC_DATA], p->uid);
	if (m & PC_HANDLES) recbuf_varint(&st->s[CS_PROC_DATA], p->handles);
	if (m & PC_USER) recbuf_string(&st->s[CS_PROC_TEXT], p->user);
	if (m & PC_COMM) recbuf_string(&st->s[CS_PROC_TEXT], p->comm);
	if (m & PC_CMDLINE) recbuf_string(&st->s[CS_PROC_TEXT], p->cmdline);
}

/* Names come sanitized from the sample boundary; a damaged or forged file must not
 * bring terminal controls back in: C0 and DEL bytes and UTF-8's C1 (c2 80-9f). */
static bool text_clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return false;
	return true;
}

/* A command line into scratch (it has no length limit of its own). */
static void get_cmdline(struct reccur *t, struct recbuf *scratch)
{
	size_t len = (size_t)reccur_bounded(t, t->len - t->pos);
	const uint8_t *text = reccur_bytes(t, len);

	scratch->len = 0;
	recbuf_put(scratch, text, text ? len : 0);
	recbuf_u8(scratch, 0);
	if (scratch->err || memchr(scratch->data, 0, scratch->len - 1))
		t->bad = true;
}

static int get_fields(struct codec_cursors *cc, unsigned m, struct proc_rec *p,
		      struct recbuf *cmdline)
{
	struct reccur *d = &cc->c[CS_PROC_DATA], *t = &cc->c[CS_PROC_TEXT];

	if (m & PC_UID) p->uid = (uid_t)reccur_bounded(d, UINT32_MAX);
	if (m & PC_HANDLES) p->handles = (uint32_t)reccur_bounded(d, UINT32_MAX);
	if (m & PC_USER) reccur_string(t, p->user, sizeof(p->user));
	if (m & PC_COMM) reccur_string(t, p->comm, sizeof(p->comm));
	if (m & PC_CMDLINE) {
		get_cmdline(t, cmdline);
		if (t->bad)
			return -EBADMSG;
		p->cmdline = (char *)cmdline->data;
	}
	return text_clean(p->user) && text_clean(p->comm) && text_clean(p->cmdline) ? 0 : -EBADMSG;
}

static void put_ops(struct recbuf *ops, enum codec_op kind, uint64_t n)
{
	recbuf_varint(ops, n << 2 | kind);
}

int codec_encode_procs(struct codec_streams *st, const struct sample *s, const struct sample *prev,
		       uint32_t *proc_map)
{
	struct recbuf *ops = &st->s[CS_PROC_OPS];
	struct codec_map map;
	pid_t last_pid = 0;
	int err = codec_map_init(&map, prev->n_procs);

	if (err)
		return err;
	for (size_t j = 0; j < prev->n_procs; j++) {
		codec_map_put(&map, proc_key(prev->procs[j].pid, prev->procs[j].start_time), (uint32_t)j);
		proc_map[j] = UINT32_MAX;
	}
	recbuf_varint(ops, s->n_procs);
	for (size_t i = 0; i < s->n_procs; i++) {
		const struct proc_rec *p = &s->procs[i];
		uint32_t j = codec_map_get(&map, proc_key(p->pid, p->start_time));

		if (j != UINT32_MAX && same_proc(&prev->procs[j], p)) {
			unsigned m = proc_mask(&prev->procs[j], p);
			put_ops(ops, m ? OP_CHANGE : OP_COPY, j);
			if (m) {
				recbuf_varint(&st->s[CS_PROC_DATA], m);
				put_fields(st, m, p);
			}
			proc_map[j] = (uint32_t)i;
		} else {
			put_ops(ops, OP_NEW, 0);
			recbuf_svarint(&st->s[CS_PROC_DATA], (int64_t)p->pid - last_pid);
			recbuf_varint(&st->s[CS_PROC_DATA], p->start_time);
			put_fields(st, PC_UID | PC_HANDLES | PC_USER | PC_COMM | PC_CMDLINE, p);
		}
		last_pid = p->pid;
	}
	codec_map_free(&map);
	return 0;
}

/* One process: carried (op COPY or CHANGE, n = its index in prev) or new. */
static int decode_proc(struct codec_cursors *cc, const struct sample *prev, uint64_t op,
		       pid_t last_pid, struct proc_rec *p, struct recbuf *cmdline)
{
	struct reccur *d = &cc->c[CS_PROC_DATA];
	uint64_t j = op >> 2;

	if ((op & 3) == OP_NEW) {
		memset(p, 0, sizeof(*p));
		p->pid = (pid_t)(last_pid + reccur_svarint(d));
		p->start_time = reccur_varint(d);
		p->cmdline = NULL;
		return get_fields(cc, PC_UID | PC_HANDLES | PC_USER | PC_COMM | PC_CMDLINE, p, cmdline);
	}
	if ((op & 3) == OP_SEEK || j >= prev->n_procs)
		return -EBADMSG;
	*p = prev->procs[j];
	return (op & 3) == OP_CHANGE ? get_fields(cc, (unsigned)reccur_bounded(d, 31), p, cmdline) : 0;
}

int codec_decode_procs(struct codec_cursors *cc, const struct sample *prev, struct sample *out,
		       uint32_t *proc_map)
{
	struct reccur *ops = &cc->c[CS_PROC_OPS];
	uint64_t n = reccur_bounded(ops, ops->len);
	struct recbuf cmdline = { 0 };
	pid_t last_pid = 0;
	int err = 0;

	for (size_t j = 0; j < prev->n_procs; j++)
		proc_map[j] = UINT32_MAX;
	for (uint64_t i = 0; i < n && !err; i++) {
		uint64_t op = reccur_varint(ops);
		struct proc_rec p;

		err = decode_proc(cc, prev, op, last_pid, &p, &cmdline);
		if (!err && codec_cursors_bad(cc))
			err = -EBADMSG;
		if (!err && (op & 3) != OP_NEW) {
			if (proc_map[op >> 2] != UINT32_MAX)
				err = -EBADMSG;  /* one process twice */
			else
				proc_map[op >> 2] = (uint32_t)out->n_procs;
		}
		if (!err)
			err = sample_add_proc(out, &p, NULL);
		last_pid = p.pid;
	}
	recbuf_free(&cmdline);
	return err;
}

/*
 * The links the previous sample passes on: those of its sockets still in s (by
 * inode), to processes still in s, with the process index of s.  A closed socket's
 * link goes without a word; only links that are not carried this way are written.
 * Both ends compute this alike.  *out is malloc'd; 0 or -ENOMEM.
 */
static int carried_links(const struct sample *s, const struct sample *prev, const uint32_t *proc_map,
			 struct owner_link **out, size_t *n)
{
	struct codec_map inodes;
	int err = codec_map_init(&inodes, s->n_socks);

	*n = 0;
	*out = malloc((prev->n_owners ? prev->n_owners : 1) * sizeof(**out));
	if (err || !*out) {
		codec_map_free(&inodes);
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n_socks; i++)
		if (s->socks[i].inode)
			codec_map_put(&inodes, s->socks[i].inode, 0);
	for (size_t i = 0; i < prev->n_owners; i++) {
		const struct owner_link *l = &prev->owners[i];
		if (l->proc < prev->n_procs && proc_map[l->proc] != UINT32_MAX &&
		    codec_map_get(&inodes, l->inode) != UINT32_MAX)
			(*out)[(*n)++] = (struct owner_link){ l->inode, proc_map[l->proc] };
	}
	codec_map_free(&inodes);
	return 0;
}

/*
 * The inodes of s's sockets, sorted, for the links not carried: most are to a socket
 * new in s, so a link names "the k-th socket inode after the last link's" in a byte
 * instead of the inode's difference.
 */
struct inode_walk {
	uint32_t *v;
	size_t n, at;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int walk_init(struct inode_walk *w, const struct sample *s)
{
	w->n = w->at = 0;
	w->v = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*w->v));
	if (!w->v)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_socks; i++)
		if (s->socks[i].inode)
			w->v[w->n++] = s->socks[i].inode;
	if (w->n)
		qsort(w->v, w->n, sizeof(*w->v), cmp_u32);
	return 0;
}

/* The first socket inode after last. */
static void walk_past(struct inode_walk *w, uint32_t last)
{
	while (w->at < w->n && w->v[w->at] <= last)
		w->at++;
}

/* Writes a new link's inode: k (1: the next socket inode) or 0 and the difference. */
static void put_link_inode(struct recbuf *d, struct inode_walk *w, uint32_t inode, uint32_t last)
{
	walk_past(w, last);
	for (size_t j = w->at; j < w->n && j < w->at + 64 && w->v[j] <= inode; j++) {
		if (w->v[j] == inode) {
			recbuf_varint(d, j - w->at + 1);
			return;
		}
	}
	recbuf_varint(d, 0);
	recbuf_varint(d, inode - last);
}

static uint32_t get_link_inode(struct reccur *d, struct inode_walk *w, uint32_t last)
{
	uint64_t k = reccur_bounded(d, 64);

	if (k == 0)
		return last + (uint32_t)reccur_bounded(d, UINT32_MAX - last);
	walk_past(w, last);
	if (w->at + k - 1 >= w->n) {
		d->bad = true;
		return last;
	}
	return w->v[w->at + k - 1];
}

static void flush_copies(struct recbuf *ops, uint64_t *copies)
{
	if (*copies)
		put_ops(ops, OP_COPY, *copies);
	*copies = 0;
}

/* Links: a merge along the inode order of the carried links and of s's. */
int codec_encode_owners(struct codec_streams *st, const struct sample *s, const struct sample *prev,
			const uint32_t *proc_map)
{
	struct recbuf *ops = &st->s[CS_OWNER_OPS];
	struct owner_link *c;
	struct inode_walk w;
	uint64_t copies = 0;
	uint32_t last_inode = 0;
	size_t pos = 0, n_c;
	int err = carried_links(s, prev, proc_map, &c, &n_c);

	if (err)
		return err;
	if (walk_init(&w, s)) {
		free(c);
		return -ENOMEM;
	}
	recbuf_varint(ops, s->n_owners);
	for (size_t i = 0; i < s->n_owners; i++) {
		const struct owner_link *l = &s->owners[i];
		size_t skip = pos;

		while (skip < n_c && c[skip].inode < l->inode)
			skip++;
		if (skip < n_c && c[skip].inode == l->inode && c[skip].proc == l->proc) {
			if (skip != pos) {
				flush_copies(ops, &copies);
				put_ops(ops, OP_SEEK, skip - pos);
			}
			copies++;
			pos = skip + 1;
		} else {
			flush_copies(ops, &copies);
			put_ops(ops, OP_NEW, 0);
			put_link_inode(&st->s[CS_OWNER_DATA], &w, l->inode, last_inode);
			recbuf_varint(&st->s[CS_OWNER_DATA], l->proc);
		}
		last_inode = l->inode;
	}
	flush_copies(ops, &copies);
	free(c);
	free(w.v);
	return 0;
}

static int decode_ops(struct codec_cursors *cc, const struct owner_link *c, size_t n_c,
		      struct sample *out, uint64_t n, struct inode_walk *w)
{
	struct reccur *ops = &cc->c[CS_OWNER_OPS], *d = &cc->c[CS_OWNER_DATA];
	uint32_t last_inode = 0;
	size_t pos = 0;
	int err = 0;

	while (out->n_owners < n && !err) {
		uint64_t op = reccur_varint(ops), k = op >> 2;

		if (ops->bad)
			return -EBADMSG;
		switch (op & 3) {
		case OP_SEEK:
			if (k > n_c - pos)
				return -EBADMSG;
			pos += (size_t)k;
			break;
		case OP_COPY:
			if (k > n_c - pos)
				return -EBADMSG;
			for (uint64_t i = 0; i < k && !err; i++, pos++) {
				last_inode = c[pos].inode;
				err = sample_add_owner(out, c[pos].inode, c[pos].proc);
			}
			break;
		case OP_NEW: {
			uint32_t inode = get_link_inode(d, w, last_inode);
			uint32_t proc = (uint32_t)reccur_bounded(d, out->n_procs ? out->n_procs - 1 : 0);
			if (d->bad || !out->n_procs)
				return -EBADMSG;
			last_inode = inode;
			err = sample_add_owner(out, inode, proc);
			break;
		}
		default:
			return -EBADMSG;
		}
	}
	return !err && out->n_owners != n ? -EBADMSG : err;
}

int codec_decode_owners(struct codec_cursors *cc, const struct sample *prev, struct sample *out,
			const uint32_t *proc_map)
{
	struct reccur *ops = &cc->c[CS_OWNER_OPS], *d = &cc->c[CS_OWNER_DATA];
	uint64_t n = reccur_bounded(ops, prev->n_owners + d->len);  /* a new link takes 2 bytes */
	struct owner_link *c;
	size_t n_c;
	int err = ops->bad ? -EBADMSG : carried_links(out, prev, proc_map, &c, &n_c);

	struct inode_walk w;

	if (err)
		return err;
	err = walk_init(&w, out);
	if (!err)
		err = decode_ops(cc, c, n_c, out, n, &w);
	free(c);
	free(w.v);
	return err;
}
