/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The holder table of the owner scan: which processes hold each socket inode, by fd. */
#include "heldtable.h"

#include <errno.h>
#include <stdlib.h>

static size_t held_home(const struct held_table *t, uint32_t inode)
{
	uint32_t x = inode;
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return (size_t)x & (t->cap - 1);
}

static void held_put(struct held_table *t, struct holder h)
{
	size_t i = held_home(t, h.inode);
	while (t->slots[i].inode)
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = h;
	t->count++;
}

int held_resize(struct held_table *t, size_t cap)
{
	struct holder *old = t->slots;
	size_t old_cap = t->cap;
	struct holder *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	t->slots = slots;
	t->cap = cap;
	t->count = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].inode)
			held_put(t, old[i]);
	free(old);
	return 0;
}

static void held_delete_at(struct held_table *t, size_t i)
{
	size_t mask = t->cap - 1, j = i;

	for (;;) {
		j = (j + 1) & mask;
		if (!t->slots[j].inode)
			break;
		size_t k = held_home(t, t->slots[j].inode);
		/* slot j may move back to i unless its home lies cyclically in (i, j] */
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].inode = 0;
	t->count--;
}

static void held_delete(struct held_table *t, size_t i)
{
	if (!t->slots[i].pid)
		t->markers--;
	held_delete_at(t, i);
}

static bool held_find(const struct held_table *t, uint32_t inode, pid_t pid, int fd, size_t *at)
{
	if (!t->cap)
		return false;
	for (size_t i = held_home(t, inode); t->slots[i].inode; i = (i + 1) & (t->cap - 1)) {
		const struct holder *h = &t->slots[i];
		if (h->inode == inode && h->pid == pid && h->fd == fd) {
			*at = i;
			return true;
		}
	}
	return false;
}

int held_state(const struct held_table *t, uint32_t inode)
{
	int state = 0;
	if (!t->cap)
		return 0;
	for (size_t i = held_home(t, inode); t->slots[i].inode; i = (i + 1) & (t->cap - 1))
		if (t->slots[i].inode == inode) {
			if (t->slots[i].pid)
				return 1;
			state = -1;
		}
	return state;
}

int held_insert(struct held_table *t, uint32_t inode, pid_t pid, int fd)
{
	size_t at;

	if ((t->count + 1) * 2 > t->cap) {
		int err = held_resize(t, t->cap ? t->cap * 2 : 1024);
		if (err)
			return err;
	}
	if (held_find(t, inode, 0, -1, &at)) {
		if (!pid)
			return 0;       /* marked already */
		held_delete(t, at);  /* someone holds it after all */
	}
	if (!pid)
		t->markers++;
	held_put(t, (struct holder){ .inode = inode, .pid = pid, .fd = fd });
	return 0;
}

void held_remove(struct held_table *t, uint32_t inode, pid_t pid, int fd)
{
	size_t at;
	if (held_find(t, inode, pid, fd, &at))
		held_delete(t, at);
}

size_t held_list(const struct held_table *t, uint32_t inode, struct holder *out, size_t max)
{
	size_t n = 0;
	if (!t->cap)
		return 0;
	for (size_t i = held_home(t, inode); t->slots[i].inode; i = (i + 1) & (t->cap - 1))
		if (t->slots[i].inode == inode) {
			if (n < max)
				out[n] = t->slots[i];
			n++;
		}
	return n;
}

void held_free(struct held_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = t->markers = 0;
}
