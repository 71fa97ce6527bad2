/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The recording format on hand-built samples: every field a sample has comes back
 * from a key sample and from a delta; damage is found by the checksum and stepped
 * over; a cut file ends at its last whole record.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model/model-internal.h"
#include "record/codec.h"
#include "record/format.h"
#include "record/reader.h"

static struct sock_rec tcp(uint64_t cookie, uint32_t inode, uint16_t lport, uint8_t state)
{
	struct sock_rec r;

	memset(&r, 0, sizeof(r));
	r.cookie = cookie;
	r.inode = inode;
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.state = state;
	r.local_port = lport;
	r.remote_port = 8080;
	sample_addr_from_v4(r.local, htonl(0x7f000001));
	sample_addr_from_v4(r.remote, htonl(0x7f000002));
	return r;
}

static void add_proc(struct sample *s, pid_t pid, const char *comm, uint32_t handles)
{
	struct proc_rec p;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.uid = 1000;
	p.start_time = 5000 + (unsigned long long)pid;
	p.handles = handles;
	strcpy(p.user, "alice");
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	p.cmdline = (char *)comm;
	CHECK_EQ(sample_add_proc(s, &p, NULL), 0);
}

/* Sample 1: a server (pid 10) with a listener and 3 accepted, a client (pid 20). */
static void make_first(struct sample *s)
{
	struct sock_rec listener = tcp(100, 900, 8080, KTCP_LISTEN);

	sample_init(s);
	s->wall.tv_sec = 1764583200;
	s->wall.tv_nsec = 123000000;
	s->monotonic = 1000.25;
	s->netns_inode = 4026531840ull;
	s->sys.low = 32768;
	s->sys.high = 60999;
	s->sys.tw_reuse = 2;
	s->sys.unprivileged_port_start = 1024;
	s->sys.reserved[40000 / 8] |= 1u << (40000 % 8);
	s->sys.reserved[40001 / 8] |= 1u << (40001 % 8);
	s->procs_unreadable = 3;
	CHECK_EQ(sample_add_sock(s, &listener), 0);
	for (unsigned i = 0; i < 3; i++) {
		struct sock_rec c = tcp(200 + i, 1000 + i, (uint16_t)(40100 + i), KTCP_ESTABLISHED);
		CHECK_EQ(sample_add_sock(s, &c), 0);
		CHECK_EQ(sample_add_owner(s, c.inode, 1), 0);
	}
	add_proc(s, 10, "server", 9);
	add_proc(s, 20, "client", 7);
	CHECK_EQ(sample_add_owner(s, 900, 0), 0);
	sample_finish_owners(s);
}

/* Sample 2, 10 s later: socket 200 went to TIME_WAIT, 201 closed, two new ones, the
 * client's fd count changed, a new process holds the new ones, one is IPv6. */
static void make_second(struct sample *s, const struct sample *first)
{
	struct sock_rec tw = tcp(200, 0, 40100, KTCP_TIME_WAIT), v6 = tcp(301, 1101, 40301, KTCP_SYN_SENT);
	struct sock_rec n1 = tcp(300, 1100, 40300, KTCP_ESTABLISHED);
	struct sock_rec peer = tcp(302, 1102, 8080, KTCP_ESTABLISHED);  /* n1's other end */

	sample_init(s);
	s->wall = first->wall;
	s->wall.tv_sec += 10;
	s->monotonic = first->monotonic + 10.0;
	s->sys = first->sys;
	s->sys.tw_reuse = 1;
	s->source = SAMPLE_SOURCE_PROC;
	s->netlink_error = -EPROTONOSUPPORT;
	s->owner_access = OWNER_ACCESS_USER_NS;
	tw.timer = 3;
	tw.expires_ms = 59000;
	v6.family = AF_INET6;
	memset(v6.remote, 0, 16);
	v6.remote[15] = 1;
	v6.timer = 1;
	v6.expires_ms = 900;
	v6.uid = 1000;
	CHECK_EQ(sample_add_sock(s, &first->socks[0]), 0);
	CHECK_EQ(sample_add_sock(s, &n1), 0);
	CHECK_EQ(sample_add_sock(s, &first->socks[3]), 0);
	CHECK_EQ(sample_add_sock(s, &tw), 0);
	CHECK_EQ(sample_add_sock(s, &v6), 0);
	memcpy(peer.local, n1.remote, 16);
	memcpy(peer.remote, n1.local, 16);
	peer.remote_port = n1.local_port;
	CHECK_EQ(sample_add_sock(s, &peer), 0);
	add_proc(s, 10, "server", 9);
	add_proc(s, 30, "newcomer \\x1b", 4);
	add_proc(s, 20, "client", 5);
	CHECK_EQ(sample_add_owner(s, 900, 0), 0);
	CHECK_EQ(sample_add_owner(s, 1002, 2), 0);
	CHECK_EQ(sample_add_owner(s, 1100, 1), 0);
	CHECK_EQ(sample_add_owner(s, 1101, 1), 0);
	CHECK_EQ(sample_add_owner(s, 1101, 2), 0);  /* a forked socket: two holders */
	CHECK_EQ(sample_add_owner(s, 1102, 0), 0);
	sample_finish_owners(s);
}

/* Sample 3, 10 s later: the TIME_WAIT timer ran down, nothing else changed. */
static void make_third(struct sample *s, const struct sample *second)
{
	sample_init(s);
	CHECK_EQ(codec_copy_sample(s, second), 0);
	s->wall.tv_sec += 10;
	s->monotonic += 10.0;
	s->socks[3].expires_ms = 49003;  /* 3 ms of jitter against the prediction */
}

static void check_same(const struct sample *a, const struct sample *b)
{
	CHECK_EQ(a->wall.tv_sec, b->wall.tv_sec);
	CHECK_EQ(a->wall.tv_nsec, b->wall.tv_nsec);
	CHECK(a->monotonic == b->monotonic);
	CHECK_EQ(a->source, b->source);
	CHECK_EQ(a->netns_inode, b->netns_inode);
	CHECK(memcmp(&a->sys, &b->sys, sizeof(a->sys)) == 0);
	CHECK_EQ(a->procs_unreadable, b->procs_unreadable);
	CHECK_EQ(a->owners_scanned, b->owners_scanned);
	CHECK_EQ(a->netlink_error, b->netlink_error);
	CHECK_EQ(a->owner_access, b->owner_access);
	CHECK_EQ(a->n_socks, b->n_socks);
	for (size_t i = 0; i < a->n_socks && i < b->n_socks; i++)
		CHECK(memcmp(&a->socks[i], &b->socks[i], sizeof(a->socks[i])) == 0);
	CHECK_EQ(a->n_procs, b->n_procs);
	for (size_t i = 0; i < a->n_procs && i < b->n_procs; i++) {
		CHECK_EQ(a->procs[i].pid, b->procs[i].pid);
		CHECK_EQ(a->procs[i].start_time, b->procs[i].start_time);
		CHECK_EQ(a->procs[i].handles, b->procs[i].handles);
		CHECK_EQ(a->procs[i].uid, b->procs[i].uid);
		CHECK_STR(a->procs[i].user, b->procs[i].user);
		CHECK_STR(a->procs[i].comm, b->procs[i].comm);
		CHECK_STR(a->procs[i].cmdline, b->procs[i].cmdline);
	}
	CHECK_EQ(a->n_owners, b->n_owners);
	for (size_t i = 0; i < a->n_owners && i < b->n_owners; i++) {
		CHECK_EQ(a->owners[i].inode, b->owners[i].inode);
		CHECK_EQ(a->owners[i].proc, b->owners[i].proc);
	}
	for (size_t i = 0; i < a->n_socks && i < b->n_socks; i++)
		CHECK_EQ(a->sock_owner[i], b->sock_owner[i]);
}

static int round_trip(const struct sample *s, const struct sample *prev, struct sample *out)
{
	struct recbuf b = { 0 };
	struct reccur c;
	int err = codec_encode_sample(&b, s, prev);

	if (!err) {
		reccur_init(&c, b.data, b.len);
		err = codec_decode_sample(&c, prev, out);
	}
	recbuf_free(&b);
	return err;
}

static void test_key_and_delta_samples_come_back_field_for_field(void)
{
	struct sample s1, s2, s3, empty, out, out2;

	make_first(&s1);
	make_second(&s2, &s1);
	make_third(&s3, &s2);
	sample_init(&empty);
	sample_init(&out);
	sample_init(&out2);
	CHECK_EQ(round_trip(&s1, &empty, &out), 0);
	check_same(&out, &s1);
	CHECK_EQ(round_trip(&s2, &s1, &out2), 0);
	check_same(&out2, &s2);
	CHECK_EQ(round_trip(&s3, &s2, &out), 0);
	check_same(&out, &s3);
	CHECK_EQ(out.socks[3].expires_ms, 49003);
	CHECK_EQ(round_trip(&s2, &empty, &out), 0);  /* the same sample as a key */
	check_same(&out, &s2);
	sample_free(&s1);
	sample_free(&s2);
	sample_free(&s3);
	sample_free(&out);
	sample_free(&out2);
}

/* A copy takes every field and keeps its own arrays (both samples are freed after). */
static void test_a_copy_takes_every_field_into_its_own_arrays(void)
{
	struct sample s1, s2, copy;

	make_first(&s1);
	make_second(&s2, &s1);
	sample_init(&copy);
	CHECK_EQ(codec_copy_sample(&copy, &s2), 0);  /* into empty arrays */
	check_same(&copy, &s2);
	CHECK_EQ(codec_copy_sample(&copy, &s1), 0);  /* into arrays that had s2 */
	check_same(&copy, &s1);
	CHECK(copy.socks != s1.socks && copy.procs != s1.procs && copy.owners != s1.owners);
	CHECK(copy.procs[0].cmdline != s1.procs[0].cmdline);
	sample_free(&s1);
	sample_free(&s2);
	sample_free(&copy);
}

/* The point of deltas: a sample where nothing but a timer moved costs a few bytes. */
static void test_an_unchanged_sample_costs_a_few_bytes(void)
{
	struct sample s1, s2, s3;
	struct recbuf key = { 0 }, delta = { 0 };

	make_first(&s1);
	make_second(&s2, &s1);
	make_third(&s3, &s2);
	CHECK_EQ(codec_encode_sample(&delta, &s3, &s2), 0);
	CHECK_EQ(codec_encode_sample(&key, &s3, &s1), 0);
	CHECK(delta.len < 80);  /* the stream lengths, the clock, the sysctls: 62 bytes */
	CHECK(delta.len < key.len / 2);
	recbuf_free(&key);
	recbuf_free(&delta);
	sample_free(&s1);
	sample_free(&s2);
	sample_free(&s3);
}

/* The recorded order (old sockets first, in the old order) changes no figure. */
static void test_the_recorded_order_changes_no_figure(void)
{
	struct sample s1, s2, re;
	struct history *h = history_new();
	struct model m1, m2;

	make_first(&s1);
	make_second(&s2, &s1);
	sample_init(&re);
	CHECK_EQ(codec_reorder(&re, &s2, &s1), 0);
	CHECK_EQ(re.n_socks, s2.n_socks);
	CHECK_EQ(re.socks[0].cookie, 100);  /* carried, in s1's order */
	CHECK_EQ(re.socks[1].cookie, 200);
	CHECK_EQ(re.socks[2].cookie, 202);
	CHECK_EQ(re.socks[3].cookie, 300);  /* then the new, in s2's */
	CHECK_EQ(history_advance(h, &s1), 0);
	model_init(&m1);
	model_init(&m2);
	CHECK_EQ(model_build(&m1, &s2, h), 0);
	CHECK_EQ(model_build(&m2, &re, h), 0);
	CHECK_EQ(m2.tcp.in_use, m1.tcp.in_use);
	CHECK_EQ(m2.time_wait_total, m1.time_wait_total);
	CHECK_EQ(m2.n_rows, m1.n_rows);
	CHECK_EQ(m2.n_destinations, m1.n_destinations);
	for (size_t i = 0; i < m1.n_rows && i < m2.n_rows; i++) {
		CHECK_EQ(m2.rows[i].pid, m1.rows[i].pid);
		CHECK_EQ(m2.rows[i].sockets, m1.rows[i].sockets);
		CHECK_EQ(m2.rows[i].time_wait, m1.rows[i].time_wait);
		CHECK(m2.rows[i].new_per_sec == m1.rows[i].new_per_sec);
	}
	model_free(&m1);
	model_free(&m2);
	history_free(h);
	sample_free(&s1);
	sample_free(&s2);
	sample_free(&re);
}

static void test_history_comes_back_and_attributes_time_wait(void)
{
	struct sample s1, s2;
	struct history *h = history_new(), *h2 = history_new();
	struct recbuf b = { 0 };
	struct reccur c;
	struct model m1, m2;

	make_first(&s1);
	make_second(&s2, &s1);
	CHECK_EQ(history_advance(h, &s1), 0);
	codec_encode_history(&b, h);
	reccur_init(&c, b.data, b.len);
	CHECK_EQ(codec_decode_history(&c, h2), 0);
	CHECK_EQ(history_size(h2), history_size(h));
	CHECK(history_time(h2) == history_time(h));
	model_init(&m1);
	model_init(&m2);
	CHECK_EQ(model_build(&m1, &s2, h), 0);
	CHECK_EQ(model_build(&m2, &s2, h2), 0);
	CHECK_EQ(m2.time_wait_total, 1);
	CHECK_EQ(m2.time_wait_unattributed, 0);  /* the client, through the restored history */
	CHECK_EQ(m2.n_rows, m1.n_rows);
	CHECK(m2.interval == m1.interval);
	model_free(&m1);
	model_free(&m2);
	recbuf_free(&b);
	history_free(h);
	history_free(h2);
	sample_free(&s1);
	sample_free(&s2);
}

/* Three records: header, key, delta. */
static void make_file(struct recbuf *file, size_t *ends)
{
	struct sample s1, s2;
	struct recbuf p = { 0 };
	struct record_header hdr = { .version = 1, .host = "db1", .kernel = "6.1.0", .low = 32768 };

	make_first(&s1);
	make_second(&s2, &s1);
	record_put_magic(file);
	record_header_encode(&p, &hdr);
	CHECK_EQ(record_frame_write(file, RECORD_HEADER, p.data, p.len, false), 0);
	ends[0] = file->len;
	p.len = 0;
	recbuf_varint(&p, 0);
	CHECK_EQ(codec_encode_sample(&p, &s1, &(struct sample){ .by_cookie_socks = SIZE_MAX }), 0);
	CHECK_EQ(record_frame_write(file, RECORD_KEY, p.data, p.len, true), 0);
	ends[1] = file->len;
	p.len = 0;
	recbuf_varint(&p, 1);
	CHECK_EQ(codec_encode_sample(&p, &s2, &s1), 0);
	CHECK_EQ(record_frame_write(file, RECORD_DELTA, p.data, p.len, true), 0);
	ends[2] = file->len;
	recbuf_free(&p);
	sample_free(&s1);
	sample_free(&s2);
}

/* Intact records found in buf[0..len) after the file header. */
static int count_records(const uint8_t *buf, size_t len, int *last, size_t *damaged_total)
{
	struct record_frame f;
	size_t pos = RECORD_FILE_HEADER_LEN, damaged;
	int n = 0, got;

	*damaged_total = 0;
	while ((got = reader_next(buf, len, &pos, &f, &damaged)) == 1) {
		*damaged_total += damaged;
		n++;
		pos += f.size;
	}
	*damaged_total += damaged;
	*last = got;
	return n;
}

static void test_a_cut_file_ends_at_its_last_whole_record(void)
{
	struct recbuf file = { 0 };
	size_t ends[3], damaged;
	int last;

	make_file(&file, ends);
	CHECK_EQ(record_check_magic(file.data, file.len), 0);
	CHECK_EQ(count_records(file.data, file.len, &last, &damaged), 3);
	CHECK_EQ(last, 0);
	CHECK_EQ(damaged, 0);
	for (size_t cut = RECORD_FILE_HEADER_LEN; cut < file.len; cut++) {
		int want = cut >= ends[1] ? 2 : cut >= ends[0] ? 1 : 0;
		bool at_end = cut == RECORD_FILE_HEADER_LEN || cut == ends[0] || cut == ends[1];
		CHECK_EQ(count_records(file.data, cut, &last, &damaged), want);
		CHECK_EQ(last, at_end ? 0 : -EAGAIN);  /* torn, and said so */
		CHECK_EQ(damaged, 0);
	}
	recbuf_free(&file);
}

static void test_a_flipped_byte_is_found_and_stepped_over(void)
{
	struct recbuf file = { 0 };
	size_t ends[3], damaged;
	int last;

	make_file(&file, ends);
	for (size_t at = ends[0]; at < ends[1]; at++) {  /* every byte of the key record */
		file.data[at] ^= 0x10;
		int n = count_records(file.data, file.len, &last, &damaged);
		/* the key is lost; the delta after it is found again (a damaged length may make
		 * the key look torn instead, when it claims more than the file holds) */
		CHECK(n == 2 || (n == 1 && last == -EAGAIN));
		CHECK(damaged > 0 || last == -EAGAIN);
		file.data[at] ^= 0x10;
	}
	CHECK_EQ(count_records(file.data, file.len, &last, &damaged), 3);
	CHECK_EQ(record_check_magic((const uint8_t *)"PORTTOP\x1a\x09\x00\x00\x00", 12), -EPROTONOSUPPORT);
	CHECK_EQ(record_check_magic((const uint8_t *)"#!/bin/sh\n\n\n", 12), -EBADMSG);
	recbuf_free(&file);
}

/*
 * The counters come back with the conntrack CPUs near a 32-bit wrap, so that a
 * replay tells a wrap from a reload as the live view did; without such CPUs the
 * stream ends where a reader from before them stops.
 */
static void test_counters_come_back_with_the_cpus_near_a_wrap(void)
{
	struct kernel_counters c, back;
	struct recbuf with = { 0 }, without = { 0 };
	struct reccur cur;

	counters_init(&c);
	c.known = 1u << KCOUNTER_CT_DROP | 1u << KCOUNTER_TIME_WAIT_OVERFLOW;
	c.value[KCOUNTER_CT_DROP] = 0x1fffffff0ull;
	c.value[KCOUNTER_TIME_WAIT_OVERFLOW] = 30;
	c.tw_max_buckets = 10;
	codec_encode_counters(&without, &c);
	c.upper_cpus[KCOUNTER_CT_DROP] = 2;
	codec_encode_counters(&with, &c);
	CHECK(with.len > without.len);
	CHECK(memcmp(with.data, without.data, without.len) == 0);
	reccur_init(&cur, with.data, with.len);
	codec_decode_counters(&cur, &back);
	CHECK(!cur.bad);
	CHECK_EQ(cur.pos, with.len);
	CHECK(memcmp(&back, &c, sizeof(c)) == 0);
	reccur_init(&cur, without.data, without.len);
	codec_decode_counters(&cur, &back);
	CHECK(!cur.bad);
	CHECK_EQ(back.upper_cpus[KCOUNTER_CT_DROP], 0);
	CHECK_EQ(back.value[KCOUNTER_CT_DROP], 0x1fffffff0ull);
	recbuf_free(&with);
	recbuf_free(&without);
}

int main(void)
{
	RUN(test_key_and_delta_samples_come_back_field_for_field);
	RUN(test_a_copy_takes_every_field_into_its_own_arrays);
	RUN(test_an_unchanged_sample_costs_a_few_bytes);
	RUN(test_the_recorded_order_changes_no_figure);
	RUN(test_history_comes_back_and_attributes_time_wait);
	RUN(test_a_cut_file_ends_at_its_last_whole_record);
	RUN(test_a_flipped_byte_is_found_and_stepped_over);
	RUN(test_counters_come_back_with_the_cpus_near_a_wrap);
	CHECK_DONE();
}
