/*
 * The live source: takes a sample of the real system.  Everything that touches the
 * kernel is behind this one call, so the model and the views can be fed by tests.
 */
#ifndef PORTTOP_SOURCE_H
#define PORTTOP_SOURCE_H

#include "core/sample.h"

enum source_mode { SOURCE_MODE_AUTO, SOURCE_MODE_NETLINK, SOURCE_MODE_PROC };

struct source;

/* 0 or -errno (netlink asked for explicitly but unavailable, out of memory). */
int source_open(struct source **out, enum source_mode mode, const char *proc_root);
void source_close(struct source *src);

/* Which data source is in use; after a netlink failure in auto mode it becomes PROC. */
enum sample_source source_kind(const struct source *src);
/* The error that made auto mode fall back to /proc, 0 if none. */
int source_fallback_reason(const struct source *src);

/*
 * Fills s (reset first): sysctls, sockets, owners, process facts.
 * On error returns -errno and sets *what to a short, untranslated name of the step
 * that failed ("ip_local_port_range", "sock_diag", "/proc").
 */
int source_sample(struct source *src, struct sample *s, const char **what);

/* Destroys one socket through sock_diag; -EOPNOTSUPP on the /proc source. */
int source_destroy_socket(struct source *src, const struct sock_rec *rec);

#endif
