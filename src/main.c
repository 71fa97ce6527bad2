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
#include "settings.h"
#include "util/i18n.h"
#include "view/view.h"

static void report_failure(const struct engine *e, int err)
{
	char msg[512];

	if (e->failed_step == SAMPLE_STEP_BPF) {
		char why[160];
		fprintf(stderr, _("%s: eBPF off: %s (--bpf=on needs the probes; --bpf=auto goes without)\n"),
			PACKAGE, output_bpf_reason(e->bpf_status, err, true, why, sizeof(why)));
		return;
	}
	output_failure(msg, sizeof(msg), e->failed_step, err);
	fprintf(stderr, "%s: %s\n", PACKAGE, msg);
}

static void sleep_seconds(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Prints one report; *status gets the worse of itself and this check status with --format=check. */
static int print_report(const struct engine *e, const struct settings *st, const char *host,
			enum check_status *status)
{
	struct report r;

	if (report_prepare(&r, &e->model, st, host) < 0)
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

static int run_batch(struct engine *e, const struct settings *st)
{
	enum check_status status = CHECK_OK;
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	for (long i = 0; i < st->iterations; i++) {
		int err;

		if (i > 0)
			sleep_seconds(st->delay);
		err = engine_refresh(e);
		if (err) {
			report_failure(e, err);
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
		err = print_report(e, st, host, &status);
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
		report_failure(&engine, err);
		return batch_failure(&st);
	}
	if (!st.batch)
		note_bpf_fallback(&engine, rc_warning, sizeof(rc_warning));
	status = st.batch ? run_batch(&engine, &st) : view_run(&engine, &st, rc_warning);
	engine_close(&engine);
	return status;
}
