/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who a process is, from the lines of its /proc/PID/cgroup: a Kubernetes pod, a
 * container, or a systemd unit.  Pure parsing: reading the file is the sampler's
 * (sample/cgroupread.c), so the rules are tested on lines written by hand.
 */
#ifndef PORTTOP_CGROUP_H
#define PORTTOP_CGROUP_H

#include <stddef.h>

/* "pod " and a 36-character pod uid fit; so do "containerd " and a 12-character id. */
#define CGROUP_NAME_MAX 48

/* In the order of precedence: a pod's containers share its network namespace, so the
 * pod names them best; a container's processes sit in a unit only on the host. */
enum cgroup_kind {
	CGROUP_HOST,       /* none of the below: name "" */
	CGROUP_UNIT,       /* "nginx.service" */
	CGROUP_CONTAINER,  /* "docker a1b2c3d4e5f6": the runtime and the short (12) id */
	CGROUP_POD,        /* "pod 0f1e2d3c-...": the pod uid */
};

struct cgroup_identity {
	enum cgroup_kind kind;
	char name[CGROUP_NAME_MAX];
};

/*
 * From the text of /proc/PID/cgroup (len bytes, "hierarchy:controllers:path" lines,
 * cgroup v1, v2 or both): the most telling identity any of its paths gives.  Knows
 * the systemd driver's names (docker-ID.scope, libpod-ID.scope,
 * cri-containerd-ID.scope, crio-ID.scope, kubepods-...-podUID.slice) and cgroupfs's
 * (/docker/ID, /kubepods/.../podUID/ID).
 */
void cgroup_identify(const char *text, size_t len, struct cgroup_identity *out);

/* Is this identity a container or a pod (what the CONTAINER column shows)? */
static inline int cgroup_is_container(const struct cgroup_identity *id)
{
	return id->kind == CGROUP_CONTAINER || id->kind == CGROUP_POD;
}

#endif
