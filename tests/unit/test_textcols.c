/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view/textcols.c: text measured in terminal columns.  The live view cuts every line
 * with textcols_fit and lays out with textcols_width, so the two must agree on every
 * kind of byte a translation or a process name brings: accented and wide letters,
 * zero-width marks, control bytes and bytes that are not UTF-8 at all.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "view/textcols.h"

static void test_ascii_is_one_column_a_byte(void)
{
	CHECK_EQ(textcols_width(""), 0);
	CHECK_EQ(textcols_width("porttop"), 7);
	CHECK_EQ(textcols_fit("porttop", 4), 4);
	CHECK_EQ(textcols_fit("porttop", 7), 7);
	CHECK_EQ(textcols_fit("porttop", 80), 7);
	CHECK_EQ(textcols_fit("", 5), 0);
}

static void test_no_room_fits_nothing(void)
{
	CHECK_EQ(textcols_fit("porttop", 0), 0);
	CHECK_EQ(textcols_fit("porttop", -3), 0);
	CHECK_EQ(textcols_fit("\xc3\xa9t\xc3\xa9", 0), 0);
}

/* "complètes": 9 columns, 10 bytes, the case that cut French lines at 80 columns */
static void test_accented_letters_are_one_column_of_two_bytes(void)
{
	const char *s = "compl\xc3\xa8tes";

	CHECK_EQ(textcols_width(s), 9);
	CHECK_EQ(textcols_fit(s, 5), 5);
	CHECK_EQ(textcols_fit(s, 6), 7);
	CHECK_EQ(textcols_fit(s, 9), 10);
	CHECK_EQ(textcols_width("Kernel-Z\xc3\xa4hler (K)"), 17);
}

/* U+65E5 U+672C, and U+1F600 (four bytes): two columns each, never cut in half */
static void test_wide_characters_take_two_columns_and_are_never_halved(void)
{
	const char *s = "\xe6\x97\xa5\xe6\x9c\xac";

	CHECK_EQ(textcols_width(s), 4);
	CHECK_EQ(textcols_fit(s, 1), 0);
	CHECK_EQ(textcols_fit(s, 2), 3);
	CHECK_EQ(textcols_fit(s, 3), 3);
	CHECK_EQ(textcols_fit(s, 4), 6);
	CHECK_EQ(textcols_width("a\xf0\x9f\x98\x80" "b"), 4);
	CHECK_EQ(textcols_fit("a\xf0\x9f\x98\x80" "b", 2), 1);
	CHECK_EQ(textcols_fit("a\xf0\x9f\x98\x80" "b", 3), 5);
}

/* e + U+0301 (combining acute), U+200B (zero-width space): the mark stays with its letter */
static void test_zero_width_characters_take_no_column(void)
{
	const char *s = "e\xcc\x81x";

	CHECK_EQ(textcols_width(s), 2);
	CHECK_EQ(textcols_fit(s, 1), 3);
	CHECK_EQ(textcols_fit(s, 2), 4);
	CHECK_EQ(textcols_width("a\xe2\x80\x8b" "b"), 2);
	CHECK_EQ(textcols_fit("a\xe2\x80\x8b" "b", 1), 4);
	/* nothing but a mark fits even in no room at all */
	CHECK_EQ(textcols_width("\xcc\x81"), 0);
	CHECK_EQ(textcols_fit("\xcc\x81", 0), 2);
}

/* tab, escape, DEL and the C1 control U+0085: wcwidth -1, shown in one cell (or escaped) */
static void test_control_characters_count_one_column(void)
{
	CHECK_EQ(textcols_width("a\tb"), 3);
	CHECK_EQ(textcols_width("\x1b[31m"), 5);
	CHECK_EQ(textcols_width("\x7f"), 1);
	CHECK_EQ(textcols_width("\xc2\x85"), 1);
	CHECK_EQ(textcols_fit("\xc2\x85" "a", 1), 2);
	CHECK_EQ(textcols_fit("a\tb", 2), 2);
}

/* a byte that is not UTF-8 is one column, and decoding starts afresh after it */
static void test_invalid_utf8_is_one_column_a_byte(void)
{
	CHECK_EQ(textcols_width("\xff"), 1);
	CHECK_EQ(textcols_width("a\xff" "b"), 3);
	CHECK_EQ(textcols_fit("a\xff" "b", 2), 2);
	/* a lone continuation byte, then a whole letter */
	CHECK_EQ(textcols_width("\x80\xc3\xa9"), 2);
	CHECK_EQ(textcols_fit("\x80\xc3\xa9", 1), 1);
	CHECK_EQ(textcols_fit("\x80\xc3\xa9", 2), 3);
	/* a lead byte followed by no continuation: the lead alone, then "x" */
	CHECK_EQ(textcols_width("\xc3x"), 2);
	CHECK_EQ(textcols_fit("\xc3x", 1), 1);
	/* a sequence cut short by the end of the string: a column for each byte left */
	CHECK_EQ(textcols_width("a\xe6\x97"), 3);
	CHECK_EQ(textcols_fit("a\xe6\x97", 2), 2);
	CHECK_EQ(textcols_fit("a\xe6\x97", 3), 3);
}

static const char *const samples[] = {
	"", "porttop", "compl\xc3\xa8tes", "\xe6\x97\xa5\xe6\x9c\xac", "a\xf0\x9f\x98\x80" "b",
	"e\xcc\x81x", "\xcc\x81\xcc\x81", "a\tb\x1b", "\xc2\x85" "a", "a\xff" "b", "\x80\xc3\xa9",
	"\xc3x", "a\xe6\x97", "Kernel-Z\xc3\xa4hler (K)",
};

/* The columns of the first n bytes of s. */
static int prefix_width(const char *s, size_t n)
{
	char prefix[64];

	if (n >= sizeof(prefix))
		return -1;
	memcpy(prefix, s, n);
	prefix[n] = '\0';
	return textcols_width(prefix);
}

/*
 * For every sample and every room: what fits takes no more than the room and exactly
 * the columns it is said to take; the whole string fits in its width and in no less;
 * a wider room fits no less; and fit stops only where the next character would not
 * fit (a character is two columns at most, so two more columns always take it).
 */
static void test_fit_and_width_agree_on_every_sample(void)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *s = samples[i];
		size_t len = strlen(s), before = 0;
		int width = textcols_width(s);

		CHECK_EQ(textcols_fit(s, width), len);
		if (width > 0)
			CHECK(textcols_fit(s, width - 1) < len);
		for (int cols = 0; cols <= width + 1; cols++) {
			size_t n = textcols_fit(s, cols);
			int used = prefix_width(s, n);

			CHECK(used >= 0 && used <= cols);
			CHECK_EQ(textcols_fit(s, used), n);
			CHECK(n >= before);
			if (n < len)
				CHECK(textcols_fit(s, cols + 2) > n);
			before = n;
		}
	}
}

/* printf pads in bytes: "Kernel-Z\xc3\xa4hler (K)" in %-24s would take 23 columns */
static void test_field_pads_to_columns_not_bytes(void)
{
	char out[64];

	CHECK_EQ(textcols_field("total", 12), 12);
	CHECK_EQ(textcols_field("Kernel-Z\xc3\xa4hler (K)", 24), 25);
	snprintf(out, sizeof(out), "%-*s|", textcols_field("Kernel-Z\xc3\xa4hler (K)", 24),
		 "Kernel-Z\xc3\xa4hler (K)");
	CHECK_STR(out, "Kernel-Z\xc3\xa4hler (K)       |");
	snprintf(out, sizeof(out), "%*s|", textcols_field("\xe6\x97\xa5\xe6\x9c\xac", 5),
		 "\xe6\x97\xa5\xe6\x9c\xac");
	CHECK_STR(out, " \xe6\x97\xa5\xe6\x9c\xac|");
	/* wider than the field: printed whole, never cut, never padded */
	snprintf(out, sizeof(out), "%*s|", textcols_field("par seconde", 10), "par seconde");
	CHECK_STR(out, "par seconde|");
	/* no negative width, which printf would take for %-*s */
	CHECK_EQ(textcols_field("a", -5), 0);
}

/* for every sample: padded left or right, it takes the field's columns or its own */
static void test_field_gives_every_sample_its_columns(void)
{
	char out[128];

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *s = samples[i];
		int width = textcols_width(s);

		for (int cols = 0; cols <= width + 3; cols++) {
			int want = cols > width ? cols : width;

			snprintf(out, sizeof(out), "%-*s", textcols_field(s, cols), s);
			CHECK_EQ(textcols_width(out), want);
			snprintf(out, sizeof(out), "%*s", textcols_field(s, cols), s);
			CHECK_EQ(textcols_width(out), want);
		}
	}
}

/* without a UTF-8 locale nothing decodes as more than a byte: one column each */
static void test_c_locale_counts_bytes(void)
{
	if (!setlocale(LC_CTYPE, "C")) {
		printf("skip: no C locale\n");
		return;
	}
	CHECK_EQ(textcols_width("compl\xc3\xa8tes"), 10);
	CHECK_EQ(textcols_fit("compl\xc3\xa8tes", 6), 6);
	CHECK_EQ(textcols_width("\xe6\x97\xa5"), 3);
}

/* a counter's total in the columns the panel gives it: whole when it fits, else scaled down */
static void test_number_scales_down_by_thousands_only_when_too_wide(void)
{
	char buf[32];

	textcols_number(buf, sizeof(buf), 1234567, 7);
	CHECK_STR(buf, "1234567");
	textcols_number(buf, sizeof(buf), 12345678, 7);
	CHECK_STR(buf, "12345k");
	textcols_number(buf, sizeof(buf), 19999, 4);
	CHECK_STR(buf, "19k");
	textcols_number(buf, sizeof(buf), 999999, 4);
	CHECK_STR(buf, "999k");
	textcols_number(buf, sizeof(buf), 1000000, 4);
	CHECK_STR(buf, "1M");
	textcols_number(buf, sizeof(buf), 2147483647, 6);
	CHECK_STR(buf, "2147M");
	textcols_number(buf, sizeof(buf), 18446744073709551615ULL, 4);
	CHECK_STR(buf, "18E");
	textcols_number(buf, sizeof(buf), 0, 4);
	CHECK_STR(buf, "0");
}

/* the figures of a cut line stay whole: "usable 100" is never shown as "usable 10" */
static void test_fit_words_cuts_at_the_blank_before_a_cut_word(void)
{
	const char *s = "reserved 0  usable 100";

	CHECK_EQ(textcols_fit_words(s, 22), 22);
	CHECK_EQ(textcols_fit_words(s, 40), 22);
	/* "usable" without its 100 would announce a figure not shown: it goes too */
	CHECK_EQ(textcols_fit_words(s, 21), 10);   /* "reserved 0" */
	CHECK_EQ(textcols_fit_words(s, 19), 10);   /* the blank after the label */
	CHECK_EQ(textcols_fit_words(s, 18), 10);
	CHECK_EQ(textcols_fit_words(s, 12), 10);   /* the blanks before "usable" go too */
	/* a label before a word that is not a figure stays */
	CHECK_EQ(textcols_fit_words("source netlink now", 16), 14);
	/* the label, then the separator before it: "- netlink - netns 4026532941" */
	CHECK_EQ(textcols_fit_words("paused - netlink - netns 4026532941", 30), 16);
	CHECK_EQ(textcols_fit_words(s, 0), 0);
	/* one word wider than the room is cut as textcols_fit cuts it */
	CHECK_EQ(textcols_fit_words("4026532941", 6), 6);
	/* a cut never ends in a lone separator: "porttop - vm - replay" at 14 is "porttop - vm" */
	CHECK_EQ(textcols_fit_words("porttop - vm - replay", 14), 12);
	CHECK_EQ(textcols_fit_words("porttop - vm - replay", 15), 12);
	CHECK_EQ(textcols_fit_words("porttop - vm - replay", 21), 21);
	CHECK_EQ(textcols_fit_words("a-b - c", 5), 3);
	CHECK_EQ(textcols_fit_words("- x", 2), 1);  /* nothing before it: kept */
	/* columns, not bytes: "réservés 0  utilisables" is 23 columns, 25 bytes; without
	 * its label "réservés 0" is 10 columns, 12 bytes */
	CHECK_EQ(textcols_fit_words("r\xc3\xa9serv\xc3\xa9s 0  utilisables 100", 23), 12);
	CHECK_EQ(textcols_fit_words("r\xc3\xa9serv\xc3\xa9s 0  utilisables 100", 24), 12);
	CHECK_EQ(textcols_fit_words("r\xc3\xa9serv\xc3\xa9s 0  utilisables 100", 27), 29);
}

/* German details at 80 columns: "voll in ~2 s" fit but for its "s"; it is left out whole */
static void test_line_keeps_each_phrase_whole_or_leaves_it_out(void)
{
	char buf[128];
	struct textcols_line l;

	textcols_line_start(&l, buf, sizeof(buf), 24);
	textcols_line_add(&l, "Ziel %u/%u", 85u, 100u);
	textcols_line_add(&l, " (%u %%)", 85u);
	textcols_line_add(&l, ", voll in ~%u s", 2u);  /* 4 columns too many */
	textcols_line_add(&l, ", %s", "ok");           /* after one left out: none */
	CHECK_STR(buf, "Ziel 85/100 (85 %)");
	CHECK(l.full);
	/* columns, not bytes: "ä" is two bytes, one column */
	textcols_line_start(&l, buf, sizeof(buf), 12);
	textcols_line_add(&l, "%s", "ältester");
	textcols_line_add(&l, " %s", "4 s");
	CHECK_STR(buf, "ältester 4 s");
	CHECK(!l.full);
	/* the first phrase stays even when too wide: the drawing cuts it at a blank */
	textcols_line_start(&l, buf, sizeof(buf), 4);
	textcols_line_add(&l, "%s", "WARNING TCP");
	textcols_line_add(&l, " %u %%", 85u);
	CHECK_STR(buf, "WARNING TCP");
	/* a phrase the buffer would cut is left out too */
	textcols_line_start(&l, buf, 8, 80);
	textcols_line_add(&l, "%s", "abc");
	textcols_line_add(&l, " %s", "defgh");
	CHECK_STR(buf, "abc");
	CHECK(l.full);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		printf("skip: no C.UTF-8 locale\n");
		return 77;
	}
	RUN(test_ascii_is_one_column_a_byte);
	RUN(test_no_room_fits_nothing);
	RUN(test_accented_letters_are_one_column_of_two_bytes);
	RUN(test_wide_characters_take_two_columns_and_are_never_halved);
	RUN(test_zero_width_characters_take_no_column);
	RUN(test_control_characters_count_one_column);
	RUN(test_invalid_utf8_is_one_column_a_byte);
	RUN(test_fit_and_width_agree_on_every_sample);
	RUN(test_field_pads_to_columns_not_bytes);
	RUN(test_field_gives_every_sample_its_columns);
	RUN(test_number_scales_down_by_thousands_only_when_too_wide);
	RUN(test_fit_words_cuts_at_the_blank_before_a_cut_word);
	RUN(test_line_keeps_each_phrase_whole_or_leaves_it_out);
	RUN(test_c_locale_counts_bytes);  /* last: it leaves LC_CTYPE at C */
	CHECK_DONE();
}
