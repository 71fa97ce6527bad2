/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The forecast in words, for the live view and the text output alike: "full in
 * ~3 min", "stable", "draining, 120 ports free in the next 60 s", and the pool that
 * runs out first with the call that fails in it.
 */
#include "output.h"

#include <stdio.h>

#include "util/i18n.h"

/* "~40 s", "~3 min", "~2 h": a forecast is no more precise than that. */
static const char *rough_duration(double seconds, char *buf, size_t len)
{
	if (seconds < 90)
		snprintf(buf, len, _("~%.0f s"), seconds < 1 ? 1 : seconds);
	else if (seconds < 90 * 60)
		snprintf(buf, len, _("~%.0f min"), seconds / 60);
	else
		snprintf(buf, len, _("~%.0f h"), seconds / 3600);
	return buf;
}

const char *output_forecast_words(const struct forecast *f, char *buf, size_t len)
{
	char when[32];

	switch (f->trend) {
	case FORECAST_FULL:
		snprintf(buf, len, "%s", _("full now"));
		break;
	case FORECAST_FILLING:
		snprintf(buf, len, _("full in %s"), rough_duration(f->seconds_to_full, when, sizeof(when)));
		break;
	case FORECAST_DRAINING:
		snprintf(buf, len, P_("draining, %u port free in the next 60 s",
				      "draining, %u ports free in the next 60 s", f->freeing_next_60s),
			 f->freeing_next_60s);
		break;
	case FORECAST_STABLE:
		snprintf(buf, len, "%s", _("stable"));
		break;
	case FORECAST_UNKNOWN:
		snprintf(buf, len, "%s", "");
		break;
	}
	return buf;
}

const char *output_first_to_fail_words(const struct model *m, char *buf, size_t len)
{
	const struct first_to_fail *f = &m->first_to_fail;
	char name[160], forecast[96];

	if (f->kind == POOL_NONE) {
		snprintf(buf, len, "%s", _("First to fail: nothing holds a port"));
		return buf;
	}
	output_forecast_words(f->forecast, forecast, sizeof(forecast));
	/* TRANSLATORS: pool (e.g. "destination 127.0.0.1 -> 127.0.0.1:8080"), percent, the
	 * call that fails (e.g. "connect() EADDRNOTAVAIL"), then the forecast */
	snprintf(buf, len, _("First to fail: %s, %.0f %% full: %s%s%s"),
		 forecast_pool_name(m, f, name, sizeof(name)), f->percent, forecast_call(f),
		 forecast[0] ? ", " : "", forecast);
	return buf;
}
