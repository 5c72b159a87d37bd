/*
 * run: the campaign loop. For each repetition, each benchmark, each
 * platform, in an order rotated by the repetition (so that drift over the
 * campaign spreads over every platform instead of masquerading as a
 * platform effect), one supervised run. Its rows are checked, rewritten
 * (run index, host, the accel and job columns) and appended to the CSV in
 * one write(2), so a unit is in the file whole or not at all: --resume
 * reads the job keys back and runs only what is missing.
 */
#define _GNU_SOURCE		/* mkdtemp, nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "deps.h"
#include "diag.h"
#include "image.h"
#include "launch.h"
#include "meta.h"
#include "plan.h"
#include "platform.h"
#include "resume.h"
#include "run_priv.h"
#include "server.h"
#include "unit.h"
#include "util.h"
#include "validate.h"
#include "verrs.h"
#include "xalloc.h"

#include "run.h"

/* ---- campaign file --------------------------------------------------- */

static int bad_campaign(const char *file, const char *msg)
{
	fprintf(stderr, "%s: %s\n", file, msg);
	return -1;
}

static int load_benches(const char *file, struct campaign *c)
{
	json_t *list = json_object_get(c->json, "benchmarks"), *b, *v;
	size_t i;

	if (!json_is_array(list) || !json_array_size(list))
		return bad_campaign(file, "'benchmarks' must be a non-empty "
				    "array");
	c->n_benches = json_array_size(list);
	c->benches = xcalloc(c->n_benches, sizeof(*c->benches));
	json_array_foreach(list, i, b) {
		if (!json_is_string(json_object_get(b, "name")))
			return bad_campaign(file, "every benchmark needs a "
					    "'name' (a bench subcommand)");
		v = json_object_get(b, "args");
		if (v && !json_is_array(v))
			return bad_campaign(file, "'args' must be an array "
					    "of strings");
		c->benches[i].name = json_string_value(json_object_get(b,
								       "name"));
		c->benches[i].def = b;
		c->benches[i].is_host = json_is_true(json_object_get(b,
								     "host"));
		v = json_object_get(b, "with");
		if (v && !json_is_array(v))
			return bad_campaign(file, "'with' must be an array "
					    "of program names");
		v = json_object_get(b, "serve");
		if (v && !json_is_string(v))
			return bad_campaign(file, "'serve' must name a server "
					    "(runners/servers/NAME.json)");
		v = json_object_get(b, "runs");
		c->benches[i].runs = json_is_integer(v) ?
				     (long)json_integer_value(v) : 1;
		if (c->benches[i].runs < 1)
			return bad_campaign(file, "'runs' must be >= 1");
	}
	return 0;
}

/* The campaign, validated whole first (validate.h): what is checked
 * below holds by then, and stays as the last line of defence. Returns 0,
 * or an exit status (the findings printed). */
static int load_campaign(const struct ctx *x, const char *file,
			 struct campaign *c)
{
	struct vinput in = { file, &x->set, x->o->only_platforms, x->o->bench,
			     x->servers_dir };
	struct verrs errs;
	json_t *v;
	char msg[300];

	memset(c, 0, sizeof(*c));
	if (validate_campaign(&in, &c->json, &errs)) {
		verrs_print(&errs, stderr);
		verrs_release(&errs);
		return errs.is_runtime ? EXIT_RUNTIME :
		       EXIT_BADINPUT;
	}
	if (!json_is_object(c->json))
		return bad_campaign(file, "not a JSON object");
	v = json_object_get(c->json, "repetitions");
	c->repetitions = json_is_integer(v) ? (long)json_integer_value(v) : 1;
	if (c->repetitions < 1 || c->repetitions > 100000) {
		snprintf(msg, sizeof(msg), "'repetitions' must be 1..100000");
		return bad_campaign(file, msg);
	}
	v = json_object_get(c->json, "timeout_s");
	c->timeout_s = json_is_number(v) ? json_number_value(v) : 0;
	return load_benches(file, c) ? EXIT_BADINPUT : 0;
}

/* ---- selection and preparation --------------------------------------- */

static int need_kernel(struct ctx *x, struct diag *why)
{
	if (x->o->kernel)
		x->kernel_z = xstrdup(x->o->kernel);
	else
		x->kernel_z = image_find_kernel(why);
	return x->kernel_z ? 0 : -1;
}

/* After dropping missing unavailable platforms: an exit status, or -1 to
 * go on. */
static int stop_or_skip(const struct ctx *x, int missing)
{
	if (missing && !x->o->skip_unavailable && !x->o->is_dry_run) {
		fputs("campaign: refusing to run without them (a KVM "
		      "platform never falls back to TCG): leave them out with "
		      "--platforms, or run the others with "
		      "--skip-unavailable\n", stderr);
		return EXIT_RUNTIME;
	}
	if (!x->c.n_plats) {
		fputs("campaign: no platform of the campaign can run here\n",
		      stderr);
		return EXIT_RUNTIME;
	}
	return -1;
}

/* Pick the campaign's platforms, check them; unavailable ones stop the
 * campaign unless --skip-unavailable. Returns an exit status or -1. */
static int select_platforms(struct ctx *x)
{
	struct diag kwhy = { 0 };
	char **names;
	struct platform *p;
	size_t i, n;
	int missing = 0;

	need_kernel(x, &kwhy);
	/* --platforms replaces the file's list: validation has checked
	 * that each is defined. */
	names = validate_selection(x->c.json, x->o->only_platforms, &n);
	x->c.plats = xcalloc(n + 1, sizeof(*x->c.plats));
	for (i = 0; i < n; i++) {
		p = platform_find(&x->set, names[i]);
		free(names[i]);
		if (!p)
			continue;
		platform_check(p, x->kernel_z, kwhy.msg);
		meta_platform(x->meta, p, 1);
		if (p->is_available) {
			x->c.plats[x->c.n_plats++] = p;
			continue;
		}
		fprintf(stderr, "campaign: platform '%s' cannot run here: "
			"%s\n", p->name, p->reason);
		missing++;
	}
	free(names);
	return stop_or_skip(x, missing);
}

/* Programs and servers the benchmarks add to the images; the network
 * modules when a served benchmark runs in a VM. 0 or -1 (err). */
static int collect_extra(struct ctx *x, struct image_extra *extra,
			 int needs_vm, struct diag *err)
{
	static const char *const net_modules[] = { "virtio_pci",
		"virtio_mmio", "virtio_net", NULL };
	json_t *w;
	size_t bi, i;
	char *path;
	int k, has_serve = 0;

	for (k = 0; k < x->o->n_with; k++) {
		if (!(path = deps_add_program(extra, x->o->with[k], err)))
			return -1;
		free(path);
	}
	for (bi = 0; bi < x->c.n_benches; bi++) {
		json_array_foreach(json_object_get(x->c.benches[bi].def,
						   "with"), i, w) {
			path = json_is_string(w) ? deps_add_program(extra,
				json_string_value(w), err) : NULL;
			if (!path)
				return -1;
			free(path);
		}
		if (x->c.benches[bi].server) {
			has_serve = 1;
			if (server_add_to_image(x->c.benches[bi].server, extra,
						err))
				return -1;
		}
	}
	if (has_serve && needs_vm)
		return deps_add_modules(extra, x->kernel_z, net_modules,
					 "/etc/bench/modules", err);
	return 0;
}

static int prepare_images(struct ctx *x)
{
	struct image_extra extra = { 0 };
	struct diag err = { 0 };
	size_t i;
	int needs_vm = 0, needs_root = 0, needs_x = 0, rc = -1;

	for (i = 0; i < x->c.n_plats; i++) {
		needs_vm |= x->c.plats[i]->kind == PLATFORM_VM;
		needs_root |= x->c.plats[i]->kind == PLATFORM_NAMESPACES ||
			      x->c.plats[i]->kind == PLATFORM_OCI;
		needs_x |= x->c.plats[i]->kind == PLATFORM_VM &&
			   !strcmp(x->c.plats[i]->kernel_form, "vmlinux");
	}
	x->initrd = xasprintf("%s/initramfs.cpio", x->workdir);
	x->rootfs = xasprintf("%s/rootfs", x->workdir);
	if (collect_extra(x, &extra, needs_vm, &err) ||
	    (needs_vm && image_initramfs(x->initrd, x->o->bench, &extra,
					 &err)) ||
	    (needs_root && image_rootfs(x->rootfs, x->o->bench, &extra, &err)))
		goto out;
	if (needs_x) {
		x->kernel_x = image_vmlinux(x->kernel_z, &err);
		if (!x->kernel_x)
			goto out;
	}
	json_object_set_new(x->meta, "guest_kernel_uncompressed",
			    x->kernel_x ? json_string(x->kernel_x) :
			    json_null());
	rc = 0;
out:
	if (rc)
		diag_print(stderr, "campaign", &err);
	image_extra_release(&extra);
	return rc;
}

/* /dev/kvm can pass kvm_probe and still be unable to run a Linux guest
 * (nested hosts: "KVM internal error", QEMU asserting on an MSR): each
 * KVM VM platform boots once with no job first. */
static int probe_one(struct ctx *x, struct platform *p)
{
	struct diag why = { 0 };

	if (p->kind != PLATFORM_VM || strcmp(p->accel, "kvm"))
		return 0;
	if (unit_probe(x, p, &why) == 0) {
		snprintf(p->reason, sizeof(p->reason), "%s works: a probe boot "
			 "showed KVM (QMP and CPUID)", p->kvm_device);
		return 0;
	}
	p->is_available = 0;
	snprintf(p->reason, sizeof(p->reason), "%s passes the KVM probe, but "
		 "%.399s", p->kvm_device, why.msg);
	return -1;
}

static int probe_kvm(struct ctx *x)
{
	struct platform *p;
	size_t i, n = 0;
	int missing = 0;

	for (i = 0; i < x->c.n_plats; i++) {
		p = x->c.plats[i];
		if (probe_one(x, p) == 0) {
			x->c.plats[n++] = p;
			continue;
		}
		meta_platform(x->meta, p, 1);
		fprintf(stderr, "campaign: platform '%s' cannot run here: "
			"%s\n", p->name, p->reason);
		missing++;
	}
	x->c.n_plats = n;
	return stop_or_skip(x, missing);
}

/* The host's TSC frequency for microvm's tsc_early_khz= (its PIT
 * calibration can hang under TCG, docs/platforms.md). */
static void read_tsc_khz(struct ctx *x)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "re");
	double mhz = 0;

	while (f && fgets(line, sizeof(line), f) && mhz == 0)
		if (!strncmp(line, "cpu MHz", 7) && strchr(line, ':'))
			mhz = strtod(strchr(line, ':') + 1, NULL);
	if (f)
		fclose(f);
	snprintf(x->tsc_khz, sizeof(x->tsc_khz), "%.0f",
		 mhz > 0 ? mhz * 1000 : 2000000.0);
}

static void native_canary(struct ctx *x)
{
	char *argv[] = { (char *)x->o->bench, "guest", "--evidence", NULL };
	struct launch_spec spec = { .argv = argv, .timeout_s = 30 };
	struct launch_result r;

	x->native_canary_ns = -1;
	if (launch_run(&spec, &r) == 0)
		x->native_canary_ns = r.canary_ns;
	launch_result_release(&r);
	json_object_set_new(x->meta, "native_canary_ns",
			    json_integer(x->native_canary_ns));
}

/* ---- output and resume ----------------------------------------------- */

static int open_output(struct ctx *x)
{
	struct stat st;
	int exists = stat(x->o->output, &st) == 0 && st.st_size > 0;

	if (exists && !x->o->is_resume && !x->o->is_force) {
		fprintf(stderr, "campaign: '%s' exists (use --resume to "
			"continue it, --force to replace it)\n", x->o->output);
		return EXIT_BADINPUT;
	}
	if (exists && x->o->is_resume && resume_scan(x, 1))
		return EXIT_BADINPUT;
	x->out_fd = open(x->o->output, O_WRONLY | O_CREAT | O_APPEND |
			 O_CLOEXEC | (exists && x->o->is_resume ? 0 :
				      O_TRUNC), 0644);
	if (x->out_fd < 0) {
		fprintf(stderr, "campaign: cannot open '%s': %s\n",
			x->o->output, strerror(errno));
		return EXIT_RUNTIME;
	}
	if ((!exists || !x->o->is_resume) &&
	    write(x->out_fd, csv_out_header, strlen(csv_out_header)) !=
	    (ssize_t)strlen(csv_out_header)) {
		fprintf(stderr, "campaign: cannot write '%s': %s\n",
			x->o->output, strerror(errno));
		return EXIT_RUNTIME;
	}
	return -1;
}

static void load_meta(struct ctx *x)
{
	json_t *old, *runs, *r;
	const char *st, *job;
	size_t i;

	if (!x->o->is_resume)
		return;
	old = json_load_file(x->meta_path, 0, NULL);
	runs = json_object_get(old, "runs");
	if (json_is_array(runs)) {
		/* An "ok" whose rows resume_scan removed is no longer true:
		 * that unit runs again and gets a new record. */
		json_array_foreach(runs, i, r) {
			st = json_string_value(json_object_get(r, "status"));
			job = json_string_value(json_object_get(r, "job"));
			if (st && !strcmp(st, "ok") && job &&
			    !resume_is_done(x, job))
				continue;
			json_array_append(json_object_get(x->meta, "runs"), r);
		}
		json_object_set(x->meta, "first_started",
				json_object_get(old, "started"));
	}
	json_decref(old);
}

/* ---- the loop -------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void count_units(struct ctx *x)
{
	long rep;
	size_t bi, pi;
	char key[160];

	x->n_units = 0;
	for (rep = 0; rep < x->c.repetitions; rep++)
		for (bi = 0; plan_in_slice(x->o, rep) && bi < x->c.n_benches; bi++)
			for (pi = 0; pi < x->c.n_plats; pi++) {
				snprintf(key, sizeof(key), "r%ld:b%zu:%s", rep,
					 bi, x->c.plats[pi]->name);
				if (!resume_is_done(x, key))
					x->n_units++;
			}
}

/* Host jobs (boot, memfloor) launch a VMM themselves: VM platforms only.
 * Served benchmarks need a place for the client: the host's loopback, a
 * namespace to join, or a VM definition with a "net" to forward. */
static int check_host_jobs(const struct ctx *x)
{
	const struct platform *p;
	const struct bench_entry *b;
	size_t bi, pi;

	for (bi = 0; bi < x->c.n_benches; bi++)
		for (pi = 0; pi < x->c.n_plats; pi++) {
			b = &x->c.benches[bi];
			p = x->c.plats[pi];
			if (b->is_host && p->kind != PLATFORM_VM) {
				fprintf(stderr, "%s: benchmark '%s' runs a VMM "
					"from the host: platform '%s' is not a "
					"VM\n", x->o->campaign_file, b->name,
					p->name);
				return -1;
			}
			if (b->server && (p->kind == PLATFORM_OCI ||
			    (p->kind == PLATFORM_VM &&
			     !json_is_array(json_object_get(p->def, "net"))))) {
				fprintf(stderr, "%s: benchmark '%s' serves "
					"from platform '%s', which has no way "
					"in (an OCI runtime, or a VM without "
					"\"net\" in %s)\n", x->o->campaign_file,
					b->name, p->name, p->file);
				return -1;
			}
		}
	return 0;
}

/* Load the server of every "serve" benchmark. 0 or -1 (printed). */
static int load_servers(struct ctx *x)
{
	struct bench_entry *b;
	struct diag err = { 0 };
	size_t bi;

	for (bi = 0; bi < x->c.n_benches; bi++) {
		b = &x->c.benches[bi];
		if (!json_object_get(b->def, "serve"))
			continue;
		b->server = xcalloc(1, sizeof(*b->server));
		if (server_load(x->servers_dir, json_string_value(
				json_object_get(b->def, "serve")), b->server,
				&err)) {
			fprintf(stderr, "%s\n", err.msg);
			return -1;
		}
	}
	return 0;
}

static int loop(struct ctx *x)
{
	struct unit u = { 0 };
	double t0;
	long rep;
	size_t bi, k;
	int rc;

	for (rep = 0; rep < x->c.repetitions; rep++)
		for (bi = 0; plan_in_slice(x->o, rep) &&
		     bi < x->c.n_benches; bi++)
			for (k = 0; k < x->c.n_plats; k++) {
				if (launch_interrupted)
					return EXIT_INTERRUPTED;
				u.rep = rep;
				u.bi = bi;
				/* Rotate the platform order by repetition. */
				u.p = x->c.plats[(k + (size_t)rep) %
						 x->c.n_plats];
				snprintf(u.key, sizeof(u.key), "r%ld:b%zu:%s",
					 rep, bi, u.p->name);
				if (resume_is_done(x, u.key))
					continue;
				u.seq++;
				x->n_units_run++;
				t0 = mono_s();
				rc = unit_run(x, &u);
				if (rc == 1)
					return EXIT_INTERRUPTED;
				if (rc == 2)
					return EXIT_RUNTIME;
				plan_note_unit(x->meta, mono_s() - t0);
				/* The record of the unit: without it, resume
				 * would run it again, and so would every unit
				 * after it on this full disk. */
				if (meta_write(x->meta, x->meta_path)) {
					fprintf(stderr, "campaign: cannot write "
						"'%s': %s\n", x->meta_path,
						strerror(errno));
					x->is_output_failed = 1;
					return EXIT_RUNTIME;
				}
			}
	return x->n_failed ? EXIT_RUNTIME : EXIT_OK;
}

static int setup(struct ctx *x)
{
	struct diag err = { 0 };
	char *dir, *tmpl;
	const char *tmp = getenv("TMPDIR");
	int rc;

	dir = x->o->platforms_dir ? xstrdup(x->o->platforms_dir) :
	      platform_default_dir(x->o->argv[0]);
	rc = platform_load_dir(dir, &x->set, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	x->servers_dir = server_default_dir(dir);
	free(dir);
	if (rc)
		return EXIT_BADINPUT;
	if ((rc = load_campaign(x, x->o->campaign_file, &x->c)) ||
	    load_servers(x))
		return rc ? rc : EXIT_BADINPUT;
	x->meta_path = meta_path_for(x->o->output);
	x->meta = meta_new(x->o, x->c.json, NULL);
	if ((rc = select_platforms(x)) >= 0)
		return rc;
	json_object_set_new(x->meta, "guest_kernel", x->kernel_z ?
			    json_string(x->kernel_z) : json_null());
	if (check_host_jobs(x))
		return EXIT_BADINPUT;
	if (x->o->is_dry_run)
		return plan_dry_run(x);
	tmpl = xasprintf("%s/campaign.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	x->workdir = mkdtemp(tmpl);
	if (!x->workdir) {
		fprintf(stderr, "campaign: mkdtemp: %s\n", strerror(errno));
		free(tmpl);
		return EXIT_RUNTIME;
	}
	if (prepare_images(x))
		return EXIT_RUNTIME;
	gethostname(x->hostname, sizeof(x->hostname) - 1);
	read_tsc_khz(x);
	if ((rc = probe_kvm(x)) >= 0 || (rc = open_output(x)) >= 0)
		return rc;
	load_meta(x);
	native_canary(x);
	return -1;
}

static void teardown(struct ctx *x)
{
	size_t i;

	if (x->workdir)
		nftw(x->workdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (x->out_fd > 0 && close(x->out_fd) != 0)
		fprintf(stderr, "campaign: cannot write '%s': %s\n",
			x->o->output, strerror(errno));
	for (i = 0; i < x->c.n_benches; i++)
		if (x->c.benches[i].server) {
			server_release(x->c.benches[i].server);
			free(x->c.benches[i].server);
		}
	free(x->servers_dir);
	for (i = 0; i < x->n_done; i++)
		free(x->done[i]);
	free(x->done);
	free(x->workdir);
	free(x->initrd);
	free(x->rootfs);
	free(x->kernel_z);
	free(x->kernel_x);
	free(x->c.benches);
	free(x->c.plats);
	json_decref(x->c.json);
	json_decref(x->meta);
	free(x->meta_path);
	platform_set_release(&x->set);
}

int run_campaign(const struct run_options *o)
{
	struct ctx x;
	int rc;

	double started_s = mono_s();

	memset(&x, 0, sizeof(x));
	x.o = o;
	x.out_fd = -1;
	rc = setup(&x);
	if (rc < 0) {
		plan_note_setup(x.meta, mono_s() - started_s);
		count_units(&x);
		if (x.n_done)
			fprintf(stderr, "campaign: resuming: %zu units done, "
				"%ld to run\n", x.n_done, x.n_units);
		x.started_s = mono_s();
		rc = loop(&x);
		if (meta_write(x.meta, x.meta_path)) {
			fprintf(stderr, "campaign: cannot write '%s': %s\n",
				x.meta_path, strerror(errno));
			rc = EXIT_RUNTIME;
		}
		if (rc == EXIT_INTERRUPTED)
			fprintf(stderr, "campaign: interrupted: '%s' holds "
				"the finished units; continue with --resume\n",
				o->output);
		else if (x.is_output_failed)
			fprintf(stderr, "campaign: stopped: '%s' holds the "
				"finished units; make room, then continue "
				"with --resume\n", o->output);
		else if (x.n_failed)
			fprintf(stderr, "campaign: %d runs failed (see "
				"'runs' in %s)\n", x.n_failed, x.meta_path);
	}
	teardown(&x);
	return rc;
}

int run_probe_set(struct platform_set *set, const char *kernel,
		  const char *bench)
{
	struct run_options o = { .bench = bench };
	const char *tmp = getenv("TMPDIR");
	struct ctx x;
	size_t i;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.o = &o;
	x.out_fd = -1;
	x.meta = json_object();
	x.kernel_z = kernel ? xstrdup(kernel) : NULL;
	x.c.plats = xcalloc(set->n + 1, sizeof(*x.c.plats));
	for (i = 0; i < set->n; i++)
		if (set->items[i].is_available &&
		    set->items[i].kind == PLATFORM_VM &&
		    !strcmp(set->items[i].accel, "kvm"))
			x.c.plats[x.c.n_plats++] = &set->items[i];
	if (x.c.n_plats) {
		x.workdir = xasprintf("%s/campaign.XXXXXX", tmp && tmp[0] ?
				      tmp : "/tmp");
		if (!mkdtemp(x.workdir) || prepare_images(&x)) {
			rc = -1;
		} else {
			read_tsc_khz(&x);
			for (i = 0; i < x.c.n_plats; i++)
				probe_one(&x, x.c.plats[i]);
		}
	}
	teardown(&x);
	return rc;
}
