/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's counters of a sample (core/counters.h) as the counters stream: a
 * recording written before the stream existed has none, and its samples replay with
 * every counter unknown rather than made up.
 */
#include "record/codec.h"

void codec_encode_counters(struct recbuf *b, const struct kernel_counters *c)
{
	recbuf_varint(b, c->known);
	for (int k = 0; k < KCOUNTER_COUNT; k++)
		if (counters_known(c, (enum kcounter)k))
			recbuf_varint(b, c->value[k]);
	recbuf_svarint(b, c->tw_max_buckets);
	recbuf_svarint(b, c->conntrack_count);
	recbuf_svarint(b, c->conntrack_max);
}

void codec_encode_history_counters(struct recbuf *out, const struct history *h)
{
	struct kernel_counters none;

	counters_init(&none);
	codec_encode_counters(out, history_counters(h) ? history_counters(h) : &none);
}

void codec_decode_history_counters(struct reccur *in, struct history *h)
{
	struct kernel_counters c;
	struct reccur rest;

	if (in->pos >= in->len)
		return;  /* an older writer */
	reccur_init(&rest, in->data + in->pos, in->len - in->pos);
	codec_decode_counters(&rest, &c);
	in->pos += rest.pos;
	if (rest.bad)
		in->bad = true;
	else
		history_restore_counters(h, &c);
}

void codec_decode_counters(struct reccur *in, struct kernel_counters *c)
{
	counters_init(c);
	if (in->len == 0)
		return;  /* an older writer: unknown */
	c->known = (uint32_t)reccur_bounded(in, (1u << KCOUNTER_COUNT) - 1);
	for (int k = 0; k < KCOUNTER_COUNT; k++)
		if (counters_known(c, (enum kcounter)k))
			c->value[k] = reccur_varint(in);
	c->tw_max_buckets = reccur_svarint(in);
	c->conntrack_count = reccur_svarint(in);
	c->conntrack_max = reccur_svarint(in);
	if (c->tw_max_buckets < -1 || c->conntrack_count < -1 || c->conntrack_max < -1)
		in->bad = true;
}
