/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "settings.h"
#include "settings-parse.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/decimal.h"
#include "util/i18n.h"

#define SETTINGS_MIN_DELAY 0.1
#define SETTINGS_MAX_DELAY 86400.0

void settings_defaults(struct settings *st)
{
	const char *no_color;

	memset(st, 0, sizeof(*st));
	st->iterations = -1;
	st->delay = 2.0;
	st->format = FORMAT_TEXT;
	st->sort = columns_find("ephemeral");
	st->color = true;
	/* https://no-color.org: set and not empty (read once: a second getenv may differ) */
	no_color = getenv("NO_COLOR");
	st->color_session_off = no_color != NULL && no_color[0] != '\0';
	st->source = SOURCE_AUTO;
	st->proc_root = "/proc";
	st->netns_top = 10;
	st->leak_age = 60;
	threshold_parse(THRESHOLD_TEXT(THRESHOLD_WARNING_DEFAULT), &st->warning);
	threshold_parse(THRESHOLD_TEXT(THRESHOLD_CRITICAL_DEFAULT), &st->critical);
	st->timeout = 10;
	st->top_destinations = 10;
	st->top_processes = -1;
}

long settings_top_processes(const struct settings *st)
{
	if (st->top_processes >= 0)
		return st->top_processes;
	/* a series per process: a scrape or a check result must stay small */
	return st->format == FORMAT_PROMETHEUS || st->format == FORMAT_CHECK ? 10 : -1;
}

bool settings_color(const struct settings *st)
{
	return st->color && !st->color_session_off;
}

int settings_parse_delay(const char *text, double *out)
{
	double v;

	if (decimal_parse(text, strlen(text), &v) < 0 || v < SETTINGS_MIN_DELAY ||
	    v > SETTINGS_MAX_DELAY)
		return -EINVAL;
	*out = v;
	return 0;
}

int settings_parse_seconds(const char *text, double *out)
{
	double v;

	if (decimal_parse(text, strlen(text), &v) < 0 || v < 0 || v > SETTINGS_MAX_DELAY)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "100M", "64KiB", "1G" or bytes; at least 4 KiB, so a file holds a sample. */
static int parse_size(const char *text, unsigned long long *out)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || text[0] == '-')
		return -EINVAL;
	for (int i = 0; i < 5; i++) {
		char b[8], ib[8];
		snprintf(b, sizeof(b), "%s", units[i]);
		snprintf(ib, sizeof(ib), "%siB", units[i]);
		if (strcasecmp(end, b) != 0 && (i == 0 || strcasecmp(end, ib) != 0))
			continue;
		for (int k = 0; k < i; k++) {
			if (v > ULLONG_MAX / 1024)
				return -EINVAL;
			v *= 1024;
		}
		if (v < 4096)
			return -EINVAL;
		*out = v;
		return 0;
	}
	return -EINVAL;
}

static int parse_pids(struct settings *st, const char *text)
{
	char buf[512], *save = NULL;
	size_t len = strlen(text);

	if (len >= sizeof(buf))
		return -E2BIG;  /* 64 pids of 7 digits fit */
	memcpy(buf, text, len + 1);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long pid;
		if (parse_long(tok, 1, INT_MAX, &pid) < 0)
			return -EINVAL;
		if (st->n_pids >= SETTINGS_MAX_PIDS)
			return -E2BIG;
		st->pids[st->n_pids++] = (pid_t)pid;
	}
	return st->n_pids ? 0 : -EINVAL;
}

int settings_copy_string(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		return -EINVAL;
	memcpy(dst, src, n + 1);
	return 0;
}

int settings_parse_sort(struct settings *st, const char *text)
{
	const struct column *c = columns_find(text);
	if (!c)
		return -EINVAL;
	st->sort = c;
	return 0;
}

static int parse_source(struct settings *st, const char *text)
{
	if (strcmp(text, "auto") == 0)
		st->source = SOURCE_AUTO;
	else if (strcmp(text, "netlink") == 0)
		st->source = SOURCE_NETLINK_ONLY;
	else if (strcmp(text, "proc") == 0)
		st->source = SOURCE_PROC_ONLY;
	else
		return -EINVAL;
	return 0;
}

int settings_parse_bpf(struct settings *st, const char *text)
{
	if (strcmp(text, "auto") == 0)
		st->bpf = BPF_AUTO;
	else if (strcmp(text, "on") == 0)
		st->bpf = BPF_ON;
	else if (strcmp(text, "off") == 0)
		st->bpf = BPF_OFF;
	else
		return -EINVAL;
	return 0;
}

static void print_bug_address(void)
{
	printf(_("Report bugs to <%s>.\n"), PACKAGE_BUGREPORT);
}

static void print_help(void)
{
	printf(_("Usage: %s [OPTION]...\n"), PACKAGE);
	fputs(_("Show who uses the ephemeral (client) port range, live or in batch.\n\n"), stdout);
	fputs(_("  -b, --batch              print snapshots instead of the live view\n"
		"  -n, --iterations=N       stop after N refreshes (batch default 1, 0: never)\n"
		"  -d, --delay=SECONDS      time between refreshes (default 2, fractions allowed)\n"
		"  -f, --format=FORMAT      batch output: text (default), json (one object per line),\n"
		"                           prometheus, or check (monitoring plugin exit codes)\n"
		"  -o, --sort=FIELD         sort processes by FIELD (default ephemeral)\n"
		"  -p, --pid=PID[,PID...]   only these processes\n"
		"  -u, --user=USER          only processes of USER\n"
		"      --container=NAME     only processes whose container or pod contains NAME\n"
		"                           (- for the host's)\n"
		"  -c, --cmdline            show full command lines\n"
		"  -s, --secure             no kill, no socket close, no range change\n"
		"      --source=SOURCE      auto (default), netlink or proc\n"
		"      --netns=NETNS        look into another network namespace: a name under\n"
		"                           /run/netns, a path (/proc/PID/ns/net) or a PID\n"
		"      --all-netns          every network namespace: batch output for each, the\n"
		"                           live view starts in the namespace list (key N)\n"
		"      --netns-top=N        prometheus with --all-netns: the N fullest (default 10)\n"
		"      --bpf=WHEN           eBPF probes: auto (default: when root and they load),\n"
		"                           on (fail without them) or off\n"
		"      --bpf-pin            load the probes, pin them under /sys/fs/bpf/porttop\n"
		"                           so they record before porttop starts, and exit\n"
		"      --bpf-unpin          remove the pinned probes and exit\n"
		"      --no-color           no colours (also when NO_COLOR is set)\n"
		"  -w, --record=FILE        record every sample to FILE (see porttop(1), RECORDING)\n"
		"      --record-size=SIZE   keep at most SIZE (e.g. 100M) in numbered files FILE.NNNNNN\n"
		"  -r, --replay=FILE        show a recording (a file, a directory, or the FILE of -w)\n"
		"      --begin=TIME         replay from TIME (ISO 8601 or HH:MM[:SS])\n"
		"      --end=TIME           replay up to TIME\n"
		"      --output=FILE        write each refresh to FILE, replaced atomically\n"
		"                           (for node_exporter's textfile collector)\n"
		"      --top-destinations=N batch: list the N tightest destinations (default 10)\n"
		"      --top-processes=N    batch: list the first N processes (default: all;\n"
		"                           10 with --format=prometheus or check)\n"
		"      --warning=RANGE      check and alerts: WARNING when the fill percentage\n"
		"                           is outside RANGE (plugin range syntax: 70 is 0:70,\n"
		"                           @90:100 is inside 90-100; default 80)\n"
		"      --critical=RANGE     check and alerts: CRITICAL likewise (default 95)\n"
		"  -t, --timeout=SECONDS    check: UNKNOWN after SECONDS (default 10)\n"
		"  -v, --verbose            check: list the top destinations and processes\n"
		"      --alert-after=SECS   raise an alert only after its level held this long\n"
		"                           (default 0); a level is left 5 points below it\n"
		"      --alert-command=CMD  run CMD (with /bin/sh -c) at each alert level\n"
		"                           change, the details in PORTTOP_ALERT_* variables\n"
		"      --leak-age=SECS      flag a process holding a CLOSE_WAIT this old\n"
		"                           (default 60)\n"
		"  -h, --help               show this help and exit\n"
		"  -V, --version            show the version and exit\n"), stdout);
	fputs(_("\nFIELD is one of:"), stdout);
	for (size_t i = 0; i < columns_count; i++)
		if (columns_shown(&columns[i]))
			printf(" %s", columns[i].key);
	fputs(_("\n\nExit status: 0 on success, 1 when the system could not be read, 2 for usage errors;\n"
		"with --format=check 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (usage errors too).\n"), stdout);
	fputs(_("In the live view, h lists the keys: sort, find, filter, details, kill (k),\n"
		"range change (r).  See porttop(1) for what each figure means.\n"), stdout);
	print_bug_address();
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PACKAGE);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("\nTry '%s --help' for more information.\n"), PACKAGE);
	return -1;
}

enum {
	OPT_SOURCE = 256, OPT_NO_COLOR, OPT_WARNING, OPT_CRITICAL, OPT_NETNS, OPT_OUTPUT,
	OPT_TOP_DESTINATIONS, OPT_TOP_PROCESSES, OPT_BPF, OPT_BPF_PIN, OPT_BPF_UNPIN,
	OPT_RECORD_SIZE, OPT_BEGIN, OPT_END, OPT_CONTAINER, OPT_ALL_NETNS, OPT_NETNS_TOP,
	OPT_ALERT_AFTER, OPT_ALERT_COMMAND, OPT_LEAK_AGE,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'f' },
	{ "sort", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	{ "cmdline", no_argument, NULL, 'c' },
	{ "secure", no_argument, NULL, 's' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
	{ "netns-top", required_argument, NULL, OPT_NETNS_TOP },
	{ "bpf", required_argument, NULL, OPT_BPF },
	{ "bpf-pin", no_argument, NULL, OPT_BPF_PIN },
	{ "bpf-unpin", no_argument, NULL, OPT_BPF_UNPIN },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "warning", required_argument, NULL, OPT_WARNING },
	{ "critical", required_argument, NULL, OPT_CRITICAL },
	{ "timeout", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "top-destinations", required_argument, NULL, OPT_TOP_DESTINATIONS },
	{ "top-processes", required_argument, NULL, OPT_TOP_PROCESSES },
	{ "alert-after", required_argument, NULL, OPT_ALERT_AFTER },
	{ "alert-command", required_argument, NULL, OPT_ALERT_COMMAND },
	{ "leak-age", required_argument, NULL, OPT_LEAK_AGE },
	{ "record", required_argument, NULL, 'w' },
	{ "record-size", required_argument, NULL, OPT_RECORD_SIZE },
	{ "replay", required_argument, NULL, 'r' },
	{ "begin", required_argument, NULL, OPT_BEGIN },
	{ "end", required_argument, NULL, OPT_END },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int apply_option(struct settings *st, int opt, const char *arg)
{
	switch (opt) {
	case 'b': st->batch = true; return 0;
	case 'n':
		if (parse_long(arg, 0, LONG_MAX, &st->iterations) < 0)
			return usage_error(_("invalid number of iterations '%s': expected a whole number >= 0"), arg);
		return 0;
	case 'w': st->record_path = arg; return 0;
	case 'r': st->replay_path = arg; return 0;
	case OPT_BEGIN: st->begin = arg; return 0;
	case OPT_END: st->end = arg; return 0;
	case OPT_RECORD_SIZE:
		if (parse_size(arg, &st->record_size) < 0)
			return usage_error(_("invalid size '%s': expected bytes of at least 4K, e.g. 100M"), arg);
		return 0;
	case 'd':
		if (settings_parse_delay(arg, &st->delay) < 0)
			return usage_error(_("invalid delay '%s': expected seconds from 0.1 to 86400"), arg);
		st->delay_given = true;
		return 0;
	case 'f':
		if (strcmp(arg, "text") == 0)
			st->format = FORMAT_TEXT;
		else if (strcmp(arg, "json") == 0)
			st->format = FORMAT_JSON;
		else if (strcmp(arg, "prometheus") == 0)
			st->format = FORMAT_PROMETHEUS;
		else if (strcmp(arg, "check") == 0)
			st->format = FORMAT_CHECK;
		else
			return usage_error(_("invalid format '%s': expected text, json, prometheus or check"), arg);
		return 0;
	case OPT_WARNING:
	case OPT_CRITICAL:
		if (threshold_parse(arg, opt == OPT_WARNING ? &st->warning : &st->critical) < 0)
			return usage_error(_("invalid threshold '%s': expected a range such as 80, 10:, "
					     "~:90 or @90:100"), arg);
		return 0;
	case 't':
		if (parse_long(arg, 1, 86400, &st->timeout) < 0)
			return usage_error(_("invalid timeout '%s': expected whole seconds from 1 to 86400"), arg);
		return 0;
	case 'v': st->verbose++; return 0;
	case OPT_OUTPUT:
		if (!*arg)
			return usage_error("%s", _("--output needs a file name"));
		st->output_file = arg;
		return 0;
	case OPT_TOP_DESTINATIONS:
	case OPT_TOP_PROCESSES:
		if (parse_long(arg, 0, 100000, opt == OPT_TOP_PROCESSES ? &st->top_processes
									  : &st->top_destinations) < 0)
			return usage_error(_("invalid count '%s': expected a whole number from 0 to 100000"), arg);
		return 0;
	case OPT_ALERT_AFTER:
	case OPT_LEAK_AGE:
		if (settings_parse_seconds(arg, opt == OPT_LEAK_AGE ? &st->leak_age : &st->alert_after) < 0)
			return usage_error(_("invalid duration '%s': expected seconds from 0 to 86400"), arg);
		return 0;
	case OPT_ALERT_COMMAND:
		if (!*arg)
			return usage_error("%s", _("--alert-command needs a command"));
		st->alert_command = arg;
		return 0;
	case 'o':
		if (settings_parse_sort(st, arg) < 0)
			return usage_error(_("unknown sort field '%s' (see --help)"), arg);
		return 0;
	case 'p':
		switch (parse_pids(st, arg)) {
		case 0: return 0;
		case -E2BIG: return usage_error(_("too many pids: at most %d"), SETTINGS_MAX_PIDS);
		default: return usage_error(_("invalid pid list '%s': expected PID[,PID...]"), arg);
		}
	case 'u':
		if (settings_copy_string(st->user, sizeof(st->user), arg) < 0)
			return usage_error(_("user name too long: '%s'"), arg);
		return 0;
	case OPT_CONTAINER:
		if (settings_copy_string(st->container, sizeof(st->container), arg) < 0)
			return usage_error(_("container name too long: '%s'"), arg);
		return 0;
	case 'c': st->show_cmdline = true; return 0;
	case 's': st->secure = true; return 0;
	case OPT_SOURCE:
		if (parse_source(st, arg) < 0)
			return usage_error(_("invalid source '%s': expected auto, netlink or proc"), arg);
		return 0;
	case OPT_BPF:
		if (settings_parse_bpf(st, arg) < 0)
			return usage_error(_("invalid --bpf '%s': expected auto, on or off"), arg);
		return 0;
	case OPT_BPF_PIN:
	case OPT_BPF_UNPIN:
		if (st->bpf_action != BPF_ACTION_NONE)
			return usage_error("%s", _("--bpf-pin and --bpf-unpin go alone"));
		st->bpf_action = opt == OPT_BPF_PIN ? BPF_ACTION_PIN : BPF_ACTION_UNPIN;
		return 0;
	case OPT_NO_COLOR: st->color_session_off = true; return 0;
	case OPT_NETNS:
		if (!*arg)
			return usage_error("%s", _("--netns needs a name, a path or a PID"));
		st->netns = arg;
		return 0;
	case OPT_ALL_NETNS: st->all_netns = true; return 0;
	case OPT_NETNS_TOP:
		if (parse_long(arg, 1, 100000, &st->netns_top) < 0)
			return usage_error(_("invalid --netns-top '%s': expected a whole number >= 1"), arg);
		return 0;
	}
	return usage_error("%s", _("invalid option"));
}

/* Two plain upper limits ("95", "80") the wrong way round: WARNING could never show. */
static bool warning_above_critical(const struct threshold *w, const struct threshold *c)
{
	bool plain_w = !w->inside && !w->start_infinite && w->start == 0 && !w->end_infinite;
	bool plain_c = !c->inside && !c->start_infinite && c->start == 0 && !c->end_infinite;

	return plain_w && plain_c && w->end > c->end;
}

int settings_parse_args(struct settings *st, int argc, char **argv)
{
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":bn:d:f:o:p:u:cst:vw:r:Vh", long_options, NULL)) != -1) {
		if (opt == 'h') {
			print_help();
			return 1;
		}
		if (opt == 'V') {
			printf("%s %s\n", PACKAGE, VERSION);
			print_bug_address();
			return 1;
		}
		if (opt == '?')
			return usage_error(_("unknown option '%s'"), argv[optind - 1]);
		if (opt == ':')
			return usage_error(_("option '%s' needs a value"), argv[optind - 1]);
		if (apply_option(st, opt, optarg) < 0)
			return -1;
	}
	if (optind < argc)
		return usage_error(_("unexpected argument '%s'"), argv[optind]);
	if (st->all_netns && st->netns)
		return usage_error("%s", _("--all-netns and --netns exclude each other"));
	if (st->all_netns && st->replay_path)
		return usage_error("%s", _("--all-netns and --replay cannot be used together"));
	if (warning_above_critical(&st->warning, &st->critical))
		return usage_error("%s", _("--warning must not be above --critical"));
	if (st->record_path && st->replay_path)
		return usage_error("%s", _("--record and --replay cannot be used together"));
	if (st->record_size && !st->record_path)
		return usage_error("%s", _("--record-size needs --record"));
	if ((st->begin || st->end) && !st->replay_path)
		return usage_error("%s", _("--begin and --end need --replay"));
	if (st->replay_path && st->netns)
		return usage_error("%s", _("--netns and --replay cannot be used together"));
	/* the pids and the range of a recording are not this system's to act on */
	if (st->replay_path)
		st->secure = true;
	/* An output format or file only makes sense for batch output. */
	if (st->format != FORMAT_TEXT || st->output_file)
		st->batch = true;
	/* a batch replay prints the whole recording unless -n says otherwise */
	if (st->batch && st->iterations < 0)
		st->iterations = st->replay_path ? 0 : 1;
	return 0;
}

bool settings_args_want_check(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];
		bool next_is_check = i + 1 < argc && strcmp(argv[i + 1], "check") == 0;

		if (strcmp(a, "--format=check") == 0 || strcmp(a, "-fcheck") == 0 ||
		    ((strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) && next_is_check))
			return true;
	}
	return false;
}

bool settings_quiet_record(const struct settings *st)
{
	return st->record_path && st->iterations == 0 && !st->batch;
}
