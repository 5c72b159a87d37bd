/*
 * job: what a unit of a campaign runs inside its platform: the bench
 * subcommand and its options (from the campaign's benchmark object and
 * the platform), the benchmark's per-platform settings, and the unit's
 * watchdog.
 *
 * Owns: nothing (the words go to the caller's struct argvec). Must not:
 * run anything.
 */
#ifndef CAMPAIGN_JOB_H
#define CAMPAIGN_JOB_H

#include <jansson.h>

#include "platform.h"
#include "run_priv.h"
#include "util.h"

/* A bench_entry for a campaign's benchmark object (name, runs, host);
 * no server. */
void job_entry(json_t *def, struct bench_entry *e);

/* b[field][platform] when present, else b[dflt_field] (borrowed). */
json_t *job_setting(const struct bench_entry *b, const char *field,
		    const char *dflt_field, const char *platform);

/* The bench subcommand and its options, as run inside the platform: the
 * launcher's options first (a benchmark's args may end with '-- cmd'). */
void job_words(const struct bench_entry *b, const struct platform *p,
	       struct argvec *w);

/* The unit's watchdog: --timeout, the campaign's, the platform's. */
double job_timeout(const struct ctx *x, const struct unit *u);

#endif
