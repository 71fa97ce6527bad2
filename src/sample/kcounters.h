/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's counters of the namespace the calling thread is in (core/counters.h). */
#ifndef PORTTOP_KCOUNTERS_H
#define PORTTOP_KCOUNTERS_H

#include "core/counters.h"

/*
 * Reads what it can under proc_root ("/proc") into c: a file that is missing
 * (conntrack not loaded) or unreadable leaves its counters unknown, which is not an
 * error.  Always 0; the return is kept for -ENOMEM.
 */
int kcounters_read(const char *proc_root, struct kernel_counters *c);

#endif
