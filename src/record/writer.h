/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The recorder: appends every sample to a recording (-w FILE), as a key sample now
 * and then and as deltas between, with a size cap that rotates through numbered
 * files (--record-size).  See doc/recording.md.
 */
#ifndef PORTTOP_RECORD_WRITER_H
#define PORTTOP_RECORD_WRITER_H

#include <stdint.h>

#include "core/sample.h"
#include "model/model.h"

struct recorder;

/*
 * path is the file; with size_cap (bytes, 0: none) it is the base name of numbered
 * files path.000001, path.000002, ... of which the newest ones totalling at most
 * size_cap are kept.  An existing recording is appended to; another file is not
 * touched (-EEXIST).  0 or -errno.
 */
int recorder_open(struct recorder **out, const char *path, uint64_t size_cap, const char *host);
void recorder_close(struct recorder *r);

/* Appends s; h is the history the model reads for s (before history_advance).
 * 0 or -errno; a failed write leaves the file ending at its last whole record. */
int recorder_write(struct recorder *r, const struct sample *s, const struct history *h);

/* The file being written now. */
const char *recorder_path(const struct recorder *r);

/* Numbered files: "path.000042" into buf; 0 or -ENAMETOOLONG. */
int recorder_numbered(char *buf, size_t len, const char *base, unsigned long n);

#endif
