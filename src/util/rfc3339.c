/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rfc3339.h"

#include <stdio.h>

size_t rfc3339_format(char *buf, size_t len, const struct tm *tm, long nsec)
{
	/* strftime's %z is "+0100"; RFC 3339 wants "+01:00", so the offset is written here */
	long minutes = tm->tm_gmtoff / 60, east = minutes < 0 ? -minutes : minutes;
	int n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ld%c%02ld:%02ld",
			 tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
			 tm->tm_sec, nsec / 1000000, minutes < 0 ? '-' : '+', east / 60, east % 60);

	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	return (size_t)n;
}
