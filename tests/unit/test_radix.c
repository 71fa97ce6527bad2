/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The radix sorts behind every big sort of a refresh: the same order as a stable
 * comparison sort, on keys with shared and differing bytes, equal keys in input order.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/radix.h"

struct rec {
	uint8_t key[6];
	uint16_t seq;     /* input position: shows stability */
	uint32_t number;
	uint64_t big;
};

static int bytes_then_seq(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = memcmp(x->key, y->key, sizeof(x->key));
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int number_then_seq(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Keys drawn from few values per byte, so that equal keys and shared bytes are common. */
static void fill(struct rec *r, size_t n, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].key[0] = 0x7f;                       /* shared by all */
		r[i].key[1] = (uint8_t)(rand() % 3);
		r[i].key[4] = (uint8_t)(rand() % 256);
		r[i].key[5] = (uint8_t)(rand() % 2);
		r[i].seq = (uint16_t)i;
		r[i].number = (uint32_t)rand() % 5 * 0x01000000u + (uint32_t)(rand() % 300);
		r[i].big = (uint64_t)(rand() % 3) << 56 | (uint64_t)r[i].number << 8 | (uint64_t)(rand() % 2);
	}
}

static void test_bytes_sort_in_memcmp_order_and_keep_ties_in_input_order(void)
{
	enum { N = 5000 };
	static struct rec got[N], want[N], tmp[N];

	for (unsigned seed = 1; seed <= 5; seed++) {
		fill(got, N, seed);
		memcpy(want, got, sizeof(got));
		qsort(want, N, sizeof(want[0]), bytes_then_seq);
		CHECK_EQ(radix_sort_bytes(got, N, sizeof(got[0]), offsetof(struct rec, key), 6, tmp), 0);
		CHECK_EQ(memcmp(got, want, sizeof(got)), 0);
	}
}

static void test_u32_sorts_numerically_and_keeps_ties_in_input_order(void)
{
	enum { N = 5000 };
	static struct rec got[N], want[N], tmp[N];

	for (unsigned seed = 1; seed <= 5; seed++) {
		fill(got, N, seed);
		memcpy(want, got, sizeof(got));
		qsort(want, N, sizeof(want[0]), number_then_seq);
		radix_sort_u32(got, N, sizeof(got[0]), offsetof(struct rec, number), tmp);
		CHECK_EQ(memcmp(got, want, sizeof(got)), 0);
	}
}

static int big_then_seq(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->big != y->big)
		return x->big < y->big ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void test_u64_sorts_numerically_and_keeps_ties_in_input_order(void)
{
	enum { N = 5000 };
	static struct rec got[N], want[N], tmp[N];

	for (unsigned seed = 1; seed <= 5; seed++) {
		fill(got, N, seed);
		memcpy(want, got, sizeof(got));
		qsort(want, N, sizeof(want[0]), big_then_seq);
		radix_sort_u64(got, N, sizeof(got[0]), offsetof(struct rec, big), tmp);
		CHECK_EQ(memcmp(got, want, sizeof(got)), 0);
	}
}

static void test_one_value_or_none_is_left_alone(void)
{
	struct rec r[3], tmp[3];

	fill(r, 3, 9);
	for (int i = 0; i < 3; i++)
		r[i].number = 42;
	radix_sort_u32(r, 3, sizeof(r[0]), offsetof(struct rec, number), tmp);
	CHECK_EQ(r[0].seq, 0);
	CHECK_EQ(r[2].seq, 2);
	CHECK_EQ(radix_sort_bytes(r, 0, sizeof(r[0]), 0, 6, tmp), 0);
	CHECK_EQ(radix_sort_bytes(r, 3, sizeof(r[0]), 0, RADIX_MAX_KEY + 1, tmp), -ENOMEM);
}

int main(void)
{
	RUN(test_bytes_sort_in_memcmp_order_and_keep_ties_in_input_order);
	RUN(test_u32_sorts_numerically_and_keeps_ties_in_input_order);
	RUN(test_u64_sorts_numerically_and_keeps_ties_in_input_order);
	RUN(test_one_value_or_none_is_left_alone);
	CHECK_DONE();
}
