/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The /proc/net/{tcp,tcp6,udp,udp6} fallback parser, on lines as the kernel prints
 * them (net/ipv4/tcp_ipv4.c get_tcp4_sock / get_timewait4_sock, net/ipv6/tcp_ipv6.c
 * get_tcp6_sock, net/ipv4/udp.c udp4_format_sock).  Address words are the kernel's
 * __be32 values printed with %08X: the literal lines below are what a little-endian
 * machine shows; test_address_words_round_trip_on_this_host covers any byte order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fakeroot.h"
#include "sample/procnet.h"
#include "core/sample.h"

static const char *fmt(const uint8_t addr[16])
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];
	return sample_addr_format(addr, b, 64);
}

static long clock_ticks(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? hz : 100;
}

static int host_is_little_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 1;
}

/* Header and lines captured from real files (pointer fields zeroed). */
#define TCP_HEADER "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
#define TCP_LISTEN "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0\n"
/* 192.168.1.10:40000 -> 93.184.216.34:443, keepalive timer (02) 7200 s away */
#define TCP_ESTABLISHED "   1: 0A01A8C0:9C40 22D8B85D:01BB 01 00000000:00000000 02:000AFC80 00000000  1000        0 5555 2 0000000000000000 20 4 30 10 -1\n"
/* get_timewait4_sock: timer 03, uid 0, inode 0; 6000 ticks = 60 s at USER_HZ 100 */
#define TCP_TIME_WAIT "   2: 0100007F:9C41 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
#define TCP6_HEADER "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
#define TCP6_LOOPBACK "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 7777 1 0000000000000000 100 0 0 10 0\n"
/* ::ffff:127.0.0.1:50000 -> ::ffff:10.0.0.1:22 on an AF_INET6 socket */
#define TCP6_MAPPED "   1: 0000000000000000FFFF00000100007F:C350 0000000000000000FFFF00000100000A:0016 01 00000000:00000000 00:00000000 00000000     0        0 8888 1 0000000000000000 20 4 30 10 -1\n"
/* 2001:db8::1:443 -> 2001:db8::2:51000 */
#define TCP6_GLOBAL "   2: B80D0120000000000000000001000000:01BB B80D0120000000000000000002000000:C738 01 00000000:00000000 00:00000000 00000000    33        0 9999 1 0000000000000000 20 4 30 10 -1\n"
#define UDP_HEADER "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
#define UDP_DNS "  123: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 3333 2 0000000000000000 0\n"
/* a connect()ed UDP socket: 10.0.0.5:45000 -> 10.0.0.1:53 */
#define UDP_CONNECTED " 4711: 0500000A:AFC8 0100000A:0035 01 00000000:00000000 00:00000000 00000000  1000        0 3334 2 0000000000000000 0\n"

static void test_ipv4_listen_line_gives_address_port_state_uid_and_inode(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line(TCP_LISTEN, IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_STR(fmt(r.local), "127.0.0.1");
	CHECK(sample_addr_is_v4(r.local));
	CHECK_EQ(r.local_port, 8080);
	CHECK_STR(fmt(r.remote), "0.0.0.0");
	CHECK(sample_addr_is_any(r.remote));
	CHECK_EQ(r.remote_port, 0);
	CHECK_EQ(r.state, KTCP_LISTEN);
	CHECK_EQ(r.uid, 1000);
	CHECK_EQ(r.inode, 4242);
	CHECK_EQ(r.protocol, IPPROTO_TCP);
	CHECK_EQ(r.family, AF_INET);
	CHECK_EQ(r.timer, 0);
	CHECK_EQ(r.expires_ms, 0);
	/* the files carry neither a cookie nor an interface */
	CHECK_EQ(r.cookie, 0);
	CHECK_EQ(r.ifindex, 0);
}

static void test_ipv4_established_line_gives_both_endpoints_and_timer(void)
{
	struct sock_rec r;
	memset(&r, 0xaa, sizeof(r));
	CHECK_EQ(procnet_parse_line(TCP_ESTABLISHED, IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_STR(fmt(r.local), "192.168.1.10");
	CHECK_EQ(r.local_port, 40000);
	CHECK_STR(fmt(r.remote), "93.184.216.34");
	CHECK_EQ(r.remote_port, 443);
	CHECK_EQ(r.state, KTCP_ESTABLISHED);
	CHECK_EQ(r.timer, 2);
	CHECK_EQ(r.expires_ms, 0xAFC80LL * 1000 / clock_ticks());
	CHECK_EQ(r.uid, 1000);
	CHECK_EQ(r.inode, 5555);
	CHECK_EQ(r.cookie, 0);
	CHECK_EQ(r.ifindex, 0);
}

static void test_time_wait_line_has_timer_3_no_inode_and_expiry_in_ms(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line(TCP_TIME_WAIT, IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_EQ(r.state, KTCP_TIME_WAIT);
	CHECK_EQ(r.timer, 3);
	CHECK_EQ(r.expires_ms, 6000LL * 1000 / clock_ticks());
	if (clock_ticks() == 100)
		CHECK_EQ(r.expires_ms, 60000);
	CHECK_EQ(r.inode, 0);
	CHECK_EQ(r.uid, 0);
	CHECK_EQ(r.local_port, 40001);
	CHECK_EQ(r.remote_port, 8080);
	CHECK_STR(fmt(r.remote), "127.0.0.1");
}

static void test_tcp6_loopback_line_gives_ipv6_address_and_family(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line(TCP6_LOOPBACK, IPPROTO_TCP, AF_INET6, &r), 0);
	CHECK_STR(fmt(r.local), "::1");
	CHECK(!sample_addr_is_v4(r.local));
	CHECK_EQ(r.local_port, 8080);
	CHECK_STR(fmt(r.remote), "::");
	CHECK(sample_addr_is_any(r.remote));
	CHECK_EQ(r.state, KTCP_LISTEN);
	CHECK_EQ(r.family, AF_INET6);
	CHECK_EQ(r.protocol, IPPROTO_TCP);
	CHECK_EQ(r.uid, 1000);
	CHECK_EQ(r.inode, 7777);
}

static void test_tcp6_v4_mapped_line_shares_the_ipv4_key_but_keeps_family(void)
{
	struct sock_rec r;
	uint8_t expect[16];
	CHECK_EQ(procnet_parse_line(TCP6_MAPPED, IPPROTO_TCP, AF_INET6, &r), 0);
	sample_addr_from_v4(expect, htonl(0x7f000001));
	CHECK(memcmp(r.local, expect, 16) == 0);
	CHECK(sample_addr_is_v4(r.local));
	CHECK_STR(fmt(r.local), "127.0.0.1");
	CHECK_STR(fmt(r.remote), "10.0.0.1");
	CHECK_EQ(r.local_port, 50000);
	CHECK_EQ(r.remote_port, 22);
	CHECK_EQ(r.family, AF_INET6);
	CHECK_EQ(r.state, KTCP_ESTABLISHED);
	CHECK_EQ(r.inode, 8888);
}

static void test_tcp6_global_addresses_keep_all_four_words_in_order(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line(TCP6_GLOBAL, IPPROTO_TCP, AF_INET6, &r), 0);
	CHECK_STR(fmt(r.local), "2001:db8::1");
	CHECK_STR(fmt(r.remote), "2001:db8::2");
	CHECK_EQ(r.local_port, 443);
	CHECK_EQ(r.remote_port, 51000);
	CHECK_EQ(r.uid, 33);
	CHECK_EQ(r.inode, 9999);
}

static void test_udp_lines_give_udp_protocol_and_close_or_established_state(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line(UDP_DNS, IPPROTO_UDP, AF_INET, &r), 0);
	CHECK_EQ(r.protocol, IPPROTO_UDP);
	CHECK_EQ(r.family, AF_INET);
	CHECK_STR(fmt(r.local), "0.0.0.0");
	CHECK_EQ(r.local_port, 53);
	CHECK_EQ(r.state, KTCP_CLOSE);
	CHECK_EQ(r.uid, 101);
	CHECK_EQ(r.inode, 3333);

	CHECK_EQ(procnet_parse_line(UDP_CONNECTED, IPPROTO_UDP, AF_INET, &r), 0);
	CHECK_STR(fmt(r.local), "10.0.0.5");
	CHECK_EQ(r.local_port, 45000);
	CHECK_STR(fmt(r.remote), "10.0.0.1");
	CHECK_EQ(r.remote_port, 53);
	CHECK_EQ(r.state, KTCP_ESTABLISHED);
	CHECK_EQ(r.inode, 3334);
}

/* Builds a line the way the kernel does, from in-memory __be32 words: any byte order. */
static void test_address_words_round_trip_on_this_host(void)
{
	struct in_addr a4;
	struct in6_addr a6;
	uint32_t w[4];
	char line[512];
	struct sock_rec r;

	inet_pton(AF_INET, "203.0.113.77", &a4);
	memcpy(w, &a4, 4);
	snprintf(line, sizeof(line), "   0: %08X:%04X %08X:%04X 01 00000000:00000000 00:00000000 00000000  0 0 1 1\n",
		 w[0], 12345u, w[0], 80u);
	CHECK_EQ(procnet_parse_line(line, IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_STR(fmt(r.local), "203.0.113.77");
	CHECK_EQ(r.local_port, 12345);
	CHECK_EQ(r.remote_port, 80);

	inet_pton(AF_INET6, "fe80::1234:5678:9abc:def0", &a6);
	memcpy(w, &a6, 16);
	snprintf(line, sizeof(line), "   0: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X 0A 00000000:00000000 00:00000000 00000000  0 0 1 1\n",
		 w[0], w[1], w[2], w[3], 65535u, 0u, 0u, 0u, 0u, 0u);
	CHECK_EQ(procnet_parse_line(line, IPPROTO_TCP, AF_INET6, &r), 0);
	CHECK(memcmp(r.local, &a6, 16) == 0);
	CHECK_STR(fmt(r.local), "fe80::1234:5678:9abc:def0");
	CHECK_EQ(r.local_port, 65535);
}

static void test_lowercase_hex_is_accepted(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line("   0: 0a01a8c0:9c40 22d8b85d:01bb 01 00000000:00000000 02:000afc80 00000000  1000 0 5555\n",
				    IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_STR(fmt(r.local), "192.168.1.10");
	CHECK_EQ(r.local_port, 40000);
}

static void test_every_truncation_before_the_inode_is_rejected(void)
{
	const char *lines[] = { TCP_LISTEN, TCP6_LOOPBACK, UDP_DNS };
	const int families[] = { AF_INET, AF_INET6, AF_INET };
	const char *inodes[] = { " 4242 ", " 7777 ", " 3333 " };

	for (size_t l = 0; l < 3; l++) {
		size_t stop = (size_t)(strstr(lines[l], inodes[l]) - lines[l]) + 1;
		int rejected = 0;
		for (size_t n = 0; n < stop; n++) {
			char *copy = strndup(lines[l], n); /* exact size: ASan sees any over-read */
			struct sock_rec r;
			if (procnet_parse_line(copy, IPPROTO_TCP, families[l], &r) == -EINVAL)
				rejected++;
			else
				fprintf(stderr, "accepted truncated line: \"%s\"\n", copy);
			free(copy);
		}
		CHECK_EQ(rejected, (long long)stop);
	}
}

static void test_truncated_inode_still_parses_what_is_there(void)
{
	struct sock_rec r;
	char *copy = strndup(TCP_LISTEN, (size_t)(strstr(TCP_LISTEN, " 4242 ") - TCP_LISTEN) + 3);
	CHECK_EQ(procnet_parse_line(copy, IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_EQ(r.inode, 42);
	free(copy);
}

static void test_malformed_lines_are_rejected(void)
{
	static const char *bad[] = {
		"",
		"\n",
		"   \t  \n",
		/* missing colon after sl */
		"   0 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		/* missing colon between address and port */
		"   0: 0100007F 1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		/* non-hex in the address, the port, the state, the queues, the timer */
		"   0: 0100007G:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F9Z 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0x 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0A 0000000g:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 0Q:00000000 00000000  1000 0 4242\n",
		/* short address and port words */
		"   0: 100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		/* a port of five hex digits */
		"   0: 0100007F:1F900 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		/* local port glued to the remote address */
		"   0: 0100007F:1F9000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		/* state 00, 0E (past KTCP_BOUND_INACTIVE) and FF */
		"   0: 0100007F:1F90 00000000:0000 00 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0E 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 FF 00000000:00000000 00:00000000 00000000  1000 0 4242\n",
		/* missing colon in tx:rx and tr:when */
		"   0: 0100007F:1F90 00000000:0000 0A 00000000 00000000 00:00000000 00000000  1000 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00 00000000 00000000  1000 0 4242\n",
		/* non-decimal uid, timeout, inode */
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  10x0 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  -1 0 4242\n",
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 42a2\n",
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 -4242\n",
		/* the header line itself */
		TCP_HEADER,
		UDP_HEADER,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sock_rec r;
		int got = procnet_parse_line(bad[i], IPPROTO_TCP, AF_INET, &r);
		if (got != -EINVAL)
			fprintf(stderr, "bad[%zu] gave %d: %s", i, got, bad[i]);
		CHECK_EQ(got, -EINVAL);
	}
}

static void test_inode_and_uid_beyond_32_bits_are_rejected(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4294967295\n",
				    IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_EQ(r.inode, UINT32_MAX);
	CHECK_EQ(procnet_parse_line("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4294967296\n",
				    IPPROTO_TCP, AF_INET, &r), -EINVAL);
	CHECK_EQ(procnet_parse_line("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 99999999999999999999999\n",
				    IPPROTO_TCP, AF_INET, &r), -EINVAL);
	CHECK_EQ(procnet_parse_line("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  4294967295 0 1\n",
				    IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_EQ(r.uid, UINT32_MAX);
	CHECK_EQ(procnet_parse_line("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  4294967296 0 1\n",
				    IPPROTO_TCP, AF_INET, &r), -EINVAL);
}

static void test_line_of_the_other_family_is_rejected(void)
{
	struct sock_rec r;
	CHECK_EQ(procnet_parse_line(TCP6_LOOPBACK, IPPROTO_TCP, AF_INET, &r), -EINVAL);
	CHECK_EQ(procnet_parse_line(TCP_LISTEN, IPPROTO_TCP, AF_INET6, &r), -EINVAL);
	CHECK_EQ(procnet_parse_line(TCP_LISTEN, IPPROTO_TCP, AF_UNIX, &r), -EINVAL);
	CHECK_EQ(procnet_parse_line(TCP_LISTEN, IPPROTO_TCP, 0, &r), -EINVAL);
}

static void test_very_long_lines_parse_or_fail_without_overrun(void)
{
	size_t n = 100000;
	char *line = malloc(strlen(TCP_LISTEN) + n + 1);
	struct sock_rec r;

	/* trailing fields of any length after the inode are ignored */
	strcpy(line, TCP_LISTEN);
	line[strlen(line) - 1] = ' ';
	memset(line + strlen(TCP_LISTEN), '7', n);
	line[strlen(TCP_LISTEN) + n] = '\0';
	CHECK_EQ(procnet_parse_line(line, IPPROTO_TCP, AF_INET, &r), 0);
	CHECK_EQ(r.inode, 4242);

	/* a line that is all digits, then all hex, then all spaces */
	memset(line, '1', n);
	line[n] = '\0';
	CHECK_EQ(procnet_parse_line(line, IPPROTO_TCP, AF_INET, &r), -EINVAL);
	memset(line, 'A', n);
	CHECK_EQ(procnet_parse_line(line, IPPROTO_TCP, AF_INET6, &r), -EINVAL);
	memset(line, ' ', n);
	CHECK_EQ(procnet_parse_line(line, IPPROTO_TCP, AF_INET, &r), -EINVAL);
	free(line);
}

static void test_parse_file_skips_header_and_counts_bad_lines(void)
{
	static const char text[] = TCP_HEADER TCP_LISTEN "garbage\n" TCP_ESTABLISHED "\n" TCP_TIME_WAIT
		"   9: 0100007F:1F90 00000000:0000 FF 00000000:00000000 00:00000000 00000000  1000 0 1\n"
		/* last line without a newline still counts */
		"   3: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 77";
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct sample s;
	unsigned skipped = 0;

	sample_init(&s);
	CHECK(fp != NULL);
	if (!fp)
		return;
	CHECK_EQ(procnet_parse_file(fp, IPPROTO_TCP, AF_INET, &s, &skipped), 0);
	fclose(fp);
	CHECK_EQ(s.n_socks, 4);
	CHECK_EQ(skipped, 3);
	if (s.n_socks == 4) {
		CHECK_EQ(s.socks[0].state, KTCP_LISTEN);
		CHECK_EQ(s.socks[1].state, KTCP_ESTABLISHED);
		CHECK_EQ(s.socks[2].state, KTCP_TIME_WAIT);
		CHECK_EQ(s.socks[3].inode, 77);
		CHECK_EQ(s.socks[3].local_port, 8081);
	}
	sample_free(&s);
}

static void test_parse_file_appends_and_tolerates_null_skip_counter(void)
{
	static const char text[] = UDP_HEADER UDP_DNS "x\n" UDP_CONNECTED;
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct sample s;
	struct sock_rec first;

	sample_init(&s);
	CHECK_EQ(procnet_parse_line(TCP_LISTEN, IPPROTO_TCP, AF_INET, &first), 0);
	CHECK_EQ(sample_add_sock(&s, &first), 0);
	CHECK_EQ(procnet_parse_file(fp, IPPROTO_UDP, AF_INET, &s, NULL), 0);
	fclose(fp);
	CHECK_EQ(s.n_socks, 3);
	if (s.n_socks == 3) {
		CHECK_EQ(s.socks[0].protocol, IPPROTO_TCP);
		CHECK_EQ(s.socks[1].protocol, IPPROTO_UDP);
		CHECK_EQ(s.socks[2].protocol, IPPROTO_UDP);
	}
	sample_free(&s);
}

static void test_parse_file_with_header_only_adds_nothing(void)
{
	static const char text[] = TCP6_HEADER;
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct sample s;
	unsigned skipped = 0;

	sample_init(&s);
	CHECK_EQ(procnet_parse_file(fp, IPPROTO_TCP, AF_INET6, &s, &skipped), 0);
	fclose(fp);
	CHECK_EQ(s.n_socks, 0);
	CHECK_EQ(skipped, 0);
	sample_free(&s);
}

static void test_parse_file_reads_lines_longer_than_any_buffer(void)
{
	size_t pad = 200000;
	size_t cap = strlen(TCP_HEADER) + 2 * strlen(TCP_LISTEN) + pad + 1;
	char *text = malloc(cap);
	struct sample s;
	unsigned skipped = 0;
	FILE *fp;
	char *p = text;

	p += sprintf(p, "%s", TCP_HEADER);
	memset(p, 'x', pad); /* one huge junk line */
	p += pad;
	*p++ = '\n';
	p += sprintf(p, "%s", TCP_LISTEN);
	fp = fmemopen(text, (size_t)(p - text), "r");
	sample_init(&s);
	CHECK_EQ(procnet_parse_file(fp, IPPROTO_TCP, AF_INET, &s, &skipped), 0);
	fclose(fp);
	CHECK_EQ(s.n_socks, 1);
	CHECK_EQ(skipped, 1);
	sample_free(&s);
	free(text);
}

/* ---- procnet_read against a fake proc root ---- */

static void test_proc_read_without_ipv6_files_is_fine_without_tcp_is_an_error(void)
{
	char root[] = "/tmp/porttop-procnet-XXXXXX";
	char net[sizeof(root) + 8];
	struct sample s;

	CHECK(mkdtemp(root) != NULL);
	snprintf(net, sizeof(net), "%s/net", root);
	CHECK_EQ(mkdir(net, 0700), 0);
	fakeroot_put(root, "net/tcp", TCP_HEADER TCP_LISTEN TCP_ESTABLISHED);
	fakeroot_put(root, "net/udp", UDP_HEADER UDP_DNS);

	/* IPv6 disabled: no tcp6, no udp6 */
	sample_init(&s);
	CHECK_EQ(procnet_read(root, &s), 0);
	CHECK_EQ(s.n_socks, 3);
	if (s.n_socks == 3) {
		CHECK_EQ(s.socks[0].protocol, IPPROTO_TCP);
		CHECK_EQ(s.socks[0].family, AF_INET);
		CHECK_EQ(s.socks[2].protocol, IPPROTO_UDP);
		CHECK_EQ(s.socks[2].local_port, 53);
	}
	sample_free(&s);

	/* all four */
	fakeroot_put(root, "net/tcp6", TCP6_HEADER TCP6_LOOPBACK TCP6_MAPPED);
	fakeroot_put(root, "net/udp6", TCP6_HEADER);
	sample_init(&s);
	CHECK_EQ(procnet_read(root, &s), 0);
	CHECK_EQ(s.n_socks, 5);
	if (s.n_socks == 5) {
		CHECK_EQ(s.socks[2].family, AF_INET6);
		CHECK_EQ(s.socks[2].protocol, IPPROTO_TCP);
		CHECK_STR(fmt(s.socks[2].local), "::1");
		CHECK_EQ(s.socks[4].protocol, IPPROTO_UDP);
		CHECK_EQ(s.socks[4].family, AF_INET);
	}
	sample_free(&s);

	/* tcp and udp are mandatory */
	fakeroot_drop(root, "net/tcp");
	sample_init(&s);
	CHECK_EQ(procnet_read(root, &s), -ENOENT);
	sample_free(&s);
	fakeroot_put(root, "net/tcp", TCP_HEADER);
	fakeroot_drop(root, "net/udp");
	sample_init(&s);
	CHECK_EQ(procnet_read(root, &s), -ENOENT);
	sample_free(&s);

	/* a directory where a file should be: an error, not an empty table */
	{
		char dir[sizeof(root) + 16];
		snprintf(dir, sizeof(dir), "%s/net/udp", root);
		CHECK_EQ(mkdir(dir, 0700), 0);
		sample_init(&s);
		CHECK(procnet_read(root, &s) < 0);
		sample_free(&s);
	}

	fakeroot_remove(root);
	sample_init(&s);
	CHECK_EQ(procnet_read(root, &s), -ENOENT);
	sample_free(&s);
}

int main(void)
{
	if (host_is_little_endian()) {
		RUN(test_ipv4_listen_line_gives_address_port_state_uid_and_inode);
		RUN(test_ipv4_established_line_gives_both_endpoints_and_timer);
		RUN(test_time_wait_line_has_timer_3_no_inode_and_expiry_in_ms);
		RUN(test_tcp6_loopback_line_gives_ipv6_address_and_family);
		RUN(test_tcp6_v4_mapped_line_shares_the_ipv4_key_but_keeps_family);
		RUN(test_tcp6_global_addresses_keep_all_four_words_in_order);
		RUN(test_udp_lines_give_udp_protocol_and_close_or_established_state);
		RUN(test_lowercase_hex_is_accepted);
		RUN(test_proc_read_without_ipv6_files_is_fine_without_tcp_is_an_error);
	} else {
		printf("skip: literal little-endian lines\n");
	}
	RUN(test_address_words_round_trip_on_this_host);
	RUN(test_every_truncation_before_the_inode_is_rejected);
	RUN(test_truncated_inode_still_parses_what_is_there);
	RUN(test_malformed_lines_are_rejected);
	RUN(test_inode_and_uid_beyond_32_bits_are_rejected);
	RUN(test_line_of_the_other_family_is_rejected);
	RUN(test_very_long_lines_parse_or_fail_without_overrun);
	RUN(test_parse_file_skips_header_and_counts_bad_lines);
	RUN(test_parse_file_appends_and_tolerates_null_skip_counter);
	RUN(test_parse_file_with_header_only_adds_nothing);
	RUN(test_parse_file_reads_lines_longer_than_any_buffer);
	CHECK_DONE();
}
