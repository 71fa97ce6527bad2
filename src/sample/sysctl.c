/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The reserved list can name every port; 65536 ports as "n," is under 400 KiB. */
#define SYSCTL_MAX_TEXT (512 * 1024)

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Parses a decimal port 0-65535 at *p and advances it; -EINVAL otherwise. */
static int parse_port(const char **p, unsigned *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 65535)
			return -EINVAL;
		s++;
	}
	*out = (unsigned)v;
	*p = s;
	return 0;
}

static bool at_end(const char *p)
{
	p = skip_space(p);
	if (*p == '\n')
		p++;
	return *p == '\0';
}

int sysctl_parse_range(const char *text, int *low, int *high)
{
	const char *p = skip_space(text);
	unsigned lo, hi;

	if (parse_port(&p, &lo) < 0)
		return -EINVAL;
	if (*p != ' ' && *p != '\t')
		return -EINVAL;
	p = skip_space(p);
	if (parse_port(&p, &hi) < 0 || !at_end(p) || lo > hi)
		return -EINVAL;
	*low = (int)lo;
	*high = (int)hi;
	return 0;
}

int sysctl_parse_int(const char *text, int *value)
{
	const char *p = skip_space(text);
	int v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		if (v > (INT_MAX - (*p - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (!at_end(p))
		return -EINVAL;
	*value = v;
	return 0;
}

/* proc_do_large_bitmap's format: "a,b-c,d", ranges ascending within each item. */
int sysctl_parse_reserved(const char *text, uint8_t bitmap[SAMPLE_PORT_COUNT / 8])
{
	const char *p = skip_space(text);

	memset(bitmap, 0, SAMPLE_PORT_COUNT / 8);
	if (at_end(p))
		return 0;
	for (;;) {
		unsigned first, last;

		if (parse_port(&p, &first) < 0)
			goto bad;
		last = first;
		if (*p == '-') {
			p++;
			if (parse_port(&p, &last) < 0 || last < first)
				goto bad;
		}
		for (unsigned port = first; port <= last; port++)
			bitmap[port / 8] |= (uint8_t)(1u << (port % 8));
		if (*p != ',')
			break;
		p++;
	}
	if (!at_end(p))
		goto bad;
	return 0;
bad:
	memset(bitmap, 0, SAMPLE_PORT_COUNT / 8);
	return -EINVAL;
}

/* A range or an integer: far below this. */
#define SYSCTL_SMALL_TEXT 64

/*
 * Reads a whole sysctl file into buf (cap bytes), NUL-terminated; -EFBIG if it does
 * not fit.  A sysctl prints only what fits the first read() and gives EOF after it
 * (proc_sys_call_handler), so the buffer must hold the whole text from the start.
 */
static int read_text(const char *proc_root, const char *name, char *buf, size_t cap)
{
	char path[PATH_MAX];
	size_t len = 0;
	int fd, err = 0;

	buf[0] = '\0';  /* a string whatever fails below */
	if ((size_t)snprintf(path, sizeof(path), "%s/sys/net/ipv4/%s", proc_root, name) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = -errno;
		else if (r > 0 && (len += (size_t)r) + 1 >= cap)
			err = -EFBIG;
		if (r <= 0 || err)
			break;
	}
	close(fd);
	buf[len] = '\0';
	return err;
}

static int read_int(const char *proc_root, const char *name, int fallback)
{
	char text[SYSCTL_SMALL_TEXT];
	int v;

	if (read_text(proc_root, name, text, sizeof(text)) < 0 || sysctl_parse_int(text, &v) < 0)
		return fallback;
	return v;
}

static int read_range(const char *proc_root, int *low, int *high)
{
	char text[SYSCTL_SMALL_TEXT];
	int err = read_text(proc_root, "ip_local_port_range", text, sizeof(text));

	return err < 0 ? err : sysctl_parse_range(text, low, high);
}

/* An unreadable reserved list would make every figure wrong: report it. */
static int read_reserved(const char *proc_root, uint8_t bitmap[SAMPLE_PORT_COUNT / 8])
{
	char *text = malloc(SYSCTL_MAX_TEXT);
	int err;

	if (!text)
		return -ENOMEM;
	err = read_text(proc_root, "ip_local_reserved_ports", text, SYSCTL_MAX_TEXT);
	if (err == -ENOENT) {
		memset(bitmap, 0, SAMPLE_PORT_COUNT / 8);
		err = 0;
	} else if (err == 0) {
		err = sysctl_parse_reserved(text, bitmap);
	}
	free(text);
	return err;
}

int sysctl_read(const char *proc_root, struct port_sysctls *sys)
{
	int err = read_range(proc_root, &sys->low, &sys->high);

	if (!err)
		err = read_reserved(proc_root, sys->reserved);
	if (err < 0)
		return err;
	sys->tw_reuse = read_int(proc_root, "tcp_tw_reuse", -1);
	sys->unprivileged_port_start = read_int(proc_root, "ip_unprivileged_port_start", -1);
	return 0;
}

int sysctl_write_range(const char *proc_root, int low, int high)
{
	char path[PATH_MAX], text[32];
	int fd, len, err, got_low, got_high;
	ssize_t w;

	if ((size_t)snprintf(path, sizeof(path), "%s/sys/net/ipv4/ip_local_port_range", proc_root) >= sizeof(path))
		return -ENAMETOOLONG;
	len = snprintf(text, sizeof(text), "%d %d\n", low, high);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, text, (size_t)len);
	err = w < 0 ? -errno : (w != len ? -EIO : 0);
	if (close(fd) < 0 && !err)
		err = -errno;
	if (err)
		return err;
	err = read_range(proc_root, &got_low, &got_high);
	if (err)
		return err;
	return got_low == low && got_high == high ? 0 : -EIO;
}
