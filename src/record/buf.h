/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bytes in and out of a recording: a growing buffer to write varints and strings
 * into, and a bounded cursor to read them back.  Both keep a sticky error, so an
 * encoder or decoder checks once at the end instead of after every field.
 */
#ifndef PORTTOP_RECORD_BUF_H
#define PORTTOP_RECORD_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct recbuf {
	uint8_t *data;
	size_t len, cap;
	int err;         /* 0 or -ENOMEM, sticky */
};

void recbuf_free(struct recbuf *b);
/* Room for size bytes in all, what it holds counted: 0 or -ENOMEM (also in err). */
int recbuf_reserve(struct recbuf *b, size_t size);
void recbuf_put(struct recbuf *b, const void *data, size_t len);
void recbuf_u8(struct recbuf *b, uint8_t v);
void recbuf_u32le(struct recbuf *b, uint32_t v);
void recbuf_varint(struct recbuf *b, uint64_t v);          /* LEB128 */
void recbuf_svarint(struct recbuf *b, int64_t v);          /* zigzag, then LEB128 */
void recbuf_string(struct recbuf *b, const char *s);       /* length, then the bytes */
void recbuf_double(struct recbuf *b, double v);            /* the 8 bytes, exact */

struct reccur {
	const uint8_t *data;
	size_t len, pos;
	bool bad;        /* read past the end or a malformed value, sticky */
};

void reccur_init(struct reccur *c, const void *data, size_t len);
uint8_t reccur_u8(struct reccur *c);
uint32_t reccur_u32le(struct reccur *c);
uint64_t reccur_varint(struct reccur *c);
int64_t reccur_svarint(struct reccur *c);
/* A varint that must be at most max (a count or an index); bad (and 0) above it. */
uint64_t reccur_bounded(struct reccur *c, uint64_t max);
/* Copies a string of fewer than size bytes into out, NUL-terminated. */
void reccur_string(struct reccur *c, char *out, size_t size);
/* A string as a borrowed pointer and length (not terminated). */
const uint8_t *reccur_bytes(struct reccur *c, size_t len);
double reccur_double(struct reccur *c);
/* A sub-cursor over the next len bytes. */
void reccur_sub(struct reccur *c, size_t len, struct reccur *out);

/* CRC-32 (IEEE 802.3, as zlib's crc32), continuing from crc (0 to start). */
uint32_t rec_crc32(uint32_t crc, const void *data, size_t len);

#endif
