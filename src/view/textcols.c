/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "view/textcols.h"

#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* The next character of s (len bytes left): its bytes in *bytes, its columns returned. */
static int textcols_next(const char *s, size_t len, mbstate_t *st, size_t *bytes)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, len, st);
	int w;

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*bytes = 1;  /* not decodable here: curses shows it in one cell or escaped */
		return 1;
	}
	*bytes = n;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/*
 * The one walk both measures share, so that the columns a string is said to take and
 * the bytes that fill them can never disagree: the bytes of the whole characters of s
 * that fit in cols columns, and in *used the columns they take.  A zero-width
 * character right after the last that fits still fits (it belongs to that one).
 */
static size_t textcols_walk(const char *s, int cols, int *used)
{
	size_t len = strlen(s), at = 0;
	mbstate_t st;

	*used = 0;
	memset(&st, 0, sizeof(st));
	while (at < len) {
		size_t bytes;
		int w = textcols_next(s + at, len - at, &st, &bytes);

		if (w > cols - *used)  /* not *used + w > cols: no overflow at INT_MAX */
			break;
		*used += w;
		at += bytes;
	}
	return at;
}

size_t textcols_fit(const char *s, int cols)
{
	int used;

	return textcols_walk(s, cols, &used);
}

int textcols_width(const char *s)
{
	int used;

	textcols_walk(s, INT_MAX, &used);
	return used;
}

int textcols_field(const char *s, int cols)
{
	int field = cols + (int)strlen(s) - textcols_width(s);

	return field > 0 ? field : 0;  /* a negative width would mean %-*s */
}

void textcols_number(char *buf, size_t len, unsigned long long v, int cols)
{
	static const char prefix[] = "kMGTPE";
	int n = snprintf(buf, len, "%llu", v);

	for (int k = 0; n > cols && prefix[k] && v >= 1000; k++) {
		v /= 1000;
		n = snprintf(buf, len, "%llu%c", v, prefix[k]);
	}
}

/* The start of the word that ends at cut, and the blanks before it. */
static size_t word_back(const char *s, size_t cut, size_t *word)
{
	size_t w = cut;

	while (w > 0 && s[w - 1] != ' ')
		w--;
	*word = w;
	while (w > 0 && s[w - 1] == ' ')
		w--;
	return w;
}

static bool has_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return true;
	return false;
}

/*
 * What a cut at a blank leaves out at its end too: a label whose figure is the word
 * cut away ("usable" of "usable 100", "netns" of its inode), then a lone separator
 * ("porttop - vm -"): both announce a part that is not shown.  Never the first word.
 */
static size_t drop_dangling(const char *s, size_t cut, const char *next)
{
	size_t word, before = word_back(s, cut, &word);

	if (before > 0 && *next >= '0' && *next <= '9' && !has_digit(s + word, cut - word)) {
		cut = before;
		before = word_back(s, cut, &word);
	}
	if (before > 0 && cut - word == 1 && s[word] == '-')
		cut = before;
	return cut;
}

size_t textcols_fit_words(const char *s, int cols)
{
	size_t at = textcols_fit(s, cols), cut = at;
	const char *next_word;

	if (s[at] == '\0')
		return at;
	if (s[at] == ' ') {
		size_t next = at;

		while (s[next] == ' ')
			next++;
		return drop_dangling(s, at, s + next);
	}
	while (cut > 0 && s[cut - 1] != ' ')
		cut--;
	next_word = s + cut;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return cut ? drop_dangling(s, cut, next_word) : at;  /* one word wider than the room: cut it, as before */
}

void textcols_line_start(struct textcols_line *l, char *buf, size_t len, int cols)
{
	*l = (struct textcols_line){ .buf = buf, .len = len, .cols = cols, .full = len == 0 };
	if (len)
		buf[0] = '\0';
}

void textcols_line_add(struct textcols_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->n, l->len - l->n, fmt, ap);
	va_end(ap);
	if (n < 0) {
		l->buf[l->n] = '\0';
		l->full = true;
		return;
	}
	/* a phrase the buffer cuts is as cut as one the screen would */
	l->full = (size_t)n >= l->len - l->n;
	if (l->n > 0 && (l->full || textcols_width(l->buf) > l->cols)) {
		l->buf[l->n] = '\0';
		l->full = true;
		return;
	}
	l->n += strlen(l->buf + l->n);
}

void textcols_add(const char *s, int cols)
{
	size_t n = cols > 0 ? textcols_fit(s, cols) : 0;

	if (n)
		addnstr(s, (int)n);
}

void textcols_mvadd(int y, int x, const char *s, int cols)
{
	move(y, x);
	textcols_add(s, cols);
}

void textcols_add_words(const char *s, int cols)
{
	size_t n = cols > 0 ? textcols_fit_words(s, cols) : 0;

	if (n)
		addnstr(s, (int)n);
}

void textcols_mvadd_words(int y, int x, const char *s, int cols)
{
	move(y, x);
	textcols_add_words(s, cols);
}
