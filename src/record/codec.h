/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Samples and histories as record payloads (doc/recording.md).  A sample is encoded
 * as the changes from the sample before it; a key sample is the same encoding from
 * an empty sample, so there is one encoder and one decoder.  Pure: no I/O.
 */
#ifndef PORTTOP_RECORD_CODEC_H
#define PORTTOP_RECORD_CODEC_H

#include "core/sample.h"
#include "model/model.h"
#include "record/buf.h"

/*
 * The payload is split in streams, one per kind of field (socket ops, cookies,
 * addresses, ...): zstd finds the repetition within a column far better than
 * across interleaved fields.
 */
enum codec_stream {
	CS_SCALARS,     /* time, source, netns, counters, sysctls */
	CS_SOCK_OPS,    /* copy / seek / change / new runs over the previous sockets */
	CS_SOCK_EXPIRES,/* timer residuals of the sockets carried over */
	CS_SOCK_CHANGE, /* field masks and values of changed sockets */
	CS_SOCK_FLAGS,  /* per new socket: which fields repeat the socket before it */
	CS_SOCK_COOKIE,
	CS_SOCK_INODE,
	CS_SOCK_ADDR,
	CS_SOCK_PORT,
	CS_SOCK_MISC,   /* protocol, state, timer, uid, ifindex, expires of new sockets */
	CS_SOCK_MATE,   /* a new socket that is the other end of a new one before it */
	CS_PROC_OPS,
	CS_PROC_DATA,
	CS_PROC_TEXT,   /* user, comm, cmdline */
	CS_OWNER_OPS,
	CS_OWNER_DATA,
	CS_PROBES,      /* what the eBPF probes knew (codec_probes.c) */
	CS_COUNTERS,    /* the kernel's counters (codec_counters.c) */
	CS_COUNT,
};

struct codec_streams {
	struct recbuf s[CS_COUNT];
};

struct codec_cursors {
	struct reccur c[CS_COUNT];
	struct recbuf raw[CS_COUNT];  /* the decompressed streams */
};

/* Op kinds of the ops streams, in the low two bits of each op's varint. */
enum codec_op { OP_COPY, OP_SEEK, OP_CHANGE, OP_NEW };

void codec_streams_reset(struct codec_streams *st);
void codec_streams_free(struct codec_streams *st);
/* Appends every stream, each length-prefixed, to out; -ENOMEM. */
int codec_streams_join(struct codec_streams *st, struct recbuf *out);
/* Splits a payload's streams, decompressing them: 0, -EBADMSG or -ENOMEM; on success
 * codec_cursors_free gives the memory back. */
int codec_streams_split(struct reccur *in, struct codec_cursors *out);
void codec_cursors_free(struct codec_cursors *c);
/* True when a decoder read past a stream or found a bad value. */
bool codec_cursors_bad(const struct codec_cursors *c);

/* Sample s as changes from prev (an empty sample for a key sample): appends to out. */
int codec_encode_sample(struct recbuf *out, const struct sample *s, const struct sample *prev);
/* Decodes into out (reset first) from prev; out and prev differ.  0, -EBADMSG, -ENOMEM. */
int codec_decode_sample(struct reccur *in, const struct sample *prev, struct sample *out);

/* codec_counters.c: an empty stream (an older writer) decodes as every counter unknown. */
void codec_encode_counters(struct recbuf *b, const struct kernel_counters *c);
void codec_decode_counters(struct reccur *in, struct kernel_counters *c);
/* After a key sample's host: the counters its history holds (the previous sample's,
 * for the rates); a key record without them (an older writer) leaves them unknown. */
void codec_encode_history_counters(struct recbuf *out, const struct history *h);
void codec_decode_history_counters(struct reccur *in, struct history *h);

/* codec_socks.c and codec_procs.c: the parts of a sample. */
int codec_encode_socks(struct codec_streams *st, const struct sample *s, const struct sample *prev);
int codec_decode_socks(struct codec_cursors *c, const struct sample *prev, struct sample *out);
/* proc_map[i] (prev->n_procs entries) gets the index in s of prev's process i, or UINT32_MAX. */
int codec_encode_procs(struct codec_streams *st, const struct sample *s, const struct sample *prev,
		       uint32_t *proc_map);
int codec_decode_procs(struct codec_cursors *c, const struct sample *prev, struct sample *out,
		       uint32_t *proc_map);
int codec_encode_owners(struct codec_streams *st, const struct sample *s, const struct sample *prev,
			const uint32_t *proc_map);
int codec_decode_owners(struct codec_cursors *c, const struct sample *prev, struct sample *out,
			const uint32_t *proc_map);

/* codec_probes.c: sample.probes, whole; decoded after the sockets.  Copying renumbers
 * the births' sockets by where[] (NULL: as they are). */
void codec_encode_probes(struct recbuf *b, const struct probe_facts *f);
int codec_decode_probes(struct reccur *c, struct sample *s);
int codec_copy_probes(struct probe_facts *dst, const struct probe_facts *src, const uint32_t *where);

/* The history the model had before a key sample. */
void codec_encode_history(struct recbuf *out, const struct history *h);
int codec_decode_history(struct reccur *in, struct history *h);

/*
 * s as it is recorded, into dst: the sockets prev had first, in prev's order, then
 * the new ones, in cookie order.  The model reads sockets as a set (and in cookie order, which
 * this keeps), so its figures do not change; the positions of new sockets amid the
 * old ones, a fifth of a delta at 10 000 sockets, need not be written.  0 or -ENOMEM.
 */
int codec_reorder(struct sample *dst, const struct sample *s, const struct sample *prev);
/* Copies src into dst (reset first), owners joined as in src.  0 or -ENOMEM. */
int codec_copy_sample(struct sample *dst, const struct sample *src);

/* The millisecond the timers moved between two samples: both sides compute it alike. */
uint32_t codec_elapsed_ms(const struct sample *s, const struct sample *prev);

/* u64 -> u32 open-addressing map, for matching sockets by cookie and processes by pid. */
struct codec_map {
	uint64_t *keys;
	uint32_t *values;
	size_t mask;
};
int codec_map_init(struct codec_map *m, size_t n);
void codec_map_free(struct codec_map *m);
void codec_map_put(struct codec_map *m, uint64_t key, uint32_t value);  /* first put wins */
uint32_t codec_map_get(const struct codec_map *m, uint64_t key);         /* UINT32_MAX: none */

#endif
