/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "view/tablelayout.h"

#include <stdio.h>
#include <string.h>

/* Fewer cells than this for the command, and the next drop rank goes. */
#define PROCTABLE_MIN_COMMAND 8

void proctable_columns(const struct model *m, int cols, bool shown[COLUMNS_MAX])
{
	int used = 0, rank = 0;

	for (size_t c = 0; c < columns_count; c++) {
		shown[c] = columns_in_table(&columns[c], m);
		used += shown[c] ? columns[c].screen_width : 0;
	}
	while (cols - used < PROCTABLE_MIN_COMMAND) {
		bool any = false;
		rank++;
		for (size_t c = 0; c < columns_count; c++) {
			if (columns[c].drop > rank)
				any = true;
			if (columns[c].drop != rank || !shown[c])
				continue;
			shown[c] = false;
			used -= columns[c].screen_width;
		}
		if (!any)
			break;
	}
}

void proctable_header(struct proctable_header *h, const bool shown[COLUMNS_MAX],
		      const struct column *sort)
{
	size_t n = 0;

	h->marker_at = h->sorted_len = 0;
	h->text[0] = '\0';
	for (size_t i = 0; i < columns_count && n < sizeof(h->text); i++) {
		const struct column *c = &columns[i];
		int len = (int)strlen(c->header ? c->header : ""), pad;

		if (!shown[i])
			continue;
		pad = columns_is_string(c) ? 1 : c->screen_width - len;
		pad = pad > 0 ? pad : 1;
		if (c == sort) {
			h->marker_at = n + (size_t)pad - 1;
			h->sorted_len = (size_t)len;
		}
		if (columns_is_string(c) && c->width)
			len = c->screen_width - 1;
		n += (size_t)snprintf(h->text + n, sizeof(h->text) - n, "%*s%-*s", pad, "", len, c->header);
	}
}
