/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One sample of the system: every TCP and UDP socket, the port sysctls, and the
 * processes that own sockets.  This is the seam between the kernel and the rest of
 * porttop: the live source (source.c) fills it from netlink and /proc, tests fill it
 * by hand, and the model reads nothing else.
 */
#ifndef PORTTOP_SAMPLE_H
#define PORTTOP_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/cgroup.h"
#include "core/counters.h"
#include "core/probe_facts.h"

#define SAMPLE_PORT_COUNT 65536

enum sample_source {
	SAMPLE_SOURCE_NETLINK,
	SAMPLE_SOURCE_PROC,
};

/*
 * The steps of taking a sample, to name the one that failed: the caller makes the
 * message (only a sock_diag failure is helped by --source=proc).
 */
enum sample_step {
	SAMPLE_STEP_NONE,
	SAMPLE_STEP_MEMORY,        /* the source's or the model's own buffers */
	SAMPLE_STEP_SYSCTL_RANGE,  /* net.ipv4.ip_local_port_range */
	SAMPLE_STEP_SOCK_DIAG,     /* netlink sock_diag: opening the socket or a dump */
	SAMPLE_STEP_PROC_NET,      /* /proc/net/{tcp,udp}{,6} */
	SAMPLE_STEP_OWNERS,        /* /proc/PID/fd */
	SAMPLE_STEP_PROCINFO,      /* libproc2: users, names, command lines */
	SAMPLE_STEP_NETNS,         /* --netns: opening or entering the namespace */
	SAMPLE_STEP_BPF,           /* --bpf=on: the eBPF probes cannot be loaded */
	SAMPLE_STEP_BPF_MAPS,      /* reading the probes' maps */
	SAMPLE_STEP_RECORD,        /* -w: writing the recording */
	SAMPLE_STEP_REPLAY,        /* -r: reading the recording */
	SAMPLE_STEP_REPLAY_TIME,   /* --begin or --end is no time */
	SAMPLE_STEP_PROC_GONE,     /* /proc is not mounted (any more): nothing to retry */
};

/*
 * Kernel TCP states as sock_diag and /proc/net/tcp report them (include/net/tcp_states.h).
 * TCP_BOUND_INACTIVE is only a request bit: bound-only sockets come back as CLOSE.
 */
enum kernel_tcp_state {
	KTCP_ESTABLISHED = 1,
	KTCP_SYN_SENT,
	KTCP_SYN_RECV,
	KTCP_FIN_WAIT1,
	KTCP_FIN_WAIT2,
	KTCP_TIME_WAIT,
	KTCP_CLOSE,
	KTCP_CLOSE_WAIT,
	KTCP_LAST_ACK,
	KTCP_LISTEN,
	KTCP_CLOSING,
	KTCP_NEW_SYN_RECV,
	KTCP_BOUND_INACTIVE,
	KTCP_MAX_STATES,
};

/*
 * One socket.  Addresses are kept as 16 bytes, IPv4 as IPv4-mapped IPv6
 * (::ffff:a.b.c.d): IPv4 and IPv6 share the kernel's port tables, so they share
 * one key type here too.  `family` remembers what the kernel reported.
 */
struct sock_rec {
	uint64_t cookie;       /* kernel socket cookie; TIME_WAIT keeps the live one's */
	uint32_t inode;        /* 0 for TIME_WAIT and request sockets */
	uint32_t uid;
	uint32_t expires_ms;   /* timer left (TIME_WAIT: up to 60 000) */
	uint32_t ifindex;
	uint8_t local[16];
	uint8_t remote[16];
	uint16_t local_port;
	uint16_t remote_port;
	uint8_t protocol;      /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t family;        /* AF_INET or AF_INET6 */
	uint8_t state;         /* enum kernel_tcp_state (UDP: CLOSE or ESTABLISHED) */
	uint8_t timer;         /* idiag_timer, /proc's "tr": SOCK_TIMER_TIMEWAIT or a full socket's */
};

/* The timer of a timewait socket, whatever its state (inet_twsk_diag_fill,
 * get_timewait4_sock): a full socket reports 0, 1, 2 (keepalive) or 4. */
#define SOCK_TIMER_TIMEWAIT 3

/*
 * What porttop's own credentials leave closed among other processes' fd tables, so
 * that an unreadable one can be explained.  Listing another user's /proc/PID/fd
 * (mode 0500, owned by that user) takes CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE
 * (proc_fd_permission -> generic_permission); reading its links takes ptrace read
 * access (proc_fd_access_allowed -> ptrace_may_access), which another user's
 * process grants only to CAP_SYS_PTRACE in its user namespace.  Recordings store
 * the number: new values go last.
 */
enum owner_access {
	OWNER_ACCESS_FULL,       /* both, in the initial user namespace (or unknown): only a
				    security module can still refuse */
	OWNER_ACCESS_NOT_ROOT,   /* an ordinary user, neither capability */
	OWNER_ACCESS_NO_PTRACE,  /* root, or a user with CAP_DAC_READ_SEARCH, without CAP_SYS_PTRACE */
	OWNER_ACCESS_USER_NS,    /* root of a user namespace: processes outside it are closed */
	OWNER_ACCESS_NO_DAC_READ_SEARCH,  /* CAP_SYS_PTRACE without CAP_DAC_READ_SEARCH or
					     CAP_DAC_OVERRIDE: the fd directories stay shut */
};

/* The port sysctls of the network namespace the sample was taken in. */
struct port_sysctls {
	int low;                      /* net.ipv4.ip_local_port_range */
	int high;
	int tw_reuse;                 /* net.ipv4.tcp_tw_reuse, -1 when unreadable */
	int unprivileged_port_start;  /* -1 when unreadable */
	uint8_t reserved[SAMPLE_PORT_COUNT / 8]; /* ip_local_reserved_ports bitmap */
};

/* A process that holds at least one socket, or whose facts were asked for. */
struct proc_rec {
	pid_t pid;
	uid_t uid;
	unsigned long long start_time; /* clock ticks after boot: pid + start_time is an identity */
	uint32_t handles;              /* open fds */
	char user[33];
	char comm[64];                 /* sanitized; as top shows it */
	char container[CGROUP_NAME_MAX]; /* pod or container (cgroup_identify), "" on the host */
	char *cmdline;                 /* sanitized, malloc'd; never NULL after sample_add_proc */
};

/* inode -> process: one entry per (socket, holder); a forked socket has several. */
struct owner_link {
	uint32_t inode;
	uint32_t proc;  /* index into sample.procs */
};

struct sample {
	struct timespec wall;      /* CLOCK_REALTIME when taken */
	double monotonic;          /* CLOCK_MONOTONIC seconds, for rates */
	enum sample_source source;
	/* why the sockets did not come from netlink: -errno of the sock_diag open or
	 * dump that failed, 0 when netlink was used or /proc was asked for */
	int netlink_error;
	uint64_t netns_inode;      /* 0 when unknown */
	struct port_sysctls sys;

	struct sock_rec *socks;
	size_t n_socks, cap_socks;

	struct proc_rec *procs;    /* in ascending pid order (owners_scan sorts /proc) */
	size_t n_procs, cap_procs;

	struct owner_link *owners; /* sorted by inode after sample_finish_owners */
	size_t n_owners, cap_owners;

	/* socks[i]'s first link in owners (SAMPLE_NO_OWNER: none), for the sockets
	 * there were at sample_finish_owners: the model joins them once, not per use */
	uint32_t *sock_owner;
	size_t n_sock_owner, cap_sock_owner;

	/* indices of the sockets that have a cookie, in cookie order (equal cookies in
	 * dump order), made by sample_finish_owners for the socket count then: the
	 * history matches sockets to what it remembers by merging, not searching */
	uint32_t *by_cookie;
	size_t n_by_cookie, cap_by_cookie;
	size_t by_cookie_socks;    /* n_socks when by_cookie was made; SIZE_MAX: not made */

	/* processes whose fd table could not be read (EACCES, EPERM), and what in
	 * porttop's credentials explains it */
	unsigned procs_unreadable;
	enum owner_access owner_access;
	bool owners_scanned;

	/* what the eBPF probes recorded, or why there are none (status) */
	struct probe_facts probes;

	/* the kernel's counters of the namespace (netstat, snmp, conntrack), read with the
	 * sockets so that a recording carries them */
	struct kernel_counters counters;
};

void sample_init(struct sample *s);
void sample_free(struct sample *s);
/* Empties the sample but keeps its buffers, so a refresh allocates nothing new. */
void sample_reset(struct sample *s);
/* Empties dst (keeping its buffers, as sample_reset) and gives it every field of src
 * that is not an array: times, source, errors, sysctls, namespace; not the probes. */
void sample_copy_scalars(struct sample *dst, const struct sample *src);

/* Appends return 0 or -ENOMEM. */
int sample_add_sock(struct sample *s, const struct sock_rec *rec);
int sample_add_proc(struct sample *s, const struct proc_rec *rec, size_t *index);
int sample_add_owner(struct sample *s, uint32_t inode, uint32_t proc);
/* Sorts the links by inode (then proc) and joins every socket to its first link. */
void sample_finish_owners(struct sample *s);

#define SAMPLE_NO_OWNER UINT32_MAX

/* First owner link of inode, NULL if none; the links of one inode are adjacent. */
const struct owner_link *sample_find_owner(const struct sample *s, uint32_t inode);
/* The same for socks[i], through the join when sample_finish_owners made one. */
const struct owner_link *sample_sock_owner(const struct sample *s, size_t i);
/*
 * Socket indices in cookie order (see by_cookie), *n of them: the sample's own when
 * it has one for its sockets, else sorted into *scratch (malloc'd, the caller frees
 * it).  NULL without memory.
 */
const uint32_t *sample_cookie_order(const struct sample *s, size_t *n, uint32_t **scratch);

/* True while link is one of the links of inode (link from either function above). */
static inline bool sample_owner_holds(const struct sample *s, const struct owner_link *link,
				      uint32_t inode)
{
	return link && link < s->owners + s->n_owners && link->inode == inode;
}

/* Address helpers: IPv4 stored as IPv4-mapped IPv6. */
void sample_addr_from_v4(uint8_t out[16], uint32_t addr_be);
bool sample_addr_is_v4(const uint8_t addr[16]);
bool sample_addr_is_any(const uint8_t addr[16]);
/* "127.0.0.1" or "::1" (no brackets); buf of at least 46 bytes. */
const char *sample_addr_format(const uint8_t addr[16], char *buf, size_t len);
/* "127.0.0.1:8080" or "[::1]:8080"; buf of at least 56 bytes. */
const char *sample_endpoint_format(const uint8_t addr[16], unsigned port, char *buf, size_t len);

static inline bool port_reserved(const struct port_sysctls *sys, unsigned port)
{
	return port < SAMPLE_PORT_COUNT && (sys->reserved[port / 8] >> (port % 8)) & 1;
}

#endif
