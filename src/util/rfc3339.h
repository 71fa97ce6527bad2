/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Times as RFC 3339, "2026-12-02T05:40:40.123+01:00": the one format of JSON's times,
 * the text header's and --alert-command's PORTTOP_ALERT_SINCE, so that a script can
 * match an alert's SINCE against the JSON's since as plain strings.
 */
#ifndef PORTTOP_RFC3339_H
#define PORTTOP_RFC3339_H

#include <stddef.h>
#include <time.h>

/* RFC3339_LEN holds any of them, with its NUL. */
#define RFC3339_LEN 40

/*
 * tm (from localtime_r, which reads the time zone: the caller's layer does) and the
 * nanoseconds of the second into buf; its length, or 0 with "" when len is too short.
 */
size_t rfc3339_format(char *buf, size_t len, const struct tm *tm, long nsec);

#endif
