/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample/owners.h"
#include "scancompare.h"

struct pair {
	long long a, b;
};

static int pair_cmp(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* (pid, handles) of every proc_rec, then (inode, pid) of every link, sorted. */
static size_t flatten(const struct sample *s, struct pair *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_procs && n < max; i++)
		out[n++] = (struct pair){ -1 - (long long)s->procs[i].pid, s->procs[i].handles };
	for (size_t i = 0; i < s->n_owners && n < max; i++)
		out[n++] = (struct pair){ s->owners[i].inode, s->procs[s->owners[i].proc].pid };
	qsort(out, n, sizeof(*out), pair_cmp);
	return n;
}

#define MAX_PAIRS 4096

bool scancompare_equal(const struct sample *a, const struct sample *b)
{
	static struct pair x[MAX_PAIRS], y[MAX_PAIRS];
	size_t nx = flatten(a, x, MAX_PAIRS), ny = flatten(b, y, MAX_PAIRS);

	return nx == ny && memcmp(x, y, nx * sizeof(*x)) == 0;
}

bool scancompare_same(const struct sample *inc, const struct sample *full, const char *when)
{
	static struct pair a[MAX_PAIRS], b[MAX_PAIRS];
	size_t na = flatten(inc, a, MAX_PAIRS), nb = flatten(full, b, MAX_PAIRS);

	if (na == nb && memcmp(a, b, na * sizeof(*a)) == 0)
		return true;
	fprintf(stderr, "%s: incremental and full scans differ\n", when);
	for (size_t i = 0, j = 0; i < na || j < nb;) {
		int c = i >= na ? 1 : j >= nb ? -1 : pair_cmp(&a[i], &b[j]);
		if (c == 0) {
			i++, j++;
			continue;
		}
		const struct pair *p = c < 0 ? &a[i++] : &b[j++];
		if (p->a < 0)
			fprintf(stderr, "  only %s: pid %lld handles %lld\n", c < 0 ? "incremental" : "full",
				-1 - p->a, p->b);
		else
			fprintf(stderr, "  only %s: inode %lld held by pid %lld\n",
				c < 0 ? "incremental" : "full", p->a, p->b);
	}
	return false;
}

bool scancompare_no_wrong_owner(const struct sample *inc, const struct sample *full, const char *when)
{
	static struct pair a[MAX_PAIRS], b[MAX_PAIRS];
	size_t na = flatten(inc, a, MAX_PAIRS), nb = flatten(full, b, MAX_PAIRS);
	bool ok = true;

	for (size_t i = 0; i < na; i++) {
		const struct pair *hit = bsearch(&a[i], b, nb, sizeof(*b), pair_cmp);
		if (!hit) {
			fprintf(stderr, "%s: the incremental scan says %s %lld / %lld, the full one not\n",
				when, a[i].a < 0 ? "pid/handles" : "inode/pid",
				a[i].a < 0 ? -1 - a[i].a : a[i].a, a[i].b);
			ok = false;
		}
	}
	for (size_t j = 0; j < nb; j++) {
		if (b[j].a < 0 || bsearch(&b[j], a, na, sizeof(*a), pair_cmp))
			continue;
		if (sample_find_owner(inc, (uint32_t)b[j].a)) {
			fprintf(stderr, "%s: inode %lld: the incremental scan misses holder %lld\n",
				when, b[j].a, b[j].b);
			ok = false;
		}
	}
	return ok;
}

void scancompare_add_sock(struct sample *s, uint32_t inode)
{
	struct sock_rec r;
	memset(&r, 0, sizeof(r));
	r.protocol = IPPROTO_TCP;
	r.family = AF_INET;
	r.state = KTCP_ESTABLISHED;
	r.inode = inode;
	r.cookie = inode;
	sample_add_sock(s, &r);
}

int scancompare_full_scan(const char *root, const struct sample *socks, struct sample *out)
{
	struct owners *o;
	int err = owners_new(&o);

	sample_reset(out);
	for (size_t i = 0; i < socks->n_socks; i++)
		sample_add_sock(out, &socks->socks[i]);
	if (!err)
		err = owners_scan(o, root, out);
	owners_free(o);
	return err;
}
