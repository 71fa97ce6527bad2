/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockdiag_parse_msg on SOCK_DIAG_BY_FAMILY replies built byte by byte, as
 * net/ipv4/inet_diag.c fills them: ports and addresses in network order, the cookie
 * as two u32 halves (sock_diag_save_cookie: [0] low, [1] high), idiag_expires in ms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "core/sample.h"
#include "sample/sockdiag.h"

/* Room for the header, the message and a few attributes; aligned as a kernel reply. */
union reply {
	struct nlmsghdr nlh;
	uint64_t align;
	unsigned char bytes[512];
};

static const char *fmt(const uint8_t addr[16])
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];
	return sample_addr_format(addr, b, 64);
}

static struct inet_diag_msg *start(union reply *r, uint8_t family)
{
	struct inet_diag_msg *m;

	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_msg));
	r->nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	r->nlh.nlmsg_flags = NLM_F_MULTI;
	r->nlh.nlmsg_seq = 42;
	m = NLMSG_DATA(&r->nlh);
	m->idiag_family = family;
	return m;
}

/* Appends one rtattr to the message, as inet_sk_diag_fill does (e.g. INET_DIAG_SHUTDOWN). */
static void add_attr(union reply *r, unsigned short type, const void *data, unsigned short len)
{
	struct rtattr *rta = (struct rtattr *)(r->bytes + NLMSG_ALIGN(r->nlh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static void test_ipv4_tcp_reply_gives_every_field(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET);
	struct sock_rec rec;

	m->idiag_state = KTCP_ESTABLISHED;
	m->idiag_timer = 2;
	m->idiag_retrans = 0;
	m->id.idiag_sport = htons(40000);
	m->id.idiag_dport = htons(443);
	inet_pton(AF_INET, "192.168.1.10", &m->id.idiag_src[0]);
	inet_pton(AF_INET, "93.184.216.34", &m->id.idiag_dst[0]);
	/* the kernel zeroes the other words; junk there must not leak into the key */
	m->id.idiag_src[1] = m->id.idiag_src[2] = m->id.idiag_src[3] = 0xdeadbeef;
	m->id.idiag_dst[1] = m->id.idiag_dst[2] = m->id.idiag_dst[3] = 0xdeadbeef;
	m->id.idiag_if = 3;
	m->id.idiag_cookie[0] = 0x55667788;
	m->id.idiag_cookie[1] = 0x11223344;
	m->idiag_expires = 7200000;
	m->idiag_rqueue = 1;
	m->idiag_wqueue = 2;
	m->idiag_uid = 1000;
	m->idiag_inode = 5555;

	memset(&rec, 0xaa, sizeof(rec));
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	CHECK_EQ(rec.protocol, IPPROTO_TCP);
	CHECK_EQ(rec.family, AF_INET);
	CHECK_EQ(rec.state, KTCP_ESTABLISHED);
	CHECK_EQ(rec.timer, 2);
	CHECK_EQ(rec.expires_ms, 7200000);
	CHECK_EQ(rec.uid, 1000);
	CHECK_EQ(rec.inode, 5555);
	CHECK_EQ(rec.ifindex, 3);
	CHECK(rec.cookie == 0x1122334455667788ULL);
	CHECK_EQ(rec.local_port, 40000);
	CHECK_EQ(rec.remote_port, 443);
	CHECK(sample_addr_is_v4(rec.local));
	CHECK(sample_addr_is_v4(rec.remote));
	CHECK_STR(fmt(rec.local), "192.168.1.10");
	CHECK_STR(fmt(rec.remote), "93.184.216.34");
}

static void test_ipv4_key_matches_the_procnet_and_model_key(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET);
	struct sock_rec rec;
	uint8_t expect[16];

	inet_pton(AF_INET, "127.0.0.1", &m->id.idiag_src[0]);
	m->idiag_state = KTCP_LISTEN;
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	sample_addr_from_v4(expect, htonl(0x7f000001));
	CHECK(memcmp(rec.local, expect, 16) == 0);
	CHECK(sample_addr_is_any(rec.remote));
	CHECK_STR(fmt(rec.remote), "0.0.0.0");
}

static void test_ipv6_reply_keeps_all_sixteen_bytes(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET6);
	struct sock_rec rec;
	struct in6_addr a6;

	m->idiag_state = KTCP_LISTEN;
	m->id.idiag_sport = htons(8443);
	inet_pton(AF_INET6, "2001:db8::1:2:3:4", m->id.idiag_src);
	inet_pton(AF_INET6, "::", m->id.idiag_dst);
	m->id.idiag_cookie[0] = 1;
	m->id.idiag_cookie[1] = 0;
	m->idiag_uid = 33;
	m->idiag_inode = 9999;
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	CHECK_EQ(rec.family, AF_INET6);
	inet_pton(AF_INET6, "2001:db8::1:2:3:4", &a6);
	CHECK(memcmp(rec.local, &a6, 16) == 0);
	CHECK_STR(fmt(rec.local), "2001:db8::1:2:3:4");
	CHECK_STR(fmt(rec.remote), "::");
	CHECK_EQ(rec.local_port, 8443);
	CHECK_EQ(rec.remote_port, 0);
	CHECK_EQ(rec.state, KTCP_LISTEN);
	CHECK(rec.cookie == 1);
	CHECK_EQ(rec.uid, 33);
	CHECK_EQ(rec.inode, 9999);
}

static void test_ipv6_v4_mapped_reply_shares_the_ipv4_key_but_keeps_family(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET6);
	struct sock_rec rec;

	m->idiag_state = KTCP_ESTABLISHED;
	m->id.idiag_sport = htons(50000);
	m->id.idiag_dport = htons(22);
	inet_pton(AF_INET6, "::ffff:127.0.0.1", m->id.idiag_src);
	inet_pton(AF_INET6, "::ffff:10.0.0.1", m->id.idiag_dst);
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	CHECK_EQ(rec.family, AF_INET6);
	CHECK(sample_addr_is_v4(rec.local));
	CHECK_STR(fmt(rec.local), "127.0.0.1");
	CHECK_STR(fmt(rec.remote), "10.0.0.1");
	CHECK_EQ(rec.local_port, 50000);
	CHECK_EQ(rec.remote_port, 22);
}

static void test_time_wait_reply_keeps_cookie_expiry_and_no_inode(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET);
	struct sock_rec rec;

	/* inet_twsk_diag_fill: timer 3, expires in ms, uid 0 and inode 0 */
	m->idiag_state = KTCP_TIME_WAIT;
	m->idiag_timer = 3;
	m->idiag_expires = 59876;
	m->id.idiag_sport = htons(40001);
	m->id.idiag_dport = htons(8080);
	inet_pton(AF_INET, "127.0.0.1", &m->id.idiag_src[0]);
	inet_pton(AF_INET, "127.0.0.1", &m->id.idiag_dst[0]);
	m->id.idiag_cookie[0] = 0xffffffff;
	m->id.idiag_cookie[1] = 0xfffffffe;
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	CHECK_EQ(rec.state, KTCP_TIME_WAIT);
	CHECK_EQ(rec.timer, 3);
	CHECK_EQ(rec.expires_ms, 59876);
	CHECK_EQ(rec.inode, 0);
	CHECK_EQ(rec.uid, 0);
	CHECK(rec.cookie == 0xfffffffeffffffffULL);
	CHECK_EQ(rec.local_port, 40001);
	CHECK_EQ(rec.remote_port, 8080);
}

static void test_udp_reply_takes_the_protocol_asked_for(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET);
	struct sock_rec rec;

	m->idiag_state = KTCP_CLOSE;
	m->id.idiag_sport = htons(53);
	m->idiag_uid = 101;
	m->idiag_inode = 3333;
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_UDP, &rec), 0);
	CHECK_EQ(rec.protocol, IPPROTO_UDP);
	CHECK_EQ(rec.state, KTCP_CLOSE);
	CHECK_EQ(rec.local_port, 53);
	CHECK_EQ(rec.uid, 101);
	CHECK_EQ(rec.inode, 3333);
}

static void test_extreme_port_and_id_values_survive(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET);
	struct sock_rec rec;

	m->idiag_state = KTCP_ESTABLISHED;
	m->id.idiag_sport = htons(65535);
	m->id.idiag_dport = htons(1);
	m->idiag_uid = UINT32_MAX;
	m->idiag_inode = UINT32_MAX;
	m->id.idiag_if = UINT32_MAX;
	m->idiag_expires = UINT32_MAX;
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	CHECK_EQ(rec.local_port, 65535);
	CHECK_EQ(rec.remote_port, 1);
	CHECK_EQ(rec.uid, UINT32_MAX);
	CHECK_EQ(rec.inode, UINT32_MAX);
	CHECK_EQ(rec.ifindex, UINT32_MAX);
	CHECK_EQ(rec.expires_ms, UINT32_MAX);
}

static void test_reply_with_attributes_and_trailing_messages_parses(void)
{
	union reply r;
	struct inet_diag_msg *m = start(&r, AF_INET);
	struct sock_rec rec;
	uint8_t shutdown = 0, tos = 0x10;
	size_t len;

	m->idiag_state = KTCP_ESTABLISHED;
	m->idiag_inode = 77;
	add_attr(&r, INET_DIAG_SHUTDOWN, &shutdown, 1);
	add_attr(&r, INET_DIAG_TOS, &tos, 1);
	CHECK(r.nlh.nlmsg_len > NLMSG_LENGTH(sizeof(*m)));
	CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), 0);
	CHECK_EQ(rec.inode, 77);

	/* the buffer may hold more messages after this one */
	len = r.nlh.nlmsg_len;
	CHECK_EQ(sockdiag_parse_msg(&r, sizeof(r.bytes), IPPROTO_TCP, &rec), 0);
	CHECK_EQ(len, r.nlh.nlmsg_len);
	CHECK_EQ(rec.inode, 77);
}

/* Copies the first n bytes of r into a buffer of exactly n bytes, so ASan sees an over-read. */
static int parse_exact(const union reply *r, size_t n, struct sock_rec *rec)
{
	void *copy = malloc(n ? n : 1);
	int got;
	memcpy(copy, r->bytes, n);
	got = sockdiag_parse_msg(copy, n, IPPROTO_TCP, rec);
	free(copy);
	return got;
}

static void test_buffer_shorter_than_the_message_is_rejected(void)
{
	union reply r;
	struct sock_rec rec;
	size_t full;

	start(&r, AF_INET)->idiag_state = KTCP_LISTEN;
	full = r.nlh.nlmsg_len;
	CHECK_EQ(parse_exact(&r, full, &rec), 0);
	for (size_t n = 0; n < full; n++) {
		int got = parse_exact(&r, n, &rec);
		if (got != -EBADMSG)
			fprintf(stderr, "accepted a %zu-byte buffer\n", n);
		CHECK_EQ(got, -EBADMSG);
	}
}

static void test_nlmsg_len_shorter_than_header_or_message_is_rejected(void)
{
	union reply r;
	struct sock_rec rec;

	for (uint32_t l = 0; l < NLMSG_LENGTH(sizeof(struct inet_diag_msg)); l++) {
		start(&r, AF_INET)->idiag_state = KTCP_LISTEN;
		r.nlh.nlmsg_len = l;
		/* the buffer itself is long enough: only the header's length is short */
		CHECK_EQ(sockdiag_parse_msg(&r, sizeof(r.bytes), IPPROTO_TCP, &rec), -EBADMSG);
	}
}

static void test_nlmsg_len_beyond_the_buffer_is_rejected(void)
{
	union reply r;
	struct sock_rec rec;

	start(&r, AF_INET)->idiag_state = KTCP_LISTEN;
	r.nlh.nlmsg_len = sizeof(r.bytes) + 1;
	CHECK_EQ(sockdiag_parse_msg(&r, sizeof(r.bytes), IPPROTO_TCP, &rec), -EBADMSG);
	r.nlh.nlmsg_len = UINT32_MAX;
	CHECK_EQ(sockdiag_parse_msg(&r, sizeof(r.bytes), IPPROTO_TCP, &rec), -EBADMSG);
	r.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_msg)) + 4;
	CHECK_EQ(parse_exact(&r, NLMSG_LENGTH(sizeof(struct inet_diag_msg)), &rec), -EBADMSG);
}

static void test_family_other_than_inet_is_rejected(void)
{
	static const uint8_t families[] = { AF_UNSPEC, AF_UNIX, AF_NETLINK, AF_PACKET, 255 };
	union reply r;
	struct sock_rec rec;

	for (size_t i = 0; i < sizeof(families); i++) {
		start(&r, families[i])->idiag_state = KTCP_ESTABLISHED;
		CHECK_EQ(sockdiag_parse_msg(&r, r.nlh.nlmsg_len, IPPROTO_TCP, &rec), -EBADMSG);
	}
}

int main(void)
{
	RUN(test_ipv4_tcp_reply_gives_every_field);
	RUN(test_ipv4_key_matches_the_procnet_and_model_key);
	RUN(test_ipv6_reply_keeps_all_sixteen_bytes);
	RUN(test_ipv6_v4_mapped_reply_shares_the_ipv4_key_but_keeps_family);
	RUN(test_time_wait_reply_keeps_cookie_expiry_and_no_inode);
	RUN(test_udp_reply_takes_the_protocol_asked_for);
	RUN(test_extreme_port_and_id_values_survive);
	RUN(test_reply_with_attributes_and_trailing_messages_parses);
	RUN(test_buffer_shorter_than_the_message_is_rejected);
	RUN(test_nlmsg_len_shorter_than_header_or_message_is_rejected);
	RUN(test_nlmsg_len_beyond_the_buffer_is_rejected);
	RUN(test_family_other_than_inet_is_rejected);
	CHECK_DONE();
}
