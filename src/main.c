/* SPDX-License-Identifier: GPL-2.0-or-later */
/* porttop: flags and porttoprc -> settings; then the live view or batch output. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "batchall.h"
#include "batch.h"
#include "bpf/probes.h"
#include "engine.h"
#include "output/output.h"
#include "record/replay.h"
#include "settings.h"
#include "util/i18n.h"
#include "view/view.h"

#if defined(__SANITIZE_ADDRESS__)
int __lsan_is_turned_off(void);

/*
 * LeakSanitizer's hook, in the sanitizer build only.  Its check at exit stops the
 * process under a ptrace()ing helper and waits for the SIGSTOP to arrive; when the
 * terminal has hung up, the SIGCONT the kernel sends with the hangup
 * (tty_signal_session_leader, kill_orphaned_pgrp) can discard that SIGSTOP
 * (prepare_signal), and the check then waits for ever with every signal blocked.
 * So a porttop whose terminal is gone ends without the check; every other exit,
 * those of the hangup tests' other runs included, is still checked.
 */
int __lsan_is_turned_off(void)
{
	struct termios t;

	for (int fd = 0; fd <= 2; fd++)
		if (tcgetattr(fd, &t) < 0 && errno == EIO)
			return 1;
	return 0;
}

/*
 * Run at exit, before LeakSanitizer's check (atexit handlers run last registered
 * first, and the sanitizer registered its own before main).  The check stops porttop
 * under a ptrace()ing helper of the same process group; if porttop's parent (the
 * shell of a terminal being closed) dies meanwhile, porttop's group is orphaned with
 * a stopped member, and the kernel's SIGHUP and SIGCONT to that group
 * (kill_orphaned_pgrp) discard the SIGSTOP the helper waits for: both spin for ever.
 * A session of our own is never orphaned that way, nor sent the terminal's hangup.
 */
static void leave_session_for_leak_check(void)
{
	if (setsid() == 0)
		return;
	/* a group leader already: give the terminal up instead.  A session leader's
	 * TIOCNOTTY hangs up the terminal's foreground group (disassociate_ctty), its
	 * own: porttop died of that SIGHUP (status 129) where nothing caught it. */
	if (getsid(0) == getpid())
		signal(SIGHUP, SIG_IGN);
	for (int fd = 0; fd <= 2; fd++)
		if (ioctl(fd, TIOCNOTTY) == 0)
			break;
}
#endif

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

static int run_batch_all(const struct settings *st)
{
	enum check_status status;
	char host[256] = "";
	int err;

	gethostname(host, sizeof(host) - 1);
	err = batchall_run(st, host, &status);
	if (err == -EIO)
		return EXIT_FAILURE;
	if (err) {
		fprintf(stderr, _("%s: cannot list the network namespaces: %s\n"), PACKAGE, strerror(-err));
		return batch_failure(st);
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

	/*
	 * LC_NUMERIC too: the live view and the text output print 0,5 where the user's
	 * locale does, as top does; JSON, Prometheus and the check switch to a '.'
	 * themselves (output/cnumeric.h), and what is read takes both (util/decimal.h).
	 */
#if defined(__SANITIZE_ADDRESS__)
	atexit(leave_session_for_leak_check);
#endif
	setlocale(LC_ALL, "");
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

	if (st.bpf_action != BPF_ACTION_NONE)
		return run_bpf_action(&st);

	/* A reader that goes away (porttop -b | head) ends porttop quietly. */
	signal(SIGPIPE, SIG_IGN);
	timeout_arm(&st);
	if (st.batch && st.all_netns)
		return run_batch_all(&st);
	err = engine_open(&engine, &st);
	if (err) {
		batch_report_failure(&engine, &st, err);
		return batch_failure(&st);
	}
	if (!st.batch)
		batch_note_bpf_fallback(&engine, rc_warning, sizeof(rc_warning));
	if (settings_quiet_record(&st))
		status = batch_record_quietly(&engine, &st);
	else
		status = st.batch ? batch_run(&engine, &st) : view_run(&engine, &st, rc_warning);
	report_damage(&engine, &st);
	engine_close(&engine);
	return status;
}
