/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Untrusted strings (command names, command lines, user names) on their way to the
 * terminal: whatever the bytes (NULs as spaces or as the end), the copy must end in NUL within its buffer and hold
 * no control character.
 */
#include "fuzz.h"
#include "util/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dst[64];
	size_t i, n;

	if (size < 1)
		return 0;
	n = sanitize_copy(dst, 1 + data[0] % sizeof(dst), (const char *)data + 1, size - 1,
			  data[0] & 0x80);
	if (n >= sizeof(dst) || dst[n] != '\0')
		__builtin_trap();
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)dst[i];
		/* C0 controls, DEL, and C1 controls in UTF-8 (U+0080-U+009F: 0xc2 0x80-0x9f) */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && i + 1 < n && (unsigned char)dst[i + 1] <= 0x9f))
			__builtin_trap();
	}
	return 0;
}
