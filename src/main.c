/* SPDX-License-Identifier: GPL-2.0-or-later */
/* porttop: flags and porttoprc -> settings; then the live view or batch output. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpf/probes.h"
#include "engine.h"
#include "output/output.h"
#include "record/replay.h"
#include "record/writer.h"
#include "settings.h"
#include "util/i18n.h"
#include "view/view.h"

static void report_failure(const struct engine *e, const struct settings *st, int err)
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

/* What was wrong with a replayed recording, once, at the end. */
static void report_damage(const struct engine *e, const struct settings *st)
{
	const struct replay_damage *d;

	if (!e->replay)
		return;
	d = replay_damage(e->replay);
	if (d->regions)
		fprintf(stderr, _("%s: %s: %u damaged parts (%llu bytes, the first in %s at offset %llu) "
				  "skipped\n"), PACKAGE, st->replay_path, d->regions,
			(unsigned long long)d->bytes, d->first_file, (unsigned long long)d->first_offset);
	if (d->undecodable)
		fprintf(stderr, _("%s: %s: %u samples could not be rebuilt and were skipped\n"), PACKAGE,
			st->replay_path, d->undecodable);
	if (d->torn)
		fprintf(stderr, _("%s: %s: the last record is incomplete (at offset %llu): the recording "
				  "ends there\n"), PACKAGE, st->replay_path, (unsigned long long)d->torn_offset);
}

static void sleep_seconds(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Prints one report; *status gets the worse of itself and this check status with --format=check. */
static int print_report(const struct engine *e, const struct settings *st, enum check_status *status)
{
	struct report r;

	if (report_prepare(&r, &e->model, st, e->host) < 0)
		return -ENOMEM;
	switch (st->format) {
	case FORMAT_JSON: output_json(stdout, &r); break;
	case FORMAT_PROMETHEUS: output_prometheus(stdout, &r); break;
	case FORMAT_CHECK: {
		/* with -n, the worst sample decides: connect() failing between two samples is CRITICAL */
		enum check_status now = output_check(stdout, &r, st);
		if (now > *status)
			*status = now;
		break;
	}
	case FORMAT_TEXT: output_text(stdout, &r); break;
	}
	report_release(&r);
	if (fflush(stdout) == EOF || ferror(stdout))
		return -EIO;
	return 0;
}

/* A monitoring system reads the first line and the exit code: failures are UNKNOWN there. */
static int batch_failure(const struct settings *st)
{
	if (st->format == FORMAT_CHECK) {
		printf("PORTTOP UNKNOWN - %s\n", _("porttop could not read the system (see its error output)"));
		return CHECK_UNKNOWN;
	}
	return EXIT_FAILURE;
}

/* --bpf=auto without the probes says why, once; --bpf=off asked for it and hears nothing. */
static void note_bpf_fallback(const struct engine *e, char *note, size_t len)
{
	char why[160];

	if (e->bpf_status == PROBE_ON || e->bpf_status == PROBE_OFF_REQUESTED)
		return;
	output_bpf_reason(e->bpf_status, e->bpf_error, true, why, sizeof(why));
	if (note[0])
		return;  /* the live view shows one message: a porttoprc problem comes first */
	snprintf(note, len, _("eBPF off: %s"), why);
}

/* -w FILE -n 0 without -b: records until a signal, printing nothing. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static int run_quiet_record(struct engine *e, const struct settings *st)
{
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGHUP, on_stop);
	for (long i = 0; !stop_signal; i++) {
		int err;

		if (i > 0)
			sleep_seconds(st->delay);
		if (stop_signal)
			break;
		err = engine_refresh(e);
		if (err) {
			report_failure(e, st, err);
			return EXIT_FAILURE;
		}
	}
	return EXIT_SUCCESS;
}

static int run_batch(struct engine *e, const struct settings *st)
{
	enum check_status status = CHECK_OK;

	for (long i = 0; st->iterations == 0 || i < st->iterations; i++) {
		int err;

		if (i > 0 && !e->replay)  /* a replay prints its samples as fast as it reads them */
			sleep_seconds(st->delay);
		err = engine_refresh(e);
		if (err == -ENODATA && e->replay)
			break;
		if (err) {
			report_failure(e, st, err);
			return batch_failure(st);
		}
		if (i == 0) {  /* once porttop could read the system at all */
			char note[200] = "";
			note_bpf_fallback(e, note, sizeof(note));
			if (note[0])
				fprintf(stderr, "%s: %s\n", PACKAGE, note);
		}
		if (e->alertcmd_error)
			fprintf(stderr, _("%s: cannot run --alert-command: %s\n"), PACKAGE,
				strerror(-e->alertcmd_error));
		if ((st->format == FORMAT_TEXT || st->format == FORMAT_PROMETHEUS) && i > 0)
			putchar('\n');
		err = print_report(e, st, &status);
		if (err == -EIO)
			return EXIT_FAILURE; /* stdout closed: a pipe reader went away */
		if (err) {
			fprintf(stderr, _("%s: out of memory\n"), PACKAGE);
			return batch_failure(st);
		}
	}
	return st->format == FORMAT_CHECK ? (int)status : EXIT_SUCCESS;
}

/* --bpf-pin and --bpf-unpin: one step, then exit. */
static int run_bpf_action(const struct settings *st)
{
	enum probe_status why = PROBE_ON;
	char reason[160];
	int err;

	if (st->bpf_action == BPF_ACTION_UNPIN) {
		err = probes_unpin();
		if (err == -ENOENT) {
			fprintf(stderr, _("%s: nothing pinned under %s\n"), PACKAGE, PROBES_PIN_DIR);
			return EXIT_SUCCESS;
		}
		if (err == -EOPNOTSUPP)
			why = PROBE_OFF_NOT_BUILT;
	} else {
		err = probes_pin(st->proc_root, &why);
		if (err == -EEXIST) {
			fprintf(stderr, _("%s: the probes are already pinned under %s\n"), PACKAGE,
				PROBES_PIN_DIR);
			return EXIT_SUCCESS;
		}
	}
	if (!err)
		return EXIT_SUCCESS;
	if (why == PROBE_ON || why == PROBE_OFF_LOAD_FAILED)
		fprintf(stderr, _("%s: %s: %s\n"), PACKAGE, PROBES_PIN_DIR, strerror(-err));
	else
		fprintf(stderr, _("%s: eBPF off: %s\n"), PACKAGE,
			output_bpf_reason(why, err, true, reason, sizeof(reason)));
	return EXIT_FAILURE;
}

int main(int argc, char **argv)
{
	struct settings st;
	struct engine engine;
	char rc_path[4096], rc_warning[512] = "";
	int status, err;

	setlocale(LC_ALL, "");
	/* Figures are printed for machines too (JSON): always with a decimal point. */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);

	settings_defaults(&st);
	if (settings_rc_path(rc_path, sizeof(rc_path)) == 0) {
		err = settings_load_rc(&st, rc_path, rc_warning, sizeof(rc_warning));
		if (err)
			snprintf(rc_warning, sizeof(rc_warning), _("cannot read %s: %s"), rc_path,
				 strerror(-err));
	}
	switch (settings_parse_args(&st, argc, argv)) {
	case 1: return EXIT_SUCCESS;
	case 0: break;
	default: return 2;
	}
	if (st.batch && rc_warning[0])
		fprintf(stderr, "%s: %s\n", PACKAGE, rc_warning);

	if (st.bpf_action != BPF_ACTION_NONE)
		return run_bpf_action(&st);

	/* A reader that goes away (porttop -b | head) ends porttop quietly. */
	signal(SIGPIPE, SIG_IGN);
	err = engine_open(&engine, &st);
	if (err) {
		report_failure(&engine, &st, err);
		return batch_failure(&st);
	}
	if (!st.batch)
		note_bpf_fallback(&engine, rc_warning, sizeof(rc_warning));
	if (settings_quiet_record(&st))
		status = run_quiet_record(&engine, &st);
	else
		status = st.batch ? run_batch(&engine, &st) : view_run(&engine, &st, rc_warning);
	report_damage(&engine, &st);
	engine_close(&engine);
	return status;
}
