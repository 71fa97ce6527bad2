/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A /proc/net/{tcp,udp}{,6} file, as the fallback sampler reads it: the first byte
 * picks which of the four (protocol and family), the rest is the file's text, header
 * line included, through procnet_parse_file (which calls procnet_parse_line).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "core/sample.h"
#include "sample/procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sample s;
	unsigned skipped = 0;
	int protocol, family;
	FILE *fp;

	if (size < 1)
		return 0;
	protocol = data[0] & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	family = data[0] & 2 ? AF_INET6 : AF_INET;
	fp = fmemopen((void *)(data + 1), size - 1, "r");
	if (!fp)
		return 0;
	sample_init(&s);
	(void)procnet_parse_file(fp, protocol, family, &s, &skipped);
	fclose(fp);
	sample_free(&s);
	return 0;
}
