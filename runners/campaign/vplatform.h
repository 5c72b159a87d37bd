/*
 * vplatform: a platform definition (runners/platforms/NAME.json) checked
 * whole when it is loaded: its keys, their types and the combinations a
 * kind allows.
 *
 * Owns: nothing. Must not: load or run the platform.
 */
#ifndef CAMPAIGN_VPLATFORM_H
#define CAMPAIGN_VPLATFORM_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"

/*
 * One platform definition (file, its text and its parsed object):
 * unknown keys, types, and the accelerator its kind can honour. 0, or -1
 * with "FILE:LINE: message" in err.
 */
int vplatform_check(const char *file, const char *text, size_t len,
		    json_t *def, struct diag *err);

#endif
