/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TCP and UDP sockets through NETLINK_SOCK_DIAG (inet_diag), via libmnl. */
#ifndef PORTTOP_SOCKDIAG_H
#define PORTTOP_SOCKDIAG_H

#include <stddef.h>
#include "core/sample.h"

struct sockdiag;

/* 0 or -errno; -EPROTONOSUPPORT/-EACCES etc. mean "fall back to /proc". */
int sockdiag_open(struct sockdiag **out);
void sockdiag_close(struct sockdiag *sd);

/* Appends every TCP (all states, bound-only included) and UDP socket, v4 and v6. */
int sockdiag_dump(struct sockdiag *sd, struct sample *s);

/*
 * Parses one SOCK_DIAG_BY_FAMILY reply message (nlmsghdr + inet_diag_msg + attrs)
 * into rec.  protocol is the one asked for: the reply does not always carry it.
 * 0, or -EBADMSG for a truncated or malformed message.  Exposed for unit tests.
 */
int sockdiag_parse_msg(const void *nlmsg, size_t len, int protocol, struct sock_rec *rec);

/* Destroys one socket (SOCK_DESTROY, as `ss -K`); 0 or -errno. */
int sockdiag_destroy(struct sockdiag *sd, const struct sock_rec *rec);

#endif
