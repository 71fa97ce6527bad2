/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETLOAD_UTIL_H
#define NETLOAD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* A growable list of file descriptors, in the order they were opened. */
struct fdlist {
	int *fd;
	size_t n, cap;
};

void fdlist_push(struct fdlist *l, int fd);
void fdlist_remove(struct fdlist *l, size_t i);
/* Closes the first k entries, keeping the order of the rest. */
size_t fdlist_close_first(struct fdlist *l, size_t k);

/* Tests assert on errno names, which read better than numbers in a failure message. */
const char *errno_name(int err);
/* Parses "1.2.3.4", "::1" or "[::1]" with a port into ss; false if it is no address. */
bool parse_addr(const char *text, unsigned port, struct sockaddr_storage *ss, socklen_t *len);
/* Strict unsigned parse: a typo in a test must be an error, not a zero. */
bool parse_count(const char *text, unsigned long *out);
/* One C escape after the backslash at *s; advances *s past it. */
char unescape_one(const char **s);

#endif
