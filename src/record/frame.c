/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records on the wire: framing, checksum and compression; no file I/O here. */
#include "record/format.h"

#include <errno.h>
#include <string.h>
#include <zstd.h>

/* zstd's level 3 (its default) is where more effort stops paying at these sizes. */
#define RECORD_ZSTD_LEVEL 3

int record_check_magic(const uint8_t *buf, size_t len)
{
	if (len < RECORD_FILE_HEADER_LEN)
		return len && memcmp(buf, RECORD_MAGIC, len < RECORD_MAGIC_LEN ? len : RECORD_MAGIC_LEN) != 0
			? -EBADMSG : -EAGAIN;
	if (memcmp(buf, RECORD_MAGIC, RECORD_MAGIC_LEN) != 0)
		return -EBADMSG;
	if ((buf[8] | buf[9] << 8) > RECORD_VERSION)
		return -EPROTONOSUPPORT;
	return 0;
}

void record_put_magic(struct recbuf *out)
{
	recbuf_put(out, RECORD_MAGIC, RECORD_MAGIC_LEN);
	recbuf_u8(out, RECORD_VERSION & 0xff);
	recbuf_u8(out, RECORD_VERSION >> 8);
	recbuf_u8(out, 0);
	recbuf_u8(out, 0);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int record_frame_parse(const uint8_t *buf, size_t avail, struct record_frame *out)
{
	uint32_t crc;

	if (avail < RECORD_FRAME_LEN)
		return avail && buf[0] != 0xa5 ? -EBADMSG : -EAGAIN;
	if (buf[0] != 0xa5 || buf[1] != 0x5a)
		return -EBADMSG;
	out->type = buf[2];
	out->flags = buf[3];
	out->stored_len = le32(buf + 4);
	out->raw_len = le32(buf + 8);
	if (out->stored_len > RECORD_MAX_STORED || out->raw_len > RECORD_MAX_RAW)
		return -EBADMSG;
	if (avail - RECORD_FRAME_LEN < out->stored_len)
		return -EAGAIN;
	crc = rec_crc32(0, buf, 12);
	crc = rec_crc32(crc, buf + RECORD_FRAME_LEN, out->stored_len);
	if (crc != le32(buf + 12))
		return -EBADMSG;
	out->payload = buf + RECORD_FRAME_LEN;
	out->size = RECORD_FRAME_LEN + out->stored_len;
	return 0;
}

int record_frame_payload(const struct record_frame *f, struct recbuf *raw)
{
	size_t got;

	raw->len = 0;
	raw->err = 0;
	if (!(f->flags & RECORD_ZSTD)) {
		if (f->raw_len != f->stored_len)
			return -EBADMSG;
		recbuf_put(raw, f->payload, f->stored_len);
		return raw->err;
	}
	/* a raw length zstd disagrees with is damage the checksum missed, or a bug */
	if (ZSTD_getFrameContentSize(f->payload, f->stored_len) != f->raw_len)
		return -EBADMSG;
	if (recbuf_reserve(raw, f->raw_len))
		return raw->err;
	got = ZSTD_decompress(raw->data, f->raw_len, f->payload, f->stored_len);
	if (ZSTD_isError(got) || got != f->raw_len)
		return -EBADMSG;
	raw->len = got;
	return 0;
}

int record_frame_write(struct recbuf *out, uint8_t type, const uint8_t *payload, size_t len,
		       bool compress)
{
	size_t at = out->len, bound = ZSTD_compressBound(len), stored = len;
	uint8_t head[12] = { 0xa5, 0x5a, type, compress ? RECORD_ZSTD : 0 };
	uint32_t crc;

	if (len > RECORD_MAX_RAW)
		return -E2BIG;
	if (recbuf_reserve(out, at + RECORD_FRAME_LEN + (compress ? bound : len)))
		return out->err;
	if (compress) {
		stored = ZSTD_compress(out->data + at + RECORD_FRAME_LEN, bound, payload, len,
				       RECORD_ZSTD_LEVEL);
		if (ZSTD_isError(stored))
			return -ENOMEM;
	} else if (len) {
		memcpy(out->data + at + RECORD_FRAME_LEN, payload, len);
	}
	if (stored > RECORD_MAX_STORED)
		return -E2BIG;
	for (int i = 0; i < 4; i++) {
		head[4 + i] = (uint8_t)(stored >> (8 * i));
		head[8 + i] = (uint8_t)(len >> (8 * i));
	}
	crc = rec_crc32(rec_crc32(0, head, sizeof(head)), out->data + at + RECORD_FRAME_LEN, stored);
	memcpy(out->data + at, head, sizeof(head));
	for (int i = 0; i < 4; i++)
		out->data[at + 12 + i] = (uint8_t)(crc >> (8 * i));
	out->len = at + RECORD_FRAME_LEN + stored;
	return 0;
}

void record_header_encode(struct recbuf *out, const struct record_header *h)
{
	recbuf_varint(out, h->version);
	recbuf_string(out, h->host);
	recbuf_string(out, h->kernel);
	recbuf_svarint(out, h->low);
	recbuf_svarint(out, h->high);
	recbuf_svarint(out, h->start_sec);
	recbuf_varint(out, h->first_seq);
}

/* Fields a later version adds go after these: a reader ignores what it does not know. */
int record_header_decode(const uint8_t *data, size_t len, struct record_header *h)
{
	struct reccur c;

	reccur_init(&c, data, len);
	h->version = (unsigned)reccur_bounded(&c, 65535);
	reccur_string(&c, h->host, sizeof(h->host));
	reccur_string(&c, h->kernel, sizeof(h->kernel));
	h->low = (int)reccur_svarint(&c);
	h->high = (int)reccur_svarint(&c);
	h->start_sec = reccur_svarint(&c);
	h->first_seq = reccur_varint(&c);
	return c.bad ? -EBADMSG : 0;
}
