/*
 * campaign: the platform launcher. Runs a campaign (platforms x benchmarks
 * x repetitions, a JSON file) by starting the static 'bench' natively, in
 * Linux namespaces, in an OCI runtime or as /init of a VM, parses its
 * protocol (see runners/guest.c) off the console, and writes one tidy CSV
 * plus a .meta.json with the accelerator evidence of every run.
 *
 * Modules: util (allocation, templates, CSV fields), platform (definitions
 * and whether they can run here), image (initramfs, root directory,
 * uncompressed kernel), launch (one supervised process tree per run, QMP),
 * container (namespaces and OCI bundle), run (the campaign loop, resume,
 * meta). Only main.c prints usage or decides the exit status.
 */
#ifndef CAMPAIGN_CAMPAIGN_H
#define CAMPAIGN_CAMPAIGN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

enum campaign_exit {
	CAMPAIGN_EXIT_OK = 0,
	CAMPAIGN_EXIT_RUNTIME = 1,
	CAMPAIGN_EXIT_USAGE = 2,
	CAMPAIGN_EXIT_INTERRUPTED = 130
};

/* Set by the SIGINT/SIGTERM handler of 'campaign run'. */
extern volatile sig_atomic_t campaign_interrupted;

/* ---- util ------------------------------------------------------------ */

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte string; sb_free releases it. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_add(struct strbuf *sb, const char *data, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_free(struct strbuf *sb);

/* Template variables: NULL-terminated name/value pairs. */
struct tvar {
	const char *name;
	const char *value;
};

/*
 * Expand {name} in tmpl from vars; names listed in keep (NULL-terminated,
 * may be NULL) are left as they are. Returns a new string (caller frees),
 * or NULL with *bad set to the unknown name (a static copy, at most 63
 * bytes) when a placeholder is unknown.
 */
char *template_expand(const char *tmpl, const struct tvar *vars,
		      const char *const *keep, char bad[64]);

/* Split one CSV line (no line break) into fields; returns the count, at
 * most max; the fields point into line, which is modified. */
int csv_split(char *line, char **fields, int max);
/* Append s as one CSV field (quoted when needed). */
void csv_put(struct strbuf *sb, const char *s);

/* Encode argv words for bench.job= / BENCH_JOB (runners/guest.c). */
char *job_encode(char *const *words, int n);

/* Path of an executable in PATH (or name itself when it has a '/'),
 * NULL when absent. Caller frees. */
char *find_program(const char *name);

/* Directory of the running executable's sibling 'bench': caller frees. */
char *find_bench(const char *argv0);

/* Write data to path atomically (temporary name + rename). 0 or -1. */
int write_file_atomic(const char *path, const char *data, size_t len);

double mono_s(void);

/* ---- platform -------------------------------------------------------- */

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
		      char *err, size_t err_size);
void platform_set_release(struct platform_set *set);
struct platform *platform_find(struct platform_set *set, const char *name);
/* Decide is_available and reason; kernel is the kernel image VMs use
 * (NULL: none found, with why in kernel_reason). */
void platform_check(struct platform *p, const char *kernel,
		    const char *kernel_reason);
/* The default directory of definitions: $BENCH_PLATFORMS, else
 * <exe>/../runners/platforms, else /usr/local/share/... Caller frees. */
char *platform_default_dir(const char *argv0);

/* ---- image ----------------------------------------------------------- */

/* Write a newc cpio (uncompressed) with /init = bench and the usual
 * directories. 0, or -1 with a message in err. */
int image_initramfs(const char *path, const char *bench, char *err,
		    size_t err_size);
/* A root directory for containers with the same contents. */
int image_rootfs(const char *dir, const char *bench, char *err,
		 size_t err_size);
/* The newest /boot/vmlinuz-*; caller frees; NULL with why in err. */
char *image_find_kernel(char *err, size_t err_size);
/* The uncompressed vmlinux of a bzImage, extracted once into the cache
 * directory; caller frees; NULL with why in err. */
char *image_vmlinux(const char *vmlinuz, char *err, size_t err_size);

/* ---- launch ---------------------------------------------------------- */

/* What one run left behind. */
struct launch_result {
	int has_begin, has_end;
	int job_rc;		/* from @@BENCH-END rc=N@@ */
	int exit_status;	/* of the launched process, as from wait() */
	int is_timeout, is_interrupted;
	double elapsed_s;
	double guest_boottime_ms;	/* -1 when not seen */
	char hypervisor[32];	/* CPUID signature the guest saw */
	long long canary_ns;	/* -1 when not seen */
	long guest_pid;		/* bench guest's pid (1: init), -1 unseen */
	int qmp_state;		/* -1 not asked, 0 failed, 1 answered */
	int qmp_kvm_enabled, qmp_kvm_present;
	char qmp_error[160];
	struct strbuf csv;	/* the CSV lines (header first) */
	struct strbuf tail;	/* last console bytes, for failures */
};

struct launch_spec {
	char *const *argv;	/* program and arguments */
	char *const *envp;	/* NULL: inherit */
	int is_raw_csv;		/* stdout is plain CSV, no markers */
	const char *qmp_path;	/* NULL: no QMP query */
	double timeout_s;
	/* Runs in the child before exec (namespaces); NULL: plain exec. */
	int (*child_setup)(const void *ctx);
	const void *child_ctx;
};

void launch_result_release(struct launch_result *r);
/* Run one supervised process tree; never leaves it behind. 0, or -1 when
 * it could not be started (message in r->tail). */
int launch_run(const struct launch_spec *spec, struct launch_result *r);

/* ---- container ------------------------------------------------------- */

struct container_ctx {
	const char *rootfs;
	const char *hostname;
	char *cgroup_dir;	/* NULL: no limits; owned by the caller */
};
/* child_setup for PLATFORM_NAMESPACES: never returns on success. */
int container_enter(const void *ctx);
/* Write BUNDLE/config.json for an OCI runtime; 0 or -1 (err). */
int container_oci_bundle(const char *bundle, const char *rootfs,
			 const char *job, char *err, size_t err_size);
/* Set up a cgroup v2 group with cpu.max / memory.max from the definition
 * (NULL strings: none). *dir receives the group path (caller frees), NULL
 * when no limits were asked. 0, or -1 with why in err (e.g. mixed v1/v2
 * layout without the controllers). */
int container_cgroup(const char *name, const char *cpu_max,
		     const char *memory_max, char **dir, char *err,
		     size_t err_size);
void container_cgroup_remove(const char *dir);

/* ---- run ------------------------------------------------------------- */

struct run_options {
	const char *campaign_file;
	const char *output;	/* CSV path */
	const char *platforms_dir;
	const char *kernel;	/* --kernel, NULL: find one */
	const char *only_platforms;	/* --platforms a,b, NULL: the file's */
	const char *bench;	/* path of bench */
	double timeout_s;	/* --timeout, 0: the file's / platform's */
	int is_resume, is_force, is_progress, skip_unavailable;
	int argc;
	char **argv;		/* the launcher's command line, for meta */
};

/* Run a campaign. Returns an exit status (enum campaign_exit), having
 * printed every diagnostic. */
int run_campaign(const struct run_options *o);

/* Boot each available KVM VM platform of set once with no job (see
 * unit_probe); a failure makes it unavailable with the reason. 0, or -1
 * when the images could not be built (message printed). */
int run_probe_set(struct platform_set *set, const char *kernel,
		  const char *bench);

/* KVM check: open the device, KVM_GET_API_VERSION, KVM_CREATE_VM, and run
 * a 3-instruction real-mode guest to its HLT. 0, or -1 with why. */
int kvm_probe(const char *device, char *why, size_t why_size);

#endif
