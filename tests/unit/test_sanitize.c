/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sanitize_copy: other users' process names must not reach the terminal as anything
 * but printable text.  Exact outputs for each class of byte, then properties over
 * every output size and over random input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/sanitize.h"

/* sanitize_copy into a roomy buffer; returns a static copy of the result. */
static const char *clean(const char *src, size_t len, int nul_as_space)
{
	static char out[1024];
	size_t n = sanitize_copy(out, sizeof(out), src, len, nul_as_space);
	if (n != strlen(out)) {
		fprintf(stderr, "returned %zu for a %zu-byte result\n", n, strlen(out));
		check_failures++;
	}
	return out;
}

#define CLEAN(lit) clean(lit, sizeof(lit) - 1, 0)

static void test_plain_ascii_passes_unchanged(void)
{
	CHECK_STR(CLEAN("nginx: worker process"), "nginx: worker process");
	CHECK_STR(CLEAN(" !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~"), " !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~");
	CHECK_STR(CLEAN(""), "");
}

static void test_control_characters_become_hex_escapes(void)
{
	CHECK_STR(CLEAN("a\tb\nc\rd"), "a\\x09b\\x0ac\\x0dd");
	CHECK_STR(CLEAN("\x01\x07\x08\x1f"), "\\x01\\x07\\x08\\x1f");
	CHECK_STR(CLEAN("del\x7f"), "del\\x7f");
}

static void test_escape_sequences_cannot_reach_the_terminal(void)
{
	CHECK_STR(CLEAN("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
	CHECK_STR(CLEAN("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");
	CHECK_STR(CLEAN("\x1b]52;c;ZXZpbA==\x1b\\"), "\\x1b]52;c;ZXZpbA==\\x1b\\\\");
	CHECK_STR(CLEAN("\x1b" "c"), "\\x1bc");
	CHECK(strchr(CLEAN("\x1b[2J\x1b[H"), 0x1b) == NULL);
}

static void test_backslash_is_doubled_so_escapes_are_unambiguous(void)
{
	CHECK_STR(CLEAN("a\\b"), "a\\\\b");
	/* a name that spells an escape is not confused with a real one */
	CHECK_STR(CLEAN("\\x1b"), "\\\\x1b");
	CHECK_STR(CLEAN("\\"), "\\\\");
}

static void test_c1_controls_are_escaped_raw_or_encoded(void)
{
	/* raw 8-bit C1 bytes are invalid UTF-8 */
	CHECK_STR(CLEAN("\x9b" "31m"), "\\x9b31m");
	CHECK_STR(CLEAN("\x80\x9f"), "\\x80\\x9f");
	/* U+0080..U+009F encoded: some terminals take U+009B as CSI */
	CHECK_STR(CLEAN("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
	CHECK_STR(CLEAN("\xc2\x80"), "\\xc2\\x80");
	CHECK_STR(CLEAN("\xc2\x85"), "\\xc2\\x85");
	CHECK_STR(CLEAN("\xc2\x9f"), "\\xc2\\x9f");
	/* U+00A0 is the first code point after C1: kept */
	CHECK_STR(CLEAN("\xc2\xa0"), "\xc2\xa0");
}

static void test_valid_multibyte_utf8_is_kept(void)
{
	CHECK_STR(CLEAN("caf\xc3\xa9"), "caf\xc3\xa9");              /* é */
	CHECK_STR(CLEAN("\xe2\x82\xac"), "\xe2\x82\xac");            /* € */
	CHECK_STR(CLEAN("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac"); /* 日本 */
	CHECK_STR(CLEAN("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");    /* U+1F600 */
	/* boundaries of each length and around the surrogates */
	CHECK_STR(CLEAN("\xdf\xbf"), "\xdf\xbf");                    /* U+07FF */
	CHECK_STR(CLEAN("\xe0\xa0\x80"), "\xe0\xa0\x80");            /* U+0800 */
	CHECK_STR(CLEAN("\xed\x9f\xbf"), "\xed\x9f\xbf");            /* U+D7FF */
	CHECK_STR(CLEAN("\xee\x80\x80"), "\xee\x80\x80");            /* U+E000 */
	CHECK_STR(CLEAN("\xef\xbf\xbd"), "\xef\xbf\xbd");            /* U+FFFD */
	CHECK_STR(CLEAN("\xf0\x90\x80\x80"), "\xf0\x90\x80\x80");    /* U+10000 */
	CHECK_STR(CLEAN("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");    /* U+10FFFF */
}

static void test_invalid_utf8_is_escaped_byte_by_byte(void)
{
	CHECK_STR(CLEAN("\xff\xfe"), "\\xff\\xfe");
	CHECK_STR(CLEAN("\xc0\xaf"), "\\xc0\\xaf");                  /* overlong '/' */
	CHECK_STR(CLEAN("\xc1\xbf"), "\\xc1\\xbf");
	CHECK_STR(CLEAN("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");         /* overlong, 3 bytes */
	CHECK_STR(CLEAN("\xe0\x9f\xbf"), "\\xe0\\x9f\\xbf");
	CHECK_STR(CLEAN("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf"); /* overlong, 4 bytes */
	CHECK_STR(CLEAN("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf");
	CHECK_STR(CLEAN("\xed\xa0\x80"), "\\xed\\xa0\\x80");         /* surrogate U+D800 */
	CHECK_STR(CLEAN("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");         /* surrogate U+DFFF */
	CHECK_STR(CLEAN("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* U+110000 */
	CHECK_STR(CLEAN("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	CHECK_STR(CLEAN("\xf8\x88\x80\x80\x80"), "\\xf8\\x88\\x80\\x80\\x80");
	/* a lead byte whose sequence is cut by the next character or by the end */
	CHECK_STR(CLEAN("\xe2\x82" "A"), "\\xe2\\x82A");
	CHECK_STR(CLEAN("a\xe2\x82"), "a\\xe2\\x82");
	CHECK_STR(CLEAN("\xc3"), "\\xc3");
	/* a lone continuation byte, then a valid character */
	CHECK_STR(CLEAN("\xa9\xc3\xa9"), "\\xa9\xc3\xa9");
	/* a multibyte sequence is judged by len, not by a NUL beyond it */
	CHECK_STR(clean("\xc3\xa9", 1, 0), "\\xc3");
}

/* A right-to-left override would make "evil\u202egnp.sh" read as "evilhs.png". */
static void test_invisible_format_characters_are_escaped(void)
{
	CHECK_STR(CLEAN("evil\xe2\x80\xae" "gnp"), "evil\\xe2\\x80\\xaegnp");
	CHECK_STR(CLEAN("a\xe2\x80\x8b" "b"), "a\\xe2\\x80\\x8bb");   /* zero width space */
	CHECK_STR(CLEAN("\xef\xbb\xbfx"), "\\xef\\xbb\\xbfx");     /* BOM */
	CHECK_STR(CLEAN("\xe2\x80\x93"), "\xe2\x80\x93");             /* an en dash stays */
}

static void test_nul_ends_the_name_or_becomes_a_space(void)
{
	CHECK_STR(clean("a\0b\0c\0", 6, 1), "a b c ");
	CHECK_STR(clean("a\0b\0c\0", 6, 0), "a");
	CHECK_STR(clean("\0a", 2, 0), "");
	CHECK_STR(clean("\0\x1b", 2, 1), " \\x1b");
}

static void test_zero_sized_output_is_left_untouched(void)
{
	char out[4] = "zzz";
	CHECK_EQ(sanitize_copy(out, 0, "abc", 3, 0), 0);
	CHECK_STR(out, "zzz");
}

static void test_truncation_keeps_whole_escapes_and_characters(void)
{
	char out[16];

	/* "ab" + "\x1b" needs 6 bytes and the terminator */
	CHECK_EQ(sanitize_copy(out, 6, "ab\x1b", 3, 0), 2);
	CHECK_STR(out, "ab");
	CHECK_EQ(sanitize_copy(out, 7, "ab\x1b", 3, 0), 6);
	CHECK_STR(out, "ab\\x1b");
	/* a doubled backslash is not split */
	CHECK_EQ(sanitize_copy(out, 3, "a\\", 2, 0), 1);
	CHECK_STR(out, "a");
	CHECK_EQ(sanitize_copy(out, 4, "a\\", 2, 0), 3);
	CHECK_STR(out, "a\\\\");
	/* nor a multibyte character */
	CHECK_EQ(sanitize_copy(out, 4, "a\xe2\x82\xac", 4, 0), 1);
	CHECK_STR(out, "a");
	CHECK_EQ(sanitize_copy(out, 5, "a\xe2\x82\xac", 4, 0), 4);
	CHECK_STR(out, "a\xe2\x82\xac");
	/* nothing after the cut: a later short piece does not sneak in */
	CHECK_EQ(sanitize_copy(out, 5, "a\x1b" "b", 3, 0), 1);
	CHECK_STR(out, "a");
	CHECK_EQ(sanitize_copy(out, 1, "abc", 3, 0), 0);
	CHECK_STR(out, "");
}

/*
 * For every output size, into a heap buffer of exactly that size (ASan catches any
 * overflow): the result is terminated, its length is returned, and it is exactly the
 * full output of some prefix of the input, so no escape or character was split.
 */
static void check_every_size(const char *src, size_t len, int nul_as_space)
{
	size_t full_cap = len * 4 + 1;
	char *full = malloc(full_cap);
	char *prefix = malloc(full_cap);
	size_t full_len = sanitize_copy(full, full_cap, src, len, nul_as_space);

	CHECK(full_len < full_cap);
	for (size_t size = 1; size <= full_len + 1; size++) {
		char *out = malloc(size);
		size_t n = sanitize_copy(out, size, src, len, nul_as_space);
		int whole = 0;

		CHECK(n < size);
		CHECK_EQ(strlen(out), n);
		CHECK(memcmp(out, full, n) == 0);
		for (size_t k = 0; k <= len && !whole; k++) {
			size_t m = sanitize_copy(prefix, full_cap, src, k, nul_as_space);
			whole = m == n && memcmp(prefix, out, n) == 0;
		}
		if (!whole)
			fprintf(stderr, "size %zu: \"%s\" splits a piece\n", size, out);
		CHECK(whole);
		if (size == full_len + 1)
			CHECK_STR(out, full);
		free(out);
	}
	free(prefix);
	free(full);
}

static void test_every_output_size_is_terminated_and_never_splits_a_piece(void)
{
	static const char mixed[] = "k\\\x1b[1m\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff\xc2\x9b\x7f\0z\xe2\x82";
	check_every_size(mixed, sizeof(mixed) - 1, 1);
	check_every_size(mixed, sizeof(mixed) - 1, 0);
	check_every_size("\x1b\x1b\x1b", 3, 0);
	check_every_size("\\\\\\", 3, 0);
}

/* Random bytes: the output holds only printable ASCII, backslash escapes, and valid
 * non-C1 UTF-8 of at least two bytes. */
static int output_is_safe(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c == '\\') {
			if (i + 1 < n && s[i + 1] == '\\') {
				i += 2;
				continue;
			}
			if (i + 3 < n && s[i + 1] == 'x' && strchr("0123456789abcdef", s[i + 2]) &&
			    strchr("0123456789abcdef", s[i + 3]) && s[i + 2] && s[i + 3]) {
				i += 4;
				continue;
			}
			return 0;
		}
		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return 0;
		size_t len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (i + len > n)
			return 0;
		for (size_t j = 1; j < len; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		if (c == 0xc2 && s[i + 1] < 0xa0)
			return 0; /* C1 */
		i += len;
	}
	return 1;
}

static void test_random_bytes_never_produce_unsafe_output(void)
{
	/* half the rounds draw from the bytes that matter: controls, ESC, backslash,
	 * C1, UTF-8 lead and continuation bytes */
	static const unsigned char interesting[] = {
		0x00, 0x07, 0x0a, 0x1b, '[', '\\', 'x', 'a', 0x7f, 0x80, 0x9b, 0xa0, 0xbf,
		0xc0, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
	};
	uint32_t seed = 12345;
	unsigned char src[64];
	char out[64 * 4 + 1];
	int unsafe = 0;

	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 64);
		for (size_t i = 0; i < len; i++) {
			unsigned v;
			seed = seed * 1103515245u + 12345u;
			v = (seed >> 16) & 0xff;
			src[i] = round & 1 ? (unsigned char)v : interesting[v % sizeof(interesting)];
		}
		size_t n = sanitize_copy(out, sizeof(out), (const char *)src, len, 1);
		if (n != strlen(out) || !output_is_safe((const unsigned char *)out, n))
			unsafe++;
	}
	CHECK_EQ(unsafe, 0);
}

int main(void)
{
	RUN(test_plain_ascii_passes_unchanged);
	RUN(test_control_characters_become_hex_escapes);
	RUN(test_escape_sequences_cannot_reach_the_terminal);
	RUN(test_backslash_is_doubled_so_escapes_are_unambiguous);
	RUN(test_c1_controls_are_escaped_raw_or_encoded);
	RUN(test_valid_multibyte_utf8_is_kept);
	RUN(test_invalid_utf8_is_escaped_byte_by_byte);
	RUN(test_invisible_format_characters_are_escaped);
	RUN(test_nul_ends_the_name_or_becomes_a_space);
	RUN(test_zero_sized_output_is_left_untouched);
	RUN(test_truncation_keeps_whole_escapes_and_characters);
	RUN(test_every_output_size_is_terminated_and_never_splits_a_piece);
	RUN(test_random_bytes_never_produce_unsafe_output);
	CHECK_DONE();
}
