/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The port sysctls' texts: ip_local_port_range, ip_local_reserved_ports (the kernel's
 * list format, which can be very long) and the single integers (tw_reuse,
 * ip_unprivileged_port_start), each parsed from the same bytes.
 */
#include "fuzz.h"
#include "core/sample.h"
#include "sample/sysctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t bitmap[SAMPLE_PORT_COUNT / 8];
	char *text = fuzz_string(data, size);
	int low, high, value;

	if (!text)
		return 0;
	(void)sysctl_parse_range(text, &low, &high);
	(void)sysctl_parse_reserved(text, bitmap);
	(void)sysctl_parse_int(text, &value);
	free(text);
	return 0;
}
