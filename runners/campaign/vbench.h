/*
 * vbench: the checks of a campaign that need the platforms chosen and
 * bench itself: each benchmark's arguments asked of 'bench NAME --check'
 * as each platform would run them, and what a platform cannot take (a
 * host or served benchmark, an accelerator claim).
 *
 * Owns: nothing. Must not: run a benchmark (only --check).
 */
#ifndef CAMPAIGN_VBENCH_H
#define CAMPAIGN_VBENCH_H

#include "vctx.h"

/* The findings go to v->errs. */
void vbench_check(struct vctx *v);

#endif
