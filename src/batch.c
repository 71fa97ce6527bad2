/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch mode.  With --output the loop is a service (node_exporter's textfile
 * collector reads the file): a refresh or a write that fails is reported on stderr
 * and tried again at the next refresh, and the file says porttop_up 0 meanwhile, so
 * only a single run (-n 1) exits on an error.
 */
#include "batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/output.h"
#include "record/writer.h"
#include "signals.h"
#include "util/i18n.h"

struct batch {
	struct engine *engine;
	const struct settings *st;
	struct report_refresh refresh;  /* of the refresh just done */
	enum check_status status;       /* the worst of the run */
	bool noted_bpf;                 /* the eBPF fallback was said */
};

void batch_report_failure(const struct engine *e, const struct settings *st, int err)
{
	char msg[512];

	if (e->failed_step == SAMPLE_STEP_BPF) {
		char why[160];
		fprintf(stderr, _("%s: eBPF off: %s (--bpf=on needs the probes; --bpf=auto goes without)\n"),
			PACKAGE, output_bpf_reason(e->bpf_status, err, true, why, sizeof(why)));
		return;
	}
	/* a recording's errors name its file; the rest are the sampler's */
	if (e->failed_step == SAMPLE_STEP_REPLAY && err == -EBADMSG)
		snprintf(msg, sizeof(msg), _("%s is not a porttop recording"), st->replay_path);
	else if (e->failed_step == SAMPLE_STEP_REPLAY && err == -EPROTONOSUPPORT)
		snprintf(msg, sizeof(msg), _("%s was recorded by a newer porttop"), st->replay_path);
	else if (e->failed_step == SAMPLE_STEP_REPLAY)
		snprintf(msg, sizeof(msg), _("cannot replay %s: %s"), st->replay_path, strerror(-err));
	else if (e->failed_step == SAMPLE_STEP_RECORD && err == -EEXIST)
		snprintf(msg, sizeof(msg), _("%s exists and is not a porttop recording: not overwritten"),
			 st->record_path);
	else if (e->failed_step == SAMPLE_STEP_RECORD)
		snprintf(msg, sizeof(msg), _("cannot write the recording %s: %s"),
			 e->recorder ? recorder_path(e->recorder) : st->record_path, strerror(-err));
	else
		output_failure(msg, sizeof(msg), e->failed_step, err);
	fprintf(stderr, "%s: %s\n", PACKAGE, msg);
}

/* --bpf=off asked for it and hears nothing. */
void batch_note_bpf_fallback(const struct engine *e, char *note, size_t len)
{
	char why[160];

	if (e->bpf_status == PROBE_ON || e->bpf_status == PROBE_OFF_REQUESTED)
		return;
	output_bpf_reason(e->bpf_status, e->bpf_error, true, why, sizeof(why));
	if (note[0])
		return;  /* the live view shows one message: a porttoprc problem comes first */
	snprintf(note, len, _("eBPF off: %s"), why);
}

/* --alert-command could not be started, or not for every level change of this
 * refresh: one line for all the changes it left out, not one each.  With
 * --all-netns each namespace runs its own commands: name_netns says whose. */
void batch_note_alert_command(const struct engine *e, bool name_netns)
{
	char where[64] = "", msg[256];

	if (!e->alertcmd_error && !e->alertcmd_dropped)
		return;
	if (name_netns)
		snprintf(where, sizeof(where), _("netns %llu: "), (unsigned long long)e->model.netns_inode);
	if (e->alertcmd_error)
		fprintf(stderr, _("%s: %scannot run --alert-command: %s\n"), PACKAGE, where,
			strerror(-e->alertcmd_error));
	if (!e->alertcmd_dropped)
		return;
	output_alert_dropped(msg, sizeof(msg), e->alertcmd_dropped, e->alertcmd_running);
	fprintf(stderr, "%s: %s%s\n", PACKAGE, where, msg);
}

/* A monitoring system reads the first line and the exit code: failures are UNKNOWN there. */
int batch_failure(const struct settings *st)
{
	if (st->format == FORMAT_CHECK) {
		printf("PORTTOP UNKNOWN - %s\n", _("porttop could not read the system (see its error output)"));
		return CHECK_UNKNOWN;
	}
	return EXIT_FAILURE;
}

/*
 * A service (--output in a loop, or -w FILE -n 0 recording quietly) stopped by
 * SIGTERM finishes the file it is writing, so no temporary file or torn record is
 * left behind, and exits 0.
 */
static volatile sig_atomic_t batch_stop;

static void batch_on_signal(int sig)
{
	(void)sig;
	batch_stop = 1;
}

static void batch_catch_stop_signals(void)
{
	signals_catch_quit(batch_on_signal);  /* the sleep ends at once */
}

static void sleep_seconds(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !batch_stop)
		;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* The report of the last refresh to out: the model's, or only the refresh's when it failed. */
static int batch_render(struct batch *b, FILE *out)
{
	struct report r;

	if (!b->refresh.up) {
		output_prometheus_down(out, &b->refresh);
		return 0;
	}
	if (report_prepare(&r, &b->engine->model, b->st, b->engine->host) < 0)
		return -ENOMEM;
	r.refresh = b->refresh;
	switch (b->st->format) {
	case FORMAT_JSON: output_json(out, &r); break;
	case FORMAT_PROMETHEUS: output_prometheus(out, &r); break;
	case FORMAT_CHECK: {
		/* with -n, the worst sample decides: connect() failing between two samples is CRITICAL */
		enum check_status now = output_check(out, &r, b->st);
		if (now > b->status)
			b->status = now;
		break;
	}
	case FORMAT_TEXT: output_text(out, &r); break;
	}
	report_release(&r);
	return 0;
}

static int batch_write_file(struct batch *b)
{
	struct outfile f;
	int err = outfile_open(&f, b->st->output_file);

	if (err)
		return err;
	err = batch_render(b, f.fp);
	if (err) {
		outfile_abort(&f);
		return err;
	}
	return outfile_commit(&f);
}

static int batch_write_stdout(struct batch *b, long i)
{
	int err;

	if ((b->st->format == FORMAT_TEXT || b->st->format == FORMAT_PROMETHEUS) && i > 0)
		putchar('\n');
	err = batch_render(b, stdout);
	if (!err && (fflush(stdout) == EOF || ferror(stdout)))
		return -EPIPE;  /* stdout closed: a pipe reader went away */
	return err;
}

/* What batch_step returns when a replay has no sample left: not an exit status. */
#define BATCH_END (-1)

/* One refresh and its output; 0, BATCH_END, or the exit status that ends the run. */
static int batch_step(struct batch *b, long i, bool service)
{
	struct timespec start;
	bool gone = false;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &start);
	err = engine_refresh(b->engine);
	if (err == -ENODATA && b->engine->replay)
		return BATCH_END;
	b->refresh.up = err == 0;
	/* reading a recording is not the refresh it recorded: no duration for a replay */
	b->refresh.seconds = b->engine->replay ? -1 : seconds_since(&start);
	if (err) {
		batch_report_failure(b->engine, b->st, err);
		/* a service retries, but no retry brings a container's /proc back */
		gone = b->engine->failed_step == SAMPLE_STEP_PROC_GONE;
		/* only the Prometheus file can say "down"; other files keep the last good report */
		if (!service || (gone && b->st->format != FORMAT_PROMETHEUS))
			return batch_failure(b->st);
		if (b->st->format != FORMAT_PROMETHEUS)
			return 0;
	} else {
		b->refresh.last_success = b->engine->model.wall;
		if (!b->noted_bpf) {  /* once porttop could read the system at all */
			char note[200] = "";
			batch_note_bpf_fallback(b->engine, note, sizeof(note));
			if (note[0])
				fprintf(stderr, "%s: %s\n", PACKAGE, note);
			b->noted_bpf = true;
		}
		batch_note_alert_command(b->engine, false);
	}
	err = b->st->output_file ? batch_write_file(b) : batch_write_stdout(b, i);
	if (err == -EPIPE)
		return EXIT_FAILURE;
	if (err == -ENOMEM)
		fprintf(stderr, _("%s: out of memory\n"), PACKAGE);
	else if (err)
		fprintf(stderr, _("%s: cannot write %s: %s\n"), PACKAGE, b->st->output_file, strerror(-err));
	/* the Prometheus file says "down" before a service ends for want of /proc */
	return (err && !service) || gone ? batch_failure(b->st) : 0;
}

int batch_record_quietly(struct engine *e, const struct settings *st)
{
	batch_catch_stop_signals();
	for (long i = 0; !batch_stop; i++) {
		int err;

		if (i > 0)
			sleep_seconds(st->delay);
		if (batch_stop)
			break;
		err = engine_refresh(e);
		if (err) {
			batch_report_failure(e, st, err);
			return EXIT_FAILURE;
		}
		batch_note_alert_command(e, false);
	}
	return EXIT_SUCCESS;
}

int batch_run(struct engine *e, const struct settings *st)
{
	struct batch b = { .engine = e, .st = st, .status = CHECK_OK };
	bool forever = st->iterations <= 0;
	/* a loop that writes a file is a service: an error waits for the next refresh */
	bool service = st->output_file && st->iterations != 1;

	if (service)
		batch_catch_stop_signals();
	for (long i = 0; (forever || i < st->iterations) && !batch_stop; i++) {
		int rc;

		if (i > 0 && !e->replay)  /* a replay prints its samples as fast as it reads them */
			sleep_seconds(st->delay);
		if (batch_stop)
			break;
		rc = batch_step(&b, i, service);
		if (rc == BATCH_END)
			break;
		if (rc)
			return rc;
	}
	return st->format == FORMAT_CHECK ? (int)b.status : EXIT_SUCCESS;
}
