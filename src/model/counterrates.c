/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's counters as rates, each with the level at which it means trouble for
 * the port pools.  The totals come from the sample, the previous ones from the history.
 */
#include "model-internal.h"
#include "util/i18n.h"

/* Machine outputs (JSON, --alert-command, the check) take the names as they are;
 * the live header and the text output translate them with _(). */
const char *level_name(enum level l)
{
	static const char *const names[LEVEL_COUNT] = { N_("OK"), N_("WARNING"), N_("CRITICAL") };
	return l < LEVEL_COUNT ? names[l] : "?";
}

/*
 * What a counter moving means:
 * - TCPTimeWaitOverflow: tcp_max_tw_buckets is full and inet_twsk_alloc refused a
 *   TIME_WAIT socket, so a connection closed without its 60 s guard: critical while
 *   moving, warning after, so that a namespace that overflowed an hour ago is not red
 *   for ever.
 * - ListenOverflows, ListenDrops: a listener's accept queue overflowed
 *   (tcp_conn_request / tcp_v4_syn_recv_sock): the same.
 * - conntrack insert_failed, drop: a NAT or conntrack clash dropped a packet
 *   (__nf_conntrack_confirm): the same.  early_drop: the table was full
 *   (early_drop in nf_conntrack_core.c): the same.
 * - AttemptFails, EstabResets, TCPAbortOnData: connections failing or reset: a warning
 *   while moving.
 * - TWRecycled, ActiveOpens, PassiveOpens, clash_resolve: normal work, never coloured.
 * Without a rate (the first sample, -b alone, or a counter reset) nothing is known to
 * be moving, but a total above 0 is trouble that happened in this namespace: a
 * warning, never OK (a single batch sample right after an overflow must show it), and
 * never critical, which would say it is still going on.
 */
static enum level level_of(enum kcounter k, const struct counter_figure *f)
{
	bool moving = f->per_sec > 0;

	switch (k) {
	case KCOUNTER_TIME_WAIT_OVERFLOW:
	case KCOUNTER_LISTEN_OVERFLOWS:
	case KCOUNTER_LISTEN_DROPS:
	case KCOUNTER_CT_INSERT_FAILED:
	case KCOUNTER_CT_DROP:
	case KCOUNTER_CT_EARLY_DROP:
		return moving ? LEVEL_CRITICAL : f->total > 0 ? LEVEL_WARNING : LEVEL_OK;
	case KCOUNTER_ATTEMPT_FAILS:
	case KCOUNTER_ESTAB_RESETS:
	case KCOUNTER_ABORT_ON_DATA:
		return moving ? LEVEL_WARNING : LEVEL_OK;
	default:
		return LEVEL_OK;
	}
}

static double rate(uint64_t now, uint64_t before, double interval)
{
	/* a counter that went back was reset (conntrack reloaded): no rate this time */
	if (interval <= 0 || now < before)
		return -1;
	return (double)(now - before) / interval;
}

/* A table's fill: a warning from 80 %, critical once full_now says so. */
static enum level fill_level(double percent, bool full_now)
{
	if (percent < 0)
		return LEVEL_OK;
	return full_now ? LEVEL_CRITICAL : percent >= 80 ? LEVEL_WARNING : LEVEL_OK;
}

void counterrates_compute(struct model *m, const struct sample *s, const struct history *h)
{
	const struct kernel_counters *now = &s->counters, *before = history_counters(h);
	struct counter_figures *out = &m->counters;

	for (int k = 0; k < KCOUNTER_COUNT; k++) {
		struct counter_figure *f = &out->counter[k];

		f->known = counters_known(now, (enum kcounter)k);
		f->total = now->value[k];
		f->per_sec = -1;
		if (f->known && before && counters_known(before, (enum kcounter)k))
			f->per_sec = rate(now->value[k], before->value[k], m->interval);
		f->level = f->known ? level_of((enum kcounter)k, f) : LEVEL_OK;
	}
	out->tw_max_buckets = now->tw_max_buckets;
	out->time_wait = m->states[STATE_TIME_WAIT];
	out->tw_percent = now->tw_max_buckets > 0 ? 100.0 * out->time_wait / (double)now->tw_max_buckets
		: now->tw_max_buckets == 0 ? 100.0 : -1;
	/* at 100 % the next TIME_WAIT is refused (inet_twsk_alloc: tw_refcount > max) */
	out->tw_level = fill_level(out->tw_percent, out->tw_percent >= 100);
	out->conntrack = now->conntrack_count >= 0;
	out->conntrack_count = now->conntrack_count;
	out->conntrack_max = now->conntrack_max;
	out->conntrack_percent = out->conntrack && now->conntrack_max > 0
		? 100.0 * (double)now->conntrack_count / (double)now->conntrack_max : -1;
	/* above 90 % early_drop is close: nf_conntrack_alloc drops once count > max */
	out->conntrack_level = fill_level(out->conntrack_percent, out->conntrack_percent > 90);
}
