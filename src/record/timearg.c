/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "record/timearg.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* "Z", "+01:00", "-0530" after the time: seconds east of UTC; -EINVAL otherwise. */
static int parse_zone(const char *z, long *east)
{
	int h, m = 0, n = 0;

	if (strcmp(z, "Z") == 0) {
		*east = 0;
		return 0;
	}
	if ((z[0] != '+' && z[0] != '-') ||
	    (sscanf(z + 1, "%2d:%2d%n", &h, &m, &n) != 2 && sscanf(z + 1, "%2d%2d%n", &h, &m, &n) != 2) ||
	    z[1 + n] != '\0' || h < 0 || h > 23 || m < 0 || m > 59)
		return -EINVAL;
	*east = (z[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return 0;
}

/* "HH:MM" or "HH:MM:SS" at text; the length taken, 0 when it is none. */
static int parse_clock(const char *text, struct tm *tm)
{
	int n = 0;

	tm->tm_sec = 0;
	if (sscanf(text, "%2d:%2d:%2d%n", &tm->tm_hour, &tm->tm_min, &tm->tm_sec, &n) != 3 &&
	    sscanf(text, "%2d:%2d%n", &tm->tm_hour, &tm->tm_min, &n) != 2)
		return 0;
	if (tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
	    tm->tm_sec < 0 || tm->tm_sec > 60)
		return 0;
	return n;
}

/* Seconds since the epoch of a broken-down UTC time (timegm is not POSIX). */
static time_t utc_seconds(const struct tm *tm)
{
	long y = tm->tm_year + 1900L, m = tm->tm_mon + 1L;
	long days;

	y -= m <= 2;  /* days from civil: Howard Hinnant's algorithm */
	long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + tm->tm_mday - 1;
	days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return (time_t)(days * 86400L + tm->tm_hour * 3600L + tm->tm_min * 60L + tm->tm_sec);
}

static int parse_date_time(const char *text, time_t *out)
{
	struct tm tm;
	int n = 0, c;
	long east;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 ||
	    (text[n] != 'T' && text[n] != ' ') || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31)
		return -EINVAL;
	c = parse_clock(text + n + 1, &tm);
	if (!c)
		return -EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	text += n + 1 + c;
	if (*text) {
		if (parse_zone(text, &east) < 0)
			return -EINVAL;
		*out = utc_seconds(&tm) - east;
		return 0;
	}
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -EINVAL : 0;
}

int timearg_parse(const char *text, time_t reference, time_t *out)
{
	struct tm tm;
	int n;

	if (strchr(text, '-'))
		return parse_date_time(text, out);
	if (!localtime_r(&reference, &tm))
		return -EINVAL;
	n = parse_clock(text, &tm);
	if (!n || text[n] != '\0')
		return -EINVAL;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	if (*out == (time_t)-1)
		return -EINVAL;
	if (*out + 60 < reference) {  /* the next day's */
		tm.tm_mday++;
		tm.tm_isdst = -1;
		*out = mktime(&tm);
	}
	return 0;
}
