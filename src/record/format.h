/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * porttop's recording format (doc/recording.md): a file header, then records, each
 * self-delimiting and checksummed, so a reader stops cleanly at a torn last record
 * and a new record type is an addition that old readers skip.
 *
 *   file    "PORTTOP\x1a"  u16le format version  u16le 0
 *   record  a5 5a  u8 type  u8 flags  u32le stored length  u32le raw length
 *           u32le CRC-32 of the 12 bytes before it and of the stored payload
 *           payload (zstd frame when flags has RECORD_ZSTD)
 */
#ifndef PORTTOP_RECORD_FORMAT_H
#define PORTTOP_RECORD_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/buf.h"

#define RECORD_MAGIC "PORTTOP\x1a"
#define RECORD_MAGIC_LEN 8
#define RECORD_VERSION 1
#define RECORD_FILE_HEADER_LEN 12
#define RECORD_FRAME_LEN 16
/* No record is larger: a million sockets encode to far less, and a length beyond
 * this is damage, not data. */
#define RECORD_MAX_STORED (64u << 20)
#define RECORD_MAX_RAW (256u << 20)

enum record_type {
	RECORD_HEADER = 1,  /* who recorded: host, kernel, port range, start time */
	RECORD_KEY = 2,     /* a whole sample, and the history the model had before it */
	RECORD_DELTA = 3,   /* a sample as the changes from the one before it */
};

#define RECORD_ZSTD 0x01

/* The file header's fixed part: magic and version.  0, -EAGAIN (too short),
 * -EBADMSG (not a recording), -EPROTONOSUPPORT (a newer format). */
int record_check_magic(const uint8_t *buf, size_t len);
void record_put_magic(struct recbuf *out);

struct record_frame {
	uint8_t type;
	uint8_t flags;
	uint32_t stored_len;
	uint32_t raw_len;
	const uint8_t *payload;  /* into the buffer parsed */
	size_t size;             /* frame header and payload */
};

/*
 * Parses the record at buf (avail bytes there).  0; -EAGAIN when avail is shorter
 * than the record says (at the end of a file: torn, or still being written);
 * -EBADMSG when it is no record or its checksum does not match.
 */
int record_frame_parse(const uint8_t *buf, size_t avail, struct record_frame *out);
/* The payload, decompressed into raw (reset first).  0, -EBADMSG, -ENOMEM. */
int record_frame_payload(const struct record_frame *f, struct recbuf *raw);
/* Appends one record of payload to out, compressed with zstd when compress. */
int record_frame_write(struct recbuf *out, uint8_t type, const uint8_t *payload, size_t len,
		       bool compress);

/* What RECORD_HEADER says. */
struct record_header {
	unsigned version;        /* RECORD_VERSION of the writer */
	char host[256];
	char kernel[128];        /* uname -r */
	int low, high;           /* ip_local_port_range at the start */
	int64_t start_sec;       /* CLOCK_REALTIME at the start */
	uint64_t first_seq;      /* the sample number of the file's first sample */
};
void record_header_encode(struct recbuf *out, const struct record_header *h);
int record_header_decode(const uint8_t *data, size_t len, struct record_header *h);

#endif
