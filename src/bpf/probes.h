/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The eBPF probes: load and attach them (or find them pinned), pin and unpin them,
 * and read what they recorded into the sample's probe facts.  Nothing else: the
 * model reads plain core/probe_facts.h structs.
 */
#ifndef PORTTOP_PROBES_H
#define PORTTOP_PROBES_H

#include "core/probe_facts.h"
#include "core/sample.h"

/* Where --bpf-pin leaves the programs, links and maps. */
#define PROBES_PIN_DIR "/sys/fs/bpf/porttop"

struct probes;

/*
 * Finds the probes pinned under PROBES_PIN_DIR, or loads and attaches a private
 * copy that goes away with porttop (links and maps are fds).  Either way the
 * network namespace of proc_root's "self" is added to the ones recorded.  0, or
 * -errno with *why saying which capability is missing (PROBE_OFF_*).
 */
int probes_open(struct probes **out, const char *proc_root, enum probe_status *why);
void probes_close(struct probes *p);

/*
 * Fills s->probes for the namespace s was taken in: the failures recorded so far,
 * and the birth of every TCP socket of s that no process holds.  Call after the
 * owners are joined (source_sample).  0 or -errno.
 */
int probes_read(struct probes *p, struct sample *s);

/* Loads, attaches and pins the probes for proc_root's namespace, then lets go.  0 or -errno. */
int probes_pin(const char *proc_root, enum probe_status *why);
/* Removes what probes_pin left; -ENOENT when nothing was pinned. */
int probes_unpin(void);

#endif
