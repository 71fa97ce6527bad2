/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a recording from memory: finding the intact records (and stepping over
 * damage), and decoding samples.  Pure parsing: the replay source (replay.c) does
 * the file I/O.
 */
#ifndef PORTTOP_RECORD_READER_H
#define PORTTOP_RECORD_READER_H

#include "core/sample.h"
#include "model/model.h"
#include "record/format.h"

/*
 * The next intact record at or after *pos in buf[0..len).  Returns 1 with *f and
 * *pos at the record (*damaged: bytes stepped over to find it, 0 when none); 0 at a
 * clean end; -EAGAIN when what is left is an incomplete record (torn, or still
 * being written), *pos at its start.
 */
int reader_next(const uint8_t *buf, size_t len, size_t *pos, struct record_frame *f,
		size_t *damaged);

/* A sample record's number and time, from its payload.  0 or -EBADMSG. */
int reader_sample_info(const struct recbuf *raw, uint64_t *seq, struct timespec *wall);

/*
 * Decodes a sample record into out (prev: the sample before it, ignored for a key).
 * A key sample also restores h to the history the recorder's model had before it,
 * and host (host_len bytes) to the recorder's host name.  0, -EBADMSG, -ENOMEM.
 */
int reader_decode(const struct recbuf *raw, uint8_t type, const struct sample *prev,
		  struct sample *out, struct history *h, char *host, size_t host_len);

#endif
