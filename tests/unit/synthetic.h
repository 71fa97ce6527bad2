/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic system of any size, built through the sample seam (core/sample.h): the
 * limits test (test_limits.c) and bench/bench_limits.c feed the model and every
 * output a million sockets or 65 000 processes without opening one.
 *
 * Socket i goes from 192.168.0.1 to 10.0.D.1:443, D = i % destinations, local port
 * 10000 + i / destinations (the range is 10000-60999).  Nine in ten are ESTABLISHED,
 * one in ten CLOSE_WAIT; with `closed`, every fifth (i % 5 == 4) is TIME_WAIT instead
 * (inode 0, cookie kept: the kernel's rule for a closed socket), so a first sample
 * without `closed` and a second one with it let the history charge each TIME_WAIT to
 * the process that held it.  Socket i's inode is i + 1 and its cookie i + 1; it
 * belongs to process i % procs: pid 1000 + j, started at tick j + 1.
 */
#ifndef PORTTOP_TEST_SYNTHETIC_H
#define PORTTOP_TEST_SYNTHETIC_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sample.h"

/* A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), -1 if unreadable: what
 * the limits test and bench measure the memory with. */
static inline long status_kib(const char *field)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			kib = strtol(line + strlen(field), NULL, 10);
	fclose(f);
	return kib;
}

struct synthetic {
	size_t sockets, procs, destinations;
	bool closed;
};

static inline bool synthetic_is_time_wait(const struct synthetic *shape, size_t i)
{
	return shape->closed && i % 5 == 4;
}

static inline int synthetic_state(const struct synthetic *shape, size_t i)
{
	if (synthetic_is_time_wait(shape, i))
		return KTCP_TIME_WAIT;
	return i % 10 == 9 ? KTCP_CLOSE_WAIT : KTCP_ESTABLISHED;
}

static inline int synthetic_add_procs(struct sample *s, const struct synthetic *shape)
{
	for (size_t j = 0; j < shape->procs; j++) {
		struct proc_rec p;
		char cmdline[64];
		int err;

		memset(&p, 0, sizeof(p));
		p.pid = (pid_t)(1000 + j);
		p.uid = 1000;
		p.start_time = j + 1;
		p.handles = 64;
		snprintf(p.user, sizeof(p.user), "user%zu", j % 100);
		snprintf(p.comm, sizeof(p.comm), "worker%zu", j);
		snprintf(cmdline, sizeof(cmdline), "/usr/bin/worker --id %zu", j);
		p.cmdline = cmdline;
		err = sample_add_proc(s, &p, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* Fills s (reset first) with the system of shape; 0 or -ENOMEM. */
static inline int synthetic_build(struct sample *s, const struct synthetic *shape)
{
	struct sock_rec r;
	uint32_t local = htonl(0xc0a80001);  /* 192.168.0.1 */
	int err;

	sample_reset(s);
	s->sys.low = 10000;
	s->sys.high = 60999;
	s->sys.tw_reuse = 0;
	s->sys.unprivileged_port_start = 1024;
	s->owners_scanned = true;
	err = synthetic_add_procs(s, shape);
	memset(&r, 0, sizeof(r));
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.remote_port = 443;
	sample_addr_from_v4(r.local, local);
	for (size_t i = 0; i < shape->sockets && !err; i++) {
		size_t d = i % shape->destinations;

		sample_addr_from_v4(r.remote, htonl(0x0a000001 | (uint32_t)(d & 0xffff) << 8));
		r.local_port = (uint16_t)(10000 + i / shape->destinations);
		r.state = (uint8_t)synthetic_state(shape, i);
		r.cookie = i + 1;
		r.inode = synthetic_is_time_wait(shape, i) ? 0 : (uint32_t)(i + 1);
		r.uid = r.inode ? 1000 : 0;
		r.expires_ms = synthetic_is_time_wait(shape, i) ? 30000 : 0;
		r.timer = synthetic_is_time_wait(shape, i) ? 3 : 0;
		err = sample_add_sock(s, &r);
		if (!err && r.inode)
			err = sample_add_owner(s, r.inode, (uint32_t)(i % shape->procs));
	}
	if (!err)
		sample_finish_owners(s);
	return err;
}

#endif
