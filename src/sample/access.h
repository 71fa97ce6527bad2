/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which other processes' fd tables porttop's credentials open to it: read once, so
 * that "processes could not be read" can say why.
 */
#ifndef PORTTOP_ACCESS_H
#define PORTTOP_ACCESS_H

#include <sys/types.h>
#include "core/sample.h"

/*
 * Decides from the effective uid, the text of /proc/self/status (its CapEff line)
 * and of /proc/self/uid_map; NULL texts are unknown.
 */
enum owner_access access_decide(uid_t euid, const char *status, const char *uid_map);

/* Reads proc_root's self/status and self/uid_map for access_decide. */
enum owner_access access_probe(const char *proc_root);

#endif
