/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the eBPF probes knew (struct probe_facts), written whole with every sample:
 * births name the process that took a port, failures and connects are counts with
 * the count of the sample before, so the rates come out as they did.  With the
 * probes off it is a handful of bytes.
 */
#include "record/codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void put_who(struct recbuf *b, const struct probe_process *who)
{
	recbuf_svarint(b, who->pid);
	recbuf_varint(b, who->uid);
	recbuf_varint(b, who->start_time);
	recbuf_string(b, who->user);
	recbuf_string(b, who->comm);
}

static void get_who(struct reccur *c, struct probe_process *who)
{
	who->pid = (pid_t)reccur_svarint(c);
	who->uid = (uid_t)reccur_bounded(c, UINT32_MAX);
	who->start_time = reccur_varint(c);
	reccur_string(c, who->user, sizeof(who->user));
	reccur_string(c, who->comm, sizeof(who->comm));
}

void codec_encode_probes(struct recbuf *b, const struct probe_facts *f)
{
	uint32_t last = 0;

	recbuf_u8(b, (uint8_t)f->status);
	recbuf_svarint(b, f->error);
	recbuf_u8(b, (uint8_t)(f->pinned | f->have_previous << 1));
	recbuf_varint(b, f->n_births);
	for (size_t i = 0; i < f->n_births; i++) {  /* in socket order: the gaps are small */
		const struct probe_birth *p = &f->births[i];
		recbuf_varint(b, p->sock - last);
		last = p->sock;
		put_who(b, &p->who);
	}
	recbuf_varint(b, f->n_failures);
	for (size_t i = 0; i < f->n_failures; i++) {
		const struct probe_failure *p = &f->failures[i];
		put_who(b, &p->who);
		recbuf_varint(b, p->count);
		recbuf_varint(b, p->previous);
		recbuf_varint(b, p->n_dests);
		for (size_t d = p->first_dest; d < p->first_dest + p->n_dests && d < f->n_dests; d++) {
			recbuf_put(b, f->dests[d].remote, 16);
			recbuf_varint(b, f->dests[d].port);
			recbuf_varint(b, f->dests[d].count);
			recbuf_varint(b, f->dests[d].previous);
		}
	}
	recbuf_varint(b, f->n_connects);
	for (size_t i = 0; i < f->n_connects; i++) {
		const struct probe_connects *p = &f->connects[i];
		put_who(b, &p->who);
		recbuf_varint(b, p->count);
		recbuf_varint(b, p->previous);
	}
}

static int get_births(struct reccur *c, struct sample *s)
{
	uint64_t n = reccur_bounded(c, s->n_socks);
	uint32_t last = 0;
	int err = 0;

	for (uint64_t i = 0; i < n && !err && !c->bad; i++) {
		struct probe_birth p;

		memset(&p, 0, sizeof(p));
		p.sock = last + (uint32_t)reccur_bounded(c, s->n_socks);
		last = p.sock;
		get_who(c, &p.who);
		if (p.sock >= s->n_socks)
			return -EBADMSG;
		err = probe_facts_add_birth(&s->probes, &p);
	}
	return err;
}

static int get_failures(struct reccur *c, struct sample *s)
{
	uint64_t n = reccur_bounded(c, c->len);
	int err = 0;

	for (uint64_t i = 0; i < n && !err && !c->bad; i++) {
		struct probe_failure p;
		uint64_t nd;

		memset(&p, 0, sizeof(p));
		get_who(c, &p.who);
		p.count = reccur_varint(c);
		p.previous = reccur_varint(c);
		nd = reccur_bounded(c, c->len);
		err = probe_facts_add_failure(&s->probes, &p);
		for (uint64_t d = 0; d < nd && !err && !c->bad; d++) {
			struct probe_failure_dest dest;
			const uint8_t *addr = reccur_bytes(c, 16);

			memset(&dest, 0, sizeof(dest));
			if (addr)
				memcpy(dest.remote, addr, 16);
			dest.port = (uint16_t)reccur_bounded(c, 65535);
			dest.count = reccur_varint(c);
			dest.previous = reccur_varint(c);
			err = probe_facts_add_dest(&s->probes, &dest);
		}
	}
	return err;
}

static int get_connects(struct reccur *c, struct sample *s)
{
	uint64_t n = reccur_bounded(c, c->len);
	int err = 0;

	for (uint64_t i = 0; i < n && !err && !c->bad; i++) {
		struct probe_connects p;

		memset(&p, 0, sizeof(p));
		get_who(c, &p.who);
		p.count = reccur_varint(c);
		p.previous = reccur_varint(c);
		err = probe_facts_add_connects(&s->probes, &p);
	}
	return err;
}

/* After the sockets: births name them by index. */
int codec_decode_probes(struct reccur *c, struct sample *s)
{
	struct probe_facts *f = &s->probes;
	unsigned flags;
	int err;

	if (c->len == 0) {  /* written before the probes were: none */
		f->status = PROBE_OFF_NOT_BUILT;
		f->error = 0;
		return 0;
	}
	f->status = (enum probe_status)reccur_u8(c);
	f->error = (int)reccur_svarint(c);
	flags = reccur_u8(c);
	f->pinned = flags & 1;
	f->have_previous = (flags >> 1) & 1;
	if (f->status > PROBE_OFF_LOAD_FAILED || f->error > 0 || f->error < -4095)
		return -EBADMSG;
	err = get_births(c, s);
	if (!err)
		err = get_failures(c, s);
	if (!err)
		err = get_connects(c, s);
	return !err && c->bad ? -EBADMSG : err;
}

/* The births of src into dst, their sockets renumbered by where (src index -> dst
 * index), in dst's socket order. */
static int cmp_birth(const void *a, const void *b)
{
	const struct probe_birth *x = a, *y = b;
	return (x->sock > y->sock) - (x->sock < y->sock);
}

int codec_copy_probes(struct probe_facts *dst, const struct probe_facts *src, const uint32_t *where)
{
	int err = 0;

	probe_facts_reset(dst);
	dst->status = src->status;
	dst->error = src->error;
	dst->pinned = src->pinned;
	dst->have_previous = src->have_previous;
	for (size_t i = 0; i < src->n_births && !err; i++) {
		struct probe_birth b = src->births[i];
		if (where)
			b.sock = where[b.sock];
		err = probe_facts_add_birth(dst, &b);
	}
	if (!err && where && dst->n_births)
		qsort(dst->births, dst->n_births, sizeof(*dst->births), cmp_birth);
	for (size_t i = 0; i < src->n_failures && !err; i++) {
		struct probe_failure p = src->failures[i];
		err = probe_facts_add_failure(dst, &p);
		for (size_t d = p.first_dest; d < p.first_dest + p.n_dests && d < src->n_dests && !err; d++)
			err = probe_facts_add_dest(dst, &src->dests[d]);
	}
	for (size_t i = 0; i < src->n_connects && !err; i++)
		err = probe_facts_add_connects(dst, &src->connects[i]);
	return err;
}
