/*
 * Figures across samples on hand-built samples: when porttop first saw each socket
 * (a cookie dates a socket from its first dump to the end of its TIME_WAIT,
 * doc/kernel.md, "Socket cookies").
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "model/model-internal.h"
#include "core/sample.h"

static void start(struct sample *s, double when)
{
	sample_init(s);
	s->sys.low = 40000;
	s->sys.high = 40999;
	s->owners_scanned = true;
	s->monotonic = when;
}

static struct sock_rec tcp(const char *local, unsigned lport, unsigned rport, int state,
			   uint32_t inode, uint64_t cookie)
{
	struct sock_rec r;
	struct in_addr a, lo;

	inet_pton(AF_INET, local, &a);
	inet_pton(AF_INET, "127.0.0.1", &lo);
	memset(&r, 0, sizeof(r));
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.state = (uint8_t)state;
	sample_addr_from_v4(r.local, a.s_addr);
	sample_addr_from_v4(r.remote, lo.s_addr);
	r.local_port = (uint16_t)lport;
	r.remote_port = (uint16_t)rport;
	r.inode = inode;
	r.cookie = cookie;
	return r;
}

static void add(struct sample *s, struct sock_rec r)
{
	sample_add_sock(s, &r);
}

/* A socket keeps the time of its first sample, TIME_WAIT included; a gone one is forgotten. */
static void test_first_seen_dates_each_cookie_from_its_first_sample(void)
{
	struct history *h = history_new();
	struct sample s;
	double when[3];

	start(&s, 10.0);
	add(&s, tcp("127.0.0.1", 40001, 8080, KTCP_ESTABLISHED, 1, 101));
	add(&s, tcp("127.0.0.1", 40002, 8080, KTCP_ESTABLISHED, 2, 102));
	sample_finish_owners(&s);
	CHECK_EQ(history_advance(h, &s), 0);
	CHECK(firstseen_start(history_firstseen(h)) == 10.0);

	sample_reset(&s);
	s.monotonic = 12.5;
	add(&s, tcp("127.0.0.1", 40001, 8080, KTCP_TIME_WAIT, 0, 101));  /* closed since */
	add(&s, tcp("127.0.0.1", 40003, 8080, KTCP_ESTABLISHED, 3, 103)); /* new */
	add(&s, tcp("127.0.0.1", 40004, 8080, KTCP_ESTABLISHED, 4, 0));   /* no cookie */
	sample_finish_owners(&s);
	CHECK_EQ(firstseen_match(history_firstseen(h), &s, when), 0);
	CHECK(when[0] == 10.0);
	CHECK(when[1] == 0);
	CHECK(when[2] == 0);
	CHECK_EQ(history_advance(h, &s), 0);
	CHECK(firstseen_time(history_firstseen(h), 101) == 10.0);
	CHECK(firstseen_time(history_firstseen(h), 103) == 12.5);
	CHECK(firstseen_time(history_firstseen(h), 102) == 0);  /* gone: forgotten */
	CHECK(firstseen_time(history_firstseen(h), 0) == 0);
	CHECK_EQ(firstseen_size(history_firstseen(h)), 2);
	CHECK(firstseen_start(history_firstseen(h)) == 10.0);
	sample_free(&s);
	history_free(h);
}

int main(void)
{
	RUN(test_first_seen_dates_each_cookie_from_its_first_sample);
	CHECK_DONE();
}
