/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sanitize.h"

#include <stdint.h>
#include <string.h>

/*
 * Invisible format characters: bidirectional overrides and isolates make a name
 * read differently from what it is ("Trojan Source"), zero-width ones hide bytes,
 * line separators break the layout.  They are escaped like controls.
 */
static int invisible(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid, a C1 control or invisible. */
static size_t utf8_sequence(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode, and C1 controls (U+0080-U+009F:
	 * some terminals treat U+009B as CSI) */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) || invisible(cp))
		return 0;
	return n;
}

size_t sanitize_copy(char *dst, size_t dst_len, const char *src, size_t len, int nul_as_space)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t out = 0;

	if (dst_len == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		char esc[5];
		const char *piece;
		size_t piece_len, consumed;

		if (c == 0 && !nul_as_space)
			break;
		if (c == 0) {
			piece = " ";
			piece_len = consumed = 1;
		} else if (c == '\\') {
			piece = "\\\\";
			piece_len = 2;
			consumed = 1;
		} else if (c < 0x20 || c == 0x7f || (consumed = utf8_sequence(s + i, len - i)) == 0) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			piece = esc;
			piece_len = 4;
			consumed = 1;
		} else {
			piece = (const char *)s + i;
			piece_len = consumed;
		}
		if (out + piece_len >= dst_len)
			break;
		memcpy(dst + out, piece, piece_len);
		out += piece_len;
		i += consumed;
	}
	dst[out] = '\0';
	return out;
}
