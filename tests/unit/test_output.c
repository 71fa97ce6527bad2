/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batch outputs and the failure messages on hand-built models: which step a
 * message names, when it suggests --source=proc, and how the text note and the
 * JSON say why the sockets came from /proc/net.  Links the core and the outputs
 * only: no netlink, libproc2 or curses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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

/* What output_text or output_json prints for m, malloc'd. */
static char *render(const struct model *m, void (*output)(FILE *, const struct report *))
{
	struct settings st;
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	settings_defaults(&st);
	CHECK(out != NULL);
	if (!out)
		return strdup("");
	CHECK_EQ(report_prepare(&r, m, &st, "host"), 0);
	output(out, &r);
	report_release(&r);
	fclose(out);
	return buf;
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

int main(void)
{
	/* no setlocale(): the C locale, untranslated messages and strerror */
	RUN(test_only_a_netlink_failure_suggests_source_proc);
	RUN(test_json_says_why_netlink_was_not_used);
	RUN(test_text_note_says_why_netlink_was_not_used);
	sample_free(&built);
	CHECK_DONE();
}
