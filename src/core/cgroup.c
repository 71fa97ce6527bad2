/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroup.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CGROUP_SHORT_ID 12  /* what docker ps and crictl ps show */

/* systemd-driver scope names: "<prefix><64 hex>.scope" */
static const struct {
	const char *prefix;
	const char *runtime;
} scopes[] = {
	{ "docker-", "docker" },
	{ "libpod-", "podman" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
};

struct piece {
	const char *s;
	size_t len;
};

static bool ends_with(struct piece p, const char *suffix)
{
	size_t n = strlen(suffix);
	return p.len >= n && memcmp(p.s + p.len - n, suffix, n) == 0;
}

static bool starts_with(struct piece p, const char *prefix)
{
	size_t n = strlen(prefix);
	return p.len >= n && memcmp(p.s, prefix, n) == 0;
}

/* A container id: hex only, at least the short id's length (libpod-conmon-ID is not one). */
static bool is_id(const char *s, size_t len)
{
	if (len < CGROUP_SHORT_ID)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void set(struct cgroup_identity *out, enum cgroup_kind kind, const char *what,
		const char *s, size_t len)
{
	if (kind < out->kind)
		return;
	out->kind = kind;
	if (len > CGROUP_NAME_MAX - 1)
		len = CGROUP_NAME_MAX - 1;
	snprintf(out->name, sizeof(out->name), "%s%s%.*s", what, *what ? " " : "", (int)len, s);
}

static void container_scope(struct piece p, struct cgroup_identity *out)
{
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t pre = strlen(scopes[i].prefix), id_len;

		if (!starts_with(p, scopes[i].prefix) || !ends_with(p, ".scope"))
			continue;
		id_len = p.len - pre - strlen(".scope");
		if (is_id(p.s + pre, id_len))
			set(out, CGROUP_CONTAINER, scopes[i].runtime, p.s + pre, CGROUP_SHORT_ID);
	}
}

/*
 * The pod uid: cgroupfs writes "pod<uid>", the systemd driver
 * "kubepods-<class>-pod<uid with _ for ->.slice" (kubelet's cgroup_manager_linux.go).
 */
static void pod(struct piece p, struct cgroup_identity *out)
{
	char uid[40];
	const char *at = NULL;
	size_t len, n = 0;

	if (starts_with(p, "pod"))
		at = p.s + 3;
	else if (starts_with(p, "kubepods-") && ends_with(p, ".slice"))
		for (size_t i = 0; i + 4 <= p.len; i++)
			if (memcmp(p.s + i, "-pod", 4) == 0)
				at = p.s + i + 4;
	if (!at)
		return;
	len = (size_t)(p.s + p.len - at) - (ends_with(p, ".slice") ? strlen(".slice") : 0);
	for (size_t i = 0; i < len && n < sizeof(uid) - 1; i++)
		uid[n++] = at[i] == '_' ? '-' : at[i];
	if (n)
		set(out, CGROUP_POD, "pod", uid, n);
}

/* One path: its components from the root, each judged with the one before it. */
static void identify_path(struct piece path, struct cgroup_identity *out)
{
	struct piece prev = { "", 0 };
	bool kube = false;

	for (size_t at = 0; at < path.len;) {
		struct piece p = { path.s + at, 0 };

		while (at + p.len < path.len && p.s[p.len] != '/')
			p.len++;
		at += p.len + 1;
		if (!p.len)
			continue;
		if (starts_with(p, "kubepods"))
			kube = true;
		if (kube)
			pod(p, out);
		container_scope(p, out);
		/* cgroupfs driver: /docker/<64 hex> */
		if (prev.len == 6 && memcmp(prev.s, "docker", 6) == 0 && is_id(p.s, p.len))
			set(out, CGROUP_CONTAINER, "docker", p.s, CGROUP_SHORT_ID);
		/* the innermost service: user@1000.service/app.slice/foo.service is foo's */
		if (ends_with(p, ".service"))
			set(out, CGROUP_UNIT, "", p.s, p.len);
		prev = p;
	}
}

void cgroup_identify(const char *text, size_t len, struct cgroup_identity *out)
{
	out->kind = CGROUP_HOST;
	out->name[0] = '\0';
	for (size_t at = 0; at < len;) {
		const char *line = text + at, *path;
		size_t n = 0;

		while (at + n < len && line[n] != '\n')
			n++;
		at += n + 1;
		/* "hierarchy:controllers:path"; the path may itself hold colons */
		path = memchr(line, ':', n);
		path = path ? memchr(path + 1, ':', (size_t)(line + n - path - 1)) : NULL;
		if (path)
			identify_path((struct piece){ path + 1, (size_t)(line + n - path - 1) }, out);
	}
}
