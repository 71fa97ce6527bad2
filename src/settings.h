/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the user asked for: command line and porttoprc, merged into one struct. */
#ifndef PORTTOP_SETTINGS_H
#define PORTTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include "core/threshold.h"
#include "model/columns.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS, FORMAT_CHECK };
enum source_choice { SOURCE_AUTO, SOURCE_NETLINK_ONLY, SOURCE_PROC_ONLY };
/* --bpf: auto uses the eBPF probes when they load, on insists, off never tries. */
enum bpf_choice { BPF_AUTO, BPF_ON, BPF_OFF };
/* --bpf-pin and --bpf-unpin do only that, then exit. */
enum bpf_action { BPF_ACTION_NONE, BPF_ACTION_PIN, BPF_ACTION_UNPIN };

#define SETTINGS_MAX_PIDS 64

struct settings {
	bool batch;
	long iterations;           /* -1: forever (live default); batch default 1; 0 (-n 0): forever */
	double delay;              /* seconds between refreshes; a replay's pace factor when given */
	bool delay_given;          /* -d on the command line (a replay plays at the recorded pace) */
	enum output_format format;
	const struct column *sort; /* never NULL */
	bool sort_invert;
	pid_t pids[SETTINGS_MAX_PIDS];
	size_t n_pids;
	char user[64];             /* "" = all users */
	char filter[128];          /* command substring, "" = none */
	char container[64];        /* container substring, "-" = the host's, "" = all */
	bool secure;               /* no kill, no socket close, no range change */
	bool show_cmdline;         /* COMMAND shows the full command line */
	bool color;                /* the porttoprc setting, what W saves (default on) */
	bool color_session_off;    /* NO_COLOR or --no-color: off for this run, never saved */
	enum source_choice source;
	enum bpf_choice bpf;
	enum bpf_action bpf_action;
	const char *proc_root;     /* "/proc"; tests may point it elsewhere */
	const char *netns;         /* --netns: name, path or pid; NULL = porttop's own */
	bool all_netns;            /* --all-netns: every network namespace */
	long netns_top;            /* --netns-top: Prometheus labels this many namespaces (10) */
	const char *record_path;   /* -w: record every sample to this file, NULL: none */
	unsigned long long record_size; /* --record-size: bytes kept, 0: no cap */
	const char *replay_path;   /* -r: samples from this recording, NULL: the system */
	const char *begin;         /* --begin, --end: TIME limits of a batch replay, NULL: none */
	const char *end;
	struct threshold warning;  /* check, alerts, colours: fill percentage ranges (default 80) */
	struct threshold critical; /* (default 95) */
	long timeout;              /* check: seconds before UNKNOWN (-t, default 10) */
	int verbose;               /* check: -v lists the top destinations and processes */
	const char *output_file;   /* --output: each refresh replaces this file atomically */
	long top_destinations;     /* batch: destinations listed (default 10) */
	long top_processes;        /* batch: processes listed; -1: all (text, JSON) or 10 */
	double alert_after;        /* seconds a higher level must last before it is raised (0) */
	double leak_age;           /* seconds: a CLOSE_WAIT this old flags its process (60) */
	const char *alert_command; /* --alert-command: run at each alert level change; NULL none */
};

/* The processes a batch output lists: --top-processes, else all or 10 by format. */
long settings_top_processes(const struct settings *st);

void settings_defaults(struct settings *st);
/* Whether this run uses colours: the saved setting, unless turned off for the session. */
bool settings_color(const struct settings *st);

/* A recording alone: -w with -n 0 and neither -b nor the live view asked for. */
bool settings_quiet_record(const struct settings *st);

/*
 * Parses argv.  Returns 0 to go on, 1 when --help or --version was printed (exit 0),
 * or -1 after printing a usage error to stderr (exit 2).
 */
int settings_parse_args(struct settings *st, int argc, char **argv);
/*
 * Whether argv asks for --format=check, looked up without parsing: a usage error of a
 * check must end UNKNOWN (exit 3), as the Monitoring Plugins guidelines ask.
 */
bool settings_args_want_check(int argc, char **argv);
/*
 * A delay as -d, porttoprc and the live view's prompt take it: 0.1 to 86400 seconds,
 * "0.5" or "0,5" (util/decimal.h) in any locale.  0 or -EINVAL.
 */
int settings_parse_delay(const char *text, double *out);

/*
 * porttoprc: "key = value" lines.  Unknown keys and bad values are skipped with a
 * warning written to warn (may be NULL).  A missing file is not an error.  0 or -errno.
 */
int settings_load_rc(struct settings *st, const char *path, char *warn, size_t warn_len);
/*
 * The same from an open stream (what settings_load_rc reads; the fuzzer feeds it):
 * *bad lines were skipped, the first of them line *first_bad.  0 or -errno.
 */
int settings_read_rc(struct settings *st, FILE *fp, unsigned *bad, unsigned *first_bad);
int settings_save_rc(const struct settings *st, const char *path);
/* $XDG_CONFIG_HOME/porttop/porttoprc or ~/.config/porttop/porttoprc; 0 or -ENAMETOOLONG/-ENOENT. */
int settings_rc_path(char *buf, size_t len);

#endif
