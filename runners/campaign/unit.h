/*
 * unit: one unit of a campaign (a repetition of a benchmark on a
 * platform): its command line, the launch, the judgement of what came
 * back, its rows appended to the CSV and its record in the meta; and the
 * probe boot of a KVM platform.
 *
 * Owns: nothing beyond the call. Must not: decide the campaign's exit
 * status (run.c does).
 */
#ifndef CAMPAIGN_UNIT_H
#define CAMPAIGN_UNIT_H

#include <stddef.h>

#include "diag.h"
#include "platform.h"
#include "run_priv.h"

/* Run one unit, append its rows, record it in the meta. Returns 0, 1
 * when the launcher was interrupted during it, or 2 when its rows could
 * not be written (x->is_output_failed; nothing of them is in the CSV). */
int unit_run(struct ctx *x, const struct unit *u);

/* A boot with no job on a KVM platform: a /dev/kvm that passes
 * kvm_probe may still be unable to run a Linux guest (nested hosts).
 * 0, or -1 with why. */
#define PROBE_TIMEOUT_S 30.0
int unit_probe(struct ctx *x, struct platform *p, struct diag *why);

#endif
