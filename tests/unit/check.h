/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal test harness: each test is a function named after the behaviour it
 * specifies; CHECK records a failure with its location and goes on.
 */
#ifndef PORTTOP_CHECK_H
#define PORTTOP_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, __func__, #cond); \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
	check_count++; \
	if (check_a_ != check_b_) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: %s: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
			__func__, #a, check_a_, #b, check_b_); \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *check_a_ = (a), *check_b_ = (b); \
	check_count++; \
	if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: %s: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
			__func__, #a, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
	} \
} while (0)

#define RUN(test) do { \
	int check_before_ = check_failures; \
	test(); \
	printf("%s %s\n", check_failures == check_before_ ? "ok" : "FAIL", #test); \
} while (0)

#define CHECK_DONE() do { \
	printf("%d checks, %d failed\n", check_count, check_failures); \
	return check_failures ? 1 : 0; \
} while (0)

#endif
