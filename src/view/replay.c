/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live view of a recording (-r): moving through time as in atop.  t and T step
 * one sample back and forward, b jumps to a time, space pauses and resumes playback
 * at the recorded pace (times -d when given).  At the end of a file a recorder is
 * still writing, playback waits for the next sample, like tail -f.
 */
#include "view/ui.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"

/* Seconds until the next sample plays: the recorder's own interval, scaled. */
double replayview_pace(const struct ui *u)
{
	double gap = engine_replay_gap(u->engine);
	double scale = u->st->delay_given ? u->st->delay : 1.0;

	if (gap <= 0)
		return 1.0;  /* the last sample: look for a new one every second */
	return gap * scale;
}

static void step(struct ui *u, long delta)
{
	size_t at = u->engine->replay_at, n;

	if (delta > 0)
		engine_replay_follow(u->engine);
	n = engine_replay_count(u->engine);

	if ((delta < 0 && at == 0) || (delta > 0 && at + 1 >= n)) {
		ui_set_status(u, false, "%s", delta < 0 ? _("the first sample of the recording")
							 : _("the last sample of the recording"));
		return;
	}
	engine_seek(u->engine, delta < 0 ? at - 1 : at + 1);
	ui_refresh_now(u);
}

static void jump(struct ui *u)
{
	char when[64] = "";
	int err;

	if (!prompt_line(u, _("Jump to time (HH:MM[:SS] or 2026-12-01T10:26): "), when, sizeof(when)) ||
	    !when[0])
		return;
	err = engine_seek_time(u->engine, when);
	if (err == -EINVAL)
		ui_set_status(u, true, _("not a time: \"%s\""), when);
	else if (err)
		ui_set_status(u, true, _("the recording ends before %s"), when);
	else
		ui_refresh_now(u);
}

bool replayview_key(struct ui *u, int key)
{
	switch (key) {
	case 't': step(u, -1); return true;
	case 'T': step(u, 1); return true;
	case 'b': jump(u); return true;
	case ' ':
		u->frozen = !u->frozen;
		return true;
	case 'N':  /* the list's engines would have no source to read: the file is this one's */
		ui_set_status(u, true, "%s", _("a recording holds only the namespace it was made in"));
		return true;
	}
	return false;
}

/* "replay 2026-12-01 10:26:22 - sample 412/8640", " - paused" when it is. */
void replayview_position(const struct ui *u, char *buf, size_t len)
{
	const struct engine *e = u->engine;
	char when[32] = "";
	struct tm tm;

	if (localtime_r(&e->sample.wall.tv_sec, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, len, _("replay %s - sample %zu/%zu%s"), when, e->replay_at + 1,
		 engine_replay_count(e), u->frozen ? _(" - paused") : "");
}
