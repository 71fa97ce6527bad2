/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's counters as their files give them: the first byte chooses the parser
 * (bit 0 clear: /proc/net/netstat or snmp, pairs of header and value lines; set:
 * /proc/net/stat/nf_conntrack, a header and a hexadecimal line per CPU), the rest is
 * the file.  Cut lines, tables out of step and numbers too long must be refused or
 * skipped, never read past.
 */
#include "fuzz.h"
#include "core/counters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_counters c;
	char *text;

	if (size < 1)
		return 0;
	text = fuzz_string(data + 1, size - 1);
	if (!text)
		return 0;
	counters_init(&c);
	if (data[0] & 1)
		(void)counters_parse_conntrack(text, &c);
	else
		(void)counters_parse_snmp(text, &c);
	free(text);
	return 0;
}
