/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every user-visible string goes through gettext; this is the one place that says how. */
#ifndef PORTTOP_I18N_H
#define PORTTOP_I18N_H


#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(singular, plural, n) ngettext((singular), (plural), (n))
#else
#define _(s) (s)
#define P_(singular, plural, n) ((n) == 1 ? (singular) : (plural))
#endif
#define N_(s) (s)

#endif
