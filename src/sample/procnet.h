/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fallback when netlink sock_diag is unavailable: /proc/net/{tcp,tcp6,udp,udp6}. */
#ifndef PORTTOP_PROCNET_H
#define PORTTOP_PROCNET_H

#include <stdio.h>
#include "core/sample.h"

/* Reads all four files under proc_root ("/proc"); a missing tcp6/udp6 is not an error. 0 or -errno. */
int procnet_read(const char *proc_root, struct sample *s);

/* Parses one data line (not the header) of /proc/net/{tcp,udp}[6]; 0 or -EINVAL. */
int procnet_parse_line(const char *line, int protocol, int family, struct sock_rec *rec);

/* Parses a whole file's contents from fp, appending to s; malformed lines are skipped
 * and counted in *skipped (may be NULL).  0 or -errno. */
int procnet_parse_file(FILE *fp, int protocol, int family, struct sample *s, unsigned *skipped);

#endif
