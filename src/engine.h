/*
 * One refresh, the same for every mode: sample the system, build the model, and
 * remember owners for the next round.  Batch output and the live view both call this.
 */
#ifndef PORTTOP_ENGINE_H
#define PORTTOP_ENGINE_H

#include "model/model.h"
#include "sample/sample.h"
#include "sample/source.h"
#include "settings.h"

struct probes;

struct engine {
	struct source *source;
	struct probes *probes;     /* NULL without eBPF; see bpf_status */
	enum probe_status bpf_status;
	int bpf_error;             /* -errno behind bpf_status, 0 if none */
	struct sample sample;
	struct model model;
	struct history *history;
	const char *failed_step;  /* after an error: which step, untranslated */
};

/* 0 or -errno; on error nothing is left to free. */
int engine_open(struct engine *e, const struct settings *st);
void engine_close(struct engine *e);

/* Takes a sample and rebuilds e->model.  0 or -errno (see e->failed_step). */
int engine_refresh(struct engine *e);

#endif
