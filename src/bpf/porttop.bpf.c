// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * porttop's probes: who takes an ephemeral port, and whose connect() or bind()
 * fails for want of one.  Raw tracepoints only: on the kernels porttop targets
 * kprobes (CONFIG_KPROBE_EVENTS) and fentry programs are not available, while
 * sys_exit and sock:inet_sock_set_state attach.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "probe_maps.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define EADDRINUSE 98
#define EADDRNOTAVAIL 99
/* x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) */
#define NR_CONNECT 42
#define NR_BIND 49
/* include/net/tcp_states.h */
#define TCP_SYN_SENT 2

/* Namespaces to record (inode -> 1): the loader adds the one porttop watches. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PROBE_NETNS_MAX);
	__type(key, __u32);
	__type(value, __u8);
} netns_watch SEC(".maps");

/* Per-CPU LRU lists (BPF_F_NO_COMMON_LRU): no lock shared by every CPU on each connect. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__uint(max_entries, PROBE_BIRTHS_MAX);
	__type(key, struct probe_tuple_key);
	__type(value, struct probe_owner);
} births SEC(".maps");

/*
 * sock pointer -> the process inside connect(); only until the port is chosen.  A
 * plain hash, cheaper than LRU: every socket leaves SYN_SENT (tcp_done() sets CLOSE
 * at the latest), which deletes its entry.
 */
struct pending_owner {
	struct probe_owner owner;
	__u32 netns;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PROBE_PENDING_MAX);
	__type(key, __u64);
	__type(value, struct pending_owner);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PROBE_FAIL_PROCS_MAX);
	__type(key, struct probe_proc_key);
	__type(value, struct probe_proc_value);
} fail_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PROBE_FAIL_DESTS_MAX);
	__type(key, struct probe_dest_key);
	__type(value, __u64);
} fail_dests SEC(".maps");

/* (netns, process) -> connections that took a port, atomic adds. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PROBE_CONNECTS_MAX);
	__type(key, struct probe_proc_key);
	__type(value, struct probe_proc_value);
} connects SEC(".maps");

static __always_inline bool watched(__u32 netns)
{
	return bpf_map_lookup_elem(&netns_watch, &netns) != NULL;
}

static __always_inline __u32 task_netns(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

/* The process's name as /proc/PID/comm shows it: its main thread's, not the caller thread's. */
static __always_inline void leader_comm(struct task_struct *leader, char comm[PROBE_COMM_LEN])
{
	bpf_probe_read_kernel_str(comm, PROBE_COMM_LEN, &leader->comm);
}

/* The caller of the syscall (or of the state change inside connect()). */
static __always_inline void owner_of_current(struct probe_owner *o, struct task_struct *task)
{
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);

	o->pid = bpf_get_current_pid_tgid() >> 32;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->start_ns = BPF_CORE_READ(leader, start_boottime);
	leader_comm(leader, o->comm);
}

/* --- failures: sys_exit of connect() and bind() ------------------------------ */

/* Reads the destination (connect) or local address (bind) the caller passed. */
static __always_inline int read_user_sockaddr(const void *uaddr, __u8 addr[16], __u16 *port)
{
	struct sockaddr_in6 sa = {};

	if (bpf_probe_read_user(&sa, sizeof(struct sockaddr_in), uaddr))
		return -1;
	if (sa.sin6_family == AF_INET6) {
		if (bpf_probe_read_user(&sa, sizeof(sa), uaddr))
			return -1;
		__builtin_memcpy(addr, &sa.sin6_addr, 16);
	} else if (sa.sin6_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&sa;
		__builtin_memset(addr, 0, 10);
		addr[10] = 0xff;
		addr[11] = 0xff;
		__builtin_memcpy(addr + 12, &in->sin_addr, 4);
	} else {
		return -1;
	}
	*port = bpf_ntohs(sa.sin6_port);
	return 0;
}

static __always_inline void count_failure(struct task_struct *task, __u32 netns,
					  const __u8 addr[16], __u16 port)
{
	struct probe_dest_key dk = {};
	struct probe_proc_value *v, fresh = {};
	__u64 *n, one = 1;

	dk.proc.netns = netns;
	dk.proc.pid = bpf_get_current_pid_tgid() >> 32;
	dk.proc.start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	__builtin_memcpy(dk.remote, addr, 16);
	dk.port = port;

	v = bpf_map_lookup_elem(&fail_procs, &dk.proc);
	if (v) {
		__sync_fetch_and_add(&v->count, 1);
	} else {
		fresh.count = 1;
		fresh.uid = (__u32)bpf_get_current_uid_gid();
		leader_comm(BPF_CORE_READ(task, group_leader), fresh.comm);
		/* BPF_NOEXIST: a racing first failure on another CPU keeps its count */
		if (bpf_map_update_elem(&fail_procs, &dk.proc, &fresh, BPF_NOEXIST)) {
			v = bpf_map_lookup_elem(&fail_procs, &dk.proc);
			if (v)
				__sync_fetch_and_add(&v->count, 1);
		}
	}
	n = bpf_map_lookup_elem(&fail_dests, &dk);
	if (n) {
		__sync_fetch_and_add(n, 1);
	} else if (bpf_map_update_elem(&fail_dests, &dk, &one, BPF_NOEXIST)) {
		n = bpf_map_lookup_elem(&fail_dests, &dk);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
}

/*
 * connect() gives -EADDRNOTAVAIL when __inet_hash_connect() finds no free port for
 * the destination; bind() to port 0 gives -EADDRINUSE when inet_csk_find_open_port()
 * finds none.  sys_exit runs in the caller, and the saved registers still hold the
 * arguments (di = fd, si = address, dx = length).
 */
SEC("raw_tracepoint/sys_exit")
int porttop_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	long ret = (long)ctx->args[1];
	struct pt_regs *regs;
	struct task_struct *task;
	long nr;
	__u8 addr[16];
	__u16 port;
	__u32 netns;

	if (ret != -EADDRNOTAVAIL && ret != -EADDRINUSE)
		return 0;
	regs = (struct pt_regs *)ctx->args[0];
	nr = BPF_CORE_READ(regs, orig_ax);
	if (!(nr == NR_CONNECT && ret == -EADDRNOTAVAIL) && !(nr == NR_BIND && ret == -EADDRINUSE))
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	netns = task_netns(task);
	if (!watched(netns))
		return 0;
	if (read_user_sockaddr((const void *)PT_REGS_PARM2_CORE(regs), addr, &port))
		return 0;
	if (nr == NR_BIND && port != 0)
		return 0;  /* an explicit port in use is a conflict, not exhaustion */
	count_failure(task, netns, addr, port);
	return 0;
}

/* --- births: inet_sock_set_state ---------------------------------------------- */

/*
 * Every probe read is a helper call, the main cost here: the ports come in one read
 * (skc_portpair: dport, then num), IPv4 addresses in one (skc_addrpair: daddr, then
 * rcv_saddr), the namespace from the pending entry.
 */
static __always_inline void tuple_of(const struct sock *sk, __u32 netns, struct probe_tuple_key *k)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u32 ports = 0;

	bpf_core_read(&ports, sizeof(ports), &sk->__sk_common.skc_portpair);
	k->netns = netns;
	k->remote_port = bpf_ntohs((__u16)ports);
	k->local_port = (__u16)(ports >> 16);
	if (family == AF_INET6) {
		bpf_core_read(k->local, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(k->remote, 16, &sk->__sk_common.skc_v6_daddr);
	} else {
		__u32 pair[2] = {};  /* daddr, rcv_saddr */
		bpf_core_read(pair, sizeof(pair), &sk->__sk_common.skc_addrpair);
		k->local[10] = k->local[11] = 0xff;
		k->remote[10] = k->remote[11] = 0xff;
		__builtin_memcpy(k->local + 12, &pair[1], 4);
		__builtin_memcpy(k->remote + 12, &pair[0], 4);
	}
}

static __always_inline void count_connect(__u32 netns, const struct probe_owner *o)
{
	struct probe_proc_key key = { .netns = netns, .pid = o->pid, .start_ns = o->start_ns };
	struct probe_proc_value fresh = { .count = 1, .uid = o->uid };
	struct probe_proc_value *v = bpf_map_lookup_elem(&connects, &key);

	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		return;
	}
	__builtin_memcpy(fresh.comm, o->comm, sizeof(fresh.comm));
	if (bpf_map_update_elem(&connects, &key, &fresh, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(&connects, &key);
		if (v)
			__sync_fetch_and_add(&v->count, 1);
	}
}

/*
 * tcp_v4_connect()/tcp_v6_connect() set SYN_SENT in the caller, before
 * inet_hash_connect() picks the local port: remember the caller by socket.  The next
 * change (ESTABLISHED in softirq, where current is someone else, or CLOSE) sees the
 * whole 4-tuple: the birth is filed under it, with the caller as owner.
 */
SEC("raw_tracepoint/inet_sock_set_state")
int porttop_set_state(struct bpf_raw_tracepoint_args *ctx)
{
	const struct sock *sk = (const struct sock *)ctx->args[0];
	int oldstate = (int)ctx->args[1], newstate = (int)ctx->args[2];
	__u64 key = (__u64)sk;

	/* most changes have nothing to do with connect(): decided from the arguments alone */
	if (newstate == TCP_SYN_SENT) {
		struct pending_owner p = {};

		p.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
		if (!watched(p.netns) || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
			return 0;
		owner_of_current(&p.owner, (struct task_struct *)bpf_get_current_task());
		bpf_map_update_elem(&pending, &key, &p, BPF_ANY);
	} else if (oldstate == TCP_SYN_SENT) {
		struct pending_owner *p = bpf_map_lookup_elem(&pending, &key);
		struct probe_tuple_key k = {};

		if (!p)
			return 0;  /* not a socket of a watched namespace */
		tuple_of(sk, p->netns, &k);
		/* a connect() that found no port closes with local port 0 */
		if (k.local_port != 0) {
			bpf_map_update_elem(&births, &k, &p->owner, BPF_ANY);
			count_connect(k.netns, &p->owner);
		}
		bpf_map_delete_elem(&pending, &key);
	}
	return 0;
}
