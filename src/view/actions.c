/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The remedies: kill the offender, close one socket, change the port range.  Each
 * names its target, says what it will do, and waits for `y`; anything else cancels.
 * The checks themselves live in actions/ (kill.c, range.c): this file asks and tells.
 */
#include "view/ui.h"

#include <curses.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "actions/kill.h"
#include "actions/range.h"
#include "util/i18n.h"

static bool refused_in_secure_mode(struct ui *u, const char *what)
{
	if (!u->st->secure)
		return false;
	ui_set_status(u, true, _("%s is disabled in secure mode"), what);
	return true;
}

/* "holds 312 ephemeral ports: 200 ESTABLISHED, 100 CLOSE_WAIT, 12 other; its 40 closed sockets keep their ports" */
static void kill_context(struct ui *u, const struct proc_row *row, char *buf, size_t len)
{
	struct details d;
	struct details_summary sum;

	details_init(&d);
	if (engine_details(u->engine, row->pid, row->start_time, &d) < 0) {
		snprintf(buf, len, "PID %d %s (%s)", (int)row->pid, row->comm, row->user);
		details_free(&d);
		return;
	}
	details_summarize(&d, &sum);
	details_free(&d);
	snprintf(buf, len,
		 _("PID %d %s (%s) holds %u ephemeral ports: %u ESTABLISHED, %u CLOSE_WAIT, %u other; "
		   "its %u closed sockets keep their ports (TIME_WAIT 60 s)"),
		 (int)row->pid, row->comm, row->user, sum.ephemeral, sum.by_holder[HOLDER_ESTABLISHED],
		 sum.by_holder[HOLDER_CLOSE_WAIT], sum.by_holder[HOLDER_OTHER], sum.orphans);
}

/* Asks until a valid signal is given; false when cancelled. */
static bool ask_signal(struct ui *u, const char *context, int *sig)
{
	char buf[32] = "", msg[256];

	for (;;) {
		prompt_context(u, context);
		if (!prompt_line(u, _("Signal to send [TERM]: "), buf, sizeof(buf)))
			return false;
		if (!buf[0]) {
			*sig = SIGTERM;
			return true;
		}
		if (kill_parse_signal(buf, sig) == 0)
			return true;
		snprintf(msg, sizeof(msg), _("unknown signal \"%s\": give a name (TERM, KILL, HUP) or a number"), buf);
		context = msg;
		buf[0] = '\0';
	}
}

static void kill_result(struct ui *u, const struct proc_row *row, int sig, int err)
{
	if (err == 0)
		ui_set_status(u, false, _("sent %s to %d (%s)"), kill_signal_name(sig), (int)row->pid, row->comm);
	else if (err == -ESRCH)
		ui_set_status(u, true, _("process %d (%s) has exited; nothing was signalled"), (int)row->pid, row->comm);
	else if (err == -EPERM)  /* kill_ok_by_cred: another user's process takes CAP_KILL */
		ui_set_status(u, true, _("cannot kill %d (%s): signalling another user's process needs "
					 "CAP_KILL (run as root)"), (int)row->pid, row->comm);
	else
		ui_set_status(u, true, _("cannot kill %d (%s): %s"), (int)row->pid, row->comm, strerror(-err));
}

void actions_kill(struct ui *u)
{
	const struct proc_row *row = ui_selected(u);
	struct proc_row target;
	struct kill_target t;
	char context[512], question[256];
	int sig, err;

	if (refused_in_secure_mode(u, _("kill")))
		return;
	if (!row || row->exited) {
		ui_set_status(u, true, "%s", row ? _("this process has exited already") : _("no process selected"));
		return;
	}
	target = *row;  /* the rows move on refresh; the target does not */
	err = kill_pin(&t, u->st->proc_root, target.pid, target.start_time);
	if (err) {
		kill_result(u, &target, SIGTERM, err);
		return;
	}
	kill_context(u, &target, context, sizeof(context));
	if (ask_signal(u, context, &sig)) {
		snprintf(question, sizeof(question), _("Kill %d (%s) with %s? [y/N] "), (int)target.pid,
			 target.comm, kill_signal_name(sig));
		if (prompt_yes(u, question))
			kill_result(u, &target, sig, kill_send(&t, u->st->proc_root, sig));
		else
			ui_set_status(u, false, "%s", _("kill cancelled"));
	} else {
		ui_set_status(u, false, "%s", _("kill cancelled"));
	}
	kill_release(&t);
	ui_refresh_now(u);
}

static void describe_socket(const struct detail_sock *ds, char *buf, size_t len)
{
	char local[80], remote[80];

	sample_endpoint_format(ds->rec.local, ds->rec.local_port, local, sizeof(local));
	sample_endpoint_format(ds->rec.remote, ds->rec.remote_port, remote, sizeof(remote));
	snprintf(buf, len, "%s %s -> %s (%s)", ds->rec.protocol == IPPROTO_TCP ? "TCP" : "UDP",
		 local, remote, states_name(ds->state));
}

static void close_result(struct ui *u, const struct detail_sock *ds, const char *what, int err)
{
	if (err == 0)
		ui_set_status(u, false, _("closed %s"), what);
	else if (err == -EOPNOTSUPP && u->engine->model.source == SAMPLE_SOURCE_PROC)
		ui_set_status(u, true, "%s", _("closing a socket needs netlink sock_diag, which is unavailable"));
	else if (err == -EOPNOTSUPP)
		ui_set_status(u, true, "%s", _("this kernel cannot destroy sockets (CONFIG_INET_DIAG_DESTROY is not set)"));
	else if (err == -EPERM || err == -EACCES)
		ui_set_status(u, true, "%s", _("closing a socket needs CAP_NET_ADMIN (run as root)"));
	else if (ds->state == STATE_TIME_WAIT)
		ui_set_status(u, true, _("the kernel refused to close %s: TIME_WAIT sockets are not destroyed (%s)"),
			      what, strerror(-err));
	else if (err == -ENOENT)
		ui_set_status(u, true, _("%s is gone already"), what);
	else
		ui_set_status(u, true, _("cannot close %s: %s"), what, strerror(-err));
}

void actions_close_socket(struct ui *u, const struct detail_sock *ds)
{
	struct detail_sock target;
	char what[256], question[400];

	if (refused_in_secure_mode(u, _("socket close")))
		return;
	target = *ds;
	describe_socket(&target, what, sizeof(what));
	snprintf(question, sizeof(question), _("Close %s? [y/N] "), what);
	if (!prompt_yes(u, question)) {
		ui_set_status(u, false, "%s", _("close cancelled"));
		return;
	}
	close_result(u, &target, what, engine_close_socket(u->engine, &target.rec));
	ui_refresh_now(u);
}

static void range_error_message(struct ui *u, const char *text, const struct range_check *rc)
{
	switch (rc->error) {
	case RANGE_OK: break;
	case RANGE_ERR_SYNTAX:
		ui_set_status(u, true, _("not a range: \"%s\" (give: low high, or low-high)"), text);
		break;
	case RANGE_ERR_BOUNDS:
		ui_set_status(u, true, _("ports must be integers from 1 to 65535: \"%s\""), text);
		break;
	case RANGE_ERR_ORDER:
		ui_set_status(u, true, _("the low port %d is above the high port %d"), rc->low, rc->high);
		break;
	case RANGE_ERR_PRIVILEGED:
		ui_set_status(u, true, _("the low port %d is below ip_unprivileged_port_start %d: "
					 "the kernel refuses such a range"),
			      rc->low, rc->unprivileged_port_start);
		break;
	case RANGE_ERR_TOO_SMALL:
		ui_set_status(u, true, _("%d-%d leaves %u usable ports, fewer than the %u in use now"),
			      rc->low, rc->high, rc->usable, rc->in_use);
		break;
	case RANGE_ERR_UNCHANGED:
		ui_set_status(u, true, _("the range is %d-%d already"), rc->low, rc->high);
		break;
	}
}

static size_t append_ports(char *buf, size_t len, size_t n, const unsigned *ports, unsigned shown,
			   unsigned total)
{
	for (unsigned i = 0; i < shown && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%u", i ? "," : " ", ports[i]);
	if (total > shown && n < len)
		n += (size_t)snprintf(buf + n, len - n, _(" and %u more"), total - shown);
	return n;
}

/* One line with every warning that applies. */
static void range_warnings(const struct range_check *rc, const struct model *m, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", _("Warning:"));

	if (rc->warnings & RANGE_WARN_PARITY && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%s",
				      _(" start and end have the same parity (connect() prefers even ports, bind() odd);"));
	if (rc->warnings & RANGE_WARN_LISTENERS && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%s", _(" listening ports inside:"));
		n = append_ports(buf, len, n, rc->listeners, rc->n_listeners < RANGE_LIST_MAX ? rc->n_listeners : RANGE_LIST_MAX, rc->n_listeners);
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, ";");
	}
	if (rc->warnings & RANGE_WARN_RESERVED && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%s", _(" reserved ports inside:"));
		n = append_ports(buf, len, n, rc->reserved, rc->n_reserved < RANGE_LIST_MAX ? rc->n_reserved : RANGE_LIST_MAX, rc->n_reserved);
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, ";");
	}
	if (rc->warnings & RANGE_WARN_SMALLER && n < len)
		snprintf(buf + n, len - n, _(" smaller than the current %u ports;"),
			 m->range.size);
}

static int write_range(struct ui *u, int low, int high, int old_low, int old_high)
{
	int err = engine_write_range(u->engine, low, high);

	if (err == -EPERM || err == -EACCES)
		ui_set_status(u, true, _("cannot write ip_local_port_range: %s (run as root)"), strerror(-err));
	else if (err == -EINVAL)
		ui_set_status(u, true, _("the kernel refused %d %d (EINVAL); nothing changed"), low, high);
	else if (err == -EIO)
		ui_set_status(u, true, _("the kernel did not keep %d %d; nothing changed"), low, high);
	else if (err)
		ui_set_status(u, true, _("cannot write ip_local_port_range: %s"), strerror(-err));
	else {
		u->can_undo = true;
		u->undo_low = old_low;
		u->undo_high = old_high;
		ui_set_status(u, false,
			      _("range set to %d %d (U undoes). To keep it after a reboot: "
				"echo 'net.ipv4.ip_local_port_range = %d %d' > /etc/sysctl.d/90-porttop.conf"),
			      low, high, low, high);
	}
	ui_refresh_now(u);
	return err;
}

void actions_range(struct ui *u)
{
	const struct model *m = &u->engine->model;
	struct range_check rc;
	char buf[64], warn[512], question[256];

	if (refused_in_secure_mode(u, _("range change")))
		return;
	snprintf(buf, sizeof(buf), "%d %d", m->range.low, m->range.high);
	if (!prompt_line(u, _("New ip_local_port_range (low high): "), buf, sizeof(buf)))
		return;
	engine_check_range(u->engine, buf, &rc);
	if (rc.error != RANGE_OK) {
		range_error_message(u, buf, &rc);
		return;
	}
	if (rc.warnings) {
		range_warnings(&rc, m, warn, sizeof(warn));
		prompt_context(u, warn);
		if (!prompt_yes(u, _("Go on despite the warning? [y/N] "))) {
			ui_set_status(u, false, "%s", _("range change cancelled"));
			return;
		}
	}
	prompt_context(u, "");
	snprintf(question, sizeof(question), _("Set ip_local_port_range to %d %d (was %d %d)? [y/N] "),
		 rc.low, rc.high, m->range.low, m->range.high);
	if (!prompt_yes(u, question)) {
		ui_set_status(u, false, "%s", _("range change cancelled"));
		return;
	}
	write_range(u, rc.low, rc.high, m->range.low, m->range.high);
}

void actions_undo_range(struct ui *u)
{
	const struct model *m = &u->engine->model;
	char question[256];

	if (refused_in_secure_mode(u, _("range change")))
		return;
	if (!u->can_undo) {
		ui_set_status(u, true, "%s", _("no range change to undo"));
		return;
	}
	snprintf(question, sizeof(question), _("Set ip_local_port_range back to %d %d (now %d %d)? [y/N] "),
		 u->undo_low, u->undo_high, m->range.low, m->range.high);
	if (!prompt_yes(u, question)) {
		ui_set_status(u, false, "%s", _("undo cancelled"));
		return;
	}
	if (write_range(u, u->undo_low, u->undo_high, m->range.low, m->range.high) == 0)
		u->can_undo = false;  /* undo is one step back, not a toggle */
}
