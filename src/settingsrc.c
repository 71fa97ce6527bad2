/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * porttoprc: the settings file the W key writes and every start reads, "key =
 * value" lines parsed with the same value parsers as the flags (settings-parse.h).
 */
#include "settings.h"
#include "settings-parse.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/decimal.h"
#include "util/i18n.h"

int settings_rc_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/porttop/porttoprc", xdg);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.config/porttop/porttoprc", home);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "0") == 0 || strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0)
		*out = false;
	else
		return false;
	return true;
}

static char *trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int apply_rc(struct settings *st, const char *key, const char *value)
{
	bool b;

	if (strcmp(key, "delay") == 0)
		return settings_parse_delay(value, &st->delay);
	if (strcmp(key, "sort") == 0)
		return settings_parse_sort(st, value);
	if (strcmp(key, "user") == 0)
		return settings_copy_string(st->user, sizeof(st->user), value);
	if (strcmp(key, "filter") == 0)
		return settings_copy_string(st->filter, sizeof(st->filter), value);
	if (strcmp(key, "container") == 0)
		return settings_copy_string(st->container, sizeof(st->container), value);
	if (strcmp(key, "bpf") == 0)
		return settings_parse_bpf(st, value);
	if (strcmp(key, "warning") == 0)
		return threshold_parse(value, &st->warning);
	if (strcmp(key, "critical") == 0)
		return threshold_parse(value, &st->critical);
	if (strcmp(key, "alert_after") == 0)
		return settings_parse_seconds(value, &st->alert_after);
	if (strcmp(key, "leak_age") == 0)
		return settings_parse_seconds(value, &st->leak_age);
	if (!parse_bool(value, &b))
		return -EINVAL;
	if (strcmp(key, "invert") == 0)
		st->sort_invert = b;
	else if (strcmp(key, "cmdline") == 0)
		st->show_cmdline = b;
	else if (strcmp(key, "secure") == 0)
		st->secure = st->secure || b;  /* a file can make porttop safer, never less safe */
	else if (strcmp(key, "color") == 0)
		st->color = b;
	else
		return -EINVAL;
	return 0;
}

int settings_read_rc(struct settings *st, FILE *fp, unsigned *bad, unsigned *first_bad)
{
	char line[512];
	unsigned lineno = 0;

	*bad = *first_bad = 0;
	while (fgets(line, sizeof(line), fp)) {
		char *eq, *key = trim(line);
		lineno++;
		if (key[0] == '\0' || key[0] == '#')
			continue;
		eq = strchr(key, '=');
		if (eq)
			*eq = '\0';
		if (!eq || apply_rc(st, trim(key), trim(eq + 1)) < 0) {
			if (!(*bad)++)
				*first_bad = lineno;
		}
	}
	if (ferror(fp))  /* e.g. EISDIR: the path is a directory */
		return errno ? -errno : -EIO;
	return 0;
}

int settings_load_rc(struct settings *st, const char *path, char *warn, size_t warn_len)
{
	unsigned bad, first_bad;
	FILE *fp = fopen(path, "re");
	int err;

	if (warn_len)
		warn[0] = '\0';
	if (!fp)
		return errno == ENOENT ? 0 : -errno;
	err = settings_read_rc(st, fp, &bad, &first_bad);
	fclose(fp);
	if (err)
		return err;
	if (bad && warn_len)
		snprintf(warn, warn_len, P_("%s: %u bad line ignored (first: line %u)",
					    "%s: %u bad lines ignored (first: line %u)", bad),
			 path, bad, first_bad);
	return 0;
}

static int make_parent_dirs(const char *path)
{
	char dir[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, len + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

int settings_save_rc(const struct settings *st, const char *path)
{
	char tmp[PATH_MAX], warning[64], critical[64], delay[32], seconds[32];
	FILE *fp;
	int err = make_parent_dirs(path);

	if (err)
		return err;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fp = fopen(tmp, "we");
	if (!fp)
		return -errno;
	fprintf(fp, "# porttop settings, written by the W key\n");
	/* "0.5" under any LC_NUMERIC: the next run may have another */
	decimal_format(delay, sizeof(delay), st->delay);
	fprintf(fp, "delay = %s\nsort = %s\ninvert = %d\ncmdline = %d\nsecure = %d\ncolor = %d\n",
		delay, st->sort->key, st->sort_invert, st->show_cmdline, st->secure, st->color);
	if (st->user[0])
		fprintf(fp, "user = %s\n", st->user);
	if (st->filter[0])
		fprintf(fp, "filter = %s\n", st->filter);
	if (st->container[0])
		fprintf(fp, "container = %s\n", st->container);
	/* what the live view cannot change is kept when it is not the default */
	threshold_format(&st->warning, warning, sizeof(warning));
	threshold_format(&st->critical, critical, sizeof(critical));
	if (strcmp(warning, THRESHOLD_TEXT(THRESHOLD_WARNING_DEFAULT)) != 0 ||
	    strcmp(critical, THRESHOLD_TEXT(THRESHOLD_CRITICAL_DEFAULT)) != 0)
		fprintf(fp, "warning = %s\ncritical = %s\n", warning, critical);
	if (st->alert_after != 0) {
		decimal_format(seconds, sizeof(seconds), st->alert_after);
		fprintf(fp, "alert_after = %s\n", seconds);
	}
	if (st->leak_age != 60) {
		decimal_format(seconds, sizeof(seconds), st->leak_age);
		fprintf(fp, "leak_age = %s\n", seconds);
	}
	if (fclose(fp) != 0) {
		err = -errno;
		remove(tmp);
		return err;
	}
	/* rename is atomic: a crash never leaves half a settings file */
	return rename(tmp, path) < 0 ? -errno : 0;
}
