/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sockets as changes from the previous sample.  A socket the previous sample had
 * (same cookie: the kernel's sock_gen_cookie stays with a socket for its life, and
 * its TIME_WAIT successor inherits it, inet_twsk_alloc) is carried over by
 * position: runs of unchanged sockets cost one op.  Timers are predicted to have run
 * down by the time between the samples; only the residual is kept.  New sockets are
 * literals, each field relative to the socket before it; a new connection over
 * loopback is two new sockets, and the second names the first (its mate: the same
 * four-tuple reversed) instead of repeating the addresses and ports.
 */
#include "record/codec.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

enum change_bit {
	CH_STATE = 1, CH_TIMER = 2, CH_INODE = 4, CH_UID = 8, CH_EXPIRES = 16, CH_IFINDEX = 32,
	CH_LOCAL = 64, CH_REMOTE = 128, CH_PROTO = 256,
};

enum literal_bit {
	F_LOCAL_SAME = 1, F_REMOTE_SAME = 2, F_LOCAL_V4 = 4, F_REMOTE_V4 = 8, F_INET6 = 16,
	F_INODE_ZERO = 32, F_UID_SAME = 64, F_IFINDEX_SAME = 128, F_RPORT_SAME = 256, F_UDP = 512,
	F_TIMER_NONE = 1024, F_MATE = 2048,
};

/* What the literals are relative to. */
struct sock_ctx {
	struct sock_rec last;   /* the socket before, in the new sample */
	uint64_t cookie;        /* of the last literal */
	uint32_t inode;
	struct sock_rec *lits;  /* the literals so far, for mates to name */
	size_t n_lits, cap_lits;
	struct codec_map mates; /* encoder: a literal's reversed four-tuple -> its index */
};

/* FNV-1a of a four-tuple; reversed, the key a mate looks itself up by. */
static uint64_t tuple_key(const struct sock_rec *r, bool reversed)
{
	const uint8_t *a = reversed ? r->remote : r->local, *b = reversed ? r->local : r->remote;
	uint16_t pa = reversed ? r->remote_port : r->local_port;
	uint16_t pb = reversed ? r->local_port : r->remote_port;
	uint64_t h = 0xcbf29ce484222325ull;

	for (int i = 0; i < 16; i++)
		h = (h ^ a[i]) * 0x100000001b3ull;
	for (int i = 0; i < 16; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	h = (h ^ pa) * 0x100000001b3ull;
	return (h ^ pb) * 0x100000001b3ull;
}

static bool is_mate(const struct sock_rec *y, const struct sock_rec *r)
{
	return memcmp(y->local, r->remote, 16) == 0 && memcmp(y->remote, r->local, 16) == 0 &&
	       y->local_port == r->remote_port && y->remote_port == r->local_port &&
	       y->family == r->family && y->protocol == r->protocol;
}

static void mate_fill(struct sock_rec *r, const struct sock_rec *y)
{
	memcpy(r->local, y->remote, 16);
	memcpy(r->remote, y->local, 16);
	r->local_port = y->remote_port;
	r->remote_port = y->local_port;
	r->family = y->family;
	r->protocol = y->protocol;
}

static int keep_literal(struct sock_ctx *x, const struct sock_rec *r)
{
	int err = vec_reserve((void **)&x->lits, &x->cap_lits, x->n_lits + 1, sizeof(*x->lits));

	if (!err)
		x->lits[x->n_lits++] = *r;
	return err;
}

struct op_run {
	struct recbuf *ops;
	enum codec_op kind;
	uint64_t n;
};

static void run_flush(struct op_run *r)
{
	if (r->n)
		recbuf_varint(r->ops, r->n << 2 | r->kind);
	r->n = 0;
}

static void run_add(struct op_run *r, enum codec_op kind)
{
	if (r->n && r->kind != kind)
		run_flush(r);
	r->kind = kind;
	r->n++;
}

static void run_seek(struct op_run *r, int64_t delta)
{
	run_flush(r);
	recbuf_varint(r->ops, (((uint64_t)delta << 1) ^ (0 - ((uint64_t)delta >> 63))) << 2 | OP_SEEK);
}

static uint32_t predict_expires(const struct sock_rec *base, uint32_t elapsed)
{
	return base->expires_ms > elapsed ? base->expires_ms - elapsed : 0;
}

static unsigned change_mask(const struct sock_rec *b, const struct sock_rec *r)
{
	unsigned m = 0;

	m |= b->state != r->state ? CH_STATE : 0;
	m |= b->timer != r->timer ? CH_TIMER : 0;
	m |= b->inode != r->inode ? CH_INODE : 0;
	m |= b->uid != r->uid ? CH_UID : 0;
	m |= b->expires_ms == 0 && r->expires_ms != 0 ? CH_EXPIRES : 0;
	m |= b->ifindex != r->ifindex ? CH_IFINDEX : 0;
	m |= memcmp(b->local, r->local, 16) != 0 || b->local_port != r->local_port ||
	     b->family != r->family ? CH_LOCAL : 0;
	m |= memcmp(b->remote, r->remote, 16) != 0 || b->remote_port != r->remote_port ? CH_REMOTE : 0;
	m |= b->protocol != r->protocol ? CH_PROTO : 0;
	return m;
}

static void put_change(struct recbuf *b, unsigned m, const struct sock_rec *r)
{
	recbuf_varint(b, m);
	if (m & CH_STATE) recbuf_u8(b, r->state);
	if (m & CH_TIMER) recbuf_u8(b, r->timer);
	if (m & CH_INODE) recbuf_varint(b, r->inode);
	if (m & CH_UID) recbuf_varint(b, r->uid);
	if (m & CH_EXPIRES) recbuf_varint(b, r->expires_ms);
	if (m & CH_IFINDEX) recbuf_varint(b, r->ifindex);
	if (m & CH_LOCAL) {
		recbuf_u8(b, r->family);
		recbuf_put(b, r->local, 16);
		recbuf_varint(b, r->local_port);
	}
	if (m & CH_REMOTE) {
		recbuf_put(b, r->remote, 16);
		recbuf_varint(b, r->remote_port);
	}
	if (m & CH_PROTO) recbuf_u8(b, r->protocol);
}

static unsigned get_change(struct reccur *c, struct sock_rec *r)
{
	unsigned m = (unsigned)reccur_bounded(c, 511);
	const uint8_t *p;

	if (m & CH_STATE) r->state = reccur_u8(c);
	if (m & CH_TIMER) r->timer = reccur_u8(c);
	if (m & CH_INODE) r->inode = (uint32_t)reccur_bounded(c, UINT32_MAX);
	if (m & CH_UID) r->uid = (uint32_t)reccur_bounded(c, UINT32_MAX);
	if (m & CH_EXPIRES) r->expires_ms = (uint32_t)reccur_bounded(c, UINT32_MAX);
	if (m & CH_IFINDEX) r->ifindex = (uint32_t)reccur_bounded(c, UINT32_MAX);
	if (m & CH_LOCAL) {
		r->family = reccur_u8(c);
		if ((p = reccur_bytes(c, 16)))
			memcpy(r->local, p, 16);
		r->local_port = (uint16_t)reccur_bounded(c, 65535);
	}
	if (m & CH_REMOTE) {
		if ((p = reccur_bytes(c, 16)))
			memcpy(r->remote, p, 16);
		r->remote_port = (uint16_t)reccur_bounded(c, 65535);
	}
	if (m & CH_PROTO) r->protocol = reccur_u8(c);
	return m;
}

static void put_addr(struct recbuf *b, const uint8_t addr[16], bool v4)
{
	recbuf_put(b, v4 ? addr + 12 : addr, v4 ? 4 : 16);
}

static void get_addr(struct reccur *c, uint8_t addr[16], bool v4)
{
	const uint8_t *p = reccur_bytes(c, v4 ? 4 : 16);

	if (!p)
		return;
	if (v4) {
		uint32_t be;
		memcpy(&be, p, 4);
		sample_addr_from_v4(addr, be);
	} else {
		memcpy(addr, p, 16);
	}
}

static void put_literal(struct codec_streams *st, struct sock_ctx *x, const struct sock_rec *r)
{
	const struct sock_rec *l = &x->last;
	uint32_t mate = codec_map_get(&x->mates, tuple_key(r, false));
	unsigned f = 0;

	if (mate != UINT32_MAX && !is_mate(&x->lits[mate], r))
		mate = UINT32_MAX;

	f |= memcmp(r->local, l->local, 16) == 0 ? F_LOCAL_SAME : sample_addr_is_v4(r->local) ? F_LOCAL_V4 : 0;
	f |= memcmp(r->remote, l->remote, 16) == 0 ? F_REMOTE_SAME
	     : sample_addr_is_v4(r->remote) ? F_REMOTE_V4 : 0;
	f |= r->family == AF_INET6 ? F_INET6 : 0;
	f |= r->inode == 0 ? F_INODE_ZERO : 0;
	f |= r->uid == l->uid ? F_UID_SAME : 0;
	f |= r->ifindex == l->ifindex ? F_IFINDEX_SAME : 0;
	f |= r->remote_port == l->remote_port ? F_RPORT_SAME : 0;
	f |= r->protocol == IPPROTO_UDP ? F_UDP : 0;
	f |= r->timer == 0 && r->expires_ms == 0 ? F_TIMER_NONE : 0;
	if (mate != UINT32_MAX)
		f = (f & (F_INODE_ZERO | F_UID_SAME | F_IFINDEX_SAME | F_TIMER_NONE)) | F_MATE;
	recbuf_varint(&st->s[CS_SOCK_FLAGS], f);
	recbuf_u8(&st->s[CS_SOCK_MISC], r->state);
	if (!(f & F_TIMER_NONE)) {
		recbuf_u8(&st->s[CS_SOCK_MISC], r->timer);
		recbuf_varint(&st->s[CS_SOCK_MISC], r->expires_ms);
	}
	if (!(f & F_UID_SAME))
		recbuf_varint(&st->s[CS_SOCK_MISC], r->uid);
	if (!(f & F_IFINDEX_SAME))
		recbuf_varint(&st->s[CS_SOCK_MISC], r->ifindex);
	recbuf_svarint(&st->s[CS_SOCK_COOKIE], (int64_t)(r->cookie - x->cookie));
	x->cookie = r->cookie;
	if (f & F_MATE) {
		const struct sock_rec *y = &x->lits[mate];
		recbuf_varint(&st->s[CS_SOCK_MATE], x->n_lits - mate);
		if (r->inode)  /* the two ends of a connection are made one after the other */
			recbuf_svarint(&st->s[CS_SOCK_MATE], (int64_t)r->inode - (int64_t)y->inode);
		return;
	}
	if (r->inode) {
		recbuf_svarint(&st->s[CS_SOCK_INODE], (int64_t)r->inode - (int64_t)x->inode);
		x->inode = r->inode;
	}
	if (!(f & F_LOCAL_SAME))
		put_addr(&st->s[CS_SOCK_ADDR], r->local, f & F_LOCAL_V4);
	if (!(f & F_REMOTE_SAME))
		put_addr(&st->s[CS_SOCK_ADDR], r->remote, f & F_REMOTE_V4);
	recbuf_varint(&st->s[CS_SOCK_PORT], r->local_port);
	if (!(f & F_RPORT_SAME))
		recbuf_varint(&st->s[CS_SOCK_PORT], r->remote_port);
}

static void get_literal(struct codec_cursors *cc, struct sock_ctx *x, struct sock_rec *r)
{
	struct reccur *misc = &cc->c[CS_SOCK_MISC];
	unsigned f = (unsigned)reccur_bounded(&cc->c[CS_SOCK_FLAGS], 4095);

	*r = x->last;
	r->state = reccur_u8(misc);
	r->timer = 0;
	r->expires_ms = 0;
	if (!(f & F_TIMER_NONE)) {
		r->timer = reccur_u8(misc);
		r->expires_ms = (uint32_t)reccur_bounded(misc, UINT32_MAX);
	}
	if (!(f & F_UID_SAME))
		r->uid = (uint32_t)reccur_bounded(misc, UINT32_MAX);
	if (!(f & F_IFINDEX_SAME))
		r->ifindex = (uint32_t)reccur_bounded(misc, UINT32_MAX);
	r->family = f & F_INET6 ? AF_INET6 : AF_INET;
	r->protocol = f & F_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	r->cookie = x->cookie + (uint64_t)reccur_svarint(&cc->c[CS_SOCK_COOKIE]);
	x->cookie = r->cookie;
	r->inode = 0;
	if (f & F_MATE) {
		struct reccur *m = &cc->c[CS_SOCK_MATE];
		size_t back = (size_t)reccur_bounded(m, x->n_lits);
		if (back == 0 || back > x->n_lits || !x->lits) {
			m->bad = true;
			return;
		}
		const struct sock_rec *y = &x->lits[x->n_lits - back];
		mate_fill(r, y);
		if (!(f & F_INODE_ZERO))
			r->inode = (uint32_t)((int64_t)y->inode + reccur_svarint(m));
		return;
	}
	if (!(f & F_INODE_ZERO)) {
		r->inode = (uint32_t)((int64_t)x->inode + reccur_svarint(&cc->c[CS_SOCK_INODE]));
		x->inode = r->inode;
	}
	if (!(f & F_LOCAL_SAME))
		get_addr(&cc->c[CS_SOCK_ADDR], r->local, f & F_LOCAL_V4);
	if (!(f & F_REMOTE_SAME))
		get_addr(&cc->c[CS_SOCK_ADDR], r->remote, f & F_REMOTE_V4);
	r->local_port = (uint16_t)reccur_bounded(&cc->c[CS_SOCK_PORT], 65535);
	if (!(f & F_RPORT_SAME))
		r->remote_port = (uint16_t)reccur_bounded(&cc->c[CS_SOCK_PORT], 65535);
}

/* One socket the previous sample had, carried over as unchanged or changed. */
static void put_carried(struct codec_streams *st, struct op_run *run, const struct sock_rec *base,
			const struct sock_rec *r, uint32_t elapsed)
{
	unsigned m = change_mask(base, r);

	run_add(run, m ? OP_CHANGE : OP_COPY);
	if (m)
		put_change(&st->s[CS_SOCK_CHANGE], m, r);
	if (!(m & CH_EXPIRES) && base->expires_ms)
		recbuf_svarint(&st->s[CS_SOCK_EXPIRES],
			       (int64_t)r->expires_ms - (int64_t)predict_expires(base, elapsed));
}

int codec_encode_socks(struct codec_streams *st, const struct sample *s, const struct sample *prev)
{
	struct op_run run = { .ops = &st->s[CS_SOCK_OPS] };
	struct sock_ctx x;
	struct codec_map map;
	uint32_t elapsed = codec_elapsed_ms(s, prev);
	size_t pos = 0;
	int err;

	memset(&x, 0, sizeof(x));
	err = codec_map_init(&map, prev->n_socks);
	if (!err)
		err = codec_map_init(&x.mates, s->n_socks);
	if (err) {
		codec_map_free(&map);
		return err;
	}
	for (size_t j = 0; j < prev->n_socks; j++)
		if (prev->socks[j].cookie)
			codec_map_put(&map, prev->socks[j].cookie, (uint32_t)j);
	recbuf_varint(run.ops, s->n_socks);
	for (size_t i = 0; i < s->n_socks && !err; i++) {
		const struct sock_rec *r = &s->socks[i];
		uint32_t j = r->cookie ? codec_map_get(&map, r->cookie) : UINT32_MAX;

		if (j == UINT32_MAX) {
			run_add(&run, OP_NEW);
			put_literal(st, &x, r);
			codec_map_put(&x.mates, tuple_key(r, true), (uint32_t)x.n_lits);
			err = keep_literal(&x, r);
		} else {
			if (j != pos)
				run_seek(&run, (int64_t)j - (int64_t)pos);
			put_carried(st, &run, &prev->socks[j], r, elapsed);
			pos = (size_t)j + 1;
		}
		x.last = *r;
	}
	run_flush(&run);
	codec_map_free(&map);
	codec_map_free(&x.mates);
	free(x.lits);
	return err;
}

/* A recording is untrusted input: the model indexes tables by these. */
static bool sock_valid(const struct sock_rec *r)
{
	return r->state >= KTCP_ESTABLISHED && r->state < KTCP_MAX_STATES &&
	       (r->protocol == IPPROTO_TCP || r->protocol == IPPROTO_UDP) &&
	       (r->family == AF_INET || r->family == AF_INET6);
}

/* The socket at prev's pos, with its changes and its timer run down. */
static void get_carried(struct codec_cursors *cc, const struct sock_rec *base, bool changed,
			uint32_t elapsed, struct sock_rec *r)
{
	unsigned m = 0;

	*r = *base;
	if (changed)
		m = get_change(&cc->c[CS_SOCK_CHANGE], r);

	if (!(m & CH_EXPIRES) && base->expires_ms) {
		int64_t v = predict_expires(base, elapsed) + reccur_svarint(&cc->c[CS_SOCK_EXPIRES]);
		r->expires_ms = v < 0 || v > UINT32_MAX ? 0 : (uint32_t)v;
	}
}

static int decode_run(struct codec_cursors *cc, const struct sample *prev, struct sample *out,
		      uint64_t op, size_t *pos, struct sock_ctx *x, uint32_t elapsed)
{
	uint64_t n = op >> 2;
	int err = 0;

	if ((op & 3) == OP_SEEK) {
		int64_t d = (int64_t)(n >> 1) ^ -(int64_t)(n & 1);
		if ((d < 0 && (uint64_t)-d > *pos) || (d > 0 && (uint64_t)d > prev->n_socks - *pos))
			return -EBADMSG;
		*pos = (size_t)((int64_t)*pos + d);
		return 0;
	}
	for (uint64_t k = 0; k < n && !err; k++) {
		struct sock_rec r;

		if ((op & 3) == OP_NEW) {
			get_literal(cc, x, &r);
			err = keep_literal(x, &r);
		} else {
			if (*pos >= prev->n_socks)
				return -EBADMSG;
			get_carried(cc, &prev->socks[*pos], (op & 3) == OP_CHANGE, elapsed, &r);
			(*pos)++;
		}
		if (!sock_valid(&r) || codec_cursors_bad(cc))
			return -EBADMSG;
		if (!err)
			err = sample_add_sock(out, &r);
		x->last = r;
	}
	return err;
}

int codec_decode_socks(struct codec_cursors *cc, const struct sample *prev, struct sample *out)
{
	struct reccur *ops = &cc->c[CS_SOCK_OPS];
	uint64_t n = reccur_varint(ops);
	uint32_t elapsed = codec_elapsed_ms(out, prev);
	struct sock_ctx x;
	size_t pos = 0;

	int err = 0;

	memset(&x, 0, sizeof(x));
	while (out->n_socks < n && !err) {
		uint64_t op = reccur_varint(ops);

		if (ops->bad || ((op & 3) != OP_SEEK && (op >> 2) > n - out->n_socks))
			err = -EBADMSG;
		else
			err = decode_run(cc, prev, out, op, &pos, &x, elapsed);
	}
	free(x.lits);
	return err;
}
