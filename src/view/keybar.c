/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key bar on the bottom line, as htop's function-key line: the main keys that
 * fit the width, in the user's language.  Each key has a rank; a narrow terminal
 * drops the highest ranks first, help and quit always stay.  As htop's read-only mode
 * does, the bar offers only keys that do something now: secure mode (and so a
 * replay) refuses the remedies, and a recording has no other namespace to list.
 */
#include "view/ui.h"

#include <curses.h>

#include "util/i18n.h"
#include "view/textcols.h"

enum keybar_need {
	KEYBAR_ALWAYS,
	KEYBAR_NOT_SECURE,  /* a remedy: secure mode refuses it (actions.c) */
	KEYBAR_LIVE,        /* the system itself: a replay refuses it (replay.c) */
};

struct keybar_item {
	const char *keys;   /* as typed; not translated */
	const char *label;  /* N_() */
	int rank;           /* 0 is kept longest */
	enum keybar_need need;
};

#define KEYBAR_MAX 16
#define KEYBAR_RANKS 11  /* ranks 0..10 */

static const struct keybar_item keybar_main[] = {
	{ "h", N_("Help"), 0, KEYBAR_ALWAYS },
	{ "/", N_("Find"), 3, KEYBAR_ALWAYS },
	{ "\\", N_("Filter"), 4, KEYBAR_ALWAYS },
	{ "< >", N_("Sort"), 2, KEYBAR_ALWAYS },
	{ "Enter", N_("Details"), 5, KEYBAR_ALWAYS },
	{ "k", N_("Kill"), 6, KEYBAR_NOT_SECURE },
	{ "r", N_("Range"), 7, KEYBAR_NOT_SECURE },
	{ "Z", N_("Freeze"), 8, KEYBAR_ALWAYS },
	{ "N", N_("Namespaces"), 9, KEYBAR_LIVE },
	{ "K", N_("Counters"), 10, KEYBAR_ALWAYS },
	{ "q", N_("Quit"), 0, KEYBAR_ALWAYS },
};

static const struct keybar_item keybar_frozen[] = {
	{ "Z", N_("Resume"), 1, KEYBAR_ALWAYS },
};

static const struct keybar_item keybar_replay[] = {
	{ "space", N_("Pause"), 1, KEYBAR_ALWAYS },
	{ "t T", N_("Step"), 2, KEYBAR_ALWAYS },
	{ "b", N_("Jump"), 3, KEYBAR_ALWAYS },
};

static const struct keybar_item keybar_paused[] = {
	{ "space", N_("Play"), 1, KEYBAR_ALWAYS },
	{ "t T", N_("Step"), 2, KEYBAR_ALWAYS },
	{ "b", N_("Jump"), 3, KEYBAR_ALWAYS },
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

static bool keybar_offered(const struct ui *u, const struct keybar_item *it)
{
	switch (it->need) {
	case KEYBAR_NOT_SECURE: return !u->st->secure;
	case KEYBAR_LIVE: return !u->engine->replay;
	case KEYBAR_ALWAYS: break;
	}
	return true;
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
		if (!(u->frozen && !u->engine->replay && keybar_main[i].keys[0] == 'Z') &&
		    keybar_offered(u, &keybar_main[i]))
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
