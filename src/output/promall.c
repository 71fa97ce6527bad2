/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --all-netns in the Prometheus format: each namespace's exposition is the one
 * output_prometheus writes for it alone, with netns and netns_name added to every
 * series, and the families regrouped so that each one's HELP and TYPE come once,
 * followed by its series from every namespace (the format wants a family's lines
 * together).  Built from the single-namespace output rather than beside it, so a
 * series added there is labelled here without a change.
 */
#include "output.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One namespace's exposition, in memory. */
struct expo {
	char *text;
	size_t len;
};

static int render_one(const struct report *r, struct expo *e)
{
	FILE *out = open_memstream(&e->text, &e->len);

	if (!out)
		return -1;
	output_prometheus(out, r);
	return fclose(out) == 0 ? 0 : -1;
}

/* A series line with the namespace's labels first: name{netns=..,netns_name=..,rest} v */
static void labelled(FILE *out, const char *line, size_t len, const struct report *r)
{
	size_t name = strcspn(line, "{ ");

	if (name > len)
		name = len;
	fwrite(line, 1, name, out);
	fprintf(out, "{netns=\"%llu\",netns_name=", (unsigned long long)r->model->netns_inode);
	output_prometheus_label(out, r->netns_name ? r->netns_name : "");
	if (name < len && line[name] == '{') {
		fputc(',', out);
		name++;
	} else {
		fputc('}', out);
	}
	fwrite(line + name, 1, len - name, out);
	fputc('\n', out);
}

/* The lines of family `name` in e (its series: the name, then '{' or ' ' or "_bucket"...). */
static void family_series(FILE *out, const struct expo *e, const char *name, size_t name_len,
			  const struct report *r)
{
	for (size_t at = 0; at < e->len;) {
		const char *line = e->text + at;
		const char *nl = memchr(line, '\n', e->len - at);
		size_t len = nl ? (size_t)(nl - line) : e->len - at;

		at += len + 1;
		if (line[0] != '#' && len > name_len && memcmp(line, name, name_len) == 0 &&
		    (line[name_len] == '{' || line[name_len] == ' '))
			labelled(out, line, len, r);
	}
}

/* The families in order of first appearance: each "# HELP name" line of any namespace. */
static bool seen_before(const struct expo *e, size_t n, size_t upto_expo, size_t upto_at,
			const char *help, size_t len)
{
	for (size_t i = 0; i <= upto_expo && i < n; i++) {
		size_t end = i == upto_expo ? upto_at : e[i].len;
		for (size_t at = 0; at < end;) {
			const char *line = e[i].text + at;
			const char *nl = memchr(line, '\n', e[i].len - at);
			size_t l = nl ? (size_t)(nl - line) : e[i].len - at;
			if (l >= len && memcmp(line, help, len) == 0 && (l == len || line[len] == ' '))
				return true;
			at += l + 1;
		}
	}
	return false;
}

static void families(FILE *out, const struct expo *e, const struct report *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t at = 0; at < e[i].len;) {
			const char *line = e[i].text + at;
			const char *nl = memchr(line, '\n', e[i].len - at);
			size_t len = nl ? (size_t)(nl - line) : e[i].len - at;
			size_t head = strlen("# HELP ");
			size_t name_len = strcspn(line + head, " \n");

			if (len > head && strncmp(line, "# HELP ", head) == 0 &&
			    !seen_before(e, n, i, at, line, head + name_len)) {
				const char *type = nl ? nl + 1 : "";
				const char *type_nl = strchr(type, '\n');
				fwrite(line, 1, len + 1, out);  /* HELP, then TYPE */
				if (strncmp(type, "# TYPE ", 7) == 0 && type_nl)
					fwrite(type, 1, (size_t)(type_nl - type) + 1, out);
				for (size_t k = 0; k < n; k++)
					family_series(out, &e[k], line + head, name_len, &r[k]);
			}
			at += len + 1;
		}
}

void output_prometheus_all(FILE *out, const struct report *r, size_t n)
{
	struct expo *e = calloc(n ? n : 1, sizeof(*e));

	for (size_t i = 0; e && i < n; i++)
		if (render_one(&r[i], &e[i]) < 0)
			e[i].len = 0;
	if (e)
		families(out, e, r, n);
	for (size_t i = 0; e && i < n; i++)
		free(e[i].text);
	free(e);
}

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP porttop_%s %s\n# TYPE porttop_%s gauge\n", name, help, name);
}

void output_prometheus_namespaces(FILE *out, unsigned listed, unsigned unreadable)
{
	family(out, "network_namespaces", "Network namespaces found (--all-netns), read or not.");
	fprintf(out, "porttop_network_namespaces %u\n", listed);
	family(out, "network_namespaces_unreadable",
	       "Network namespaces porttop could not enter (--all-netns).");
	fprintf(out, "porttop_network_namespaces_unreadable %u\n", unreadable);
}
