/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's counters of a sample (core/counters.h) as the counters stream: a
 * recording written before the stream existed has none, and its samples replay with
 * every counter unknown rather than made up.
 */
#include "record/codec.h"

/* Which counters have CPUs in the upper half of their 32 bits (counters.h). */
static uint32_t upper_mask(const struct kernel_counters *c)
{
	uint32_t mask = 0;

	for (int k = 0; k < KCOUNTER_COUNT; k++)
		mask |= c->upper_cpus[k] ? 1u << k : 0;
	return mask;
}

/* The upper CPUs come last and only when there are some: a recording without any
 * reads the same in a reader that predates them. */
void codec_encode_counters(struct recbuf *b, const struct kernel_counters *c)
{
	uint32_t upper = upper_mask(c);

	recbuf_varint(b, c->known);
	for (int k = 0; k < KCOUNTER_COUNT; k++)
		if (counters_known(c, (enum kcounter)k))
			recbuf_varint(b, c->value[k]);
	recbuf_svarint(b, c->tw_max_buckets);
	recbuf_svarint(b, c->conntrack_count);
	recbuf_svarint(b, c->conntrack_max);
	if (!upper)
		return;
	recbuf_varint(b, upper);
	for (int k = 0; k < KCOUNTER_COUNT; k++)
		if ((upper >> k) & 1)
			recbuf_varint(b, c->upper_cpus[k]);
}

static void decode_upper_cpus(struct reccur *in, struct kernel_counters *c)
{
	uint32_t upper;

	if (in->pos >= in->len)
		return;  /* none, or an older writer */
	upper = (uint32_t)reccur_bounded(in, (1u << KCOUNTER_COUNT) - 1);
	for (int k = 0; k < KCOUNTER_COUNT; k++)
		if ((upper >> k) & 1)
			c->upper_cpus[k] = (uint32_t)reccur_bounded(in, UINT32_MAX);
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
	decode_upper_cpus(in, c);
}
