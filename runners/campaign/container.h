/*
 * container: the built-in container (namespaces, chroot, cgroup v2
 * limits) and the bundle of an OCI runtime.
 *
 * Owns: nothing (a cgroup directory returned is the caller's). Must not:
 * return from container_enter() on success.
 */
#ifndef CAMPAIGN_CONTAINER_H
#define CAMPAIGN_CONTAINER_H

#include <stddef.h>

#include "diag.h"

struct container_ctx {
	const char *rootfs;
	const char *hostname;
	char *cgroup_dir;	/* NULL: no limits; owned by the caller */
};
/* child_setup for PLATFORM_NAMESPACES: never returns on success. */
int container_enter(const void *ctx);
/* Write BUNDLE/config.json for an OCI runtime; 0 or -1 (err). */
int container_oci_bundle(const char *bundle, const char *rootfs,
			 const char *job, struct diag *err);
/* Set up a cgroup v2 group with cpu.max / memory.max from the definition
 * (NULL strings: none). *dir receives the group path (caller frees), NULL
 * when no limits were asked. 0, or -1 with why in err (e.g. mixed v1/v2
 * layout without the controllers). */
int container_cgroup(const char *name, const char *cpu_max,
		     const char *memory_max, char **dir, struct diag *err);
void container_cgroup_remove(const char *dir);

#endif
