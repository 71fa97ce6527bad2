/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command line, porttoprc and the sanitizer: what users type and what processes are named. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "settings.h"
#include "util/decimal.h"
#include "util/rfc3339.h"
#include "util/sanitize.h"

static int parse(struct settings *st, const char *const *args)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"porttop";
	for (; *args && argc < 15; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	settings_defaults(st);
	/* usage errors print to stderr; keep the test log readable */
	FILE *saved = stderr;
	stderr = fopen("/dev/null", "w");
	int r = settings_parse_args(st, argc, argv);
	fclose(stderr);
	stderr = saved;
	return r;
}

static void test_batch_defaults_to_one_iteration(void)
{
	struct settings st;
	CHECK_EQ(parse(&st, (const char *const[]){ "-b", NULL }), 0);
	CHECK(st.batch);
	CHECK_EQ(st.iterations, 1);
	CHECK(st.delay == 2.0);
	CHECK_STR(st.sort->key, "ephemeral");
}

static void test_valid_flags_are_applied(void)
{
	struct settings st;
	CHECK_EQ(parse(&st, (const char *const[]){ "-b", "-n", "3", "-d", "0.5", "--format", "json",
						   "-o", "TW", "-p", "12,34", "-u", "www", "--source=proc",
						   NULL }), 0);
	CHECK_EQ(st.iterations, 3);
	CHECK(st.delay == 0.5);
	CHECK_EQ(st.format, FORMAT_JSON);
	CHECK_STR(st.sort->key, "time_wait");
	CHECK_EQ(st.n_pids, 2);
	CHECK_EQ(st.pids[1], 34);
	CHECK_STR(st.user, "www");
	CHECK_EQ(st.source, SOURCE_PROC_ONLY);
}

static void test_record_and_replay_flags(void)
{
	struct settings st;

	CHECK_EQ(parse(&st, (const char *const[]){ "-w", "/tmp/x.rec", "--record-size", "100M", "-n",
						     "0", "-d", "10", NULL }), 0);
	CHECK_STR(st.record_path, "/tmp/x.rec");
	CHECK_EQ(st.record_size, 100ull << 20);
	CHECK_EQ(st.iterations, 0);
	CHECK_EQ(settings_quiet_record(&st), true);
	CHECK_EQ(parse(&st, (const char *const[]){ "--record=a", "--record-size=64KiB", "-b", "-n", "0",
						     NULL }), 0);
	CHECK_EQ(st.record_size, 64ull << 10);
	CHECK_EQ(settings_quiet_record(&st), false);  /* -b: it prints too */
	/* a batch replay prints every sample unless -n says otherwise */
	CHECK_EQ(parse(&st, (const char *const[]){ "-r", "x.rec", "-b", "--begin=10:26", "--end",
						     "2026-12-01T11:00", NULL }), 0);
	CHECK_STR(st.replay_path, "x.rec");
	CHECK_STR(st.begin, "10:26");
	CHECK_STR(st.end, "2026-12-01T11:00");
	CHECK_EQ(st.iterations, 0);
	CHECK_EQ(parse(&st, (const char *const[]){ "-b", NULL }), 0);
	CHECK_EQ(st.iterations, 1);
}

static void test_bad_values_are_usage_errors(void)
{
	struct settings st;
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "abc", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "0", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "nan", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "1e999", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-n", "-1", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--record-size", "100M", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-w", "a", "--record-size", "1000", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-w", "a", "--record-size", "5X", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-w", "a", "-r", "b", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--begin", "10:00", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-n", "5x", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-n", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--format", "xml", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-o", "bogus", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-p", "1,,x", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "-p", "-5", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--bogus", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "extra", NULL }), -1);
}

/* The Monitoring Plugins guidelines' examples: each range and the values that alert. */
static void test_thresholds_follow_the_plugin_range_syntax(void)
{
	struct threshold t;
	char buf[64];

	CHECK_EQ(threshold_parse("10", &t), 0);      /* < 0 or > 10 */
	CHECK(!threshold_alerts(&t, 0) && !threshold_alerts(&t, 10) && threshold_alerts(&t, 10.01));
	CHECK(threshold_alerts(&t, -1));
	CHECK_EQ(threshold_parse("10:", &t), 0);     /* < 10 */
	CHECK(threshold_alerts(&t, 9.9) && !threshold_alerts(&t, 10) && !threshold_alerts(&t, 1e9));
	CHECK_EQ(threshold_parse("~:10", &t), 0);    /* > 10 */
	CHECK(!threshold_alerts(&t, -1e9) && threshold_alerts(&t, 11));
	CHECK_EQ(threshold_parse("10:20", &t), 0);   /* outside 10-20 */
	CHECK(threshold_alerts(&t, 9) && !threshold_alerts(&t, 15) && threshold_alerts(&t, 21));
	CHECK_EQ(threshold_parse("@90:100", &t), 0); /* inside 90-100, ends included */
	CHECK(!threshold_alerts(&t, 89.9) && threshold_alerts(&t, 90) && threshold_alerts(&t, 100));
	threshold_format(&t, buf, sizeof(buf));
	CHECK_STR(buf, "@90:100");
	CHECK_EQ(threshold_parse("~:5.5", &t), 0);
	threshold_format(&t, buf, sizeof(buf));
	CHECK_STR(buf, "~:5.5");
	CHECK_EQ(threshold_parse("80", &t), 0);
	threshold_format(&t, buf, sizeof(buf));
	CHECK_STR(buf, "80");
	CHECK_EQ(threshold_parse("10:", &t), 0);
	threshold_format(&t, buf, sizeof(buf));
	CHECK_STR(buf, "10:");
	/* the alerts' level: where a filling pool starts alerting */
	CHECK(threshold_rising(&t) == 101);          /* "10:": never by filling up */
	CHECK_EQ(threshold_parse("80", &t), 0);
	CHECK(threshold_rising(&t) == 80);
	CHECK_EQ(threshold_parse("@90:100", &t), 0);
	CHECK(threshold_rising(&t) == 90);
	CHECK_EQ(threshold_parse("@~:5", &t), 0);
	CHECK(threshold_rising(&t) == 0);
	/* and where it stops again: only an "@" range with an end does */
	double end = -1;
	CHECK(threshold_rising_end(&t, &end) && end == 5);
	CHECK_EQ(threshold_parse("@90:100", &t), 0);
	CHECK(threshold_rising_end(&t, &end) && end == 100);
	CHECK_EQ(threshold_parse("@90:", &t), 0);
	CHECK(!threshold_rising_end(&t, &end));
	CHECK_EQ(threshold_parse("10:20", &t), 0);  /* below 10 is behind a filling pool */
	CHECK(!threshold_rising_end(&t, &end));
	CHECK_EQ(threshold_parse("80", &t), 0);
	CHECK(!threshold_rising_end(&t, &end));
	const char *const bad[] = { "", "@", ":", "abc", "20:10", "1:2:3", "~", "10%", " 10", "0x10", "inf", "nan" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(threshold_parse(bad[i], &t), -EINVAL);
}

static double parsed(const char *text)
{
	double v = -12345;

	return decimal_parse(text, strlen(text), &v) == 0 ? v : -12345;
}

/* What -d, porttoprc, the delay prompt and the thresholds read; a comma is a decimal point. */
static void check_decimal_numbers(void)
{
	char buf[32];

	CHECK(parsed("0.5") == 0.5 && parsed("0,5") == 0.5 && parsed(".5") == 0.5 && parsed("5.") == 5);
	CHECK(parsed("2") == 2 && parsed("-1,25") == -1.25 && parsed("+86400") == 86400);
	CHECK(parsed("0.3") == 0.3 && parsed("0.1") == 0.1 && parsed("85.35") == 85.35);
	CHECK(parsed("1e3") == 1000 && parsed("5,5E-1") == 0.55 && parsed("0.000") == 0);
	CHECK(parsed("12345678901234567") == 12345678901234567.0);
	const char *const bad[] = { "", "-", ".", ",", "e5", "1e", "1e+", "1.2.3", "1,2,3", "1.2,3",
				    " 1", "1 ", "0x10", "inf", "nan", "1e400", "1e99999",
				    "123456789012345678", "1%" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parsed(bad[i]) == -12345);
	decimal_format(buf, sizeof(buf), 0.5);
	CHECK_STR(buf, "0.5");
	decimal_format(buf, sizeof(buf), 86400);
	CHECK_STR(buf, "86400");
	decimal_format(buf, sizeof(buf), -1.25);
	CHECK_STR(buf, "-1.25");
	decimal_format(buf, sizeof(buf), 0.1234567);
	CHECK_STR(buf, "0.123457");
	decimal_format(buf, sizeof(buf), -1e-9);
	CHECK_STR(buf, "0");
	decimal_format(buf, sizeof(buf), 2e13);
	CHECK_STR(buf, "20000000000000");
}

/*
 * The same under a comma locale (de_DE.UTF-8, when generated), where printf's %g writes
 * "0,5": -d and porttoprc take both forms, and W writes "delay = 0.5".
 */
static void test_numbers_read_and_write_the_same_in_every_locale(void)
{
	char path[] = "/tmp/porttoprc-test-XXXXXX", line[128] = "";
	struct settings st;
	int fd = mkstemp(path);
	FILE *fp;

	check_decimal_numbers();
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
		fprintf(stderr, "note: locale de_DE.UTF-8 not generated; the C locale only\n");
	} else {
		snprintf(line, sizeof(line), "%g", 0.5);
		CHECK_STR(line, "0,5");  /* the locale is in effect */
		check_decimal_numbers();
	}
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "0,5", NULL }), 0);
	CHECK(st.delay == 0.5);
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "1.5", NULL }), 0);
	CHECK(st.delay == 1.5);
	CHECK_EQ(parse(&st, (const char *const[]){ "-d", "0,05", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--warning=85,5", NULL }), 0);
	CHECK(st.warning.end == 85.5);
	close(fd);
	st.delay = 0.25;
	CHECK_EQ(settings_save_rc(&st, path), 0);
	fp = fopen(path, "r");
	CHECK(fp != NULL);
	while (fp && fgets(line, sizeof(line), fp) && strncmp(line, "delay", 5) != 0)
		;
	if (fp)
		fclose(fp);
	CHECK_STR(line, "delay = 0.25\n");
	fp = fopen(path, "a");
	CHECK(fp != NULL);
	if (fp) {
		fputs("bogus\n", fp);  /* one bad line: the warning says "line", not "lines" */
		fclose(fp);
	}
	settings_defaults(&st);
	CHECK_EQ(settings_load_rc(&st, path, line, sizeof(line)), 0);
	CHECK(st.delay == 0.25);
	CHECK(strstr(line, ": 1 bad line ignored (first: line ") != NULL);
	unlink(path);
	setlocale(LC_NUMERIC, "C");
}

/* JSON's since and PORTTOP_ALERT_SINCE: "+hh:mm" (strftime's %z has no colon), west too. */
static void test_times_are_rfc3339_with_a_colon_in_the_zone(void)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 2, .tm_hour = 5, .tm_min = 4,
			 .tm_sec = 9, .tm_gmtoff = 3600 };
	char buf[RFC3339_LEN];

	CHECK_EQ(rfc3339_format(buf, sizeof(buf), &tm, 123456789), 29);
	CHECK_STR(buf, "2026-12-02T05:04:09.123+01:00");
	tm.tm_gmtoff = 0;
	rfc3339_format(buf, sizeof(buf), &tm, 0);
	CHECK_STR(buf, "2026-12-02T05:04:09.000+00:00");
	tm.tm_gmtoff = -(3 * 3600 + 30 * 60);  /* Newfoundland */
	rfc3339_format(buf, sizeof(buf), &tm, 999999999);
	CHECK_STR(buf, "2026-12-02T05:04:09.999-03:30");
	CHECK_EQ(rfc3339_format(buf, 29, &tm, 0), 0);  /* no room for the NUL: nothing, not a cut time */
	CHECK_STR(buf, "");
}

static void test_fleet_flags_are_applied(void)
{
	struct settings st;

	CHECK_EQ(parse(&st, (const char *const[]){ "-f", "prometheus", "-n", "0", "--output=/x/p.prom", NULL }), 0);
	CHECK_EQ(st.iterations, 0);
	CHECK_STR(st.output_file, "/x/p.prom");
	CHECK_EQ(settings_top_processes(&st), 10);  /* a series per process: bounded */
	CHECK_EQ(st.top_destinations, 10);
	CHECK_EQ(parse(&st, (const char *const[]){ "-b", NULL }), 0);
	CHECK_EQ(settings_top_processes(&st), -1);   /* text lists them all */
	CHECK_EQ(parse(&st, (const char *const[]){ "-f", "check", "-t", "3", "-v",
						   "--top-processes=2", "--top-destinations=0", NULL }), 0);
	CHECK_EQ(st.timeout, 3);
	CHECK_EQ(st.verbose, 1);
	CHECK_EQ(settings_top_processes(&st), 2);
	CHECK_EQ(st.top_destinations, 0);
	CHECK_EQ(parse(&st, (const char *const[]){ "--output=/tmp/x", NULL }), 0);
	CHECK(st.batch);  /* a file is batch output */
	CHECK_EQ(parse(&st, (const char *const[]){ "-f", "check", "-t", "0", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--top-processes=-1", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--output=", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--warning=90:80", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--warning=95", "--critical=90", NULL }), -1);
	CHECK_EQ(parse(&st, (const char *const[]){ "--warning=@80:90", "--critical=@90:100", NULL }), 0);
}

static void test_rc_file_sets_values_and_reports_bad_lines(void)
{
	char path[] = "/tmp/porttoprc-test-XXXXXX";
	char warn[256];
	struct settings st;
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	fputs("# comment\ndelay = 0.5\nsort = close_wait\ninvert = yes\nbogus = 1\nsecure=1\n"
	      "delay = -4\nuser = www-data\n", fp);
	fclose(fp);
	settings_defaults(&st);
	CHECK_EQ(settings_load_rc(&st, path, warn, sizeof(warn)), 0);
	CHECK(st.delay == 0.5);
	CHECK_STR(st.sort->key, "close_wait");
	CHECK(st.sort_invert);
	CHECK(st.secure);
	CHECK_STR(st.user, "www-data");
	CHECK(strstr(warn, "2 bad lines") != NULL);

	/* what W writes, porttop reads back the same */
	st.show_cmdline = true;
	CHECK_EQ(settings_save_rc(&st, path), 0);
	struct settings back;
	settings_defaults(&back);
	CHECK_EQ(settings_load_rc(&back, path, warn, sizeof(warn)), 0);
	CHECK_STR(warn, "");
	CHECK(back.delay == 0.5 && back.sort == columns_find("close_wait") && back.sort_invert && back.show_cmdline);
	unlink(path);
	CHECK_EQ(settings_load_rc(&back, "/nonexistent/porttoprc", warn, sizeof(warn)), 0);
}

/* The saved colour setting as porttoprc has it after W: "color = 1" or "color = 0". */
static int saved_color(const struct settings *st, const char *path)
{
	char line[128];
	int color = -1;
	FILE *fp;

	if (settings_save_rc(st, path) != 0 || !(fp = fopen(path, "r")))
		return -2;
	while (fgets(line, sizeof(line), fp))
		sscanf(line, "color = %d", &color);
	fclose(fp);
	return color;
}

static void test_colour_off_for_the_session_is_never_saved(void)
{
	char path[] = "/tmp/porttoprc-test-XXXXXX";
	struct settings st;
	int fd = mkstemp(path);

	close(fd);
	setenv("NO_COLOR", "1", 1);
	CHECK_EQ(parse(&st, (const char *const[]){ NULL }), 0);
	CHECK(!settings_color(&st));
	CHECK_EQ(saved_color(&st, path), 1);
	setenv("NO_COLOR", "", 1);  /* set but empty: no-color.org says colours stay */
	CHECK_EQ(parse(&st, (const char *const[]){ NULL }), 0);
	CHECK(settings_color(&st));
	unsetenv("NO_COLOR");
	CHECK_EQ(parse(&st, (const char *const[]){ "--no-color", NULL }), 0);
	CHECK(!settings_color(&st));
	CHECK_EQ(saved_color(&st, path), 1);

	/* "color = 0" in the file is the user's choice: it stays, and W keeps it */
	FILE *fp = fopen(path, "w");
	fputs("color = 0\n", fp);
	fclose(fp);
	settings_defaults(&st);
	CHECK_EQ(settings_load_rc(&st, path, NULL, 0), 0);
	CHECK(!settings_color(&st));
	CHECK_EQ(saved_color(&st, path), 0);
	unlink(path);
}

static void test_escape_sequences_in_names_are_made_visible(void)
{
	char out[64];
	const char evil[] = "\033]0;pwned\007";
	sanitize_copy(out, sizeof(out), evil, sizeof(evil) - 1, 0);
	CHECK_STR(out, "\\x1b]0;pwned\\x07");
	sanitize_copy(out, sizeof(out), "a\\b", 3, 0);
	CHECK_STR(out, "a\\\\b");
	/* C1 CSI (U+009B) and invalid UTF-8 are escaped; valid UTF-8 passes */
	sanitize_copy(out, sizeof(out), "\xc2\x9b" "x", 3, 0);
	CHECK_STR(out, "\\xc2\\x9bx");
	sanitize_copy(out, sizeof(out), "caf\xc3\xa9", 5, 0);
	CHECK_STR(out, "caf\xc3\xa9");
	sanitize_copy(out, sizeof(out), "\xff\xfe", 2, 0);
	CHECK_STR(out, "\\xff\\xfe");
	/* argv NULs become spaces when asked */
	sanitize_copy(out, sizeof(out), "a\0b", 3, 1);
	CHECK_STR(out, "a b");
}

static void test_sanitize_truncates_on_character_boundaries(void)
{
	char out[6];
	CHECK_EQ(sanitize_copy(out, sizeof(out), "\033\033", 2, 0), 4);
	CHECK_STR(out, "\\x1b");
	CHECK_EQ(sanitize_copy(out, 1, "abc", 3, 0), 0);
	CHECK_STR(out, "");
	char small[4];
	sanitize_copy(small, sizeof(small), "\xc3\xa9\xc3\xa9", 4, 0);
	CHECK_STR(small, "\xc3\xa9");
}

int main(void)
{
	RUN(test_batch_defaults_to_one_iteration);
	RUN(test_valid_flags_are_applied);
	RUN(test_record_and_replay_flags);
	RUN(test_bad_values_are_usage_errors);
	RUN(test_thresholds_follow_the_plugin_range_syntax);
	RUN(test_numbers_read_and_write_the_same_in_every_locale);
	RUN(test_times_are_rfc3339_with_a_colon_in_the_zone);
	RUN(test_fleet_flags_are_applied);
	RUN(test_rc_file_sets_values_and_reports_bad_lines);
	RUN(test_colour_off_for_the_session_is_never_saved);
	RUN(test_escape_sequences_in_names_are_made_visible);
	RUN(test_sanitize_truncates_on_character_boundaries);
	CHECK_DONE();
}
