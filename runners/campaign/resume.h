/*
 * resume: the units an output CSV already holds ('campaign run --resume',
 * the dry run's plan): the job keys of the finished units, and the repair
 * of a unit cut short.
 *
 * Owns: the keys in struct ctx's done list (released by run.c). Must not:
 * write anything but the repaired output.
 */
#ifndef CAMPAIGN_RESUME_H
#define CAMPAIGN_RESUME_H

#include "run_priv.h"

/* The job keys already in the output: resume_read_done reads them, 0, or
 * -1 when the output is not a campaign CSV (printed). It changes nothing;
 * resume_scan(x, 1) also repairs the file. */
int resume_read_done(struct ctx *x);
int resume_scan(struct ctx *x, int is_repair);
int resume_is_done(const struct ctx *x, const char *key);
void resume_add_done(struct ctx *x, const char *key);

#endif
