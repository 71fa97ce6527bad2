/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Modal input on the status line.  The refresh pauses while a prompt is open, as in
 * top: the figures the admin is deciding on do not move under the question.
 */
#include "view/ui.h"

#include <curses.h>
#include <langinfo.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "util/i18n.h"
#include "view/textcols.h"

#define KEY_ESCAPE 27
#define KEY_CTRL_U 21

static void draw_context(const struct ui *u)
{
	move(LINES - 2, 0);
	clrtoeol();
	attron(A_BOLD);
	textcols_mvadd_words(LINES - 2, 0, u->context, COLS);
	attroff(A_BOLD);
}

void prompt_context(struct ui *u, const char *text)
{
	if (text != u->context)
		snprintf(u->context, sizeof(u->context), "%s", text);
	draw_context(u);
}

/* After a resize the whole screen is laid out again, then the question on top. */
static void redraw_under_prompt(struct ui *u)
{
	ui_draw(u);
	if (u->context[0])
		draw_context(u);
}

/* The end of buf that fits in cols columns: where the cursor types. */
static const char *input_tail(const char *buf, int cols)
{
	while (*buf && textcols_width(buf) > cols) {
		buf++;
		while (((unsigned char)*buf & 0xc0) == 0x80)
			buf++;
	}
	return buf;
}

/*
 * The label gives way to the input, down to half the line: a long French or German
 * label on a narrow terminal left no room to see the range being edited.
 */
static void draw_prompt(const char *label, const char *buf)
{
	int room = COLS - 1, input = textcols_width(buf) + 1;  /* + the cursor's cell */
	int for_label = room - (input < room / 2 ? input : room / 2);

	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	if (textcols_width(label) <= for_label) {
		addstr(label);
	} else {
		textcols_add_words(label, for_label - 1);
		addch(' ');
	}
	attroff(A_BOLD);
	addstr(input_tail(buf, room - getcurx(stdscr)));
	refresh();
}

/* Removes the last UTF-8 character. */
static void erase_last(char *buf)
{
	size_t n = strlen(buf);

	while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	buf[n] = '\0';
}

static void append(char *buf, size_t len, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t ps;
	size_t n, used = strlen(buf);

	memset(&ps, 0, sizeof(ps));
	n = wcrtomb(mb, (wchar_t)ch, &ps);
	if (n == (size_t)-1 || used + n + 1 > len)
		return;
	memcpy(buf + used, mb, n);
	buf[used + n] = '\0';
}

bool prompt_line(struct ui *u, const char *label, char *buf, size_t len)
{
	curs_set(1);
	timeout(-1);
	for (;;) {
		wint_t ch;
		int kind;

		draw_prompt(label, buf);
		kind = ui_get_wch(&ch);
		if (ui_interrupted() || (kind == OK && ch == KEY_ESCAPE))
			break;
		if (kind == ERR)
			continue;
		if (kind == KEY_CODE_YES) {
			if (ch == KEY_RESIZE)
				redraw_under_prompt(u);
			if (ch == KEY_ENTER)
				goto done;
			if (ch == KEY_BACKSPACE)
				erase_last(buf);
			continue;
		}
		if (ch == '\n' || ch == '\r')
			goto done;
		if (ch == 127 || ch == 8)
			erase_last(buf);
		else if (ch == KEY_CTRL_U)
			buf[0] = '\0';
		else if (iswprint((wint_t)ch))
			append(buf, len, ch);
	}
	curs_set(0);
	return false;
done:
	curs_set(0);
	return true;
}

static void draw_question(const char *question)
{
	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	textcols_add(question, COLS - 1);
	attroff(A_BOLD);
	refresh();
}

static bool answer_matches(const char *expr, const char *answer)
{
	regex_t re;
	bool yes;

	if (!expr || !expr[0] || regcomp(&re, expr, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	yes = regexec(&re, answer, 0, NULL, 0) == 0;
	regfree(&re);
	return yes;
}

/*
 * A key means yes when the locale's YESEXPR (LC_MESSAGES: "^[+1oOyY]" in French)
 * or the catalogue's own expression accepts it: LANGUAGE can translate the
 * question ("[o/N]") while LC_MESSAGES stays C, whose YESEXPR knows only y.
 */
static bool answer_is_yes(int key)
{
	char answer[2] = { (char)key, '\0' };

	if (key <= 0 || key > 255)
		return false;
	/* TRANSLATORS: a regular expression (POSIX extended) for the keys that answer
	   yes to the [y/N] questions, as in the locale's YESEXPR: French "^[oOyY]". */
	return answer_matches(nl_langinfo(YESEXPR), answer) || answer_matches(_("^[yY]"), answer);
}

bool prompt_yes(struct ui *u, const char *question)
{
	int key;

	draw_question(question);
	timeout(-1);
	for (;;) {
		key = ui_get_key();
		if (key == KEY_RESIZE) {
			redraw_under_prompt(u);
			draw_question(question);
			continue;
		}
		if (key != ERR || ui_interrupted())
			break;
	}
	return key != ERR && answer_is_yes(key);
}
