/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One refresh, the same for every mode: sample the system, build the model, and
 * remember owners for the next round.  Batch output and the live view both call this.
 */
#ifndef PORTTOP_ENGINE_H
#define PORTTOP_ENGINE_H

#include "actions/range.h"
#include "model/details.h"
#include "model/model.h"
#include "core/sample.h"
#include "sample/source.h"
#include "settings.h"

struct probes;
struct alertcmd;
struct recorder;
struct replay;

struct engine {
	struct source *source;     /* the system, or NULL while replaying */
	struct probes *probes;     /* NULL without eBPF; see bpf_status */
	enum probe_status bpf_status;
	int bpf_error;             /* -errno behind bpf_status, 0 if none */
	struct replay *replay;     /* -r: samples from a recording */
	struct recorder *recorder; /* -w: every sample also goes to a recording */
	size_t replay_next;        /* replay: the sample the next refresh reads */
	size_t replay_at;          /* and the one the model shows */
	size_t replay_end;         /* --end: samples from here on are not read */
	char host[256];            /* the recording's host while replaying */
	struct sample sample;
	struct model model;
	struct history *history;
	enum sample_step failed_step;  /* after an error: which step */
	struct alertcmd *alertcmd;     /* --alert-command, NULL without */
	int alertcmd_error;            /* -errno of the last refresh's failed start, 0 if none */
	size_t alertcmd_dropped;       /* its level changes not run: too many commands ran */
	size_t alertcmd_running;       /* the commands still running then */
};

/* 0 or -errno; on error nothing is left to free (see failed_step). */
int engine_open(struct engine *e, const struct settings *st);
void engine_close(struct engine *e);

/* The namespace e looks into from its opening on (its model knows it only after a
 * refresh): the source's, or the recording's as last read; 0 if unknown. */
uint64_t engine_netns_inode(const struct engine *e);

/* Takes a sample and rebuilds e->model.  0 or -errno (see e->failed_step); a replay
 * returns -ENODATA after its last sample (or --end). */
int engine_refresh(struct engine *e);

/* Replay only: the next refresh reads sample i (clamped to the recording). */
void engine_seek(struct engine *e, size_t i);
/* Replay only: the next refresh reads the first sample at or after TIME (as --begin
 * takes it, HH:MM on the day of the sample shown).  0, -EINVAL, -ENODATA (none). */
int engine_seek_time(struct engine *e, const char *text);
/* Replay only: the samples there are; engine_replay_follow reads what a recorder
 * has written since. */
size_t engine_replay_count(const struct engine *e);
void engine_replay_follow(struct engine *e);
/* Replay only: seconds the recorder waited between the sample shown and the next,
 * 0 when it is the last. */
double engine_replay_gap(const struct engine *e);

/*
 * What the view asks of the last sample without reaching into it: one process's
 * sockets (details_compute), a range proposal checked against the sockets now
 * (range_check), closing one socket through the source that listed it.
 */
int engine_details(const struct engine *e, pid_t pid, unsigned long long start_time,
		   struct details *out);
void engine_check_range(const struct engine *e, const char *text, struct range_check *out);
/* 0, -EOPNOTSUPP when the source cannot, or -errno from the kernel. */
/* Writes the range of the namespace being watched and reads it back.  0 or -errno. */
int engine_write_range(struct engine *e, int low, int high);
int engine_close_socket(struct engine *e, const struct sock_rec *rec);

#endif
