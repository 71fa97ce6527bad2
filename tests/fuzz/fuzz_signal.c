/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the user types at the kill prompt: a signal name or number, then its name back. */
#include "fuzz.h"
#include "actions/kill.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	int sig;

	if (!text)
		return 0;
	if (kill_parse_signal(text, &sig) == 0 && kill_signal_name(sig) == NULL)
		__builtin_trap();
	free(text);
	return 0;
}
