/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netload's small parts that are not about sockets' states: its fd lists, the
 * errno names its answers use, and the parsers of its command words. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netload-util.h"

void fdlist_push(struct fdlist *l, int fd)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		int *p = realloc(l->fd, cap * sizeof(*p));
		if (!p) {
			/* a test helper that cannot track a socket cannot answer truthfully */
			perror("netload: realloc");
			exit(1);
		}
		l->fd = p;
		l->cap = cap;
	}
	l->fd[l->n++] = fd;
}

void fdlist_remove(struct fdlist *l, size_t i)
{
	memmove(&l->fd[i], &l->fd[i + 1], (l->n - i - 1) * sizeof(*l->fd));
	l->n--;
}

/* Closes the first k entries, keeping the order of the rest. */
size_t fdlist_close_first(struct fdlist *l, size_t k)
{
	if (k > l->n)
		k = l->n;
	for (size_t i = 0; i < k; i++)
		close(l->fd[i]);
	memmove(l->fd, l->fd + k, (l->n - k) * sizeof(*l->fd));
	l->n -= k;
	return k;
}

/* Tests assert on errno names, which read better than numbers in a failure message. */
const char *errno_name(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EADDRINUSE, "EADDRINUSE" },
		{ ECONNREFUSED, "ECONNREFUSED" }, { ECONNRESET, "ECONNRESET" },
		{ EMFILE, "EMFILE" }, { ENFILE, "ENFILE" }, { EAGAIN, "EAGAIN" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EINVAL, "EINVAL" }, { ENOBUFS, "ENOBUFS" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EPERM, "EPERM" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { ENETUNREACH, "ENETUNREACH" },
		{ EINTR, "EINTR" }, { EINPROGRESS, "EINPROGRESS" }, { ENOPROTOOPT, "ENOPROTOOPT" },
	};
	static char other[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof(other), "E%d", err);
	return other;
}

/* Parses "1.2.3.4", "::1" or "[::1]" with a port into ss; false if it is no address. */
bool parse_addr(const char *text, unsigned port, struct sockaddr_storage *ss, socklen_t *len)
{
	char buf[INET6_ADDRSTRLEN + 2];
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	size_t n = strlen(text);

	if (n >= sizeof(buf) || port > 65535)
		return false;
	if (text[0] == '[' && n > 2 && text[n - 1] == ']') {
		memcpy(buf, text + 1, n - 2);
		buf[n - 2] = '\0';
	} else {
		memcpy(buf, text, n + 1);
	}
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, buf, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
		return true;
	}
	if (inet_pton(AF_INET6, buf, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return true;
	}
	return false;
}

/* Strict unsigned parse: a typo in a test must be an error, not a zero. */
bool parse_count(const char *text, unsigned long *out)
{
	char *end;

	if (!text || !*text || *text == '-')
		return false;
	errno = 0;
	*out = strtoul(text, &end, 10);
	return errno == 0 && *end == '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One C escape after the backslash at *s; advances *s past it. */
char unescape_one(const char **s)
{
	const char *p = *s;
	int v = 0, d;

	switch (*p) {
	case 'x':
		for (p++; (d = hex_digit(*p)) >= 0 && p < *s + 3; p++)
			v = v * 16 + d;
		break;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		for (; *p >= '0' && *p <= '7' && p < *s + 3; p++)
			v = v * 8 + (*p - '0');
		break;
	case 'e': v = 27; p++; break;
	case 'a': v = 7; p++; break;
	case 'n': v = '\n'; p++; break;
	case 't': v = '\t'; p++; break;
	case '\0': v = '\\'; break;
	default: v = *p++; break;   /* \\ and anything else: the character itself */
	}
	*s = p;
	return (char)v;
}
