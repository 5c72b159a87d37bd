/*
 * campaign: the platform launcher. Runs a campaign (platforms x benchmarks
 * x repetitions, a JSON file) by starting the static 'bench' natively, in
 * Linux namespaces, in an OCI runtime or as /init of a VM, reads bench's
 * markers off the console, and writes one tidy CSV plus a .meta.json with
 * the accelerator evidence of every run. docs/ARCHITECTURE.md maps its
 * modules: each runners/campaign/NAME.c has its NAME.h; run_priv.h and
 * vctx.h are private to the modules they name.
 *
 * This file: main(), the command lines of platforms, run, submit, collect
 * and image, and the exit status (0 ok, 1 a run failed or a runtime
 * error, 2 bad usage or a bad campaign/platform file, 130 interrupted).
 * Only main.c prints usage or decides the exit status.
 */
#define _GNU_SOURCE		/* strdup */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deps.h"
#include "diag.h"
#include "image.h"
#include "launch.h"
#include "platform.h"
#include "run.h"
#include "slurm.h"
#include "suggest.h"
#include "util.h"
#include "validate.h"
#include "xalloc.h"

static const char usage_text[] =
	"usage: campaign platforms [--platforms-dir DIR] [--kernel FILE] [--no-probe]\n"
	"       campaign run [options] FILE.json\n"
	"       campaign submit [options] [slurm options] FILE.json\n"
	"       campaign collect [-o FILE] FILE.json\n"
	"       campaign image [--kernel FILE] [--with PROGRAM]... DIR\n"
	"\n"
	"Runs the static 'bench' on every platform of a campaign (natively, in\n"
	"Linux namespaces, in an OCI runtime, as /init of a QEMU VM) for each\n"
	"benchmark and repetition, and writes one tidy CSV plus OUT.meta.json\n"
	"with the exact command lines and the accelerator evidence of every\n"
	"VM run (QMP query-kvm, guest CPUID signature, timing canary). A KVM\n"
	"platform never falls back to TCG: a run that did not get KVM fails.\n"
	"The campaign file is checked whole before anything runs (keys,\n"
	"types, platforms, and each benchmark's arguments, asked of 'bench\n"
	"NAME --check'): every mistake is reported as FILE:LINE, exit 2.\n"
	"'platforms' lists each definition (runners/platforms/*.json) and\n"
	"whether it can run here, with the reason when not; a KVM VM\n"
	"platform must also boot once with KVM shown in QMP and CPUID (skip\n"
	"that with --no-probe). 'submit' runs the campaign as a Slurm job\n"
	"array, one repetition slice per task, each writing its own shard;\n"
	"'collect' merges the shards into the one CSV and meta. 'image' writes\n"
	"DIR/initramfs.cpio (/init = bench) and DIR/vmlinux (the guest\n"
	"kernel, uncompressed) for running 'bench boot' or a VMM by hand.\n"
	"A benchmark with \"serve\": \"NAME\" runs the server of\n"
	"runners/servers/NAME.json on the platform ('bench serve') and its\n"
	"bench client (bench http) on the host against it.\n"
	"\n"
	"Example: campaign run campaigns/boot.json -o boot.csv --dry-run\n"
	"\n"
	"Options of 'run' and 'submit':\n"
	"  -o, --output FILE       the CSV (default: FILE.json's base name\n"
	"                          with .csv, in the current directory)\n"
	"      --resume            continue an interrupted campaign in FILE:\n"
	"                          only units (repetition, benchmark,\n"
	"                          platform) not yet in it are run\n"
	"      --force             replace an existing output\n"
	"      --dry-run           print the units in order, the platforms\n"
	"                          skipped and why, and an estimated duration;\n"
	"                          run nothing but a calibration when needed\n"
	"      --estimate-from CSV earlier runs to estimate from (default: the\n"
	"                          output's meta, when it exists)\n"
	"      --no-calibrate      no calibration run: estimate from earlier\n"
	"                          runs only\n"
	"      --timeout S         per-run watchdog in seconds (default: the\n"
	"                          campaign's timeout_s, else the platform's)\n"
	"      --platforms LIST    run these platforms (comma-separated; any\n"
	"                          defined platform, in the file or not)\n"
	"      --skip-unavailable  run the platforms that can run here and\n"
	"                          note the others in the meta (default: stop)\n"
	"      --kernel FILE       guest kernel (default: newest\n"
	"                          /boot/vmlinuz-*)\n"
	"      --with PROGRAM      add a dynamically linked host program with\n"
	"                          its loader and shared libraries to the\n"
	"                          images (repeatable)\n"
	"      --platforms-dir DIR platform definitions (default:\n"
	"                          $BENCH_PLATFORMS, else runners/platforms\n"
	"                          beside bin/)\n"
	"      --slice K/N         run only the repetitions r with r mod N = K\n"
	"                          (what each Slurm array task runs)\n"
	"      --slurm             the same as 'campaign submit'\n"
	"      --progress          progress and ETA on standard error even\n"
	"                          when it is not a terminal\n"
	"  -h, --help              show this help\n"
	"      --version           show the version\n"
	"\n"
	"Slurm options of 'submit' (default: the campaign's \"slurm\" object):\n"
	"      --partition P       sbatch --partition: where the tasks run\n"
	"      --time T            sbatch --time: each task's time limit\n"
	"      --account A         sbatch --account\n"
	"      --constraint C      sbatch --constraint: node features, e.g. a\n"
	"                          CPU model, to choose the kind of node\n"
	"      --qos Q             sbatch --qos\n"
	"      --tasks N           array tasks (default: one per repetition)\n"
	"      --sbatch-arg ARG    one more sbatch argument (repeatable)\n"
	"      --shared-dir DIR    where binaries, shards and logs go, on a\n"
	"                          file system every node sees (default:\n"
	"                          OUT without .csv, plus .slurm)\n"
	"      --wait              wait for the array, then collect\n"
	"\n"
	"Exit status: 0 every run succeeded; 1 a run failed (see the meta),\n"
	"units are missing after 'collect', or a runtime error; 2 bad usage\n"
	"or a bad campaign or platform file; 130 interrupted (the CSV keeps\n"
	"the finished units: use --resume).\n";

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("campaign: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'campaign --help'\n", stderr);
	return EXIT_BADINPUT;
}

/* The usage error for a word of 'platforms' or 'image'. */
static int unknown_word(const char *word, const char *const *known)
{
	const char *near;
	size_t n = 0;

	while (known[n])
		n++;
	near = word[0] == '-' ? suggest_nearest(word, known, n) : NULL;
	if (near)
		return usage_error("unknown option '%s' (did you mean '%s'?)",
				   word, near);
	return usage_error("unknown option '%s'", word);
}

static const char *const platforms_opts[] = { "--platforms-dir",
	"--kernel", "--no-probe", NULL };
static const char *const image_opts[] = { "--kernel", "--with", NULL };

static int cmd_platforms(int argc, char **argv)
{
	static const char *const kinds[] = { "exec", "namespaces", "oci",
					     "vm" };
	const char *dir_opt = NULL, *kernel = NULL;
	struct platform_set set;
	struct diag err = { 0 }, kwhy = { 0 };
	char *dir, *found = NULL, *bench;
	size_t i;
	int k, is_probing = 1;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--platforms-dir") && k + 1 < argc)
			dir_opt = argv[++k];
		else if (!strcmp(argv[k], "--kernel") && k + 1 < argc)
			kernel = argv[++k];
		else if (!strcmp(argv[k], "--no-probe"))
			is_probing = 0;
		else
			return unknown_word(argv[k], platforms_opts);
	}
	dir = dir_opt ? xstrdup(dir_opt) : platform_default_dir(argv[0]);
	if (platform_load_dir(dir, &set, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		free(dir);
		return EXIT_BADINPUT;
	}
	if (!kernel)
		kernel = found = image_find_kernel(&kwhy);
	for (i = 0; i < set.n; i++)
		platform_check(&set.items[i], kernel, kwhy.msg);
	bench = find_bench(argv[0]);
	if (is_probing && bench)
		run_probe_set(&set, kernel, bench);
	free(bench);
	printf("%-18s %-10s %-5s %-11s %s\n", "PLATFORM", "KIND", "ACCEL",
	       "STATUS", "DETAIL");
	for (i = 0; i < set.n; i++) {
		struct platform *p = &set.items[i];

		printf("%-18s %-10s %-5s %-11s %s\n", p->name,
		       kinds[p->kind], p->accel,
		       p->is_available ? "available" : "unavailable",
		       p->reason);
	}
	printf("\ndefinitions: %s\nguest kernel: %s\n", dir,
	       kernel ? kernel : kwhy.msg);
	platform_set_release(&set);
	free(found);
	free(dir);
	return EXIT_OK;
}

/* ---- options of run, submit and collect ------------------------------ */

enum opt_id {
	O_OUTPUT, O_RESUME, O_FORCE, O_DRY_RUN, O_ESTIMATE_FROM, O_NO_CALIBRATE,
	O_TIMEOUT, O_PLATFORMS, O_SKIP, O_KERNEL, O_WITH, O_PLATFORMS_DIR,
	O_SLICE, O_SLURM, O_PROGRESS, O_PARTITION, O_TIME, O_ACCOUNT,
	O_CONSTRAINT, O_QOS, O_TASKS, O_SBATCH_ARG, O_SHARED_DIR, O_WAIT
};

enum opt_where { FOR_RUN = 1, FOR_SUBMIT = 2, FOR_COLLECT = 4 };

struct opt {
	const char *name;
	int has_arg;
	enum opt_id id;
	int where;		/* enum opt_where bits */
};

static const struct opt opts[] = {
	{ "-o", 1, O_OUTPUT, 7 }, { "--output", 1, O_OUTPUT, 7 },
	{ "--resume", 0, O_RESUME, 3 }, { "--force", 0, O_FORCE, 3 },
	{ "--dry-run", 0, O_DRY_RUN, 1 },
	{ "--estimate-from", 1, O_ESTIMATE_FROM, 1 },
	{ "--no-calibrate", 0, O_NO_CALIBRATE, 1 },
	{ "--timeout", 1, O_TIMEOUT, 3 }, { "--platforms", 1, O_PLATFORMS, 3 },
	{ "--skip-unavailable", 0, O_SKIP, 3 }, { "--kernel", 1, O_KERNEL, 3 },
	{ "--with", 1, O_WITH, 3 }, { "--platforms-dir", 1, O_PLATFORMS_DIR, 7 },
	{ "--slice", 1, O_SLICE, 1 }, { "--slurm", 0, O_SLURM, 1 },
	{ "--progress", 0, O_PROGRESS, 3 },
	{ "--partition", 1, O_PARTITION, 2 }, { "--time", 1, O_TIME, 2 },
	{ "--account", 1, O_ACCOUNT, 2 }, { "--constraint", 1, O_CONSTRAINT, 2 },
	{ "--qos", 1, O_QOS, 2 }, { "--tasks", 1, O_TASKS, 2 },
	{ "--sbatch-arg", 1, O_SBATCH_ARG, 2 },
	{ "--shared-dir", 1, O_SHARED_DIR, 6 }, { "--wait", 0, O_WAIT, 2 },
	{ NULL, 0, 0, 0 }
};

/* The usage error for a word that is none of cmd's options. */
static int unknown_option(const char *cmd, int where, const char *word)
{
	const char *names[sizeof(opts) / sizeof(opts[0])], *near;
	size_t n = 0, i;

	for (i = 0; opts[i].name; i++)
		if (opts[i].where & where)
			names[n++] = opts[i].name;
	for (i = 0; opts[i].name; i++)
		if (!strcmp(opts[i].name, word))
			return usage_error("option '%s' is not one of '%s' (it "
					   "is for 'campaign %s')", word, cmd,
					   opts[i].where & FOR_SUBMIT ?
					   "submit" : "run");
	near = word[0] == '-' ? suggest_nearest(word, names, n) : NULL;
	if (near)
		return usage_error("unknown option '%s' (did you mean '%s'?)",
				   word, near);
	return usage_error("unknown option '%s'", word);
}

/* --slice K/N: 0 <= K < N. */
static int parse_slice(const char *v, struct run_options *o)
{
	char *end;

	o->slice_k = strtol(v, &end, 10);
	if (end != v && *end == '/' && end[1]) {
		o->slice_n = strtol(end + 1, &end, 10);
		if (!*end && o->slice_n > 0 && o->slice_n <= 100000 &&
		    o->slice_k >= 0 && o->slice_k < o->slice_n)
			return 0;
	}
	return usage_error("--slice '%s' must be K/N with 0 <= K < N "
			   "(e.g. 0/4)", v);
}

static int set_slurm(const struct opt *op, const char *v,
		     struct slurm_options *s)
{
	char *end;

	switch (op->id) {
	case O_PARTITION: s->partition = v; break;
	case O_TIME: s->time = v; break;
	case O_ACCOUNT: s->account = v; break;
	case O_CONSTRAINT: s->constraint = v; break;
	case O_QOS: s->qos = v; break;
	case O_SHARED_DIR: s->shared_dir = v; break;
	case O_WAIT: s->is_wait = 1; break;
	case O_SBATCH_ARG:
		if (validate_sbatch_arg(v))
			return usage_error("--sbatch-arg '%s' is set by campaign "
					   "submit itself: %s", v,
					   validate_sbatch_arg(v));
		s->sbatch = xreallocarray(s->sbatch, (size_t)s->n_sbatch + 1,
					  sizeof(*s->sbatch));
		s->sbatch[s->n_sbatch++] = (char *)v;
		break;
	default:
		s->tasks = strtol(v, &end, 10);
		if (*end || s->tasks < 1 || s->tasks > 100000)
			return usage_error("--tasks '%s' must be a number of "
					   "array tasks from 1 to 100000", v);
	}
	return 0;
}

/* One option with its value v (NULL for flags); 0, or the exit status of
 * a usage error (printed). */
static int set_option(const struct opt *op, const char *v,
		      struct run_options *o, struct slurm_options *s)
{
	char *end;

	switch (op->id) {
	case O_OUTPUT: o->output = v; break;
	case O_RESUME: o->is_resume = 1; break;
	case O_FORCE: o->is_force = 1; break;
	case O_DRY_RUN: o->is_dry_run = 1; break;
	case O_ESTIMATE_FROM: o->estimate_from = v; break;
	case O_NO_CALIBRATE: o->no_calibrate = 1; break;
	case O_TIMEOUT:
		o->timeout_s = strtod(v, &end);
		if (*end || !(o->timeout_s > 0 && o->timeout_s < 1e6))
			return usage_error("--timeout '%s' is not a number of "
					   "seconds > 0", v);
		break;
	case O_PLATFORMS: o->only_platforms = v; break;
	case O_SKIP: o->skip_unavailable = 1; break;
	case O_KERNEL: o->kernel = v; break;
	case O_PLATFORMS_DIR: o->platforms_dir = v; break;
	case O_WITH:
		o->with = xreallocarray(o->with, (size_t)o->n_with + 1,
					sizeof(*o->with));
		o->with[o->n_with++] = (char *)v;
		break;
	case O_SLICE: return parse_slice(v, o);
	case O_PROGRESS: o->is_progress = 1; break;
	case O_SLURM: break;
	default: return set_slurm(op, v, s);
	}
	return 0;
}

/* Parse the options of cmd ("run", "submit", "collect"); returns 0 to go
 * on, or the exit status of a usage error (printed). *where becomes
 * FOR_SUBMIT when run has --slurm. */
static int parse_options(const char *cmd, int *where, int argc, char **argv,
			 struct run_options *o, struct slurm_options *s)
{
	const struct opt *op;
	const char *v;
	int k, rc;

	for (k = 1; k < argc; k++)
		if (*where == FOR_RUN && !strcmp(argv[k], "--slurm"))
			*where = FOR_SUBMIT;
	for (k = 1; k < argc; k++) {
		const char *a = argv[k];

		for (op = opts; op->name && strcmp(op->name, a); op++)
			;
		if (op->name && (op->where & *where ||
				 (op->id == O_SLURM && *where == FOR_SUBMIT))) {
			v = NULL;
			if (op->has_arg && k + 1 >= argc)
				return usage_error("option '%s' needs a value",
						   a);
			if (op->has_arg)
				v = argv[++k];
			if ((rc = set_option(op, v, o, s)) != 0)
				return rc;
		} else if (a[0] == '-' && a[1]) {
			return unknown_option(cmd, *where, a);
		} else if (o->campaign_file) {
			return usage_error("more than one campaign file "
					   "('%s', '%s')", o->campaign_file, a);
		} else {
			o->campaign_file = a;
		}
	}
	if (!o->campaign_file)
		return usage_error("'%s' needs a campaign FILE.json", cmd);
	if (o->is_resume && o->is_force)
		return usage_error("%s", "--resume and --force exclude each "
				   "other");
	if (o->is_dry_run && *where != FOR_RUN)
		return usage_error("%s", "--dry-run is for 'campaign run'");
	return 0;
}

/* The --with programs and the guest network's modules of 'image'. */
static int image_extras(struct image_extra *x, const char *kernel,
			char **with, int n_with, struct diag *err)
{
	static const char *const net_modules[] = { "virtio_pci",
		"virtio_mmio", "virtio_net", NULL };
	char *path;
	int i;

	for (i = 0; i < n_with; i++) {
		path = deps_add_program(x, with[i], err);
		if (!path)
			return -1;
		free(path);
	}
	return n_with ? deps_add_modules(x, kernel, net_modules,
					  "/etc/bench/modules", err) : 0;
}

static int cmd_image(int argc, char **argv)
{
	const char *kernel = NULL, *dir = NULL;
	struct diag err = { 0 };
	char *bench, *found = NULL, *x = NULL, *path;
	char **with = NULL;
	struct image_extra extra = { 0 };
	int k, n_with = 0, rc = EXIT_RUNTIME;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--kernel") && k + 1 < argc)
			kernel = argv[++k];
		else if (!strcmp(argv[k], "--with") && k + 1 < argc) {
			with = xrealloc(with, (size_t)(n_with + 1) *
					sizeof(*with));
			with[n_with++] = argv[++k];
		} else if (argv[k][0] == '-') {
			free(with);
			return unknown_word(argv[k], image_opts);
		} else if (dir) {
			free(with);
			return usage_error("more than one directory ('%s', "
					   "'%s')", dir, argv[k]);
		} else
			dir = argv[k];
	}
	if (!dir) {
		free(with);
		return usage_error("%s", "'image' needs a directory");
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "campaign: cannot create '%s': %s\n", dir,
			strerror(errno));
		free(with);
		return EXIT_RUNTIME;
	}
	bench = find_bench(argv[0]);
	if (!kernel)
		kernel = found = image_find_kernel(&err);
	path = xasprintf("%s/initramfs.cpio", dir);
	if (kernel && (x = image_vmlinux(kernel, &err)) &&
	    image_extras(&extra, kernel, with, n_with, &err) == 0 &&
	    image_initramfs(path, bench, &extra, &err) == 0) {
		free(path);
		path = xasprintf("%s/vmlinux", dir);
		unlink(path);
		if (symlink(x, path) == 0) {
			printf("%s/initramfs.cpio\n%s -> %s\n", dir, path, x);
			rc = EXIT_OK;
		} else {
			diag_set(&err, NULL, 0, "cannot link '%s'", path);
		}
	}
	if (rc)
		diag_print(stderr, "campaign", &err);
	image_extra_release(&extra);
	free(with);
	free(path);
	free(x);
	free(found);
	free(bench);
	return rc;
}

static char *default_output(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t len;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".json"))
		len -= 5;
	return xasprintf("%.*s.csv", (int)len, base);
}

/* run, submit (run --slurm) and collect. */
static int cmd_campaign(const char *cmd, int argc, char **argv,
			char **all_argv, int all_argc)
{
	struct run_options o = { 0 };
	struct slurm_options s = { 0 };
	int where = !strcmp(cmd, "run") ? FOR_RUN : !strcmp(cmd, "submit") ?
		    FOR_SUBMIT : FOR_COLLECT;
	char *out = NULL;
	int rc = parse_options(cmd, &where, argc, argv, &o, &s);

	if (rc == 0) {
		if (!o.output)
			o.output = out = default_output(o.campaign_file);
		o.is_progress |= isatty(STDERR_FILENO);
		o.argc = all_argc;
		o.argv = all_argv;
		o.bench = find_bench(all_argv[0]);
		if (!o.bench || access(o.bench, X_OK) != 0) {
			fprintf(stderr, "campaign: cannot find 'bench' beside "
				"'campaign' (%s): run 'make'\n",
				o.bench ? o.bench : "?");
			rc = EXIT_RUNTIME;
		}
	}
	if (rc == 0) {
		launch_catch_signals();
		rc = where == FOR_RUN ? run_campaign(&o) :
		     where == FOR_SUBMIT ? slurm_submit(&o, &s) :
		     slurm_collect(&o, &s);
	}
	free(o.with);
	free(s.sbatch);
	free((char *)o.bench);
	free(out);
	return rc;
}

static const char *const commands[] = { "platforms", "run", "submit",
	"collect", "image", NULL };

int main(int argc, char **argv)
{
	const char *near;
	int i;

	if (argc < 2)
		return usage_error("%s", "missing command (platforms, run, "
				   "submit, collect or image)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("campaign %s\n", TOOLKIT_VERSION);
		return EXIT_OK;
	}
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
	if (!strcmp(argv[1], "platforms"))
		return cmd_platforms(argc - 1, argv + 1);
	if (!strcmp(argv[1], "image"))
		return cmd_image(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run") || !strcmp(argv[1], "submit") ||
	    !strcmp(argv[1], "collect"))
		return cmd_campaign(argv[1], argc - 1, argv + 1, argv, argc);
	if (argv[1][0] == '-') {
		static const char *const top[] = { "--help", "--version" };

		near = suggest_nearest(argv[1], top, 2);
		if (near)
			return usage_error("unknown option '%s' (did you mean "
					   "'%s'?)", argv[1], near);
		return usage_error("unknown option '%s' (before the command "
				   "only --help and --version; the command's "
				   "options follow it)", argv[1]);
	}
	near = suggest_nearest(argv[1], commands, 5);
	if (near)
		return usage_error("unknown command '%s' (did you mean "
				   "'%s'?)", argv[1], near);
	return usage_error("unknown command '%s' (platforms, run, submit, "
			   "collect or image)", argv[1]);
}
