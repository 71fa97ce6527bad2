/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The port sysctls of porttop's own network namespace: read, parse, and write. */
#ifndef PORTTOP_SYSCTL_H
#define PORTTOP_SYSCTL_H

#include <stddef.h>
#include "core/sample.h"

/* Reads all port sysctls under proc_root ("/proc").  0 or -errno (range unreadable). */
int sysctl_read(const char *proc_root, struct port_sysctls *sys);

/* "32768\t60999\n" -> low, high.  0 or -EINVAL. */
int sysctl_parse_range(const char *text, int *low, int *high);

/* The kernel's list format "8080,9000-9100\n" (or empty) -> bitmap.  0 or -EINVAL. */
int sysctl_parse_reserved(const char *text, uint8_t bitmap[SAMPLE_PORT_COUNT / 8]);

/* A single non-negative integer.  0 or -EINVAL. */
int sysctl_parse_int(const char *text, int *value);

/* Writes the range and reads it back; 0, -errno from the kernel, or -EIO if it did not stick. */
int sysctl_write_range(const char *proc_root, int low, int high);

#endif
