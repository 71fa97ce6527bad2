/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kcounters.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* /proc/net/netstat is about 6 KiB on 6.x kernels; a longer one is cut, and its last
 * table pair skipped by the parser. */
#define KCOUNTERS_TEXT 32768

/* Reads the file into buf (NUL-terminated, cut at cap - 1 bytes).  0 or -errno. */
static int read_file(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	while (len + 1 < cap) {
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = -errno;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return err;
}

/*
 * /proc/net is /proc/self/net, the namespace of the thread group leader
 * (proc_tgid_net_operations); thread-self/net is the calling thread's, which is the
 * one --netns moved with setns().
 */
static void read_table(const char *proc_root, const char *file, bool conntrack, char *buf,
		       size_t cap, struct kernel_counters *c)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/thread-self/net/%s", proc_root, file) >= sizeof(path))
		return;
	if (read_file(path, buf, cap) < 0)
		return;
	if (conntrack)
		counters_parse_conntrack(buf, c);
	else
		counters_parse_snmp(buf, c);
}

/* A sysctl holding one number; -1 when missing (conntrack not loaded) or unreadable. */
static long long read_number(const char *proc_root, const char *name)
{
	char path[PATH_MAX], text[32], *end;
	long long v;

	if ((size_t)snprintf(path, sizeof(path), "%s/sys/net/%s", proc_root, name) >= sizeof(path) ||
	    read_file(path, text, sizeof(text)) < 0)
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n') || v < 0)
		return -1;
	return v;
}

int kcounters_read(const char *proc_root, struct kernel_counters *c)
{
	char *buf = malloc(KCOUNTERS_TEXT);

	counters_init(c);
	if (!buf)
		return -ENOMEM;
	read_table(proc_root, "netstat", false, buf, KCOUNTERS_TEXT, c);
	read_table(proc_root, "snmp", false, buf, KCOUNTERS_TEXT, c);
	c->tw_max_buckets = read_number(proc_root, "ipv4/tcp_max_tw_buckets");
	c->conntrack_count = read_number(proc_root, "netfilter/nf_conntrack_count");
	if (c->conntrack_count >= 0) {
		c->conntrack_max = read_number(proc_root, "netfilter/nf_conntrack_max");
		read_table(proc_root, "stat/nf_conntrack", true, buf, KCOUNTERS_TEXT, c);
	}
	free(buf);
	return 0;
}
