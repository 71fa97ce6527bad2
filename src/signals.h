/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signals that end porttop (SIGTERM, SIGINT, SIGHUP), caught the same way by the
 * live view and the batch loops.
 */
#ifndef PORTTOP_SIGNALS_H
#define PORTTOP_SIGNALS_H

/*
 * Calls handler on SIGTERM, SIGINT and SIGHUP, without SA_RESTART so that a blocked
 * read or sleep ends at once; each signal that was ignored when porttop started
 * stays ignored.
 */
void signals_catch_quit(void (*handler)(int));

#endif
