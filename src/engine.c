/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions/alertcmd.h"
#include "bpf/probes.h"
#include "record/replay.h"
#include "record/timearg.h"
#include "record/writer.h"

static enum source_mode mode_of(enum source_choice c)
{
	switch (c) {
	case SOURCE_NETLINK_ONLY: return SOURCE_MODE_NETLINK;
	case SOURCE_PROC_ONLY: return SOURCE_MODE_PROC;
	case SOURCE_AUTO: break;
	}
	return SOURCE_MODE_AUTO;
}

/* --bpf=auto falls back to the sampler alone, --bpf=on gives up: the error says why. */
static int open_probes(struct engine *e, const struct settings *st)
{
	if (st->bpf == BPF_OFF) {
		e->bpf_status = PROBE_OFF_REQUESTED;
		return 0;
	}
	e->bpf_error = probes_open(&e->probes, st->proc_root, &e->bpf_status);
	if (e->bpf_error && st->bpf == BPF_ON) {
		e->failed_step = SAMPLE_STEP_BPF;
		return e->bpf_error;
	}
	return 0;
}

/* --begin and --end as sample positions; -EINVAL when either is no time. */
static int replay_limits(struct engine *e, const struct settings *st)
{
	size_t n = replay_count(e->replay);
	struct timespec first = n ? replay_time(e->replay, 0) : (struct timespec){ 0 };
	time_t t;

	e->replay_end = SIZE_MAX;
	if (st->begin) {
		e->failed_step = SAMPLE_STEP_REPLAY_TIME;
		if (timearg_parse(st->begin, first.tv_sec, &t) < 0)
			return -EINVAL;
		e->replay_next = replay_find(e->replay, t);
	}
	if (st->end) {
		e->failed_step = SAMPLE_STEP_REPLAY_TIME;
		if (timearg_parse(st->end, first.tv_sec, &t) < 0)
			return -EINVAL;
		e->replay_end = replay_find(e->replay, t + 1);
	}
	return 0;
}

static int open_replay(struct engine *e, const struct settings *st)
{
	int err;

	e->failed_step = SAMPLE_STEP_REPLAY;
	err = replay_open(&e->replay, st->replay_path);
	if (!err)
		err = replay_limits(e, st);
	if (!err)
		snprintf(e->host, sizeof(e->host), "%s", replay_header(e->replay)->host);
	return err;
}

static int open_system(struct engine *e, const struct settings *st)
{
	struct source_options opt = { mode_of(st->source), st->proc_root, st->netns };
	int err;

	gethostname(e->host, sizeof(e->host) - 1);
	err = open_probes(e, st);
	if (!err)
		err = source_open(&e->source, &opt, &e->failed_step);
	if (!err && st->record_path) {
		e->failed_step = SAMPLE_STEP_RECORD;
		err = recorder_open(&e->recorder, st->record_path, st->record_size, e->host);
	}
	return err;
}

/* The alerts' levels from --warning and --critical (core/threshold.h). */
static void engine_options(struct model_options *o, const struct settings *st)
{
	*o = (struct model_options){
		.leak_age = st->leak_age,
		.warning = threshold_rising(&st->warning),
		.critical = threshold_rising(&st->critical),
		.alert_after = st->alert_after,
		.warning_included = threshold_rising_included(&st->warning),
		.critical_included = threshold_rising_included(&st->critical),
	};
	o->warning_ends = threshold_rising_end(&st->warning, &o->warning_end);
	o->critical_ends = threshold_rising_end(&st->critical, &o->critical_end);
}

int engine_open(struct engine *e, const struct settings *st)
{
	int err;

	memset(e, 0, sizeof(*e));
	sample_init(&e->sample);
	model_init(&e->model);
	engine_options(&e->model.options, st);
	e->failed_step = SAMPLE_STEP_MEMORY;
	e->history = history_new();
	if (!e->history)
		return -ENOMEM;
	/* a replay raises its alerts on the screen, but runs no command for the past */
	err = st->replay_path ? 0 : alertcmd_new(&e->alertcmd, st->alert_command);
	if (!err)
		err = st->replay_path ? open_replay(e, st) : open_system(e, st);
	if (err) {
		/* what failed and why the probes are off outlive the rest, for the message */
		enum sample_step step = e->failed_step;
		enum probe_status bpf_status = e->bpf_status;

		engine_close(e);
		e->failed_step = step;
		e->bpf_status = bpf_status;
	}
	return err;
}

uint64_t engine_netns_inode(const struct engine *e)
{
	return e->source ? source_netns_inode(e->source) : e->model.netns_inode;
}

void engine_close(struct engine *e)
{
	replay_close(e->replay);
	recorder_close(e->recorder);
	source_close(e->source);
	probes_close(e->probes);
	sample_free(&e->sample);
	model_free(&e->model);
	history_free(e->history);
	alertcmd_free(e->alertcmd);
	memset(e, 0, sizeof(*e));
}

/*
 * A replay that starts at sample `target` (--begin) or jumps to it (a seek): the
 * forecast reads the pools of the minute before, so those samples are built into
 * models again as the recording run built them, and the rates and forecasts of
 * `target` come out as that run printed them.
 */
static int replay_warm_up(struct engine *e, size_t target)
{
	size_t from = target > HISTORY_TREND_SAMPLES ? target - HISTORY_TREND_SAMPLES : 0;
	time_t at = replay_time(e->replay, target).tv_sec;
	int err = 0;

	history_forget_trend(e->history);
	for (size_t j = from; j < target && !err; j++) {
		if (replay_time(e->replay, j).tv_sec + HISTORY_TREND_SECONDS + 1 < at)
			continue;
		err = replay_read(e->replay, j, &e->sample, e->history);
		if (err == -EBADMSG) {
			err = 0;
			continue;
		}
		if (!err)
			err = model_build(&e->model, &e->sample, e->history);
		if (!err)
			err = history_advance(e->history, &e->sample);
		if (!err)
			history_record(e->history, &e->model);
	}
	return err;
}

/* The next sample of the recording that can be rebuilt; damaged ones are skipped
 * (replay_damage counts them). */
static int replay_sample(struct engine *e)
{
	e->failed_step = SAMPLE_STEP_REPLAY;
	if (e->replay_next != e->replay_at + 1 && e->replay_next < replay_count(e->replay) &&
	    e->replay_next < e->replay_end) {
		int err = replay_warm_up(e, e->replay_next);
		if (err)
			return err;
	}
	if (e->replay_next >= replay_count(e->replay))
		replay_follow(e->replay);  /* a recorder may have written more since */
	for (;;) {
		int err = e->replay_next >= e->replay_end ? -ENODATA
			: replay_read(e->replay, e->replay_next, &e->sample, e->history);

		if (err == -EBADMSG) {
			e->replay_next++;
			continue;
		}
		if (err)
			return err;
		e->replay_at = e->replay_next++;
		snprintf(e->host, sizeof(e->host), "%s", replay_host(e->replay));
		return 0;
	}
}

static int system_sample(struct engine *e)
{
	int err = source_sample(e->source, &e->sample, &e->failed_step);

	if (err)
		return err;
	e->sample.probes.status = e->bpf_status;
	e->sample.probes.error = e->bpf_error;
	if (e->probes) {
		e->failed_step = SAMPLE_STEP_BPF_MAPS;
		err = probes_read(e->probes, &e->sample);
		if (err)
			return err;
	}
	if (e->recorder) {
		e->failed_step = SAMPLE_STEP_RECORD;
		err = recorder_write(e->recorder, &e->sample, e->history);
	}
	return err;
}

int engine_refresh(struct engine *e)
{
	int err = e->replay ? replay_sample(e) : system_sample(e);

	if (err)
		return err;
	e->failed_step = SAMPLE_STEP_MEMORY;  /* the model and the history only allocate */
	err = model_build(&e->model, &e->sample, e->history);
	if (!err)
		err = history_advance(e->history, &e->sample);
	if (err)
		return err;
	history_record(e->history, &e->model);
	e->failed_step = SAMPLE_STEP_NONE;
	/* a command that cannot start is said, but the figures are still good */
	e->alertcmd_error = alertcmd_run(e->alertcmd, &e->model);
	e->alertcmd_dropped = alertcmd_dropped(e->alertcmd);
	e->alertcmd_running = alertcmd_running(e->alertcmd);
	return 0;
}

int engine_details(const struct engine *e, pid_t pid, unsigned long long start_time,
		   struct details *out)
{
	int err = details_compute(out, &e->sample, e->history, pid, start_time);

	return err ? err : details_breakdown(out, &e->model, e->history);
}

void engine_check_range(const struct engine *e, const char *text, struct range_check *out)
{
	range_check(text, &e->sample, &e->model, out);
}

int engine_write_range(struct engine *e, int low, int high)
{
	return e->source ? source_write_range(e->source, low, high) : -EOPNOTSUPP;
}

int engine_close_socket(struct engine *e, const struct sock_rec *rec)
{
	return e->source ? source_destroy_socket(e->source, rec) : -EOPNOTSUPP;
}

void engine_seek(struct engine *e, size_t i)
{
	size_t n = replay_count(e->replay);

	e->replay_next = i < n ? i : n ? n - 1 : 0;
}

int engine_seek_time(struct engine *e, const char *text)
{
	time_t t;
	size_t i;

	if (timearg_parse(text, e->sample.wall.tv_sec, &t) < 0)
		return -EINVAL;
	i = replay_find(e->replay, t);
	if (i >= replay_count(e->replay))
		return -ENODATA;
	e->replay_next = i;
	return 0;
}

double engine_replay_gap(const struct engine *e)
{
	struct timespec a, b;

	if (e->replay_at + 1 >= replay_count(e->replay))
		return 0;
	a = replay_time(e->replay, e->replay_at);
	b = replay_time(e->replay, e->replay_at + 1);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

size_t engine_replay_count(const struct engine *e)
{
	return replay_count(e->replay);
}

void engine_replay_follow(struct engine *e)
{
	replay_follow(e->replay);  /* a failed look is tried again on the next call */
}
