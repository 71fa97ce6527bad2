/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process names and command lines come from other users' processes: they may hold
 * escape sequences that would drive the admin's terminal.  They are sanitized once,
 * when the sample is taken, so no renderer can forget it.
 */
#ifndef PORTTOP_SANITIZE_H
#define PORTTOP_SANITIZE_H

#include <stddef.h>

/*
 * Copies src (len bytes, may contain NULs) to dst (size dst_len, always terminated):
 * valid UTF-8 printable characters pass, control bytes and invalid UTF-8 become
 * "\xHH", a backslash becomes "\\"; NUL bytes (argv separators) become spaces when
 * nul_as_space, else end the string.  Truncates on a character boundary.
 * Returns the length written.
 */
size_t sanitize_copy(char *dst, size_t dst_len, const char *src, size_t len, int nul_as_space);

#endif
