/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text measured in terminal columns, not bytes: translations and command names are
 * UTF-8, where "complètes" is 9 columns and 10 bytes.  curses' addnstr() counts
 * bytes, so a line cut at COLS bytes loses its last letters on an 80-column screen.
 */
#ifndef PORTTOP_TEXTCOLS_H
#define PORTTOP_TEXTCOLS_H

#include <stdbool.h>
#include <stddef.h>

/* The columns s takes (a byte the locale cannot decode counts as one). */
int textcols_width(const char *s);
/* How many bytes of s fill at most cols columns, never cutting a character. */
size_t textcols_fit(const char *s, int cols);
/*
 * The same, but a cut inside a word goes back to the blank before it: "usable 100"
 * cut to "usable 10", or a netns inode losing its last digits, shows a wrong figure,
 * where "usable" alone shows none.  A word wider than cols is still cut.
 */
size_t textcols_fit_words(const char *s, int cols);
/* The printf field width that pads s to cols columns: %*s and %-*s count bytes. */
int textcols_field(const char *s, int cols);
/*
 * v in at most cols (>= 4) characters: its digits, or else v divided by 1000 as often
 * as needed, with the SI prefix (k, M, G, T, P, E) of the division.  Rounded down, so
 * that a counter never reads more than the kernel counted ("19k" for 19999).
 */
void textcols_number(char *buf, size_t len, unsigned long long v, int cols);
/*
 * A line built of phrases, each kept whole or not at all: a blank cut can still part a
 * number from its unit ("full in ~2 s" to "full in ~2", "(85 %)" to "(85"), which then
 * reads as a figure it is not.  Once a phrase would pass cols columns, neither it nor
 * any after it is added; the first is kept even so (drawn cut at a blank, as before).
 */
struct textcols_line {
	char *buf;
	size_t len, n;  /* n: the bytes of the phrases kept */
	int cols;
	bool full;      /* a phrase was left out: so are the ones after it */
};
void textcols_line_start(struct textcols_line *l, char *buf, size_t len, int cols);
void textcols_line_add(struct textcols_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* addnstr() at the cursor, at most cols columns of s. */
void textcols_add(const char *s, int cols);
/* The same at (y, x). */
void textcols_mvadd(int y, int x, const char *s, int cols);
/* At most cols columns of s cut at a blank (textcols_fit_words): lines of figures. */
void textcols_add_words(const char *s, int cols);
void textcols_mvadd_words(int y, int x, const char *s, int cols);

#endif
