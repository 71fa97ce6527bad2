/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The replay source (-r FILE): samples from a recording instead of the system.  The
 * engine runs the model, every renderer and the live view on them exactly as on
 * live samples.  FILE is one recording, a directory of them, or the base name of
 * numbered files (--record-size); new records and files are picked up by
 * replay_follow, like tail -f.
 */
#ifndef PORTTOP_RECORD_REPLAY_H
#define PORTTOP_RECORD_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/sample.h"
#include "model/model.h"
#include "record/format.h"

struct replay;

/* What was wrong with the files, for main.c to put into words. */
struct replay_damage {
	unsigned regions;          /* damaged stretches stepped over */
	uint64_t bytes;            /* their size */
	char first_file[256];      /* where the first was (basename) */
	uint64_t first_offset;
	unsigned undecodable;      /* intact records whose sample could not be rebuilt */
	bool torn;                 /* the last file ends in an incomplete record */
	uint64_t torn_offset;
};

/* 0, -ENOENT (no recording there), -EBADMSG (not a recording), -errno. */
int replay_open(struct replay **out, const char *path);
void replay_close(struct replay *r);

const struct record_header *replay_header(const struct replay *r);
/* The recorder's host name, as the last key sample read (or the header) gives it. */
const char *replay_host(const struct replay *r);
const struct replay_damage *replay_damage(const struct replay *r);
size_t replay_count(const struct replay *r);
/* Time of sample i (i < replay_count). */
struct timespec replay_time(const struct replay *r, size_t i);
/* The first sample at or after t; replay_count when none. */
size_t replay_find(const struct replay *r, time_t t);

/*
 * Sample i into out.  h is the model's history: after sample i-1 had been read
 * and advanced, it is right as it is; for any other i it is rebuilt from the key
 * sample before i.  0, -ENODATA (no sample i), -EBADMSG (sample i cannot be rebuilt:
 * its record or one it depends on was damaged), -errno.
 */
int replay_read(struct replay *r, size_t i, struct sample *out, struct history *h);

/* Indexes records written since; 0 or -errno.  replay_count grows. */
int replay_follow(struct replay *r);

#endif
