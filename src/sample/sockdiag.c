/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every TCP and UDP socket through NETLINK_SOCK_DIAG, as `ss` gets them but without
 * its per-socket formatting: one dump per (protocol, family).
 */
#include "sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Large reads mean fewer recvmsg() calls at 100k sockets (each message is ~100 bytes). */
#define SOCKDIAG_BUFFER (64 * 1024)

/*
 * Every state bit.  Bit 13 (TCP_BOUND_INACTIVE, Linux 6.5+) asks for sockets that
 * are only bind()-ed: they hold a port but are listed nowhere else.
 */
#define SOCKDIAG_ALL_STATES 0x3ffeU

struct sockdiag {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	char *buf;
};

int sockdiag_open(struct sockdiag **out)
{
	struct sockdiag *sd = calloc(1, sizeof(*sd));
	int err;

	if (!sd)
		return -ENOMEM;
	sd->buf = malloc(SOCKDIAG_BUFFER);
	if (!sd->buf) {
		free(sd);
		return -ENOMEM;
	}
	sd->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!sd->nl)
		goto fail;
	if (mnl_socket_bind(sd->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	sd->portid = mnl_socket_get_portid(sd->nl);
	sd->seq = (unsigned int)time(NULL);
	*out = sd;
	return 0;
fail:
	err = -errno;
	sockdiag_close(sd);
	return err ? err : -EPROTONOSUPPORT;
}

void sockdiag_close(struct sockdiag *sd)
{
	if (!sd)
		return;
	if (sd->nl)
		mnl_socket_close(sd->nl);
	free(sd->buf);
	free(sd);
}

static void copy_addr(uint8_t out[16], int family, const __be32 addr[4])
{
	if (family == AF_INET)
		sample_addr_from_v4(out, addr[0]);
	else
		memcpy(out, addr, 16);
}

int sockdiag_parse_msg(const void *nlmsg, size_t len, int protocol, struct sock_rec *rec)
{
	const struct nlmsghdr *nlh = nlmsg;
	const struct inet_diag_msg *msg;

	if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len)
		return -EBADMSG;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*msg)))
		return -EBADMSG;
	msg = NLMSG_DATA(nlh);
	if (msg->idiag_family != AF_INET && msg->idiag_family != AF_INET6)
		return -EBADMSG;

	memset(rec, 0, sizeof(*rec));
	rec->protocol = (uint8_t)protocol;
	rec->family = msg->idiag_family;
	rec->state = msg->idiag_state;
	rec->timer = msg->idiag_timer;
	rec->expires_ms = msg->idiag_expires;
	rec->uid = msg->idiag_uid;
	rec->inode = msg->idiag_inode;
	rec->ifindex = msg->id.idiag_if;
	rec->cookie = (uint64_t)msg->id.idiag_cookie[1] << 32 | msg->id.idiag_cookie[0];
	rec->local_port = ntohs(msg->id.idiag_sport);
	rec->remote_port = ntohs(msg->id.idiag_dport);
	copy_addr(rec->local, msg->idiag_family, msg->id.idiag_src);
	copy_addr(rec->remote, msg->idiag_family, msg->id.idiag_dst);
	return 0;
}

struct dump_ctx {
	struct sample *sample;
	int protocol;
	int err;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	struct sock_rec rec;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	if (sockdiag_parse_msg(nlh, nlh->nlmsg_len, ctx->protocol, &rec) < 0)
		return MNL_CB_OK; /* a socket we cannot read is skipped, not fatal */
	ctx->err = sample_add_sock(ctx->sample, &rec);
	return ctx->err ? MNL_CB_ERROR : MNL_CB_OK;
}

static int send_request(struct sockdiag *sd, uint16_t type, uint16_t flags,
			const struct inet_diag_req_v2 *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(sd->buf);
	struct inet_diag_req_v2 *body;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++sd->seq;
	body = mnl_nlmsg_put_extra_header(nlh, sizeof(*body));
	*body = *req;
	if (mnl_socket_sendto(sd->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/*
 * Reads the kernel's answers to the last request until they end: NLMSG_DONE after
 * a dump, the ack (an NLMSG_ERROR with error 0) after SOCK_DESTROY.  mnl_cb_run
 * turns an NLMSG_ERROR with an error into that errno; *cb_err, when given, is the
 * error a callback stopped on.  cb NULL: no message but the ack is expected.
 */
static int receive(struct sockdiag *sd, mnl_cb_t cb, void *data, const int *cb_err)
{
	unsigned int seq = sd->seq;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sd->nl, sd->buf, SOCKDIAG_BUFFER);
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		errno = 0;
		r = mnl_cb_run(sd->buf, (size_t)n, seq, sd->portid, cb, data);
		if (r == MNL_CB_STOP)
			return 0;
		if (r == MNL_CB_ERROR)
			return cb_err && *cb_err ? *cb_err : (errno ? -errno : -EIO);
	}
}

static int dump_one(struct sockdiag *sd, struct sample *s, int family, int protocol)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = (uint8_t)family,
		.sdiag_protocol = (uint8_t)protocol,
		.idiag_states = SOCKDIAG_ALL_STATES,
	};
	struct dump_ctx ctx = { .sample = s, .protocol = protocol };
	int err = send_request(sd, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &req);

	return err ? err : receive(sd, dump_cb, &ctx, &ctx.err);
}

int sockdiag_dump(struct sockdiag *sd, struct sample *s)
{
	static const int protocols[] = { IPPROTO_TCP, IPPROTO_UDP };
	static const int families[] = { AF_INET, AF_INET6 };

	for (size_t p = 0; p < sizeof(protocols) / sizeof(protocols[0]); p++) {
		for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
			int err = dump_one(sd, s, families[f], protocols[p]);
			/* A kernel without IPv6 has nothing to dump for it. */
			if (err == -EAFNOSUPPORT && families[f] == AF_INET6)
				continue;
			if (err)
				return err;
		}
	}
	return 0;
}

static void put_addr(__be32 out[4], const struct sock_rec *rec, const uint8_t addr[16])
{
	if (rec->family == AF_INET)
		memcpy(&out[0], addr + 12, 4);
	else
		memcpy(out, addr, 16);
}

int sockdiag_destroy(struct sockdiag *sd, const struct sock_rec *rec)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = rec->family,
		.sdiag_protocol = rec->protocol,
		.idiag_states = SOCKDIAG_ALL_STATES,
	};
	int err;

	req.id.idiag_sport = htons(rec->local_port);
	req.id.idiag_dport = htons(rec->remote_port);
	req.id.idiag_if = rec->ifindex;
	req.id.idiag_cookie[0] = (uint32_t)rec->cookie;
	req.id.idiag_cookie[1] = (uint32_t)(rec->cookie >> 32);
	put_addr(req.id.idiag_src, rec, rec->local);
	put_addr(req.id.idiag_dst, rec, rec->remote);

	err = send_request(sd, SOCK_DESTROY, NLM_F_ACK, &req);
	return err ? err : receive(sd, NULL, NULL, NULL);
}
