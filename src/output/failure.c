/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The words for what went wrong while sampling, shared by main.c (stderr) and the
 * live view (status line): each step names what porttop could not read, and only
 * a netlink failure suggests --source=proc, the one step /proc/net can replace.
 */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"

static const char *step_words(enum sample_step step)
{
	switch (step) {
	case SAMPLE_STEP_SOCK_DIAG: return _("netlink sock_diag failed");
	case SAMPLE_STEP_PROC_NET: return _("cannot read /proc/net/{tcp,udp}{,6}");
	case SAMPLE_STEP_SYSCTL_RANGE: return _("cannot read net.ipv4.ip_local_port_range");
	case SAMPLE_STEP_OWNERS: return _("cannot list /proc for socket owners");
	case SAMPLE_STEP_PROCINFO: return _("libproc2 cannot read process facts");
	case SAMPLE_STEP_NETNS: return _("cannot open or enter the network namespace of --netns");
	case SAMPLE_STEP_BPF: return _("eBPF probes unavailable");
	case SAMPLE_STEP_BPF_MAPS: return _("cannot read the eBPF probes' maps");
	case SAMPLE_STEP_RECORD: return _("cannot write the recording");
	case SAMPLE_STEP_REPLAY: return _("cannot read the recording");
	case SAMPLE_STEP_REPLAY_TIME: return _("invalid time for --begin or --end (ISO 8601 or HH:MM[:SS])");
	case SAMPLE_STEP_PROC_GONE: return _("/proc is not mounted (any more)");
	case SAMPLE_STEP_MEMORY:
	case SAMPLE_STEP_NONE: break;
	}
	return _("out of memory");
}

/* Why, in words: strerror's, but for what --netns names when it is no network namespace
 * (a file, a FIFO, another kind of namespace: netns.c's check_netns says -EINVAL). */
static const char *error_words(enum sample_step step, int err)
{
	if (step == SAMPLE_STEP_NETNS && err == EINVAL)
		return _("not a network namespace");
	return strerror(err);
}

void output_failure(char *buf, size_t len, enum sample_step step, int err)
{
	snprintf(buf, len, "%s: %s%s", step_words(step), error_words(step, err < 0 ? -err : err),
		 step == SAMPLE_STEP_SOCK_DIAG ? _(" (try --source=proc)") : "");
}

void output_alert_dropped(char *buf, size_t len, size_t dropped, size_t running)
{
	snprintf(buf, len, P_("--alert-command not run for %zu level change: %zu commands still running",
			      "--alert-command not run for %zu level changes: %zu commands still running",
			      dropped), dropped, running);
}

/* Only an ordinary user is told to be root; a security module only when nothing else explains it. */
const char *output_unreadable_reason(enum owner_access access)
{
	switch (access) {
	case OWNER_ACCESS_NOT_ROOT:
		return _("run as root, or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, to see them");
	case OWNER_ACCESS_NO_PTRACE:
		return _("porttop runs without CAP_SYS_PTRACE, which reading other users' fd tables takes");
	case OWNER_ACCESS_NO_DAC_READ_SEARCH:
		return _("porttop runs without CAP_DAC_READ_SEARCH, which listing other users' fd "
			 "directories takes");
	case OWNER_ACCESS_USER_NS:
		return _("porttop is root of a user namespace, which opens no process outside it");
	case OWNER_ACCESS_FULL:
		break;
	}
	return _("refused despite CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH: a security module "
		 "(AppArmor, SELinux, Landlock) denies it");
}

const char *output_source_reason(const struct model *m, char *buf, size_t len)
{
	if (m->source == SAMPLE_SOURCE_NETLINK)
		return NULL;
	if (!m->netlink_error)
		snprintf(buf, len, "%s", _("--source=proc asked for it"));
	else
		snprintf(buf, len, _("netlink sock_diag failed: %s"), strerror(-m->netlink_error));
	return buf;
}

const char *output_source_reason_key(const struct model *m, char *buf, size_t len)
{
	if (m->source == SAMPLE_SOURCE_NETLINK)
		return NULL;
	if (!m->netlink_error)
		return "requested";
	return output_errno_name(m->netlink_error, buf, len);
}

const char *output_errno_name(int err, char *buf, size_t len)
{
	const char *name = strerrorname_np(-err);

	if (name)
		return name;
	snprintf(buf, len, "errno %d", -err);
	return buf;
}
