/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A recording (-r FILE: anyone may hand porttop one), read as replay.c reads it.
 * First byte 0: the input is a file's records, walked with reader_next (stepping over
 * damage) and each sample record decoded after the one before it, as a replay does.
 * Otherwise the rest is one record's raw payload, decoded as a key sample and then as
 * a delta on it: the frame checksum would stop most mutations short of the decoder.
 */
#include "fuzz.h"
#include "core/sample.h"
#include "model/model.h"
#include "record/buf.h"
#include "record/format.h"
#include "record/reader.h"

struct replay_state {
	struct sample prev, cur;
	struct history *h;
	char host[256];
};

/* Decodes raw as a record of type after st->prev; on success it becomes prev. */
static void decode(struct replay_state *st, const struct recbuf *raw, uint8_t type)
{
	uint64_t seq;
	struct timespec wall;
	struct sample swap;

	(void)reader_sample_info(raw, &seq, &wall);
	sample_free(&st->cur);
	sample_init(&st->cur);
	if (reader_decode(raw, type, &st->prev, &st->cur, st->h, st->host, sizeof(st->host)) < 0)
		return;
	swap = st->prev;
	st->prev = st->cur;
	st->cur = swap;
}

static void walk_file(struct replay_state *st, const uint8_t *data, size_t size)
{
	struct record_frame fr;
	struct recbuf raw = { 0 };
	size_t pos = 0, damaged;

	if (size >= RECORD_FILE_HEADER_LEN && memcmp(data, RECORD_MAGIC, RECORD_MAGIC_LEN) == 0)
		pos = RECORD_FILE_HEADER_LEN;  /* a whole file: its records follow the header */
	while (reader_next(data, size, &pos, &fr, &damaged) == 1) {
		if ((fr.type == RECORD_KEY || fr.type == RECORD_DELTA) &&
		    record_frame_payload(&fr, &raw) == 0)
			decode(st, &raw, fr.type);
		pos += fr.size;
	}
	recbuf_free(&raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay_state st;

	if (size < 1)
		return 0;
	st.h = history_new();
	if (!st.h)
		return 0;
	sample_init(&st.prev);
	sample_init(&st.cur);
	if (data[0] == 0) {
		walk_file(&st, data + 1, size - 1);
	} else {
		struct recbuf raw = { .data = (uint8_t *)(data + 1), .len = size - 1, .cap = size - 1 };
		decode(&st, &raw, RECORD_KEY);
		decode(&st, &raw, RECORD_DELTA);
	}
	sample_free(&st.prev);
	sample_free(&st.cur);
	history_free(st.h);
	return 0;
}
