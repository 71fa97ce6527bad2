/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Monitoring Plugins range syntax, parsed strictly: a bad range is a usage error.
 * The numbers are decimal only (util/decimal.h: "5.5" or "5,5", never "0x10" or "inf"),
 * and printed back with a '.' for the perfdata, whatever the locale.
 */
#include "threshold.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/decimal.h"

int threshold_parse(const char *text, struct threshold *t)
{
	const char *colon;
	struct threshold r = { 0 };

	if (*text == '@') {
		r.inside = true;
		text++;
	}
	colon = strchr(text, ':');
	if (!colon) {  /* "10" is "0:10" */
		if (decimal_parse(text, strlen(text), &r.end) < 0)
			return -EINVAL;
	} else {
		if (colon - text == 1 && text[0] == '~')
			r.start_infinite = true;
		else if (decimal_parse(text, (size_t)(colon - text), &r.start) < 0)
			return -EINVAL;
		if (colon[1] == '\0')
			r.end_infinite = true;
		else if (decimal_parse(colon + 1, strlen(colon + 1), &r.end) < 0)
			return -EINVAL;
	}
	if (!r.start_infinite && !r.end_infinite && r.start > r.end)
		return -EINVAL;
	*t = r;
	return 0;
}

bool threshold_alerts(const struct threshold *t, double value)
{
	bool in = (t->start_infinite || value >= t->start) && (t->end_infinite || value <= t->end);

	return t->inside ? in : !in;
}

size_t threshold_format(const struct threshold *t, char *buf, size_t len)
{
	char start[32] = "", end[32] = "";
	int n;

	if (t->start_infinite)
		strcpy(start, "~");
	else if (t->start != 0 || t->inside)
		decimal_format(start, sizeof(start), t->start);
	if (!t->end_infinite)
		decimal_format(end, sizeof(end), t->end);
	if (!start[0] && !t->end_infinite)
		n = snprintf(buf, len, "%s%s", t->inside ? "@" : "", end);
	else
		n = snprintf(buf, len, "%s%s:%s", t->inside ? "@" : "", start[0] ? start : "0", end);
	return n < 0 ? 0 : (size_t)n;
}

double threshold_rising(const struct threshold *t)
{
	if (t->inside)
		return t->start_infinite ? 0 : t->start;
	return t->end_infinite ? 101 : t->end;
}

bool threshold_rising_included(const struct threshold *t)
{
	return t->inside;
}

/* A plain range's lower alerting side ("10:20" below 10) is never reached by filling
 * up past its end (threshold_rising), so only an "@" range has an end that matters. */
bool threshold_rising_end(const struct threshold *t, double *end)
{
	if (!t->inside || t->end_infinite)
		return false;
	*end = t->end;
	return true;
}
