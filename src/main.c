/* porttop: flags and porttoprc -> settings; then the live view or batch output. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batchall.h"
#include "engine.h"
#include "output/output.h"
#include "settings.h"
#include "util/i18n.h"
#include "view/view.h"

static void report_failure(const struct engine *e, int err)
{
	char msg[512];

	output_failure(msg, sizeof(msg), e->failed_step, err);
	fprintf(stderr, "%s: %s\n", PACKAGE, msg);
}

static void sleep_seconds(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Prints one report; *status gets the check status with --format=check. */
static int print_report(const struct engine *e, const struct settings *st, const char *host,
			enum check_status *status)
{
	struct report r;

	if (report_prepare(&r, &e->model, st, host) < 0)
		return -ENOMEM;
	switch (st->format) {
	case FORMAT_JSON: output_json(stdout, &r); break;
	case FORMAT_PROMETHEUS: output_prometheus(stdout, &r); break;
	case FORMAT_CHECK: *status = output_check(stdout, &r, st); break;
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

static int run_batch_all(const struct settings *st)
{
	enum check_status status;
	char host[256] = "";
	int err;

	gethostname(host, sizeof(host) - 1);
	err = batchall_run(st, host, &status, sleep_seconds);
	if (err == -EIO)
		return EXIT_FAILURE;
	if (err) {
		fprintf(stderr, _("%s: cannot list the network namespaces: %s\n"), PACKAGE, strerror(-err));
		return batch_failure(st);
	}
	return st->format == FORMAT_CHECK ? (int)status : EXIT_SUCCESS;
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

	/* A reader that goes away (porttop -b | head) ends porttop quietly. */
	signal(SIGPIPE, SIG_IGN);
	if (st.batch && st.all_netns)
		return run_batch_all(&st);
	err = engine_open(&engine, &st);
	if (err) {
		report_failure(&engine, err);
		return batch_failure(&st);
	}
	status = st.batch ? run_batch(&engine, &st) : view_run(&engine, &st, rc_warning);
	engine_close(&engine);
	return status;
}
