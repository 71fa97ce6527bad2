/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One column table drives every renderer: each column of model/columns.c shows up,
 * in the table's order, in the batch text, the JSON rows, the Prometheus series and
 * the live view's header, and the text and screen headers are the same list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model/columns.h"
#include "model/model.h"
#include "output/output.h"
#include "view/tablelayout.h"

static struct proc_row sample_row(void)
{
	struct proc_row row;

	memset(&row, 0, sizeof(row));
	row.pid = 4242;
	row.uid = 1000;
	strcpy(row.user, "alice");
	strcpy(row.comm, "curl");
	row.cmdline = "curl -s http://x";
	row.sockets = 12;
	row.tcp = 11;
	row.udp = 1;
	row.ephemeral = 40;
	row.time_wait = 35;
	row.time_wait_percent = 74.4681;
	row.handles = 99;
	row.new_per_sec = -1;
	return row;
}

/* Renders r with fn into a string the caller frees. */
static char *render(void (*fn)(FILE *, const struct report *), const struct report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	fn(out, r);
	fclose(out);
	return text;
}

/* The line of text that starts, after blanks, with word; "" if none (copied to buf). */
static const char *line_starting(const char *text, const char *word, char *buf, size_t len)
{
	for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		const char *q = p + strspn(p, " ");
		size_t n = strcspn(p, "\n");
		if (strncmp(q, word, strlen(word)) == 0 && n < len) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			return buf;
		}
	}
	buf[0] = '\0';
	return buf;
}

/* The words of a header line joined by one blank: "PID USER ... COMMAND". */
static void words(const char *line, char *out, size_t len)
{
	size_t n = 0;

	for (const char *p = line + strspn(line, " "); *p && n + 1 < len; p++)
		if (*p != ' ' || (p[1] && p[1] != ' '))
			out[n++] = *p;
	out[n] = '\0';
}

static void table_headers(char *out, size_t len, const bool *shown)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < columns_count; i++)
		if (columns_shown(&columns[i]) && (!shown || shown[i]))
			n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", columns[i].header);
}

/* A model whose probes counted a failure: every shown column is in its tables (FAIL/s too). */
static struct probe_facts failing_facts = { .status = PROBE_ON };

/* Every column shows: connect() failing (FAIL/s), a process leaking (LEAK) and a process
   in a container (CONTAINER). */
static void model_with_failures(struct model *m)
{
	model_init(m);
	m->rows_in_containers = 1;
	m->bpf = true;
	m->failures_total = 1;
	m->failures_per_sec = -1;
	m->probes = &failing_facts;
	m->leaking = 1;
}

static struct report report_of(const struct model *m, const struct proc_row **rows, size_t n)
{
	struct report r = { .model = m, .rows = rows, .n_rows = n, .hostname = "host" };

	return r;
}

static void test_every_shown_column_heads_the_text_and_the_screen_alike(void)
{
	struct model m;
	struct proc_row row = sample_row();
	const struct proc_row *rows[] = { &row };
	struct report r;
	struct proctable_header h;
	bool shown[COLUMNS_MAX];
	char line[1024], text_words[1024], screen_words[1024], expected[1024];
	char *text;

	model_with_failures(&m);
	r = report_of(&m, rows, 1);
	text = render(output_text, &r);
	words(line_starting(text, "PID ", line, sizeof(line)), text_words, sizeof(text_words));
	proctable_columns(&m, 500, shown);
	proctable_header(&h, shown, columns_find("pid"));
	words(h.text, screen_words, sizeof(screen_words));
	table_headers(expected, sizeof(expected), NULL);
	CHECK_STR(text_words, expected);
	CHECK_STR(screen_words, expected);
	for (size_t i = 0; i < columns_count; i++)
		CHECK(!columns_shown(&columns[i]) || strstr(text_words, columns[i].header));
	free(text);
}

static void test_every_column_is_a_json_key_in_table_order(void)
{
	struct model m;
	struct proc_row row = sample_row();
	const struct proc_row *rows[] = { &row };
	struct report r;
	char *json, *at, key[64];
	size_t keys = 0;

	model_init(&m);
	r = report_of(&m, rows, 1);
	json = render(output_json, &r);
	at = strstr(json, "\"processes\":[{");
	CHECK(at != NULL);
	for (size_t i = 0; at && i < columns_count; i++) {
		snprintf(key, sizeof(key), "%c\"%s\":", i ? ',' : '{', columns[i].key);
		at = strstr(at, key);
		CHECK(at != NULL);
		keys += at != NULL;
	}
	CHECK_EQ(keys, columns_count);
	/* the formats JSON readers rely on */
	CHECK(strstr(json, "\"pid\":4242,") && strstr(json, "\"time_wait_percent\":74.47,") &&
	      strstr(json, "\"new_per_sec\":null,") && strstr(json, "\"cmdline\":\"curl -s http://x\"") &&
	      strstr(json, "\"exited\":false}]"));
	free(json);
}

static void test_every_prometheus_column_is_a_series_per_process(void)
{
	struct model m;
	struct proc_row row = sample_row();
	const struct proc_row *rows[] = { &row };
	struct report r;
	char *prom, series[128];
	unsigned families = 0;

	model_init(&m);
	r = report_of(&m, rows, 1);
	prom = render(output_prometheus, &r);
	for (size_t i = 0; i < columns_count; i++) {
		char buf[64];
		if (!columns[i].prometheus)
			continue;
		families++;
		snprintf(series, sizeof(series), "\nporttop_%s{pid=\"4242\",user=\"alice\",command=\"curl\"} %s\n",
			 columns[i].prometheus, columns_format(&columns[i], &row, COLUMN_JSON, buf, sizeof(buf)));
		CHECK(strstr(prom, series) != NULL);
	}
	for (const char *p = prom; (p = strstr(p, "# TYPE porttop_process_")); p++)
		families--;
	CHECK_EQ(families, 0);
	CHECK(strstr(prom, "porttop_process_ephemeral_ports{pid=\"4242\",user=\"alice\",command=\"curl\"} 40\n"));
	free(prom);
}

/* Screen cells the shown columns take, and the highest drop rank among the hidden ones. */
static int used_width(const bool shown[COLUMNS_MAX], int *dropped_rank)
{
	int used = 0;

	*dropped_rank = 0;
	for (size_t i = 0; i < columns_count; i++) {
		if (shown[i])
			used += columns[i].screen_width;
		else if (columns_shown(&columns[i]) && columns[i].drop > *dropped_rank)
			*dropped_rank = columns[i].drop;
	}
	return used;
}

static void test_narrow_screens_drop_columns_by_their_rank_and_no_more(void)
{
	bool shown[COLUMNS_MAX];
	char got[512];
	struct model m, quiet;

	model_with_failures(&m);
	model_init(&quiet);  /* no eBPF failures: no FAIL/s */

	for (int cols = 10; cols <= 300; cols++) {
		int rank, used;

		proctable_columns(&m, cols, shown);
		used = used_width(shown, &rank);
		for (size_t i = 0; i < columns_count; i++) {
			const struct column *c = &columns[i];
			/* hidden: JSON only, or ranked at or below the last rank dropped */
			CHECK_EQ(shown[i], columns_shown(c) && (c->drop == 0 || c->drop > rank));
		}
		if (rank) {  /* it had to: the rank before would leave the command less than 8 */
			for (size_t i = 0; i < columns_count; i++)
				if (columns[i].drop == rank)
					used += columns[i].screen_width;
			CHECK(cols - used < 8);
		}
	}
	proctable_columns(&quiet, 80, shown);  /* the README's screen */
	table_headers(got, sizeof(got), shown);
	CHECK_STR(got, "PID USER SOCK TCP UDP EPHEM ESTAB TW TW% CLWAIT HANDLES COMMAND");
	/* while connect() fails and a process leaks, FAIL/s and LEAK are the last columns a
	 * narrow screen gives up */
	proctable_columns(&m, 80, shown);
	table_headers(got, sizeof(got), shown);
	CHECK_STR(got, "PID USER SOCK EPHEM ESTAB TW CLWAIT FAIL/s LEAK HANDLES COMMAND");
}

static void test_the_sort_marker_takes_the_blank_left_of_the_sorted_header(void)
{
	bool shown[COLUMNS_MAX];
	struct proctable_header h;
	struct model m;

	model_with_failures(&m);
	proctable_columns(&m, 500, shown);
	proctable_header(&h, shown, columns_find("ephemeral"));
	CHECK_EQ(h.text[h.marker_at], ' ');
	CHECK_EQ(strncmp(h.text + h.marker_at + 1, "EPHEM", 5), 0);
	CHECK_EQ(h.sorted_len, 5);
	proctable_columns(&m, 60, shown);
	proctable_header(&h, shown, columns_find("udp"));  /* dropped: no marker */
	CHECK_EQ(h.sorted_len, 0);
}

static void test_sort_keys_and_steps_come_from_the_table(void)
{
	const struct column *c = columns_find("pid");

	CHECK_STR(columns_by_sort_key('T')->key, "time_wait");
	CHECK_STR(columns_by_sort_key('P')->key, "pid");
	CHECK(columns_by_sort_key('x') == NULL);
	CHECK_STR(columns_step(c, 1)->key, "user");       /* uid is JSON only: skipped */
	CHECK_STR(columns_step(c, -1)->key, "command");   /* wraps; cmdline, exited skipped */
	CHECK_STR(columns_step(columns_step(c, -1), 1)->key, "pid");
	CHECK_STR(columns_step(c, 3)->key, "tcp");
	for (size_t i = 0; i < columns_count; i++)
		CHECK(columns_shown(&columns[i]) || (!columns[i].sort_key && !columns[i].drop));
}

static void test_cells_read_as_people_and_json_expect(void)
{
	struct proc_row row = sample_row();
	const struct column *rate = columns_find("new_per_sec"), *command = columns_find("command");
	char buf[64];

	CHECK_STR(columns_format(rate, &row, COLUMN_PLAIN, buf, sizeof(buf)), "-");
	CHECK_STR(columns_format(rate, &row, COLUMN_JSON, buf, sizeof(buf)), "null");
	row.new_per_sec = 2.345;
	CHECK_STR(columns_format(rate, &row, COLUMN_PLAIN, buf, sizeof(buf)), "2.3");
	CHECK_STR(columns_format(rate, &row, COLUMN_JSON, buf, sizeof(buf)), "2.35");
	CHECK_STR(columns_format(columns_find("TW%"), &row, COLUMN_PLAIN, buf, sizeof(buf)), "74");
	CHECK_STR(columns_format(command, &row, COLUMN_PLAIN, buf, sizeof(buf)), "curl");
	CHECK_STR(columns_format(command, &row, COLUMN_CMDLINE, buf, sizeof(buf)), "curl -s http://x");
	row.cmdline = "";
	CHECK_STR(columns_format(command, &row, COLUMN_CMDLINE, buf, sizeof(buf)), "curl");
}

int main(void)
{
	RUN(test_every_shown_column_heads_the_text_and_the_screen_alike);
	RUN(test_every_column_is_a_json_key_in_table_order);
	RUN(test_every_prometheus_column_is_a_series_per_process);
	RUN(test_narrow_screens_drop_columns_by_their_rank_and_no_more);
	RUN(test_the_sort_marker_takes_the_blank_left_of_the_sorted_header);
	RUN(test_sort_keys_and_steps_come_from_the_table);
	RUN(test_cells_read_as_people_and_json_expect);
	CHECK_DONE();
}
