/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sample builders the model's unit tests share: an empty sample with a port
 * range, a TCP socket between two IPv4 addresses, a process.  Each test keeps only
 * the setups that are its own.
 */
#ifndef PORTTOP_TESTS_FIXTURE_H
#define PORTTOP_TESTS_FIXTURE_H

#include <stdint.h>
#include <sys/types.h>

#include "core/sample.h"
#include "model/model.h"

/* An empty sample taken at `when` (monotonic seconds) with the range low..high, owners read. */
void fixture_start(struct sample *s, int low, int high, double when);

/* The IPv4 address `text` in network order. */
uint32_t fixture_ip(const char *text);

/* A TCP socket local:lport -> remote:rport in `state` (KTCP_*). */
struct sock_rec fixture_tcp(const char *local, unsigned lport, const char *remote, unsigned rport,
			    int state, uint32_t inode, uint64_t cookie);

/* Adds a process of root's running `comm` (its command line too); returns its index. */
size_t fixture_add_proc(struct sample *s, pid_t pid, const char *comm, unsigned long long start_time);

/* n client connections 127.0.0.1:40000+i -> 127.0.0.1:8080 (inode and cookie 100+i) and
 * the server's n accepted sockets (1000+i) and its listener (1); owners finished. */
void fixture_client_server(struct sample *s, unsigned n, size_t client, size_t server);

/* The model's row of pid, NULL when it has none. */
const struct proc_row *fixture_row(const struct model *m, pid_t pid);

#endif
