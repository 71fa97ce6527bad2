/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key bar on the bottom line, as htop's function-key line: the main keys that
 * fit the width, in the user's language.  Each key has a rank; a narrow terminal
 * drops the highest ranks first, help and quit always stay.
 */
#include "view/ui.h"

#include <curses.h>

#include "util/i18n.h"
#include "view/textcols.h"

struct keybar_item {
	const char *keys;   /* as typed; not translated */
	const char *label;  /* N_() */
	int rank;           /* 0 is kept longest */
};

#define KEYBAR_MAX 16
#define KEYBAR_RANKS 11  /* ranks 0..10 */

static const struct keybar_item keybar_main[] = {
	{ "h", N_("Help"), 0 },
	{ "/", N_("Find"), 3 },
	{ "\\", N_("Filter"), 4 },
	{ "< >", N_("Sort"), 2 },
	{ "Enter", N_("Details"), 5 },
	{ "k", N_("Kill"), 6 },
	{ "r", N_("Range"), 7 },
	{ "Z", N_("Freeze"), 8 },
	{ "N", N_("Namespaces"), 9 },
	{ "K", N_("Counters"), 10 },
	{ "q", N_("Quit"), 0 },
};

static const struct keybar_item keybar_frozen[] = {
	{ "Z", N_("Resume"), 1 },
};

static const struct keybar_item keybar_replay[] = {
	{ "space", N_("Pause"), 1 },
	{ "t T", N_("Step"), 2 },
	{ "b", N_("Jump"), 3 },
};

static const struct keybar_item keybar_paused[] = {
	{ "space", N_("Play"), 1 },
	{ "t T", N_("Step"), 2 },
	{ "b", N_("Jump"), 3 },
};

static int item_width(const struct keybar_item *it)
{
	return textcols_width(it->keys) + 1 + textcols_width(_(it->label));
}

static size_t add_items(const struct keybar_item **out, size_t n, const struct keybar_item *items,
			size_t count)
{
	for (size_t i = 0; i < count && n < KEYBAR_MAX; i++)
		out[n++] = &items[i];
	return n;
}

/* The items of the current mode, in display order: the mode's own keys first. */
static size_t keybar_items(const struct ui *u, const struct keybar_item **out)
{
	size_t n = 0;

	if (u->engine->replay)
		n = u->frozen ? add_items(out, n, keybar_paused, sizeof(keybar_paused) / sizeof(keybar_paused[0]))
			      : add_items(out, n, keybar_replay, sizeof(keybar_replay) / sizeof(keybar_replay[0]));
	else if (u->frozen)
		n = add_items(out, n, keybar_frozen, sizeof(keybar_frozen) / sizeof(keybar_frozen[0]));
	for (size_t i = 0; i < sizeof(keybar_main) / sizeof(keybar_main[0]); i++)
		if (!(u->frozen && !u->engine->replay && keybar_main[i].keys[0] == 'Z'))
			n = add_items(out, n, &keybar_main[i], 1);
	return n;
}

/* Marks the items that fit in width columns, lowest rank first. */
static void keybar_fit(const struct keybar_item **items, size_t n, int width, bool *shown)
{
	int used = 0;

	for (int rank = 0; rank < KEYBAR_RANKS; rank++)
		for (size_t i = 0; i < n; i++) {
			int w = item_width(items[i]) + (used ? 2 : 0);

			if (items[i]->rank != rank || used + w > width)
				continue;
			shown[i] = true;
			used += w;
		}
}

static void keybar_put(const char *text, int attr, int *x, int width)
{
	int left = width - *x;

	if (left <= 0)
		return;
	attron(attr);
	textcols_mvadd(LINES - 1, *x, text, left);
	attroff(attr);
	*x += textcols_width(text);
}

/* The prefix says what the screen is in ("FROZEN"), then the keys that fit. */
void keybar_draw(const struct ui *u, int width)
{
	const struct keybar_item *items[KEYBAR_MAX];
	bool shown[KEYBAR_MAX] = { false };
	const char *state = !u->frozen ? NULL : u->engine->replay ? _("PAUSED") : _("FROZEN");
	size_t n = keybar_items(u, items);
	int x = 0, key_attr = A_BOLD | ui_color_attr(u, UI_COLOR_TITLE);

	if (state) {
		keybar_put(state, A_REVERSE, &x, width);
		keybar_put("  ", 0, &x, width);
	}
	keybar_fit(items, n, width - x, shown);
	for (size_t i = 0, first = 1; i < n; i++) {
		if (!shown[i])
			continue;
		if (!first)
			keybar_put("  ", 0, &x, width);
		first = 0;
		keybar_put(items[i]->keys, key_attr, &x, width);
		keybar_put(" ", 0, &x, width);
		keybar_put(_(items[i]->label), 0, &x, width);
	}
}
