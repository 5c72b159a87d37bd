/*
 * deps: a host program with its loader and shared libraries, and kernel
 * modules with their dependencies, added to an image (image.h).
 *
 * Owns: nothing but the paths it returns. Must not: write the image.
 */
#ifndef CAMPAIGN_DEPS_H
#define CAMPAIGN_DEPS_H

#include <stddef.h>

#include "diag.h"
#include "image.h"

/*
 * --with: the host program name (found in PATH, else the sbin
 * directories) at its own path, its PT_INTERP loader and every shared
 * library it needs, recursively (deps.c says how they are found). Returns
 * the program's path (caller frees), or NULL with why in err.
 */
char *deps_add_program(struct image_extra *x, const char *name,
		       struct diag *err);
/*
 * The kernel modules names (NULL-terminated; built-in ones are skipped)
 * with their dependencies, from the modules.dep of the kernel's version
 * (read from the bzImage header), plus list_path listing their image
 * paths in load order. 0, or -1 with why in err.
 */
int deps_add_modules(struct image_extra *x, const char *kernel,
		     const char *const *names, const char *list_path,
		     struct diag *err);

#endif
