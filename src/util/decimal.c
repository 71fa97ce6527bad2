/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "decimal.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

/* 10^17 < 2^63: the mantissa of 17 digits is held exactly. */
#define DECIMAL_MAX_DIGITS 17
#define DECIMAL_MAX_EXPONENT 9999

struct decimal_digits {
	unsigned long long mantissa;
	int significant;   /* digits after the leading zeros */
	int read;          /* all digits, leading zeros too */
};

/* Appends the digits at p to d; returns where they end, NULL past 17 significant. */
static const char *decimal_read(const char *p, const char *end, struct decimal_digits *d)
{
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		d->read++;
		if (d->mantissa == 0 && *p == '0')
			continue;
		if (++d->significant > DECIMAL_MAX_DIGITS)
			return NULL;
		d->mantissa = d->mantissa * 10 + (unsigned long long)(*p - '0');
	}
	return p;
}

/* "e-3" at p: the exponent, or -EINVAL; p moves past it. */
static int decimal_exponent(const char **p, const char *end, int *exponent)
{
	const char *q = *p + 1;
	bool negative = false;
	int e = 0, n = 0;

	if (q < end && (*q == '+' || *q == '-'))
		negative = *q++ == '-';
	for (; q < end && *q >= '0' && *q <= '9'; q++, n++) {
		e = e * 10 + (*q - '0');
		if (e > DECIMAL_MAX_EXPONENT)
			return -EINVAL;
	}
	if (n == 0)
		return -EINVAL;
	*exponent = negative ? -e : e;
	*p = q;
	return 0;
}

int decimal_parse(const char *text, size_t len, double *out)
{
	const char *p = text, *end = text + len;
	struct decimal_digits d = { 0 };
	bool negative = false;
	int fraction = 0, exponent = 0, power;
	double v;

	if (p < end && (*p == '+' || *p == '-'))
		negative = *p++ == '-';
	p = decimal_read(p, end, &d);
	if (p && p < end && (*p == '.' || *p == ',')) {
		int before = d.read;

		p = decimal_read(p + 1, end, &d);
		fraction = d.read - before;
	}
	if (!p || d.read == 0)
		return -EINVAL;
	if (p < end && (*p == 'e' || *p == 'E') && decimal_exponent(&p, end, &exponent) < 0)
		return -EINVAL;
	if (p != end)
		return -EINVAL;
	/* mantissa and 10^|power| are exact up to 10^22, so the quotient is rounded once */
	power = exponent - fraction;
	v = (double)d.mantissa;
	v = power >= 0 ? v * pow(10, power) : v / pow(10, -power);
	if (!isfinite(v))
		return -EINVAL;
	*out = negative ? -v : v;
	return 0;
}

int decimal_format(char *buf, size_t len, double v)
{
	const char *sign = v < 0 ? "-" : "";
	long long micro, whole, fraction;
	int places = 6;

	if (!isfinite(v) || fabs(v) >= 1e12)  /* %.0f prints no separator */
		return snprintf(buf, len, "%.0f", v);
	micro = llround(fabs(v) * 1e6);
	whole = micro / 1000000;
	fraction = micro % 1000000;
	if (micro == 0)
		sign = "";
	if (fraction == 0)
		return snprintf(buf, len, "%s%lld", sign, whole);
	while (fraction % 10 == 0) {
		fraction /= 10;
		places--;
	}
	return snprintf(buf, len, "%s%lld.%0*lld", sign, whole, places, fraction);
}
