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

#include "atomic.h"
#include "diag.h"
#include "path.h"
#include "strbuf.h"
#include "xalloc.h"

/* Set by the SIGINT/SIGTERM handler of 'campaign run'. */
extern volatile sig_atomic_t campaign_interrupted;

/* ---- util ------------------------------------------------------------ */

/* Template variables: NULL-terminated name/value pairs. */
struct tvar {
	const char *name;
	const char *value;
};

/*
 * Expand {name} (letters, digits, '_') in tmpl from vars; other braces
 * are text; names listed in keep (NULL-terminated,
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

/* Directory of the running executable's sibling 'bench': caller frees. */
char *find_bench(const char *argv0);

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

/* One extra path of an image besides /init and the base directories. */
struct image_item {
	char *path;		/* inside the image, no leading '/' */
	int is_dir;
	mode_t perm;
	char *src;		/* host file to copy, or NULL */
	char *data;		/* the contents when src is NULL */
	size_t len;
};

/* What --with programs, served benchmarks and the guest network add to
 * an image, parents before children; image_extra_release frees it. */
struct image_extra {
	struct image_item *items;
	size_t n;
};

void image_extra_release(struct image_extra *x);
/* Whether path (with or without a leading '/') is in the image. */
int image_has(const struct image_extra *x, const char *path);
/* Add a directory, a copy of host file src, or given contents at path;
 * missing parent directories are added first (0755). */
void image_add_dir(struct image_extra *x, const char *path);
void image_add_file(struct image_extra *x, const char *path,
		    const char *src, mode_t perm);
void image_add_data(struct image_extra *x, const char *path, mode_t perm,
		    const char *data, size_t len);
/* Add src decompressed (xz, zstd, gzip: libarchive). 0, or -1 (err). */
int image_add_unpacked(struct image_extra *x, const char *path,
		       const char *src, char *err, size_t err_size);
/*
 * --with: the host program name (found in PATH, else the sbin
 * directories) at its own path, its PT_INTERP loader and every shared
 * library it needs, recursively (deps.c says how they are found). Returns
 * the program's path (caller frees), or NULL with why in err.
 */
char *image_add_program(struct image_extra *x, const char *name, char *err,
			size_t err_size);
/*
 * The kernel modules names (NULL-terminated; built-in ones are skipped)
 * with their dependencies, from the modules.dep of the kernel's version
 * (read from the bzImage header), plus list_path listing their image
 * paths in load order. 0, or -1 with why in err.
 */
int image_add_modules(struct image_extra *x, const char *kernel,
		      const char *const *names, const char *list_path,
		      char *err, size_t err_size);
/* The whole file (NUL-terminated, caller frees), or NULL with errno. */
char *image_read_file(const char *path, size_t *len);

/* Write a newc cpio (uncompressed) with /init = bench, the usual
 * directories and extra (may be NULL). 0, or -1 with a message in err. */
int image_initramfs(const char *path, const char *bench,
		    const struct image_extra *extra, char *err,
		    size_t err_size);
/* A root directory for containers with the same contents. */
int image_rootfs(const char *dir, const char *bench,
		 const struct image_extra *extra, char *err, size_t err_size);
/* The newest /boot/vmlinuz-*; caller frees; NULL with why in err. */
char *image_find_kernel(char *err, size_t err_size);
/* The uncompressed vmlinux of a bzImage, extracted once into the cache
 * directory; caller frees; NULL with why in err. */
char *image_vmlinux(const char *vmlinuz, char *err, size_t err_size);

/* ---- server ---------------------------------------------------------- */

/* A server of served benchmarks (runners/servers/NAME.json). */
struct server {
	const char *name;	/* borrowed from the campaign */
	char *file;		/* the definition's path */
	json_t *def;		/* owned reference */
	const char *program;	/* as named in def */
	char *program_path;	/* host path, set by server_add_to_image */
	const char *url_path;	/* what bench http loads */
	const char *status_path;	/* NULL: none */
	long port;		/* in the guest or the container */
};

/* What the launcher's own requests found after the load. */
struct server_check {
	int is_ok;		/* the page is the one the server was given */
	int status;
	long long body_bytes;	/* -1: no response */
	long long server_requests;	/* the server's count, -1 unknown */
	char why[200];
};

/* $BENCH_SERVERS, else "servers" beside the platforms directory. */
char *server_default_dir(const char *platforms_dir);
/* Load dir/name.json. 0, or -1 with "FILE: message" in err; release with
 * server_release either way. */
int server_load(const char *dir, const char *name, struct server *s,
		char *err, size_t err_size);
void server_release(struct server *s);
/* The program (--with), its directories and files with {root} = "",
 * {addr} = 0.0.0.0 and {port} = s->port; sets s->program_path. */
int server_add_to_image(struct server *s, struct image_extra *x, char *err,
			size_t err_size);
/* The same files under the host directory root, {addr} = 127.0.0.1. */
int server_write_tree(struct server *s, const char *root, long port,
		      char *err, size_t err_size);
/* Append the expanded 'args' to *argv (NULL-terminated, each string
 * owned by the caller). */
void server_args(const struct server *s, const char *root, long port,
		 char ***argv, int *argc);
/* A TCP port free on 127.0.0.1 now, or -1. */
long server_free_port(void);
/* GET the served page and the status page from 127.0.0.1:port, inside
 * the network namespace of netns_pid when > 0. */
void server_check(const struct server *s, long port, pid_t netns_pid,
		  struct server_check *c);

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
	int has_ready;		/* @@BENCH-READY seen (served runs) */
	int client_status;	/* of the client, as from wait(); -1 none */
	struct strbuf client_csv;	/* the client's standard output */
	char served[300];	/* the fields of @@BENCH-SERVED ...@@ */
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
	/*
	 * Served runs: the child's standard input is a pipe; client_argv
	 * starts when the child prints @@BENCH-READY (after client_setup in
	 * the client's child, given the launched pid); once the client has
	 * exited, after_client runs in the launcher and "stop" is written
	 * to the pipe. NULL: none of this.
	 */
	char *const *client_argv;
	int (*client_setup)(void *ctx, pid_t server);
	void (*after_client)(void *ctx, pid_t server,
			     struct launch_result *r);
	void *serve_ctx;
};

/* Zero r, with -1 in the fields where it means "not seen". Owns nothing
 * yet: launch_result_release() is safe on it. */
void launch_result_init(struct launch_result *r);
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
	int is_dry_run;		/* --dry-run: the plan and an estimate */
	int no_calibrate;	/* --no-calibrate: history only */
	const char *estimate_from;	/* --estimate-from CSV, NULL: output */
	long slice_k, slice_n;	/* --slice K/N: repetitions = K mod N */
	char **with;		/* --with PROGRAM, n_with of them */
	int n_with;
	int argc;
	char **argv;		/* the launcher's command line, for meta */
};

/* Run a campaign. Returns an exit status (enum exit_status), having
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
