/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes.h for a build without eBPF (./configure --disable-bpf): the probes cannot
 * run, and every call says so, so porttop reports "built without eBPF".
 */
#include "probes.h"

#include <errno.h>

int probes_open(struct probes **out, const char *proc_root, enum probe_status *why)
{
	(void)out;
	(void)proc_root;
	*why = PROBE_OFF_NOT_BUILT;
	return -EOPNOTSUPP;
}

void probes_close(struct probes *p)
{
	(void)p;
}

int probes_read(struct probes *p, struct sample *s)
{
	(void)p;
	(void)s;
	return -EOPNOTSUPP;
}

int probes_pin(const char *proc_root, enum probe_status *why)
{
	(void)proc_root;
	*why = PROBE_OFF_NOT_BUILT;
	return -EOPNOTSUPP;
}

int probes_unpin(void)
{
	return -EOPNOTSUPP;
}
