/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decimal numbers that people type and files keep, read and written the same under
 * every locale.  The live view and the text output print figures with the locale's
 * decimal separator, as top does, so a delay shown as "0,5" must read back, and so
 * must "0.5"; porttoprc must read the same whatever LC_NUMERIC the next run has.
 * strtod() and printf("%g") follow LC_NUMERIC, so neither is used here.
 */
#ifndef PORTTOP_DECIMAL_H
#define PORTTOP_DECIMAL_H

#include <stddef.h>

/*
 * text[0..len) as a finite number: [+-]digits[(.|,)digits][(e|E)[+-]digits], with a
 * digit before the exponent and at most 17 significant digits; a comma is a decimal
 * point, as top's mkfloat() takes it.  Nothing else: no spaces, hex, "inf" or "nan".
 * 0, or -EINVAL (*out unchanged).
 */
int decimal_parse(const char *text, size_t len, double *out);
/*
 * v with a '.' and at most 6 decimals, trailing zeros dropped ("0.5", "2", "-1.25");
 * beyond 10^12 in whole units.  Returns what snprintf returns.
 */
int decimal_format(char *buf, size_t len, double v);

#endif
