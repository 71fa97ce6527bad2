/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The value parsers the flags (settings.c) and porttoprc (settingsrc.c) share, so
 * that a value means the same in both.  Each returns 0, or -EINVAL and leaves its
 * output alone.
 */
#ifndef PORTTOP_SETTINGS_PARSE_H
#define PORTTOP_SETTINGS_PARSE_H

#include <stddef.h>

#include "settings.h"

/* -d, porttoprc delay: 0.1 to 86400 seconds. */
int settings_parse_delay(const char *text, double *out);
/* --alert-after, --leak-age: seconds from 0 up to a day. */
int settings_parse_seconds(const char *text, double *out);
/* A --sort field name (the column table's keys). */
int settings_parse_sort(struct settings *st, const char *text);
/* --bpf: auto, on or off. */
int settings_parse_bpf(struct settings *st, const char *text);
/* A string setting (user, filter, container) into dst of len bytes: -EINVAL if too long. */
int settings_copy_string(char *dst, size_t len, const char *src);

#endif
