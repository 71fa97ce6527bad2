/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Two scans of the same sockets' owners compared (test_owners, test_owners_churn):
 * the incremental scan must give what a fresh, full scan gives.
 */
#ifndef PORTTOP_TESTS_SCANCOMPARE_H
#define PORTTOP_TESTS_SCANCOMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/sample.h"

/* True when both samples have the same processes, handles and links. */
bool scancompare_equal(const struct sample *a, const struct sample *b);

/* The same, and when they differ, prints the difference (`when` names the moment). */
bool scancompare_same(const struct sample *inc, const struct sample *full, const char *when);

/*
 * The incremental scan may not have attributed some sockets yet (they are searched
 * for one scan later), but whatever it says must be true: every link it has, the
 * full scan has; a link it lacks is one of a socket it gives no holder at all; and
 * processes both report have the same handles.
 */
bool scancompare_no_wrong_owner(const struct sample *inc, const struct sample *full, const char *when);

/* Adds an established TCP socket of that inode (and cookie) to s. */
void scancompare_add_sock(struct sample *s, uint32_t inode);

/* A full scan's answer: a fresh owners, reading everything under root. */
int scancompare_full_scan(const char *root, const struct sample *socks, struct sample *out);

#endif
