/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batch outputs and the failure messages on hand-built models: which step a
 * message names, when it suggests --source=proc, and how the text note and the
 * JSON say why the sockets came from /proc/net.  Links the core and the outputs
 * only: no netlink, libproc2 or curses.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "check.h"
#include "fixture.h"
#include "core/sample.h"
#include "model/model.h"
#include "output/output.h"
#include "settings.h"

/* The sample the last build() made: a model borrows from its sample (the probe
 * facts, command lines), so it lives until the next build(). */
static struct sample built;

/* The model of an empty sample taken from `source`, netlink failing with netlink_error. */
static void build(struct model *m, enum sample_source source, int netlink_error)
{
	struct sample *s = &built;

	sample_free(s);
	sample_init(s);
	s->sys.low = 40000;
	s->sys.high = 40099;
	s->source = source;
	s->netlink_error = netlink_error;
	model_init(m);
	CHECK_EQ(model_build(m, s, NULL), 0);
}

/* A renderer's output caught in memory, under porttop's default settings. */
struct capture {
	struct settings st;
	char *buf;
	size_t len;
	FILE *out;
};

/* Opens cap->out; NULL, and a failed check, when there is no memory for it. */
static FILE *capture_open(struct capture *cap)
{
	settings_defaults(&cap->st);
	cap->buf = NULL;
	cap->len = 0;
	cap->out = open_memstream(&cap->buf, &cap->len);
	CHECK(cap->out != NULL);
	return cap->out;
}

/* What was printed, malloc'd. */
static char *capture_close(struct capture *cap)
{
	fclose(cap->out);
	return cap->buf;
}

/* What output_text or output_json prints for m, malloc'd. */
static char *render(const struct model *m, void (*output)(FILE *, const struct report *))
{
	struct capture cap;
	struct report r;

	if (!capture_open(&cap))
		return strdup("");
	CHECK_EQ(report_prepare(&r, m, &cap.st, "host"), 0);
	output(cap.out, &r);
	report_release(&r);
	return capture_close(&cap);
}

static void test_only_a_netlink_failure_suggests_source_proc(void)
{
	char msg[256];

	output_failure(msg, sizeof(msg), SAMPLE_STEP_SOCK_DIAG, -EACCES);
	CHECK(strcmp(msg, "netlink sock_diag failed: Permission denied (try --source=proc)") == 0);
	output_failure(msg, sizeof(msg), SAMPLE_STEP_PROCINFO, -ENOENT);
	CHECK(strcmp(msg, "libproc2 cannot read process facts: No such file or directory") == 0);
	output_failure(msg, sizeof(msg), SAMPLE_STEP_PROC_NET, -EACCES);
	CHECK(strcmp(msg, "cannot read /proc/net/{tcp,udp}{,6}: Permission denied") == 0);
	output_failure(msg, sizeof(msg), SAMPLE_STEP_SYSCTL_RANGE, -ENOENT);
	CHECK(strstr(msg, "net.ipv4.ip_local_port_range") != NULL);
	CHECK(strstr(msg, "--source=proc") == NULL);
	output_failure(msg, sizeof(msg), SAMPLE_STEP_OWNERS, -EMFILE);
	CHECK(strstr(msg, "--source=proc") == NULL);
	output_failure(msg, sizeof(msg), SAMPLE_STEP_PROC_GONE, -ENOENT);
	CHECK(strcmp(msg, "/proc is not mounted (any more): No such file or directory") == 0);
	output_failure(msg, sizeof(msg), SAMPLE_STEP_MEMORY, -ENOMEM);
	CHECK(strncmp(msg, "out of memory: ", 15) == 0);
}

static void test_json_says_why_netlink_was_not_used(void)
{
	struct model m;
	char *json;

	build(&m, SAMPLE_SOURCE_NETLINK, 0);
	json = render(&m, output_json);
	CHECK(strstr(json, "\"source\":\"netlink\",\"source_reason\":null,") != NULL);
	free(json);
	model_free(&m);

	build(&m, SAMPLE_SOURCE_PROC, 0);
	json = render(&m, output_json);
	CHECK(strstr(json, "\"source\":\"proc\",\"source_reason\":\"requested\",") != NULL);
	free(json);
	model_free(&m);

	build(&m, SAMPLE_SOURCE_PROC, -EPROTONOSUPPORT);
	json = render(&m, output_json);
	CHECK(strstr(json, "\"source\":\"proc\",\"source_reason\":\"EPROTONOSUPPORT\",") != NULL);
	free(json);
	model_free(&m);
}

static void test_text_note_says_why_netlink_was_not_used(void)
{
	struct model m;
	char *text;

	build(&m, SAMPLE_SOURCE_NETLINK, 0);
	text = render(&m, output_text);
	CHECK(strstr(text, "Note: read /proc/net") == NULL);
	free(text);
	model_free(&m);

	build(&m, SAMPLE_SOURCE_PROC, -EACCES);
	text = render(&m, output_text);
	CHECK(strstr(text, "Note: read /proc/net (netlink sock_diag failed: Permission denied), "
			   "which lists neither bound-only sockets nor socket cookies\n") != NULL);
	free(text);
	model_free(&m);

	build(&m, SAMPLE_SOURCE_PROC, 0);
	text = render(&m, output_text);
	CHECK(strstr(text, "Note: read /proc/net (--source=proc asked for it)") != NULL);
	free(text);
	model_free(&m);
}

/* Three clients, pid 10+i holding 5*(i+1) connections to 127.0.0.1:(8080+i), 40000-40099. */
/* The model borrows from the sample (its probe facts too): build it where it stays. */
static void build_clients(struct model *m, struct sample *s)
{
	uint32_t lo = htonl(INADDR_LOOPBACK);
	uint32_t inode = 100;

	sample_init(s);
	s->sys.low = 40000;
	s->sys.high = 40099;
	s->owners_scanned = true;
	s->monotonic = 100.0;
	for (int i = 0; i < 3; i++) {
		struct proc_rec p;
		size_t index;

		memset(&p, 0, sizeof(p));
		p.pid = 10 + i;
		p.start_time = 1;
		snprintf(p.comm, sizeof(p.comm), "client%d", i);
		strcpy(p.user, "root");
		p.cmdline = p.comm;
		sample_add_proc(s, &p, &index);
		for (int k = 0; k < 5 * (i + 1); k++, inode++) {
			struct sock_rec r;

			memset(&r, 0, sizeof(r));
			r.protocol = IPPROTO_TCP;
			r.family = AF_INET;
			r.state = KTCP_ESTABLISHED;
			sample_addr_from_v4(r.local, lo);
			sample_addr_from_v4(r.remote, lo);
			r.local_port = (uint16_t)(40000 + k);
			r.remote_port = (uint16_t)(8080 + i);
			r.inode = inode;
			r.cookie = inode;
			sample_add_sock(s, &r);
			sample_add_owner(s, inode, (uint32_t)index);
		}
	}
	sample_finish_owners(s);
	model_init(m);
	CHECK_EQ(model_build(m, s, NULL), 0);
}

/* What a renderer prints for m with these settings; check's status in *status. */
static char *render_with(const struct model *m, const struct settings *st, enum check_status *status)
{
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	CHECK(out != NULL);
	if (!out)
		return strdup("");
	CHECK_EQ(report_prepare(&r, m, st, "host"), 0);
	r.refresh.seconds = 0.25;
	if (st->format == FORMAT_CHECK)
		*status = output_check(out, &r, st);
	else
		output_prometheus(out, &r);
	report_release(&r);
	fclose(out);
	return buf;
}

static size_t count_lines_starting(const char *text, const char *prefix)
{
	size_t n = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static void test_prometheus_series_are_bounded_by_the_top_flags(void)
{
	struct settings st;
	struct model m;
	struct sample s;
	char *prom;

	build_clients(&m, &s);
	settings_defaults(&st);
	st.format = FORMAT_PROMETHEUS;
	st.top_processes = 2;
	st.top_destinations = 1;
	prom = render_with(&m, &st, NULL);
	CHECK_EQ(count_lines_starting(prom, "porttop_process_ephemeral_ports{"), 2);
	CHECK(strstr(prom, "porttop_process_ephemeral_ports{pid=\"12\",user=\"root\",command=\"client2\"} 15\n"));
	CHECK(strstr(prom, "porttop_process_ephemeral_ports{pid=\"11\",user=\"root\",command=\"client1\"} 10\n"));
	CHECK_EQ(count_lines_starting(prom, "porttop_destination_ports_in_use{"), 1);
	CHECK(strstr(prom, "porttop_destination_blocked_ratio{local=\"127.0.0.1\",remote=\"127.0.0.1\",port=\"8082\"} 0.1500\n"));
	/* 15 distinct ports of 100 in use; the fullest pool is the tightest destination's 15 % */
	CHECK(strstr(prom, "porttop_ports_in_use_ratio{protocol=\"tcp\"} 0.1500\n"));
	CHECK(strstr(prom, "porttop_pool_fullest_ratio 0.1500\n"));
	CHECK(strncmp(prom, "# HELP porttop_up ", 18) == 0);  /* staleness first */
	CHECK(strstr(prom, "\nporttop_up 1\n"));
	CHECK(strstr(prom, "porttop_scrape_duration_seconds 0.250000\n"));
	free(prom);
	model_free(&m);
	sample_free(&s);
}

/* Probes on, and pids 20, 21, 22 failed 5, 50 and 20 times, each towards :8080. */
static void build_failing(struct model *m, struct sample *s)
{
	static const uint64_t counts[] = { 5, 50, 20 };

	sample_init(s);
	s->sys.low = 40000;
	s->sys.high = 40099;
	s->owners_scanned = true;
	s->monotonic = 100.0;
	s->probes.status = PROBE_ON;
	for (int i = 0; i < 3; i++) {
		struct probe_failure f = { .who = { .pid = 20 + i, .start_time = 1 },
					   .count = counts[i], .previous = counts[i] };
		struct probe_failure_dest d = { .port = 8080, .count = counts[i], .previous = counts[i] };

		snprintf(f.who.comm, sizeof(f.who.comm), "failing%d", i);
		strcpy(f.who.user, "root");
		sample_addr_from_v4(d.remote, htonl(INADDR_LOOPBACK));
		CHECK_EQ(probe_facts_add_failure(&s->probes, &f), 0);
		CHECK_EQ(probe_facts_add_dest(&s->probes, &d), 0);
	}
	sample_finish_owners(s);
	model_init(m);
	CHECK_EQ(model_build(m, s, NULL), 0);
}

/* The failing processes are per-process series too: the --top-processes that fail most. */
static void test_prometheus_failing_processes_are_bounded_by_top_processes(void)
{
	struct settings st;
	struct model m;
	struct sample s;
	char *prom;

	build_failing(&m, &s);
	settings_defaults(&st);
	st.format = FORMAT_PROMETHEUS;
	st.top_processes = 2;
	prom = render_with(&m, &st, NULL);
	CHECK(strstr(prom, "\nporttop_connect_failures_total 75\n"));  /* the total stays whole */
	CHECK_EQ(count_lines_starting(prom, "porttop_process_connect_failures_total{"), 2);
	CHECK(strstr(prom, "porttop_process_connect_failures_total{pid=\"21\",user=\"root\",command=\"failing1\","
			   "remote=\"127.0.0.1\",port=\"8080\"} 50\n"));
	CHECK(strstr(prom, "{pid=\"22\",user=\"root\",command=\"failing2\",remote=\"127.0.0.1\",port=\"8080\"} 20\n"));
	CHECK(!strstr(prom, "porttop_process_connect_failures_total{pid=\"20\","));
	free(prom);

	st.top_processes = 0;
	prom = render_with(&m, &st, NULL);
	CHECK_EQ(count_lines_starting(prom, "porttop_process_connect_failures_total{"), 0);
	CHECK(strstr(prom, "\nporttop_connect_failures_total 75\n"));
	free(prom);

	settings_defaults(&st);  /* Prometheus's default, 10: all three */
	st.format = FORMAT_PROMETHEUS;
	prom = render_with(&m, &st, NULL);
	CHECK_EQ(count_lines_starting(prom, "porttop_process_connect_failures_total{"), 3);
	free(prom);
	model_free(&m);
	sample_free(&s);
}

static void test_a_failed_refresh_writes_only_its_own_series(void)
{
	struct report_refresh down = { .up = false, .seconds = 0.5, .last_success = { 1700000000, 250000000 } };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	CHECK(out != NULL);
	if (!out)
		return;
	output_prometheus_down(out, &down);
	fclose(out);
	CHECK_EQ(count_lines_starting(buf, "porttop_"), 3);
	CHECK(strstr(buf, "\nporttop_up 0\n"));
	CHECK(strstr(buf, "\nporttop_last_refresh_timestamp_seconds 1700000000.250\n"));
	free(buf);
}

static void test_check_judges_the_fullest_pool_with_plugin_ranges(void)
{
	struct settings st;
	struct model m;
	struct sample s;
	enum check_status status = CHECK_UNKNOWN;
	char *line;

	build_clients(&m, &s);
	settings_defaults(&st);
	st.format = FORMAT_CHECK;
	CHECK_EQ(threshold_parse("@10:20", &st.warning), 0);
	CHECK_EQ(threshold_parse("@90:100", &st.critical), 0);
	line = render_with(&m, &st, &status);
	CHECK_EQ(status, CHECK_WARNING);  /* 15 % is inside 10-20 */
	CHECK(strstr(line, "PORTTOP WARNING - destination 127.0.0.1 -> 127.0.0.1:8082 at 15.0 % (15/100 ports") == line);
	CHECK(strstr(line, " | fullest=15.00%;@10:20;@90:100;0;100 tcp_ports=15.00%;@10:20;@90:100;0;100 "));
	CHECK_EQ(count_lines_starting(line, ""), 1);  /* one line without -v */
	free(line);

	st.verbose = 1;
	st.top_processes = 1;
	CHECK_EQ(threshold_parse("14", &st.critical), 0);  /* above 14: CRITICAL */
	line = render_with(&m, &st, &status);
	CHECK_EQ(status, CHECK_CRITICAL);
	CHECK(strstr(line, "\nTightest destinations:\n  destination 127.0.0.1 -> 127.0.0.1:8082 at 15.0 %"));
	CHECK(strstr(line, "\nTop processes:\n  pid 12 client2 (root): 15 ephemeral ports, 0 TIME_WAIT, 0 CLOSE_WAIT\n"));
	CHECK(!strstr(line, "pid 11 "));
	free(line);
	model_free(&m);
	sample_free(&s);
}

/* A namespace's model: range low-high, n connections from 127.0.0.1 to :8080. */
static void build_namespace(struct model *m, struct sample *s, uint64_t inode, int high, unsigned n)
{
	sample_init(s);
	s->sys.low = 40000;
	s->sys.high = high;
	s->netns_inode = inode;
	s->probes.status = PROBE_OFF_REQUESTED;
	for (unsigned i = 0; i < n; i++) {
		struct sock_rec r = fixture_tcp("127.0.0.1", 40000 + i, "127.0.0.1", 8080, KTCP_ESTABLISHED,
						0, 100 + i);

		CHECK_EQ(sample_add_sock(s, &r), 0);
	}
	model_init(m);
	CHECK_EQ(model_build(m, s, NULL), 0);
}

/* What --all-netns's check or Prometheus output prints for r[0..n), malloc'd; the
 * check's status in *status. */
static char *render_all(const struct report *r, size_t n, enum output_format format,
			enum check_status *status)
{
	struct capture cap;

	if (!capture_open(&cap))
		return strdup("");
	if (format == FORMAT_CHECK)
		*status = output_check_all(cap.out, r, n, 1, &cap.st);
	else
		output_prometheus_all(cap.out, r, n);
	return capture_close(&cap);
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* --all-netns: the check names the fullest namespace, whatever the order; Prometheus
 * labels every series and gives each family one HELP; JSON names each namespace. */
static void test_every_namespace_output_names_the_namespace(void)
{
	struct sample sa, sb;
	struct model ma, mb;
	struct report r[2];
	enum check_status status = CHECK_UNKNOWN;
	struct settings st;
	char *out;

	settings_defaults(&st);
	build_namespace(&ma, &sa, 4026532001, 40099, 1);  /* 1 % */
	build_namespace(&mb, &sb, 4026532002, 40009, 10);  /* 100 % */
	CHECK_EQ(report_prepare(&r[0], &ma, &st, "host"), 0);
	CHECK_EQ(report_prepare(&r[1], &mb, &st, "host"), 0);
	r[0].all_netns = r[1].all_netns = true;
	r[0].netns_name = "";
	r[1].netns_name = "docker a1b2c3d4e5f6";

	out = render_all(r, 2, FORMAT_CHECK, &status);
	CHECK_EQ(status, CHECK_CRITICAL);
	CHECK(strstr(out, "PORTTOP CRITICAL - netns 4026532002 (docker a1b2c3d4e5f6): ") == out);
	CHECK(strstr(out, "; fullest of 2 namespaces, 1 not readable |") != NULL);
	free(out);

	out = render_all(r, 2, FORMAT_PROMETHEUS, NULL);
	CHECK(strstr(out, "porttop_range_high{netns=\"4026532002\",netns_name=\"docker a1b2c3d4e5f6\"} 40009\n"));
	CHECK(strstr(out, "porttop_range_high{netns=\"4026532001\",netns_name=\"\"} 40099\n"));
	CHECK(strstr(out, "porttop_ports_in_use{netns=\"4026532002\",netns_name=\"docker a1b2c3d4e5f6\","
			  "protocol=\"tcp\"} 10\n"));
	CHECK_EQ(count(out, "# HELP porttop_range_high "), 1);
	CHECK_EQ(count(out, "porttop_range_high{"), 2);
	CHECK_EQ(count(out, "\nporttop_range_high "), 0);  /* no series without its namespace */
	free(out);

	out = render(&mb, output_json);  /* one namespace alone: no netns_name */
	CHECK(strstr(out, "\"netns\":4026532002,\"tcp_tw_reuse\"") != NULL);
	free(out);

	/* one of each: the words are singular */
	out = render_all(r, 1, FORMAT_CHECK, &status);
	CHECK(strstr(out, "; fullest of 1 namespace, 1 not readable |") != NULL);
	free(out);
	out = render(&ma, output_text);
	CHECK(strstr(out, "\nTCP states (1 socket)\n") != NULL);
	free(out);

	report_release(&r[0]);
	report_release(&r[1]);
	model_free(&ma);
	model_free(&mb);
	sample_free(&sa);
	sample_free(&sb);
}

/*
 * The text output prints figures as the locale does (top -b does too); JSON keeps a '.'.
 * Run in the C locale, then again under a comma locale with the machine formats' tests.
 */
static void test_text_follows_the_locale_and_json_does_not(void)
{
	bool comma = localeconv()->decimal_point[0] == ',';
	struct model m;
	struct sample s;
	char *text, *json;

	build_clients(&m, &s);
	text = render(&m, output_text);
	json = render(&m, output_json);
	CHECK(strstr(text, comma ? "  15/100  15,0 %  ESTABLISHED 15 " : "  15/100  15.0 %  ESTABLISHED 15 "));
	CHECK(strstr(json, "\"tcp\":{\"in_use\":15,\"percent\":15.00,"));
	CHECK(!strstr(json, "15,00"));
	free(text);
	free(json);
	model_free(&m);
	sample_free(&s);
}

/* nf_conntrack_max 0 is no limit: JSON has no fill percentage for it, not -1. */
static void test_json_has_no_fill_for_an_unlimited_conntrack_table(void)
{
	struct sample *s = &built;
	struct model m;
	char *json;

	sample_free(s);
	sample_init(s);
	s->sys.low = 40000;
	s->sys.high = 40099;
	s->counters.tw_max_buckets = 10;
	s->counters.conntrack_count = 5;
	s->counters.conntrack_max = 0;
	model_init(&m);
	CHECK_EQ(model_build(&m, s, NULL), 0);
	json = render(&m, output_json);
	CHECK(strstr(json, "\"nf_conntrack\":{\"count\":5,\"max\":0,\"percent\":null,\"level\":\"OK\"}") != NULL);
	CHECK(strstr(json, "\"tcp_max_tw_buckets\":{\"count\":0,\"max\":10,\"percent\":0.00,") != NULL);
	free(json);
	model_free(&m);
}

int main(void)
{
	/* no setlocale(): the C locale, untranslated messages and strerror */
	RUN(test_only_a_netlink_failure_suggests_source_proc);
	RUN(test_json_says_why_netlink_was_not_used);
	RUN(test_json_has_no_fill_for_an_unlimited_conntrack_table);
	RUN(test_text_note_says_why_netlink_was_not_used);
	RUN(test_prometheus_series_are_bounded_by_the_top_flags);
	RUN(test_prometheus_failing_processes_are_bounded_by_top_processes);
	RUN(test_a_failed_refresh_writes_only_its_own_series);
	RUN(test_check_judges_the_fullest_pool_with_plugin_ranges);
	sample_free(&built);
	RUN(test_every_namespace_output_names_the_namespace);
	RUN(test_text_follows_the_locale_and_json_does_not);
	/* the machine formats again where printf writes 0,5: they must not */
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
		fprintf(stderr, "note: locale de_DE.UTF-8 not generated; the C locale only\n");
		CHECK_DONE();
	}
	char half[8];
	snprintf(half, sizeof(half), "%.1f", 0.5);
	CHECK_STR(half, "0,5");
	RUN(test_prometheus_series_are_bounded_by_the_top_flags);
	RUN(test_a_failed_refresh_writes_only_its_own_series);
	RUN(test_check_judges_the_fullest_pool_with_plugin_ranges);
	RUN(test_every_namespace_output_names_the_namespace);
	RUN(test_text_follows_the_locale_and_json_does_not);
	snprintf(half, sizeof(half), "%.1f", 0.5);
	CHECK_STR(half, "0,5");  /* each renderer gave the locale back */
	CHECK_DONE();
}
