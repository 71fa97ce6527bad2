/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"

#include <errno.h>
#include <string.h>

#include "actions/alertcmd.h"
#include "bpf/probes.h"

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

int engine_open(struct engine *e, const struct settings *st)
{
	struct source_options opt = { mode_of(st->source), st->proc_root, st->netns };
	int err;

	memset(e, 0, sizeof(*e));
	sample_init(&e->sample);
	model_init(&e->model);
	e->model.options = (struct model_options){ st->leak_age, st->warning, st->critical, st->alert_after };
	e->failed_step = SAMPLE_STEP_MEMORY;
	e->history = history_new();
	if (!e->history)
		return -ENOMEM;
	err = alertcmd_new(&e->alertcmd, st->alert_command);
	if (!err)
		err = open_probes(e, st);
	if (!err)
		err = source_open(&e->source, &opt, &e->failed_step);
	if (err) {
		alertcmd_free(e->alertcmd);
		e->alertcmd = NULL;
		probes_close(e->probes);
		e->probes = NULL;
		history_free(e->history);
		e->history = NULL;
	}
	return err;
}

void engine_close(struct engine *e)
{
	source_close(e->source);
	probes_close(e->probes);
	sample_free(&e->sample);
	model_free(&e->model);
	history_free(e->history);
	alertcmd_free(e->alertcmd);
	memset(e, 0, sizeof(*e));
}

int engine_refresh(struct engine *e)
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
	return source_write_range(e->source, low, high);
}

int engine_close_socket(struct engine *e, const struct sock_rec *rec)
{
	return source_destroy_socket(e->source, rec);
}
