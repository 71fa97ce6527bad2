/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thresholds in the Monitoring Plugins range syntax ([@]start:end, "~" for minus
 * infinity, an omitted end for plus infinity, "10" meaning "0:10"), as check plugins
 * take them: a value alerts when it lies outside the range, or inside it with "@".
 * https://www.monitoring-plugins.org/doc/guidelines.html#THRESHOLDFORMAT
 */
#ifndef PORTTOP_THRESHOLD_H
#define PORTTOP_THRESHOLD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The defaults of --warning and --critical, in percent of a pool: check mode, the
 * alerts and the live view's colours share them (porttop(1), ALERTS).
 */
#define THRESHOLD_WARNING_DEFAULT 80
#define THRESHOLD_CRITICAL_DEFAULT 95
/* "80": a default as threshold_parse() reads it */
#define THRESHOLD_TEXT(percent) THRESHOLD_TEXT_(percent)
#define THRESHOLD_TEXT_(percent) #percent

struct threshold {
	double start, end;
	bool start_infinite;   /* "~:" */
	bool end_infinite;     /* "10:" */
	bool inside;           /* "@": alert inside the range instead of outside */
};

/* Parses text into *t; 0, or -EINVAL when text is not a range (start above end too). */
int threshold_parse(const char *text, struct threshold *t);
/* Whether value alerts: outside [start, end], or inside it with "@" (ends included). */
bool threshold_alerts(const struct threshold *t, double value);
/* The range back in the same syntax, shortest form ("90", "@90:100", "~:5"), for perfdata. */
size_t threshold_format(const struct threshold *t, char *buf, size_t len);
/*
 * The fill percentage from which t alerts as a pool fills up, for the alerts' levels:
 * the end of a plain range ("90", "0:90"), the start of an "@" range; 101 (never) when
 * filling up leaves the range alerting less ("10:").
 */
double threshold_rising(const struct threshold *t);
/*
 * Whether a pool exactly at threshold_rising() alerts already: an "@" range includes
 * its start, a plain range alerts only above its end ("80": 80.0 % is OK, as
 * threshold_alerts() and the check plugin judge it).
 */
bool threshold_rising_included(const struct threshold *t);
/*
 * Whether t stops alerting again as the pool fills on past threshold_rising(), and
 * where: an "@" range with an end ("@70:80", "@~:5") alerts up to it, included, and
 * not above (*end set); plain ranges and "@90:" alert up to 100 % once they do.
 */
bool threshold_rising_end(const struct threshold *t, double *end);

#endif
