/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The map layouts shared by the probes (porttop.bpf.c) and their loader (probes.c).
 * Only __u8/__u16/__u32/__u64 here: the probes get them from vmlinux.h, the loader
 * from <linux/types.h>, so include one of those first.  Nothing outside src/bpf/
 * sees these types: the model gets the plain facts of core/probe_facts.h.
 */
#ifndef PORTTOP_PROBE_MAPS_H
#define PORTTOP_PROBE_MAPS_H

#define PROBE_COMM_LEN 16   /* TASK_COMM_LEN */

/*
 * Births: the connections that took a local port, by 4-tuple and namespace: every
 * live connection and every TIME_WAIT.  TIME_WAIT is capped per namespace by
 * net.ipv4.tcp_max_tw_buckets (beyond it the kernel frees the port at once,
 * TCPTimeWaitOverflow), so the loader sizes the map to that cap plus
 * PROBE_BIRTHS_LIVE live connections: 262144 entries, 36 MB of preallocated
 * kernel memory, with the default cap of 131072.  PROBE_BIRTHS_MAX bounds it at a
 * minute of TIME_WAIT at 20k connects/s (1.2M) plus 100k live connections: 191 MB
 * (memlock, as bpftool map show reports it).  LRU evicts the oldest births first,
 * the TIME_WAIT closest to its end.
 */
#define PROBE_BIRTHS_LIVE 131072
#define PROBE_BIRTHS_MAX 1310720
/*
 * Sockets inside connect() between SYN_SENT and their next state: at 20k connects/s
 * with replies within a second, 20k at once; a SYN nobody answers waits up to 127 s,
 * and births of sockets beyond this many go unrecorded until some leave SYN_SENT.
 */
#define PROBE_PENDING_MAX 32768
/* Processes and (process, destination) pairs whose connect() or bind() failed. */
#define PROBE_FAIL_PROCS_MAX 16384
#define PROBE_FAIL_DESTS_MAX 65536
/* Processes that connected: their births counted, for an exact NEW/s. */
#define PROBE_CONNECTS_MAX 16384
/* Network namespaces whose sockets and failures are recorded. */
#define PROBE_NETNS_MAX 64

/* Addresses as 16 bytes, IPv4 as IPv4-mapped IPv6, as the sampler keeps them. */
struct probe_tuple_key {
	__u32 netns;       /* network namespace inode (ns.inum) */
	__u16 local_port;  /* host order */
	__u16 remote_port; /* host order */
	__u8 local[16];
	__u8 remote[16];
};

struct probe_owner {
	__u32 pid;         /* thread group id */
	__u32 uid;
	__u64 start_ns;    /* group leader's start_boottime: pid + start is an identity */
	char comm[PROBE_COMM_LEN];
};

struct probe_proc_key {
	__u32 netns;
	__u32 pid;
	__u64 start_ns;
};

struct probe_proc_value {
	__u64 count;       /* failed connect() and bind(port 0), atomic adds */
	__u32 uid;
	__u32 pad;
	char comm[PROBE_COMM_LEN];
};

/* A failed bind(port 0) names its local address and port 0. */
struct probe_dest_key {
	struct probe_proc_key proc;
	__u8 remote[16];
	__u16 port;        /* host order */
	__u16 pad[3];
};

#endif
