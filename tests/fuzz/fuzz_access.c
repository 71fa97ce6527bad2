/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/self/status and /proc/self/uid_map, as access_decide reads them to say why
 * owners cannot be read: the input holds both texts, split at its first NUL, and the
 * first four bytes are the effective uid.
 */
#include <sys/types.h>

#include "fuzz.h"
#include "sample/access.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t euid;
	char *text, *uid_map;

	if (size < sizeof(euid))
		return 0;
	memcpy(&euid, data, sizeof(euid));
	text = fuzz_string(data + sizeof(euid), size - sizeof(euid));
	if (!text)
		return 0;
	uid_map = text + strlen(text);
	if ((size_t)(uid_map - text) < size - sizeof(euid))
		uid_map++;  /* past the NUL that ends the status text */
	(void)access_decide((uid_t)euid, text, uid_map);
	free(text);
	return 0;
}
