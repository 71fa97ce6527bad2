/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A porttoprc file: anyone who can write $XDG_CONFIG_HOME can put anything in it
 * (long lines, NULs, no newline at the end).  Whatever it says, the settings stay
 * within their bounds and a file never turns secure mode off.
 */
#include <stdio.h>

#include "fuzz.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings st;
	unsigned bad, first_bad;
	FILE *fp;

	if (size < 1)
		return 0;
	fp = fmemopen((void *)(data + 1), size - 1, "r");
	if (!fp)
		return 0;
	settings_defaults(&st);
	st.secure = data[0] & 1;
	(void)settings_read_rc(&st, fp, &bad, &first_bad);
	fclose(fp);
	if ((data[0] & 1) && !st.secure)
		__builtin_trap();
	if (st.sort == NULL || !(st.delay > 0) || memchr(st.user, '\0', sizeof(st.user)) == NULL ||
	    memchr(st.filter, '\0', sizeof(st.filter)) == NULL)
		__builtin_trap();
	return 0;
}
