/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TIME as --begin, --end and the replay view's `b` take it. */
#ifndef PORTTOP_RECORD_TIMEARG_H
#define PORTTOP_RECORD_TIMEARG_H

#include <time.h>

/*
 * "2026-12-01T10:26:22" (ISO 8601; a space for the T, seconds optional, Z or
 * +HH:MM for a zone other than the local one), or "10:26[:22]": that time of day
 * on the day of reference, the day after when it would be more than a minute before
 * reference (a recording over midnight).  0 or -EINVAL.
 */
int timearg_parse(const char *text, time_t reference, time_t *out);

#endif
