/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Batch mode: -n refreshes (0: forever), each printed to stdout or to --output's file. */
#ifndef PORTTOP_BATCH_H
#define PORTTOP_BATCH_H

#include "engine.h"
#include "settings.h"

/* Runs the refreshes; returns the exit status (the check status with --format=check). */
int batch_run(struct engine *e, const struct settings *st);
/* What a check prints and exits with when the system cannot be read; 1 otherwise. */
int batch_failure(const struct settings *st);
/* -w FILE -n 0 without -b: records until SIGTERM, SIGINT or SIGHUP, printing nothing. */
int batch_record_quietly(struct engine *e, const struct settings *st);
/* Says why a refresh failed, on stderr (a recording's errors name its file). */
void batch_report_failure(const struct engine *e, const struct settings *st, int err);
/* On stderr: --alert-command failed or left level changes out at the last refresh. */
void batch_note_alert_command(const struct engine *e, bool name_netns);
/* --bpf=auto without the probes says why, once, in note (left alone when it holds a message). */
void batch_note_bpf_fallback(const struct engine *e, char *note, size_t len);

#endif
