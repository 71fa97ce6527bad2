/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the user types at the range prompt ("40000 60999", "40000-60999"). */
#include "fuzz.h"
#include "actions/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	int low, high;

	if (!text)
		return 0;
	/* range_parse checks the syntax and clamps what it read to an int that range_check
	 * can compare with the port bounds: never more than 65536, never negative */
	if (range_parse(text, &low, &high) == 0 && (low < 0 || low > 65536 || high < 0 || high > 65536))
		__builtin_trap();
	free(text);
	return 0;
}
