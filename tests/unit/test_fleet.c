/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fleet of namespaces (fleet.c): what it refuses to open. */
#include <errno.h>
#include <sys/stat.h>

#include "fleet.h"
#include "settings.h"
#include "check.h"

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

int main(void)
{
	RUN(test_a_fleet_of_a_replay_is_refused_and_reads_nothing);
	RUN(test_a_fleet_of_the_system_opens_in_porttops_namespace);
	CHECK_DONE();
}
