/* porttop: flags and porttoprc -> settings; then the live view or batch output. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "engine.h"
#include "output/output.h"
#include "settings.h"
#include "util/i18n.h"
#include "view/view.h"

/* -t: a check that hangs (a namespace file that never opens, a stuck /proc) ends UNKNOWN. */
static char timeout_message[256];
static size_t timeout_length;

static void timeout_expired(int sig)
{
	(void)sig;
	/* only async-signal-safe calls: the message was made before the alarm was set */
	if (write(STDOUT_FILENO, timeout_message, timeout_length) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(CHECK_UNKNOWN);
}

static void timeout_arm(const struct settings *st)
{
	char why[160];

	if (st->format != FORMAT_CHECK)
		return;
	snprintf(why, sizeof(why), _("timed out after %ld s"), st->timeout);
	snprintf(timeout_message, sizeof(timeout_message), "PORTTOP UNKNOWN - %s\n", why);
	timeout_length = strlen(timeout_message);
	signal(SIGALRM, timeout_expired);
	alarm((unsigned)st->timeout);
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
	default:
		if (!settings_args_want_check(argc, argv))
			return 2;
		printf("PORTTOP UNKNOWN - %s\n", _("invalid command line (see porttop --help)"));
		return CHECK_UNKNOWN;
	}
	if (st.batch && rc_warning[0])
		fprintf(stderr, "%s: %s\n", PACKAGE, rc_warning);

	/* A reader that goes away (porttop -b | head) ends porttop quietly. */
	signal(SIGPIPE, SIG_IGN);
	timeout_arm(&st);
	err = engine_open(&engine, &st);
	if (err) {
		batch_report_failure(&engine, err);
		return batch_failure(&st);
	}
	status = st.batch ? batch_run(&engine, &st) : view_run(&engine, &st, rc_warning);
	engine_close(&engine);
	return status;
}
