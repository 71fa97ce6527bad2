/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "record/reader.h"

#include <errno.h>
#include <string.h>

#include "record/codec.h"

int reader_next(const uint8_t *buf, size_t len, size_t *pos, struct record_frame *f,
		size_t *damaged)
{
	size_t at = *pos;

	*damaged = 0;
	while (at < len) {
		int err = record_frame_parse(buf + at, len - at, f);

		if (err == 0) {
			*damaged = at - *pos;
			*pos = at;
			return 1;
		}
		if (err == -EAGAIN) {
			*damaged = at - *pos;
			*pos = at;
			return -EAGAIN;
		}
		/* damage: the next record starts at a sync mark whose checksum holds */
		const uint8_t *next = memchr(buf + at + 1, 0xa5, len - at - 1);
		at = next ? (size_t)(next - buf) : len;
	}
	*damaged = at - *pos;
	*pos = at;
	return 0;
}

static int payload_seq(struct reccur *c, uint64_t *seq)
{
	*seq = reccur_varint(c);
	return c->bad ? -EBADMSG : 0;
}

int reader_sample_info(const struct recbuf *raw, uint64_t *seq, struct timespec *wall)
{
	struct reccur c;
	struct codec_cursors cc;

	reccur_init(&c, raw->data, raw->len);
	if (payload_seq(&c, seq) || codec_streams_split(&c, &cc))
		return -EBADMSG;
	wall->tv_sec = (time_t)reccur_svarint(&cc.c[CS_SCALARS]);
	wall->tv_nsec = (long)reccur_bounded(&cc.c[CS_SCALARS], 999999999);
	codec_cursors_free(&cc);
	return cc.c[CS_SCALARS].bad ? -EBADMSG : 0;
}

int reader_decode(const struct recbuf *raw, uint8_t type, const struct sample *prev,
		  struct sample *out, struct history *h, char *host, size_t host_len)
{
	struct sample empty;
	struct reccur c;
	uint64_t seq;
	int err;

	reccur_init(&c, raw->data, raw->len);
	sample_init(&empty);
	if (payload_seq(&c, &seq))
		return -EBADMSG;
	err = codec_decode_sample(&c, type == RECORD_KEY ? &empty : prev, out);
	if (!err && type == RECORD_KEY)
		err = codec_decode_history(&c, h);
	if (!err && type == RECORD_KEY) {  /* a key sample stands alone: the host too */
		reccur_string(&c, host, host_len);
		if (!c.bad)
			codec_decode_history_counters(&c, h);
		if (c.bad)
			err = -EBADMSG;
	}
	return err;
}
