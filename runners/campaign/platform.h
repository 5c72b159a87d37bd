/*
 * platform: the platform definitions (runners/platforms/NAME.json), whether
 * each can run here and why not, and the KVM check.
 *
 * Owns: the items of a struct platform_set and their definitions
 * (platform_set_release). Must not: start a platform.
 */
#ifndef CAMPAIGN_PLATFORM_H
#define CAMPAIGN_PLATFORM_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"

enum platform_kind {
	PLATFORM_EXEC,		/* bench guest on the host, BENCH_JOB */
	PLATFORM_NAMESPACES,	/* built-in container: namespaces + chroot */
	PLATFORM_OCI,		/* an OCI runtime over a generated bundle */
	PLATFORM_VM		/* a VMM with kernel + initramfs */
};

struct platform {
	char *name;
	char *file;		/* definition it came from */
	enum platform_kind kind;
	json_t *def;		/* the definition (owned reference) */
	const char *accel;	/* "kvm", "tcg" or "none" (in def) */
	const char *kvm_device;	/* when accel is kvm */
	const char *kernel_form;	/* "vmlinux" or "vmlinuz" */
	const char *memory;	/* default guest memory, e.g. "256M" */
	int has_qmp;		/* the command has a {qmp} socket */
	double timeout_s;	/* default per-run timeout */
	int is_available;
	char reason[512];	/* why not, or what was checked */
};

struct platform_set {
	struct platform *items;
	size_t n;
};

/*
 * Load every *.json in dir, sorted by file name. Returns 0, or -1 with a
 * "FILE: message" in err (bad JSON or a field of the wrong type).
 */
int platform_load_dir(const char *dir, struct platform_set *set,
		      struct diag *err);
void platform_set_release(struct platform_set *set);
struct platform *platform_find(struct platform_set *set, const char *name);
/* Decide is_available and reason; kernel is the kernel image VMs use
 * (NULL: none found, with why in kernel_reason). */
void platform_check(struct platform *p, const char *kernel,
		    const char *kernel_reason);
/* The default directory of definitions: $BENCH_PLATFORMS, else
 * <exe>/../runners/platforms, else /usr/local/share/... Caller frees. */
char *platform_default_dir(const char *argv0);

/* KVM check: open the device, KVM_GET_API_VERSION, KVM_CREATE_VM, and run
 * a 3-instruction real-mode guest to its HLT. 0, or -1 with why. */
int kvm_probe(const char *device, struct diag *why);

#endif
