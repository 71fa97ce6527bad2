/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Modal input on the status line.  The refresh pauses while a prompt is open, as in
 * top: the figures the admin is deciding on do not move under the question.
 */
#include "view/ui.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#define KEY_ESCAPE 27
#define KEY_CTRL_U 21

static void draw_context(const struct ui *u)
{
	move(LINES - 2, 0);
	clrtoeol();
	attron(A_BOLD);
	mvaddnstr(LINES - 2, 0, u->context, COLS);
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

static void draw_prompt(const char *label, const char *buf)
{
	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	addnstr(label, COLS - 1);
	attroff(A_BOLD);
	addnstr(buf, COLS - 1 - getcurx(stdscr));
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
		kind = get_wch(&ch);
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
	addnstr(question, COLS - 1);
	attroff(A_BOLD);
	refresh();
}

bool prompt_yes(struct ui *u, const char *question)
{
	int key;

	draw_question(question);
	timeout(-1);
	for (;;) {
		key = getch();
		if (key == KEY_RESIZE) {
			redraw_under_prompt(u);
			draw_question(question);
			continue;
		}
		if (key != ERR || ui_interrupted())
			break;
	}
	return key == 'y' || key == 'Y';
}
