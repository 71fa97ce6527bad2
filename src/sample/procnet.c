/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "procnet.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Line format (net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c get_tcp6_sock,
 * net/ipv4/udp.c udp4_format_sock):
 *   "  12: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 4242 ..."
 *   sl  local         remote        st tx:rx             tr:when     retrnsmt uid tmo inode
 * Addresses are the kernel's __be32 words printed with %08X, i.e. in host byte order
 * of the in-memory value: parsing each word as a native u32 and storing it back
 * gives the network-order bytes on any endianness.
 * The files carry no socket cookie, so TIME_WAIT attribution is impossible from here,
 * and no bound-only sockets (the seq_file walk skips the bind hash).
 */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Exactly `digits` hex digits into *out. */
static const char *parse_hex(const char *p, int digits, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < digits; i++) {
		int c = (unsigned char)p[i];

		if (!isxdigit(c))
			return NULL;
		v = v << 4 | (uint32_t)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
	}
	*out = v;
	return p + digits;
}

static const char *parse_endpoint(const char *p, int family, uint8_t addr[16], uint16_t *port)
{
	uint32_t word, port32;

	p = skip_space(p);
	if (family == AF_INET) {
		p = parse_hex(p, 8, &word);
		if (!p)
			return NULL;
		sample_addr_from_v4(addr, word);
	} else {
		for (int i = 0; i < 4; i++) {
			p = parse_hex(p, 8, &word);
			if (!p)
				return NULL;
			memcpy(addr + 4 * i, &word, 4);
		}
	}
	if (*p != ':')
		return NULL;
	p = parse_hex(p + 1, 4, &port32);
	if (!p || (*p != ' ' && *p != '\t'))
		return NULL;
	*port = (uint16_t)port32;
	return p;
}

/* A decimal field; *p must then be whitespace or the end. */
static const char *parse_dec(const char *p, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	p = skip_space(p);
	if (!isdigit((unsigned char)*p))
		return NULL;
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || v > max || (*end && !isspace((unsigned char)*end)))
		return NULL;
	*out = v;
	return end;
}

static uint32_t ticks_to_ms(uint32_t ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0)
		hz = 100;
	return (uint32_t)((uint64_t)ticks * 1000 / (uint64_t)hz);
}

int procnet_parse_line(const char *line, int protocol, int family, struct sock_rec *rec)
{
	const char *p;
	uint32_t state, word, timer, when;
	unsigned long long uid, timeout, inode;

	if (!line || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	p = skip_space(line);
	memset(rec, 0, sizeof(*rec));
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != ':')
		return -EINVAL;
	p = parse_endpoint(p + 1, family, rec->local, &rec->local_port);
	if (p)
		p = parse_endpoint(p, family, rec->remote, &rec->remote_port);
	if (p)
		p = parse_hex(skip_space(p), 2, &state);
	if (!p || state == 0 || state >= KTCP_MAX_STATES)
		return -EINVAL;
	/* tx_queue:rx_queue tr:when retrnsmt */
	p = parse_hex(skip_space(p), 8, &word);
	if (!p || *p != ':' || !(p = parse_hex(p + 1, 8, &word)))
		return -EINVAL;
	p = parse_hex(skip_space(p), 2, &timer);
	if (!p || *p != ':' || !(p = parse_hex(p + 1, 8, &when)))
		return -EINVAL;
	p = parse_hex(skip_space(p), 8, &word);
	if (!p)
		return -EINVAL;
	p = parse_dec(p, UINT32_MAX, &uid);
	if (p)
		p = parse_dec(p, UINT64_MAX, &timeout);
	if (p)
		p = parse_dec(p, UINT32_MAX, &inode);
	if (!p)
		return -EINVAL;

	rec->protocol = (uint8_t)protocol;
	rec->family = (uint8_t)family;
	rec->state = (uint8_t)state;
	rec->timer = (uint8_t)timer;
	rec->expires_ms = timer ? ticks_to_ms(when) : 0;
	rec->uid = (uint32_t)uid;
	rec->inode = (uint32_t)inode;
	return 0;
}

int procnet_parse_file(FILE *fp, int protocol, int family, struct sample *s, unsigned *skipped)
{
	char *line = NULL;
	size_t cap = 0;
	bool header = true;
	int err = 0;

	while (getline(&line, &cap, fp) >= 0) {
		struct sock_rec rec;

		if (header) {
			header = false;
			continue;
		}
		if (procnet_parse_line(line, protocol, family, &rec) < 0) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		err = sample_add_sock(s, &rec);
		if (err)
			break;
	}
	if (!err && ferror(fp))
		err = -EIO;
	free(line);
	return err;
}

static int read_one(const char *proc_root, const char *name, int protocol, int family,
		    struct sample *s)
{
	char path[512];
	FILE *fp;
	int err;

	if ((size_t)snprintf(path, sizeof(path), "%s/net/%s", proc_root, name) >= sizeof(path))
		return -ENAMETOOLONG;
	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	err = procnet_parse_file(fp, protocol, family, s, NULL);
	fclose(fp);
	return err;
}

int procnet_read(const char *proc_root, struct sample *s)
{
	static const struct {
		const char *name;
		int protocol, family;
		bool optional; /* absent when IPv6 is disabled */
	} files[] = {
		{ "tcp", IPPROTO_TCP, AF_INET, false },
		{ "tcp6", IPPROTO_TCP, AF_INET6, true },
		{ "udp", IPPROTO_UDP, AF_INET, false },
		{ "udp6", IPPROTO_UDP, AF_INET6, true },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int err = read_one(proc_root, files[i].name, files[i].protocol, files[i].family, s);

		if (err == -ENOENT && files[i].optional)
			continue;
		if (err)
			return err;
	}
	return 0;
}
