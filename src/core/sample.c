/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sample.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/radix.h"
#include "util/search.h"
#include "util/vec.h"

void sample_init(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	s->by_cookie_socks = SIZE_MAX;
	counters_init(&s->counters);
}

static void free_cmdlines(struct sample *s)
{
	for (size_t i = 0; i < s->n_procs; i++) {
		free(s->procs[i].cmdline);
		s->procs[i].cmdline = NULL;
	}
}

void sample_free(struct sample *s)
{
	free_cmdlines(s);
	free(s->socks);
	free(s->procs);
	free(s->owners);
	free(s->sock_owner);
	free(s->by_cookie);
	probe_facts_free(&s->probes);
	sample_init(s);
}

/* Whole-struct copy, then dst gets back what sample_free frees: a new scalar field
 * needs nothing here, a new array both here and there. */
void sample_copy_scalars(struct sample *dst, const struct sample *src)
{
	struct sample own = *dst;

	free_cmdlines(dst);
	*dst = *src;
	dst->socks = own.socks;
	dst->cap_socks = own.cap_socks;
	dst->procs = own.procs;
	dst->cap_procs = own.cap_procs;
	dst->owners = own.owners;
	dst->cap_owners = own.cap_owners;
	dst->sock_owner = own.sock_owner;
	dst->cap_sock_owner = own.cap_sock_owner;
	dst->by_cookie = own.by_cookie;
	dst->cap_by_cookie = own.cap_by_cookie;
	dst->probes = own.probes;
	dst->n_socks = dst->n_procs = dst->n_owners = dst->n_sock_owner = dst->n_by_cookie = 0;
	dst->by_cookie_socks = SIZE_MAX;
	dst->owners_scanned = false;
}

void sample_reset(struct sample *s)
{
	free_cmdlines(s);
	s->n_socks = 0;
	s->n_procs = 0;
	s->n_owners = 0;
	s->n_sock_owner = 0;
	s->by_cookie_socks = SIZE_MAX;
	s->procs_unreadable = 0;
	s->owners_scanned = false;
	s->netns_inode = 0;
	probe_facts_reset(&s->probes);
	s->netlink_error = 0;
	counters_init(&s->counters);
}

int sample_add_sock(struct sample *s, const struct sock_rec *rec)
{
	int err = vec_reserve((void **)&s->socks, &s->cap_socks, s->n_socks + 1, sizeof(*s->socks));
	if (err)
		return err;
	s->socks[s->n_socks++] = *rec;
	return 0;
}

int sample_add_proc(struct sample *s, const struct proc_rec *rec, size_t *index)
{
	int err = vec_reserve((void **)&s->procs, &s->cap_procs, s->n_procs + 1, sizeof(*s->procs));
	if (err)
		return err;
	struct proc_rec *p = &s->procs[s->n_procs];
	*p = *rec;
	p->cmdline = strdup(rec->cmdline ? rec->cmdline : "");
	if (!p->cmdline)
		return -ENOMEM;
	if (index)
		*index = s->n_procs;
	s->n_procs++;
	return 0;
}

int sample_add_owner(struct sample *s, uint32_t inode, uint32_t proc)
{
	int err = vec_reserve((void **)&s->owners, &s->cap_owners, s->n_owners + 1, sizeof(*s->owners));
	if (err)
		return err;
	s->owners[s->n_owners++] = (struct owner_link){ .inode = inode, .proc = proc };
	return 0;
}

static int owner_cmp(const void *a, const void *b)
{
	const struct owner_link *x = a, *y = b;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (x->proc > y->proc) - (x->proc < y->proc);
}

SEARCH_LOWER_BOUND_DEFINE(owner_lower_bound, struct owner_link, uint32_t, .inode)

const struct owner_link *sample_find_owner(const struct sample *s, uint32_t inode)
{
	size_t lo = owner_lower_bound(s->owners, s->n_owners, inode);

	if (lo < s->n_owners && s->owners[lo].inode == inode)
		return &s->owners[lo];
	return NULL;
}

const struct owner_link *sample_sock_owner(const struct sample *s, size_t i)
{
	uint32_t link;

	if (i >= s->n_sock_owner)
		return s->socks[i].inode ? sample_find_owner(s, s->socks[i].inode) : NULL;
	link = s->sock_owner[i];
	return link == SAMPLE_NO_OWNER ? NULL : &s->owners[link];
}

static bool owners_sorted(const struct sample *s)
{
	for (size_t i = 1; i < s->n_owners; i++)
		if (owner_cmp(&s->owners[i - 1], &s->owners[i]) > 0)
			return false;
	return true;
}

struct inode_at {
	uint32_t inode;
	uint32_t sock;
};

/*
 * socks[i] -> its first link, for all sockets at once: sockets sorted by inode
 * (radix), then one walk along both sorted lists.  Without memory for it the
 * join is left out and sample_sock_owner searches instead.
 */
static void join_owners(struct sample *s)
{
	struct inode_at *by_inode = NULL, *tmp = NULL;
	size_t n = 0, link = 0;

	s->n_sock_owner = 0;
	if (s->n_socks >= UINT32_MAX || s->n_owners >= SAMPLE_NO_OWNER)
		return;
	if (vec_reserve((void **)&s->sock_owner, &s->cap_sock_owner, s->n_socks,
			sizeof(*s->sock_owner)) < 0)
		return;
	by_inode = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*by_inode));
	tmp = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*tmp));
	if (!by_inode || !tmp)
		goto out;
	for (size_t i = 0; i < s->n_socks; i++) {
		s->sock_owner[i] = SAMPLE_NO_OWNER;
		if (s->socks[i].inode)
			by_inode[n++] = (struct inode_at){ s->socks[i].inode, (uint32_t)i };
	}
	radix_sort_u32(by_inode, n, sizeof(*by_inode), offsetof(struct inode_at, inode), tmp);
	for (size_t i = 0; i < n; i++) {
		while (link < s->n_owners && s->owners[link].inode < by_inode[i].inode)
			link++;
		if (link < s->n_owners && s->owners[link].inode == by_inode[i].inode)
			s->sock_owner[by_inode[i].sock] = (uint32_t)link;
	}
	s->n_sock_owner = s->n_socks;
out:
	free(by_inode);
	free(tmp);
}

struct cookie_at {
	uint64_t cookie;
	uint32_t sock;
};

/* Sorts the sockets that have a cookie into out (n_socks entries); *n of them.  0 or -ENOMEM. */
static int order_by_cookie(const struct sample *s, uint32_t *out, size_t *n)
{
	struct cookie_at *v = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*v));
	struct cookie_at *tmp = malloc((s->n_socks ? s->n_socks : 1) * sizeof(*tmp));
	size_t k = 0;

	if (!v || !tmp || s->n_socks >= UINT32_MAX) {
		free(v);
		free(tmp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n_socks; i++)
		if (s->socks[i].cookie)
			v[k++] = (struct cookie_at){ s->socks[i].cookie, (uint32_t)i };
	radix_sort_u64(v, k, sizeof(*v), offsetof(struct cookie_at, cookie), tmp);
	for (size_t i = 0; i < k; i++)
		out[i] = v[i].sock;
	*n = k;
	free(v);
	free(tmp);
	return 0;
}

const uint32_t *sample_cookie_order(const struct sample *s, size_t *n, uint32_t **scratch)
{
	static const uint32_t none[1];

	*scratch = NULL;
	if (s->by_cookie_socks == s->n_socks) {
		*n = s->n_by_cookie;
		return s->by_cookie ? s->by_cookie : none;
	}
	*scratch = malloc((s->n_socks ? s->n_socks : 1) * sizeof(**scratch));
	if (!*scratch || order_by_cookie(s, *scratch, n) < 0) {
		free(*scratch);
		*scratch = NULL;
		return NULL;
	}
	return *scratch;
}

static void keep_cookie_order(struct sample *s)
{
	s->by_cookie_socks = SIZE_MAX;
	if (vec_reserve((void **)&s->by_cookie, &s->cap_by_cookie, s->n_socks,
			sizeof(*s->by_cookie)) < 0)
		return;  /* the consumers sort for themselves */
	if (order_by_cookie(s, s->by_cookie, &s->n_by_cookie) == 0)
		s->by_cookie_socks = s->n_socks;
}

void sample_finish_owners(struct sample *s)
{
	if (!owners_sorted(s))  /* the owner scan hands them over sorted */
		qsort(s->owners, s->n_owners, sizeof(*s->owners), owner_cmp);
	s->owners_scanned = true;
	join_owners(s);
	keep_cookie_order(s);
}

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void sample_addr_from_v4(uint8_t out[16], uint32_t addr_be)
{
	memcpy(out, v4_mapped_prefix, sizeof(v4_mapped_prefix));
	memcpy(out + 12, &addr_be, 4);
}

bool sample_addr_is_v4(const uint8_t addr[16])
{
	return memcmp(addr, v4_mapped_prefix, sizeof(v4_mapped_prefix)) == 0;
}

bool sample_addr_is_any(const uint8_t addr[16])
{
	static const uint8_t zero[16];
	if (memcmp(addr, zero, 16) == 0)
		return true;
	return sample_addr_is_v4(addr) && memcmp(addr + 12, zero, 4) == 0;
}

const char *sample_endpoint_format(const uint8_t addr[16], unsigned port, char *buf, size_t len)
{
	char a[64];

	sample_addr_format(addr, a, sizeof(a));
	snprintf(buf, len, sample_addr_is_v4(addr) ? "%s:%u" : "[%s]:%u", a, port);
	return buf;
}

const char *sample_addr_format(const uint8_t addr[16], char *buf, size_t len)
{
	const char *r = sample_addr_is_v4(addr) ? inet_ntop(AF_INET, addr + 12, buf, len)
						: inet_ntop(AF_INET6, addr, buf, len);
	if (!r && len > 0) {
		buf[0] = '?';
		if (len > 1)
			buf[1] = '\0';
		else
			buf[0] = '\0';
	}
	return buf;
}
