/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fleet of namespaces (fleet.c): what it refuses to open, and which namespace it
 * leaves to the live view's engine. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet.h"
#include "settings.h"
#include "check.h"
#include "fixture.h"

static void test_a_fleet_of_a_replay_is_refused_and_reads_nothing(void)
{
	struct settings st;
	struct fleet f;

	settings_defaults(&st);
	st.replay_path = "exhaustion.rec";  /* refused before any file is opened */
	CHECK_EQ(fleet_open(&f, &st), -EOPNOTSUPP);
	CHECK_EQ(fleet_refresh(&f), -EOPNOTSUPP);
	CHECK_EQ(fleet_refresh_some(&f, 4), -EOPNOTSUPP);
	CHECK_EQ(f.n, 0);
	CHECK(f.v == NULL);
	fleet_close(&f);
}

static void test_a_fleet_of_the_system_opens_in_porttops_namespace(void)
{
	struct settings st;
	struct fleet f;
	struct stat s;

	settings_defaults(&st);
	CHECK_EQ(stat("/proc/self/ns/net", &s), 0);
	CHECK_EQ(fleet_open(&f, &st), 0);
	CHECK_EQ(f.own_inode, s.st_ino);
	CHECK(f.st.replay_path == NULL);
	fleet_close(&f);
}

/* A /proc whose only process is ours (/run/netns is read as well, whatever the root):
 * the fleet lists our namespace, and its engine there can read it as from /proc. */
static void fake_proc(char *dir, size_t len)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char link[512], to[512];

	snprintf(dir, len, "%s/porttop-fleet.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	CHECK(mkdtemp(dir) != NULL);
	CHECK(d != NULL);
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (de->d_name[0] >= '0' && de->d_name[0] <= '9'))
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		snprintf(to, sizeof(to), "/proc/%s", de->d_name);
		CHECK_EQ(symlink(to, link), 0);
	}
	if (d)
		closedir(d);
	snprintf(link, sizeof(link), "%s/%d", dir, (int)getpid());
	snprintf(to, sizeof(to), "/proc/%d", (int)getpid());
	CHECK_EQ(symlink(to, link), 0);
}

static void fake_proc_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

/* A fleet over fake_proc's /proc, and a view engine as engine_open leaves one: no
 * namespace read yet. */
static void fleet_and_view_open(struct fleet *f, struct engine *view, char *dir, size_t len)
{
	struct settings st;

	fake_proc(dir, len);
	settings_defaults(&st);
	st.proc_root = dir;
	CHECK_EQ(fleet_open(f, &st), 0);
	memset(view, 0, sizeof(*view));
	model_init(&view->model);
}

static void fleet_and_view_close(struct fleet *f, struct engine *view, const char *dir)
{
	fleet_close(f);
	model_free(&view->model);
	fake_proc_remove(dir);
}

static const struct fleet_ns *entry_of(const struct fleet *f, uint64_t inode)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i]->inode == inode)
			return f->v[i];
	return NULL;
}

/*
 * Right after Enter the view's engine has not refreshed there yet: its model's
 * netns_inode is 0, or the namespace it left.  The fleet goes by fleet_show all the
 * same, or it would open an engine of its own there and raise its alerts again.
 */
static void test_the_namespace_shown_is_left_to_the_view_before_its_first_refresh(void)
{
	struct fleet f;
	struct engine view;
	const struct fleet_ns *own;
	char dir[256];

	fleet_and_view_open(&f, &view, dir, sizeof(dir));
	for (int stale = 0; stale < 2; stale++) {
		view.model.netns_inode = stale ? f.own_inode + 1 : 0;
		fleet_show(&f, &view, f.own_inode);
		/* a budget of 1: at most one other namespace (/run/netns) is read */
		CHECK_EQ(fleet_refresh_some(&f, 1), 0);
		own = entry_of(&f, f.own_inode);
		CHECK(own != NULL);
		if (!own)
			break;
		CHECK(own->engine == &view);
		CHECK(own->open);
		CHECK(own->own_engine.source == NULL);  /* the fleet opened nothing there */
		CHECK(!own->fresh);
	}
	/* the view looks elsewhere: the fleet's own engine is the namespace's again */
	fleet_show(&f, &view, f.own_inode + 1);
	CHECK_EQ(fleet_refresh(&f), 0);  /* all: ours in turn, whatever /run/netns holds */
	own = entry_of(&f, f.own_inode);
	CHECK(own != NULL && own->engine == &own->own_engine);
	CHECK(own != NULL && own->open && own->fresh);  /* and reads it */
	fleet_and_view_close(&f, &view, dir);
}

/*
 * Levels the view gives back to a namespace whose entry is still on the view's
 * engine (a switch that fell back, and no fleet refresh since) are parked there;
 * entering that namespace again takes them, so its alerts are not raised twice.
 */
static void test_levels_parked_on_the_shown_entry_are_handed_on(void)
{
	struct fleet f;
	struct engine view;
	struct model full;
	struct sample s;
	struct alert_tracks *levels;
	char dir[256];

	fleet_and_view_open(&f, &view, dir, sizeof(dir));
	fleet_show(&f, &view, f.own_inode);
	CHECK_EQ(fleet_refresh_some(&f, 1), 0);
	CHECK(entry_of(&f, f.own_inode) != NULL && entry_of(&f, f.own_inode)->engine == &view);

	/* 10 connections in a 10-port range: CRITICAL, levels to hand on */
	model_init(&full);
	sample_init(&s);
	fixture_start(&s, 40000, 40009, 1000);
	fixture_client_server(&s, 10, fixture_add_proc(&s, 100, "client", 7),
			      fixture_add_proc(&s, 200, "server", 8));
	CHECK_EQ(model_build(&full, &s, NULL), 0);
	CHECK(full.n_alerts > 0);
	levels = model_take_alerts(&full);
	CHECK(levels != NULL);

	fleet_give_alerts(&f, f.own_inode, levels);
	CHECK(fleet_take_alerts(&f, f.own_inode) == levels);
	CHECK(fleet_take_alerts(&f, f.own_inode) == NULL);  /* handed on once */
	alerts_tracks_free(levels);
	sample_free(&s);
	model_free(&full);
	fleet_and_view_close(&f, &view, dir);
}

int main(void)
{
	RUN(test_a_fleet_of_a_replay_is_refused_and_reads_nothing);
	RUN(test_a_fleet_of_the_system_opens_in_porttops_namespace);
	RUN(test_the_namespace_shown_is_left_to_the_view_before_its_first_refresh);
	RUN(test_levels_parked_on_the_shown_entry_are_handed_on);
	CHECK_DONE();
}
