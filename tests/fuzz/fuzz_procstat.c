/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A /proc/PID/stat line: the command name in parentheses may hold anything a process
 * chose (spaces, ")", newlines), and field 22 must still be found.
 */
#include "fuzz.h"
#include "sample/procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	unsigned long long start_time;

	if (!text)
		return 0;
	(void)procstat_parse_start_time(text, &start_time);
	free(text);
	return 0;
}
