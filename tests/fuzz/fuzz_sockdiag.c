/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A sock_diag dump buffer, as recvmsg() hands it over, through sockdiag_parse_dump:
 * the length checks, libmnl's walk and sockdiag_parse_msg for each message, as
 * sockdiag_dump's receive loop runs them.  The first byte picks the protocol asked
 * for (TCP or UDP).
 */
#include <netinet/in.h>

#include "fuzz.h"
#include "core/sample.h"
#include "sample/sockdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sample s;
	uint64_t *buf;
	int protocol;

	if (size < 1)
		return 0;
	protocol = data[0] & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	data++, size--;
	/* the receive buffer is aligned as recvmsg's is; the fuzzer's copy may not be */
	buf = malloc(size + sizeof(uint64_t));
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	sample_init(&s);
	(void)sockdiag_parse_dump(buf, size, protocol, &s);
	sample_free(&s);
	free(buf);
	return 0;
}
