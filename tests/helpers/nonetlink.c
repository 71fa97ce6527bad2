/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nonetlink ERRNO CMD [ARG...]: runs CMD where socket(AF_NETLINK, ...) fails with
 * ERRNO (a number), as under a container runtime's seccomp profile that forbids
 * netlink; every other call is allowed.  Tests use it to see what porttop says
 * when sock_diag is unavailable.  Exits 77 (skip) where it cannot install the filter.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NONETLINK_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NONETLINK_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef NONETLINK_ARCH
/* socket()'s first argument is the low word of args[0] on these little-endian arches */
static int forbid_netlink(unsigned err)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NONETLINK_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -errno;
	return 0;
}
#else
static int forbid_netlink(unsigned err)
{
	(void)err;
	return -ENOSYS;
}
#endif

int main(int argc, char **argv)
{
	char *end;
	unsigned long err;

	if (argc < 3) {
		fprintf(stderr, "usage: nonetlink ERRNO CMD [ARG...]\n");
		return 2;
	}
	err = strtoul(argv[1], &end, 10);
	if (*end || err == 0 || err > 4095) {
		fprintf(stderr, "nonetlink: bad errno %s\n", argv[1]);
		return 2;
	}
	if (forbid_netlink((unsigned)err) < 0) {
		perror("nonetlink: seccomp");
		return 77;
	}
	execvp(argv[2], argv + 2);
	perror("nonetlink: exec");
	return 127;
}
