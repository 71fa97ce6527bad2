/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "radix.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * One counting pass over every key byte, then one scatter per byte (least
 * significant first) whose values are not all equal.  order[0] is the least
 * significant byte's offset within a record.
 */
static void sort_by_offsets(char *items, size_t n, size_t size, const size_t *order,
			    size_t n_bytes, size_t (*count)[256], char *tmp)
{
	char *src = items, *dst = tmp;

	for (size_t i = 0; i < n; i++)
		for (size_t b = 0; b < n_bytes; b++)
			count[b][(unsigned char)src[i * size + order[b]]]++;
	for (size_t b = 0; b < n_bytes; b++) {
		size_t sum = 0;
		if (count[b][(unsigned char)src[order[b]]] == n)
			continue;  /* every key shares this byte */
		for (int k = 0; k < 256; k++) {
			size_t c = count[b][k];
			count[b][k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = count[b][(unsigned char)src[i * size + order[b]]]++;
			memcpy(dst + at * size, src + i * size, size);
		}
		char *t = src;
		src = dst;
		dst = t;
	}
	if (src != items)
		memcpy(items, src, n * size);
}

int radix_sort_bytes(void *items, size_t n, size_t size, size_t key_offset, size_t key_len,
		     void *tmp)
{
	size_t order[RADIX_MAX_KEY];
	size_t (*count)[256];

	if (key_len > RADIX_MAX_KEY)
		return -ENOMEM;
	if (n < 2)
		return 0;
	count = calloc(key_len, sizeof(*count));
	if (!count)
		return -ENOMEM;
	for (size_t b = 0; b < key_len; b++)
		order[b] = key_offset + key_len - 1 - b;
	sort_by_offsets(items, n, size, order, key_len, count, tmp);
	free(count);
	return 0;
}

/* A native unsigned integer of `width` bytes, least significant byte first. */
static void sort_native(void *items, size_t n, size_t size, size_t key_offset, size_t width,
			void *tmp)
{
	size_t count[8][256];
	size_t order[8];

	if (n < 2)
		return;
	memset(count, 0, width * sizeof(count[0]));
	for (size_t b = 0; b < width; b++)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		order[b] = key_offset + width - 1 - b;
#else
		order[b] = key_offset + b;
#endif
	sort_by_offsets(items, n, size, order, width, count, tmp);
}

void radix_sort_u32(void *items, size_t n, size_t size, size_t key_offset, void *tmp)
{
	sort_native(items, n, size, key_offset, sizeof(uint32_t), tmp);
}

void radix_sort_u64(void *items, size_t n, size_t size, size_t key_offset, void *tmp)
{
	sort_native(items, n, size, key_offset, sizeof(uint64_t), tmp);
}
