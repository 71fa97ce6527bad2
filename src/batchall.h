/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PORTTOP_BATCHALL_H
#define PORTTOP_BATCHALL_H

#include "output/output.h"
#include "settings.h"

/*
 * st->iterations refreshes of every network namespace, printed in st->format to
 * stdout; *status gets the check status.  0, -EIO when stdout failed, or -errno
 * when /proc could not be listed or memory ran out.
 */
int batchall_run(const struct settings *st, const char *host, enum check_status *status);

#endif
